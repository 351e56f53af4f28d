"""Group commit: many small writes share one transaction and one durable COMMIT.

With `synchronous=FULL` every COMMIT waits for the WAL to reach the disk (an fsync), and that
wait is most of what a lone vote costs. When a whole team clicks at once, votes queue up here
while the previous batch commits; one task then applies everything that is waiting in one
transaction and commits once, so a hundred votes pay for one fsync instead of a hundred.

The batch runs in one call on a writer thread with its own sqlite3 connection to the same file:
handing each statement to aiosqlite's thread separately would cost more than SQLite itself.
Operations are therefore plain (synchronous) callables taking a `BatchTx`; they run on that
thread and must not touch the event loop.

An operation that raises (a refused vote, a constraint error) has its own changes undone and its
caller gets the exception, while the rest of the batch still commits: one that raised before
writing anything needs no undoing, and one that wrote first makes the batch run again with each
operation in its own SAVEPOINT (see `_attempt`). A caller's future is resolved only after COMMIT returned, so nothing is
acknowledged before it is durable; if the COMMIT fails, every caller of that batch gets the
error and nothing of the batch is kept.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from bot.storage.repository import BatchTx

log = logging.getLogger(__name__)

T = TypeVar("T")
Operation = Callable[[BatchTx], T]
Outcome = tuple[bool, Any]


@dataclass
class _Job(Generic[T]):
    operation: Operation[T]
    future: asyncio.Future[T]


@dataclass
class BatchStats:
    """What the writer did so far; the benchmark shows it to prove batching happened."""

    batches: int = 0
    operations: int = 0
    largest: int = 0


class CommitQueue:
    """Operations queued for the next batch and the one task that drains them; a store's
    committer says in `_drain` how a batch is run and committed."""

    def __init__(self, *, max_batch: int = 1000) -> None:
        self._max_batch = max_batch
        self._pending: list[_Job[Any]] = []
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self.stats = BatchStats()

    async def run(self, operation: Operation[T]) -> T:
        """Apply `operation(tx)` in the next batch; its result once that batch has committed."""
        if self._closed:
            raise RuntimeError("the store is closed")
        loop = asyncio.get_running_loop()
        job: _Job[T] = _Job(operation, loop.create_future())
        self._pending.append(job)
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._drain(), name="hanno-group-commit")
        return await job.future

    async def _drain(self) -> None:
        raise NotImplementedError

    def _next_batch(self) -> list[_Job[Any]]:
        """The next jobs to run, leaving out those whose caller stopped waiting."""
        batch = [job for job in self._pending[: self._max_batch] if not job.future.done()]
        del self._pending[: self._max_batch]
        return batch

    def _count(self, batch: list[_Job[Any]]) -> None:
        self.stats.batches += 1
        self.stats.operations += len(batch)
        self.stats.largest = max(self.stats.largest, len(batch))


class GroupCommitter(CommitQueue):
    """A queue of write operations drained by one task, one transaction per batch.

    `lock` is the store's one-writer lock: a batch holds it from BEGIN to COMMIT, so batches
    and the store's ordinary transactions never overlap. The writer connection is opened on
    first use, so stores that never group-commit pay nothing for it.
    """

    def __init__(
        self, path: Path, lock: asyncio.Lock, *, synchronous: str, max_batch: int = 1000
    ) -> None:
        super().__init__(max_batch=max_batch)
        self._path = path
        self._lock = lock
        self._synchronous = synchronous
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None

    async def close(self) -> None:
        """Finish what is queued, then close the writer connection and refuse new work."""
        self._closed = True
        if self._task is not None:
            await self._task
        if self._executor is not None:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._disconnect)
            self._executor.shutdown(wait=True)
            self._executor = None

    async def _drain(self) -> None:
        # No await between the last `while` check and returning, so a job appended while this
        # task is alive is always seen by it; `run` starts a new task once this one is done.
        loop = asyncio.get_running_loop()
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="hanno-writer")
        while self._pending:
            async with self._lock:
                batch = self._next_batch()
                if not batch:
                    continue
                operations = [job.operation for job in batch]
                work = loop.run_in_executor(self._executor, self._apply, operations)
                try:
                    outcomes = await asyncio.shield(work)
                except asyncio.CancelledError:
                    # The loop is shutting down: let the batch finish while we hold the lock,
                    # then tell the callers what happened before giving up.
                    _resolve(batch, await work)
                    raise
                except BaseException as error:
                    # Not an operation's refusal (those are outcomes) but something that got
                    # past them: the callers get it (they are the ones to re-raise it), the
                    # connection is not left mid-transaction, and the writer goes on.
                    log.error("a batch of %d writes broke off: %r", len(batch), error)
                    await loop.run_in_executor(self._executor, self._rollback)
                    outcomes = [(False, error)] * len(batch)
            _resolve(batch, outcomes)
            self._count(batch)

    # on the writer thread --------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA synchronous={self._synchronous}")
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("PRAGMA temp_store=MEMORY")
            self._conn = conn
        return self._conn

    def _disconnect(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _apply(self, operations: list[Operation[Any]]) -> list[Outcome]:
        """One transaction for the batch: each operation's outcome, or all failed together."""
        try:
            conn = self._connect()
            outcomes = _attempt(conn, operations, savepoints=False)
            if outcomes is None:  # one wrote and then failed: only a savepoint undoes just it
                conn.execute("ROLLBACK")
                outcomes = _attempt(conn, operations, savepoints=True)
                assert outcomes is not None
            conn.execute("COMMIT")
            return outcomes
        except Exception as error:
            self._rollback()
            log.warning("a batch of %d writes was rolled back: %r", len(operations), error)
            return [(False, error)] * len(operations)

    def _rollback(self) -> None:
        """Undo the open transaction unless SQLite already did (disk full, I/O error)."""
        if self._conn is None or not self._conn.in_transaction:
            return
        try:
            self._conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.exception("rolling back a failed batch failed too")


def _attempt(
    conn: sqlite3.Connection, operations: list[Operation[Any]], *, savepoints: bool
) -> list[Outcome] | None:
    """Run the batch in a new transaction, leaving it open for COMMIT.

    Without `savepoints`, an operation that raises before it wrote anything (a refused vote:
    every check comes before the writes) needs nothing undone, and the two statements a
    savepoint costs per operation are saved. If one raises after writing, the answer is None:
    the caller rolls the batch back and runs it again with a savepoint around each operation
    (so operations must give the same outcome when run again on the same state, as votes do).
    """
    conn.execute("BEGIN IMMEDIATE")
    outcomes: list[Outcome] = []
    for operation in operations:
        if savepoints:
            conn.execute("SAVEPOINT job")
        written = conn.total_changes
        try:
            result = operation(BatchTx(conn))
        except Exception as error:
            if savepoints:
                conn.execute("ROLLBACK TO job")
                conn.execute("RELEASE job")
            elif conn.total_changes != written:
                return None
            outcomes.append((False, error))
        else:
            if savepoints:
                conn.execute("RELEASE job")
            outcomes.append((True, result))
        if not conn.in_transaction:  # SQLite gave up (disk full, I/O error): nothing stands
            raise sqlite3.OperationalError("the batch's transaction ended before its COMMIT")
    return outcomes


def _resolve(batch: list[_Job[Any]], outcomes: list[Outcome]) -> None:
    for job, (ok, value) in zip(batch, outcomes, strict=True):
        if job.future.done():  # the caller stopped waiting; its change stands
            continue
        if ok:
            job.future.set_result(value)
        else:
            job.future.set_exception(value)
