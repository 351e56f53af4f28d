"""Group commit on PostgreSQL: the votes that queue up while a batch commits share the next
transaction and its one durable COMMIT (`synchronous_commit = on`: the WAL is flushed before
COMMIT returns, and only then is any caller answered).

The contract is the SQLite committer's (bot/storage/group_commit.py): an operation is a plain
function of a batch transaction; one that raises has its own changes undone and its caller
gets the exception, while the rest of the batch commits. Here the batch runs on one dedicated
connection, the operations through the greenlet bridge. Two things are PostgreSQL's own:

- A statement that fails aborts the whole transaction, so an operation that wrote or whose
  statement failed makes the batch run again with a SAVEPOINT around each operation.
- Several processes commit batches at once. A deadlock or serialization failure between them
  (possible only when the same person votes on the same comments in two processes at the same
  moment) rolls the batch back and runs it again, which is safe: operations give the same
  outcome when run again on the same state.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg

from bot.storage.group_commit import CommitQueue, Outcome, _resolve
from bot.storage.postgres.batch import Unplanned, probe, run_planned
from bot.storage.postgres.bridge import run_plain
from bot.storage.postgres.tx import PgBatchTx, add_tallies

log = logging.getLogger(__name__)

T = TypeVar("T")
Operation = Callable[[Any], T]
RETRIABLE = (asyncpg.exceptions.DeadlockDetectedError, asyncpg.exceptions.SerializationError)
ATTEMPTS = 8


class _Retry(Exception):
    """The batch met another process's transaction in a cycle; run it again."""


class PgGroupCommitter(CommitQueue):
    """A queue of write operations drained by one task, one transaction per batch, on one
    connection of its own (opened on first use)."""

    def __init__(
        self, connect: Callable[[], Awaitable[asyncpg.Connection]], *, max_batch: int = 1000
    ) -> None:
        super().__init__(max_batch=max_batch)
        self._connect = connect
        self._conn: asyncpg.Connection | None = None
        self.retries = 0
        self.planned = 0  # batches run in a fixed number of statements (batch.py)

    async def close(self) -> None:
        self._closed = True
        if self._task is not None:
            await self._task
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def _drain(self) -> None:
        while self._pending:
            batch = self._next_batch()
            if not batch:
                continue
            work = asyncio.ensure_future(self._apply([job.operation for job in batch]))
            try:
                outcomes = await asyncio.shield(work)
            except asyncio.CancelledError:
                _resolve(batch, await work)
                raise
            _resolve(batch, outcomes)
            self._count(batch)

    async def _apply(self, operations: list[Operation[Any]]) -> list[Outcome]:
        """Each operation's outcome once the batch committed, or all failed together."""
        try:
            for attempt in range(ATTEMPTS):
                try:
                    conn = await self._connection()
                    keys = probe(operations)
                    outcomes = None
                    if keys is not None:
                        outcomes = await self._planned(conn, operations, keys)
                    if outcomes is None:
                        outcomes = await self._attempt(conn, operations, savepoints=False)
                    if outcomes is None:
                        outcomes = await self._attempt(conn, operations, savepoints=True)
                    assert outcomes is not None
                    return outcomes
                except (_Retry, *RETRIABLE) as error:
                    self.retries += 1
                    log.info("batch of %d writes runs again (%r)", len(operations), error)
                    await asyncio.sleep(0.005 * (attempt + 1))
            raise RuntimeError(f"a batch of votes met other writers {ATTEMPTS} times in a row")
        except BaseException as error:
            if not isinstance(error, Exception):
                log.error("a batch of %d writes broke off: %r", len(operations), error)
            else:
                log.warning("a batch of %d writes was rolled back: %r", len(operations), error)
            await self._discard_broken()
            return [(False, error)] * len(operations)

    async def _connection(self) -> asyncpg.Connection:
        if self._conn is None or self._conn.is_closed():
            self._conn = await self._connect()
        return self._conn

    async def _discard_broken(self) -> None:
        """After an error the connection may be mid-transaction or dead: start afresh."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await asyncio.wait_for(conn.close(), 5)
            except Exception:
                conn.terminate()

    async def _planned(
        self, conn: asyncpg.Connection, operations: list[Operation[Any]], keys: list[Any]
    ) -> list[Outcome] | None:
        """The batch in a fixed number of statements (bot/storage/postgres/batch.py); None
        when an operation strayed from its plan and the batch must run the plain way."""
        await conn.execute("BEGIN")
        try:
            outcomes = await run_planned(conn, operations, keys, run_plain)
            await self._commit(conn)
            self.planned += 1
            return outcomes
        except Unplanned:
            await conn.execute("ROLLBACK")
            return None
        except BaseException:
            await _abandon(conn)
            raise

    @staticmethod
    async def _commit(conn: asyncpg.Connection) -> None:
        # On a transaction that a failed statement aborted, COMMIT rolls back and says so.
        if await conn.execute("COMMIT") != "COMMIT":
            raise asyncpg.exceptions.InFailedSQLTransactionError(
                "the batch's transaction was aborted before its COMMIT"
            )

    async def _attempt(
        self, conn: asyncpg.Connection, operations: list[Operation[Any]], *, savepoints: bool
    ) -> list[Outcome] | None:
        """One transaction for the batch; None when an operation that failed had written
        (or hit a failed statement) and no savepoint can undo just it."""
        await conn.execute("BEGIN")
        try:
            tallies: dict[int, list[int]] = {}
            outcomes: list[Outcome] = []
            for operation in operations:
                if savepoints:
                    await conn.execute("SAVEPOINT job")
                tx = PgBatchTx(conn, tallies)
                try:
                    result = await run_plain(operation, tx)
                except RETRIABLE:
                    raise
                except Exception as error:
                    if savepoints:
                        await conn.execute("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job")
                    elif tx.wrote or isinstance(error, asyncpg.PostgresError):
                        await conn.execute("ROLLBACK")
                        return None
                    outcomes.append((False, error))
                    continue
                if savepoints:
                    await conn.execute("RELEASE SAVEPOINT job")
                for comment_id, (up, down) in tx.deltas.items():
                    total = tallies.setdefault(comment_id, [0, 0])
                    total[0] += up
                    total[1] += down
                outcomes.append((True, result))
            await add_tallies(conn, tallies)
            await self._commit(conn)
            return outcomes
        except BaseException:
            await _abandon(conn)
            raise


async def _abandon(conn: asyncpg.Connection) -> None:
    """Roll back whatever the failed batch left open (or drop a connection that cannot)."""
    if not conn.is_closed() and conn.is_in_transaction():
        try:
            await conn.execute("ROLLBACK")
        except Exception:
            conn.terminate()
