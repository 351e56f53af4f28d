"""Format-neutral blocks: what a style template says, before any format decides how it looks.

A style template is rendered once per article. Instead of writing text, it calls `out`
(`out.paragraph(...)`, `out.source(...)`, `out.reaction(...)`, `out.heading(...)`), which
records a block and leaves a marker in the output; the writers in `bot.render.writers` then
turn the blocks into chat text, Markdown or HTML, escaping people's text for that format. So
one template per style serves every format, and a template never holds markup that a comment
could break out of.

Text a template writes itself (a team's template from before styles, or a line of its own)
is kept: the text format prints it as written, the other formats make each line a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.core.models import Source

# A marker is NUL, the block's index, NUL: NUL is removed from every value a template prints
# (see `finalize`), so no text of an article can forge one.
_MARKER = re.compile("\x00([0-9]+)\x00")


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class SourceBlock:
    source: Source


@dataclass(frozen=True, slots=True)
class ReactionBlock:
    """One reaction: an optional header line (`label`), the badge (persona and flags) before
    the translation, and the original below it, each optional except the translation."""

    text: str
    badge: str = ""
    label: str = ""
    original: str = ""


@dataclass(frozen=True, slots=True)
class Literal:
    """Text the template wrote itself, exactly as written."""

    text: str


Block = Paragraph | Heading | SourceBlock | ReactionBlock
Segment = Block | Literal


class Marker(str):
    """What `out.*` returns: passed through `finalize` untouched, unlike people's text."""

    __slots__ = ()


class Out:
    """The recorder a style template calls; one per rendering."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def _add(self, block: Block) -> Marker:
        self.blocks.append(block)
        return Marker(f"\x00{len(self.blocks) - 1}\x00")

    def paragraph(self, text: Any) -> Marker:
        return self._add(Paragraph(_clean(text)))

    def heading(self, text: Any) -> Marker:
        return self._add(Heading(_clean(text)))

    def source(self, source: Source) -> Marker:
        return self._add(SourceBlock(source))

    def reaction(
        self, text: Any, *, badge: Any = "", label: Any = "", original: Any = ""
    ) -> Marker:
        return self._add(
            ReactionBlock(
                text=_clean(text),
                badge=_clean(badge),
                label=_clean(label),
                original=_clean(original),
            )
        )


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
