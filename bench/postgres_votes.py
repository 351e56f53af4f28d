"""Item 7: votes through the core on PostgreSQL, and two bot processes on one database.

A throw-away cluster is started for the run (tests/pgcluster.py) with the server's durable
defaults (fsync on, synchronous_commit on): every COMMIT waits for the WAL flush.

- 9a: the core (every rule of a vote, exact tallies, group commit: one transaction and one
  durable COMMIT per batch of queued votes) against a naive asyncpg baseline: a pool of the
  same size, one upsert (or delete) statement per vote in autocommit, so one durable COMMIT
  per vote. Both with the same votes in flight.
- 9b: the same core votes from two processes at once (each serving its own space, as two
  shards or two Slack workspaces' worth of traffic) against one process alone: each process
  is `python -m bench.postgres_votes child`, started fresh, so both sides pay the same.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg

from bench.common import Row, actor, percentile, verdict
from bench.votes import COMMENTS, CONCURRENCY, PEOPLE, Vote, _run_workers, expected_tallies, plan
from bot.core.policy import RolePolicy
from bot.core.service import HannoService
from bot.render import Renderer
from bot.storage.postgres import PostgresStore
from tests import pgcluster

VOTES = 10_000
ROUNDS = 3  # per side, alternating
TARGET = 2.0
TARGET_PROCESSES = 1.5
ROOT = Path(__file__).resolve().parents[1]


async def core_run(url: str, votes: list[Vote], space: str) -> dict[str, Any]:
    store = await PostgresStore.open(url, upgrade=False)
    try:
        service = HannoService(
            store, policy=RolePolicy.of(moderators=["editor"], translators=[]), renderer=Renderer()
        )
        editor = actor("editor", space=space)
        article = await service.create_article(editor, "Benchmark votes")
        for index in range(COMMENTS):
            await service.add_comment(editor, article.number, f"Comment number {index + 1}")
        people = [actor(f"p{i}", space=space) for i in range(PEOPLE)]

        async def cast(vote: Vote) -> None:
            person, comment, choice = vote
            await service.vote(people[person], comment, choice)

        before = store.committer.stats.batches
        elapsed, latencies = await _run_workers(votes, cast)
        batches = store.committer.stats.batches - before
        got = {
            c.number: (c.up, c.down) for c in await service.list_comments(editor, article.number)
        }
        if got != expected_tallies(votes):
            raise AssertionError("the core's tallies on PostgreSQL differ from a sequential count")
        return {"elapsed": elapsed, "batches": batches, "latencies": latencies}
    finally:
        await store.close()


async def baseline_run(url: str, votes: list[Vote], table: str) -> float:
    pool = await asyncpg.create_pool(url, min_size=10, max_size=10)
    try:
        await pool.execute(
            f"CREATE TABLE {table} (comment_id BIGINT NOT NULL, user_id TEXT NOT NULL, "
            "value BIGINT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (comment_id, user_id))"
        )
        upsert = (
            f"INSERT INTO {table} VALUES ($1, $2, $3, now()::text) ON CONFLICT (comment_id, "
            "user_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
        )
        delete = f"DELETE FROM {table} WHERE comment_id = $1 AND user_id = $2"

        async def cast(vote: Vote) -> None:
            person, comment, choice = vote
            if choice == "clear":
                await pool.execute(delete, comment, f"u-p{person}")
            else:
                await pool.execute(upsert, comment, f"u-p{person}", 1 if choice == "up" else -1)

        elapsed, _ = await _run_workers(votes, cast)
        return elapsed
    finally:
        await pool.close()


async def processes_run(url: str, count: int, tag: str) -> float:
    """Votes per second of `count` child processes voting at once, each VOTES votes."""
    command = [sys.executable, "-m", "bench.postgres_votes", "child", url]
    pipes = {"stdin": asyncio.subprocess.PIPE, "stdout": asyncio.subprocess.PIPE}
    children = [
        await asyncio.create_subprocess_exec(*command, f"{tag}-{i}", str(VOTES), cwd=ROOT, **pipes)
        for i in range(count)
    ]
    # each child prepares its article, says READY, and starts voting on GO
    for child in children:
        assert child.stdout is not None
        assert (await child.stdout.readline()).strip() == b"READY"
    start = time.perf_counter()
    for child in children:
        assert child.stdin is not None
        child.stdin.write(b"GO\n")
        await child.stdin.drain()
    outputs = []
    for child in children:
        assert child.stdout is not None
        outputs.append(json.loads((await child.stdout.readline()).decode()))
        await child.wait()
    wall = time.perf_counter() - start
    assert all(o["exact"] for o in outputs)
    return count * VOTES / wall


async def child(url: str, tag: str) -> None:
    """One bench process: prepare, wait for the go file, vote, print the result."""
    store = await PostgresStore.open(url, upgrade=False)
    try:
        service = HannoService(
            store, policy=RolePolicy.of(moderators=["editor"], translators=[]), renderer=Renderer()
        )
        editor = actor("editor", space=tag)
        article = await service.create_article(editor, "Benchmark votes")
        for index in range(COMMENTS):
            await service.add_comment(editor, article.number, f"Comment number {index + 1}")
        people = [actor(f"p{i}", space=tag) for i in range(PEOPLE)]
        votes = plan(seed=7)[: int(sys.argv[4]) if len(sys.argv) > 4 else VOTES]

        async def cast(vote: Vote) -> None:
            person, comment, choice = vote
            await service.vote(people[person], comment, choice)

        await service.vote(people[0], 1, "up")  # the group-commit connection is open
        await service.vote(people[0], 1, "clear")
        print("READY", flush=True)
        await asyncio.to_thread(sys.stdin.readline)  # GO
        elapsed, _ = await _run_workers(votes, cast)
        got = {
            c.number: (c.up, c.down) for c in await service.list_comments(editor, article.number)
        }
        print(json.dumps({"elapsed": elapsed, "exact": got == expected_tallies(votes)}), flush=True)
    finally:
        await store.close()


async def run(directory: Path) -> list[Row]:
    del directory  # the cluster makes its own
    cluster = pgcluster.Cluster(durable=True).start()
    try:
        await cluster.prepare_template()
        conn = await asyncpg.connect(cluster.url())
        version = await conn.fetchval("SHOW server_version")
        settings = {
            name: await conn.fetchval(f"SHOW {name}")
            for name in ("fsync", "synchronous_commit", "wal_sync_method")
        }
        await conn.close()
        votes = plan(seed=7)[:VOTES]
        bases: list[float] = []
        cores: list[dict[str, Any]] = []
        for index in range(ROUNDS + 1):  # round 0 warms up, unmeasured
            url = await cluster.create_database(f"bench{index}")
            order = ("baseline", "core") if index % 2 == 0 else ("core", "baseline")
            for side in order:
                if side == "baseline":
                    elapsed = await baseline_run(url, votes, "naive_votes")
                    if index:
                        bases.append(elapsed)
                else:
                    result = await core_run(url, votes, "bench")
                    if index:
                        cores.append(result)
        base_rate = VOTES * ROUNDS / sum(bases)
        core_rate = VOTES * ROUNDS / sum(c["elapsed"] for c in cores)
        per_round = ", ".join(f"{b / c['elapsed']:.2f}x" for b, c in zip(bases, cores, strict=True))
        latencies = [x for c in cores for x in c["latencies"]]
        batches = sum(c["batches"] for c in cores) / ROUNDS

        url = await cluster.create_database("bench_processes")
        ones: list[float] = []
        twos: list[float] = []
        for index in range(ROUNDS):
            for count in (1, 2) if index % 2 == 0 else (2, 1):
                rate = await processes_run(url, count, f"r{index}n{count}")
                (ones if count == 1 else twos).append(rate)
        one = sum(ones) / len(ones)
        two = sum(twos) / len(twos)
    finally:
        cluster.stop()
    ratio = core_rate / base_rate
    scale = two / one
    server = f"PostgreSQL {version} (fsync={settings['fsync']}, synchronous_commit={settings['synchronous_commit']}, wal_sync_method={settings['wal_sync_method']})"
    return [
        Row(
            item="9a votes through the core on PostgreSQL",
            measured=f"{core_rate:,.0f} votes/s",
            baseline=f"{base_rate:,.0f} votes/s",
            ratio=f"{ratio:.2f}x",
            target=f">= {TARGET:.0f}x",
            verdict=verdict(ratio >= TARGET),
            note=(
                f"{server}; {VOTES:,} votes, {PEOPLE} people, {COMMENTS} comments, "
                f"{CONCURRENCY} in flight, after an unmeasured round; {ROUNDS} rounds per side, "
                f"alternating (per round: {per_round}); {batches:,.0f} commits per round; ack p50 "
                f"{percentile(latencies, 50) * 1000:.1f} ms, p99 {percentile(latencies, 99) * 1000:.1f} ms; "
                "baseline: asyncpg pool of 10, one upsert per vote in autocommit; tallies checked exact"
            ),
        ),
        Row(
            item="9b two processes on one PostgreSQL",
            measured=f"{two:,.0f} votes/s",
            baseline=f"{one:,.0f} votes/s (1 process)",
            ratio=f"{scale:.2f}x",
            target=f">= {TARGET_PROCESSES}x",
            verdict=verdict(scale >= TARGET_PROCESSES),
            note=(
                f"each process {VOTES:,} core votes in its own space, {CONCURRENCY} in flight, "
                f"started fresh per round; {ROUNDS} rounds per side, alternating "
                f"(1 process: {', '.join(f'{r:,.0f}' for r in ones)}; 2 processes: "
                f"{', '.join(f'{r:,.0f}' for r in twos)} votes/s); tallies checked exact"
            ),
        ),
    ]


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "child":
    asyncio.run(child(sys.argv[2], sys.argv[3]))
