"""Golden files: every reaction style in every format, on an article of our own.

`HANNO_UPDATE_GOLDEN=1 pytest tests/render/test_styles.py` rewrites the files after a
deliberate change; review the diff before committing it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.core.models import Article, ArticleDocument
from bot.core.targets import BlogPost, blog_post
from bot.publish.atompub import entry_xml
from bot.publish.wordpress import post_body
from bot.render import Renderer
from bot.render.writers import RenderOptions
from tests.render.conftest import miniature_railway_document, robot_ramen_document

GOLDEN = Path(__file__).with_name("golden") / "styles"
TEAM_STYLE = """\
{#- A team's style: the built-in layout, reactions as a numbered list with flags first. -#}
{% extends "layout.j2" %}
{% block reactions %}
{% for reaction in doc.reactions %}
{{ reaction.text | reaction(label="【" ~ loop.index ~ "】" ~ (reaction | countries)) }}
{% endfor %}
{% endblock %}
"""
STYLES = ("persona", "numbered", "bilingual", "team")
POST_DATE = datetime(2026, 5, 5, 10, 0, tzinfo=UTC)


def _post(renderer: Renderer, doc: ArticleDocument) -> BlogPost:
    article = Article(
        space="s",
        number=1,
        title=doc.title,
        lead=doc.lead,
        closing=doc.closing,
        min_score=1,
        max_reactions=30,
        created_by="u",
        created_at=POST_DATE,
        updated_at=POST_DATE,
    )
    return blog_post("s", article, doc, renderer, POST_DATE)


FORMATS: dict[str, Callable[[Renderer, ArticleDocument], str]] = {
    "chat.txt": lambda r, d: "\n-----\n".join(r.chat_parts(d, 700)) + "\n",
    "md": lambda r, d: r.markdown(d),
    "html": lambda r, d: r.blog_html(d),
    # What the blogs receive: the AtomPub entry (Hatena, livedoor) and WordPress's JSON body.
    "atom.xml": lambda r, d: entry_xml(
        _post(r, d), draft=True, categories=["海外の反応"], author="hanno_team"
    ).decode(),
    "wordpress.json": lambda r, d: (
        json.dumps(post_body(_post(r, d), status="draft"), ensure_ascii=False, indent=1) + "\n"
    ),
}


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    folder = tmp_path_factory.mktemp("team")
    (folder / "team.j2").write_text(TEAM_STYLE, encoding="utf-8")
    return Renderer(templates={"team": folder / "team.j2"})


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("HANNO_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("style", STYLES)
def test_style_renders_like_its_golden_file(renderer: Renderer, style: str, fmt: str) -> None:
    _check(f"{style}.{fmt}", FORMATS[fmt](renderer, miniature_railway_document(style)))


@pytest.mark.parametrize("fmt", ["chat.txt", "html"])
@pytest.mark.parametrize("style", STYLES)
def test_style_on_the_reference_layouts_article(renderer: Renderer, style: str, fmt: str) -> None:
    """The render tests' own article (laid out as the reference is) in every style."""
    doc = robot_ramen_document().model_copy(update={"style": style})
    _check(f"ramen.{style}.{fmt}", FORMATS[fmt](renderer, doc))


def test_numbered_header_names_the_country_in_japanese(renderer: Renderer) -> None:
    text = renderer.text(miniature_railway_document("numbered"))
    assert "1. 海外の名無しさん 🇩🇪ドイツ\n線路の勾配" in text
    assert "2. 海外の名無しさん 🇧🇷ブラジル 🇵🇹ポルトガル\n" in text
    assert "\n3. 海外の名無しさん\n" in text  # no country given: no flag, no name


def test_anonymous_name_and_country_language_are_configurable() -> None:
    options = RenderOptions(anonymous_name="名無しの外国人", country_language="en")
    text = Renderer(options=options).text(miniature_railway_document("numbered"))
    assert "1. 名無しの外国人 🇩🇪Germany\n" in text


def test_bilingual_puts_the_original_under_each_translation(renderer: Renderer) -> None:
    html = renderer.blog_html(miniature_railway_document("bilingual"))
    assert (
        '<p class="hanno-reaction">👩🏽‍🏫🇧🇷🇵🇹 うちの生徒たちにもこの動画を見せたい!</p>\n'
        '<p class="hanno-original"><small>Quero mostrar este vídeo aos meus alunos!</small></p>'
    ) in html


def test_sources_become_embeds(renderer: Renderer) -> None:
    html = renderer.blog_html(miniature_railway_document())
    assert (
        '<blockquote class="twitter-tweet"><p>裏庭の鉄道、今日で開業一周年です🚂<br>'
        "乗ってくれた子どもたちは延べ800人!</p>&mdash; 白兎ミニ鉄道 (@hakuto_line) "
        '<a href="https://twitter.com/hakuto_line/status/1890011223344556677">May 5, 2026</a>'
        "</blockquote>\n"
    ) in html
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "<script" not in html  # no script the team did not configure
    assert '<blockquote class="hanno-source"><p>「子どもの笑顔が一番の運賃」' in html


def test_twitter_script_only_when_configured() -> None:
    html = Renderer(options=RenderOptions(twitter_script=True)).blog_html(
        miniature_railway_document()
    )
    assert html.count('<script async src="https://platform.twitter.com/widgets.js"') == 1


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


@pytest.mark.parametrize("style", STYLES)
def test_no_markup_from_comment_text_survives(renderer: Renderer, style: str) -> None:
    doc: ArticleDocument = miniature_railway_document(style)
    parser = _Markup()
    parser.feed(renderer.blog_html(doc))
    assert parser.tags <= {"p", "h2", "blockquote", "br", "a", "div", "iframe", "small"}
    assert '<script>alert("発車")</script>' in parser.text  # shown as the words it is
    assert "(javascript:void(0))" in parser.text


MIXED_STYLE = """\
{% for reaction in doc.reactions %}
{{ reaction | reaction(original=reaction.original if loop.index == 2 else "") }}
{% if loop.index == 2 %}
<編集部より>
{% endif %}
{% endfor %}
{{ doc.reactions[0] | reaction }}
"""


def test_one_line_reactions_around_taller_ones_and_a_templates_own_text(
    tmp_path: Path,
) -> None:
    """Reactions of one line are written together; a reaction with its original, a line of
    the template's own and a reaction printed again break that row where they stand."""
    path = tmp_path / "mixed.j2"
    path.write_text(MIXED_STYLE, encoding="utf-8")
    doc = miniature_railway_document("mixed")
    renderer = Renderer(templates={"mixed": path})
    first, second, third = (f"{r.persona}{r.flags} {r.text}" for r in doc.reactions[:3])
    assert renderer.text(doc).startswith(
        f"{doc.title}\n\n{first}\n\n{second}\n» {doc.reactions[1].original}\n<編集部より>\n"
        f"{third}\n\n"
    )
    assert renderer.text(doc).endswith(f"\n\n{first}\n")
    html = renderer.blog_html(doc)
    assert html.startswith(
        f'<p class="hanno-reaction">{first}</p>\n<p class="hanno-reaction">{second}</p>\n'
        f'<p class="hanno-original"><small>{doc.reactions[1].original}</small></p>\n'
        "<p>&lt;編集部より&gt;</p>\n"
    )
    assert html.endswith(f'<p class="hanno-reaction">{first}</p>\n')
    assert renderer.markdown(doc).endswith(f"\n\n{first.replace('!', chr(92) + '!')}\n")


CREDITS = "翻訳: 美咲、<b>Kenji</b> / コメント選定: @everyone *sam*"


@pytest.mark.parametrize("style", STYLES)
def test_credits_line_ends_the_article_in_every_format(renderer: Renderer, style: str) -> None:
    doc = miniature_railway_document(style)
    assert renderer.plain(doc).endswith("次の延伸計画にも期待しましょう。\n" + CREDITS + "\n")
    assert renderer.markdown(doc).endswith(
        "\n\n翻訳\\: 美咲、\\<b\\>Kenji\\</b\\> / コメント選定\\: \\@everyone \\*sam\\*\n"
    )
    assert renderer.blog_html(doc).endswith(
        '<p class="hanno-credits">翻訳: 美咲、&lt;b&gt;Kenji&lt;/b&gt; / '
        "コメント選定: @everyone *sam*</p>\n"
    )


def test_an_article_without_credits_has_no_credits_line(renderer: Renderer) -> None:
    doc = miniature_railway_document().model_copy(update={"credits": ""})
    assert "hanno-credits" not in renderer.blog_html(doc)
    assert renderer.plain(doc).endswith("次の延伸計画にも期待しましょう。\n")


def test_a_team_template_places_the_credits_where_it_likes(tmp_path: Path) -> None:
    (tmp_path / "top.j2").write_text(
        "{{ doc.credits | credits }}\n{{ doc.heading | heading }}\n", encoding="utf-8"
    )
    renderer = Renderer(templates={"top": tmp_path / "top.j2"})
    doc = miniature_railway_document("top")
    assert renderer.plain(doc).endswith(f"\n\n{CREDITS}\n海外の反応\n")
    assert renderer.blog_html(doc).startswith('<p class="hanno-credits">')
