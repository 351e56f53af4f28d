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
import os
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
CORES = os.cpu_count() or 1


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


def machine_cpu() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / tick, sum(fields[:8]) / tick


def server_cpu(cluster: pgcluster.Cluster) -> float:
    """CPU seconds the PostgreSQL server has used: the postmaster with its reaped backends,
    plus the backends still running."""
    tick = os.sysconf("SC_CLK_TCK")
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "(comm)": state, ppid, ...
        pid, ppid = int(entry.name), int(fields[1])
        if pid == postmaster:
            total += sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
        elif ppid == postmaster:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


class Usage:
    """Where the CPU went while the processes voted: theirs, the server's, everyone else's."""

    def __init__(self) -> None:
        self.bot = self.server = self.machine = self.wall = 0.0
        self.votes = self.retries = self.batches = self.planned = 0

    def per_vote_ms(self, seconds: float) -> float:
        return seconds / self.votes * 1000

    def cores(self, seconds: float) -> float:
        return seconds / self.wall


async def processes_run(
    url: str,
    count: int,
    tag: str,
    cluster: pgcluster.Cluster | None = None,
    usage: Usage | None = None,
) -> float:
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
    server_before = server_cpu(cluster) if cluster is not None else 0.0
    busy_before, _ = machine_cpu()
    start = time.perf_counter()
    for child in children:
        assert child.stdin is not None
        child.stdin.write(b"GO\n")
        await child.stdin.drain()
    outputs = []
    for child in children:
        assert child.stdout is not None
        outputs.append(json.loads((await child.stdout.readline()).decode()))
    wall = time.perf_counter() - start
    busy_after, _ = machine_cpu()
    server_after = server_cpu(cluster) if cluster is not None else 0.0
    for child in children:
        await child.wait()
    assert all(o["exact"] for o in outputs)
    if usage is not None:
        usage.bot += sum(o["cpu"] for o in outputs)
        usage.server += server_after - server_before
        usage.machine += busy_after - busy_before
        usage.wall += wall
        usage.votes += count * VOTES
        usage.retries += sum(o["retries"] for o in outputs)
        usage.batches += sum(o["batches"] for o in outputs)
        usage.planned += sum(o["planned"] for o in outputs)
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
        cpu = time.process_time()
        elapsed, _ = await _run_workers(votes, cast)
        cpu = time.process_time() - cpu
        got = {
            c.number: (c.up, c.down) for c in await service.list_comments(editor, article.number)
        }
        exact = got == expected_tallies(votes)
        committer = store.committer
        print(
            json.dumps(
                {
                    "elapsed": elapsed,
                    "cpu": cpu,
                    "exact": exact,
                    "retries": committer.retries,
                    "batches": committer.stats.batches,
                    "planned": committer.planned,
                }
            ),
            flush=True,
        )
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
        usage = {1: Usage(), 2: Usage()}
        for index in range(ROUNDS):
            for count in (1, 2) if index % 2 == 0 else (2, 1):
                rate = await processes_run(url, count, f"r{index}n{count}", cluster, usage[count])
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
                f"{', '.join(f'{r:,.0f}' for r in twos)} votes/s); tallies checked exact; "
                f"{cpu_note(usage)}"
            ),
        ),
    ]


def cpu_note(usage: dict[int, Usage]) -> str:
    """What a vote costs in CPU, and how much of the machine was left for the two processes."""
    one, two = usage[1], usage[2]
    cost = (two.bot + two.server) / two.votes  # CPU seconds per vote, bot + server
    others = max(0.0, two.cores(two.machine - two.bot - two.server))
    ceiling = max(0.0, CORES - others) / cost
    return (
        f"CPU per vote: bot {one.per_vote_ms(one.bot):.3f} ms + server "
        f"{one.per_vote_ms(one.server):.3f} ms with 1 process, {two.per_vote_ms(two.bot):.3f} + "
        f"{two.per_vote_ms(two.server):.3f} ms with 2; while 2 processes voted they and the "
        f"server used {two.cores(two.bot + two.server):.2f} of the {CORES} cores and other "
        f"work on the machine {others:.2f} (1 process alone: "
        f"{one.cores(one.bot + one.server):.2f} cores, others {max(0.0, one.cores(one.machine - one.bot - one.server)):.2f}); "
        f"the CPU left to them allowed at most {ceiling:,.0f} votes/s "
        f"({ceiling / (one.votes / one.wall):.2f}x one process); no lock conflict between the "
        f"processes: {two.retries} batches rerun after a deadlock, {two.planned:,} of "
        f"{two.batches:,} batches in the fixed statements of the planned path"
    )


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "child":
    asyncio.run(child(sys.argv[2], sys.argv[3]))
