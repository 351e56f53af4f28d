"""The text layout: the reference article's shape, with our own fictional content."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.models import ArticleDocument, Reaction, Source
from bot.render import Renderer
from bot.render.article import reaction_line, reaction_markdown
from bot.render.escape import markdown_text, single_line
from tests.render.conftest import PERSONAS

GOLDEN = Path(__file__).with_name("golden") / "article.txt"


def test_default_template_reproduces_the_reference_layout(document: ArticleDocument) -> None:
    assert Renderer().text(document) == GOLDEN.read_text(encoding="utf-8")


def test_title_first_and_reactions_set_apart_by_blank_lines(document: ArticleDocument) -> None:
    lines = Renderer().text(document).split("\n")
    assert lines[-1] == ""  # the text ends with one line break, like a text file
    assert lines[:2] == ["湯ノ沢町のロボットラーメン店に世界が注目", ""]
    heading = lines.index("海外の反応")
    closer = lines.index("コメントは以上になります。")
    # no blank line in the lead, the sources or the closing, as in the reference …
    assert "" not in lines[2:heading] and "" not in lines[closer:-1]
    assert lines[heading - 2] == "— Noodle Dad (@noodle_dad) March 4, 2026"
    assert lines[heading - 1] == "https://example.com/noodle_dad/status/2002"
    # … and one between each two reactions, as blog posts show them
    block = lines[heading + 1 : closer]
    assert block[1::2] == [""] * (len(document.reactions) - 1)
    assert len(block[::2]) == len(document.reactions) and "" not in block[::2]
    assert block[4].startswith("🧑🏻\u200d💻🇰🇷🇺🇸 ロボットアーム")


def test_zwj_sequences_survive_in_every_output(document: ArticleDocument) -> None:
    renderer = Renderer()
    outputs = {
        "text": renderer.text(document),
        "plain": renderer.plain(document),
        "markdown": renderer.markdown(document),
        "html": renderer.html(document),
        "chat": "\n".join(renderer.chat_parts(document, 120)),
    }
    for name, output in outputs.items():
        for persona in PERSONAS:
            assert persona in output, (name, persona)
        assert "🇰🇷🇺🇸" in output, name


def test_missing_source_parts_are_left_out() -> None:
    sources = (
        Source(position=1, url="https://example.com/a", text="一行目", handle="only_handle"),
        Source(position=2, url="", text="日付だけ", date="May 1, 2026"),
        Source(position=3, url="https://example.com/c", author="Author Only"),
        Source(position=4, url=" "),
    )
    doc = ArticleDocument(title="t", lead="導入", closing="結び", sources=sources, reactions=())
    assert Renderer().text(doc) == (
        "t\n\n導入\n"
        "一行目\n— @only_handle\nhttps://example.com/a\n"
        "日付だけ\n— May 1, 2026\n"
        "— Author Only\nhttps://example.com/c\n"
        "海外の反応\nコメントは以上になります。\n結び\n"
    )


def test_reaction_without_persona_or_flags_has_no_leading_space() -> None:
    reactions = (
        Reaction(persona="", flags="", text="顔なし", comment_number=1),
        Reaction(persona="", flags="🇯🇵", text="旗だけ", comment_number=2),
        Reaction(persona="👩🏻‍🔬", flags="", text="複数行の\n翻訳", comment_number=3),
    )
    doc = ArticleDocument(title="", lead="", closing="", sources=(), reactions=reactions)
    assert Renderer().text(doc) == (
        "海外の反応\n顔なし\n\n🇯🇵 旗だけ\n\n👩🏻‍🔬 複数行の 翻訳\nコメントは以上になります。\n"
    )


def test_blank_lines_in_lead_and_closing_collapse_to_single_breaks() -> None:
    doc = ArticleDocument(
        title="t",
        lead="一段落目\r\n\r\n  二段落目  \n\n",
        closing="\n最後の段落\n",
        sources=(),
        reactions=(),
        heading="海外の声",
        closer="以上です。",
    )
    assert Renderer().text(doc) == "t\n\n一段落目\n二段落目\n海外の声\n以上です。\n最後の段落\n"


def test_plain_removes_control_and_bidi_characters_but_keeps_emoji() -> None:
    reaction = Reaction(
        persona="🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
        flags="",
        text="ベル\x07と\u202e逆向き\u202cと1️⃣",
        comment_number=1,
    )
    doc = ArticleDocument(title="t", lead="", closing="", sources=(), reactions=(reaction,))
    renderer = Renderer()
    assert "\x07" in renderer.text(doc)
    plain = renderer.plain(doc)
    assert "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f ベルと逆向きと1️⃣" in plain
    assert "\x07" not in plain and "\u202e" not in plain


# Every line break `str.splitlines` knows, other unprintable characters (joiner, controls, bidi,
# ideographic space) that send the `isprintable` fast path to the regex, and printable ones.
TRICKY = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029\u200d\u3000\t\x07\u202e\ufe0f a!あ👩"
tricky_texts = st.one_of(st.text(alphabet=TRICKY, max_size=12), st.text(max_size=12))


def _reference_single_line(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


@settings(max_examples=500, deadline=None)
@given(tricky_texts)
def test_single_line_fast_path_matches_splitlines(text: str) -> None:
    assert single_line(text) == _reference_single_line(text)


@settings(max_examples=300, deadline=None)
@given(tricky_texts, tricky_texts, tricky_texts)
def test_reaction_line_matches_its_definition(persona: str, flags: str, text: str) -> None:
    reaction = Reaction(persona=persona, flags=flags, text=text, comment_number=1)
    badge, words = _reference_single_line(persona + flags), _reference_single_line(text)
    expected = f"{badge} {words}" if badge and words else badge or words
    assert reaction_line(reaction) == expected
    assert reaction_markdown(reaction) == markdown_text(expected)
