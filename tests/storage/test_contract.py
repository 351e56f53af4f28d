"""What every store promises the core, on SQLite and on a real PostgreSQL server alike
(tests/storage/conftest.py runs each test on both)."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from bot.core.models import CommentStatus
from bot.storage.database import SqliteStore
from bot.storage.postgres import PostgresStore
from bot.storage.schema import DatabaseTooNew
from tests.storage.test_database import new_article


async def first_comment(store: Any) -> int:
    async with store.transaction() as tx:
        await new_article(tx, "t")
        article_id = await tx.article_id("s", 1)
        await tx.insert_comment(
            space="s",
            article_id=article_id,
            text="c",
            url="",
            author="",
            language="",
            persona="🙂",
            countries=(),
            submitted_by="author",
            submitted_by_name="a",
        )
        return await tx.comment_id("s", 1)


async def test_a_failed_transaction_leaves_nothing_behind(store: Any) -> None:
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await new_article(tx, "half done")
            raise RuntimeError("boom")
    async with store.transaction() as tx:
        assert await tx.list_articles("s") == []
        # numbering was rolled back too: the next article is still #1
        number = await new_article(tx, "whole")
    assert number == 1


async def test_concurrent_transactions_count_every_vote_exactly(store: Any) -> None:
    comment_id = await first_comment(store)

    async def vote(user: int) -> None:
        async with store.transaction() as tx:
            await tx.apply_vote(comment_id, f"user{user}", 1 if user % 3 else -1)
            await asyncio.sleep(0)

    await asyncio.gather(*(vote(i) for i in range(200)))
    async with store.transaction() as tx:
        comment = await tx.get_comment("s", 1)
    assert (comment.up, comment.down) == (133, 67)
    assert comment.status is CommentStatus.CANDIDATE


async def test_every_migration_is_applied_and_recorded(store: Any) -> None:
    from bot.storage.schema import migrations

    package = "bot.storage" if isinstance(store, SqliteStore) else "bot.storage.postgres"
    assert await store.schema_version() == len(migrations(package))
    assert await store.upgrade() == []  # nothing left: idempotent


async def test_only_one_holder_of_an_exclusive_key_at_a_time(store: Any) -> None:
    async with store.exclusive("publish/s/1") as first:
        async with store.exclusive("publish/s/1") as second:
            async with store.exclusive("publish/s/2") as other:
                assert (first, second, other) == (True, False, True)
    async with store.exclusive("publish/s/1") as again:
        assert again  # let go at the end of the block


# The SQLite file's version is checked in test_database.py, byte for byte.
@pytest.mark.parametrize("backend", ["postgres"])
async def test_a_database_from_a_newer_hanno_is_refused_untouched(store: Any) -> None:
    latest = await store.schema_version()
    async with store.connection() as conn:
        await conn.execute("UPDATE hanno_schema_version SET version = $1", latest + 1)
    with pytest.raises(DatabaseTooNew, match="upgrade hanno"):
        await PostgresStore.open(store.url)
    assert await store.schema_version() == latest + 1


async def test_postgres_migrates_an_empty_database_step_by_step(pg_cluster) -> None:
    url = await pg_cluster.create_database("empty_for_migrations", template=None)
    store = await PostgresStore.open(url, upgrade=False)
    try:
        assert await store.schema_version() == 0
        from bot.storage.postgres.store import latest_version

        assert await store.upgrade() == list(range(1, latest_version() + 1))
        assert await store.upgrade() == []
        conn = await asyncpg.connect(url)
        try:
            tables = {
                r[0]
                for r in await conn.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            }
        finally:
            await conn.close()
        assert {"articles", "comments", "votes", "translations", "approvals", "history"} <= tables
    finally:
        await store.close()


def test_migrations_of_both_stores_are_twins() -> None:
    """A step exists on both stores or on neither (bot/storage/schema.py)."""
    from bot.storage.schema import migrations

    sqlite = [(v, name) for v, name, _ in migrations("bot.storage")]
    postgres = [(v, name) for v, name, _ in migrations("bot.storage.postgres")]
    assert sqlite == postgres


async def test_both_stores_have_the_same_tables_and_columns(tmp_path, pg_url: str) -> None:
    """What `hanno db copy` relies on: a twin migration adds the same columns, in order."""
    from bot.storage.copy import side

    sqlite = await SqliteStore.open(tmp_path / "schema.db")
    postgres = await PostgresStore.open(pg_url)
    try:
        async with side(sqlite) as lite, side(postgres) as pg:
            tables = await lite.tables()
            assert tables == await pg.tables()
            for table in tables:
                assert await lite.columns(table) == await pg.columns(table), table
    finally:
        await sqlite.close()
        await postgres.close()
