"""Anything typed at the console gets an answer: no exception escapes, no traceback is shown.

Hypothesis writes the lines: arbitrary text (control characters, lone surrogates, right-to-left
overrides, zero-width characters included), and lines shaped like commands, with real
speakers and command words followed by junk, so that the dispatcher and the service are
reached and not only the speaker check.
"""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import ConsoleConfig, Person, Settings, StorageConfig
from bot.console.runner import console_session
from bot.core.grammar import COMMANDS
from bot.core.messages import t

PEOPLE = ["aiko", "mei", "sam", "lena"]
# Everything the alphabet has, lone surrogates included (hypothesis leaves them out by default).
ANY_CHARACTER = st.characters(blacklist_categories=())
TRICKY = st.sampled_from(
    ["\u202e", "\u200b", "\u200d", "\ufeff", "\x00", "\x1b[31m", "\ud800", "@everyone", "<@123>",
     "#1", "#999999999999999999999", "-1", "0", "--text", "--country", "ZZ", '"', "'", "\\",
     "🇫🇮", "👨🏻‍💼", "\n", "\r", "`", "**", "|", "1", "2", "up", "down", "clear"]
)  # fmt: skip
PLAUSIBLE = st.sampled_from(
    ["1", "#1", "2", "up", "down", "clear", '"Lovely ‮idea 🇫🇮"', "--country FI,KR",
     "--persona 👴🏼", "--url https://example.com/x", "title", "lead", "min_score", "3",
     "@mei", "mei", "--note ok", '"needs a source"']
)  # fmt: skip
WORD = st.one_of(st.text(ANY_CHARACTER, max_size=12), TRICKY, PLAUSIBLE, PLAUSIBLE)
ARGS = st.lists(WORD, max_size=6).map(" ".join)
COMMAND_LINE = st.builds(
    "{}: /{} {}".format,
    st.sampled_from([*PEOPLE, "AIKO", "nobody", ""]),
    st.sampled_from(sorted(COMMANDS)),
    ARGS,
)
# Well-formed commands carrying hostile text, so that the service and the store see it too.
HOSTILE_TEXT = st.text(ANY_CHARACTER, min_size=1, max_size=60).map(lambda x: '"' + x + '"')
WELL_FORMED = st.one_of(
    st.builds("sam: /comment add 1 {}".format, HOSTILE_TEXT),
    st.builds("aiko: /article set 1 lead {}".format, HOSTILE_TEXT),
    st.builds("aiko: /article new {}".format, HOSTILE_TEXT),
    st.builds("{}: /vote {} {}".format, st.sampled_from(PEOPLE), st.integers(-2, 5), PLAUSIBLE),
    st.builds("mei: /translate submit {} {}".format, st.integers(0, 4), HOSTILE_TEXT),
    st.builds("aiko: /comment persona 1 {}".format, WORD),
)
LINE = st.one_of(st.text(ANY_CHARACTER, max_size=80), COMMAND_LINE, WELL_FORMED)


class _Errors(logging.Handler):
    """Collects what was logged as an error: an incident the user would see as "ref …"."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_any_line_gets_an_answer_and_never_a_traceback(tmp_path: Path) -> None:
    config = Settings(
        storage=StorageConfig(path=tmp_path / "fuzz.db"),
        console=ConsoleConfig(
            people=[
                Person(name="aiko", role="moderator"),
                Person(name="mei", role="translator"),
                Person(name="sam", role="member"),
                Person(name="lena", role="member"),
            ]
        ),
    )
    out = io.StringIO()
    errors = _Errors()
    logging.getLogger().addHandler(errors)
    loop = asyncio.new_event_loop()
    unexpected = t("error.unexpected", ref="XXXX").split("XXXX")[0]
    try:
        context = console_session(config, out)
        session = loop.run_until_complete(context.__aenter__())
        for line in ('aiko: /article new "Fuzz"', 'sam: /comment add 1 "A comment to poke at"'):
            loop.run_until_complete(session.handle(line))

        @settings(
            max_examples=500,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(LINE)
        def answers(line: str) -> None:
            out.seek(0)
            out.truncate()
            loop.run_until_complete(session.handle(line))  # raises nothing
            shown = out.getvalue()
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                assert "→ " in shown, (line, shown)
            assert "Traceback" not in shown, (line, shown)
            assert unexpected not in shown, (line, shown)
            assert not errors.records, [r.getMessage() for r in errors.records]

        answers()
        loop.run_until_complete(context.__aexit__(None, None, None))
    finally:
        logging.getLogger().removeHandler(errors)
        loop.close()
