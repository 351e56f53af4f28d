"""A batch of votes in a fixed number of statements, whatever its size.

Run one statement at a time, a vote costs three round trips to the server (lock, read,
write), and round trips, not the server's work, are what a vote costs on PostgreSQL. A vote's
operation (`HannoService.vote`) starts by asking for its target, so the committer can ask every
operation of the batch first what it will read (`probe`): it runs each one against a probe that
records the key of its first `vote_target` call and stops it there. Then, for the whole batch:

1. take the articles' shared locks and the (comment, voter) locks in one global order (so two
   processes' batches never wait on each other in a cycle), in two statements;
2. read every target in one statement, after the locks (READ COMMITTED: it sees every vote
   committed before the locks were granted);
3. run each operation for real against those rows (`PlannedBatchTx`): its checks as always, its
   writes kept in memory, so an operation that fails leaves nothing to undo;
4. write every vote, every withdrawal and every tally change in four statements, and COMMIT.

An operation that does anything else (`execute`, a second target) makes the batch run the
plain way instead (bot/storage/postgres/group_commit.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg

from bot.storage.postgres.tx import add_tallies, pg_sql
from bot.storage.repository import (
    VOTE_TARGET_SQL,
    VoteTarget,
    _tally_delta,
    _ts,
    _vote_target,
    now,
)

Key = tuple[str, int, str]  # (space, comment number, voter)
Outcome = tuple[bool, Any]

KEYS = "unnest($1::text[], $2::bigint[], $3::text[]) AS k (space, number, user_id)"
LOCK_ARTICLES_SQL = (
    "SELECT pg_advisory_xact_lock_shared(id) FROM (SELECT DISTINCT c.article_id AS id "
    f"FROM {KEYS} JOIN comments c ON c.space = k.space AND c.number = k.number ORDER BY 1) s"
)
LOCK_PAIRS_SQL = (
    "SELECT pg_advisory_xact_lock(h1, h2) FROM (SELECT DISTINCT "
    "hashtext(c.space || '/' || c.number::text) AS h1, hashtext(k.user_id) AS h2 "
    f"FROM {KEYS} JOIN comments c ON c.space = k.space AND c.number = k.number "
    "ORDER BY 1, 2) s"
)
_target = pg_sql(VOTE_TARGET_SQL).replace("$1", "k.user_id").replace("$2", "k.space")
TARGETS_SQL = (
    "SELECT k.space AS k_space, k.number AS k_number, k.user_id AS k_user, x.* "
    f"FROM {KEYS} LEFT JOIN LATERAL ({_target.replace('$3', 'k.number')}) x ON true"
)
UPSERT_VOTES_SQL = (
    "INSERT INTO votes (comment_id, user_id, value, updated_at) "
    "SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[]) "
    "ON CONFLICT (comment_id, user_id) DO UPDATE SET value = excluded.value, "
    "updated_at = excluded.updated_at"
)
DELETE_VOTES_SQL = (
    "DELETE FROM votes v USING unnest($1::bigint[], $2::text[]) AS d (comment_id, user_id) "
    "WHERE v.comment_id = d.comment_id AND v.user_id = d.user_id"
)


class _Probed(BaseException):
    """Stops a probed operation at its first read; carries the key it asked for."""

    def __init__(self, key: Key | None) -> None:
        self.key = key


class Unplanned(Exception):
    """An operation did something the plan did not foresee; run the batch the plain way."""


class _Probe:
    def vote_target(self, space: str, number: int, user_id: str) -> None:
        raise _Probed((space, int(number), user_id))

    def __getattr__(self, name: str) -> Any:
        raise _Probed(None)


def probe(operations: list[Callable[[Any], Any]]) -> list[Key] | None:
    """The target key of each operation, or None when one of them reads something else."""
    keys: list[Key] = []
    for operation in operations:
        try:
            operation(_Probe())
        except _Probed as probed:
            if probed.key is None:
                return None
            keys.append(probed.key)
        except Exception:
            return None
        else:
            return None
    return keys


class _State:
    """What the batch has read and what its successful operations changed so far."""

    def __init__(self, targets: dict[Key, dict[str, Any] | None]) -> None:
        self.targets = targets
        self.votes: dict[tuple[int, str], int] = {}  # (comment id, voter) -> value, 0 = none
        self.tallies: dict[int, list[int]] = {}


class PlannedBatchTx:
    """The vote path for one operation of a planned batch: reads from the batch's rows,
    writes kept until the batch writes them all."""

    def __init__(self, state: _State) -> None:
        self._state = state
        self._read: dict[int, tuple[int, int]] = {}
        self.votes: dict[tuple[int, str], int] = {}
        self.deltas: dict[int, list[int]] = {}
        self.statements = 0

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        raise Unplanned("execute")

    def vote_target(self, space: str, number: int, user_id: str) -> VoteTarget | None:
        key = (space, int(number), user_id)
        if key not in self._state.targets:
            raise Unplanned(f"target {key}")
        found = self._state.targets[key]
        if found is None:
            return None
        row = dict(found)
        cid = row["id"]
        pending = self._state.tallies.get(cid)
        if pending:
            row["up"] += pending[0]
            row["down"] += pending[1]
        row["my_vote"] = self._state.votes.get((cid, user_id), row["my_vote"] or 0)
        self._read[cid] = (row["up"], row["down"])
        return _vote_target(row)

    def set_vote(self, comment_id: int, user_id: str, old: int, value: int) -> tuple[int, int]:
        self.votes[(comment_id, user_id)] = value
        up, down = _tally_delta(old, value)
        own = self.deltas.setdefault(comment_id, [0, 0])
        own[0] += up
        own[1] += down
        read_up, read_down = self._read.get(comment_id, (0, 0))
        return read_up + own[0], read_down + own[1]


async def run_planned(
    conn: asyncpg.Connection,
    operations: list[Callable[[Any], Any]],
    keys: list[Key],
    run_plain: Callable[..., Any],
) -> list[Outcome]:
    """The batch in one open transaction (the caller BEGINs and COMMITs); raises `Unplanned`
    when an operation strays from its plan."""
    distinct = sorted(set(keys))
    columns = ([k[0] for k in distinct], [k[1] for k in distinct], [k[2] for k in distinct])
    await conn.execute(LOCK_ARTICLES_SQL, *columns)
    await conn.execute(LOCK_PAIRS_SQL, *columns)
    targets: dict[Key, dict[str, Any] | None] = {}
    for record in await conn.fetch(TARGETS_SQL, *columns):
        row = dict(record.items())
        key = (row.pop("k_space"), row.pop("k_number"), row.pop("k_user"))
        targets[key] = row if row["id"] is not None else None
    state = _State(targets)
    outcomes: list[Outcome] = []
    for operation in operations:
        tx = PlannedBatchTx(state)
        try:
            result = await run_plain(operation, tx)
        except Unplanned:
            raise
        except Exception as error:
            outcomes.append((False, error))
            continue
        state.votes.update(tx.votes)
        for cid, (up, down) in tx.deltas.items():
            total = state.tallies.setdefault(cid, [0, 0])
            total[0] += up
            total[1] += down
        outcomes.append((True, result))
    stamp = _ts(now())
    kept = sorted((k, v) for k, v in state.votes.items() if v != 0)
    gone = sorted(k for k, v in state.votes.items() if v == 0)
    if kept:
        await conn.execute(
            UPSERT_VOTES_SQL,
            [k[0] for k, _ in kept],
            [k[1] for k, _ in kept],
            [v for _, v in kept],
            [stamp] * len(kept),
        )
    if gone:
        await conn.execute(DELETE_VOTES_SQL, [k[0] for k in gone], [k[1] for k in gone])
    await add_tallies(conn, state.tallies)
    return outcomes
