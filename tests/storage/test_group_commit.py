"""Group commit: votes that arrive together share one durable COMMIT, each still on its own.
On every store (tests/storage/conftest.py)."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import asyncpg
import pytest

from bot.core.errors import Forbidden, NotFound, WrongState
from bot.core.models import Actor
from bot.core.service import HannoService
from bot.storage.database import SqliteStore
from bot.storage.postgres import PostgresStore
from tests.conftest import person


async def count(store: Any, sql: str) -> int:
    """Read through a connection of its own: what another process would see."""
    if isinstance(store, SqliteStore):
        with sqlite3.connect(store.path) as db:
            return int(db.execute(sql).fetchone()[0])
    conn = await asyncpg.connect(store.url)
    try:
        return int(await conn.fetchval(sql))
    finally:
        await conn.close()


def insert(kind: str, value: int = 1):
    def operation(tx: Any) -> str:
        tx.execute("INSERT INTO counters (space, kind, value) VALUES ('s', ?, ?)", (kind, value))
        return kind

    return operation


async def test_the_store_syncs_every_commit_to_disk(store: Any) -> None:
    if isinstance(store, SqliteStore):
        async with store.transaction() as tx:
            rows = await tx._all("PRAGMA synchronous")
        assert rows[0][0] == 2  # FULL: an acknowledged write survives a power cut
    else:
        async with store.transaction() as tx:
            rows = await tx._all("SHOW synchronous_commit")
        assert rows[0][0] == "on"  # COMMIT waits for the WAL flush, whatever the server says
        setting = await store.group_commit(lambda tx: tx.execute("SHOW synchronous_commit"))
        assert setting[0][0] == "on"


async def test_a_failing_operation_is_undone_alone_and_the_rest_commit(store: Any) -> None:
    def failing(tx: Any) -> str:
        insert("b")(tx)
        raise Forbidden("vote.own_comment", number=1)

    results = await asyncio.gather(
        store.group_commit(insert("a")),
        store.group_commit(failing),
        store.group_commit(insert("c")),
        return_exceptions=True,
    )
    assert results[0] == "a" and results[2] == "c"
    assert isinstance(results[1], Forbidden)
    assert store.committer.stats.batches == 1  # all three shared one transaction
    assert await count(store, "SELECT COUNT(*) FROM counters WHERE kind IN ('a', 'c')") == 2
    assert await count(store, "SELECT COUNT(*) FROM counters") == 2


async def test_an_acknowledged_write_is_visible_to_another_connection(store: Any) -> None:
    await store.group_commit(insert("k", 7))
    assert await count(store, "SELECT value FROM counters WHERE kind = 'k'") == 7


async def test_a_batch_that_cannot_commit_fails_every_caller_and_keeps_nothing(
    store: Any,
) -> None:
    good = insert("good")

    if isinstance(store, SqliteStore):

        def breaks_the_transaction(tx: Any) -> None:
            tx.execute("ROLLBACK")  # as if SQLite had given up (disk full, I/O error)

        expected: type[Exception] = sqlite3.Error
    else:

        def breaks_the_transaction(tx: Any) -> None:
            # A failed statement aborts a PostgreSQL transaction; swallowing the error
            # does not make the batch committable again.
            try:
                tx.execute("SELECT 1 / 0")
            except asyncpg.PostgresError:
                pass

        expected = asyncpg.PostgresError

    # A write before the break is undone with it; one after it is not kept either.
    for batch in ((good, breaks_the_transaction), (breaks_the_transaction, good)):
        results = await asyncio.gather(
            *(store.group_commit(operation) for operation in batch), return_exceptions=True
        )
        assert all(isinstance(r, expected) for r in results), results
        assert await count(store, "SELECT COUNT(*) FROM counters") == 0
    # the writer recovers: the next batch commits normally
    await store.group_commit(good)
    assert await count(store, "SELECT COUNT(*) FROM counters") == 1


async def test_close_finishes_queued_work_then_refuses_more(store: Any) -> None:
    def operation(tx: Any) -> None:
        tx.execute(
            "INSERT INTO counters (space, kind, value) VALUES ('s', 'k', 1) "
            "ON CONFLICT (space, kind) DO UPDATE SET value = counters.value + 1"
        )

    pending = [asyncio.ensure_future(store.group_commit(operation)) for _ in range(50)]
    await asyncio.sleep(0)
    await store.committer.close()
    await asyncio.gather(*pending)
    assert await count(store, "SELECT value FROM counters") == 50
    with pytest.raises(RuntimeError, match="closed"):
        await store.group_commit(operation)


async def test_concurrent_votes_share_commits_and_count_exactly(
    service: HannoService, store: Any, people: dict[str, Actor]
) -> None:
    article = await service.create_article(people["mod"], "burst")
    comment = await service.add_comment(people["ann"], article.number, "a comment")
    voters = [person(f"v{i}") for i in range(120)]
    await asyncio.gather(
        *(
            service.vote(v, comment.number, "down" if i % 4 == 0 else "up")
            for i, v in enumerate(voters)
        )
    )
    final = await service.get_comment(people["mod"], comment.number)
    assert (final.up, final.down) == (90, 30)
    assert store.committer.stats.batches < len(voters) / 4
    if isinstance(store, PostgresStore):  # votes ran as planned batches (postgres/batch.py)
        assert store.committer.planned == store.committer.stats.batches
    assert await count(store, "SELECT COUNT(*) FROM votes") == 120


async def test_votes_of_one_batch_each_see_the_ones_before(
    service: HannoService, people: dict[str, Actor]
) -> None:
    article = await service.create_article(people["mod"], "one batch")
    comment = await service.add_comment(people["ann"], article.number, "a comment")
    results = await asyncio.gather(
        service.vote(people["bob"], comment.number, "up"),
        service.vote(people["cat"], comment.number, "up"),
        service.vote(people["bob"], comment.number, "down"),  # bob changes his mind
        service.vote(people["tr"], comment.number, "up"),
    )
    assert [(r.up, r.down) for r in results] == [(1, 0), (2, 0), (1, 1), (2, 1)]
    final = await service.get_comment(people["mod"], comment.number)
    assert (final.up, final.down) == (2, 1)


async def test_refused_votes_in_a_batch_leave_the_others_counted(
    service: HannoService, people: dict[str, Actor]
) -> None:
    article = await service.create_article(people["mod"], "mixed")
    comment = await service.add_comment(people["ann"], article.number, "ann's comment")
    results = await asyncio.gather(
        service.vote(people["bob"], comment.number, "up"),
        service.vote(people["ann"], comment.number, "up"),  # own comment
        service.vote(people["cat"], 999, "up"),  # no such comment
        service.vote(people["tr"], comment.number, "down"),
        return_exceptions=True,
    )
    assert isinstance(results[1], Forbidden)
    assert isinstance(results[2], NotFound)
    final = await service.get_comment(people["mod"], comment.number)
    assert (final.up, final.down) == (1, 1)
    assert results[3].up == 1 and results[3].down == 1


async def test_a_vote_reply_shows_the_score_after_that_vote(
    service: HannoService, people: dict[str, Actor], notifier
) -> None:
    article = await service.create_article(people["mod"], "replies")
    comment = await service.add_comment(people["ann"], article.number, "text")
    first = await service.vote(people["bob"], comment.number, "up")
    again = await service.vote(people["bob"], comment.number, "up")
    cleared = await service.vote(people["bob"], comment.number, "clear")
    assert (first.score, again.score, cleared.score) == (1, 1, 0)
    await service.pick(people["mod"], comment.number)  # closing needs something to translate
    await service.close_voting(people["mod"], article.number)
    with pytest.raises(WrongState):
        await service.vote(people["bob"], comment.number, "up")
    scores = [e.comment.score for e in notifier.events if type(e).__name__ == "ScoreChanged"]
    assert scores == [1, 1, 0]


class _Escape(BaseException):
    """Something no `except Exception` catches (as KeyboardInterrupt would be)."""


async def test_an_error_past_the_savepoint_logic_reaches_every_caller_and_the_writer_goes_on(
    store: Any, caplog: pytest.LogCaptureFixture
) -> None:
    good = insert("k")

    def escapes(tx: Any) -> None:
        raise _Escape

    results = await asyncio.gather(
        store.group_commit(good), store.group_commit(escapes), return_exceptions=True
    )
    assert all(isinstance(r, _Escape) for r in results)
    assert await count(store, "SELECT COUNT(*) FROM counters") == 0
    assert "broke off" in caplog.text
    await store.group_commit(good)
    assert await count(store, "SELECT COUNT(*) FROM counters") == 1
