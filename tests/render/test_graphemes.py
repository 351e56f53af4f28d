"""Grapheme clusters: the units chat splitting may never cut through."""

from __future__ import annotations

import emoji
import pytest

from bot.render.graphemes import boundaries, graphemes


def test_every_known_emoji_is_one_cluster() -> None:
    split = [e for e in emoji.EMOJI_DATA if list(graphemes(e)) != [e]]
    assert split == []


@pytest.mark.parametrize(
    ("text", "clusters"),
    [
        ("👨🏻‍💼👩🏻‍✈️", ["👨🏻‍💼", "👩🏻‍✈️"]),  # ZWJ + skin tone + variation selector
        ("🇰🇷🇺🇸🇯", ["🇰🇷", "🇺🇸", "🇯"]),  # regional indicators pair up, in order
        ("1️⃣#️⃣*⃣", ["1️⃣", "#️⃣", "*⃣"]),  # keycaps, with and without VS16
        (
            "🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007fa",
            ["🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f", "a"],
        ),
        ("が\u3099ｶﾞ", ["が\u3099", "ｶﾞ"]),  # combining and halfwidth voiced marks
        ("e\u0301\u0323x", ["e\u0301\u0323", "x"]),
        ("\u1100\u1161\u11a8한", ["\u1100\u1161\u11a8", "한"]),  # conjoining Hangul jamo
        ("a\r\nb\n", ["a", "\r\n", "b", "\n"]),
        ("x\u200dy", ["x\u200d", "y"]),  # a ZWJ joins only emoji to emoji
        ("👩\u200d\u200d👩", ["👩\u200d\u200d", "👩"]),
        ("\u200b\u0301", ["\u200b", "\u0301"]),  # a control never takes an extender
        ("", []),
    ],
)
def test_clusters(text: str, clusters: list[str]) -> None:
    assert list(graphemes(text)) == clusters


def test_boundaries_are_offsets_between_clusters() -> None:
    assert boundaries("a🇯🇵b") == [0, 1, 3, 4]
    assert boundaries("") == [0]
