"""Format-neutral blocks: what a style template says, before any format decides how it looks.

A style template is rendered once per article. Instead of writing text, it passes the
article's parts through the block filters (`paragraph`, `heading`, `source`, `reaction`,
`credits`), which record a block in the rendering's `out` and leave a marker in the output;
the writers in `bot.render.writers` then turn the blocks into chat text, Markdown or HTML,
escaping people's text for that format. So one template per style serves every format, and a
template never holds markup that a comment could break out of.

Text a template writes itself (a team's template from before styles, or a line of its own)
is kept: the text format prints it as written, the other formats make each line a paragraph.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from jinja2 import pass_context
from jinja2.runtime import Context

from bot.core.models import Reaction, Source
from bot.render.escape import single_line

# A marker is NUL, the block's index, NUL: NUL is removed from every value a template prints
# (see `finalize`), so no text of an article can forge one.
_MARKER = re.compile("\x00([0-9]+)\x00")


class Paragraph(NamedTuple):
    text: str


class Heading(NamedTuple):
    text: str


class SourceBlock(NamedTuple):
    source: Source


class ReactionBlock(NamedTuple):
    """One reaction: an optional header line (`label`), the badge (persona and flags) before
    the translation, and the original below it, each optional except the translation.

    `line` is the badge, a space and the translation on one line, made once here since every
    format writes it (and a long article has a thousand reactions)."""

    text: str
    badge: str = ""
    label: str = ""
    original: str = ""
    line: str = ""


class Credits(NamedTuple):
    """The credits line: who translated, who picked the comments (names as plain text)."""

    text: str


class Literal(NamedTuple):
    """Text the template wrote itself, exactly as written."""

    text: str


# Blocks are named tuples, not dataclasses: a thousand-reaction article makes a thousand of
# them per rendering, and a frozen dataclass's __init__ costs several times a tuple's.
Block = Paragraph | Heading | SourceBlock | ReactionBlock | Credits
Segment = Block | Literal


class Marker(str):
    """What `out.*` returns: passed through `finalize` untouched, unlike people's text."""

    __slots__ = ()


_MARKERS: list[Marker] = []  # the marker of block N, made once for every rendering


def _marker(index: int) -> Marker:
    while len(_MARKERS) <= index:
        _MARKERS.append(Marker(f"\x00{len(_MARKERS)}\x00"))
    return _MARKERS[index]


class Out:
    """The recorder a style template calls; one per rendering. What it records goes to the
    writers, never into the template's output, so it needs no cleaning of NUL characters."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def _add(self, block: Block) -> Marker:
        self.blocks.append(block)
        return _marker(len(self.blocks) - 1)

    def paragraph(self, text: Any) -> Marker:
        return self._add(Paragraph(str(text)))

    def heading(self, text: Any) -> Marker:
        return self._add(Heading(str(text)))

    def source(self, source: Source) -> Marker:
        return self._add(SourceBlock(source))

    def credits(self, text: Any) -> Marker | str:
        """The credits line, if there is one: an article without credits records nothing."""
        line = single_line(str(text))
        return self._add(Credits(line)) if line else ""

    def reaction(
        self, text: Any, *, badge: Any = "", label: Any = "", original: Any = ""
    ) -> Marker:
        text = single_line(text if type(text) is str else str(text))
        badge = _one_line(str(badge)) if badge else ""
        line = f"{badge} {text}" if badge and text else badge or text
        blocks = self.blocks
        blocks.append(ReactionBlock(text, badge, str(label), str(original), line))
        return _marker(len(blocks) - 1)


@lru_cache(maxsize=1024)
def _one_line(badge: str) -> str:
    """A badge on one line; an article repeats a few dozen faces and flags, and emoji with
    joiners miss `single_line`'s quick path."""
    return single_line(badge)


# The filters a style template records blocks with: `{{ paragraph | paragraph }}`,
# `{{ doc.heading | heading }}`, `{{ source | source }}`, `{{ doc.credits | credits }}`,
# `{{ reaction | reaction(label=…, original=…) }}` (persona and flags as its badge, or
# `badge=…` in their place) or `{{ some_text | reaction(…) }}`. Filters, not `out.*` calls:
# Jinja2 calls a filter directly, where a method call goes through its context's generic
# `call` and a name lookup each time, three times the cost in a thousand-reaction loop.


@pass_context
def paragraph_filter(context: Context, text: Any) -> Marker:
    return context["out"].paragraph(text)


@pass_context
def heading_filter(context: Context, text: Any) -> Marker:
    return context["out"].heading(text)


@pass_context
def source_filter(context: Context, source: Source) -> Marker:
    return context["out"].source(source)


@pass_context
def credits_filter(context: Context, text: Any) -> Marker | str:
    return context["out"].credits(text)


@pass_context
def reaction_filter(
    context: Context, value: Any, badge: Any = None, label: Any = "", original: Any = ""
) -> Marker:
    """`reaction | reaction` records a reaction with its persona and flags as the badge;
    any text (`reaction.text | reaction(label=…)`) records it without, unless given one."""
    if type(value) is Reaction:  # not isinstance: pydantic's ABC check costs as much as the rest
        text = value.text
        if badge is None:
            badge = value.persona + value.flags
    else:
        text = value
    return context["out"].reaction(text, badge=badge or "", label=label, original=original)


BLOCK_FILTERS = {
    "paragraph": paragraph_filter,
    "heading": heading_filter,
    "source": source_filter,
    "reaction": reaction_filter,
    "credits": credits_filter,
}


def finalize(value: Any) -> Any:
    """Jinja2's `finalize`: every printed value but a marker loses its NUL characters."""
    if type(value) is Marker:
        return value
    if value is None:
        return ""
    return _clean(value)


def _clean(value: Any) -> str:
    text = value if type(value) is str else str(value)
    return text.replace("\x00", "") if "\x00" in text else text


def segments(output: str, blocks: list[Block]) -> list[Segment]:
    """The template's output as blocks and the literal text between them.

    Whitespace between markers is layout of the template file, not of the article: dropped.
    """
    result: list[Segment] = []
    pieces = _MARKER.split(output)
    for index, piece in enumerate(pieces):
        if index % 2:
            result.append(blocks[int(piece)])
        elif piece.strip():
            result.append(Literal(piece))
    return result
