"""Item 5: the status board on a big article: its time and how many SQL statements it takes.

The count must not grow with the number of comments (no query per comment); it is shown for
1,000 and 10,000 comments (10 votes each, so 100,000 votes on the big one).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bench import dataset
from bench.common import Row, actor, verdict
from bot.storage.database import SqliteStore

SIZES = (1_000, 10_000)
RUNS = 7


async def measure(path: Path, article: int) -> tuple[float, int]:
    """Best time of RUNS status boards, and the statements one board took."""
    store = await SqliteStore.open(path)
    try:
        service = dataset.service_for(store)
        transactions: list[Any] = []
        plain = store.transaction

        @asynccontextmanager
        async def counted() -> AsyncIterator[Any]:
            async with plain() as tx:
                transactions.append(tx)
                yield tx

        store.transaction = counted  # type: ignore[method-assign]
        editor = actor("editor")
        await service.status(editor, article)  # warm the page cache
        best = float("inf")
        for _ in range(RUNS):
            transactions.clear()
            start = time.perf_counter()
            board = await service.status(editor, article)
            best = min(best, time.perf_counter() - start)
        statements = sum(tx.statements for tx in transactions)
        assert board.candidates + board.selected + board.dropped > 0
        return best, statements
    finally:
        await store.close()


async def run(directory: Path) -> tuple[list[Row], Path, int]:
    """The rows, and the 10,000-comment database with its article's number (for item 6)."""
    results: dict[int, tuple[float, int]] = {}
    big = (directory / f"status-{SIZES[-1]}.db", 0)
    for size in SIZES:
        path = directory / f"status-{size}.db"
        article = await dataset.build(path, size)
        results[size] = await measure(path, article)
        big = (path, article)
    small, large = results[SIZES[0]], results[SIZES[1]]
    constant = small[1] == large[1]
    rows = [
        Row(
            item=f"5 status board, {size:,} comments",
            measured=f"{seconds * 1000:.1f} ms, {statements} SQL statements",
            target="statements constant",
            verdict=verdict(constant),
            note=f"{size * dataset.VOTES_PER_COMMENT:,} votes, voting closed, 200 selected, "
            f"60 claimed, 30 translated; best of {RUNS}",
        )
        for size, (seconds, statements) in results.items()
    ]
    return rows, *big
