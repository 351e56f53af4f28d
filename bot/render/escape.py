"""Making people's text inert in the formats we export, and keeping only links a reader can trust.

Comments are written by strangers on the internet and pasted in by the team: in Markdown they
must stay words, never become emphasis, links, images, raw HTML or headings. HTML escaping is
left to Jinja2's autoescape; this module covers Markdown and URLs.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# CommonMark lets a backslash escape any ASCII punctuation, and an escaped character is always
# literal. We escape every character that can open or close a construct (emphasis, links,
# images, autolinks and GFM's bare www./https:/e-mail links, entities, HTML, headings, lists,
# tables, strikethrough, math): more than strictly needed, but nothing to forget. Left alone:
# , ; ' " ? / % which mean nothing outside a construct that is already broken.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&:@$=^])")
_LINK_SCHEMES = frozenset({"http", "https"})
# Characters kept as they are in a Markdown autolink: RFC 3986 reserved and unreserved ones.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"
# Bidirectional embeddings, overrides and isolates can make text read differently than it is.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Every character `str.splitlines` breaks at.
_LINE_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# What `plain_text` removes: category Cc (exactly U+0000-001F and U+007F-009F) except line feed
# and tab, plus the bidi controls. One regex pass: a per-character loop cost 9 ms on an article.
_UNWANTED_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "]"
)


def single_line(text: str) -> str:
    """`text`'s non-blank lines, stripped and joined by spaces: one line by definition.

    Most texts hold no line break at all; for them this is just `strip()` (an article has
    thousands of such calls, and `splitlines` on each was most of the Markdown export's time).
    Every line break is in category Cc, Zl or Zp, so printable text has none: `isprintable`
    answers for most text (Japanese, plain words) several times faster than the regex, which
    is left for text with joiners, variation selectors or controls.
    """
    if text.isprintable() or _LINE_BREAKS.search(text) is None:
        return text.strip()
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def markdown_text(text: str) -> str:
    """`text` as Markdown that renders as exactly these characters, on one line.

    Line breaks become spaces and the edges are stripped: a line starting with spaces would
    be a code block, and a paragraph per reaction is the layout.
    """
    return markdown_line(single_line(text))


def markdown_line(line: str) -> str:
    """`markdown_text` for text already on one line and stripped (such as a reaction line)."""
    return _MARKDOWN_SPECIAL.sub(_backslashed, line)


def _backslashed(match: re.Match[str]) -> str:
    # A function, not the template r"\\\1": Python expands templates in Python code per
    # match, which made escaping a 1,000-reaction article twice as slow.
    return "\\" + match.group()


def is_link(url: str) -> bool:
    """Whether `url` may become a clickable link: http(s) with a host, nothing else."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in _LINK_SCHEMES and bool(parts.netloc)


def markdown_link(url: str) -> str:
    """An http(s) URL as a Markdown autolink; any other URL as inert text."""
    if not is_link(url):
        return markdown_text(url)
    return f"<{quote(url.strip(), safe=_URL_SAFE)}>"


def plain_text(text: str) -> str:
    """`text` without control characters a chat or a text file should not carry.

    Line breaks and tabs stay; CR LF becomes LF; joiners, variation selectors and emoji tags
    stay, since emoji are made of them.
    """
    if "\r" in text:  # a one-character search is many times faster than looking for CR LF
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED_CONTROLS.sub("", text)
