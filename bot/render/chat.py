"""Splitting long text into chat messages that each fit a platform's length limit.

Discord (2000) and Slack (about 4000 for readable messages) refuse or truncate longer
messages, so an article is posted in parts. A part ends at a line break where possible; a
line that alone is too long ends at a space, then after a sentence end (。!? …), and only then
between two grapheme clusters, so that an emoji is never cut in half. `measure` lets a front end
count the way its platform does (UTF-16 units, length after escaping `<>&` …).

An article is cut with `split_units`: its units (a reaction with its header and original, a
source post with its credit, any other line) are the first level, so that a message never ends
with a reaction's header whose translation went into the next one. Its text and its parts are
`Units`, which remember their units, so that a platform cutting a message again (Slack's
3,000-character sections) cuts it the same way with `split_text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from bot.render.graphemes import graphemes

Measure = Callable[[str], int]
Level = Callable[[str], Iterator[tuple[str, str]]]

_SPACES = re.compile(r"(\s+)")
_SENTENCE_END = re.compile(r"(?<=[。．！？!?…])(?=[^。．！？!?…」』）)])")


def split_for_chat(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Cut `text` into parts of at most `limit` (by `measure`), in order, none of them empty.

    Every part is a piece of `text` as it was; only the line breaks and spaces at the cuts, and
    blank lines at the start or end of a part, are dropped.
    """
    if limit < 1:
        raise ValueError(f"limit must be positive, not {limit}")
    pieces = _pack_lines_by_length(text, limit) if measure is len else None
    if pieces is None:
        pieces = _pack(_LEVELS, text, limit, measure)
    parts = (_trim_blank_lines(part) for part in pieces)
    return [part for part in parts if part]


class Units(str):
    """A text that remembers the units it is made of (`"\n".join(units)` is the text), like
    markupsafe's `Markup` remembers it is safe: whoever cuts it again cuts between them."""

    units: tuple[str, ...]

    def __new__(cls, units: Sequence[str]) -> Units:
        text = super().__new__(cls, "\n".join(units))
        text.units = tuple(units)
        return text


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """`split_units` for `Units` (an article, a part of one), `split_for_chat` for any text."""
    if isinstance(text, Units):
        return split_units(text.units, limit, measure)
    return split_for_chat(text, limit, measure)


def split_units(units: Sequence[str], limit: int, measure: Measure = len) -> list[str]:
    """`split_for_chat` for the text `"\n".join(units)`, cut only between units where they fit.

    A unit longer than `limit` is cut as `split_for_chat` cuts a text, but never right after
    its first line: a reaction's header stays with the start of its translation rather than
    ending a message alone. The parts are `Units`, of the units each holds.
    """
    if limit < 1:
        raise ValueError(f"limit must be positive, not {limit}")
    pieces: list[list[str]] = []
    current: list[str] = []  # the units of the part being filled …
    size = 0  # … and its length by `measure`
    for unit in units:
        if current:
            joined = (
                size + 1 + len(unit) if measure is len else measure("\n".join([*current, unit]))
            )
            if joined <= limit:
                current.append(unit)
                size = joined
                continue
            pieces.append(current)
        current, size = [unit], measure(unit)
        if size > limit:
            *done, last = _pack_unit(unit, limit, measure)
            pieces.extend([piece] for piece in done)
            current, size = [last], measure(last)
    if current:
        pieces.append(current)
    parts = (_trimmed(piece) for piece in pieces)
    return [part for part in parts if part]


def _trimmed(units: list[str]) -> Units:
    """The part of `units` without blank lines at its edges (see `_trim_blank_lines`)."""
    text = "\n".join(units)
    part = _trim_blank_lines(text)
    if part == text:
        return Units(units)
    while units and not units[0].strip():
        units = units[1:]
    while units and not units[-1].strip():
        units = units[:-1]
    # A unit starting or ending with a blank line of its own: trimmed, it is one unit.
    return Units(units) if "\n".join(units) == part else Units([part])


def _pack_unit(unit: str, limit: int, measure: Measure) -> list[str]:
    """A unit longer than the limit in pieces, the first line never in a piece of its own."""
    pieces = _pack(_LEVELS, unit, limit, measure)
    head, gap, rest = unit.partition("\n")
    room = limit - measure(head + gap)
    if pieces[0] != head or not rest.strip() or room < 1:
        return pieces
    # The cut fell right after the first line: fill its part with the start of the rest.
    first = _pack(_LEVELS, rest, room, measure)[0]
    after = rest[len(first) :].lstrip()
    return [f"{head}{gap}{first}", *(_pack(_LEVELS, after, limit, measure) if after else [])]


def _pack_lines_by_length(text: str, limit: int) -> list[str] | None:
    """`_pack` for `measure=len` when every line fits (the usual article), else None.

    With `len`, packing whole lines greedily is a search: a piece starting at `start` ends at
    the last line break within `limit` characters. `rfind` finds it without building and
    measuring a longer candidate string for every line, as `_pack` must for any `measure`.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        end = text.rfind("\n", start, start + limit + 1)
        if end < 0:
            return None  # the line at `start` alone is too long: it needs the finer levels
        pieces.append(text[start:end])
        start = end + 1
    pieces.append(text[start:])
    return pieces


def _trim_blank_lines(part: str) -> str:
    """Drop whitespace-only lines at the edges of a part: an empty-looking message helps no one."""
    if part and not part[0].isspace() and not part[-1].isspace():
        return part  # both edge lines hold a visible character: nothing to drop
    lines = part.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _by_lines(text: str) -> Iterator[tuple[str, str]]:
    """Lines (the article's paragraphs), each with the line break after it."""
    lines = text.split("\n")
    for line in lines[:-1]:
        yield line, "\n"
    yield lines[-1], ""


def _by_spaces(text: str) -> Iterator[tuple[str, str]]:
    """Words, each with the whitespace after it (dropped if a cut falls there).

    Whitespace at the edges stays with the first and last word, so that the pieces of a line
    still meet the lines around it exactly.
    """
    pieces = _SPACES.split(text)
    words, gaps = pieces[0::2], pieces[1::2]
    if len(words) > 1 and not words[0]:
        words[1] = gaps.pop(0) + words[1]
        words.pop(0)
    if len(words) > 1 and not words[-1]:
        words[-2] += gaps.pop()
        words.pop()
    yield from zip(words, [*gaps, ""], strict=True)


def _by_sentences(text: str) -> Iterator[tuple[str, str]]:
    """Sentences of text without spaces (Japanese), cut after their final punctuation."""
    for sentence in _SENTENCE_END.split(text):
        if sentence:
            yield sentence, ""


def _by_graphemes(text: str) -> Iterator[tuple[str, str]]:
    for cluster in graphemes(text):
        yield cluster, ""


def _by_code_points(text: str) -> Iterator[tuple[str, str]]:
    """Last resort for a single cluster longer than the limit (say 40 stacked accents)."""
    for ch in text:
        yield ch, ""


_LEVELS: tuple[Level, ...] = (
    _by_lines,
    _by_spaces,
    _by_sentences,
    _by_graphemes,
    _by_code_points,
)


def _pack(levels: tuple[Level, ...], text: str, limit: int, measure: Measure) -> list[str]:
    """Greedily join the atoms of the first level; an atom too long goes down a level.

    The returned pieces are slices of `text`; only the gaps where they were cut are missing.
    """
    if not levels:
        raise ValueError(f"a single character of {text!r} is longer than the limit {limit}")
    level, finer = levels[0], levels[1:]
    pieces: list[str] = []
    current: str | None = None
    gap = ""
    for atom, gap_after in level(text):
        if measure(atom) > limit:
            if current is not None:
                pieces.append(current)
            *done, current = _pack(finer, atom, limit, measure)
            pieces.extend(done)
        elif current is None:
            current = atom
        elif measure(candidate := f"{current}{gap}{atom}") <= limit:
            current = candidate
        else:
            pieces.append(current)
            current = atom
        gap = gap_after
    if current is not None:
        pieces.append(current)
    return pieces
