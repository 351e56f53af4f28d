"""The SQL of translation help: the team glossary, review remarks, dismissed glossary
warnings, and which comments wait on an unreviewed machine draft.

A part of `Tx` (which it is mixed into), kept apart so the workflow's repository stays
readable; it uses the same one-trip helpers of the same transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import aiosqlite

from bot.core.assist import GlossaryEntry
from bot.core.glossary import term_key
from bot.core.models import Remark
from bot.storage.rows import as_models

LATEST = "(SELECT MAX(revision) FROM translations WHERE comment_id = c.id)"
REMARK_COLUMNS = "r.*, c.number AS comment_number"


def _stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class TranslationHelpQueries:
    """Methods of `Tx`; `_all`, `_one` and `_run` are Tx's."""

    if TYPE_CHECKING:

        async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[aiosqlite.Row]: ...

        async def _one(self, sql: str, params: tuple[Any, ...] = ()) -> aiosqlite.Row | None: ...

        async def _run(self, sql: str, params: tuple[Any, ...] = ()) -> None: ...

        async def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None: ...

        statements: int

    # glossary --------------------------------------------------------------------------------

    async def glossary_entries(self, space: str) -> list[GlossaryEntry]:
        rows = await self._all(
            "SELECT source, target, note FROM glossary WHERE space = ? ORDER BY term_key",
            (space,),
        )
        return [GlossaryEntry(source=r["source"], target=r["target"], note=r["note"]) for r in rows]

    async def put_glossary_entry(
        self, space: str, *, source: str, target: str, note: str, by_id: str, by_name: str
    ) -> bool:
        """Add or replace the entry for `source`; True when the term is new."""
        key = term_key(source)
        had = await self._one(
            "SELECT 1 FROM glossary WHERE space = ? AND term_key = ?", (space, key)
        )
        await self._run(
            "INSERT INTO glossary (space, term_key, source, target, note, added_by, "
            "added_by_name, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (space, term_key) DO UPDATE SET source = excluded.source, "
            "target = excluded.target, note = excluded.note, added_by = excluded.added_by, "
            "added_by_name = excluded.added_by_name, added_at = excluded.added_at",
            (space, key, source, target, note, by_id, by_name, _stamp()),
        )
        return had is None

    async def remove_glossary_entry(self, space: str, source: str) -> GlossaryEntry | None:
        row = await self._one(
            "DELETE FROM glossary WHERE space = ? AND term_key = ? RETURNING source, target, note",
            (space, term_key(source)),
        )
        if row is None:
            return None
        return GlossaryEntry(source=row["source"], target=row["target"], note=row["note"])

    # remarks ---------------------------------------------------------------------------------

    async def add_remark(
        self, comment_id: int, *, revision: int, text: str, author_id: str, author_name: str
    ) -> int:
        row = await self._one(
            "INSERT INTO remarks (comment_id, revision, text, author_id, author_name, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (comment_id, revision, text, author_id, author_name, _stamp()),
        )
        assert row is not None
        return int(row[0])

    async def remarks_of_comment(self, comment_id: int) -> list[Remark]:
        rows = await self._all(
            f"SELECT {REMARK_COLUMNS} FROM remarks r JOIN comments c ON c.id = r.comment_id "
            "WHERE r.comment_id = ? ORDER BY r.id",
            (comment_id,),
        )
        return as_models(Remark, rows)

    async def open_remarks(self, article_id: int) -> list[Remark]:
        """Unresolved remarks on the latest revision of the article's selected comments."""
        rows = await self._all(
            f"SELECT {REMARK_COLUMNS} FROM remarks r JOIN comments c ON c.id = r.comment_id "
            "WHERE c.article_id = ? AND c.status = 'selected' AND r.resolved_at IS NULL "
            f"AND r.revision = {LATEST} ORDER BY c.number, r.id",
            (article_id,),
        )
        return as_models(Remark, rows)

    async def resolve_remarks(self, comment_id: int, *, by_name: str) -> int:
        """Resolve every open remark on the comment; how many there were."""
        rows = await self._all(
            "UPDATE remarks SET resolved_by_name = ?, resolved_at = ? "
            "WHERE comment_id = ? AND resolved_at IS NULL RETURNING id",
            (by_name, _stamp(), comment_id),
        )
        return len(rows)

    # glossary warnings -----------------------------------------------------------------------

    async def dismiss_glossary_terms(
        self, comment_id: int, terms: list[str], *, by_id: str, by_name: str
    ) -> None:
        for term in terms:
            await self._run(
                "INSERT INTO glossary_dismissals (comment_id, term_key, dismissed_by, "
                "dismissed_by_name, dismissed_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (comment_id, term_key) DO NOTHING",
                (comment_id, term_key(term), by_id, by_name, _stamp()),
            )

    async def dismissed_terms(self, article_id: int) -> set[tuple[int, str]]:
        """(comment number, term key) of every glossary warning dismissed in the article."""
        rows = await self._all(
            "SELECT c.number, d.term_key FROM glossary_dismissals d "
            "JOIN comments c ON c.id = d.comment_id WHERE c.article_id = ?",
            (article_id,),
        )
        return {(int(row[0]), str(row[1])) for row in rows}

    # machine drafts --------------------------------------------------------------------------

    async def add_machine_drafts(
        self,
        space: str,
        drafts: list[tuple[int, str]],
        *,
        translator_id: str,
        translator_name: str,
        provider: str,
        model: str,
    ) -> None:
        """A machine revision for each (comment number, text), each its comment's next
        revision, in one statement: a batch of 60 drafts is one trip, not 180."""
        stamp = _stamp()
        await self._many(
            "INSERT INTO translations (comment_id, revision, text, translator_id, "
            "translator_name, created_at, kind, provider, model) "
            "SELECT c.id, COALESCE((SELECT MAX(revision) FROM translations t "
            "WHERE t.comment_id = c.id), 0) + 1, ?, ?, ?, ?, 'machine', ?, ? "
            "FROM comments c WHERE c.space = ? AND c.number = ?",
            [
                (text, translator_id, translator_name, stamp, provider, model, space, number)
                for number, text in drafts
            ],
        )

    async def machine_latest(self, article_id: int) -> list[int]:
        """Selected comments whose latest revision is an unreviewed machine draft."""
        rows = await self._all(
            "SELECT c.number FROM comments c JOIN translations t ON t.comment_id = c.id "
            f"AND t.revision = {LATEST} WHERE c.article_id = ? AND c.status = 'selected' "
            "AND t.kind = 'machine' ORDER BY c.number",
            (article_id,),
        )
        return [int(row[0]) for row in rows]
