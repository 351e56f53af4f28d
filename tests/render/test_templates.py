"""A team's own text template: used when configured, and refused clearly when broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import InvalidInput
from bot.core.models import ArticleDocument
from bot.render import Renderer

CUSTOM = """\
【{{ doc.title }}】
{% for source in doc.sources %}
{{ source | attribution }} {{ source.url }}
{% endfor %}
■ {{ doc.heading }}
{% for reaction in doc.reactions %}
{{ loop.index }}. {{ reaction.flags }}{{ reaction.persona }}:{{ reaction.text | oneline }}
{% endfor %}
{% include "footer.txt.j2" %}
"""


def test_custom_template_replaces_the_layout(tmp_path: Path, document: ArticleDocument) -> None:
    (tmp_path / "mine.txt.j2").write_text(CUSTOM, encoding="utf-8")
    (tmp_path / "footer.txt.j2").write_text("— 編集部 —\n", encoding="utf-8")
    renderer = Renderer(template_path=tmp_path / "mine.txt.j2")
    # the text starts with the title, like the Markdown (a layout that shows it again may)
    title, blank, *lines = renderer.text(document).splitlines()
    assert (title, blank) == ("湯ノ沢町のロボットラーメン店に世界が注目", "")
    assert lines[:4] == [
        "【湯ノ沢町のロボットラーメン店に世界が注目】",
        "— 湯ノ沢グルメ通信 (@yunosawa_eats) March 3, 2026 "
        "https://example.com/yunosawa_eats/status/1001",
        "— Noodle Dad (@noodle_dad) March 4, 2026 https://example.com/noodle_dad/status/2002",
        "■ 海外の反応",
    ]
    assert (
        lines[6]
        == "3. 🇰🇷🇺🇸🧑🏻‍💻:ロボットアームの制御コードを見てみたい。湯切りの動きが滑らかすぎる。"
    )
    assert lines[-1] == "— 編集部 —"
    # The team's layout is the article's in every format: each line of it a paragraph there.
    assert renderer.markdown(document).startswith(
        "# 湯ノ沢町のロボットラーメン店に世界が注目\n\n【湯ノ沢町のロボットラーメン店に世界が注目】\n\n"
    )
    assert "<p>■ 海外の反応</p>\n" in renderer.html(document)
    assert renderer.chat_parts(document, 4000) == [renderer.plain(document).rstrip("\n")]


def test_missing_template_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt.j2"
    with pytest.raises(InvalidInput) as caught:
        Renderer(template_path=path)
    assert caught.value.field == "template"
    assert caught.value.message == f"Template {path} could not be loaded: there is no such file."


def test_directory_is_not_a_template(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="could not be loaded: there is no such file"):
        Renderer(template_path=tmp_path)


def test_template_with_a_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt.j2"
    path.write_text("{{ doc.title }}\n{% for reaction in doc.reactions %}\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        Renderer(template_path=path)
    message = caught.value.message
    assert message.startswith(f"Template {path} could not be loaded: line ")
    assert "endfor" in message


def test_template_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt.j2"
    path.write_bytes("{{ doc.title }} — ".encode("cp1252") + b"\xff\xfe")
    with pytest.raises(InvalidInput, match=r"could not be loaded: it is not UTF-8 text\."):
        Renderer(template_path=path)


def test_template_failing_while_rendering_is_a_clear_error(
    tmp_path: Path, document: ArticleDocument
) -> None:
    path = tmp_path / "typo.txt.j2"
    path.write_text("{{ doc.titel }}\n", encoding="utf-8")
    renderer = Renderer(template_path=path)  # loads fine: the typo shows only with an article
    with pytest.raises(InvalidInput) as caught:
        renderer.text(document)
    assert caught.value.message.startswith(f"Template {path} could not render the article: ")
    assert "titel" in caught.value.message


def test_template_arithmetic_error_is_reported_as_the_template_s_fault(
    tmp_path: Path, document: ArticleDocument
) -> None:
    path = tmp_path / "divide.txt.j2"
    path.write_text("{{ doc.reactions | length / 0 }}\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="could not render the article: division by zero"):
        Renderer(template_path=path).text(document)
