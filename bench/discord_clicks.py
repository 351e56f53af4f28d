"""Item 3: Discord vote clicks through the local fake gateway.

hanno's real discord.py bot (bot.discord.client.HannoBot) connects to the test suite's fake
Discord (tests/fakes/discord_fake.py: a gateway WebSocket and the REST API on 127.0.0.1); each
click is an INTERACTION_CREATE sent over the gateway and answered through the interaction
callback, where Discord's 3-second limit applies. Measured: interactions answered per second
with 50 in flight, and the time from dispatch to the callback.
"""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

import pytest

from bench.common import Row, percentile, verdict
from bot.config import Settings
from bot.discord.client import HannoBot, discord_policy
from bot.discord.identity import system_actor
from bot.wiring import open_service
from tests.fakes.discord_fake import DiscordFake, FakeUser, message_text

CLICKS = 2_000
CONCURRENCY = 50
VOTERS = 500
DISCORD_LIMIT = 3.0


async def run(directory: Path) -> list[Row]:
    rnd = random.Random(3)
    with pytest.MonkeyPatch.context() as patch:
        async with DiscordFake() as fake:
            fake.patch(patch)
            mod = fake.add_member("aiko", roles=["Moderator"])
            author = fake.add_member("alice")
            voters = [fake.add_member(f"fan{i:03d}") for i in range(VOTERS)]
            settings = Settings(
                storage={"path": directory / "discord.db"},
                discord={
                    "guild_ids": [int(fake.guild_id)],
                    "moderator_roles": ["Moderator"],
                    "voting_channel": "voting",
                    "review_channel": "review",
                    "publish_channel": "publish",
                },
            )
            bot = HannoBot(settings, guild_ready_timeout=0.05, coalesce_delay=0.05)
            async with open_service(
                settings, policy=discord_policy(settings), notifier=bot.notifier
            ) as service:
                bot.service = service
                task = asyncio.create_task(bot.start(fake.token))
                try:
                    await asyncio.wait_for(bot.wait_until_ready(), 15)
                    return await _measure(fake, bot, service, mod, author, voters, rnd)
                finally:
                    await bot.close()
                    await asyncio.wait_for(task, 10)


async def _measure(fake, bot, service, mod, author, voters, rnd) -> list[Row]:  # type: ignore[no-untyped-def]
    await (await fake.slash(mod, "article", "new", title="Benchmark night")).reply()
    cards_count = CLICKS // VOTERS
    for n in range(cards_count):
        await (
            await fake.slash(author, "comment", "add", article=1, text=f"Comment {n + 1}.")
        ).reply()
    await bot.notifier.drain()
    cards = {
        n: next(
            m["id"] for m in fake.channel_messages("voting") if f"Comment #{n}" in message_text(m)
        )
        for n in range(1, cards_count + 1)
    }
    clicks: list[tuple[FakeUser, int, str]] = [
        (voter, n, rnd.choice(("up", "up", "down"))) for n in cards for voter in voters
    ]
    rnd.shuffle(clicks)
    pending = iter(clicks)
    latencies: list[float] = []

    async def worker() -> None:
        for voter, n, choice in pending:
            ix = await fake.click(voter, cards[n], f"hanno:vote:{n}:{choice}")
            reply = await ix.reply(timeout=15)
            if "score is now" not in reply["content"]:
                raise AssertionError(f"unexpected answer: {reply['content']}")
            latencies.append(ix.latency if ix.latency is not None else float("inf"))

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - start
    await bot.notifier.drain()
    for n in cards:
        want = [c for _, m, c in clicks if m == n]
        comment = await service.get_comment(system_actor(fake.guild_id), n)
        if (comment.up, comment.down) != (want.count("up"), want.count("down")):
            raise AssertionError(f"#{n}: tallies {comment.up}/{comment.down} are wrong")
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    return [
        Row(
            item="3 Discord vote clicks (gateway)",
            measured=f"{len(clicks) / elapsed:,.0f} interactions/s",
            target=f"p99 callback < {DISCORD_LIMIT:.0f} s",
            verdict=verdict(p99 < DISCORD_LIMIT),
            note=(
                f"{len(clicks):,} button clicks by {VOTERS} members on {len(cards)} cards, "
                f"{CONCURRENCY} in flight; time to the interaction callback p50 "
                f"{p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms; tallies exact"
            ),
        )
    ]
