"""`comment import`'s options: a number, a list of languages, and a flag without a value."""

from __future__ import annotations

import pytest

from bot.core.errors import ParseError
from bot.core.grammar import parse


def test_every_option_is_read() -> None:
    args = parse(
        "comment import ＃3 https://redd.it/abc123 --top ３０ --min-score -2 --lang EN,fr --replies"
    ).args
    assert args == {
        "article": 3,
        "url": "https://redd.it/abc123",
        "top": 30,
        "min_score": -2,
        "langs": ("en", "fr"),
        "replies": True,
    }


def test_options_not_given_are_none() -> None:
    args = parse("comment import 3 https://youtu.be/dQw4w9WgXcQ").args
    assert (args["top"], args["min_score"], args["langs"], args["replies"]) == (None,) * 4


@pytest.mark.parametrize(
    ("line", "phrase"),
    [
        ("comment import 3 https://redd.it/a --top 0", "top must be at least 1"),
        ("comment import 3 https://redd.it/a --top many", "'many' is not a whole number"),
        ("comment import 3 https://redd.it/a --replies=yes", "--replies takes no value"),
        ("comment import 3 https://redd.it/a --lang ,", "--lang needs language codes"),
        ("comment import 3", "needs a link"),
    ],
)
def test_bad_options_are_explained(line: str, phrase: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(line)
    assert phrase in caught.value.message
