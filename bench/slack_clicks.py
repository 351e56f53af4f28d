"""Item 2: Slack vote clicks over HTTP against an ack-only Bolt app, in the same run.

hanno's real Bolt app (bot.slack.build_app) is served over HTTP on 127.0.0.1 in this process;
Slack's side, the test suite's fake Web API (tests/fakes/slack_fake.py) and the users sending
signed `block_actions` over a keep-alive session, runs in a child process (bench/slack_load.py),
so this process does only what the bot does in production. The baseline is a Bolt app whose
only listener acks, served from this process the same way (bot.slack.http) and clicked the same
way. After an unmeasured warm-up round each, the two apps get ROUNDS rounds each, alternating
(a single pass swings by +-0.15 on this machine), each round by new voters; the rates are over
all measured rounds. hanno acks first and votes after the ack, so the table also shows when
each round's last vote was recorded, and the final tallies are checked exact.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slack_bolt.async_app import AsyncApp

from bench.common import Row, percentile, verdict
from bench.slack_load import (
    CLICKS,
    CONCURRENCY,
    MOD,
    ROUNDS,
    SECRET,
    TOKEN,
    VOTING,
    WARM_UP,
    plan,
)
from bot.config import Settings, SlackConfig
from bot.core.models import Actor
from bot.core.service import HannoService
from bot.render import Renderer
from bot.runtime import settle_heap
from bot.slack import blocks as ui
from bot.slack import build_app
from bot.slack.app import make_client
from bot.slack.front import SlackFrontEnd
from bot.slack.http import make_web_app
from bot.slack.identity import slack_policy
from bot.storage.database import SqliteStore
from tests.fakes.slack_fake import serve

TARGET = 0.7
ROOT = Path(__file__).resolve().parent.parent


class SlackSide:
    """The child process holding the fake Slack and the clicking users."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls) -> tuple[SlackSide, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.slack_load",
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=2**24,
        )
        side = cls(process)
        return side, (await side._answer())["api_url"]

    async def _answer(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), 120)
        if not line:
            raise RuntimeError("bench.slack_load ended early (see its stderr above)")
        return json.loads(line)

    async def ask(self, op: str, url: str = "", round_: int = 0) -> dict[str, Any]:
        assert self.process.stdin is not None
        request = {"op": op, "url": url, "round": round_}
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        await self.process.stdin.drain()
        return await self._answer()

    async def stop(self) -> None:
        if self.process.returncode is None:
            assert self.process.stdin is not None
            self.process.stdin.write(b'{"op": "quit"}\n')
            await self.process.stdin.drain()
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


def ack_only_app(api_url: str) -> AsyncApp:
    app = AsyncApp(client=make_client(TOKEN, api_url), signing_secret=SECRET)

    @app.action(re.compile(".*"))
    async def acknowledge(ack: Any) -> None:
        await ack()

    return app


async def run(directory: Path) -> list[Row]:
    settings = Settings(
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack=SlackConfig(
            mode="http",
            moderators=[MOD],
            voting_channel=VOTING,
            review_channel="CREVIEW",
            publish_channel="CPUBLISH",
        ),
    )
    side, api_url = await SlackSide.start()
    store = await SqliteStore.open(directory / "slack.db")
    service = HannoService(store, policy=slack_policy(settings.slack), renderer=Renderer())
    app = build_app(settings, service, api_url=api_url)
    front: SlackFrontEnd = app.hanno  # type: ignore[attr-defined]
    runner, url = await serve(make_web_app(app))
    base_runner, base_url = await serve(make_web_app(ack_only_app(api_url)))
    settle_heap()  # as run_slack does before serving; process-wide, so both apps run with it
    try:
        cards = await side.ask("setup", f"{url}/slack/events")
        if cards["cards"] != 4:
            raise AssertionError(f"expected 4 comment cards, the fake has {cards['cards']}")
        passes = await _alternate(
            side, front, base=f"{base_url}/slack/events", hanno=f"{url}/slack/events"
        )
        hanno_rounds = [p.round for p in passes["hanno"]]
        hanno_rounds += [p.round for p in passes["warm-up"] if p.recorded]  # hanno's warm-up
        await _check_tallies(service, team="T0HANNO", rounds=hanno_rounds)
    finally:
        await front.close()
        await runner.cleanup()
        await base_runner.cleanup()
        await store.close()
        await side.stop()
    hanno, baseline = passes["hanno"], passes["baseline"]
    rate, base_rate = _rate(hanno), _rate(baseline)
    ratio = rate / base_rate
    rounds = ", ".join(f"{h.rate / b.rate:.2f}x" for h, b in zip(hanno, baseline, strict=True))
    lat = [x for p in hanno for x in p.latencies]
    base_lat = [x for p in baseline for x in p.latencies]
    p50, p99 = percentile(lat, 50), percentile(lat, 99)
    b50, b99 = percentile(base_lat, 50), percentile(base_lat, 99)
    calls: Counter[str] = Counter()
    for p in hanno:
        calls.update(p.calls)
    shown = ", ".join(f"{m} {n}" for m, n in calls.most_common())
    recorded = max(p.recorded for p in hanno)
    return [
        Row(
            item="2 Slack vote clicks (HTTP)",
            measured=f"{rate:,.0f} clicks/s",
            baseline=f"{base_rate:,.0f} clicks/s",
            ratio=f"{ratio:.2f}x",
            target=f">= {TARGET}x, p99 ack << 3 s",
            verdict=verdict(ratio >= TARGET and p99 < 1.0),
            note=(
                f"after {WARM_UP} unmeasured round, {ROUNDS} rounds per app, alternating, of "
                f"{CLICKS:,} signed block_actions by new "
                f"voters, {CONCURRENCY} concurrent; fake Slack and users in a child process; "
                f"rates over all rounds (per round: {rounds}); ack p50 {p50 * 1000:.1f} ms, "
                f"p99 {p99 * 1000:.1f} ms (ack-only app: p50 {b50 * 1000:.1f} ms, "
                f"p99 {b99 * 1000:.1f} ms); each round's votes all recorded within "
                f"{recorded:.2f} s of its first click, tallies exact; Web API calls by hanno "
                f"meanwhile: {shown}"
            ),
        )
    ]


@dataclass
class Pass:
    """One round of clicks sent to one app."""

    round: int
    elapsed: float
    latencies: list[float]
    calls: dict[str, int]
    recorded: float = 0.0

    @property
    def rate(self) -> float:
        return CLICKS / self.elapsed


def _rate(passes: list[Pass]) -> float:
    return CLICKS * len(passes) / sum(p.elapsed for p in passes)


async def _alternate(
    side: SlackSide, front: SlackFrontEnd, *, base: str, hanno: str
) -> dict[str, list[Pass]]:
    """WARM_UP unmeasured rounds per app, then ROUNDS rounds per app, the order swapped every
    round, so that neither app gets the quieter moments of the machine for itself."""
    passes: dict[str, list[Pass]] = {"baseline": [], "hanno": [], "warm-up": []}
    for index in range(WARM_UP + ROUNDS):
        order = ("baseline", "hanno") if index % 2 == 0 else ("hanno", "baseline")
        for offset, name in enumerate(order):
            round_ = 2 * index + offset
            start = time.perf_counter()
            answer = await side.ask("clicks", base if name == "baseline" else hanno, round_)
            if answer["refused"]:
                raise AssertionError(f"clicks refused: {answer['refused'][:3]}")
            done = Pass(round_, answer["elapsed"], answer["latencies"], answer["calls"])
            if name == "hanno":
                await front.drain()
                done.recorded = time.perf_counter() - start
            passes[name if index >= WARM_UP else "warm-up"].append(done)
    return passes


async def _check_tallies(service: HannoService, team: str, rounds: list[int]) -> None:
    expected: dict[int, tuple[int, int]] = {}
    for _, comment, action_id in (click for r in rounds for click in plan(r)):
        up, down = expected.get(comment, (0, 0))
        expected[comment] = (up + (action_id == ui.VOTE_UP), down + (action_id != ui.VOTE_UP))
    reader = Actor(space=team, user_id=MOD, name="mika", tags=frozenset({MOD}))
    for number, (up, down) in expected.items():
        comment = await service.get_comment(reader, number)
        if (comment.up, comment.down) != (up, down):
            raise AssertionError(f"#{number}: {comment.up}/{comment.down}, expected {up}/{down}")
