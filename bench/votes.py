"""Item 1: votes through the core with group commit, against a bare upsert-and-commit per vote.

Both sides are durable before they acknowledge: WAL with `synchronous=FULL`, so every COMMIT
waits for the disk. The baseline is one aiosqlite connection in autocommit mode, where each
vote is a single upsert (or delete) statement, its own transaction and its own COMMIT. The
core runs every rule of a vote (comment exists, article collecting, not your own comment, old
vote, exact tallies, the updated comment for the reply) and shares commits between votes.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiosqlite

from bench.common import Row, actor, percentile, verdict
from bot.core.policy import RolePolicy
from bot.core.service import HannoService
from bot.render import Renderer
from bot.storage.database import SqliteStore

VOTES = 20_000
PEOPLE = 500
COMMENTS = 200
CONCURRENCY = 100
TARGET = 2.0
ROUNDS = 6  # per side, alternating, each on a new file: one pass swung from 1.7x to 2.8x
WARM_UP = 5_000  # votes per side first, unmeasured (new files, caches, the first batch)

Vote = tuple[int, int, str]  # (person, comment number, choice)


def plan(seed: int = 5) -> list[Vote]:
    rnd = random.Random(seed)
    choices = ("up", "up", "down", "clear")
    return [
        (rnd.randrange(PEOPLE), rnd.randrange(1, COMMENTS + 1), rnd.choice(choices))
        for _ in range(VOTES)
    ]


def expected_tallies(votes: list[Vote]) -> dict[int, tuple[int, int]]:
    """The tallies a sequential run of `votes` ends with (the core keeps arrival order)."""
    final: dict[tuple[int, int], int] = {}
    for person, comment, choice in votes:
        final[(person, comment)] = {"up": 1, "down": -1, "clear": 0}[choice]
    up: Counter[int] = Counter()
    down: Counter[int] = Counter()
    for (_, comment), value in final.items():
        up[comment] += value == 1
        down[comment] += value == -1
    return {c: (up[c], down[c]) for c in range(1, COMMENTS + 1)}


async def _run_workers(votes: list[Vote], cast) -> tuple[float, list[float]]:
    """Keep CONCURRENCY votes in flight; the elapsed seconds and each vote's time to ack."""
    pending = iter(votes)
    latencies: list[float] = []

    async def worker() -> None:
        for vote in pending:
            start = time.perf_counter()
            await cast(vote)
            latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return time.perf_counter() - start, latencies


async def core_run(directory: Path, votes: list[Vote], tag: str = "") -> dict[str, float]:
    store = await SqliteStore.open(directory / f"core{tag}.db")
    try:
        service = HannoService(
            store, policy=RolePolicy.of(moderators=["editor"], translators=[]), renderer=Renderer()
        )
        editor = actor("editor")
        article = await service.create_article(editor, "Benchmark votes")
        for index in range(COMMENTS):
            await service.add_comment(editor, article.number, f"Comment number {index + 1}")
        people = [actor(f"p{i}") for i in range(PEOPLE)]

        async def cast(vote: Vote) -> None:
            person, comment, choice = vote
            await service.vote(people[person], comment, choice)

        before = store.committer.stats.batches
        elapsed, latencies = await _run_workers(votes, cast)
        batches = store.committer.stats.batches - before
        comments = await service.list_comments(editor, article.number)
        got = {c.number: (c.up, c.down) for c in comments}
        if got != expected_tallies(votes):
            raise AssertionError("the core's tallies differ from a sequential count")
        return {"elapsed": elapsed, "batches": batches, "latencies": latencies}
    finally:
        await store.close()


async def baseline_run(
    directory: Path, votes: list[Vote], synchronous: str, tag: str = ""
) -> float:
    """The baseline's elapsed seconds for `votes`."""
    conn = await aiosqlite.connect(
        directory / f"baseline-{synchronous}{tag}.db", isolation_level=None
    )
    try:
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute(f"PRAGMA synchronous={synchronous}")
        await conn.execute(
            "CREATE TABLE votes (comment_id INTEGER NOT NULL, user_id TEXT NOT NULL, "
            "value INTEGER NOT NULL, updated_at TEXT NOT NULL, "
            "PRIMARY KEY (comment_id, user_id)) WITHOUT ROWID"
        )

        async def cast(vote: Vote) -> None:
            person, comment, choice = vote
            if choice == "clear":
                await conn.execute(
                    "DELETE FROM votes WHERE comment_id = ? AND user_id = ?",
                    (comment, f"u-p{person}"),
                )
            else:
                await conn.execute(
                    "INSERT INTO votes VALUES (?, ?, ?, datetime('now')) "
                    "ON CONFLICT (comment_id, user_id) DO UPDATE SET value = excluded.value, "
                    "updated_at = excluded.updated_at",
                    (comment, f"u-p{person}", 1 if choice == "up" else -1),
                )

        elapsed, _ = await _run_workers(votes, cast)
        return elapsed
    finally:
        await conn.close()


async def run(directory: Path) -> list[Row]:
    votes = plan()
    await baseline_run(directory, votes[:WARM_UP], "FULL", "-warm-up")
    await core_run(directory, votes[:WARM_UP], "-warm-up")
    base_times: list[float] = []
    cores: list[dict[str, Any]] = []
    for index in range(ROUNDS):  # alternating, each side first as often, so neither side
        # gets the quieter moments of the machine
        for side in ("baseline", "core") if index % 2 == 0 else ("core", "baseline"):
            if side == "baseline":
                base_times.append(await baseline_run(directory, votes, "FULL", f"-{index}"))
            else:
                cores.append(await core_run(directory, votes, f"-{index}"))
    normal = len(votes) / await baseline_run(directory, votes, "NORMAL")
    baseline = len(votes) * ROUNDS / sum(base_times)
    core = {
        "rate": len(votes) * ROUNDS / sum(c["elapsed"] for c in cores),
        "batches": sum(c["batches"] for c in cores) / ROUNDS,
        "p50": percentile([x for c in cores for x in c["latencies"]], 50),
        "p99": percentile([x for c in cores for x in c["latencies"]], 99),
    }
    rounds = ", ".join(f"{b / c['elapsed']:.2f}x" for b, c in zip(base_times, cores, strict=True))
    ratio = core["rate"] / baseline
    return [
        Row(
            item="1 votes through the core",
            measured=f"{core['rate']:,.0f} votes/s",
            baseline=f"{baseline:,.0f} votes/s",
            ratio=f"{ratio:.2f}x",
            target=f">= {TARGET:.0f}x",
            verdict=verdict(ratio >= TARGET),
            note=(
                f"{VOTES:,} votes, {PEOPLE} people, {COMMENTS} comments, {CONCURRENCY} in flight; "
                f"after an unmeasured {WARM_UP:,}-vote round per side, {ROUNDS} rounds per side, "
                f"alternating, each on a new file (per round: {rounds}); "
                f"{core['batches']:,.0f} commits per round (avg {VOTES / max(core['batches'], 1):.0f} "
                f"votes each); ack p50 {core['p50'] * 1000:.1f} ms, p99 {core['p99'] * 1000:.1f} ms; "
                f"tallies checked exact"
            ),
        ),
        Row(
            item="1 (reference) baseline, synchronous=NORMAL",
            measured=f"{normal:,.0f} votes/s",
            note="same baseline without the fsync per commit: not durable on power loss",
        ),
    ]
