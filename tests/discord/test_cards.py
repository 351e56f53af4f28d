"""Comment cards: persistent buttons across a restart, and the true score under a burst."""

from __future__ import annotations

import asyncio

import pytest

from bot.discord.identity import system_actor
from tests.discord.conftest import Team
from tests.fakes.discord_fake import DiscordFake, custom_ids, message_text


async def _article_with_comment(fake: DiscordFake, team: Team, running) -> dict:
    await (await fake.slash(team.mod, "article", "new", title="Lanterns")).reply()
    await (
        await fake.slash(team.alice, "comment", "add", article=1, text="Beautiful lanterns.")
    ).reply()
    await running.settle()
    return next(m for m in fake.channel_messages("voting") if "Comment #1" in message_text(m))


async def test_vote_buttons_work_after_a_restart_on_the_same_database(
    fake: DiscordFake, team: Team, start
) -> None:
    first = await start()
    card = await _article_with_comment(fake, team, first)
    await (await fake.click(team.bob, card["id"], "hanno:vote:1:up")).reply()
    await first.settle()
    await first.stop()

    second = await start()
    assert fake.identified == 2
    answer = await (await fake.click(team.mod, card["id"], "hanno:vote:1:up")).reply()
    assert "score is now +2" in answer["content"]
    await second.settle()
    # The same card (its id was kept in the database) shows the new score: no second card.
    assert "+2 (▲ 2 ▼ 0)" in message_text(fake.messages[card["id"]])
    assert sum("Comment #1" in message_text(m) for m in fake.channel_messages("voting")) == 1

    # Closing after the restart still redraws the old card with the translation buttons.
    await (await fake.slash(team.mod, "article", "close", article=1)).reply()
    await second.settle()
    assert "hanno:claim:1" in custom_ids(fake.messages[card["id"]])
    claim = await fake.click(team.translator, card["id"], "hanno:claim:1")
    assert "yours to translate" in (await claim.reply())["content"]


@pytest.mark.alone
async def test_burst_of_concurrent_votes_ends_with_the_exact_score(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    card = await _article_with_comment(fake, team, running)
    edits_before = fake.edit_count(card["id"])
    voters = [fake.add_member(f"voter{i}") for i in range(60)]
    ups = voters[:45]
    downs = voters[45:]

    clicks = await asyncio.gather(
        *(fake.click(v, card["id"], "hanno:vote:1:up") for v in ups),
        *(fake.click(v, card["id"], "hanno:vote:1:down") for v in downs),
    )
    # Some change their mind in the same burst: 5 up-voters withdraw, 3 down-voters go up.
    clicks += await asyncio.gather(
        *(fake.click(v, card["id"], "hanno:vote:1:clear") for v in ups[:5]),
        *(fake.click(v, card["id"], "hanno:vote:1:up") for v in downs[:3]),
    )
    replies = await asyncio.gather(*(ix.reply(timeout=10) for ix in clicks))
    assert all(r["flags"] & 64 for r in replies)
    assert max(ix.latency or 99 for ix in clicks) < 3.0, "every click answered within 3 s"

    await running.settle()
    up, down = 45 - 5 + 3, 15 - 3
    assert f"{up - down:+d} (▲ {up} ▼ {down})" in message_text(fake.messages[card["id"]])
    edits = fake.edit_count(card["id"]) - edits_before
    assert 1 <= edits < len(clicks) // 4, f"{edits} edits for {len(clicks)} clicks"
    comment = await running.service.get_comment(system_actor(fake.guild_id), 1)
    assert (comment.up, comment.down) == (up, down)
