"""Item 2: Slack vote clicks over HTTP against an ack-only Bolt app, in the same run.

hanno's real Bolt app (bot.slack.build_app) is served over HTTP on 127.0.0.1 and talks to the
test suite's fake Slack Web API (tests/fakes/slack_fake.py); the clicks are signed
`block_actions` requests like Slack's, sent over one keep-alive client session. The baseline
is a Bolt app whose only listener acks, served and clicked the same way. hanno acks first and
votes after the ack, so the table also shows when the last vote was recorded and checks that
every vote was counted exactly once.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from aiohttp import ClientSession
from slack_bolt.async_app import AsyncApp

from bench.common import Row, percentile, verdict
from bot.config import Settings, SlackConfig
from bot.core.models import Actor
from bot.core.service import HannoService
from bot.render import Renderer
from bot.slack import blocks as ui
from bot.slack import build_app
from bot.slack.app import SlackFrontEnd, make_client
from bot.slack.http import make_web_app
from bot.slack.identity import slack_policy
from bot.slack.notifier import CARD
from bot.storage.database import SqliteStore
from tests.fakes.slack_fake import Reply, SlackEvents, SlackFake, find_action, serve, sign

CLICKS = 2_000
CONCURRENCY = 50
VOTERS = 500
TARGET = 0.7
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
MOD, AUTHOR = "UMOD", "UAUTHOR"

Click = tuple[str, int, str]  # (user id, comment number, action id)


class KeepAliveEvents(SlackEvents):
    """The suite's signed-request builder, sending over one shared session (like Slack's pool)."""

    def __init__(self, url: str, fake: SlackFake, session: ClientSession) -> None:
        super().__init__(url, SECRET, fake)
        self.session = session

    async def post_raw(
        self, body: str, content_type: str, headers: dict[str, str] | None = None
    ) -> Reply:
        sent = {"Content-Type": content_type}
        sent.update(headers if headers is not None else sign(self.signing_secret, body))
        async with self.session.post(self.url or "", data=body.encode(), headers=sent) as response:
            return Reply(status=response.status, text=await response.text())


def plan(seed: int = 2) -> list[Click]:
    """Every voter clicks once on each of four cards: the final tallies are known exactly."""
    rnd = random.Random(seed)
    clicks = [
        (f"UV{voter:03d}", comment, rnd.choice((ui.VOTE_UP, ui.VOTE_UP, ui.VOTE_DOWN)))
        for comment in range(1, CLICKS // VOTERS + 1)
        for voter in range(VOTERS)
    ]
    rnd.shuffle(clicks)
    return clicks


async def _click_all(
    events: KeepAliveEvents, clicks: list[Click], cards: dict[int, dict[str, Any]]
) -> tuple[float, list[float]]:
    pending = iter(clicks)
    latencies: list[float] = []

    async def worker() -> None:
        for user, comment, action_id in pending:
            card = cards[comment]
            element = find_action(card["blocks"], action_id)
            block_id = next(
                b.get("block_id", "b") for b in card["blocks"] if element in b.get("elements", [])
            )
            start = time.perf_counter()
            reply = await events.block_action(
                user, action_id, element.get("value", ""), message=card, block_id=block_id
            )
            latencies.append(time.perf_counter() - start)
            if reply.status != 200:
                raise AssertionError(f"click refused: {reply.status} {reply.text}")

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return time.perf_counter() - start, latencies


async def _ack_only(
    fake: SlackFake, session: ClientSession, clicks: list[Click], cards: dict[int, Any]
) -> tuple[float, list[float]]:
    app = AsyncApp(client=make_client(TOKEN, fake.api_url), signing_secret=SECRET)

    @app.action(re.compile(".*"))
    async def acknowledge(ack: Any) -> None:
        await ack()

    runner, url = await serve(make_web_app(app))
    try:
        return await _click_all(
            KeepAliveEvents(f"{url}/slack/events", fake, session), clicks, cards
        )
    finally:
        await runner.cleanup()


async def run(directory: Path) -> list[Row]:
    clicks = plan()
    settings = Settings(
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack=SlackConfig(
            mode="http",
            moderators=[MOD],
            voting_channel="CVOTING",
            review_channel="CREVIEW",
            publish_channel="CPUBLISH",
        ),
    )
    async with SlackFake(tokens={TOKEN}) as fake, ClientSession() as session:
        fake.add_user(MOD, "mika")
        fake.add_user(AUTHOR, "ann")
        for voter in range(VOTERS):
            fake.add_user(f"UV{voter:03d}", f"voter{voter}")
        store = await SqliteStore.open(directory / "slack.db")
        service = HannoService(store, policy=slack_policy(settings.slack), renderer=Renderer())
        app = build_app(settings, service, api_url=fake.api_url)
        front: SlackFrontEnd = app.hanno  # type: ignore[attr-defined]
        runner, url = await serve(make_web_app(app))
        try:
            events = KeepAliveEvents(f"{url}/slack/events", fake, session)
            await events.command(MOD, 'article new "Benchmark night"')
            comments = CLICKS // VOTERS
            for n in range(comments):
                await events.command(AUTHOR, f'comment add 1 "Comment {n + 1} for the bench"')
            await front.drain()
            cards = {}
            for n in range(1, comments + 1):
                ref = await service.get_ref(fake.team_id, CARD, str(n))
                assert ref is not None, f"no card for comment #{n}"
                cards[n] = fake.message(*ref)

            base_elapsed, base_lat = await _ack_only(fake, session, clicks, cards)
            calls_before = len(fake.calls)
            start = time.perf_counter()
            elapsed, latencies = await _click_all(events, clicks, cards)
            await front.drain()
            recorded = time.perf_counter() - start
            api_calls = Counter(c.method for c in fake.calls[calls_before:])
            expected: dict[int, tuple[int, int]] = {}
            for _, comment, action_id in clicks:
                up, down = expected.get(comment, (0, 0))
                expected[comment] = (
                    up + (action_id == ui.VOTE_UP),
                    down + (action_id != ui.VOTE_UP),
                )
            for n, (up, down) in expected.items():
                comment = await service.get_comment(events_actor(fake), n)
                if (comment.up, comment.down) != (up, down):
                    raise AssertionError(f"#{n}: {comment.up}/{comment.down}, expected {up}/{down}")
        finally:
            await front.drain()
            await runner.cleanup()
            await store.close()
    rate, base_rate = len(clicks) / elapsed, len(clicks) / base_elapsed
    ratio = rate / base_rate
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    return [
        Row(
            item="2 Slack vote clicks (HTTP)",
            measured=f"{rate:,.0f} clicks/s",
            baseline=f"{base_rate:,.0f} clicks/s",
            ratio=f"{ratio:.2f}x",
            target=f">= {TARGET}x, p99 ack << 3 s",
            verdict=verdict(ratio >= TARGET and p99 < 1.0),
            note=(
                f"{len(clicks):,} signed block_actions, {CONCURRENCY} concurrent; ack p50 "
                f"{p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms (ack-only app: p50 "
                f"{percentile(base_lat, 50) * 1000:.1f} ms, p99 {percentile(base_lat, 99) * 1000:.1f} ms); "
                f"all votes recorded {recorded:.2f} s after the first click, tallies exact; "
                f"Web API calls meanwhile: "
                + ", ".join(f"{method} {count}" for method, count in api_calls.most_common())
            ),
        )
    ]


def events_actor(fake: SlackFake) -> Actor:
    return Actor(space=fake.team_id, user_id=MOD, name="mika", tags=frozenset({MOD}))
