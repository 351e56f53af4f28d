"""A command stopped half-way (its task cancelled) leaves the database usable for the next one.

The bot cancels work when it stops or when a platform connection drops; found when the suite
first ran in parallel: a job cancelled while its BEGIN was still queued left the connection
inside that transaction, and every later command failed with "cannot start a transaction
within a transaction".
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.storage.database import SqliteStore
from tests.storage.test_database import new_article


@pytest.mark.parametrize("steps", [0, 1, 2, 3, 4])
async def test_a_cancelled_transaction_leaves_the_next_one_working(
    tmp_path: Path, steps: int
) -> None:
    store = await SqliteStore.open(tmp_path / "h.db")
    try:

        async def command() -> None:
            async with store.transaction() as tx:
                await new_article(tx, "never kept")
                await asyncio.sleep(1)

        task = asyncio.create_task(command())
        for _ in range(steps):  # cancelled at each point: awaiting BEGIN, the insert, the sleep
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        async with store.transaction() as tx:
            number = await new_article(tx, "kept")
        async with store.reading() as tx:
            titles = [a.title for a in await tx.list_articles("s")]
        assert titles == ["kept"], number
    finally:
        await store.close()
