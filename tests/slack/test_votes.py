"""Vote buttons under load: the card ends showing the true score, and Slack's rate limits and
server errors are retried rather than dropped."""

from __future__ import annotations

import asyncio
import re

from bot.slack import blocks as ui
from tests.fakes.slack_fake import block_texts
from tests.slack.conftest import ANN, MOD, VOTING, Slack


def shown_score(message: dict) -> tuple[int, int, int]:
    found = re.search(r"Score ([+-]?\d+)\* \(👍 (\d+) · 👎 (\d+)\)", block_texts(message["blocks"]))
    assert found, block_texts(message["blocks"])
    return int(found.group(1)), int(found.group(2)), int(found.group(3))


async def start_voting(slack: Slack) -> dict:
    await slack.say(MOD, 'article new "Snow festival"')
    await slack.say(ANN, 'comment add 1 "The ice castle is unreal"')
    return await slack.card(1)


async def test_a_burst_of_concurrent_clicks_ends_with_the_exact_score(slack: Slack) -> None:
    card = await start_voting(slack)
    voters = [f"UV{i:03d}" for i in range(60)]
    # Everyone clicks at once: 40 up, 20 down; then 10 of the up-voters change their minds
    # (5 withdraw, 5 vote down) while 5 down-voters click again. 75 clicks in all.
    first = [(v, ui.VOTE_UP if i < 40 else ui.VOTE_DOWN) for i, v in enumerate(voters)]
    second = [(v, ui.VOTE_CLEAR) for v in voters[:5]] + [(v, ui.VOTE_DOWN) for v in voters[5:10]]
    second += [(v, ui.VOTE_DOWN) for v in voters[40:45]]

    async def click(user: str, action_id: str) -> None:
        await slack.click(user, action_id, card)

    await asyncio.gather(*(click(u, a) for u, a in first))
    await asyncio.gather(*(click(u, a) for u, a in second))
    await slack.front.drain()
    await slack.fake.settle(quiet=0.2)

    comment = await slack.comment(1)
    assert (comment.up, comment.down) == (30, 25)
    assert shown_score(await slack.card(1)) == (5, 30, 25)
    updates = slack.fake.calls_to("chat.update", lambda c: c.args["channel"] == VOTING)
    assert 1 <= len(updates) <= 10, f"{len(updates)} updates: coalesced, not one per click"


async def test_rate_limited_card_updates_are_retried_until_the_card_is_right(
    slack: Slack,
) -> None:
    card = await start_voting(slack)
    slack.fake.fail("chat.update", times=2, status=429, retry_after=0)
    await asyncio.gather(*(slack.click(f"UR{i}", ui.VOTE_UP, card) for i in range(8)))
    await slack.front.drain()
    refused = [c for c in slack.fake.calls if c.method == "chat.update" and c.status == 429]
    assert len(refused) == 2
    assert shown_score(await slack.card(1)) == (8, 8, 0)


async def test_a_server_error_on_posting_a_card_is_retried(slack: Slack) -> None:
    await slack.say(MOD, 'article new "Snow festival"')
    slack.fake.fail("chat.postMessage", times=1, status=500)
    await slack.say(ANN, 'comment add 1 "Lovely"')
    failed = [c for c in slack.fake.calls if c.method == "chat.postMessage" and c.status == 500]
    assert len(failed) == 1
    assert "Lovely" in block_texts((await slack.card(1))["blocks"])


async def test_own_comment_vote_is_refused_ephemerally(slack: Slack) -> None:
    card = await start_voting(slack)
    await slack.click(ANN, ui.VOTE_UP, card)
    refusal = await slack.fake.wait_for_response(lambda p: "#1" in p.text)
    assert refusal.ephemeral
    assert (await slack.comment(1)).score == 0


async def test_a_card_update_that_keeps_failing_is_tried_again_later(slack: Slack) -> None:
    card = await start_voting(slack)
    slack.front.notifier.cards.retry_delay = 0.05
    slack.fake.fail("chat.update", times=2, status=200, error="internal_error")
    await slack.click(MOD, ui.VOTE_UP, card)
    await slack.front.drain()
    attempts = [c for c in slack.fake.calls if c.method == "chat.update"]
    assert [c.response["ok"] for c in attempts] == [False, False, True]
    assert shown_score(await slack.card(1)) == (1, 1, 0)


async def test_closing_a_vote_on_many_comments_updates_every_card(slack: Slack) -> None:
    await slack.say(MOD, 'article new "Snow festival"')
    for i in range(12):
        await slack.say(ANN, f"comment add 1 'Comment {i}'")
    await slack.say(MOD, "comment pick 12")  # closing needs something to translate
    await slack.say(MOD, "article close 1")
    for number in range(1, 12):
        assert "not selected" in block_texts((await slack.card(number))["blocks"])
    assert "not selected" not in block_texts((await slack.card(12))["blocks"])


async def test_web_api_calls_reuse_pooled_connections(slack: Slack) -> None:
    card = await start_voting(slack)
    for i in range(20):
        await slack.click(f"UP{i:02d}", ui.VOTE_UP, card)
        await slack.front.drain()
    calls = [c for c in slack.fake.calls if c.method in ("users.info", "chat.update")]
    assert len(calls) >= 15
    assert len({c.connection for c in calls}) <= 3


async def test_a_burst_of_votes_spends_no_user_lookups(slack: Slack) -> None:
    """A vote records who voted, never a name: clicks cost no users.info each."""
    card = await start_voting(slack)
    before = sum(1 for c in slack.fake.calls if c.method == "users.info")
    for i in range(10):
        await slack.click(f"NEW{i:02d}", ui.VOTE_UP, card)
    await slack.front.drain()
    assert sum(1 for c in slack.fake.calls if c.method == "users.info") == before
