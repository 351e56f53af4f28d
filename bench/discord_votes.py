"""Item 3: Discord vote clicks through the local fake gateway.

`.venv/bin/python -m bench.discord_votes [n_clicks] [concurrency]` from the repository root.

The fake Discord of the test suite (tests/fakes/discord_fake.py) sends each click as an
INTERACTION_CREATE over its gateway websocket to hanno's real discord.py client, which votes
through the core (durable before it answers) and answers with the interaction callback; the
fake timestamps the dispatch and the callback, so the latency is what Discord would measure
against its 3-second limit. `concurrency` clicks are in flight at any time. The baseline is a
bare discord.py client on the same fake that answers every click at once without any work:
the cost of the library and the fake themselves.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import discord

from bench.common import percentile
from bot.config import Settings
from bot.core.models import Actor
from bot.discord.client import HannoBot, discord_policy
from bot.runtime import settle_heap
from bot.wiring import open_service
from tests.fakes.discord_fake import DiscordFake, FakeInteraction, FakeUser, message_text

MEMBERS = 500
COMMENTS = 20
LIMIT_S = 3.0


class _Patches:
    """`monkeypatch.setattr` outside pytest: point discord.py at the fake, undo afterwards."""

    def __init__(self) -> None:
        self._undo: list[tuple[Any, str, Any]] = []

    def setattr(self, target: Any, name: str, value: Any) -> None:
        self._undo.append((target, name, getattr(target, name)))
        setattr(target, name, value)

    def undo(self) -> None:
        for target, name, value in reversed(self._undo):
            setattr(target, name, value)
        self._undo.clear()


class _AckOnly(discord.Client):
    """The baseline: answers every click immediately, does nothing else."""

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            "ok", ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )


async def _started(client: discord.Client, token: str) -> asyncio.Task[None]:
    task = asyncio.create_task(client.start(token))
    ready = asyncio.create_task(client.wait_until_ready())
    done, _ = await asyncio.wait({task, ready}, timeout=30, return_when="FIRST_COMPLETED")
    if ready not in done:
        ready.cancel()
        if task in done:
            task.result()
        raise RuntimeError("the Discord client did not become ready against the fake")
    return task


Click = tuple[FakeUser, str, str]  # (member, card message id, custom_id)


async def _drive(
    fake: DiscordFake, clicks: list[Click], concurrency: int
) -> tuple[float, list[float], int]:
    """Send `clicks` with at most `concurrency` unanswered; (seconds, latencies, failures)."""
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    failures = 0

    async def one(click: Click) -> None:
        nonlocal failures
        member, message_id, custom_id = click
        async with gate:
            ix: FakeInteraction = await fake.forged_click(member, message_id, custom_id)
            try:
                await ix.response(timeout=30)
            except AssertionError:
                failures += 1
                return
            latencies.append(ix.latency or 0.0)
            body = (ix.callback or {}).get("data") or {}
            if not int(body.get("flags") or 0) & 64:
                failures += 1

    began = time.perf_counter()
    await asyncio.gather(*(one(c) for c in clicks))
    return time.perf_counter() - began, latencies, failures


def _plan(
    members: list[FakeUser], cards: dict[int, str], n_clicks: int, seed: int
) -> tuple[list[Click], dict[int, tuple[int, int]]]:
    """Random clicks, and the (up, down) each comment must end with."""
    rnd = random.Random(seed)
    last: dict[tuple[str, int], int] = {}
    clicks: list[Click] = []
    for _ in range(n_clicks):
        member = rnd.choice(members)
        number = rnd.randrange(1, len(cards) + 1)
        choice = rnd.choice(("up", "up", "down", "clear"))
        clicks.append((member, cards[number], f"hanno:vote:{number}:{choice}"))
        last[(member.id, number)] = {"up": 1, "down": -1, "clear": 0}[choice]
    expected = {n: (0, 0) for n in cards}
    for (_, number), value in last.items():
        up, down = expected[number]
        expected[number] = (up + (value == 1), down + (value == -1))
    return clicks, expected


async def _hanno(
    fake: DiscordFake, directory: Path, n_clicks: int, concurrency: int
) -> dict[str, float]:
    settings = Settings(
        storage={"path": directory / "hanno.db"},
        discord={
            "guild_ids": [int(fake.guild_id)],
            "moderator_roles": ["Moderator"],
            "voting_channel": "voting",
            "review_channel": "review",
            "publish_channel": "publish",
        },
    )
    bot = HannoBot(settings, guild_ready_timeout=0.05)
    async with open_service(
        settings, policy=discord_policy(settings), notifier=bot.notifier
    ) as service:
        bot.service = service
        task = await _started(bot, fake.token)
        settle_heap()  # as run_discord does once logged in; process-wide, the baseline keeps it
        try:
            editor = Actor(
                space=fake.guild_id, user_id="editor", name="editor", tags=frozenset({"Moderator"})
            )
            await service.create_article(editor, "Benchmark")
            for i in range(COMMENTS):
                await service.add_comment(editor, 1, f"Comment {i + 1} for the benchmark")
            await bot.notifier.drain()
            cards = {
                int(message_text(m).split("#", 2)[1].split()[0]): m["id"]
                for m in fake.channel_messages("voting")
                if "hanno:vote:" in str(m.get("components"))
            }
            members = [fake.add_member(f"member{i}") for i in range(MEMBERS)]
            clicks, expected = _plan(members, cards, n_clicks, seed=3)
            edits_before = sum(fake.edit_count(mid) for mid in cards.values())

            seconds, latencies, failures = await _drive(fake, clicks, concurrency)
            await bot.notifier.drain()

            exact = 0
            for number, (up, down) in expected.items():
                comment = await service.get_comment(editor, number)
                shown = message_text(fake.messages[cards[number]])
                exact += (comment.up, comment.down) == (up, down) and (
                    f"{up - down:+d} (▲ {up} ▼ {down})" in shown
                )
            edits = sum(fake.edit_count(mid) for mid in cards.values()) - edits_before
        finally:
            await bot.close()
            await asyncio.wait_for(task, 10)
    return {
        "answered_per_s": n_clicks / seconds,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "max_ms": max(latencies) * 1000 if latencies else float("nan"),
        "over_3s": float(sum(lat >= LIMIT_S for lat in latencies)),
        "failed": float(failures),
        "cards_exact": float(exact == len(expected)),
        "card_edits": float(edits),
    }


async def _baseline(fake: DiscordFake, n_clicks: int, concurrency: int) -> dict[str, float]:
    client = _AckOnly(intents=discord.Intents.default())
    task = await _started(client, fake.token)
    try:
        members = [fake.add_member(f"plain{i}") for i in range(MEMBERS)]
        target = fake.user_message(members[0], "general", "a message to click on")["id"]
        rnd = random.Random(3)
        clicks = [(rnd.choice(members), target, "hanno:vote:1:up") for _ in range(n_clicks)]
        seconds, latencies, failures = await _drive(fake, clicks, concurrency)
    finally:
        await client.close()
        await asyncio.wait_for(task, 10)
    return {
        "baseline_answered_per_s": n_clicks / seconds,
        "baseline_p99_ms": percentile(latencies, 99) * 1000,
        "baseline_failed": float(failures),
    }


async def _with_fake(
    work: Callable[[DiscordFake], Awaitable[dict[str, float]]],
) -> dict[str, float]:
    patches = _Patches()
    try:
        async with DiscordFake() as fake:
            fake.patch(patches)
            return await work(fake)
    finally:
        patches.undo()


async def run(n_clicks: int = 2000, concurrency: int = 50) -> dict[str, float]:
    """Measure hanno and the ack-only baseline, each against a fresh fake Discord."""
    quiet = logging.getLogger("discord")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        with tempfile.TemporaryDirectory(prefix="hanno-bench-discord-") as tmp:
            figures = {"clicks": float(n_clicks), "concurrency": float(concurrency)}
            figures.update(
                await _with_fake(lambda fake: _hanno(fake, Path(tmp), n_clicks, concurrency))
            )
            figures.update(await _with_fake(lambda fake: _baseline(fake, n_clicks, concurrency)))
    finally:
        quiet.setLevel(level)
    figures["ratio_to_baseline"] = figures["answered_per_s"] / figures["baseline_answered_per_s"]
    return figures


def main(argv: list[str]) -> int:
    n_clicks = int(argv[0]) if argv else 2000
    concurrency = int(argv[1]) if len(argv) > 1 else 50
    figures = asyncio.run(run(n_clicks, concurrency))
    print(
        f"Discord vote clicks through the fake gateway ({n_clicks} clicks, {concurrency} in flight)"
    )
    for name, value in figures.items():
        print(f"  {name:26} {value:12.2f}")
    ok = figures["over_3s"] == 0 and figures["failed"] == 0 and figures["cards_exact"] == 1
    print("  verdict                    " + ("ok" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
