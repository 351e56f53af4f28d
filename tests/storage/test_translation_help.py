"""The store's side of translation help: revision kinds, the glossary, remarks, dismissals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.core.assist import GlossaryEntry
from bot.core.models import CommentStatus, TranslationKind
from bot.storage.database import SqliteStore, migrations
from bot.storage.repository import Tx
from tests.conftest import INTEGRITY_ERRORS

MACHINE = TranslationKind.MACHINE


async def selected_comments(tx: Tx, count: int) -> tuple[int, list[int]]:
    """An article with `count` selected comments; its id and the comments' ids."""
    number = await tx.insert_article(
        space="s",
        title="Lost sketchbook",
        min_score=1,
        max_reactions=10,
        target_language="ja",
        created_by="u",
        created_by_name="u",
    )
    article_id = await tx.article_id("s", number)
    ids = []
    for n in range(count):
        comment = await tx.insert_comment(
            space="s",
            article_id=article_id,
            text=f"Comment {n}",
            url="",
            author="",
            language="en",
            persona="👴🏼",
            countries=(),
            submitted_by="u",
            submitted_by_name="u",
        )
        ids.append(await tx.comment_id("s", comment))
    await tx.set_selection(article_id, ids)
    return article_id, ids


async def add(tx: Tx, comment_id: int, text: str, kind=TranslationKind.HUMAN, **extra) -> int:
    return await tx.add_translation(
        comment_id, text=text, translator_id="u-tr", translator_name="tr", kind=kind, **extra
    )


async def test_machine_drafts_are_revisions_of_their_own_kind_counted_apart(store: SqliteStore):
    async with store.transaction() as tx:
        article_id, (a, b, c, _d) = await selected_comments(tx, 4)
        await add(tx, a, "これは最高だよ")
        await add(tx, b, "訳: machine", MACHINE, provider="DeepL")
        await add(tx, c, "訳: old draft", MACHINE, provider="OpenAI-compatible", model="m1")
        await add(
            tx,
            c,
            "訳: old draft",
            TranslationKind.ACCEPTED,
            provider="OpenAI-compatible",
            model="m1",
        )
        await tx.update_comment("s", 4, assignee_id="u-tr", assignee_name="tr")
        counts = await tx.status_counts(article_id)
        assert (counts["translated"], counts["machine"], counts["assigned"]) == (2, 1, 1)
        assert counts["unassigned"] == 0
        assert await tx.machine_latest(article_id) == [2]
        comment = await tx.get_comment("s", 2)
        assert comment.translation.is_machine and comment.translation.provider == "DeepL"
        [draft, accepted] = await tx.translation_history(c)
        assert (draft.kind, accepted.kind, accepted.model) == (MACHINE, "accepted", "m1")
        restored = await add(tx, c, draft.text, TranslationKind.RESTORED, source_revision=1)
        assert (await tx.translation(c, restored)).source_revision == 1
        assert await tx.translation(c, 99) is None
        listed = await tx.list_comments(article_id, CommentStatus.SELECTED)
        assert [x.translation.kind if x.translation else None for x in listed] == [
            "human",
            "machine",
            "restored",
            None,
        ]


async def test_a_revision_kind_outside_the_four_is_refused_by_the_schema(store: SqliteStore):
    async with store.transaction() as tx:
        _, (a,) = await selected_comments(tx, 1)
        with pytest.raises(INTEGRITY_ERRORS):
            await tx._run(
                "INSERT INTO translations (comment_id, revision, text, translator_id, "
                "translator_name, created_at, kind) VALUES (?, 1, 'x', 'u', 'u', 'now', 'guess')",
                (a,),
            )


async def test_the_glossary_is_per_space_and_case_blind(store: SqliteStore):
    async with store.transaction() as tx:
        new = await tx.put_glossary_entry(
            "s", source="Kuroda", target="黒田", note="the clerk", by_id="u", by_name="u"
        )
        again = await tx.put_glossary_entry(
            "s", source="KURODA", target="黒田さん", note="", by_id="u", by_name="u"
        )
        await tx.put_glossary_entry(
            "s", source="JR East", target="JR東日本", note="", by_id="u", by_name="u"
        )
        assert (new, again) == (True, False)
        assert await tx.glossary_entries("s") == [
            GlossaryEntry(source="JR East", target="JR東日本"),
            GlossaryEntry(source="KURODA", target="黒田さん"),
        ]
        assert await tx.glossary_entries("other") == []
        removed = await tx.remove_glossary_entry("s", "kuroda")
        assert removed == GlossaryEntry(source="KURODA", target="黒田さん")
        assert await tx.remove_glossary_entry("s", "kuroda") is None
        assert [e.source for e in await tx.glossary_entries("s")] == ["JR East"]


async def test_a_remark_stays_open_until_resolved_or_the_translation_changes(store: SqliteStore):
    async with store.transaction() as tx:
        article_id, (a, b) = await selected_comments(tx, 2)
        await add(tx, a, "最高だね")
        await add(tx, b, "ありがとう")
        await tx.add_remark(a, revision=1, text="ちょっと硬い", author_id="u-m", author_name="mod")
        await tx.add_remark(b, revision=1, text="誤訳？", author_id="u-m", author_name="mod")
        assert [(r.comment_number, r.text) for r in await tx.open_remarks(article_id)] == [
            (1, "ちょっと硬い"),
            (2, "誤訳？"),
        ]
        await add(tx, a, "マジ最高")  # a new revision answers the remark on the old one
        assert await tx.resolve_remarks(b, by_name="tr") == 1
        assert await tx.resolve_remarks(b, by_name="tr") == 0
        assert await tx.open_remarks(article_id) == []
        [kept] = await tx.remarks_of_comment(b)
        assert kept.resolved_by_name == "tr" and kept.resolved_at is not None


async def test_dismissed_glossary_warnings_are_kept_per_comment_and_term(store: SqliteStore):
    async with store.transaction() as tx:
        article_id, (a, _b) = await selected_comments(tx, 2)
        await tx.dismiss_glossary_terms(a, ["Kuroda", "JR  East"], by_id="u", by_name="tr")
        await tx.dismiss_glossary_terms(a, ["kuroda"], by_id="u", by_name="tr")
        assert await tx.dismissed_terms(article_id) == {(1, "kuroda"), (1, "jr east")}


async def test_an_older_database_gains_the_new_columns_with_its_translations_human(
    tmp_path: Path,
):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    version, _, sql = migrations()[0]
    conn.executescript(sql + f"; PRAGMA user_version = {version};")
    conn.execute(
        "INSERT INTO articles (space, number, title, state, min_score, max_reactions, "
        "target_language, created_by, created_by_name, created_at, updated_at) VALUES "
        "('s', 1, 't', 'translating', 1, 3, 'ja', 'u', 'u', '2026-01-01T00:00:00', "
        "'2026-01-01T00:00:00')"
    )
    conn.execute(
        "INSERT INTO comments (space, number, article_id, text, persona, submitted_by, "
        "submitted_by_name, submitted_at, status) VALUES ('s', 1, 1, 'x', '👴🏼', 'u', 'u', "
        "'2026-01-01T00:00:00', 'selected')"
    )
    conn.execute(
        "INSERT INTO translations (comment_id, revision, text, translator_id, translator_name, "
        "created_at) VALUES (1, 1, '訳', 'u', 'u', '2026-01-01T00:00:00')"
    )
    conn.commit()
    conn.close()
    store = await SqliteStore.open(path)
    try:
        async with store.transaction() as tx:
            [old] = await tx.translation_history(1)
            assert old.kind is TranslationKind.HUMAN and old.provider == ""
    finally:
        await store.close()
