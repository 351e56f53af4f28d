"""Checks on what people type: lengths, personas, countries, URLs and unsafe characters.

Each check refuses with a catalogue sentence; nothing is ever truncated or cleaned silently.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache

import emoji
import pycountry

from bot.core.errors import InvalidInput

# Direction overrides and isolates can make text display as something else than it is.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# C0/C1 controls other than tab and newline, and lone surrogates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

# The face a comment gets when its author chose none. The bot knows nothing about the
# commenter but a label, so no face may claim an age or a gender the label could contradict
# (a "Maria" shown as 👴🏻): gender-neutral adults (🧑) in varied skin tones and trades.
PERSONA_PALETTE: tuple[str, ...] = (
    "🧑🏻\u200d💼",
    "🧑🏼\u200d💻",
    "🧑🏽\u200d🏫",
    "🧑🏾\u200d🔬",
    "🧑🏿\u200d🎨",
    "🧑🏻\u200d🍳",
    "🧑🏼\u200d🌾",
    "🧑🏽\u200d🔧",
    "🧑🏾\u200d✈️",
    "🧑🏿\u200d⚕️",
    "🧑🏻\u200d🎓",
    "🧑🏼\u200d🚀",
    "🧑🏽\u200d🚒",
    "🧑🏾\u200d🎤",
    "🧑🏿\u200d💻",
    "🧑🏻\u200d🏭",
    "🧑🏼\u200d🎨",
    "🧑🏽\u200d💼",
    "🧑🏾\u200d🍳",
    "🧑🏿\u200d🏫",
    "🧑🏻\u200d🔬",
    "🧑🏼\u200d⚖️",
    "🧑🏽\u200d🎓",
    "🧑🏾\u200d🌾",
)


def text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    """Normalise line endings, refuse unsafe characters, empty text and text over the limit."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if CONTROL.search(value):
        raise InvalidInput("invalid.control_characters", field=field, field_name=field)
    if BIDI_CONTROLS.search(value):
        raise InvalidInput("invalid.bidi_override", field=field, field_name=field)
    if required and not visible(value):
        raise InvalidInput("invalid.empty", field=field, field_name=field)
    if len(value) > limit:
        raise InvalidInput(
            "invalid.too_long", field=field, field_name=field, limit=limit, length=len(value)
        )
    return value.strip()


def visible(value: str) -> bool:
    """Whether anything would show: zero-width and other format characters alone do not."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in value)


def shown(value: str, size: int = 20) -> str:
    """A typed value safe to repeat in a refusal: no controls, no direction tricks, short."""
    cleaned = "".join(
        ch
        for ch in value
        if unicodedata.category(ch) not in ("Cc", "Cs") and not BIDI_CONTROLS.match(ch)
    )
    return cleaned[:size] + ("…" if len(cleaned) > size else "")


def excerpt(value: str, size: int = 60) -> str:
    """`value` on one line and at most `size` characters, for a listing or a history entry."""
    flat = " ".join(value.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


def label(value: str, *, field: str, limit: int) -> str:
    """A one-line value (author, handle, language, date)."""
    value = text(value, field=field, limit=limit, required=False)
    if "\n" in value:
        raise InvalidInput("invalid.one_line", field=field, field_name=field)
    return value


def url(value: str, *, field: str = "url", limit: int, required: bool = False) -> str:
    value = label(value, field=field, limit=limit)
    if not value:
        if required:
            raise InvalidInput("invalid.empty", field=field, field_name=field)
        return ""
    if not re.fullmatch(r"https?://[^\s<>\"]+", value):
        raise InvalidInput("invalid.url", field=field, value=shown(value, 40))
    return value


def persona(value: str) -> str:
    """Exactly one emoji, as a whole sequence (ZWJ joins, skin tones and flags kept), stored
    in its fully-qualified form.

    Keyboards differ in the variation selectors they type: `⚓️` (anchor + U+FE0F), a keycap
    without its U+FE0F, `☺` without one. All mean one emoji; the store keeps the one spelling
    Unicode calls fully qualified, so the same face is always the same text.
    """
    typed = unicodedata.normalize("NFC", value.strip())
    found = _qualified().get(typed.replace(_EMOJI_STYLE, "").replace(_TEXT_STYLE, ""))
    if found is None:
        raise InvalidInput("invalid.persona", field="persona", value=shown(typed))
    return found


_EMOJI_STYLE = "\ufe0f"
_TEXT_STYLE = "\ufe0e"


@cache
def _qualified() -> dict[str, str]:
    """Every fully-qualified emoji, keyed by its spelling without variation selectors."""
    fully = emoji.STATUS["fully_qualified"]
    return {
        sequence.replace(_EMOJI_STYLE, ""): sequence
        for sequence, data in emoji.EMOJI_DATA.items()
        if data["status"] == fully
    }


def default_persona(key: str) -> str:
    """One commenter keeps one face: the palette entry picked by a stable hash of the label."""
    digest = hashlib.sha256(key.strip().casefold().encode("utf-8")).digest()
    return PERSONA_PALETTE[int.from_bytes(digest[:4], "big") % len(PERSONA_PALETTE)]


def countries(values: tuple[str, ...] | list[str] | str) -> tuple[str, ...]:
    """ISO 3166 alpha-2 codes, upper-cased; several allowed (a commenter between countries)."""
    if isinstance(values, str):
        values = tuple(part for part in values.split(","))
    codes: list[str] = []
    for raw in values:
        # Full-width letters (`ｆｉ`) are how a Japanese keyboard types a code.
        code = unicodedata.normalize("NFKC", raw).strip().upper()
        if not code:
            continue
        if len(code) != 2 or not code.isascii() or pycountry.countries.get(alpha_2=code) is None:
            raise InvalidInput("invalid.country", field="country", value=shown(raw.strip(), 10))
        if code not in codes:
            codes.append(code)
    if len(codes) > 4:
        raise InvalidInput("invalid.too_many_countries", field="country")
    return tuple(codes)


def integer(
    value: int, *, field: str, minimum: int | None = None, maximum: int | None = None
) -> int:
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise InvalidInput(
            "invalid.number_range",
            field=field,
            field_name=field,
            minimum=minimum if minimum is not None else "-∞",
            maximum=maximum if maximum is not None else "∞",
        )
    return value
