"""Sites' HTML and Markdown as readable plain text, links kept as "label (address)".

A comment is stored as the words a reader saw: paragraphs as blank lines, line breaks kept,
markup gone, and every link's address still there so nothing the commenter pointed at is lost.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

BLOCKS = frozenset({"p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4"})
HIDDEN = frozenset({"script", "style"})


def link_text(label: str, href: str) -> str:
    """`label (href)`, or just the address when the label is the address or part of it
    (Mastodon and HN shorten long addresses in the visible text)."""
    label = label.strip()
    if not href or href.startswith(("#", "javascript:")):
        return label
    bare = re.sub(r"^https?://(www\.)?", "", href).rstrip("/")
    shown = re.sub(r"^https?://(www\.)?", "", label).rstrip("/…").rstrip(".")
    if not label or label == href or (shown and bare.startswith(shown)):
        return href
    if label.startswith(("@", "#")):  # a mention or hashtag: the name says it
        return label
    return f"{label} ({href})"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[tuple[str, int]] = []  # (href, where its label starts in out)
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag in BLOCKS:
            self.out.append("\n\n")
        elif tag == "a":
            self.links.append((found.get("href") or "", len(self.out)))
        elif tag == "span" and "invisible" in (found.get("class") or "").split():
            self.hidden += 1
            self.links.append(("", -1))  # marks the span so its end tag undoes `hidden`

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.out.append("\n\n")
        elif tag == "span" and self.links and self.links[-1] == ("", -1):
            self.links.pop()
            self.hidden = max(0, self.hidden - 1)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.out[start:])
            del self.out[start:]
            self.out.append(link_text(label, href))

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(value: str) -> str:
    """Mastodon, Hacker News and X oEmbed HTML as plain text."""
    parser = _Text()
    parser.feed(value)
    parser.close()
    return _tidy("".join(parser.out))


MD_LINK = re.compile(r"(?<!!)\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?[^)]*\)")
MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1")
MD_CODE = re.compile(r"`([^`\n]+)`")
MD_SPOILER = re.compile(r">!(.+?)!<")
MD_LINE = re.compile(r"^(?:\s{0,3}(?:#{1,6}\s+|>\s?|[*+-]\s+(?=\S)))+", re.MULTILINE)
MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.MULTILINE)
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|^])")


def markdown_to_text(value: str) -> str:
    """Reddit's Markdown as plain text: emphasis, quotes and headings gone, links kept."""
    text = html.unescape(value)
    text = MD_IMAGE.sub(lambda m: link_text(m.group(1), m.group(2)), text)
    text = MD_LINK.sub(lambda m: link_text(m.group(1), m.group(2)), text)
    text = MD_CODE.sub(r"\1", text)
    text = MD_SPOILER.sub(r"\1", text)
    text = MD_RULE.sub("", text)
    text = MD_LINE.sub("", text)
    previous = None
    while previous != text:  # nested emphasis: ***both*** and **_mixed_**
        previous, text = text, MD_EMPHASIS.sub(r"\2", text)
    text = MD_ESCAPE.sub(r"\1", text)
    text = text.replace("&#x200B;", "").replace("\u200b", "")
    return _tidy(text)


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.replace("\xa0", " ").splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
