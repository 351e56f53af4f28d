"""Extended grapheme clusters, so that splitting text never cuts a character a person sees.

Chat splitting must not leave half an emoji at the end of a message: a persona such as 👩🏻‍✈️ is
five code points, a flag such as 🇰🇷 two, a keycap such as 1️⃣ three. This is a compact
implementation of the Unicode segmentation rules (UAX #29) that matter for our text: CR LF,
controls, combining marks and other extenders, spacing marks, Hangul syllables, emoji ZWJ
sequences, emoji modifiers, variation selectors, tag sequences and regional-indicator pairs.
Indic conjunct rules (GB9c) and Prepend characters are left out: they do not occur in our
articles, and missing them only allows a break a little too early inside such a word.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from enum import Enum, auto
from functools import cache

import emoji

ZWJ = "\u200d"
ZWNJ = "\u200c"

_REGIONAL_INDICATORS = range(0x1F1E6, 0x1F200)
_SKIN_TONES = range(0x1F3FB, 0x1F400)
_TAGS = range(0xE0020, 0xE0080)
# Emoji blocks, so that emoji newer than the `emoji` package's data still count as pictographic.
_PICTOGRAPHIC_BLOCKS = (range(0x1F000, 0x1FB00), range(0x1FC00, 0x1FFFE))
# Halfwidth katakana voiced sound marks: letters by category, extenders by UAX #29.
_EXTRA_EXTEND = frozenset("\uff9e\uff9f")
# Cf characters that UAX #29 does not treat as controls.
_FORMAT_NOT_CONTROL = frozenset({ZWJ, ZWNJ})


class _Kind(Enum):
    CR = auto()
    LF = auto()
    CONTROL = auto()
    EXTEND = auto()
    ZWJ = auto()
    SPACING_MARK = auto()
    REGIONAL_INDICATOR = auto()
    PICTOGRAPHIC = auto()
    HANGUL_L = auto()
    HANGUL_V = auto()
    HANGUL_T = auto()
    HANGUL_LV = auto()
    HANGUL_LVT = auto()
    OTHER = auto()


@cache
def _single_emoji() -> frozenset[int]:
    """Code points that are emoji on their own, from the `emoji` package's data."""
    return frozenset(
        ord(e) for e in emoji.EMOJI_DATA if len(e) == 1 and ord(e) > 0x7F and ord(e) != 0xFE0F
    )


def _is_pictographic(cp: int) -> bool:
    if cp in _REGIONAL_INDICATORS or cp in _SKIN_TONES:
        return False
    return cp in _single_emoji() or any(cp in block for block in _PICTOGRAPHIC_BLOCKS)


def _hangul_kind(cp: int) -> _Kind | None:
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return _Kind.HANGUL_L
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return _Kind.HANGUL_V
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return _Kind.HANGUL_T
    if 0xAC00 <= cp <= 0xD7A3:
        return _Kind.HANGUL_LV if (cp - 0xAC00) % 28 == 0 else _Kind.HANGUL_LVT
    return None


@cache
def _kind(ch: str) -> _Kind:
    cp = ord(ch)
    if ch == "\r":
        return _Kind.CR
    if ch == "\n":
        return _Kind.LF
    if ch == ZWJ:
        return _Kind.ZWJ
    if cp in _REGIONAL_INDICATORS:
        return _Kind.REGIONAL_INDICATOR
    if cp in _SKIN_TONES or cp in _TAGS or ch in _EXTRA_EXTEND or ch == ZWNJ:
        return _Kind.EXTEND
    category = unicodedata.category(ch)
    if category in ("Mn", "Me") or unicodedata.combining(ch):
        return _Kind.EXTEND
    if category == "Mc":
        return _Kind.SPACING_MARK
    if category in ("Cc", "Zl", "Zp") or (category == "Cf" and ch not in _FORMAT_NOT_CONTROL):
        return _Kind.CONTROL
    hangul = _hangul_kind(cp)
    if hangul is not None:
        return hangul
    if _is_pictographic(cp):
        return _Kind.PICTOGRAPHIC
    return _Kind.OTHER


_HANGUL_PAIRS = frozenset(
    {
        (_Kind.HANGUL_L, _Kind.HANGUL_L),
        (_Kind.HANGUL_L, _Kind.HANGUL_V),
        (_Kind.HANGUL_L, _Kind.HANGUL_LV),
        (_Kind.HANGUL_L, _Kind.HANGUL_LVT),
        (_Kind.HANGUL_LV, _Kind.HANGUL_V),
        (_Kind.HANGUL_LV, _Kind.HANGUL_T),
        (_Kind.HANGUL_V, _Kind.HANGUL_V),
        (_Kind.HANGUL_V, _Kind.HANGUL_T),
        (_Kind.HANGUL_LVT, _Kind.HANGUL_T),
        (_Kind.HANGUL_T, _Kind.HANGUL_T),
    }
)


def graphemes(text: str) -> Iterator[str]:
    """Yield the extended grapheme clusters of `text`, in order; joined they give `text` back."""
    start = 0
    previous: _Kind | None = None
    # An emoji (plus its extenders) that a following ZWJ may glue to the next emoji (GB11).
    in_emoji = False
    after_emoji_zwj = False
    regional_run = 0  # regional indicators seen in a row, to pair them up (GB12, GB13)
    for index, ch in enumerate(text):
        kind = _kind(ch)
        if previous is not None and _breaks(previous, kind, after_emoji_zwj, regional_run):
            yield text[start:index]
            start = index
        after_emoji_zwj = in_emoji and kind is _Kind.ZWJ
        if kind is _Kind.PICTOGRAPHIC:
            in_emoji = True
        elif kind is not _Kind.EXTEND:
            in_emoji = False
        regional_run = regional_run + 1 if kind is _Kind.REGIONAL_INDICATOR else 0
        previous = kind
    if start < len(text):
        yield text[start:]


def _breaks(before: _Kind, after: _Kind, after_emoji_zwj: bool, regional_run: int) -> bool:
    """Whether UAX #29 allows a cluster boundary between two code points of these kinds."""
    if before is _Kind.CR and after is _Kind.LF:  # GB3
        return False
    if before in (_Kind.CR, _Kind.LF, _Kind.CONTROL):  # GB4
        return True
    if after in (_Kind.CR, _Kind.LF, _Kind.CONTROL):  # GB5
        return True
    if (before, after) in _HANGUL_PAIRS:  # GB6-GB8
        return False
    if after in (_Kind.EXTEND, _Kind.ZWJ, _Kind.SPACING_MARK):  # GB9, GB9a
        return False
    if after_emoji_zwj and after is _Kind.PICTOGRAPHIC:  # GB11
        return False
    if before is _Kind.REGIONAL_INDICATOR and after is _Kind.REGIONAL_INDICATOR:  # GB12, GB13
        return regional_run % 2 == 0
    return True  # GB999


def boundaries(text: str) -> list[int]:
    """Indexes in `text` where a cut keeps every grapheme cluster whole (0 and len included)."""
    offsets = [0]
    for cluster in graphemes(text):
        offsets.append(offsets[-1] + len(cluster))
    return offsets
