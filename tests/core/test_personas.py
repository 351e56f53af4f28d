"""Persona emoji as people really type them, stored in one spelling; the automatic faces."""

from __future__ import annotations

import emoji
import pytest

from bot.core import validation
from bot.core.errors import InvalidInput

VS16 = "\ufe0f"
ZWJ = "\u200d"

# (what a keyboard typed, what is stored: the fully-qualified form)
TYPED: list[tuple[str, str, str]] = [
    ("anchor + VS16", "\u2693" + VS16, "\u2693"),
    ("anchor alone", "\u2693", "\u2693"),
    ("anchor + text selector", "\u2693\ufe0e", "\u2693"),
    ("keycap one", "1" + VS16 + "\u20e3", "1" + VS16 + "\u20e3"),
    ("keycap one without VS16", "1\u20e3", "1" + VS16 + "\u20e3"),
    ("keycap hash without VS16", "#\u20e3", "#" + VS16 + "\u20e3"),
    ("woman firefighter, medium skin", "👩🏽" + ZWJ + "🚒", "👩🏽" + ZWJ + "🚒"),
    (
        "health worker, dark skin, no VS16",
        "🧑🏿" + ZWJ + "\u2695",
        "🧑🏿" + ZWJ + "\u2695" + VS16,
    ),
    (
        "man pilot, light skin",
        "👨🏻" + ZWJ + "\u2708" + VS16,
        "👨🏻" + ZWJ + "\u2708" + VS16,
    ),
    ("flag of Finland", "🇫🇮", "🇫🇮"),
    ("flag of England", "🏴󠁧󠁢󠁥󠁮󠁧󠁿", "🏴󠁧󠁢󠁥󠁮󠁧󠁿"),
    ("smiling face, text presentation", "\u263a", "\u263a" + VS16),
    ("smiling face + VS16", "\u263a" + VS16, "\u263a" + VS16),
    ("red heart without VS16", "\u2764", "\u2764" + VS16),
    ("family", "👨" + ZWJ + "👩" + ZWJ + "👧", "👨" + ZWJ + "👩" + ZWJ + "👧"),
    ("surrounding spaces", "  😀 ", "😀"),
]


@pytest.mark.parametrize(("typed", "stored"), [t[1:] for t in TYPED], ids=[t[0] for t in TYPED])
def test_persona_is_accepted_and_stored_fully_qualified(typed: str, stored: str) -> None:
    assert validation.persona(typed) == stored
    assert emoji.EMOJI_DATA[stored]["status"] == emoji.STATUS["fully_qualified"]


@pytest.mark.parametrize("typed", ["😀😀", "a", "1", VS16, ZWJ, "👩" + ZWJ, "🇫", "🇫🇮🇸🇪", "", "⚓️x"])
def test_anything_but_one_emoji_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="not a single emoji"):
        validation.persona(typed)


async def test_anchor_with_selector_is_stored_without_it(service, people) -> None:
    a = (await service.create_article(people["mod"], "T")).number
    comment = await service.add_comment(people["ann"], a, "x", persona="\u2693\ufe0f")
    assert comment.persona == "\u2693"
    changed = await service.set_persona(people["mod"], comment.number, "1\u20e3")
    assert changed.persona == "1\ufe0f\u20e3"


# Faces that claim an age or a gender: a label such as "Maria" could contradict them.
GENDERED_OR_AGED = set("👨👩👴👵🧓👦👧🧒👶🧔👱🧕🤵👮👲👸🤴🙋\u2640\u2642")


def test_automatic_personas_imply_no_age_or_gender() -> None:
    for face in validation.PERSONA_PALETTE:
        assert not GENDERED_OR_AGED & set(face), face
        assert validation.persona(face) == face


@pytest.mark.parametrize(
    "label", ["Maria", "Grandpa Joe", "user123", "山田花子", "https://x.example"]
)
def test_default_persona_is_a_neutral_face(label: str) -> None:
    face = validation.default_persona(label)
    assert face in validation.PERSONA_PALETTE
    assert face.startswith("🧑")


def test_country_codes_typed_full_width_are_read() -> None:
    assert validation.countries("ｆｉ，ｓｅ".replace("，", ",")) == ("FI", "SE")
    assert validation.countries(("ｋｒ", "us")) == ("KR", "US")
