"""What the grammar repeats back, and which digits it takes as ids."""

from __future__ import annotations

import pytest

from bot.core.errors import ParseError
from bot.core.grammar import parse


@pytest.mark.parametrize("line", ["vote ² up", "vote ٣ up", "comment show 3²"])
def test_ids_are_ascii_or_full_width_digits_only(line: str) -> None:
    with pytest.raises(ParseError, match="not a valid comment id"):
        parse(line)


def test_full_width_ids_from_a_japanese_keyboard_work() -> None:
    assert parse("vote ＃１２ up").args["comment"] == 12


@pytest.mark.parametrize("line", ["\x00\x01", "\u202evote 1 up", "vote 1 \u2066up"])
def test_refusals_repeat_no_control_or_direction_characters(line: str) -> None:
    with pytest.raises(ParseError) as refused:
        parse(line)
    message = refused.value.message
    assert not any(ch in message for ch in "\x00\x01\u202e\u2066")
