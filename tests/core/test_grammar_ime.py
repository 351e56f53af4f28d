"""Lines as a Japanese keyboard types them, and text that must never change on the way in."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.errors import ParseError
from bot.core.grammar import parse

NO_COMMENT_OPTS = {"url": None, "author": None, "lang": None, "persona": None, "countries": None}

IME: list[tuple[str, str, dict[str, Any]]] = [
    # full-width spaces between words, full-width command words, ids and option values
    ("article\u3000show\u3000＃３", "article show", {"article": 3}),
    ("ａｒｔｉｃｌｅ　ｓｈｏｗ　３", "article show", {"article": 3}),
    ("ＶＯＴＥ　＃１２　ＵＰ", "vote", {"comment": 12, "choice": "up"}),
    ("／vote 1 down", "vote", {"comment": 1, "choice": "down"}),
    (
        "comment add 1 Wow --country ｆｉ",
        "comment add",
        {"article": 1, "text": "Wow", **NO_COMMENT_OPTS, "countries": ("FI",)},
    ),
    (
        "comment　add　１　すごい　－－country　ｆｉ，ｓｅ",
        "comment add",
        {"article": 1, "text": "すごい", **NO_COMMENT_OPTS, "countries": ("FI", "SE")},
    ),
    (
        "comment add 1 Wow －－ｃｏｕｎｔｒｙ＝ＫＲ、ＵＳ --lang ｅｎ",
        "comment add",
        {"article": 1, "text": "Wow", **NO_COMMENT_OPTS, "countries": ("KR", "US"), "lang": "en"},
    ),
    (
        "comment add 1 Great —country FI",
        "comment add",
        {"article": 1, "text": "Great", **NO_COMMENT_OPTS, "countries": ("FI",)},
    ),
    (
        "comment add 1 Great –author Henri ――country FR",
        "comment add",
        {"article": 1, "text": "Great", **NO_COMMENT_OPTS, "author": "Henri", "countries": ("FR",)},
    ),
    (
        "comment add 1 Great ーーcountry FI",
        "comment add",
        {"article": 1, "text": "Great", **NO_COMMENT_OPTS, "countries": ("FI",)},
    ),
    (
        "comment list ３ －－status　ＳＥＬＥＣＴＥＤ",
        "comment list",
        {"article": 3, "status": "selected"},
    ),
    ("comment move ＃２ ４", "comment move", {"comment": 2, "position": 4}),
    ("translate assign ３ ｍｅｉ", "translate assign", {"comment": 3, "user": "mei"}),
    ("translate assign 3 愛子", "translate assign", {"comment": 3, "user": "愛子"}),
    (
        "article source 1 ｈｔｔｐｓ：／／ｅｘ．ｅｘａｍｐｌｅ／ｐ --handle ＠ｋａｎｄｏ",
        "article source",
        {
            "article": 1,
            "url": "https://ex.example/p",
            "text": None,
            "author": None,
            "handle": "@kando",
            "date": None,
        },
    ),
    ("help　comment　add", "help", {"topic": "comment add"}),
    ("ｈｅｌｐ ｖｏｔｅ", "help", {"topic": "vote"}),
]


@pytest.mark.parametrize(("line", "name", "args"), IME, ids=[case[0] for case in IME])
def test_a_japanese_keyboards_line_is_understood(
    line: str, name: str, args: dict[str, Any]
) -> None:
    command = parse(line)
    assert (command.name, command.args) == (name, args)


KEPT: list[tuple[str, str]] = [
    # text is never changed: not its dashes, not its full-width spaces and characters
    ("comment add 5 I love this -- really", "I love this -- really"),
    ("comment add 5 -- that is all", "-- that is all"),
    ("comment add 5 a -- b -- c --country FI", "a -- b -- c"),
    # ...and `--` still escapes a word that would be read as an option
    ("comment add 5 wait -- --country is text here", "wait --country is text here"),
    ("comment add 5 Great—really great", "Great—really great"),
    ("comment add 5 Great —really great", "Great —really great"),
    ("comment add 5 A ーー B", "A ーー B"),
    ("comment add 5 日本の　駅員さん　ありがとう", "日本の　駅員さん　ありがとう"),
    ("comment add 5 ＡＢＣ　１２３ is what it says", "ＡＢＣ　１２３ is what it says"),
    ('comment add 5 "quoted　stays ｆｕｌｌ"', "quoted　stays ｆｕｌｌ"),
    # line breaks typed in text (Slack's `/hanno` keeps them) stay line breaks
    ("comment add 5 line one\nline two", "line one\nline two"),
    ("comment add 5 one\n\n  two  three --country FI", "one\n\ntwo three"),
]


@pytest.mark.parametrize(("line", "text"), KEPT, ids=[case[0] for case in KEPT])
def test_comment_text_is_kept_exactly(line: str, text: str) -> None:
    assert parse(line).args["text"] == text


def test_translation_keeps_full_width_spaces_and_forms() -> None:
    line = "translate　submit　＃４　「ありがとう」と　ＡＩＫＯ　さん。"
    command = parse(line)
    assert command.args == {"comment": 4, "text": "「ありがとう」と　ＡＩＫＯ　さん。"}


def test_prose_options_are_not_normalised() -> None:
    command = parse("article source 1 https://x.example/p --author ＡＩＫＯ --date ２０２６年１月")
    assert command.args["author"] == "ＡＩＫＯ"
    assert command.args["date"] == "２０２６年１月"
    approve = parse('draft approve 1 --note "ｏｋ　です"')
    assert approve.args["note"] == "ｏｋ　です"


def test_persona_emoji_is_passed_on_as_typed() -> None:
    assert parse("comment persona 3 ⚓️").args["persona"] == "⚓️"


def test_full_width_dashes_before_an_unknown_option_are_refused_like_ascii_ones() -> None:
    with pytest.raises(ParseError) as caught:
        parse("comment add 1 Great －－countyr FI")
    assert "--country" in caught.value.message
