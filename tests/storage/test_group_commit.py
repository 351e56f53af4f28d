"""Group commit: votes that arrive together share one durable COMMIT, each still on its own."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.core.errors import Forbidden, NotFound, WrongState
from bot.core.models import Actor
from bot.core.service import HannoService
from bot.storage.database import SqliteStore
from bot.storage.repository import BatchTx
from tests.conftest import person


def _count(path: Path, sql: str) -> int:
    """Read through a separate connection: what another process would see on the file."""
    with sqlite3.connect(path) as db:
        return int(db.execute(sql).fetchone()[0])


async def test_the_store_syncs_every_commit_to_disk(store: SqliteStore) -> None:
    async with store.transaction() as tx:
        rows = await tx._all("PRAGMA synchronous")
    assert rows[0][0] == 2  # FULL: an acknowledged write survives a power cut


async def test_a_failing_operation_is_undone_alone_and_the_rest_commit(
    store: SqliteStore,
) -> None:
    def insert(counter: str, *, fail: bool = False):
        def operation(tx: BatchTx) -> str:
            tx._conn.execute(
                "INSERT INTO counters (space, kind, value) VALUES ('s', ?, 1)", (counter,)
            )
            if fail:
                raise Forbidden("vote.own_comment", number=1)
            return counter

        return operation

    results = await asyncio.gather(
        store.group_commit(insert("a")),
        store.group_commit(insert("b", fail=True)),
        store.group_commit(insert("c")),
        return_exceptions=True,
    )
    assert results[0] == "a" and results[2] == "c"
    assert isinstance(results[1], Forbidden)
    assert store.committer.stats.batches == 1  # all three shared one transaction
    with sqlite3.connect(store.path) as db:
        assert sorted(r[0] for r in db.execute("SELECT kind FROM counters")) == ["a", "c"]


async def test_an_acknowledged_write_is_visible_to_another_connection(
    store: SqliteStore,
) -> None:
    def operation(tx: BatchTx) -> None:
        tx._conn.execute("INSERT INTO counters (space, kind, value) VALUES ('s', 'k', 7)")

    await store.group_commit(operation)
    assert _count(store.path, "SELECT value FROM counters WHERE kind = 'k'") == 7


async def test_a_batch_that_cannot_commit_fails_every_caller_and_keeps_nothing(
    store: SqliteStore,
) -> None:
    def good(tx: BatchTx) -> None:
        tx._conn.execute("INSERT INTO counters (space, kind, value) VALUES ('s', 'good', 1)")

    def breaks_the_transaction(tx: BatchTx) -> None:
        tx._conn.execute("ROLLBACK")  # as if SQLite had given up (disk full, I/O error)

    # A write before the break is undone with it; one after it is not kept either (with the
    # transaction gone it would have committed on its own).
    for batch in ((good, breaks_the_transaction), (breaks_the_transaction, good)):
        results = await asyncio.gather(
            *(store.group_commit(operation) for operation in batch), return_exceptions=True
        )
        assert all(isinstance(r, sqlite3.Error) for r in results)
        assert _count(store.path, "SELECT COUNT(*) FROM counters") == 0
    # the writer recovers: the next batch commits normally
    await store.group_commit(good)
    assert _count(store.path, "SELECT COUNT(*) FROM counters") == 1


async def test_close_finishes_queued_work_then_refuses_more(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "close.db")

    def operation(tx: BatchTx) -> None:
        tx._conn.execute(
            "INSERT INTO counters (space, kind, value) VALUES ('s', 'k', 1) "
            "ON CONFLICT DO UPDATE SET value = value + 1"
        )

    pending = [asyncio.ensure_future(store.group_commit(operation)) for _ in range(50)]
    await asyncio.sleep(0)
    await store.close()
    await asyncio.gather(*pending)
    assert _count(tmp_path / "close.db", "SELECT value FROM counters") == 50
    with pytest.raises(RuntimeError, match="closed"):
        await store.group_commit(operation)


async def test_concurrent_votes_share_commits_and_count_exactly(
    service: HannoService, store: SqliteStore, people: dict[str, Actor]
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
    assert _count(store.path, "SELECT COUNT(*) FROM votes") == 120


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
    store: SqliteStore, caplog: pytest.LogCaptureFixture
) -> None:
    def good(tx: BatchTx) -> None:
        tx._conn.execute("INSERT INTO counters (space, kind, value) VALUES ('s', 'k', 1)")

    def escapes(tx: BatchTx) -> None:
        raise _Escape

    results = await asyncio.gather(
        store.group_commit(good), store.group_commit(escapes), return_exceptions=True
    )
    assert all(isinstance(r, _Escape) for r in results)
    assert _count(store.path, "SELECT COUNT(*) FROM counters") == 0
    assert "broke off" in caplog.text
    await store.group_commit(good)
    assert _count(store.path, "SELECT COUNT(*) FROM counters") == 1
