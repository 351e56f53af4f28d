"""The PostgreSQL store: an asyncpg pool, versioned migrations, transactions, group commit.

Several bot processes may open one database at once; everything that must hold across them
is done with locks in the database (bot/storage/postgres/tx.py), never with timing or with
state kept in one process. The password never sits in a config file: it comes with
`HANNO_DATABASE_URL` or, as for every libpq client, `PGPASSWORD` (`bot.config`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.storage.postgres.group_commit import Operation, PgGroupCommitter
from bot.storage.postgres.tx import CHANGES_CHANNEL, PgTx
from bot.storage.schema import migrations, too_new

log = logging.getLogger(__name__)

T = TypeVar("T")
PACKAGE = "bot.storage.postgres"
# Session-level advisory locks outside the article ids (which are positive): one process
# migrates at a time.
UPGRADE_LOCK = -0x68616E6E6F
# `exclusive()` keys live in the two-int lock space under this first int.
EXCLUSIVE_SPACE = 0x68616E6E
# Every connection commits durably whatever the server's default: COMMIT returns once the WAL
# is flushed, so nothing is acknowledged that a power cut could take back.
SERVER_SETTINGS = {"synchronous_commit": "on", "application_name": "hanno"}
VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS hanno_schema_version ("
    " one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one), version BIGINT NOT NULL)"
)


def latest_version() -> int:
    return len(migrations(PACKAGE))


def redacted(url: str) -> str:
    """The URL as it may be shown or logged: any password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


class PostgresStore:
    """The shared store. Open with `await PostgresStore.open(url)`; close when done."""

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self._pool = pool
        self.url = url
        self.committer = PgGroupCommitter(self._connect)
        # topic -> what to run when another process announces a change to it (`watch`)
        self._watchers: dict[str, list[Callable[[], Awaitable[None]]]] = {}
        self._listener: asyncpg.Connection | None = None
        self._reloads: set[asyncio.Task[None]] = set()

    @classmethod
    async def open(
        cls, url: str, *, upgrade: bool = True, min_size: int = 1, max_size: int = 10
    ) -> PostgresStore:
        pool = await asyncpg.create_pool(
            url, min_size=min_size, max_size=max_size, server_settings=SERVER_SETTINGS
        )
        try:
            store = cls(pool, url)
            version = await store.schema_version()
            if version > latest_version():
                raise too_new(redacted(url), version, latest_version())
            if upgrade:
                await store.upgrade()
            return store
        except BaseException:
            await pool.close()
            raise

    async def _connect(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.url, server_settings=SERVER_SETTINGS)

    async def close(self) -> None:
        if self._listener is not None:
            listener, self._listener = self._listener, None
            await listener.close()
        for task in list(self._reloads):
            task.cancel()
        await self.committer.close()
        await self._pool.close()

    async def watch(self, topic: str, reload: Callable[[], Awaitable[None]]) -> None:
        """Run `reload()` whenever a transaction anywhere on the database that called
        `announce_change(topic)` commits (LISTEN/NOTIFY on a connection of its own), so a
        change made in another process applies here at once, not at the next poll. A lost
        listening connection is only logged: the pollers that reload anyway remain."""
        self._watchers.setdefault(topic, []).append(reload)
        if self._listener is None:
            self._listener = await self._connect()
            await self._listener.add_listener(CHANGES_CHANNEL, self._notified)

    def _notified(self, conn: Any, pid: int, channel: str, topic: str) -> None:
        for reload in self._watchers.get(topic, []):
            task = asyncio.get_running_loop().create_task(self._reload(reload, topic))
            self._reloads.add(task)
            task.add_done_callback(self._reloads.discard)

    @staticmethod
    async def _reload(reload: Callable[[], Awaitable[None]], topic: str) -> None:
        try:
            await reload()
        except Exception:
            log.exception("reloading %s after another process changed it failed", topic)

    async def schema_version(self) -> int:
        async with self._pool.acquire() as conn:
            return await _version(conn)

    async def upgrade(self) -> list[int]:
        """Apply each missing migration in its own transaction; returns the versions applied.

        A session lock keeps a second process from migrating at the same time; it waits and
        then finds nothing left to do.
        """
        applied: list[int] = []
        async with self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", UPGRADE_LOCK)
            try:
                await conn.execute(VERSION_TABLE)
                current = await _version(conn)
                if current > latest_version():
                    raise too_new(redacted(self.url), current, latest_version())
                for version, name, sql in migrations(PACKAGE):
                    if version <= current:
                        continue
                    log.info("applying migration %s", name)
                    async with conn.transaction():
                        await conn.execute(sql)
                        await conn.execute(
                            "INSERT INTO hanno_schema_version (one, version) VALUES (TRUE, $1) "
                            "ON CONFLICT (one) DO UPDATE SET version = excluded.version",
                            version,
                        )
                    applied.append(version)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", UPGRADE_LOCK)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgTx]:
        """One command's changes: all committed together, or none on any error."""
        async with self._pool.acquire() as conn, conn.transaction():
            yield PgTx(conn)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[PgTx]:
        """Reads that must see one consistent state (a status board, an export)."""
        async with (
            self._pool.acquire() as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            yield PgTx(conn)

    async def group_commit(self, operation: Operation[T]) -> T:
        """Run `operation(tx)` in a shared transaction; returns once that transaction committed
        (see bot/storage/postgres/group_commit.py)."""
        return await self.committer.run(operation)

    @asynccontextmanager
    async def exclusive(self, key: str) -> AsyncIterator[bool]:
        """Whether this process alone holds `key` — across every process on the database — for
        the block. A session advisory lock on a connection of its own: a process that dies
        lets go of it with its connection."""
        async with self._pool.acquire() as conn:
            held = await conn.fetchval(
                "SELECT pg_try_advisory_lock($1, hashtext($2))", EXCLUSIVE_SPACE, key
            )
            try:
                yield bool(held)
            finally:
                if held:
                    await conn.execute(
                        "SELECT pg_advisory_unlock($1, hashtext($2))", EXCLUSIVE_SPACE, key
                    )

    async def health(self) -> str:
        """'ok' when the server answers a query; raises otherwise."""
        async with self._pool.acquire(timeout=5) as conn:
            await conn.fetchval("SELECT 1", timeout=5)
        return "ok"

    async def server_version(self) -> str:
        async with self._pool.acquire() as conn:
            return str(await conn.fetchval("SHOW server_version"))

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Any]:
        """A raw connection of the pool, for maintenance (`hanno db copy`)."""
        async with self._pool.acquire() as conn:
            yield conn


async def _version(conn: asyncpg.Connection) -> int:
    if await conn.fetchval("SELECT to_regclass('hanno_schema_version')") is None:
        return 0
    value = await conn.fetchval("SELECT version FROM hanno_schema_version")
    return int(value or 0)
