"""`hanno db copy`: a team's whole database from one store to the other (SQLite ⇄ PostgreSQL),
checked row for row.

Both stores have the same tables and columns at the same schema version (the migrations are
twins, bot/storage/schema.py), so the copy moves rows unchanged. The tables are taken from the
source in the order they were created, parents before the tables that refer to them. The
target must be empty; it is filled in one transaction, so a failed copy leaves it empty again.
Afterwards every table is read back from both sides and compared as a whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from bot.storage.database import SqliteStore

VERSION_TABLES = {"hanno_schema_version"}


class CopyRefused(Exception):
    """The copy cannot start (a non-empty target, different schema versions); nothing changed.
    `reason` names the catalogue's sentence (`cli.db.<reason>`), `params` fill it in."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


class Side(Protocol):
    async def tables(self) -> list[str]: ...
    async def columns(self, table: str) -> list[str]: ...
    async def rows(self, table: str, columns: list[str]) -> list[tuple[Any, ...]]: ...
    async def insert(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None: ...
    async def after_insert(self) -> None: ...


class _Sqlite:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    async def tables(self) -> list[str]:
        rows = await self._conn.execute_fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        )
        return [r[0] for r in rows if r[0] not in VERSION_TABLES]

    async def columns(self, table: str) -> list[str]:
        rows = await self._conn.execute_fetchall(f'PRAGMA table_info("{table}")')
        return [r[1] for r in rows]

    async def rows(self, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
        names = ", ".join(f'"{c}"' for c in columns)
        return [
            tuple(r) for r in await self._conn.execute_fetchall(f'SELECT {names} FROM "{table}"')
        ]

    async def insert(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        await self._conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    async def after_insert(self) -> None:
        return None


class _Postgres:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    async def tables(self) -> list[str]:
        rows = await self._conn.fetch(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.oid"
        )
        return [r[0] for r in rows if r[0] not in VERSION_TABLES]

    async def columns(self, table: str) -> list[str]:
        rows = await self._conn.fetch(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            table,
        )
        return [r[0] for r in rows]

    async def rows(self, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
        names = ", ".join(f'"{c}"' for c in columns)
        return [tuple(r) for r in await self._conn.fetch(f'SELECT {names} FROM "{table}"')]

    async def insert(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        if rows:
            await self._conn.copy_records_to_table(table, records=rows, columns=columns)

    async def after_insert(self) -> None:
        """Identity columns continue after the copied ids, not from 1."""
        identities = await self._conn.fetch(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND is_identity = 'YES'"
        )
        for table, column in identities:
            await self._conn.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
                f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)'
            )


@asynccontextmanager
async def side(store: Any) -> AsyncIterator[Side]:
    """Raw access to a store's tables inside one transaction (committed on a clean exit)."""
    if isinstance(store, SqliteStore):
        async with store.transaction() as tx:
            yield _Sqlite(tx._conn)
    else:
        async with store.connection() as conn, conn.transaction():
            yield _Postgres(conn)


async def copy_database(source: Any, target: Any) -> dict[str, int]:
    """Copy every row of `source` into the empty `target`; rows per table, once verified."""
    if await source.schema_version() != await target.schema_version():
        raise CopyRefused(
            "versions_differ",
            source=await source.schema_version(),
            target=await target.schema_version(),
        )
    copied: dict[str, int] = {}
    async with side(source) as src, side(target) as dst:
        tables = await src.tables()
        missing = sorted(set(tables) - set(await dst.tables()))
        if missing:
            raise CopyRefused("not_hanno", table=missing[0])
        for table in tables:
            if await dst.rows(table, (await dst.columns(table))[:1]):
                raise CopyRefused("target_not_empty", table=table)
        for table in tables:
            columns = await src.columns(table)
            rows = await src.rows(table, columns)
            await dst.insert(table, columns, rows)
            copied[table] = len(rows)
        await dst.after_insert()
    await verify(source, target)
    return copied


async def verify(source: Any, target: Any) -> None:
    """Raise unless every table holds exactly the same rows on both sides."""
    async with side(source) as src, side(target) as dst:
        for table in await src.tables():
            columns = await src.columns(table)
            mine = Counter(await src.rows(table, columns))
            theirs = Counter(await dst.rows(table, columns))
            if mine != theirs:
                raise RuntimeError(
                    f"table {table} differs after the copy ({sum(mine.values())} rows in the "
                    f"source, {sum(theirs.values())} in the target)"
                )
