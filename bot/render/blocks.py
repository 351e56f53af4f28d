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
    """A reaction of more than one line: a header line (`label`) or the original below the
    translation, or both; the badge (persona and flags) before the translation is optional.
    (A reaction of one line is recorded as its line alone, see `Out.reaction`.)

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


class ReactionRun(NamedTuple):
    """Reactions in a row that are one line each (no header, no original): their lines.

    The writers escape and frame a run in a few string operations over all its lines instead
    of a dozen Python steps per reaction; in the usual style that is the whole article."""

    lines: list[str]


# Blocks are named tuples, not dataclasses: a thousand-reaction article makes a thousand of
# them per rendering, and a frozen dataclass's __init__ costs several times a tuple's. A
# reaction of one line is recorded as just that line (a `str`): no object at all.
Block = Paragraph | Heading | SourceBlock | ReactionBlock | Credits | str
Segment = Paragraph | Heading | SourceBlock | ReactionBlock | Credits | ReactionRun | Literal


class Marker(str):
    """What `out.*` returns: passed through `finalize` untouched, unlike people's text."""

    __slots__ = ()


# The marker of block N and N as the marker holds it, made once for every rendering. Grown
# by replacing the whole list (one atomic assignment), never in place, so that renderings in
# two threads cannot interleave their appends.
_MARKERS: list[Marker] = []
_INDEXES: list[str] = []


def _grow(count: int) -> tuple[list[Marker], list[str]]:
    """Lists long enough for `count` blocks; a caller uses the ones it got back (another
    thread may have put shorter ones in place meanwhile)."""
    global _MARKERS, _INDEXES
    size = max(count, 2 * len(_INDEXES), 1024)
    indexes = [str(index) for index in range(size)]
    markers = [Marker(f"\x00{index}\x00") for index in indexes]
    _MARKERS, _INDEXES = markers, indexes
    return markers, indexes


def _marker(index: int) -> Marker:
    markers = _MARKERS
    if index >= len(markers):
        markers = _grow(index + 1)[0]
    return markers[index]


def _indexes(count: int) -> list[str]:
    indexes = _INDEXES
    if count > len(indexes):
        indexes = _grow(count)[1]
    return indexes[:count]


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
        badge = _one_line(badge if type(badge) is str else str(badge)) if badge else ""
        return _record_reaction(self.blocks, text, badge, label, original)


def _record_reaction(
    blocks: list[Block], text: Any, badge: str, label: Any, original: Any
) -> Marker:
    """Record a reaction (`badge` already on one line); a plain function, since the reaction
    filter calls it a thousand times per long article."""
    text = single_line(text if type(text) is str else str(text))
    line = f"{badge} {text}" if badge and text else badge or text
    label = label if type(label) is str else str(label)
    original = original if type(original) is str else str(original)
    if label or original:
        blocks.append(ReactionBlock(text, badge, label, original, line))
    else:
        blocks.append(line)  # a one-line reaction: its line is all a writer needs
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
    return _out(context).paragraph(text)


@pass_context
def heading_filter(context: Context, text: Any) -> Marker:
    return _out(context).heading(text)


@pass_context
def source_filter(context: Context, source: Source) -> Marker:
    return _out(context).source(source)


@pass_context
def credits_filter(context: Context, text: Any) -> Marker | str:
    return _out(context).credits(text)


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
    badge = _one_line(badge if type(badge) is str else str(badge)) if badge else ""
    return _record_reaction(_out(context).blocks, text, badge, label, original)


def _out(context: Context) -> Out:
    """The rendering's recorder: a render argument, so in the context's parent, where one
    dictionary lookup finds it (`context["out"]` goes through two calls first)."""
    try:
        return context.parent["out"]
    except KeyError:
        return context["out"]


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
    """The template's output as blocks and the literal text between them, one-line
    reactions in a row gathered into runs.

    Whitespace between markers is layout of the template file, not of the article: dropped.
    """
    pieces = output.split("\x00")
    between = "".join(pieces[0::2])
    if (
        len(pieces) == 2 * len(blocks) + 1
        and pieces[1::2] == _indexes(len(blocks))
        and (not between or between.isspace())
    ):
        printed: list[Block | Literal] = blocks  # the usual case: each block once, in order
    else:
        printed = _printed(output, blocks)
    return _runs(printed)


def _printed(output: str, blocks: list[Block]) -> list[Block | Literal]:
    """Any template's output (blocks printed twice, out of order or not at all, text of its
    own between them) as the blocks in the order printed and that text."""
    result: list[Block | Literal] = []
    for index, piece in enumerate(_MARKER.split(output)):
        if index % 2:
            result.append(blocks[int(piece)])
        elif piece.strip():
            result.append(Literal(piece))
    return result


def _runs(printed: list[Block | Literal]) -> list[Segment]:
    """`printed` with each row of one-line reactions as one `ReactionRun`."""
    result: list[Segment] = []
    run: list[str] | None = None
    for item in printed:
        if type(item) is str:
            if run is None:
                run = []
                result.append(ReactionRun(run))
            run.append(item)
        else:
            run = None
            result.append(item)
    return result
