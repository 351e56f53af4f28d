"""The SQL of running a team over time: schedules, granted roles, DM failures, article timing.

A mixin of `Tx` (it uses Tx's `_one/_all/_run`), kept in its own module so the capability's
queries stay together. Times are passed in by the core (its clock), never read here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import aiosqlite

from bot.core.teamwork import Grant, HeldComment, Schedule, ScheduleKind, TeamChange
from bot.storage.rows import as_models

SCHEDULE_COLUMNS = """
    s.id, s.space, s.kind, s.key, s.target, s.due_at, s.fired_at, s.outcome, s.created_by,
    s.created_by_name, a.number AS article_number
"""
SCHEDULE_FROM = "FROM schedules s LEFT JOIN articles a ON a.id = s.article_id"


def _ts(value: datetime) -> str:
    """UTC always, so that stored times compare correctly as text."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class TeamQueries:
    """Repository methods for schedules, roles and deliveries (mixed into `Tx`)."""

    if TYPE_CHECKING:  # provided by Tx

        async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[aiosqlite.Row]: ...
        async def _one(self, sql: str, params: tuple[Any, ...] = ()) -> aiosqlite.Row | None: ...
        async def _run(self, sql: str, params: tuple[Any, ...] = ()) -> None: ...

    # schedules -------------------------------------------------------------------------------

    async def put_schedule(
        self,
        *,
        space: str,
        kind: ScheduleKind,
        key: str,
        due_at: datetime,
        now: datetime,
        created_by: str,
        created_by_name: str = "",
        article_id: int | None = None,
        target: str = "",
    ) -> None:
        """Set the one pending schedule for (space, kind, key), replacing its time if set."""
        await self._run(
            "INSERT INTO schedules (space, kind, key, article_id, target, due_at, created_by, "
            "created_by_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (space, kind, key) WHERE fired_at IS NULL DO UPDATE SET "
            "due_at = excluded.due_at, target = excluded.target, "
            "created_by = excluded.created_by, created_by_name = excluded.created_by_name, "
            "created_at = excluded.created_at",
            (
                space,
                kind.value,
                key,
                article_id,
                target,
                _ts(due_at),
                created_by,
                created_by_name,
                _ts(now),
            ),
        )

    async def drop_schedule(self, space: str, kind: ScheduleKind, key: str) -> bool:
        """Forget the pending schedule for (space, kind, key); False when there was none."""
        row = await self._one(
            "DELETE FROM schedules WHERE space = ? AND kind = ? AND key = ? "
            "AND fired_at IS NULL RETURNING id",
            (space, kind.value, key),
        )
        return row is not None

    async def pending_schedule(self, space: str, kind: ScheduleKind, key: str) -> Schedule | None:
        row = await self._one(
            f"SELECT {SCHEDULE_COLUMNS} {SCHEDULE_FROM} "
            "WHERE s.space = ? AND s.kind = ? AND s.key = ? AND s.fired_at IS NULL",
            (space, kind.value, key),
        )
        return _schedule(row) if row else None

    async def pending_schedules(self, space: str) -> list[Schedule]:
        rows = await self._all(
            f"SELECT {SCHEDULE_COLUMNS} {SCHEDULE_FROM} "
            "WHERE s.space = ? AND s.fired_at IS NULL ORDER BY s.due_at, s.id",
            (space,),
        )
        return [_schedule(row) for row in rows]

    async def due_schedules(self, now: datetime, limit: int = 50) -> list[Schedule]:
        """Unfired schedules whose time has come, in every space, oldest first."""
        rows = await self._all(
            f"SELECT {SCHEDULE_COLUMNS} {SCHEDULE_FROM} "
            "WHERE s.fired_at IS NULL AND s.due_at <= ? ORDER BY s.due_at, s.id LIMIT ?",
            (_ts(now), limit),
        )
        return [_schedule(row) for row in rows]

    async def next_due_at(self) -> datetime | None:
        row = await self._one("SELECT MIN(due_at) FROM schedules WHERE fired_at IS NULL")
        return _dt(row[0]) if row else None

    async def claim_schedule(self, schedule_id: int, now: datetime) -> bool:
        """Mark the schedule fired; False when another process (or run) fired it first.

        Run in the transaction that carries out the schedule's effect: the effect and the
        mark commit together, so a schedule fires exactly once.
        """
        row = await self._one(
            "UPDATE schedules SET fired_at = ? WHERE id = ? AND fired_at IS NULL RETURNING id",
            (_ts(now), schedule_id),
        )
        return row is not None

    async def set_schedule_outcome(self, schedule_id: int, outcome: str) -> None:
        await self._run("UPDATE schedules SET outcome = ? WHERE id = ?", (outcome, schedule_id))

    async def fired_schedules(self, space: str, limit: int = 20) -> list[Schedule]:
        rows = await self._all(
            f"SELECT {SCHEDULE_COLUMNS} {SCHEDULE_FROM} "
            "WHERE s.space = ? AND s.fired_at IS NOT NULL ORDER BY s.fired_at DESC LIMIT ?",
            (space, limit),
        )
        return [_schedule(row) for row in rows]

    async def active_spaces(self) -> list[str]:
        """Spaces with an article not yet published (the ones a digest may concern)."""
        rows = await self._all(
            "SELECT DISTINCT space FROM articles WHERE state != 'published' ORDER BY space"
        )
        return [row[0] for row in rows]

    # who holds what, since when --------------------------------------------------------------

    async def mark_assignment(
        self, space: str, number: int, *, at: datetime | None, by: str | None
    ) -> None:
        await self._run(
            "UPDATE comments SET assigned_at = ?, assigned_by = ? WHERE space = ? AND number = ?",
            (_ts(at) if at else None, by, space, number),
        )

    async def held_untranslated(
        self, space: str, article_id: int | None = None
    ) -> list[HeldComment]:
        """Selected comments someone holds without a translation yet, oldest holding first."""
        where = "c.space = ? AND c.status = 'selected' AND c.assignee_id IS NOT NULL"
        params: tuple[Any, ...] = (space,)
        if article_id is not None:
            where += " AND c.article_id = ?"
            params = (space, article_id)
        rows = await self._all(
            "SELECT c.number, a.number AS article_number, c.assignee_id, c.assignee_name, "
            "c.assigned_at, c.assigned_by FROM comments c JOIN articles a ON a.id = c.article_id "
            f"WHERE {where} AND NOT EXISTS "
            "(SELECT 1 FROM translations t WHERE t.comment_id = c.id) "
            "ORDER BY c.assigned_at IS NULL, c.assigned_at, c.number",
            params,
        )
        return [
            HeldComment(
                number=row["number"],
                article_number=row["article_number"],
                assignee_id=row["assignee_id"],
                assignee_name=row["assignee_name"] or "",
                assigned_at=_dt(row["assigned_at"]),
                assigned_by=row["assigned_by"],
            )
            for row in rows
        ]

    # roles granted from chat -----------------------------------------------------------------

    async def grant_role(
        self,
        space: str,
        *,
        user_id: str,
        user_name: str,
        role: str,
        by_id: str,
        by_name: str,
        at: datetime,
    ) -> bool:
        """Record the grant; False when the person had it already."""
        row = await self._one(
            "INSERT INTO team_roles (space, user_id, user_name, role, granted_by, "
            "granted_by_name, granted_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING RETURNING 1",
            (space, user_id, user_name, role, by_id, by_name, _ts(at)),
        )
        return row is not None

    async def revoke_role(self, space: str, *, user_id: str, role: str) -> bool:
        row = await self._one(
            "DELETE FROM team_roles WHERE space = ? AND user_id = ? AND role = ? RETURNING 1",
            (space, user_id, role),
        )
        return row is not None

    async def granted_roles(self, space: str | None = None) -> list[Grant]:
        """Grants in `space`, or in every space (to fill the role cache at start)."""
        if space is None:
            rows = await self._all("SELECT * FROM team_roles ORDER BY space, user_name")
        else:
            rows = await self._all(
                "SELECT * FROM team_roles WHERE space = ? ORDER BY user_name", (space,)
            )
        return as_models(Grant, rows)

    async def add_team_change(
        self,
        space: str,
        *,
        actor_id: str,
        actor_name: str,
        action: str,
        user_id: str,
        user_name: str,
        role: str,
        at: datetime,
    ) -> None:
        await self._run(
            "INSERT INTO team_audit (space, actor_id, actor_name, action, user_id, user_name, "
            "role, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (space, actor_id, actor_name, action, user_id, user_name, role, _ts(at)),
        )

    async def team_changes(self, space: str, limit: int = 20) -> list[TeamChange]:
        rows = await self._all(
            "SELECT * FROM team_audit WHERE space = ? ORDER BY id DESC LIMIT ?", (space, limit)
        )
        return as_models(TeamChange, rows)

    # DMs that could not be delivered ---------------------------------------------------------

    async def record_dm_failure(
        self, space: str, *, recipient_id: str, notified_id: str, reason: str, at: datetime
    ) -> bool:
        """True the first time this recipient's failure is reported to `notified_id`."""
        row = await self._one(
            "INSERT INTO dm_failures (space, recipient_id, notified_id, reason, at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1",
            (space, recipient_id, notified_id, reason, _ts(at)),
        )
        return row is not None

    async def clear_dm_failures(self, space: str, recipient_id: str) -> None:
        await self._run(
            "DELETE FROM dm_failures WHERE space = ? AND recipient_id = ?", (space, recipient_id)
        )


def _schedule(row: aiosqlite.Row) -> Schedule:
    return Schedule(
        id=row["id"],
        space=row["space"],
        kind=ScheduleKind(row["kind"]),
        key=row["key"],
        article_number=row["article_number"],
        target=row["target"],
        due_at=datetime.fromisoformat(row["due_at"]),
        fired_at=_dt(row["fired_at"]),
        outcome=row["outcome"],
        created_by=row["created_by"],
        created_by_name=row["created_by_name"],
    )


class StatsQueries:
    """Counts for `stats`: who did what since when, and how long articles took (mixed into Tx)."""

    if TYPE_CHECKING:  # provided by Tx

        async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[aiosqlite.Row]: ...

    async def contributions(self, space: str, since: datetime) -> list[aiosqlite.Row]:
        """One row per (user, what): comments, votes, translations (written by a person),
        accepted (machine drafts taken as they were), approvals."""
        stamp = _ts(since)
        return await self._all(
            "SELECT submitted_by AS user_id, MAX(submitted_by_name) AS name, "
            "'comments' AS what, COUNT(*) AS n FROM comments "
            "WHERE space = ? AND submitted_at >= ? GROUP BY submitted_by "
            "UNION ALL "
            "SELECT v.user_id, NULL, 'votes', COUNT(*) FROM votes v "
            "JOIN comments c ON c.id = v.comment_id "
            "WHERE c.space = ? AND v.updated_at >= ? GROUP BY v.user_id "
            "UNION ALL "
            # Translations a person wrote, and machine drafts a person took as they were;
            # a machine draft nobody reviewed and a restored revision are nobody's work.
            "SELECT t.translator_id, MAX(t.translator_name), "
            "CASE WHEN t.kind = 'accepted' THEN 'accepted' ELSE 'translations' END, "
            "COUNT(DISTINCT t.comment_id) FROM translations t "
            "JOIN comments c ON c.id = t.comment_id "
            "WHERE c.space = ? AND t.created_at >= ? AND t.kind IN ('human', 'accepted') "
            "GROUP BY t.translator_id, t.kind "
            "UNION ALL "
            "SELECT ap.moderator_id, MAX(ap.moderator_name), 'approvals', COUNT(*) "
            "FROM approvals ap JOIN articles a ON a.id = ap.article_id "
            "WHERE a.space = ? AND ap.created_at >= ? GROUP BY ap.moderator_id",
            (space, stamp, space, stamp, space, stamp, space, stamp),
        )

    async def published_articles(self, space: str, since: datetime) -> list[aiosqlite.Row]:
        return await self._all(
            "SELECT number, title, created_at, published_at FROM articles "
            "WHERE space = ? AND state = 'published' AND published_at >= ? ORDER BY published_at",
            (space, _ts(since)),
        )

    async def credit_names(self, article_id: int) -> list[aiosqlite.Row]:
        """Who translated (latest revision) and who submitted each selected comment, in article
        order: ids and the names the platform gave them then."""
        return await self._all(
            "SELECT c.submitted_by AS picker_id, c.submitted_by_name AS picker, "
            "t.translator_id, t.translator_name AS translator "
            "FROM comments c LEFT JOIN translations t ON t.comment_id = c.id AND t.revision = "
            "(SELECT MAX(l.revision) FROM translations l WHERE l.comment_id = c.id) "
            "WHERE c.article_id = ? AND c.status = 'selected' "
            "ORDER BY c.position IS NULL, c.position, c.number",
            (article_id,),
        )
