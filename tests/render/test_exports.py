"""Markdown and HTML exports: the layout, and comment text that stays text."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import html5lib
import pytest

from bot.core.models import ArticleDocument, Reaction, Source
from bot.render import Renderer

HOSTILE = (
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "**bold**",
    "![img](https://example.com/a.png) <b>b</b> &amp; `code` ~~gone~~ _i_",
    "# not a heading",
    "https://example.com/bare www.example.com mail@example.com",
)


def hostile_document() -> ArticleDocument:
    reactions = tuple(
        Reaction(persona="🧑🏻‍💻", flags="🇰🇷🇺🇸", text=text, comment_number=n)
        for n, text in enumerate(HOSTILE, start=1)
    )
    sources = (
        Source(position=1, url="javascript:alert(1)", text="<i>悪い</i>リンク", author="A"),
        Source(position=2, url='https://example.com/p?q="x"&y=<z>', text="良いリンク"),
    )
    return ArticleDocument(
        title="**題**<b>",
        lead="- リスト?\n> 引用?",
        closing="1. 番号?",
        sources=sources,
        reactions=reactions,
    )


class _Tags(HTMLParser):
    """The element names and attributes of an HTML text, to see what markup it really has."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _markdown_to_html(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable("strikethrough").render(markdown)


def test_markdown_layout(document: ArticleDocument) -> None:
    markdown = Renderer().markdown(document)
    blocks = markdown.split("\n\n")
    assert blocks[0] == "# 湯ノ沢町のロボットラーメン店に世界が注目"
    assert "## 海外の反応" in blocks
    assert (
        "👨🏻‍💼 これこそ未来の外食産業だ。しかも職人の魂がちゃんと残っているのが素晴らしい。"
        in blocks
    )
    assert (
        "\n".join(
            [
                "> 店主さん「ロボットは文句を言わないけど、味には正直です」\\",
                "> 名言すぎる…👏",
                ">",
                "> — Noodle Dad \\(\\@noodle\\_dad\\) March 4, 2026\\",
                "> <https://example.com/noodle_dad/status/2002>",
            ]
        )
        in blocks
    )
    assert blocks.index("コメントは以上になります。") == blocks.index("## 海外の反応") + 9
    assert markdown.endswith("ひとつの穏やかな未来の姿なのかもしれません。\n")


def test_markdown_renders_sources_as_blockquotes_with_their_links(
    document: ArticleDocument,
) -> None:
    html = _markdown_to_html(Renderer().markdown(document))
    parsed = _parse(html)
    assert parsed.tags.count("blockquote") == 2
    assert parsed.hrefs == [
        "https://example.com/yunosawa_eats/status/1001",
        "https://example.com/noodle_dad/status/2002",
    ]
    assert "<h2>海外の反応</h2>" in html
    assert "— 湯ノ沢グルメ通信 (@yunosawa_eats) March 3, 2026<br />" in html


def test_markdown_keeps_hostile_comments_inert() -> None:
    markdown = Renderer().markdown(hostile_document())
    html = _markdown_to_html(markdown)
    parsed = _parse(html)
    assert set(parsed.tags) <= {"h1", "h2", "p", "blockquote", "br", "a"}
    assert parsed.hrefs == ["https://example.com/p?q=%22x%22&y=%3Cz%3E"]
    for text in HOSTILE:  # every comment reads exactly as written
        assert f"🧑🏻‍💻🇰🇷🇺🇸 {escape(text)}</p>" in html
    assert "<h1>**題**&lt;b&gt;</h1>" in html
    assert "<p>- リスト?</p>" in html and "<p>&gt; 引用?</p>" in html
    assert "<p>1. 番号?</p>" in html
    assert "javascript:alert(1)" in html  # shown as text, never as a link


def test_markdown_escapes_without_a_renderer() -> None:
    markdown = Renderer().markdown(hostile_document())
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in markdown
    assert "\\*\\*bold\\*\\*" in markdown
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in markdown
    reactions = [line for line in markdown.splitlines() if line.startswith("🧑🏻‍💻🇰🇷🇺🇸 ")]
    assert len(reactions) == len(HOSTILE)
    for line in reactions:  # no special character goes without its backslash
        assert re.findall(r"(?<!\\)[<>\[\]()*_`~!#&:@.]", line) == []


def test_html_layout(document: ArticleDocument) -> None:
    html = Renderer().html(document)
    assert html.startswith('<article class="hanno-article">\n<p>山あいの小さな町')
    assert html.endswith("</article>\n")
    assert "<h1>" not in html  # a blog takes the title in its own field
    assert "<h2>海外の反応</h2>" in html
    # One block element a line and no line break inside one: blog editors would add <br>s.
    assert (
        '\n<blockquote class="hanno-source">'
        "<p>店主さん「ロボットは文句を言わないけど、味には正直です」<br>名言すぎる…👏</p>"
        '<p class="hanno-attribution">— Noodle Dad (@noodle_dad) March 4, 2026</p>'
        '<p><a href="https://example.com/noodle_dad/status/2002" rel="noopener noreferrer">'
        "https://example.com/noodle_dad/status/2002</a></p>"
        "</blockquote>\n"
    ) in html
    reactions = re.findall(r'<p class="hanno-reaction">(.*?)</p>', html)
    assert reactions == [
        f"{r.persona}{r.flags} {r.text}".replace("\n", " ") for r in document.reactions
    ]
    assert "<p>コメントは以上になります。</p>" in html


def test_full_html_document_has_title_and_language(document: ArticleDocument) -> None:
    html = Renderer().html(document, full=True)
    assert html.startswith('<!DOCTYPE html>\n<html lang="ja">')
    assert "<title>湯ノ沢町のロボットラーメン店に世界が注目</title>" in html
    assert "<h1>湯ノ沢町のロボットラーメン店に世界が注目</h1>" in html
    assert html.endswith("</article>\n</body>\n</html>\n")


def test_html_escapes_everything_and_links_only_http() -> None:
    html = Renderer().html(hostile_document(), full=True)
    parsed = _parse(html)
    structure = {"html", "head", "meta", "title", "style", "body", "article", "h1", "h2"}
    structure |= {"blockquote"}
    assert set(parsed.tags) == structure | {"p", "a"}  # no <br>: each source text is one line
    assert parsed.hrefs == ['https://example.com/p?q="x"&y=<z>']
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[x](javascript:alert(1))" in html
    assert "**bold**" in html
    assert "<p>javascript:alert(1)</p>" in html
    assert "&lt;i&gt;悪い&lt;/i&gt;リンク" in html
    assert "<title>**題**&lt;b&gt;</title>" in html


def test_sources_leave_out_missing_parts_and_empty_sources_vanish() -> None:
    sources = (
        Source(position=1, url="https://example.com/a", text="本文", handle="only_handle"),
        Source(position=2, url=" ", text=" "),
        Source(position=3, url="", author="Author Only"),
    )
    doc = ArticleDocument(title="", lead="", closing="", sources=sources, reactions=())
    renderer = Renderer()
    assert renderer.markdown(doc) == (
        "> 本文\n>\n> — \\@only\\_handle\\\n> <https://example.com/a>\n\n"
        "> — Author Only\n\n"
        "## 海外の反応\n\nコメントは以上になります。\n"
    )
    html = renderer.html(doc)
    assert html.count("<blockquote") == 2
    assert (
        '<blockquote class="hanno-source"><p class="hanno-attribution">— Author Only</p>'
        "</blockquote>\n" in html
    )


def test_full_html_page_is_valid_html5_with_a_stylesheet(document: ArticleDocument) -> None:
    page = Renderer().html(document, full=True)
    # html5lib's strict mode raises at the first parse error of the WHATWG algorithm
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    assert page.startswith("<!DOCTYPE html>\n")
    assert tree.find("head/meta").get("charset") == "utf-8"
    assert tree.find("head/title").text == "湯ノ沢町のロボットラーメン店に世界が注目"
    assert "max-width" in tree.find("head/style").text
    quotes = tree.findall("body/article/blockquote")
    assert [q.find("p/a").get("href") for q in quotes] == [
        "https://example.com/yunosawa_eats/status/1001",
        "https://example.com/noodle_dad/status/2002",
    ]
    fragment = Renderer().html(document)
    assert fragment.startswith('<article class="hanno-article">') and "<style>" not in fragment
    html5lib.HTMLParser(strict=True).parseFragment(fragment)
