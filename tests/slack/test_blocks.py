"""Block Kit rendering: mentions made inert, Slack's size limits kept, emoji never cut."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.models import Article, ArticleState, Comment
from bot.slack import blocks as ui
from bot.slack.notifier import Channels, PublishPoster, SlackNotifier
from tests.fakes.slack_fake import SlackFake, block_texts
from tests.slack.conftest import TOKEN

NOW = datetime(2026, 3, 3, tzinfo=UTC)


def comment(text: str, **extra: object) -> Comment:
    return Comment(
        space="T1",
        number=7,
        article_number=1,
        text=text,
        persona="👩🏻‍✈️",
        countries=("KR", "US"),
        submitted_by="UANN",
        submitted_by_name="ann <!here>",
        submitted_at=NOW,
        **extra,
    )


def article(state: ArticleState = ArticleState.COLLECTING) -> Article:
    return Article(
        space="T1",
        number=1,
        title="T <@U1>",
        state=state,
        min_score=1,
        max_reactions=5,
        created_by="UMOD",
        created_at=NOW,
        updated_at=NOW,
    )


def test_every_kind_of_mention_is_made_inert() -> None:
    text = "<!everyone> <!channel> <!here> <@U123> <@W9|bob> <!subteam^S1|@mods> @here @channel"
    out = ui.inert(text)
    assert "<" not in out and ">" not in out
    assert "@here" not in out and "@channel" not in out
    assert "&lt;!everyone&gt;" in out and "&lt;!subteam^S1|@mods&gt;" in out


def test_inert_fallback_is_not_escaped_twice() -> None:
    once = ui.inert("fish & chips <3")
    assert ui.fallback(once) == once == "fish &amp; chips &lt;3"


def test_comment_card_escapes_user_text_and_has_vote_buttons() -> None:
    blocks = ui.comment_card(comment("hi <!channel>", up=3, down=1), article())
    shown = block_texts(blocks)
    assert "<!" not in shown and "&lt;!channel&gt;" in shown and "&lt;!here&gt;" in shown
    assert "👩🏻‍✈️🇰🇷🇺🇸" in shown and "Score +2" in shown
    actions = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert actions == [ui.VOTE_UP, ui.VOTE_DOWN, ui.VOTE_CLEAR]


def test_a_huge_comment_still_fits_one_section() -> None:
    blocks = ui.comment_card(comment("<" * 4000), article())
    assert all(len(b["text"]["text"]) <= ui.SECTION_LIMIT for b in blocks if b["type"] == "section")


def test_sections_respect_3000_characters_after_escaping_and_keep_emoji_whole() -> None:
    persona = "👨🏻‍💼🇫🇮"
    text = "\n".join(f"{persona} comment {i} <&> " + "あ" * 300 for i in range(60))
    sections = ui.text_sections(text)
    assert len(sections) > 1
    joined = ""
    for block in sections:
        body = block["text"]["text"]
        assert len(body) <= ui.SECTION_LIMIT
        assert body.startswith(persona)  # cut at a line start, never inside an emoji
        joined += body
    assert joined.count("&lt;&amp;&gt;") == 60
    assert joined.count(persona) == 60


def test_one_line_without_spaces_is_cut_between_clusters() -> None:
    text = "🇰🇷" * 2000  # 4,000 code points, no break opportunities but clusters
    for block in ui.text_sections(text):
        body = block["text"]["text"]
        assert len(body) <= ui.SECTION_LIMIT and len(body) % 2 == 0


def test_messages_hold_at_most_50_blocks_in_order() -> None:
    blocks = [ui.section(str(i)) for i in range(120)]
    messages = ui.messages_of(blocks)
    assert [len(m) for m in messages] == [50, 50, 20]
    assert [b["text"]["text"] for m in messages for b in m] == [str(i) for i in range(120)]


def test_review_message_is_capped_at_50_blocks() -> None:
    preview = "\n\n".join("段落" * 1400 for _ in range(80))
    blocks = ui.review_message(
        article(ArticleState.REVIEW), preview, "status", open_for_review=True
    )
    assert len(blocks) <= ui.BLOCKS_PER_MESSAGE
    assert blocks[-1]["type"] == "actions"


async def test_publish_poster_splits_a_long_part_into_ordered_messages() -> None:
    async with SlackFake(tokens={TOKEN}) as fake:
        from bot.slack.app import make_client

        notifier = SlackNotifier(make_client(TOKEN, fake.api_url), Channels("V", "R", "P"))
        poster = PublishPoster(notifier, "CPUB", limit=500_000)
        text = "\n".join(f"{i:04d} " + "x" * 2990 for i in range(120))
        ids = (await poster.post(0, text)).split(",")
        messages = fake.channel_messages("CPUB")
        assert len(ids) == len(messages) == 3
        numbers = [int(b["text"]["text"][:4]) for m in messages for b in m["blocks"]]
        assert numbers == list(range(120))
        assert all(len(m["blocks"]) <= 50 for m in messages)
        assert all(len(m["text"]) <= ui.FALLBACK_LIMIT for m in messages)


def test_excerpts_never_split_an_entity_or_an_emoji() -> None:
    text = "&" * 700 + "👩🏻‍✈️" * 800
    out = ui.inert_excerpt(text, 1000)
    assert len(out) <= 1000 and out.endswith("…")
    assert out[:-1].replace("&amp;", "").replace("👩🏻‍✈️", "") == ""
    cut = ui.plain("🇰🇷" * 100, 75)["text"]
    assert len(cut) <= 75 and cut[:-1] == "🇰🇷" * ((len(cut) - 1) // 2)


def test_a_card_for_a_long_comment_full_of_markup_stays_within_a_section() -> None:
    blocks = ui.comment_card(comment("<@U1> & " * 1000), article())
    body = blocks[0]["text"]["text"]
    assert len(body) <= ui.SECTION_LIMIT and body.endswith("…")
    assert "<" not in body and not body.rstrip("…").endswith(("&", "&a", "&am", "&l", "&lt"))
