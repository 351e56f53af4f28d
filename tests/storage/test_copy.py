"""`hanno db copy`: SQLite → PostgreSQL → SQLite gives back exactly the rows it started with,
and the copy on PostgreSQL is a working hanno database."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.core.models import ArticleState
from bot.core.service import HannoService
from bot.core.targets import Publication, PublicationStatus
from bot.core.threads import Candidate, ThreadComment
from bot.render import Renderer
from bot.storage.database import SqliteStore
from bot.storage.postgres import PostgresStore
from tests.conftest import POLICY, person


async def cli(argv: list[str]) -> int:
    """The `hanno` command line, on a thread of its own as a terminal would run it."""
    return await asyncio.to_thread(main, argv)


A = {name: person(name) for name in ("mod", "mod2", "tr", "ann", "bob", "cat")}


async def fill(store) -> None:
    """A team's worth of everything: articles in several states, votes, revisions, approvals,
    history, published parts and message references, with emoji and Japanese text."""
    service = HannoService(store, policy=POLICY, renderer=Renderer())
    done = await service.create_article(A["mod"], "駅員さんが落とし物を届けに 20 km")
    for text in ("Only in Japan 🇯🇵", "What a kind man", "👨🏻‍💼 hero"):
        await service.add_comment(A["ann"], done.number, text, countries="FI,US")
    await service.vote(A["bob"], 1, "up")
    await service.vote(A["cat"], 1, "up")
    await service.vote(A["bob"], 2, "down")
    await service.close_voting(A["mod"], done.number)
    await service.add_source(A["mod"], done.number, "https://example.com/p/1", text="post")
    await service.set_article_text(A["mod"], done.number, "lead", "リード文です。")
    await service.submit_translation(A["tr"], 1, "日本だけ")
    await service.submit_translation(A["tr"], 1, "日本ならでは")  # a second revision
    await service.submit_draft(A["mod"], done.number)
    await service.approve(A["mod2"], done.number, note="良いです")

    async def poster(index: int, text: str) -> str:
        return f"m{index}"

    await service.publish(A["mod"], done.number, poster, limit=200)
    busy = await service.create_article(A["mod"], "Still collecting")
    await service.add_comment(A["bob"], busy.number, "a 'quoted' \\ text; with ; semicolons")
    await service.vote(A["cat"], 4, "down")
    await service.set_ref("test-space", "card", "4", "C1", "1700000000.000100")
    await fill_newer_tables(service, store, done.number, busy.number)


async def fill_newer_tables(service: HannoService, store, done: int, busy: int) -> None:
    """Rows in every table and column the later migrations added: imported comments, machine
    drafts, the glossary, remarks, dismissed warnings, blog publications, schedules, roles and
    their audit, undeliverable DMs, hidden voting and deadlines."""
    imported = ThreadComment(
        text="Imported from the thread",
        permalink="https://www.reddit.com/r/japan/comments/abc/x/k1",
        author="redditor",
        score=42,
        posted_at=datetime(2026, 11, 30, 12, 0, tzinfo=UTC),
        parent="https://www.reddit.com/r/japan/comments/abc/x/k0",
        language="en",
        language_uncertain=True,
    )
    await service.set_voting(A["mod"], busy, "hidden")
    await service.schedule_close(A["mod"], busy, in_="2d")
    await service.team_add(A["mod"], A["cat"], "translator")
    await service.team_add(A["mod"], A["bob"], "translator")
    await service.team_remove(A["mod"], A["bob"], "translator")
    await service.glossary_add(A["tr"], "Shinkansen", "新幹線", "the train")
    async with store.transaction() as tx:
        busy_id = await tx.article_id("test-space", busy)
        (imported_comment,) = await tx.insert_imported(
            space="test-space",
            article_id=busy_id,
            article_number=busy,
            candidates=[Candidate(comment=imported, kind="reddit", persona="🙂")],
            submitted_by=A["mod"].user_id,
            submitted_by_name="mod",
        )
        await tx.add_machine_drafts(
            "test-space",
            [(2, "親切な人")],
            translator_id="deepl",
            translator_name="DeepL",
            provider="deepl",
            model="",
        )
        comment_id = await tx.comment_id("test-space", 2)
        await tx.add_remark(
            comment_id, revision=1, text="もっと自然に", author_id="u-mod", author_name="mod"
        )
        await tx.dismiss_glossary_terms(comment_id, ["Shinkansen"], by_id="u-tr", by_name="tr")
        await tx.save_publication(
            await tx.article_id("test-space", done),
            Publication(
                target="blog",
                kind="wordpress",
                status=PublicationStatus.PUBLISHED,
                remote_id="41",
                url="https://blog.example/?p=41",
                revision=1,
            ),
        )
        await tx.record_dm_failure(
            "test-space",
            recipient_id="u-tr",
            notified_id="u-mod",
            reason="DMs closed",
            at=datetime(2026, 12, 1, tzinfo=UTC),
        )
    assert imported_comment.number == 5


def table_rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {name: sorted(db.execute(f'SELECT * FROM "{name}"'), key=repr) for name in names}


async def test_sqlite_to_postgres_to_sqlite_is_identical(
    tmp_path: Path, pg_cluster, capsys, monkeypatch
) -> None:
    original = tmp_path / "hanno.db"
    store = await SqliteStore.open(original)
    try:
        await fill(store)
    finally:
        await store.close()  # (an open aiosqlite thread would keep pytest from exiting)
    url = await pg_cluster.create_database("copy_target", template=None)

    assert await cli(["db", "copy", "--from", str(original), "--to", url]) == 0
    out = capsys.readouterr().out
    assert "row for row" in out and "hanno-test-password" not in out
    back = tmp_path / "back.db"
    assert await cli(["db", "copy", "--from", url, "--to", str(back)]) == 0

    before, after = table_rows(original), table_rows(back)
    assert sum(len(rows) for rows in before.values()) > 30
    empty = sorted(name for name, rows in before.items() if not rows)
    assert empty == [], f"the round trip should carry rows of every table; none in {empty}"
    assert before == after

    # The copy on PostgreSQL is a working database: numbering and ids go on after the copy.
    pg = await PostgresStore.open(url)
    try:
        service = HannoService(pg, policy=POLICY, renderer=Renderer())
        article = await service.create_article(A["mod"], "After the move")
        assert article.number == 3
        comment = await service.add_comment(A["ann"], article.number, "new")
        assert comment.number == 6
        published = await service.get_article(A["mod"], 1)
        assert published.state is ArticleState.PUBLISHED
    finally:
        await pg.close()

    # `hanno export` reads it there too, with no SQLite file anywhere.
    config = tmp_path / "elsewhere" / "config.toml"
    config.parent.mkdir()
    config.write_text('[console]\nspace = "test-space"\n', encoding="utf-8")
    monkeypatch.setenv("HANNO_DATABASE_URL", url)
    monkeypatch.chdir(config.parent)
    capsys.readouterr()
    assert await cli(["export", "1", "--config", str(config)]) == 0
    assert "日本ならでは" in capsys.readouterr().out
    assert not (config.parent / "hanno.db").exists()


async def test_a_non_empty_target_is_refused_and_left_alone(
    tmp_path: Path, pg_cluster, capsys
) -> None:
    source = tmp_path / "src.db"
    store = await SqliteStore.open(source)
    await fill(store)
    await store.close()
    url = await pg_cluster.create_database("copy_busy")  # the template: migrated, empty
    assert await cli(["db", "copy", "--from", str(source), "--to", url]) == 0
    capsys.readouterr()
    assert await cli(["db", "copy", "--from", str(source), "--to", url]) == 2
    err = capsys.readouterr().err
    assert "already holds data" in err and "empty" in err
    assert "Traceback" not in err
    # an existing SQLite file is refused too
    assert await cli(["db", "copy", "--from", url, "--to", str(source)]) == 2
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("password_in", ["PGPASSWORD", "HANNO_DATABASE_URL"])
async def test_the_password_comes_from_the_environment(
    tmp_path: Path, pg_cluster, monkeypatch, capsys, password_in: str
) -> None:
    from tests.pgcluster import PASSWORD

    url = await pg_cluster.create_database(f"env_{password_in.lower()}")
    bare = pg_cluster.url(url.rsplit("/", 1)[1], password=False)
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "{bare}"\n', encoding="utf-8")
    for name in ("PGPASSWORD", "HANNO_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert await cli(["db", "upgrade", "--config", str(config)]) == 2  # no password anywhere
    assert "could not be used" in capsys.readouterr().err
    if password_in == "PGPASSWORD":
        monkeypatch.setenv("PGPASSWORD", PASSWORD)
    else:
        config.write_text('[storage]\nurl = "postgresql://nobody@localhost/nothing"\n')
        monkeypatch.setenv("HANNO_DATABASE_URL", url)
    assert await cli(["db", "upgrade", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "up to date" in out and PASSWORD not in out


async def test_a_password_in_the_config_file_is_refused(tmp_path: Path, capsys) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\nurl = "postgresql://hanno:s3cret@db/hanno"\n')
    assert await cli(["db", "upgrade", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "PGPASSWORD" in err and "s3cret" not in err
