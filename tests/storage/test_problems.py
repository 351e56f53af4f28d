"""A database hanno cannot use is one sentence naming the file and what to do, and nothing in
it changes: damaged, not a database, locked by another program, or on a full disk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.core.errors import StoreUnavailable
from bot.core.rules import Rules
from bot.core.service import HannoService
from bot.render import Renderer
from bot.storage.database import SqliteStore
from tests.conftest import POLICY, person

MOD = person("mod")


async def _make(path: Path, titles: tuple[str, ...] = ("Kept",)) -> None:
    store = await SqliteStore.open(path)
    try:
        service = _service(store)
        for title in titles:
            await service.create_article(MOD, title)
    finally:
        await store.close()


def _service(store: SqliteStore) -> HannoService:
    return HannoService(store, rules=Rules(), policy=POLICY, renderer=Renderer())


def _titles(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT title FROM articles ORDER BY id")]


async def test_a_damaged_file_is_refused_at_open_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "hanno.db"
    await _make(path, tuple(f"Article {n} " + "x" * 150 for n in range(60)))
    data = bytearray(path.read_bytes())
    page = 4096
    # scribble over a b-tree page in the middle of the file (its header and cells)
    data[page * 3 : page * 3 + 200] = b"\xa5" * 200
    path.write_bytes(bytes(data))
    with pytest.raises(StoreUnavailable) as caught:
        await SqliteStore.open(path)
    assert caught.value.message == (
        f"The database {path} is damaged; restore your latest backup (`hanno db backup FILE` "
        "makes one) or move the file away to start a new database."
    )
    assert path.read_bytes() == bytes(data)


async def test_a_file_that_is_no_database_is_named(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("shopping list: milk, eggs\n" * 100, encoding="utf-8")
    with pytest.raises(StoreUnavailable) as caught:
        await SqliteStore.open(path)
    assert caught.value.message == (
        f"{path} is not a hanno database; set [storage] path to the right file, or move this "
        "one away to start a new database."
    )
    assert path.read_text(encoding="utf-8") == "shopping list: milk, eggs\n" * 100


async def test_a_file_locked_by_another_program_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "hanno.db"
    await _make(path)
    store = await SqliteStore.open(path)
    # hanno waits up to 5 s for the other program before it gives up; the test need not
    await store._conn.execute("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program writing, and taking its time
        with pytest.raises(StoreUnavailable) as caught:
            await _service(store).create_article(MOD, "Blocked")
        assert caught.value.message == (
            f"The database {path} is locked by another program; close that program (or the "
            "other hanno using the file) and try again."
        )
        other.execute("ROLLBACK")
        # the store goes on working once the other program lets go
        await _service(store).create_article(MOD, "Later")
    finally:
        other.close()
        await store.close()
    assert _titles(path) == ["Kept", "Later"]


async def test_a_full_disk_is_one_sentence_and_saves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "hanno.db"
    await _make(path)
    store = await SqliteStore.open(path)
    try:
        async with store.reading() as tx:
            pages = (await tx._all("PRAGMA page_count"))[0][0]
        # SQLite's own limit on the file's size fails exactly as a full disk does (SQLITE_FULL)
        await store._conn.execute(f"PRAGMA max_page_count = {pages}")
        service = _service(store)
        article = await service.get_article(MOD, 1)
        with pytest.raises(StoreUnavailable) as caught:
            await service.set_article_text(MOD, article.number, "lead", "長い前書き。" * 1500)
        assert caught.value.message == (
            f"The database {path} could not be written because the disk is full; free some "
            "space and try again (nothing was saved)."
        )
        assert (await service.get_article(MOD, 1)).lead == ""
    finally:
        await store.close()


async def test_a_backup_to_a_missing_folder_names_that_folder(tmp_path: Path) -> None:
    path = tmp_path / "hanno.db"
    await _make(path)
    store = await SqliteStore.open(path)
    target = tmp_path / "missing" / "copy.db"
    try:
        with pytest.raises(StoreUnavailable) as caught:
            await store.backup(target)
    finally:
        await store.close()
    assert str(target) in caught.value.message and "[storage]" not in caught.value.message
    assert not target.parent.exists()
