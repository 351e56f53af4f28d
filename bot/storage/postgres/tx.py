"""The repository on asyncpg: the shared SQL of `Tx`, plus the locks that keep every rule whole
when several bot processes work on the same articles.

Isolation is PostgreSQL's default, READ COMMITTED: each statement sees what was committed
when it began. That is enough once every read that a decision rests on comes *after* the lock
that keeps a competing decision out:

- A command on an article (close, claim, approve, reject, edit, publish's reads) takes the
  article's transaction-level advisory lock before it reads anything of it. `PgTx` takes it in
  the lookups every command starts with (`get_article`, `article_id`, `get_comment`,
  `comment_id`), so two processes run commands on one article one after the other, exactly
  as SQLite's single writer does: one claim per comment, N distinct approvals, a stale
  approval withdrawn, approve against reject.
- A vote takes the same lock in shared mode (votes do not exclude each other, but closing the
  voting waits for the votes in flight and they for it) and an exclusive lock on the pair
  (comment, voter), then reads the voter's current vote: the same person clicking in two
  processes at once is counted once.
- Tallies move by `up = up + delta`. A batch of votes adds its deltas at its end, comments in
  id order, so two processes' batches never wait on each other in a cycle.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import asyncpg

from bot.storage.postgres.bridge import wait
from bot.storage.repository import (
    DELETE_VOTE_SQL,
    UPSERT_VOTE_SQL,
    VOTE_TARGET_SQL,
    Tx,
    VoteTarget,
    _tally_delta,
    _ts,
    _vote_target,
    now,
)

Row = Any  # an asyncpg Record, read by column name like sqlite3.Row
# The channel of `announce_change` (bot/storage/postgres/store.py listens on it).
CHANGES_CHANNEL = "hanno_changes"
PLACEHOLDER = re.compile(r"\?")

LOCK_ARTICLE_SQL = "SELECT pg_advisory_xact_lock(id) FROM articles WHERE space = $1 AND number = $2"
LOCK_ARTICLE_OF_COMMENT_SQL = (
    "SELECT pg_advisory_xact_lock(article_id) FROM comments WHERE space = $1 AND number = $2"
)
# A vote: the article shared (closing waits for votes in flight), the (comment, voter) pair
# exclusive, before the voter's current vote is read by the next statement.
LOCK_VOTE_SQL = (
    "SELECT pg_advisory_xact_lock_shared(article_id), "
    "pg_advisory_xact_lock(hashtext(space || '/' || number::text), hashtext($3)) "
    "FROM comments WHERE space = $1 AND number = $2"
)
# Tallies of a batch, comments locked in id order first so batches never deadlock on them.
LOCK_TALLIES_SQL = "SELECT 1 FROM comments WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE"
ADD_TALLIES_SQL = (
    "UPDATE comments AS c SET up = c.up + d.up, down = c.down + d.down "
    "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS d (id, up, down) WHERE c.id = d.id"
)


@lru_cache(maxsize=2048)
def pg_sql(sql: str) -> str:
    """The repository's `?` placeholders as PostgreSQL's `$1, $2, …` (no `?` sits in a literal)."""
    counter = iter(range(1, sql.count("?") + 1))
    return PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


class PgTx(Tx):
    """`Tx` on one asyncpg connection inside an open transaction."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__(conn)  # type: ignore[arg-type]
        self._locked: set[tuple[str, str, int]] = set()

    async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
        self.statements += 1
        return await self._conn.fetch(pg_sql(sql), *params)

    async def _run(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        self.statements += 1
        await self._conn.execute(pg_sql(sql), *params)

    async def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.statements += 1
        if rows:
            await self._conn.executemany(pg_sql(sql), rows)

    async def announce_change(self, topic: str) -> None:
        """NOTIFY, delivered to every listening process when (and only if) this commits."""
        self.statements += 1
        await self._conn.execute("SELECT pg_notify($1, $2)", CHANGES_CHANNEL, topic)

    # the article lock, taken by the lookups every command starts with ------------------------

    async def _lock(self, kind: str, sql: str, space: str, number: int) -> None:
        key = (kind, space, number)
        if key not in self._locked:
            self.statements += 1
            await self._conn.execute(sql, space, number)
            self._locked.add(key)

    async def article_id(self, space: str, number: int) -> int | None:
        await self._lock("a", LOCK_ARTICLE_SQL, space, number)
        return await super().article_id(space, number)

    async def get_article(self, space: str, number: int) -> Any:
        await self._lock("a", LOCK_ARTICLE_SQL, space, number)
        return await super().get_article(space, number)

    async def comment_id(self, space: str, number: int) -> int | None:
        await self._lock("c", LOCK_ARTICLE_OF_COMMENT_SQL, space, number)
        return await super().comment_id(space, number)

    async def get_comment(self, space: str, number: int) -> Any:
        await self._lock("c", LOCK_ARTICLE_OF_COMMENT_SQL, space, number)
        return await super().get_comment(space, number)

    async def vote_of(self, comment_id: int, user_id: str) -> int:
        """The current vote, read after the (comment, voter) lock as the batch path does."""
        row = await self._one("SELECT space, number FROM comments WHERE id = ?", (comment_id,))
        if row is not None:
            self.statements += 1
            await self._conn.execute(LOCK_VOTE_SQL, row["space"], row["number"], user_id)
        return await super().vote_of(comment_id, user_id)


class PgBatchTx:
    """The vote path for one operation of a PostgreSQL group-commit batch.

    Plain (synchronous) methods as the core expects (`HannoService.vote`); each statement is
    awaited on the event loop through the greenlet bridge. Tally changes are not written
    here: they are kept in `deltas` and the batch adds them all at its end (see the module's
    docstring); the tallies returned are those read plus every earlier change of the batch.
    """

    def __init__(self, conn: asyncpg.Connection, batch: dict[int, list[int]]) -> None:
        self._conn = conn
        self._batch = batch
        self._read: dict[int, tuple[int, int]] = {}
        self.deltas: dict[int, list[int]] = {}
        self.wrote = False
        self.statements = 0

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Any statement in the batch's transaction, its rows (for tests and maintenance)."""
        self.statements += 1
        self.wrote = True
        return wait(self._conn.fetch(pg_sql(sql), *params))

    def vote_target(self, space: str, number: int, user_id: str) -> VoteTarget | None:
        self.statements += 2
        wait(self._conn.execute(LOCK_VOTE_SQL, space, number, user_id))
        record = wait(self._conn.fetchrow(pg_sql(VOTE_TARGET_SQL), user_id, space, number))
        if record is None:
            return None
        row = dict(record.items())
        pending = self._batch.get(row["id"])
        if pending:
            row["up"] += pending[0]
            row["down"] += pending[1]
        self._read[row["id"]] = (row["up"], row["down"])
        return _vote_target(row)

    def set_vote(self, comment_id: int, user_id: str, old: int, value: int) -> tuple[int, int]:
        """As `Tx.set_vote`; `old` was read by `vote_target` under the pair's lock."""
        self.statements += 1
        self.wrote = True
        if value == 0:
            wait(self._conn.execute(pg_sql(DELETE_VOTE_SQL), comment_id, user_id))
        else:
            wait(
                self._conn.execute(pg_sql(UPSERT_VOTE_SQL), comment_id, user_id, value, _ts(now()))
            )
        up, down = _tally_delta(old, value)
        own = self.deltas.setdefault(comment_id, [0, 0])
        own[0] += up
        own[1] += down
        read_up, read_down = self._read.get(comment_id, (0, 0))
        return read_up + own[0], read_down + own[1]


async def add_tallies(conn: asyncpg.Connection, deltas: dict[int, list[int]]) -> None:
    """Write a batch's tally changes: lock the comments in id order, then one UPDATE."""
    changed = sorted(cid for cid, (up, down) in deltas.items() if up or down)
    if not changed:
        return
    await conn.execute(LOCK_TALLIES_SQL, changed)
    await conn.execute(
        ADD_TALLIES_SQL,
        changed,
        [deltas[cid][0] for cid in changed],
        [deltas[cid][1] for cid in changed],
    )
