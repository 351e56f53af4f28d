"""Issue 5 through Discord: a whole team clicking at once on one card, one comment, one draft.

Every click goes over the fake gateway to hanno's real discord.py client and is answered
through the real interaction callback, so the 3-second limit is measured where Discord
measures it.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.core.models import ArticleState
from bot.core.service import HannoService
from bot.discord.identity import system_actor
from tests.discord.conftest import Team
from tests.fakes.discord_fake import DiscordFake, Fault, custom_ids, message_text

DISCORD_LIMIT = 3.0


async def _comment_card(fake: DiscordFake, team: Team, running) -> dict:
    await (await fake.slash(team.mod, "article", "new", title="Fireworks")).reply()
    await (
        await fake.slash(team.alice, "comment", "add", article=1, text="Best show on earth.")
    ).reply()
    await running.settle()
    return next(m for m in fake.channel_messages("voting") if "Comment #1" in message_text(m))


@pytest.mark.alone
async def test_300_members_click_up_in_the_same_second(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    card = await _comment_card(fake, team, running)
    voters = [fake.add_member(f"fan{i:03d}") for i in range(300)]

    began = time.monotonic()
    clicks = await asyncio.gather(*(fake.click(v, card["id"], "hanno:vote:1:up") for v in voters))
    dispatched = time.monotonic() - began
    assert dispatched < 1.0, f"the fake took {dispatched:.2f}s to send the burst"
    replies = await asyncio.gather(*(ix.reply(timeout=10) for ix in clicks))

    assert all(r["flags"] & 64 for r in replies), "answers are ephemeral"
    assert all("score is now" in r["content"] for r in replies), {r["content"] for r in replies}
    latencies = sorted(ix.latency or 99.0 for ix in clicks)
    assert latencies[-1] < DISCORD_LIMIT, f"slowest answer {latencies[-1]:.2f}s"
    # Each click got exactly one answer: one callback, no second message.
    ids = {ix.id for ix in clicks}
    callbacks = [c for c in fake.calls_to("POST", "/callback") if c.path.split("/")[2] in ids]
    assert len(callbacks) == len(clicks)
    assert not any(ix.followup_ids for ix in clicks)
    assert not fake.errors

    await running.settle()
    assert "+300 (▲ 300 ▼ 0)" in message_text(fake.messages[card["id"]])
    comment = await running.service.get_comment(system_actor(fake.guild_id), 1)
    assert (comment.up, comment.down, comment.score) == (300, 0, 300)
    # The card was redrawn a handful of times, not once per click.
    assert fake.edit_count(card["id"]) < 60


async def test_the_same_member_clicking_up_many_times_counts_once(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    card = await _comment_card(fake, team, running)
    clicks = await asyncio.gather(
        *(fake.click(team.bob, card["id"], "hanno:vote:1:up") for _ in range(20))
    )
    await asyncio.gather(*(ix.reply() for ix in clicks))
    await running.settle()
    assert "+1 (▲ 1 ▼ 0)" in message_text(fake.messages[card["id"]])


async def _translating(fake: DiscordFake, team: Team, running) -> dict:
    card = await _comment_card(fake, team, running)
    await (await fake.click(team.bob, card["id"], "hanno:vote:1:up")).reply()
    await (await fake.slash(team.mod, "article", "close", article=1)).reply()
    await running.settle()
    assert "hanno:claim:1" in custom_ids(fake.messages[card["id"]])
    return card


async def test_concurrent_claims_have_exactly_one_winner(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    card = await _translating(fake, team, running)
    translators = [team.translator, team.translator2] + [
        fake.add_member(f"translator{i}", roles=["Translator"]) for i in range(8)
    ]
    clicks = await asyncio.gather(
        *(fake.click(t, card["id"], "hanno:claim:1") for t in translators)
    )
    replies = [await ix.reply() for ix in clicks]
    winners = [ix.user for ix, r in zip(clicks, replies, strict=True) if "yours to" in r["content"]]
    assert len(winners) == 1, [r["content"] for r in replies]
    losers = [r for r in replies if "yours to" not in r["content"]]
    assert all(r["flags"] & 64 for r in replies)
    assert all(f"{winners[0].name} already holds" in r["content"] for r in losers), losers

    comment = await running.service.get_comment(system_actor(fake.guild_id), 1)
    assert comment.assignee_id == winners[0].id
    await running.settle()
    card_now = fake.messages[card["id"]]
    assert winners[0].name in message_text(card_now)
    assert "hanno:claim:1" not in custom_ids(card_now)
    # Only the winner was sent the translation form by DM.
    dms = [u for u in translators if fake.dm_messages(u)]
    assert dms == [winners[0]]


async def test_concurrent_approve_and_request_changes_leave_one_consistent_outcome(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    await _translating(fake, team, running)
    await (await fake.slash(team.translator, "translate", "claim", comment=1)).reply()
    await (
        await fake.slash(team.translator, "translate", "submit", comment=1, text="地球一のショー")
    ).reply()
    # submitted by mod2, so that mod's approval may complete the review
    await (await fake.slash(team.mod2, "draft", "submit", article=1)).reply()
    await running.settle()
    review = fake.latest("review")

    # The reject form is opened first; then both moderators press at the same moment.
    opener = await fake.click(team.mod2, review["id"], "hanno:review:1:reject")
    modal = await opener.modal()
    approve, reject = await asyncio.gather(
        fake.click(team.mod, review["id"], "hanno:review:1:approve"),
        fake.submit_modal(
            team.mod2,
            modal["custom_id"],
            {"reason": "Please soften the tone."},
            modal=modal,
            message_id=review["id"],
        ),
    )
    approved, rejected = (await approve.reply())["content"], (await reject.reply())["content"]
    await running.settle()

    article = await running.service.get_article(system_actor(fake.guild_id), 1)
    history = [e.action for e in await running.service.history(system_actor(fake.guild_id), 1)]
    review_now = message_text(fake.messages[review["id"]])
    assert article.state in (ArticleState.APPROVED, ArticleState.TRANSLATING)
    if article.state is ArticleState.TRANSLATING:
        # Either the reject came second and sent the approved draft back (an approval is
        # withdrawn by the rejection), or it came first and the approval was refused.
        assert "goes back to translation" in rejected
        assert "Sent back for changes" in review_now
        assert history[-1] == "rejected"
        if "ready to publish" not in approved:
            assert "is being translated" in approved, approved
    else:
        assert "ready to publish" in approved
        assert "goes back" not in rejected and "Approved (1/1)" in review_now
    assert not any("hanno:review" in c for c in custom_ids(fake.messages[review["id"]]))


@pytest.mark.alone
async def test_a_slow_database_still_answers_within_discord_s_limit(
    fake: DiscordFake, team: Team, start, monkeypatch
) -> None:
    running = await start()
    card = await _comment_card(fake, team, running)
    real_vote = HannoService.vote

    async def slow_vote(self: HannoService, *args, **kwargs):
        await asyncio.sleep(3.5)  # a busy disk, a backup holding the database
        return await real_vote(self, *args, **kwargs)

    monkeypatch.setattr(HannoService, "vote", slow_vote)
    counted, refused = await asyncio.gather(
        fake.click(team.bob, card["id"], "hanno:vote:1:up"),
        fake.click(team.alice, card["id"], "hanno:vote:1:up"),  # her own comment
    )
    for ix in (counted, refused):
        callback = await ix.response(timeout=3)
        assert callback["type"] == 5 and callback["data"]["flags"] & 64, "deferred, privately"
        assert ix.latency is not None and ix.latency < DISCORD_LIMIT
    assert "score is now +1" in (await counted.reply(timeout=5))["content"]
    assert "your own comment" in (await refused.reply(timeout=5))["content"]


async def test_the_card_ends_exact_even_when_its_edits_fail(
    fake: DiscordFake, team: Team, start, caplog
) -> None:
    running = await start()
    card = await _comment_card(fake, team, running)
    running.bot.notifier.cards.retry_delays = (0.1, 0.2, 0.4)
    # Discord answers the card's edits with 503s (which discord.py does not retry) and a
    # 429 (which it waits out); the burst's redraws meet them all.
    fake.fail_edits(
        "voting",
        Fault(status=503, times=2),
        Fault(status=429, retry_after=0.2),
        Fault(status=503),
    )
    voters = [fake.add_member(f"fan{i:03d}") for i in range(100)]
    clicks = await asyncio.gather(*(fake.click(v, card["id"], "hanno:vote:1:up") for v in voters))
    await asyncio.gather(*(ix.reply(timeout=10) for ix in clicks))
    await running.settle()
    assert not fake.edit_faults.get(fake.channel_id("voting")), "every fault was met"
    assert "+100 (▲ 100 ▼ 0)" in message_text(fake.messages[card["id"]])
    assert any("trying again" in r.getMessage() for r in caplog.records)

    # A longer outage outlasts the retries: hanno says so in the log (no incident, it is
    # not a bug) and the next change draws the true score again.
    fake.fail_edits("voting", Fault(status=503, times=4))
    late = [fake.add_member("late1"), fake.add_member("late2")]
    await (await fake.click(late[0], card["id"], "hanno:vote:1:up")).reply()
    await running.settle()
    assert any("gave up" in r.getMessage() for r in caplog.records)
    assert "+100 (▲ 100 ▼ 0)" in message_text(fake.messages[card["id"]])
    await (await fake.click(late[1], card["id"], "hanno:vote:1:up")).reply()
    await running.settle()
    assert "+102 (▲ 102 ▼ 0)" in message_text(fake.messages[card["id"]])


async def test_moderators_approving_at_once_approve_once(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    await _translating(fake, team, running)
    await (await fake.slash(team.translator, "translate", "claim", comment=1)).reply()
    await (await fake.slash(team.translator, "translate", "submit", comment=1, text="訳")).reply()
    # a moderator who does not approve submits, so that any approval may complete the review
    submitter = fake.add_member("submitter", roles=["Moderator"])
    await (await fake.slash(submitter, "draft", "submit", article=1)).reply()
    await running.settle()
    review = fake.latest("review")
    moderators = [team.mod, team.mod2] + [
        fake.add_member(f"mod{i}", roles=["Moderator"]) for i in range(4)
    ]
    clicks = await asyncio.gather(
        *(fake.click(m, review["id"], "hanno:review:1:approve") for m in moderators)
    )
    answers = [(await ix.reply())["content"] for ix in clicks]
    assert sum("ready to publish" in a for a in answers) == 1, answers
    assert all("ready to publish" in a or "approved and waiting" in a for a in answers), answers
    history = await running.service.history(system_actor(fake.guild_id), 1)
    assert [e.action for e in history].count("approved") == 1
    await running.settle()
    announced = [m for m in fake.channel_messages("review") if "ready to publish" in m["content"]]
    assert len(announced) == 1


async def test_stopping_during_an_outage_does_not_wait_out_the_retries(
    fake: DiscordFake, team: Team, start, caplog
) -> None:
    running = await start()
    card = await _comment_card(fake, team, running)
    fake.fail_edits("voting", Fault(status=503, times=None))
    voted = await (await fake.click(team.bob, card["id"], "hanno:vote:1:up")).reply()
    assert "score is now +1" in voted["content"]  # the vote itself is never in doubt
    await fake.wait_until(lambda: any("trying again" in r.getMessage() for r in caplog.records))
    began = time.monotonic()
    await running.stop()
    assert time.monotonic() - began < 3.0, "the 5 s and 30 s retry waits were cut short"


@pytest.mark.alone
async def test_a_slow_form_is_answered_in_time_so_nobody_submits_it_twice(
    fake: DiscordFake, team: Team, start, monkeypatch
) -> None:
    running = await start()
    await (await fake.slash(team.mod, "article", "new", title="Slow")).reply()
    await running.settle()
    article_card = fake.latest("voting")
    real_add = HannoService.add_comment

    async def slow_add(self: HannoService, *args, **kwargs):
        await asyncio.sleep(3.5)
        return await real_add(self, *args, **kwargs)

    monkeypatch.setattr(HannoService, "add_comment", slow_add)
    opener = await fake.click(team.bob, article_card["id"], "hanno:submit:1")
    submitted = await fake.answer_modal(opener, {"text": "Worth the wait."})
    callback = await submitted.response(timeout=3)
    assert callback["type"] == 5 and submitted.latency is not None and submitted.latency < 3
    assert "Comment #1 added" in (await submitted.reply(timeout=5))["content"]
