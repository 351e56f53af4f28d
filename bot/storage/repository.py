"""All the SQL of hanno: one transaction's view of the database, returning domain models.

Nothing else in the project writes SQL. Rows come back as the core's pydantic models so the
service never sees a cursor.

The SQL is written once for both stores: `?` placeholders and what SQLite and PostgreSQL
both understand (`ON CONFLICT … RETURNING`, `COUNT(*) FILTER (WHERE …)`). `Tx` runs it on
aiosqlite; the PostgreSQL store's `PgTx` overrides only the three statement helpers
(`_all`, `_run`, `_many`) to run the same text on asyncpg, plus the locks that keep its rules
whole across processes (bot/storage/postgres/).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.core.models import (
    Approval,
    Article,
    ArticleState,
    Comment,
    CommentStatus,
    HistoryEntry,
    Override,
    PublishedPart,
    Source,
    Translation,
    TranslationKind,
)
from bot.core.targets import Publication, PublicationStatus
from bot.core.threads import Candidate
from bot.storage.rows import as_models
from bot.storage.team_queries import StatsQueries, TeamQueries
from bot.storage.translation_help import TranslationHelpQueries

COMMENT_COLUMNS = """
    c.id, c.space, c.number, a.number AS article_number, c.text, c.url, c.author, c.language,
    c.persona, c.countries, c.submitted_by, c.submitted_by_name, c.submitted_at, c.status,
    c.override, c.position, c.up, c.down, c.assignee_id, c.assignee_name,
    c.source_kind, c.permalink, c.source_score, c.posted_at, c.parent, c.language_uncertain,
    t.revision AS t_revision, t.text AS t_text, t.translator_id AS t_translator_id,
    t.translator_name AS t_translator_name, t.created_at AS t_created_at, t.kind AS t_kind,
    t.provider AS t_provider, t.model AS t_model, t.source_revision AS t_source_revision
"""

COMMENT_FROM = """
    FROM comments c
    JOIN articles a ON a.id = c.article_id
    LEFT JOIN translations t ON t.comment_id = c.id
        AND t.revision = (SELECT MAX(revision) FROM translations WHERE comment_id = c.id)
"""

# Selected reactions in article order: moved ones by position, the rest by submission.
ARTICLE_ORDER = "c.position IS NULL, c.position, c.number"

# The vote path: one read of everything a vote is checked against, then two writes.
VOTE_TARGET_SQL = f"""
    SELECT {COMMENT_COLUMNS}, a.state AS article_state, a.voting AS article_voting,
        (SELECT COUNT(*) FROM translations WHERE comment_id = c.id) AS revisions,
        (SELECT value FROM votes WHERE comment_id = c.id AND user_id = ?) AS my_vote
    {COMMENT_FROM} WHERE c.space = ? AND c.number = ?
"""
DELETE_VOTE_SQL = "DELETE FROM votes WHERE comment_id = ? AND user_id = ?"
UPSERT_VOTE_SQL = (
    "INSERT INTO votes (comment_id, user_id, value, updated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (comment_id, user_id) DO UPDATE SET value = excluded.value, "
    "updated_at = excluded.updated_at"
)
TALLY_SQL = "UPDATE comments SET up = up + ?, down = down + ? WHERE id = ? RETURNING up, down"


def now() -> datetime:
    return datetime.now(UTC)


def _ts(value: datetime) -> str:
    return value.isoformat(timespec="microseconds")


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class VoteTarget:
    """What a vote is checked against: its comment's row, its article's state, the voter's
    current vote.

    The `Comment` is built only once the vote's checks have passed, with the tallies it ends
    with: building it took about half of a vote's Python time (SQLite's aside), and copying
    it to put in the new tallies about a fifth more.
    """

    comment_id: int
    article_number: int
    submitted_by: str
    article_state: ArticleState
    current: int
    row: Any  # the store's row (sqlite3.Row, asyncpg Record or a dict), read by column name
    votes_hidden: bool = False  # the article's voting is hidden (scores kept from members)

    def comment(self, tallies: tuple[int, int] | None = None) -> Comment:
        """The comment, with `tallies` (up, down) in place of the stored ones if given."""
        return _comment(self.row, tallies)


class Tx(TranslationHelpQueries, TeamQueries, StatsQueries):
    """Repository methods bound to the connection inside one open transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self.statements = 0

    # Each helper is one trip to aiosqlite's worker thread: a cursor's execute, fetch and close
    # would be three, and on the vote path those trips, not SQLite, are most of the cost.

    async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[aiosqlite.Row]:
        self.statements += 1
        return list(await self._conn.execute_fetchall(sql, params))

    async def _one(self, sql: str, params: tuple[Any, ...] = ()) -> aiosqlite.Row | None:
        rows = await self._all(sql, params)
        return rows[0] if rows else None

    async def _run(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        self.statements += 1
        await self._conn.execute_fetchall(sql, params)

    async def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """One statement run for each of `rows`, counted as one."""
        self.statements += 1
        await self._conn.executemany(sql, rows)

    async def announce_change(self, topic: str) -> None:
        """Tell the other bot processes on this store, once this transaction commits, that
        what `topic` names changed (PostgreSQL; a SQLite file has no other process)."""

    # numbering -------------------------------------------------------------------------------

    async def next_number(self, space: str, kind: str) -> int:
        row = await self._one(
            "INSERT INTO counters (space, kind, value) VALUES (?, ?, 1) "
            "ON CONFLICT (space, kind) DO UPDATE SET value = counters.value + 1 RETURNING value",
            (space, kind),
        )
        assert row is not None
        return int(row[0])

    # articles --------------------------------------------------------------------------------

    async def insert_article(
        self,
        *,
        space: str,
        title: str,
        min_score: int,
        max_reactions: int,
        target_language: str,
        created_by: str,
        created_by_name: str,
    ) -> int:
        number = await self.next_number(space, "article")
        stamp = _ts(now())
        await self._run(
            "INSERT INTO articles (space, number, title, state, min_score, max_reactions, "
            "target_language, created_by, created_by_name, created_at, updated_at) "
            "VALUES (?, ?, ?, 'collecting', ?, ?, ?, ?, ?, ?, ?)",
            (
                space,
                number,
                title,
                min_score,
                max_reactions,
                target_language,
                created_by,
                created_by_name,
                stamp,
                stamp,
            ),
        )
        return number

    async def article_id(self, space: str, number: int) -> int | None:
        row = await self._one(
            "SELECT id FROM articles WHERE space = ? AND number = ?", (space, number)
        )
        return int(row[0]) if row else None

    async def get_article(self, space: str, number: int) -> Article | None:
        row = await self._one(
            "SELECT * FROM articles WHERE space = ? AND number = ?", (space, number)
        )
        if row is None:
            return None
        sources = await self._all(
            "SELECT * FROM sources WHERE article_id = ? ORDER BY position", (row["id"],)
        )
        return _article(row, sources)

    async def list_articles(self, space: str) -> list[Article]:
        rows = await self._all("SELECT * FROM articles WHERE space = ? ORDER BY number", (space,))
        return [_article(row, []) for row in rows]

    async def update_article(self, space: str, number: int, **fields: Any) -> None:
        fields["updated_at"] = _ts(now())
        assignments = ", ".join(f"{name} = ?" for name in fields)
        values = tuple(
            _ts(v) if isinstance(v, datetime) else (v.value if hasattr(v, "value") else v)
            for v in fields.values()
        )
        await self._run(
            f"UPDATE articles SET {assignments} WHERE space = ? AND number = ?",
            (*values, space, number),
        )

    async def bump_edit_seq(self, space: str, number: int) -> int:
        row = await self._one(
            "UPDATE articles SET edit_seq = edit_seq + 1, updated_at = ? "
            "WHERE space = ? AND number = ? RETURNING edit_seq",
            (_ts(now()), space, number),
        )
        assert row is not None
        return int(row[0])

    async def add_source(
        self, article_id: int, *, url: str, text: str, author: str, handle: str, date: str
    ) -> int:
        row = await self._one(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM sources WHERE article_id = ?",
            (article_id,),
        )
        position = int(row[0]) if row else 1
        await self._run(
            "INSERT INTO sources (article_id, position, url, text, author, handle, date) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (article_id, position, url, text, author, handle, date),
        )
        return position

    # comments --------------------------------------------------------------------------------

    async def insert_comment(
        self,
        *,
        space: str,
        article_id: int,
        text: str,
        url: str,
        author: str,
        language: str,
        persona: str,
        countries: tuple[str, ...],
        submitted_by: str,
        submitted_by_name: str,
    ) -> int:
        number = await self.next_number(space, "comment")
        await self._run(
            "INSERT INTO comments (space, number, article_id, text, url, author, language, "
            "persona, countries, submitted_by, submitted_by_name, submitted_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                space,
                number,
                article_id,
                text,
                url,
                author,
                language,
                persona,
                ",".join(countries),
                submitted_by,
                submitted_by_name,
                _ts(now()),
            ),
        )
        return number

    async def import_keys(self, article_id: int) -> tuple[set[str], list[str]]:
        """What an import is checked against: the article's permalinks and comment texts."""
        rows = await self._all(
            "SELECT permalink, text FROM comments WHERE article_id = ?", (article_id,)
        )
        return {row[0] for row in rows if row[0]}, [row[1] for row in rows]

    async def insert_imported(
        self,
        *,
        space: str,
        article_id: int,
        article_number: int,
        candidates: Sequence[Candidate],
        submitted_by: str,
        submitted_by_name: str,
    ) -> list[Comment]:
        """Add imported comments in a few statements (their numbers are reserved in one go),
        and hand them back as stored, without reading them again."""
        if not candidates:
            return []
        row = await self._one(
            "INSERT INTO counters (space, kind, value) VALUES (?, 'comment', ?) "
            "ON CONFLICT (space, kind) DO UPDATE SET value = counters.value + excluded.value "
            "RETURNING value",
            (space, len(candidates)),
        )
        assert row is not None
        first = int(row[0]) - len(candidates) + 1
        stamp = _ts(now())
        submitted_at = datetime.fromisoformat(stamp)  # as a read gives it back
        added = [
            # built from values of the right types, so pydantic's checks are skipped (a
            # thousand comments: a few milliseconds); a test compares them with a fresh read
            Comment.model_construct(
                space=space,
                number=first + index,
                article_number=article_number,
                text=c.comment.text,
                url=c.comment.permalink,
                author=c.comment.author,
                language=c.comment.language,
                persona=c.persona,
                countries=c.countries,
                submitted_by=submitted_by,
                submitted_by_name=submitted_by_name,
                submitted_at=submitted_at,
                source_kind=c.kind,
                permalink=c.comment.permalink,
                source_score=c.comment.score,
                posted_at=_dt(_ts(c.comment.posted_at)) if c.comment.posted_at else None,
                parent=c.comment.parent,
                language_uncertain=c.comment.language_uncertain,
            )
            for index, c in enumerate(candidates)
        ]
        await self._many(
            "INSERT INTO comments (space, number, article_id, text, url, author, language, "
            "persona, countries, submitted_by, submitted_by_name, submitted_at, source_kind, "
            "permalink, source_score, posted_at, parent, language_uncertain) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    space,
                    c.number,
                    article_id,
                    c.text,
                    c.url,
                    c.author,
                    c.language,
                    c.persona,
                    ",".join(c.countries),
                    submitted_by,
                    submitted_by_name,
                    stamp,
                    c.source_kind,
                    c.permalink,
                    c.source_score,
                    _ts(c.posted_at) if c.posted_at else None,
                    c.parent,
                    int(c.language_uncertain),
                )
                for c in added
            ],
        )
        return added

    async def comment_id(self, space: str, number: int) -> int | None:
        row = await self._one(
            "SELECT id FROM comments WHERE space = ? AND number = ?", (space, number)
        )
        return int(row[0]) if row else None

    async def get_comment(self, space: str, number: int) -> Comment | None:
        row = await self._one(
            f"SELECT {COMMENT_COLUMNS}, "
            "(SELECT COUNT(*) FROM translations WHERE comment_id = c.id) AS revisions "
            f"{COMMENT_FROM} WHERE c.space = ? AND c.number = ?",
            (space, number),
        )
        return _comment(row) if row else None

    async def list_comments(
        self, article_id: int, status: CommentStatus | None = None, *, article_order: bool = False
    ) -> list[Comment]:
        where = "c.article_id = ?"
        params: tuple[Any, ...] = (article_id,)
        if status is not None:
            where += " AND c.status = ?"
            params = (article_id, status.value)
        order = ARTICLE_ORDER if article_order else "c.number"
        rows = await self._all(
            f"SELECT {COMMENT_COLUMNS}, 0 AS revisions {COMMENT_FROM} WHERE {where} ORDER BY {order}",
            params,
        )
        return [_comment(row) for row in rows]

    async def comments_of_assignee(self, space: str, user_id: str) -> list[Comment]:
        rows = await self._all(
            f"SELECT {COMMENT_COLUMNS}, 0 AS revisions {COMMENT_FROM} "
            "WHERE c.space = ? AND c.assignee_id = ? AND a.state != 'published' "
            "ORDER BY a.number, c.number",
            (space, user_id),
        )
        return [_comment(row) for row in rows]

    async def update_comment(self, space: str, number: int, **fields: Any) -> None:
        assignments = ", ".join(f"{name} = ?" for name in fields)
        values = tuple(v.value if hasattr(v, "value") else v for v in fields.values())
        await self._run(
            f"UPDATE comments SET {assignments} WHERE space = ? AND number = ?",
            (*values, space, number),
        )

    async def set_selection(self, article_id: int, selected: list[int]) -> None:
        """Mark exactly `selected` (comment ids) as selected; dropped overrides stay dropped."""
        await self._run(
            "UPDATE comments SET status = CASE WHEN override = 'drop' THEN 'dropped' "
            "ELSE 'candidate' END WHERE article_id = ?",
            (article_id,),
        )
        await self._many(
            "UPDATE comments SET status = 'selected' WHERE id = ?", [(cid,) for cid in selected]
        )

    async def selection_inputs(self, article_id: int) -> list[aiosqlite.Row]:
        return await self._all(
            "SELECT id, number, up - down AS score, override FROM comments "
            "WHERE article_id = ? ORDER BY number",
            (article_id,),
        )

    async def reset_selection(self, article_id: int) -> None:
        await self._run(
            "UPDATE comments SET status = CASE WHEN override = 'drop' THEN 'dropped' "
            "ELSE 'candidate' END, position = NULL WHERE article_id = ?",
            (article_id,),
        )

    async def set_positions(self, ordered_ids: list[int]) -> None:
        await self._many(
            "UPDATE comments SET position = ? WHERE id = ?",
            [(index, cid) for index, cid in enumerate(ordered_ids, start=1)],
        )

    async def max_position(self, article_id: int) -> int | None:
        row = await self._one(
            "SELECT MAX(position) FROM comments WHERE article_id = ? AND status = 'selected'",
            (article_id,),
        )
        return int(row[0]) if row and row[0] is not None else None

    # votes -----------------------------------------------------------------------------------

    async def apply_vote(self, comment_id: int, user_id: str, value: int) -> None:
        """Set (value ±1) or withdraw (0) one person's vote, keeping the tallies exact."""
        old = await self.vote_of(comment_id, user_id)
        if old != value:
            await self.set_vote(comment_id, user_id, old, value)

    async def set_vote(
        self, comment_id: int, user_id: str, old: int, value: int
    ) -> tuple[int, int]:
        """Change one person's vote from `old` to `value` (0 withdraws); the new (up, down).

        `old` must be the stored vote read in this transaction, so the tallies move by exactly
        the difference.
        """
        if value == 0:
            await self._run(DELETE_VOTE_SQL, (comment_id, user_id))
        else:
            await self._run(UPSERT_VOTE_SQL, (comment_id, user_id, value, _ts(now())))
        row = await self._one(TALLY_SQL, (*_tally_delta(old, value), comment_id))
        assert row is not None
        return int(row[0]), int(row[1])

    async def vote_of(self, comment_id: int, user_id: str) -> int:
        row = await self._one(
            "SELECT value FROM votes WHERE comment_id = ? AND user_id = ?", (comment_id, user_id)
        )
        return int(row[0]) if row else 0

    # translations ----------------------------------------------------------------------------

    async def add_translation(
        self,
        comment_id: int,
        *,
        text: str,
        translator_id: str,
        translator_name: str,
        kind: TranslationKind = TranslationKind.HUMAN,
        provider: str = "",
        model: str = "",
        source_revision: int | None = None,
    ) -> int:
        row = await self._one(
            "SELECT COALESCE(MAX(revision), 0) + 1 FROM translations WHERE comment_id = ?",
            (comment_id,),
        )
        revision = int(row[0]) if row else 1
        await self._run(
            "INSERT INTO translations (comment_id, revision, text, translator_id, "
            "translator_name, created_at, kind, provider, model, source_revision) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                comment_id,
                revision,
                text,
                translator_id,
                translator_name,
                _ts(now()),
                TranslationKind(kind).value,
                provider,
                model,
                source_revision,
            ),
        )
        return revision

    async def translation(self, comment_id: int, revision: int) -> Translation | None:
        row = await self._one(
            "SELECT * FROM translations WHERE comment_id = ? AND revision = ?",
            (comment_id, revision),
        )
        return _translation(row) if row else None

    async def translation_history(self, comment_id: int) -> list[Translation]:
        rows = await self._all(
            "SELECT * FROM translations WHERE comment_id = ? ORDER BY revision", (comment_id,)
        )
        return [_translation(row) for row in rows]

    # approvals -------------------------------------------------------------------------------

    async def add_approval(
        self, article_id: int, *, moderator_id: str, moderator_name: str, edit_seq: int, note: str
    ) -> bool:
        """Record an approval; False when this moderator already approved this version."""
        row = await self._one(
            "INSERT INTO approvals (article_id, moderator_id, moderator_name, edit_seq, note, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1",
            (article_id, moderator_id, moderator_name, edit_seq, note, _ts(now())),
        )
        return row is not None

    async def approvals(self, article_id: int, edit_seq: int) -> list[Approval]:
        rows = await self._all(
            "SELECT * FROM approvals WHERE article_id = ? AND edit_seq = ? ORDER BY created_at",
            (article_id, edit_seq),
        )
        return as_models(Approval, rows)

    # history ---------------------------------------------------------------------------------

    async def add_history(
        self,
        article_id: int,
        *,
        actor_id: str,
        actor_name: str,
        action: str,
        detail: str = "",
        at: datetime,
    ) -> None:
        """A step of the article's history, at `at`: the service's clock, not this machine's."""
        await self._run(
            "INSERT INTO history (article_id, actor_id, actor_name, action, detail, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (article_id, actor_id, actor_name, action, detail, _ts(at)),
        )

    async def history(self, article_id: int) -> list[HistoryEntry]:
        rows = await self._all(
            "SELECT * FROM history WHERE article_id = ? ORDER BY id", (article_id,)
        )
        return [
            HistoryEntry(
                seq=index,
                at=datetime.fromisoformat(row["at"]),
                actor_id=row["actor_id"],
                actor_name=row["actor_name"],
                action=row["action"],
                detail=row["detail"],
            )
            for index, row in enumerate(rows, start=1)
        ]

    # status board ----------------------------------------------------------------------------

    async def status_counts(self, article_id: int) -> dict[str, int]:
        """Comments by status; each selected one counted once by its latest revision: a
        reviewed translation, an unreviewed machine draft, or none yet (assigned or not)."""
        row = await self._one(
            "SELECT "
            " COUNT(*) FILTER (WHERE c.status = 'candidate') AS candidates,"
            " COUNT(*) FILTER (WHERE c.status = 'selected') AS selected,"
            " COUNT(*) FILTER (WHERE c.status = 'dropped') AS dropped,"
            " COUNT(*) FILTER (WHERE c.status = 'selected' AND t.kind IS NOT NULL"
            "     AND t.kind != 'machine') AS translated,"
            " COUNT(*) FILTER (WHERE c.status = 'selected' AND t.kind = 'machine') AS machine,"
            " COUNT(*) FILTER (WHERE c.status = 'selected' AND t.kind IS NULL"
            "     AND c.assignee_id IS NOT NULL) AS assigned,"
            " COUNT(*) FILTER (WHERE c.status = 'selected' AND t.kind IS NULL"
            "     AND c.assignee_id IS NULL) AS unassigned "
            "FROM comments c LEFT JOIN translations t ON t.comment_id = c.id AND t.revision = "
            " (SELECT MAX(revision) FROM translations WHERE comment_id = c.id) "
            "WHERE c.article_id = ?",
            (article_id,),
        )
        keys = (
            "candidates",
            "selected",
            "dropped",
            "translated",
            "machine",
            "assigned",
            "unassigned",
        )
        return {key: int(row[key] or 0) if row else 0 for key in keys}

    async def untranslated_selected(self, article_id: int) -> list[aiosqlite.Row]:
        return await self._all(
            "SELECT c.number, c.assignee_id, c.assignee_name FROM comments c "
            "WHERE c.article_id = ? AND c.status = 'selected' AND NOT EXISTS "
            "(SELECT 1 FROM translations t WHERE t.comment_id = c.id) ORDER BY c.number",
            (article_id,),
        )

    async def holders(self, article_id: int) -> list[aiosqlite.Row]:
        return await self._all(
            "SELECT c.assignee_name AS name, c.number FROM comments c "
            "WHERE c.article_id = ? AND c.status = 'selected' AND c.assignee_id IS NOT NULL "
            "ORDER BY c.assignee_name, c.number",
            (article_id,),
        )

    # publishing ------------------------------------------------------------------------------

    async def published_parts(self, article_id: int) -> list[PublishedPart]:
        rows = await self._all(
            "SELECT idx, channel, message_id FROM published_parts WHERE article_id = ? "
            "ORDER BY idx",
            (article_id,),
        )
        return [
            PublishedPart(index=row["idx"], channel=row["channel"], message_id=row["message_id"])
            for row in rows
        ]

    async def add_published_part(
        self, article_id: int, *, index: int, channel: str, message_id: str
    ) -> None:
        await self._run(
            "INSERT INTO published_parts (article_id, idx, channel, message_id) VALUES (?, ?, ?, ?)",
            (article_id, index, channel, message_id),
        )

    # blog targets ----------------------------------------------------------------------------

    async def publications(self, article_id: int) -> list[Publication]:
        """What was recorded for the article on each blog target, by target name."""
        rows = await self._all(
            "SELECT * FROM publications WHERE article_id = ? ORDER BY target", (article_id,)
        )
        return [_publication(row) for row in rows]

    async def publication(self, article_id: int, target: str) -> Publication | None:
        row = await self._one(
            "SELECT * FROM publications WHERE article_id = ? AND target = ?", (article_id, target)
        )
        return _publication(row) if row else None

    async def save_publication(self, article_id: int, publication: Publication) -> None:
        """Record where the article stands on `publication.target`, replacing what was there."""
        await self._run(
            "INSERT INTO publications (article_id, target, kind, status, remote_id, edit_uri, "
            "url, style, revision, error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (article_id, target) DO UPDATE SET kind = excluded.kind, "
            "status = excluded.status, remote_id = excluded.remote_id, "
            "edit_uri = excluded.edit_uri, url = excluded.url, style = excluded.style, "
            "revision = excluded.revision, error = excluded.error, "
            "updated_at = excluded.updated_at",
            (
                article_id,
                publication.target,
                publication.kind,
                publication.status.value,
                publication.remote_id,
                publication.edit_uri,
                publication.url,
                publication.style,
                publication.revision,
                publication.error,
                _ts(publication.updated_at or now()),
            ),
        )

    # front-end message references ------------------------------------------------------------

    async def get_ref(self, space: str, kind: str, key: str) -> tuple[str, str] | None:
        row = await self._one(
            "SELECT channel, message_id FROM message_refs WHERE space = ? AND kind = ? AND key = ?",
            (space, kind, key),
        )
        return (row["channel"], row["message_id"]) if row else None

    async def set_ref(self, space: str, kind: str, key: str, channel: str, message_id: str) -> None:
        await self._run(
            "INSERT INTO message_refs (space, kind, key, channel, message_id) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (space, kind, key) DO UPDATE SET "
            "channel = excluded.channel, message_id = excluded.message_id",
            (space, kind, key, channel, message_id),
        )


class BatchTx:
    """The vote path's repository methods on a plain sqlite3 connection, for group commit.

    A batch of votes runs in one go on the group-commit writer thread (`GroupCommitter`);
    these calls are synchronous because a round trip to another thread per statement would
    cost more than the statement itself.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.statements = 0

    def _one(self, sql: str, params: tuple[Any, ...]) -> sqlite3.Row | None:
        self.statements += 1
        return self._conn.execute(sql, params).fetchone()

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Any statement in the batch's transaction, its rows (for tests and maintenance)."""
        self.statements += 1
        return self._conn.execute(sql, params).fetchall()

    def vote_target(self, space: str, number: int, user_id: str) -> VoteTarget | None:
        row = self._one(VOTE_TARGET_SQL, (user_id, space, number))
        return _vote_target(row) if row else None

    def set_vote(self, comment_id: int, user_id: str, old: int, value: int) -> tuple[int, int]:
        """As `Tx.set_vote`: `old` is the stored vote read in this transaction."""
        self.statements += 1
        if value == 0:
            self._conn.execute(DELETE_VOTE_SQL, (comment_id, user_id))
        else:
            self._conn.execute(UPSERT_VOTE_SQL, (comment_id, user_id, value, _ts(now())))
        row = self._one(TALLY_SQL, (*_tally_delta(old, value), comment_id))
        assert row is not None
        return int(row[0]), int(row[1])


def _vote_target(row: sqlite3.Row) -> VoteTarget:
    return VoteTarget(
        comment_id=row["id"],
        article_number=row["article_number"],
        submitted_by=row["submitted_by"],
        article_state=ArticleState(row["article_state"]),
        current=int(row["my_vote"] or 0),
        row=row,
        votes_hidden=row["article_voting"] == "hidden",
    )


def _tally_delta(old: int, value: int) -> tuple[int, int]:
    """How (up, down) move when one vote changes from `old` to `value`."""
    return (value == 1) - (old == 1), (value == -1) - (old == -1)


def _article(row: aiosqlite.Row, sources: list[aiosqlite.Row]) -> Article:
    return Article(
        space=row["space"],
        number=row["number"],
        title=row["title"],
        lead=row["lead"],
        closing=row["closing"],
        state=ArticleState(row["state"]),
        min_score=row["min_score"],
        max_reactions=row["max_reactions"],
        target_language=row["target_language"],
        edit_seq=row["edit_seq"],
        created_by=row["created_by"],
        created_by_name=row["created_by_name"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        published_at=_dt(row["published_at"]),
        style=row["style"],
        voting=row["voting"],
        closes_at=_dt(row["closes_at"]),
        deadline_at=_dt(row["deadline_at"]),
        sources=tuple(
            Source(
                position=s["position"],
                url=s["url"],
                text=s["text"],
                author=s["author"],
                handle=s["handle"],
                date=s["date"],
            )
            for s in sources
        ),
    )


def _publication(row: aiosqlite.Row) -> Publication:
    return Publication(
        target=row["target"],
        kind=row["kind"],
        status=PublicationStatus(row["status"]),
        remote_id=row["remote_id"],
        edit_uri=row["edit_uri"],
        url=row["url"],
        style=row["style"],
        revision=row["revision"],
        error=row["error"],
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


def _translation(row: aiosqlite.Row | sqlite3.Row, prefix: str = "") -> Translation:
    """A translation from its own table's row, or from a join's `t_`-prefixed columns."""
    return Translation(
        revision=row[prefix + "revision"],
        text=row[prefix + "text"],
        translator_id=row[prefix + "translator_id"],
        translator_name=row[prefix + "translator_name"],
        created_at=datetime.fromisoformat(row[prefix + "created_at"]),
        kind=TranslationKind(row[prefix + "kind"]),
        provider=row[prefix + "provider"],
        model=row[prefix + "model"],
        source_revision=row[prefix + "source_revision"],
    )


def _comment(row: aiosqlite.Row | sqlite3.Row, tallies: tuple[int, int] | None = None) -> Comment:
    up, down = tallies if tallies is not None else (row["up"], row["down"])
    translation = _translation(row, "t_") if row["t_revision"] is not None else None
    return Comment(
        space=row["space"],
        number=row["number"],
        article_number=row["article_number"],
        text=row["text"],
        url=row["url"],
        author=row["author"],
        language=row["language"],
        persona=row["persona"],
        countries=tuple(code for code in row["countries"].split(",") if code),
        submitted_by=row["submitted_by"],
        submitted_by_name=row["submitted_by_name"],
        submitted_at=datetime.fromisoformat(row["submitted_at"]),
        status=CommentStatus(row["status"]),
        override=Override(row["override"]) if row["override"] else None,
        position=row["position"],
        up=up,
        down=down,
        assignee_id=row["assignee_id"],
        assignee_name=row["assignee_name"],
        translation=translation,
        revisions=row["revisions"] or (translation.revision if translation else 0),
        source_kind=row["source_kind"],
        permalink=row["permalink"],
        source_score=row["source_score"],
        posted_at=_dt(row["posted_at"]),
        parent=row["parent"],
        language_uncertain=bool(row["language_uncertain"]),
    )
