"""The team on Discord: roles from /team with the permission matrix, hidden voting on the
cards, voting that closes itself (with <t:…> timestamps), undeliverable DMs, retried posts,
stats, and a form left open across a restart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.core.clock import ManualClock
from bot.core.models import ArticleState
from bot.discord.identity import system_actor
from tests.discord.conftest import Team
from tests.fakes.discord_fake import DiscordFake, Fault, message_text

FRIDAY_6PM_TOKYO = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


async def said(fake: DiscordFake, user, /, *path: str, **options: object) -> str:
    reply = await (await fake.slash(user, *path, **options)).reply()
    assert reply["flags"] & 64, "answers are ephemeral"
    return message_text(reply)


def card_of(fake: DiscordFake, number: int) -> str:
    return next(
        message_text(m)
        for m in fake.channel_messages("voting")
        if f"Comment #{number}" in message_text(m)
    )


async def voting_on(fake: DiscordFake, team: Team) -> None:
    await said(fake, team.mod, "article", "new", title="Snow lanterns")
    await said(fake, team.alice, "comment", "add", article=1, text="So pretty")
    await said(fake, team.alice, "comment", "add", article=1, text="Cold but lovely")


async def test_roles_from_chat_follow_the_permission_matrix(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    await voting_on(fake, team)
    for who in (team.alice, team.translator):
        refused = await said(fake, who, "team", "add", user=team.bob)
        assert "Only moderators can give people roles" in refused
    assert "bob is now a translator" in await said(fake, team.mod, "team", "add", user=team.bob)
    assert "already a translator" in await said(fake, team.mod2, "team", "add", user=team.bob)
    # The platform role still counts, and chat cannot take it away.
    refused = await said(fake, team.mod, "team", "remove", user=team.translator)
    assert "through the config file or their platform role" in refused
    refused = await said(fake, team.mod, "team", "remove", user=team.mod2)
    assert "moderator through the config file" in refused

    await said(fake, team.bob, "vote", comment=1, choice="up")
    await said(fake, team.mod, "article", "close", article=1)
    assert "yours to translate" in await said(fake, team.bob, "translate", "claim", comment=1)
    assert "no longer a translator" in await said(fake, team.mod, "team", "remove", user=team.bob)
    refused = await said(fake, team.bob, "translate", "release", comment=1)
    assert "Only translators and moderators" in refused
    listing = await said(fake, team.alice, "team", "list")
    assert "aiko added bob as translator" in listing and "aiko removed bob" in listing
    assert "<t:" in listing  # times as Discord timestamps
    await running.settle()


async def test_hidden_voting_shows_only_the_count_until_voting_closes(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    await voting_on(fake, team)
    assert "Only moderators" in await said(
        fake, team.alice, "article", "voting", article=1, mode="hidden"
    )
    assert "now hidden" in await said(fake, team.mod, "article", "voting", article=1, mode="hidden")
    voted = await said(fake, team.bob, "vote", comment=1, choice="up")
    assert "Scores stay hidden" in voted and "+1" not in voted
    await running.settle()
    assert "1 vote so far" in card_of(fake, 1) and "▲" not in card_of(fake, 1)
    assert "+1" not in await said(fake, team.alice, "comment", "list", article=1)
    assert "+1" in await said(fake, team.mod, "comment", "list", article=1)
    await said(fake, team.mod, "article", "close", article=1)
    await running.settle()
    assert "+1 (▲ 1 ▼ 0)" in card_of(fake, 1)


async def test_voting_closes_by_itself_and_says_when_in_timestamps(
    fake: DiscordFake, team: Team, start
) -> None:
    clock = ManualClock(FRIDAY_6PM_TOKYO)
    running = await start(clock=clock)
    await voting_on(fake, team)
    await said(fake, team.bob, "vote", comment=2, choice="up")
    due = int(FRIDAY_6PM_TOKYO.timestamp()) + 24 * 3600
    reply = await said(fake, team.mod, "article", "close", article=1, **{"in": "24h"})
    assert f"closes by itself at <t:{due}:f>" in reply
    refused = await said(fake, team.mod, "article", "close", article=1, at="yesterday")
    assert "not a time I can read" in refused
    board = await said(fake, team.alice, "article", "status", article=1)
    assert f"Voting closes by itself at <t:{due}:f>" in board
    await running.settle()
    assert any(f"<t:{due}:f>" in message_text(m) for m in fake.channel_messages("voting"))
    clock.advance(hours=24)
    await running.service.scheduler.run_due()
    await running.settle()
    article = await running.service.get_article(system_actor(fake.guild_id), 1)
    assert article.state is ArticleState.TRANSLATING
    closed = [m for m in fake.channel_messages("voting") if "closed by itself" in message_text(m)]
    assert len(closed) == 1 and f"<t:{due}:f>" in message_text(closed[0])
    await running.service.scheduler.run_due()
    await running.settle()
    assert sum("closed by itself" in message_text(m) for m in fake.channel_messages("voting")) == 1


async def test_a_translator_with_closed_dms_is_reported_to_the_moderator_once(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    await voting_on(fake, team)
    for number in (1, 2):
        await said(fake, team.bob, "vote", comment=number, choice="up")
    await said(fake, team.mod, "article", "close", article=1)
    fake.close_dms(team.translator)
    for number in (1, 2):
        await said(fake, team.mod, "translate", "assign", comment=number, user=team.translator)
    await running.settle()
    told = [m for m in fake.dm_messages(team.mod) if "couldn't send" in message_text(m)]
    assert len(told) == 1, "told once, not once per assignment"
    assert "couldn't send mei a direct message about comment #1" in message_text(told[0])
    # Once a DM gets through again, a later failure is worth telling again.
    fake.open_dms(team.translator)
    await said(fake, team.mod, "translate", "release", comment=2)
    await said(fake, team.mod, "translate", "assign", comment=2, user=team.translator)
    await running.settle()
    fake.close_dms(team.translator)
    await said(fake, team.mod2, "translate", "assign", comment=1, user=team.translator)
    await running.settle()
    told = [m for m in fake.dm_messages(team.mod2) if "couldn't send" in message_text(m)]
    assert len(told) == 1


async def test_announcements_and_dms_are_retried_after_server_errors(
    fake: DiscordFake, team: Team, start, caplog
) -> None:
    running = await start()
    running.bot.notifier.posts.retry_delays = (0.05, 0.1, 0.2)
    await voting_on(fake, team)
    await said(fake, team.bob, "vote", comment=1, choice="up")
    await running.settle()
    fake.fail_posts("voting", Fault(status=503, times=2), Fault(status=429, retry_after=0.1))
    await said(fake, team.mod, "article", "close", article=1)
    fake.fail_dms(team.translator, Fault(status=503))
    await said(fake, team.mod, "translate", "assign", comment=1, user=team.translator)
    await running.settle()
    closed = [
        m
        for m in fake.channel_messages("voting")
        if "Voting on article #1 is closed" in message_text(m)
    ]
    assert len(closed) == 1, "the announcement landed once, after the failures"
    assert any("comment #1" in message_text(m) for m in fake.dm_messages(team.translator))
    assert any("trying again" in r.getMessage() for r in caplog.records)


async def test_stats_are_a_slash_command(fake: DiscordFake, team: Team, start) -> None:
    running = await start()
    await voting_on(fake, team)
    await said(fake, team.bob, "vote", comment=1, choice="up")
    shown = await said(fake, team.alice, "stats", since="7d")
    assert f"<@{team.alice.id}>: comments 2, votes 0" in shown
    assert f"<@{team.bob.id}>: comments 0, votes 1" in shown
    assert "translations 0, machine drafts accepted 0, approvals 0" in shown
    assert "not a length of time" in await said(fake, team.alice, "stats", since="lately")
    await running.settle()


async def test_a_form_open_during_a_restart_gives_the_typed_text_back(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    await said(fake, team.mod, "article", "new", title="Tea")
    opener = await fake.slash(team.mod, "article", "set", article=1, field="lead")
    modal = await opener.modal()
    await running.stop()
    await start()  # hanno restarted while the form was open
    typed = "A long lead the moderator typed while the bot restarted."
    answer = await fake.submit_modal(
        team.mod, modal["custom_id"], {modal_field(modal): typed}, modal=modal
    )
    reply = message_text(await answer.reply())
    assert "This form has expired" in reply and typed in reply


def modal_field(modal: dict) -> str:
    first = modal["components"][0]
    return (first.get("component") or first["components"][0])["custom_id"]


async def until(check, what: str) -> None:
    """Wait (a real second or two) for what the scheduler does by itself after a start."""
    for _ in range(200):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


async def test_saturday_after_a_restart_voting_closed_translator_reminded_digest_posted(
    fake: DiscordFake, team: Team, start
) -> None:
    """The issue's "done when": a 24-hour deadline set on Friday, nobody touches the bot, the
    bot is down when it falls due; on Saturday evening it starts on the same database file."""
    clock = ManualClock(FRIDAY_6PM_TOKYO)
    options = {"article": {"timezone": "Asia/Tokyo"}, "reminders": {"digest_at": "20:00:00"}}
    running = await start(clock=clock, **options)
    await said(fake, team.mod, "article", "new", title="Lanterns in Otaru")
    await said(fake, team.alice, "comment", "add", article=1, text="So pretty")
    await said(fake, team.bob, "vote", comment=1, choice="up")
    await said(fake, team.mod, "article", "close", article=1)
    assert "yours to translate" in await said(
        fake, team.translator, "translate", "claim", comment=1
    )
    await said(fake, team.mod, "article", "new", title="Robot ramen")
    await said(fake, team.alice, "comment", "add", article=2, text="I want one")
    await said(fake, team.bob, "vote", comment=2, choice="up")
    due = int(FRIDAY_6PM_TOKYO.timestamp()) + 24 * 3600
    reply = await said(fake, team.mod, "article", "close", article=2, **{"in": "24h"})
    assert f"closes by itself at <t:{due}:f>" in reply
    await running.settle()
    await running.stop()

    # Saturday 20:30 in Tokyo: the bot starts again, nobody has typed anything since Friday.
    clock.set(datetime(2026, 12, 5, 11, 30, tzinfo=UTC))
    running = await start(clock=clock, **options)

    def texts(messages: list[dict]) -> list[str]:
        return [message_text(m) for m in messages]

    await until(
        lambda: any("Daily digest" in m for m in texts(fake.channel_messages("review"))),
        "the digest in the review channel",
    )
    await running.settle()
    closed = [m for m in texts(fake.channel_messages("voting")) if "#2 is closed" in m]
    assert len(closed) == 1
    assert f"It was due to close at <t:{due}:f>" in closed[0] and "closed late" in closed[0]
    article = await running.service.get_article(system_actor(fake.guild_id), 2)
    assert article.state is ArticleState.TRANSLATING
    reminders = [m for m in texts(fake.dm_messages(team.translator)) if "reminder" in m]
    assert len(reminders) == 1 and "comment #1 of article #1" in reminders[0]
    assert "`/translate submit comment:1 text:…`" in reminders[0]  # as typed on Discord
    assert "`/translate release comment:1`" in reminders[0]
    [digest] = [m for m in texts(fake.channel_messages("review")) if "Daily digest" in m]
    assert "#2 Robot ramen [translating]\n  • nobody holds #2" in digest
    assert "mei holds #1, not translated yet" in digest and "(This is late" in digest
    # Another restart fires nothing twice.
    await running.stop()
    running = await start(clock=clock, **options)
    await asyncio.sleep(0.3)
    await running.settle()
    assert sum("#2 is closed" in m for m in texts(fake.channel_messages("voting"))) == 1
    assert sum("reminder" in m for m in texts(fake.dm_messages(team.translator))) == 1
    assert sum("Daily digest" in m for m in texts(fake.channel_messages("review"))) == 1
