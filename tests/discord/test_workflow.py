"""A whole article through Discord: slash commands, cards, buttons, modals, DMs, review,
publication — hanno's real bot against the fake Discord, on a real SQLite file."""

from __future__ import annotations

import logging
import re

from bot.discord.identity import system_actor
from tests.discord.conftest import Team
from tests.fakes.discord_fake import DiscordFake, custom_ids, message_text


async def test_article_from_creation_to_publication(fake: DiscordFake, team: Team, start) -> None:
    running = await start()
    assert {c["name"] for c in fake.commands[fake.guild_id]} >= {
        "article",
        "comment",
        "vote",
        "translate",
        "draft",
        "publish",
        "Submit as reaction",
    }

    reply = await (await fake.slash(team.mod, "article", "new", title="Snow festival")).reply()
    assert "Article #1 created" in reply["content"] and reply["flags"] & 64
    await running.settle()
    article_card = fake.latest("voting")
    assert "Article #1" in message_text(article_card)
    assert custom_ids(article_card) == ["hanno:submit:1", "hanno:import:1"]

    await (
        await fake.slash(
            team.mod, "article", "set", article=1, field="lead", text="雪まつりが始まりました。"
        )
    ).reply()
    await (
        await fake.slash(
            team.mod,
            "article",
            "source",
            article=1,
            url="https://example.com/post/1",
            text="The snow festival opens",
            author="Snow News",
            handle="@snownews",
            date="February 4, 2026",
        )
    ).reply()

    # A comment through the slash command, one through the button + modal.
    await (
        await fake.slash(
            team.alice,
            "comment",
            "add",
            article=1,
            text="Those ice sculptures look unreal.",
            country="FI",
        )
    ).reply()
    opener = await fake.click(team.bob, article_card["id"], "hanno:submit:1")
    added = await fake.answer_modal(
        opener, {"text": "I want to go there next winter!", "country": "US", "persona": "👴🏼"}
    )
    assert "Comment #2 added" in (await added.reply())["content"]
    await running.settle()
    cards = {m["id"]: m for m in fake.channel_messages("voting") if "Comment #" in message_text(m)}
    assert len(cards) == 2
    card1 = next(m for m in cards.values() if "Comment #1" in message_text(m))
    card2 = next(m for m in cards.values() if "Comment #2" in message_text(m))
    assert "🇫🇮" in message_text(card1) and "👴🏼🇺🇸" in message_text(card2)
    assert custom_ids(card1) == ["hanno:vote:1:up", "hanno:vote:1:down", "hanno:vote:1:clear"]

    # Votes on the cards.
    for voter in (team.bob, team.mod, team.translator):
        answer = await (await fake.click(voter, card1["id"], "hanno:vote:1:up")).reply()
        assert answer["flags"] & 64
    await (await fake.click(team.alice, card2["id"], "hanno:vote:2:up")).reply()
    await running.settle()
    assert "+3 (▲ 3 ▼ 0)" in message_text(fake.messages[card1["id"]])
    assert "+1 (▲ 1 ▼ 0)" in message_text(fake.messages[card2["id"]])

    # Close: both selected (min_score 1); cards now offer translation work.
    closed = await (await fake.slash(team.mod, "article", "close", article=1)).reply()
    assert "2 comments selected" in closed["content"]
    await running.settle()
    assert "hanno:claim:1" in custom_ids(fake.messages[card1["id"]])
    assert any(
        "Voting on article #1 is closed" in m["content"] for m in fake.channel_messages("voting")
    )

    # A translator claims #1 with the card button and gets a DM with the form button.
    claim = await fake.click(team.translator, card1["id"], "hanno:claim:1")
    assert "yours to translate" in (await claim.reply())["content"]
    await running.settle()
    dm = fake.dm_messages(team.translator)[-1]
    assert "Those ice sculptures" in message_text(dm)
    opener = await fake.click(team.translator, dm["id"], f"hanno:translate:{fake.guild_id}:1")
    done = await fake.answer_modal(opener, {"translation": "氷の彫刻が非現実的に見える。"})
    assert "revision 1" in (await done.reply())["content"]

    # A moderator assigns #2 with the user option; the assignee submits by slash command.
    assigned = await fake.slash(team.mod, "translate", "assign", comment=2, user=team.translator2)
    assert "assigned to taro" in (await assigned.reply())["content"]
    await (
        await fake.slash(
            team.translator2, "translate", "submit", comment=2, text="来年の冬に行きたい！"
        )
    ).reply()

    # Draft: build (ephemeral preview), submit for review, approve with the button.
    preview = await (await fake.slash(team.mod, "draft", "build", article=1)).reply()
    assert "海外の反応" in preview["content"] and "氷の彫刻" in preview["content"]
    await (await fake.slash(team.mod, "draft", "submit", article=1)).reply()
    await running.settle()
    review = fake.latest("review")
    assert "Waiting for approval (0/1)" in message_text(review)
    assert custom_ids(review) == [
        "hanno:review:1:approve",
        "hanno:review:1:reject",
        "hanno:remark:1",
    ]
    approve = await fake.click(team.mod2, review["id"], "hanno:review:1:approve")
    assert "ready to publish" in (await approve.reply())["content"]
    await running.settle()
    assert "Approved (1/1)" in message_text(fake.messages[review["id"]])
    assert custom_ids(fake.messages[review["id"]]) == []

    # Publish, then publish again: never a second copy.
    published = await (await fake.slash(team.mod, "publish", article=1)).reply()
    assert "is published" in published["content"]
    posts = fake.channel_messages("publish")
    assert posts and all(len(p["content"]) <= 2000 for p in posts)
    text = "\n".join(p["content"] for p in posts)
    assert text.index("雪まつり") < text.index("海外の反応") < text.index("コメントは以上")
    # The credits name people by their display names, as text: nobody is pinged.
    assert text.endswith("翻訳: mei、taro / コメント選定: alice、bob")
    assert all(fake.allowed_mentions_of(p["id"]) == {"parse": []} for p in posts)
    again = await (await fake.slash(team.mod, "publish", article=1)).reply()
    assert "already published" in again["content"]
    assert len(fake.channel_messages("publish")) == len(posts)
    await running.settle()
    assert any("is published in" in m["content"] for m in fake.channel_messages("review"))


async def _ready_for_review(fake: DiscordFake, team: Team, running) -> None:
    await (await fake.slash(team.mod, "article", "new", title="Two approvals")).reply()
    await (await fake.slash(team.alice, "comment", "add", article=1, text="So good")).reply()
    await (await fake.slash(team.bob, "vote", comment=1, choice="up")).reply()
    await (await fake.slash(team.mod, "article", "close", article=1)).reply()
    await running.settle()


async def test_assign_with_the_card_select_sends_the_translator_a_dm(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    await _ready_for_review(fake, team, running)
    card = next(m for m in fake.channel_messages("voting") if "Comment #1" in message_text(m))
    refused = await fake.select(team.alice, card["id"], "hanno:assign:1", [team.translator])
    assert (await refused.reply())["content"].startswith("Only moderators can")
    chosen = await fake.select(team.mod, card["id"], "hanno:assign:1", [team.translator])
    assert "assigned to mei" in (await chosen.reply())["content"]
    await running.settle()
    assert "Translator" in message_text(fake.messages[card["id"]])
    assert "hanno:claim:1" not in custom_ids(fake.messages[card["id"]])
    dm = fake.dm_messages(team.translator)[-1]
    assert "given by aiko" in dm["content"] and "So good" in message_text(dm)
    # Only the holder may translate: someone else's click gets a refusal, not a form.
    refused = await fake.click(team.alice, dm["id"], f"hanno:translate:{fake.guild_id}:1")
    assert "Only translators" in (await refused.reply())["content"]


async def test_two_approvals_and_an_edit_withdraws_them(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    running.service.rules = running.service.rules.model_copy(update={"approvals_required": 2})
    await _ready_for_review(fake, team, running)
    await (await fake.slash(team.translator, "translate", "claim", comment=1)).reply()
    await (await fake.slash(team.translator, "translate", "submit", comment=1, text="最高")).reply()
    await (await fake.slash(team.mod, "draft", "submit", article=1)).reply()
    await running.settle()
    review = fake.latest("review")
    first = await fake.click(team.mod, review["id"], "hanno:review:1:approve")
    assert "(1/2)" in (await first.reply())["content"]
    await running.settle()
    assert "Waiting for approval (1/2)" in message_text(fake.messages[review["id"]])

    await (
        await fake.slash(team.translator, "translate", "submit", comment=1, text="最高です")
    ).reply()
    await running.settle()
    assert "Waiting for approval (0/2)" in message_text(fake.messages[review["id"]])
    assert any("needs approving again" in m["content"] for m in fake.channel_messages("review"))

    again = await fake.click(team.mod, review["id"], "hanno:review:1:approve")
    assert "(1/2)" in (await again.reply())["content"]
    twice = await fake.click(team.mod, review["id"], "hanno:review:1:approve")
    assert "already approved" in (await twice.reply())["content"]
    done = await fake.click(team.mod2, review["id"], "hanno:review:1:approve")
    assert "ready to publish" in (await done.reply())["content"]
    await running.settle()
    assert "Approved (2/2)" in message_text(fake.messages[review["id"]])


async def test_the_bot_keeps_working_after_the_gateway_drops(
    fake: DiscordFake, team: Team, start
) -> None:
    await start()
    await fake.drop_connections()
    await fake.wait_until(lambda: fake.resumed + fake.identified >= 2 and fake._sockets, 15)
    reply = await (await fake.slash(team.mod, "article", "new", title="Still here")).reply()
    assert "Article #1 created" in reply["content"]


async def _approved_long_article(
    fake: DiscordFake, team: Team, running, *, comments: int = 8, repeat: int = 60
) -> None:
    """An approved article of `comments` long translations (8 x 60: three 2,000-char parts)."""
    await (await fake.slash(team.mod, "article", "new", title="Long one")).reply()
    for i in range(comments):
        user = team.alice if i % 2 else team.bob
        await (await fake.slash(user, "comment", "add", article=1, text=f"Remark {i}")).reply()
    await (await fake.slash(team.mod, "article", "limits", article=1, min_score=0)).reply()
    await (await fake.slash(team.mod, "article", "close", article=1)).reply()
    for n in range(1, comments + 1):
        await (await fake.slash(team.mod, "translate", "claim", comment=n)).reply()
        text = f"{n}番目。" + "長い翻訳の文です。" * repeat
        await (await fake.slash(team.mod, "translate", "submit", comment=n, text=text)).reply()
    await (await fake.slash(team.mod, "draft", "submit", article=1)).reply()
    await (await fake.slash(team.mod2, "draft", "approve", article=1)).reply()
    await running.settle()


async def test_a_publish_that_fails_midway_posts_only_the_rest_next_time(
    fake: DiscordFake, team: Team, start, caplog
) -> None:
    running = await start()
    await _approved_long_article(fake, team, running)
    fake.allow_posts("publish", 2)
    failed = await (await fake.slash(team.mod, "publish", article=1)).reply()
    assert failed["flags"] & 64 and "stopped after 2 of" in failed["content"]
    first_two = [m["content"] for m in fake.channel_messages("publish")]
    assert len(first_two) == 2

    fake.allow_posts("publish", None)
    done = await (await fake.slash(team.mod, "publish", article=1)).reply()
    assert "is published" in done["content"]
    posts = [m["content"] for m in fake.channel_messages("publish")]
    assert posts[:2] == first_two and len(posts) > 2
    assert all(len(p) <= 2000 for p in posts)
    assert len(set(posts)) == len(posts), "no part was posted twice"
    await running.settle()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


HEADER = re.compile(r"^[0-9]+\. 海外の名無しさん")


async def test_a_published_article_never_ends_a_message_with_a_reaction_header(
    fake: DiscordFake, team: Team, start
) -> None:
    """The `numbered` style's header line goes into the same message as its translation
    (these eight reactions once cut after the headers of the 4th and the 7th)."""
    running = await start(article={"style": "numbered"})
    await _approved_long_article(fake, team, running)
    done = await (await fake.slash(team.mod, "publish", article=1)).reply()
    assert "is published" in done["content"]
    posts = [m["content"] for m in fake.channel_messages("publish")]
    assert len(posts) == 3 and all(len(post) <= 2000 for post in posts)
    assert not [post for post in posts if HEADER.match(post.split("\n")[-1])], posts
    for n in range(1, 9):  # each header and its translation, in one message
        assert sum(f"{n}. 海外の名無しさん\n{n}番目。" in post for post in posts) == 1
    document = await running.service.document(system_actor(fake.guild_id), 1)
    whole = running.service.renderer.plain(document).rstrip("\n")
    assert "\n".join(posts).replace("\n\n", "\n") == whole.replace("\n\n", "\n")


async def test_a_translator_with_closed_dms_can_still_claim(
    fake: DiscordFake, team: Team, start, caplog
) -> None:
    running = await start()
    await _ready_for_review(fake, team, running)
    fake.close_dms(team.translator)
    claim = await fake.slash(team.translator, "translate", "claim", comment=1)
    assert "yours to translate" in (await claim.reply())["content"]
    await running.settle()
    assert fake.dm_messages(team.translator) == []
    assert any("couldn't send mei a direct message" in r.getMessage() for r in caplog.records)
