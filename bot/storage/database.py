"""The SQLite file: opening it with the right pragmas, migrating it, and one-writer transactions.

aiosqlite runs every statement of a connection on one worker thread, but two coroutines can
still interleave their statements inside what each thinks is its own transaction. A single
asyncio lock around each transaction keeps "one command, one transaction" true.

Durability: the file is in WAL mode with `synchronous=FULL`, so a COMMIT returns only after
the WAL has been synced to disk, and what the bot acknowledged survives a power cut, not just
a crash of the process. (`synchronous=NORMAL` in WAL skips that sync: still safe against a
killed process and never corrupt, but the last transactions before a power loss or kernel
panic can vanish after the user saw "vote counted".) FULL costs one fsync per transaction;
the hot path, votes, shares that cost through group commit (`group_commit`), and the other
commands are rare human actions. `SqliteStore.open(..., synchronous="NORMAL")` trades that
guarantee for speed where the disk or the operator makes it moot.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Literal, TypeVar

import aiosqlite

from bot.core.errors import StoreUnavailable
from bot.storage.group_commit import GroupCommitter, Operation
from bot.storage.problems import check_access, explain, quick_check
from bot.storage.repository import Tx
from bot.storage.schema import DatabaseTooNew, statements, too_new
from bot.storage.schema import migrations as _migrations

log = logging.getLogger(__name__)

T = TypeVar("T")
Synchronous = Literal["FULL", "NORMAL"]

__all__ = ["DatabaseTooNew", "SqliteStore", "latest_version", "migrations"]


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every SQLite migration shipped with the package, in order."""
    return _migrations("bot.storage")


def latest_version() -> int:
    return len(migrations())


class SqliteStore:
    """The embedded store. Open with `await SqliteStore.open(path)`; close when done."""

    def __init__(self, conn: aiosqlite.Connection, path: Path, synchronous: str = "FULL") -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self.committer = GroupCommitter(path, self._lock, synchronous=synchronous)
        self._held: set[str] = set()

    @classmethod
    async def open(
        cls, path: str | Path, *, upgrade: bool = True, synchronous: Synchronous = "FULL"
    ) -> SqliteStore:
        """Open (or create) the file, check it is sound (`PRAGMA quick_check`) and migrate it.

        A file hanno cannot use (read-only, locked, damaged, not a database, disk full) is
        refused with a `StoreUnavailable` that names it and says what to do.
        """
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise StoreUnavailable("storage.cannot_open", path=path) from None
        check_access(path)
        with explained(path):
            conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        try:
            with explained(path):
                # busy_timeout first: a file another program holds is waited for, not refused.
                await conn.execute("PRAGMA busy_timeout=5000")
                await conn.execute("PRAGMA journal_mode=WAL")
                await conn.execute("PRAGMA foreign_keys=ON")
                await conn.execute(f"PRAGMA synchronous={_synchronous(synchronous)}")
                await conn.execute("PRAGMA temp_store=MEMORY")
                async with conn.execute("PRAGMA quick_check") as cur:
                    quick_check([str(row[0]) for row in await cur.fetchall()], path)
                store = cls(conn, path, synchronous)
                version = await store.schema_version()
                if version > latest_version():
                    raise too_new(str(path), version, latest_version())
                if upgrade:
                    await store.upgrade()
            return store
        except BaseException:
            await conn.close()
            raise

    async def close(self) -> None:
        await self.committer.close()
        await self._conn.close()

    async def schema_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def upgrade(self) -> list[int]:
        """Apply each missing migration in its own transaction; returns the versions applied."""
        applied: list[int] = []
        async with self._lock:
            current = await self.schema_version()
            for version, name, sql in migrations():
                if version <= current:
                    continue
                log.info("applying migration %s", name)
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in statements(sql):
                        await self._conn.execute(statement)
                    await self._conn.execute(f"PRAGMA user_version = {version:d}")
                    await self._conn.execute("COMMIT")
                except BaseException:
                    await self._conn.execute("ROLLBACK")
                    raise
                applied.append(version)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """One command's changes: all committed together, or none on any error."""
        async with self._lock:
            with explained(self.path):
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield Tx(self._conn)
                except BaseException:
                    # A full disk or I/O error may have ended the transaction already.
                    if self._conn.in_transaction:
                        await self._conn.execute("ROLLBACK")
                    raise
                else:
                    try:
                        await self._conn.execute("COMMIT")
                    except sqlite3.Error:
                        if self._conn.in_transaction:
                            await self._conn.execute("ROLLBACK")
                        raise

    async def group_commit(self, operation: Operation[T]) -> T:
        """Run `operation(tx)` in a shared transaction; returns once that transaction committed.

        For frequent small writes (votes): callers that arrive together share one COMMIT. The
        operation is a plain function of a `BatchTx`, run on the writer thread in its own
        savepoint, so raising undoes only its own changes.
        """
        with explained(self.path):
            return await self.committer.run(operation)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Tx]:
        """Reads that must see one consistent state (a status board, an export)."""
        async with self.transaction() as tx:
            yield tx

    @asynccontextmanager
    async def exclusive(self, key: str) -> AsyncIterator[bool]:
        """Whether this process alone holds `key` for the block (a SQLite file has one bot
        process; PostgreSQL's store holds such keys across processes)."""
        if key in self._held:
            yield False
            return
        self._held.add(key)
        try:
            yield True
        finally:
            self._held.discard(key)

    async def watch(self, topic: str, reload: Callable[[], Awaitable[None]]) -> None:
        """A SQLite file has one bot process, which applies its own changes as it makes them."""

    async def health(self) -> str:
        """'ok' when the file answers a query; raises otherwise."""
        async with self._conn.execute("SELECT 1") as cur:
            await cur.fetchone()
        return "ok"

    async def backup(self, target: str | Path) -> None:
        """A consistent copy of the live database, safe while the bot runs."""
        target = Path(target)
        async with self._lock:
            with explained(target):
                dest = await aiosqlite.connect(target)
                try:
                    await self._conn.backup(dest)
                finally:
                    await dest.close()

    async def integrity_check(self) -> str:
        async with self._conn.execute("PRAGMA integrity_check") as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else ""


@contextmanager
def explained(path: Path) -> Iterator[None]:
    """Turn a SQLite failure the operator can fix into its one sentence about `path`."""
    try:
        yield
    except sqlite3.Error as error:
        problem = explain(error, path)
        if problem is None:
            raise
        raise problem from error


def _synchronous(value: str) -> str:
    if value not in ("FULL", "NORMAL"):
        raise ValueError(f"synchronous must be FULL or NORMAL, not {value!r}")
    return value
