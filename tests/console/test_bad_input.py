"""Every kind of mistake gets one plain sentence through the console and changes nothing."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from bot.config import ConsoleConfig, Person, Settings, StorageConfig
from bot.console.runner import console_session

SETUP = [
    'aiko: /article new "Bad input fixture"',
    'sam: /comment add 1 "first comment" --author Ola',
    'lena: /comment add 1 "second comment"',
    'aiko: /article new "Second article"',
    'sam: /comment add 2 "third comment"',
    "aiko: /comment pick 3",
    "aiko: /article close 2",
    "aiko: /comment drop 3",
]

# (line, a phrase the answer must contain)
BAD_INPUT: list[tuple[str, str]] = [
    ("aiko: /artcle list", "I don't know the command"),
    ("aiko: /article frobnicate 1", "article"),
    ("aiko: /article show", "needs"),
    ("aiko: /article list extra", "extra"),
    ('aiko: /article new "unclosed', "quotes"),
    ("aiko: /article show 99", "There is no article #99 here"),
    ("aiko: /comment show 42", "There is no comment #42 here"),
    ("aiko: /article show x7", "not a valid article id"),
    ("aiko: /vote 1 sideways", "sideways"),
    ("aiko: /article new " + "t" * 201, "over the limit of 200"),
    ("sam: /comment add 1 " + "x" * 4001, "over the limit of 4000"),
    ("sam: /comment add 1 hello --persona 😀😀", "not a single emoji"),
    ("sam: /comment add 1 hello --persona abc", "not a single emoji"),
    ("sam: /comment add 1 hello --country XX", "not a country code"),
    ("sam: /comment add 1 hello --country USA", "not a country code"),
    ("sam: /comment add 1 hello --url javascript:alert(1)", "not a web address"),
    ("sam: /comment add 1 hello --colour red", "colour"),
    ("sam: /comment add 1 hello\u202eevil", "right-to-left override"),
    ("sam: /comment add 1 hello\x07bell", "control characters"),
    ("sam: /comment add 2 too late", "being translated"),
    ("sam: /vote 1 up", "your own comment"),
    ("sam: /article new Mine", "Only moderators can create articles"),
    ("sam: /article close 1", "Only moderators can close voting"),
    ("sam: /comment pick 1", "Only moderators"),
    ("sam: /translate claim 1", "Only translators and moderators"),
    ("mei: /translate claim 1", "still collecting comments"),
    ("mei: /draft approve 1", "Only moderators"),
    ("aiko: /draft submit 1", "still collecting comments"),
    ("aiko: /draft approve 1", "still collecting comments"),
    ("aiko: /publish 1", "still collecting comments"),
    ("aiko: /article reopen 1", "still collecting comments"),
    ("aiko: /draft submit 2", "has no selected comments"),
    ("aiko: /article close 1", "nothing to translate"),
    ("aiko: /publish 2", "sends the draft to review with `/draft submit 2`"),
    ("aiko: /translate assign 1 nobody", "don't know anyone called"),
    ("aiko: /article set 1 max_reactions 0", "max_reactions"),
    ("aiko: /comment move 1 1", "still collecting"),
    ("aiko: /draft reject 1", "needs"),
    ("nobody: /article list", "is not one of the console's people"),
    ("aiko /article list", "Start the line with who is speaking"),
    ("aiko: article list", "Commands start with a slash"),
    ("aiko: /", "empty"),
]


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return list(db.iterdump())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        storage=StorageConfig(path=tmp_path / "bad.db"),
        console=ConsoleConfig(
            people=[
                Person(name="aiko", role="moderator"),
                Person(name="mei", role="translator"),
                Person(name="sam", role="member"),
                Person(name="lena", role="member"),
            ]
        ),
    )


async def test_bad_input_table_answers_plainly_and_changes_nothing(settings: Settings) -> None:
    out = io.StringIO()
    async with console_session(settings, out) as session:
        for line in SETUP:
            await session.handle(line)
        assert session.failures == 0, out.getvalue()
        for line, phrase in BAD_INPUT:
            before = dump(settings.storage.path)
            out.seek(0)
            out.truncate()
            await session.handle(line)
            answer = out.getvalue()
            assert answer.startswith("→ "), (line, answer)
            assert answer.count("\n") == 1, (line, answer)  # one sentence, one line
            assert phrase.lower() in answer.lower(), (line, answer)
            assert "Traceback" not in answer and "{" not in answer, (line, answer)
            assert dump(settings.storage.path) == before, line
    assert len(BAD_INPUT) >= 40
