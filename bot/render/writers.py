"""The formats: blocks from a style template written as chat text, Markdown or blog HTML.

Each writer escapes people's text for its own format (nothing for text, backslashes for
Markdown, entities for HTML), so a style template never needs to know which one it feeds.
The HTML is what blog editors accept as it is: one block element per line and no line break
inside one, since WordPress's classic editor and Hatena's line-break setting would turn such
a line break into a `<br>`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from markupsafe import Markup, escape

from bot.core.models import Source
from bot.render.blocks import (
    Credits,
    Heading,
    Literal,
    Paragraph,
    ReactionBlock,
    ReactionRun,
    Segment,
    SourceBlock,
)
from bot.render.embeds import TWITTER_SCRIPT, Tweet, Video, recognise, tweet_html, video_html
from bot.render.escape import is_link, markdown_line, markdown_link, markdown_text, single_line


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What a team sets once for every article (see `[article]` in config.example.toml)."""

    anonymous_name: str = "海外の名無しさん"
    country_language: str = "ja"
    twitter_script: bool = False
    youtube_nocookie: bool = True


def lines(text: str) -> list[str]:
    """The non-blank lines of `text`, stripped: the paragraphs of the article's layout."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def attribution(source: Source) -> str:
    """The "— author (@handle) date" line of a source post, leaving out what is not known."""
    who = source_author(source)
    words = [who] if who else []
    if date := single_line(source.date):
        words.append(date)
    return f"— {' '.join(words)}" if words else ""


def source_author(source: Source) -> str:
    """ "author (@handle)", or whichever of the two is known."""
    author = single_line(source.author)
    handle = single_line(source.handle).lstrip("@")
    if author and handle:
        return f"{author} (@{handle})"
    return author or (f"@{handle}" if handle else "")


@lru_cache(maxsize=1024)
def badge(persona: str, flags: str) -> str:
    """Persona and flags on one line; an article repeats a few dozen faces and flags."""
    return single_line(persona + flags)


@cache
def country_name(code: str, language: str) -> str:
    """A country's name in `language` (Babel's CLDR names), or the code if none is known."""
    from babel import Locale, UnknownLocaleError  # imported on first use: a large package

    try:
        names = Locale.parse(language.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError, TypeError):
        names = Locale("en").territories
    return names.get(code.upper(), code.upper())


# text --------------------------------------------------------------------------------------


def write_text(segments: Iterable[Segment], title: str = "") -> str:
    """Chat and .txt: the title and a blank line, then one paragraph a line; reactions are set
    apart by blank lines, as blog posts show them."""
    return "".join(piece for piece, _ in _text_pieces(segments, title))


def text_units(segments: Iterable[Segment], title: str = "") -> list[str]:
    """`write_text`'s text as the units a chat message must not cut: its lines, except that a
    reaction (header, translation, original) and a source post (text, credit, link) are one
    unit each. `"\n".join(units)` is the text."""
    units: list[str] = []
    line: list[str] = []  # the unit being written
    for piece, whole in _text_pieces(segments, title):
        if whole:  # its line breaks stay inside the unit, but the last one ends it
            ends = piece.endswith("\n")
            line.append(piece[:-1] if ends else piece)
            if ends:
                units.append("".join(line))
                line = []
            continue
        first, *rest = piece.split("\n")
        line.append(first)
        for row in rest:
            units.append("".join(line))
            line = [row]
    units.append("".join(line))
    return units


def _text_pieces(segments: Iterable[Segment], title: str) -> Iterator[tuple[str, bool]]:
    """The text in pieces, each with whether it is one unit (see `text_units`)."""
    if heading := single_line(title):
        yield f"{heading}\n\n", False
    after_block = False
    last_tall: bool | None = None  # None: the last segment was not a reaction
    for segment in segments:
        if type(segment) is Literal:
            text = segment.text
            yield (text[1:] if after_block and text.startswith("\n") else text), False
            after_block, last_tall = False, None
            continue
        if type(segment) is ReactionRun:
            if last_tall is not None:
                yield "\n", False
            last_tall = False
            yield "\n\n".join(segment.lines) + "\n", False
        elif type(segment) is ReactionBlock:
            if last_tall is not None:
                yield "\n", False
            last_tall = True
            yield _text_reaction(segment), True
        else:
            last_tall = None
            yield _text_block(segment), type(segment) is SourceBlock
        after_block = True


def _reaction_rows(
    block: ReactionBlock, main: str, label: Callable[[str], str], original: Callable[[str], str]
) -> list[str]:
    """The label's row, the main row and the original's row, each written by its format."""
    rows = [label(text)] if (text := single_line(block.label)) else []
    rows.append(main)
    if text := single_line(block.original):
        rows.append(original(text))
    return rows


def _text_reaction(block: ReactionBlock) -> str:
    main = block.line
    return "\n".join(_reaction_rows(block, main, str, "» {}".format)) + "\n"


def _text_block(block: Paragraph | Heading | SourceBlock | Credits) -> str:
    if type(block) is SourceBlock:
        source = block.source
        rows = lines(source.text)
        if credit := attribution(source):
            rows.append(credit)
        if url := source.url.strip():
            rows.append(url)
        return "".join(row + "\n" for row in rows)
    text = single_line(block.text)
    return text + "\n" if text else ""


# Markdown ----------------------------------------------------------------------------------


def write_markdown(segments: Iterable[Segment], title: str = "") -> str:
    """Markdown in which no comment can add formatting: blocks apart by blank lines."""
    out: list[str] = [f"# {heading}"] if (heading := markdown_text(title)) else []
    for segment in segments:
        if type(segment) is Literal:
            out.extend(markdown_line(line) for line in lines(segment.text))
        elif type(segment) is ReactionRun:
            # One pass over all the lines: a line break is nothing the escaping touches.
            out.append(markdown_line("\n\n".join(segment.lines)))
        elif type(segment) is ReactionBlock:
            out.append(_markdown_reaction(segment))
        elif type(segment) is SourceBlock:
            if quote := _markdown_source(segment.source):
                out.append(quote)
        elif type(segment) is Heading:
            out.append(f"## {markdown_text(segment.text)}")
        elif text := markdown_text(segment.text):
            out.append(text)
    return "\n\n".join(out) + "\n"


def _markdown_reaction(block: ReactionBlock) -> str:
    main = markdown_line(block.line)
    rows = _reaction_rows(
        block,
        main,
        lambda text: f"**{markdown_line(text)}**",
        lambda text: f"<small>{markdown_line(text)}</small>",
    )
    return "\\\n".join(rows)


def _markdown_source(source: Source) -> str:
    """A quote: the text's lines (hard breaks between), then attribution and link."""
    quoted = [markdown_line(line) for line in lines(source.text)]
    credit = attribution(source)
    url = source.url.strip()
    rows = [
        f"> {line}" + ("\\" if index < len(quoted) - 1 else "") for index, line in enumerate(quoted)
    ]
    if quoted and (credit or url):
        rows.append(">")
    if credit:
        rows.append(f"> {markdown_text(credit)}" + ("\\" if url else ""))
    if url:
        rows.append(f"> {markdown_link(url)}")
    return "\n".join(rows)


# HTML --------------------------------------------------------------------------------------


def text_html(text: str) -> str:
    """`text` with HTML's special characters as entities, exactly as markupsafe writes them.

    Plain `str` in and out: markupsafe's `escape` returns a `Markup`, whose construction cost
    more than the escaping itself on the thousand reactions of a long article."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&#34;")
    if "'" in text:
        text = text.replace("'", "&#39;")
    return text


_REACTION_OPEN = '<p class="hanno-reaction">'
_REACTION_BETWEEN = f"</p>\n{_REACTION_OPEN}"


def write_html(segments: Iterable[Segment], options: RenderOptions) -> str:
    """Blog HTML: every text escaped, one block element a line, sources as embeds."""
    out: list[str] = []
    for segment in segments:
        if type(segment) is ReactionRun:
            # Escaped in one pass, then each line framed: no line holds a line break.
            body = text_html("\n".join(segment.lines)).replace("\n", _REACTION_BETWEEN)
            out.append(f"{_REACTION_OPEN}{body}</p>")
        elif type(segment) is ReactionBlock:
            out.append(_html_reaction(segment))
        elif type(segment) is Literal:
            out.extend(f"<p>{text_html(line)}</p>" for line in lines(segment.text))
        elif type(segment) is SourceBlock:
            if embed := _html_source(segment.source, options):
                out.append(embed)
        elif type(segment) is Heading:
            out.append(f"<h2>{text_html(single_line(segment.text))}</h2>")
        elif type(segment) is Credits:
            out.append(f'<p class="hanno-credits">{text_html(segment.text)}</p>')
        elif text := single_line(segment.text):
            out.append(f"<p>{text_html(text)}</p>")
    return "".join(line + "\n" for line in out)


def _html_reaction(block: ReactionBlock) -> str:
    """A reaction with a header line or its original: a paragraph for each."""
    rows = _reaction_rows(
        block,
        f"{_REACTION_OPEN}{text_html(block.line)}</p>",
        lambda text: f'<p class="hanno-label">{text_html(text)}</p>',
        lambda text: f'<p class="hanno-original"><small>{text_html(text)}</small></p>',
    )
    return "\n".join(rows)


def _html_source(source: Source, options: RenderOptions) -> str:
    kind = recognise(source.url)
    text = lines(source.text)
    if type(kind) is Tweet:
        embed = tweet_html(kind, text, source_author(source), single_line(source.date))
        return embed + (Markup("\n") + Markup(TWITTER_SCRIPT) if options.twitter_script else "")
    if type(kind) is Video:
        player = Markup('<div class="hanno-video">{}</div>').format(
            video_html(kind, nocookie=options.youtube_nocookie)
        )
        quote = _html_quote(text, attribution(source), "")
        return player + (Markup("\n") + quote if quote else "")
    return _html_quote(text, attribution(source), source.url.strip())


def _html_quote(text: list[str], credit: str, url: str) -> Markup:
    """A source that is not an embed: its text, attribution and link, quoted."""
    inner = Markup()
    if text:
        inner += Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in text))
    if credit:
        inner += Markup('<p class="hanno-attribution">{}</p>').format(credit)
    if url and is_link(url):
        inner += Markup('<p><a href="{}" rel="noopener noreferrer">{}</a></p>').format(url, url)
    elif url:
        inner += Markup("<p>{}</p>").format(url)
    if not inner:
        return inner
    return Markup('<blockquote class="hanno-source">{}</blockquote>').format(inner)
