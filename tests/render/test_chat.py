"""Chat parts: every part fits the limit, nothing is lost or reordered, no emoji is cut."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.models import ArticleDocument, Reaction, flag_for
from bot.render import Renderer, split_for_chat
from bot.render.chat import (
    _LEVELS,
    Units,
    _pack,
    _pack_lines_by_length,
    _trim_blank_lines,
    split_text,
    split_units,
)
from bot.render.writers import text_units

EMOJI = [
    "👨🏻‍💼",
    "👩🏻‍✈️",
    "🧑🏻‍💻",
    "👨‍👩‍👧‍👦",
    "👩🏻‍❤️‍💋‍👨🏼",  # ten code points: the longest cluster we generate
    "🏳️‍🌈",
    "🇰🇷",  # next to 🇺🇸 it makes a two-country badge like 🇰🇷🇺🇸
    "🇺🇸",
    "🇯🇵",
    "1️⃣",
    "#️⃣",
    "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "👍🏿",
    "❤️",
    "🍜",
]
JAPANESE = ["ラーメン", "ロボット", "湯ノ沢町", "美味しい", "。", "、", "!", "?", "が\u3099", "ｶﾞ"]
WORDS = ["robot", "ramen", "shop", "e\u0301", "viral", "x" * 25]
MULTI_CODE_POINT = ("が\u3099", "ｶﾞ", "e\u0301")
SPACES = [" ", "  ", "\u3000", "\n", "\n\n", " \n "]


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _assert_pieces_of(text: str, parts: list[str], cuts_allowed: set[int]) -> None:
    """Each part is a slice of `text`, in order, with only whitespace between and around them,
    starting and ending at an allowed cut."""
    pos = 0
    for part in parts:
        assert part.strip(), parts
        first = pos
        while first < len(text) and text[first].isspace():
            first += 1
        start = first - (len(part) - len(part.lstrip()))
        assert start >= pos, (part, text)
        assert text.startswith(part, start), (part, text)
        end = start + len(part)
        assert start in cuts_allowed and end in cuts_allowed, (part, text)
        pos = end
    assert not text[pos:].strip()


@st.composite
def mixed_texts(draw: st.DrawFn, spaces: bool = True) -> tuple[str, set[int]]:
    """A text of emoji, Japanese, words and whitespace, with the offsets where a cut is safe."""
    alphabet = EMOJI + JAPANESE + WORDS + (SPACES if spaces else [])
    tokens = draw(st.lists(st.sampled_from(alphabet), min_size=0 if spaces else 10, max_size=80))
    text = ""
    safe = {0}
    for token in tokens:
        # Inside a token only the edges are safe cuts, unless it is made of one-code-point
        # clusters (plain words, kana and kanji, spaces).
        if token in JAPANESE + WORDS + SPACES and token not in MULTI_CODE_POINT:
            safe.update(range(len(text), len(text) + len(token)))
        text += token
        safe.add(len(text))
    return text, safe


@settings(max_examples=400, deadline=None)
@given(mixed_texts(), st.integers(min_value=10, max_value=120))
def test_parts_fit_keep_everything_and_never_cut_a_cluster(
    sample: tuple[str, set[int]], limit: int
) -> None:
    text, safe_cuts = sample
    parts = split_for_chat(text, limit)
    assert all(0 < len(part) <= limit for part in parts)
    _assert_pieces_of(text, parts, safe_cuts)


@settings(max_examples=300, deadline=None)
@given(mixed_texts(spaces=False), st.integers(min_value=10, max_value=60))
def test_paragraph_without_spaces_is_cut_between_clusters(
    sample: tuple[str, set[int]], limit: int
) -> None:
    text, safe_cuts = sample
    parts = split_for_chat(text, limit)
    assert all(0 < len(part) <= limit for part in parts)
    assert "".join(parts) == text  # no whitespace to drop: nothing at all is lost
    _assert_pieces_of(text, parts, safe_cuts)


@settings(max_examples=150, deadline=None)
@given(mixed_texts(), st.integers(min_value=16, max_value=120))  # our longest cluster: 15 units
def test_measure_counts_the_platform_way(sample: tuple[str, set[int]], limit: int) -> None:
    text, safe_cuts = sample
    parts = split_for_chat(text, limit, measure=_utf16)
    assert all(0 < _utf16(part) <= limit for part in parts)
    _assert_pieces_of(text, parts, safe_cuts)


def test_short_text_is_one_part() -> None:
    assert split_for_chat("一行目\n二行目", 2000) == ["一行目\n二行目"]


def test_empty_or_blank_text_gives_no_parts() -> None:
    assert split_for_chat("", 10) == []
    assert split_for_chat("\n  \n\u3000\n", 10) == []


def test_parts_end_at_line_breaks_when_lines_fit() -> None:
    text = "\n".join(f"{n}行目のコメントです。" for n in range(1, 10))
    parts = split_for_chat(text, 30)
    assert parts == [
        "1行目のコメントです。\n2行目のコメントです。",
        "3行目のコメントです。\n4行目のコメントです。",
        "5行目のコメントです。\n6行目のコメントです。",
        "7行目のコメントです。\n8行目のコメントです。",
        "9行目のコメントです。",
    ]


def test_long_line_is_cut_at_spaces() -> None:
    assert split_for_chat("the robot ramen shop went viral", 12) == [
        "the robot",
        "ramen shop",
        "went viral",
    ]


def test_japanese_line_is_cut_after_sentences_then_between_clusters() -> None:
    text = "ロボットが麺を茹でる。店主は味見をする。👨🏻‍🍳👩🏻‍🍳🧑🏻‍🍳👨🏻‍🍳"
    parts = split_for_chat(text, 12)
    assert parts == [
        "ロボットが麺を茹でる。",
        "店主は味見をする。",
        "👨🏻\u200d🍳👩🏻\u200d🍳🧑🏻\u200d🍳",
        "👨🏻\u200d🍳",
    ]


def test_flags_stay_paired_when_cut() -> None:
    parts = split_for_chat("🇰🇷🇺🇸🇯🇵🇫🇮🇬🇧", 5)
    assert parts == ["🇰🇷🇺🇸", "🇯🇵🇫🇮", "🇬🇧"]


def test_cluster_longer_than_the_limit_is_cut_as_a_last_resort() -> None:
    zalgo = "e" + "\u0301" * 15
    parts = split_for_chat(zalgo, 10)
    assert all(len(part) <= 10 for part in parts)
    assert "".join(parts) == zalgo


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        split_for_chat("text", 0)


def test_slack_style_measure_counts_escaped_length() -> None:
    def escaped(text: str) -> int:
        return len(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))

    parts = split_for_chat("<<<< >>>> &&&", 16, measure=escaped)
    assert parts == ["<<<<", ">>>>", "&&&"]


def test_article_parts_rejoin_to_the_plain_text(document: ArticleDocument) -> None:
    renderer = Renderer()
    plain = renderer.plain(document)
    assert renderer.chat_parts(document, 2000) == [plain.rstrip("\n")]
    parts = renderer.chat_parts(document, 150)
    assert len(parts) > 3
    assert all(len(part) <= 150 for part in parts)
    # every line fits: cuts only at breaks, and only a blank line at a cut is left out
    rejoined = "\n".join(parts)
    assert rejoined.replace("\n\n", "\n") == plain.rstrip("\n").replace("\n\n", "\n")
    assert rejoined.count("\n\n") >= plain.count("\n\n") - len(parts) + 1
    assert parts[0].startswith("湯ノ沢町のロボットラーメン店に世界が注目\n\n山あいの小さな町")


# Many short lines, blank ones and edges of whitespace: the shape the `len` fast path packs.
LINE_TOKENS = EMOJI + JAPANESE + WORDS + SPACES + ["\n", "\n\n", "\u3000\n", "\n "]
line_texts = st.lists(st.sampled_from(LINE_TOKENS), max_size=120).map("".join)


@settings(max_examples=500, deadline=None)
@given(line_texts, st.integers(min_value=1, max_value=60))
def test_len_fast_path_packs_exactly_like_the_general_path(text: str, limit: int) -> None:
    """`measure=len` packs lines by `rfind`; any other measure takes `_pack`: same parts."""
    pieces = _pack_lines_by_length(text, limit)
    if max(len(line) for line in text.split("\n")) > limit:
        assert pieces is None
    else:
        assert pieces == _pack(_LEVELS, text, limit, len)
    assert split_for_chat(text, limit) == split_for_chat(text, limit, lambda part: len(part))


@settings(max_examples=300, deadline=None)
@given(line_texts)
def test_trimming_blank_edge_lines_matches_its_definition(part: str) -> None:
    lines = part.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    assert _trim_blank_lines(part) == "\n".join(lines)


# Articles: cut between whole reactions --------------------------------------------------------

HEADER = "1. 海外の名無しさん 🇩🇪ドイツ"


def _numbered(count: int, text: str, original: str = "") -> ArticleDocument:
    reactions = tuple(
        Reaction(
            persona="",
            flags=flag_for("DE"),
            countries=("DE",),
            text=f"{number}番目。{text}",
            original=original,
            comment_number=number,
        )
        for number in range(1, count + 1)
    )
    return ArticleDocument(
        title="見出し",
        lead="導入",
        closing="結び",
        sources=(),
        reactions=reactions,
        style="numbered",
    )


def _headers(doc: ArticleDocument) -> set[str]:
    return {line for line in Renderer().plain(doc).split("\n") if "海外の名無しさん" in line}


@pytest.mark.parametrize("limit", range(60, 400, 7))
def test_article_parts_never_end_with_a_reaction_header(limit: int) -> None:
    doc = _numbered(12, "線路の勾配まで本物と同じ計算をしている。", original="Like a real line.")
    renderer = Renderer()
    parts = renderer.chat_parts(doc, limit)
    headers = _headers(doc)
    assert all(len(part) <= limit for part in parts)
    assert not [part for part in parts if part.split("\n")[-1] in headers], parts
    # cuts fall only at line breaks here: only line breaks and blank lines are left out
    rejoined = "\n".join(parts).replace("\n\n", "\n")
    assert rejoined == renderer.plain(doc).rstrip("\n").replace("\n\n", "\n")


def test_a_reactions_original_stays_with_its_translation() -> None:
    doc = _numbered(9, "湯切りの動きが滑らかすぎる。", original="The way it drains is so smooth.")
    doc = doc.model_copy(update={"style": "bilingual"})
    parts = Renderer().chat_parts(doc, 150)
    assert len(parts) > 3
    for part in parts:
        lines = part.split("\n")
        assert not lines[0].startswith("» ") and "番目" not in lines[-1], parts


def test_reaction_longer_than_the_limit_keeps_its_header_with_its_start() -> None:
    long_text = "湯切りの動きが滑らかすぎる。" * 12  # 168 characters, no spaces
    doc = _numbered(3, long_text)
    parts = Renderer().chat_parts(doc, 100)
    headers = _headers(doc)
    assert all(len(part) <= 100 for part in parts)
    assert not [part for part in parts if part.split("\n")[-1] in headers], parts
    assert "".join("".join(parts).split()) == "".join(Renderer().plain(doc).split())
    # cut after a sentence, never inside one
    assert all(part.endswith(("。", "結び")) for part in parts[1:]), parts


@pytest.mark.parametrize("style", ["persona", "numbered", "bilingual"])
def test_text_units_join_to_the_text(style: str, document: ArticleDocument) -> None:
    doc = document.model_copy(update={"style": style})
    renderer = Renderer()
    units = text_units(renderer._segments(doc), doc.title)
    assert "\n".join(units) == renderer.text(doc)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS + JAPANESE + EMOJI), max_size=30), max_size=12),
    st.integers(min_value=20, max_value=120),
)
def test_units_are_cut_into_slices_that_fit(words: list[list[str]], limit: int) -> None:
    units = [" ".join(unit[:3]) + "\n" + " ".join(unit[3:]) for unit in words]
    text = "\n".join(units)
    parts = split_units(units, limit)
    assert all(0 < len(part) <= limit for part in parts)
    safe = {i for i, ch in enumerate(text) if ch in " \n"} | {i + 1 for i, ch in enumerate(text)}
    _assert_pieces_of(text, parts, safe | {0, len(text)})


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(WORDS + JAPANESE + EMOJI), min_size=1, max_size=30), max_size=12
    ),
    st.integers(min_value=20, max_value=120),
)
def test_no_part_ends_with_a_units_first_line(words: list[list[str]], limit: int) -> None:
    """Whatever the length of what follows it, a unit's header shares a part with it."""
    units = [f"§{index}\n" + " ".join(unit) for index, unit in enumerate(words)]
    parts = split_units(units, limit)
    assert not [part for part in parts if part.split("\n")[-1].startswith("§")], parts


@pytest.mark.parametrize("limit", [60, 150, 400])
def test_cutting_a_part_again_cuts_between_its_reactions(limit: int) -> None:
    """A platform showing a message in smaller pieces (Slack's sections) cuts it as the
    article was cut: `split_text` of a part never ends a piece with a header."""
    doc = _numbered(12, "線路の勾配まで本物と同じ計算をしている。", original="Like a real line.")
    headers = _headers(doc)
    for part in Renderer().chat_parts(doc, limit * 3):
        assert isinstance(part, Units) and "\n".join(part.units) == part
        pieces = split_text(part, limit)
        assert not [piece for piece in pieces if piece.split("\n")[-1] in headers], pieces
    text = Renderer().text(doc)
    assert split_text(text, limit) == split_units(text.units, limit)
