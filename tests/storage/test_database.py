"""The SQLite file itself: pragmas, migrations, refusing newer files, backups (what every
store does is in test_contract.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.database import DatabaseTooNew, SqliteStore, latest_version, migrations
from bot.storage.repository import Tx


async def new_article(tx: Tx, title: str) -> int:
    return await tx.insert_article(
        space="s",
        title=title,
        min_score=1,
        max_reactions=3,
        target_language="ja",
        created_by="u",
        created_by_name="u",
    )


async def test_a_new_file_gets_every_migration_and_the_right_pragmas(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "new.db")
    try:
        assert await store.schema_version() == latest_version() == len(migrations())
        async with store.transaction() as tx:
            rows = await tx._all("PRAGMA journal_mode")
            assert rows[0][0] == "wal"
            rows = await tx._all("PRAGMA foreign_keys")
            assert rows[0][0] == 1
            rows = await tx._all("PRAGMA busy_timeout")
            assert rows[0][0] == 5000
    finally:
        await store.close()


async def test_migrations_run_from_an_empty_file_step_by_step(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()  # version 0: an empty database file
    store = await SqliteStore.open(path, upgrade=False)
    try:
        assert await store.schema_version() == 0
        applied = await store.upgrade()
        assert applied == list(range(1, latest_version() + 1))
        assert await store.upgrade() == []  # idempotent
    finally:
        await store.close()
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "comments", "votes", "translations", "approvals", "history"} <= tables


async def test_a_database_from_a_newer_hanno_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    store = await SqliteStore.open(path)
    await store.close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {latest_version() + 1}")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="upgrade hanno"):
        await SqliteStore.open(path)
    assert path.read_bytes() == before


async def test_backup_is_a_consistent_copy(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "live.db")
    try:
        async with store.transaction() as tx:
            await new_article(tx, "copied")
        await store.backup(tmp_path / "copy.db")
    finally:
        await store.close()
    copy = await SqliteStore.open(tmp_path / "copy.db")
    try:
        assert await copy.integrity_check() == "ok"
        async with copy.transaction() as tx:
            assert [a.title for a in await tx.list_articles("s")] == ["copied"]
    finally:
        await copy.close()
