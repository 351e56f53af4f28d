"""Reminders, deadlines and the moderators' daily digest: what the scheduler fires for them.

A reminder is planned when someone takes a comment (`plan_reminder`, in the same transaction
as the assignment) and checked when it fires: a comment translated, released or reassigned in
the meantime gets no reminder. The digest is planned per space, once a day at the team's
local time, for spaces with work in progress and not listed as quiet.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.core.clock import Clock
from bot.core.events import Event
from bot.core.models import ArticleState, CommentStatus
from bot.core.rules import Rules
from bot.core.scheduling import Firing, Scheduler
from bot.core.team_events import DeadlinePassed, DigestDue, DigestItem, ReminderDue
from bot.core.teamwork import ScheduleKind, TeamRules

S = ArticleState
SYSTEM = "hanno"


def comment_key(number: int) -> str:
    return f"comment:{number}"


def article_key(number: int) -> str:
    return f"article:{number}"


async def plan_reminder(
    tx: Any, team: TeamRules, *, space: str, number: int, holder_id: str, now: datetime, by: str
) -> None:
    """Remind `holder_id` about comment `number` once they have held it for long."""
    if not team.reminders_in(space):
        return
    await tx.put_schedule(
        space=space,
        kind=ScheduleKind.REMINDER,
        key=comment_key(number),
        due_at=now + team.translation_after,
        now=now,
        created_by=by,
        target=holder_id,
    )


async def forget_reminder(tx: Any, *, space: str, number: int) -> None:
    await tx.drop_schedule(space, ScheduleKind.REMINDER, comment_key(number))


def next_digest(team: TeamRules, now: datetime) -> datetime:
    """The next time of day `team.digest_at` (team timezone) after `now`."""
    local = now.astimezone(team.tz)
    at = local.replace(
        hour=team.digest_at.hour, minute=team.digest_at.minute, second=0, microsecond=0
    )
    if at <= local:
        at = (at + timedelta(days=1)).replace(
            hour=team.digest_at.hour, minute=team.digest_at.minute
        )
    return at


class Reminders:
    """Fires reminders, deadlines and digests; keeps each active space's next digest planned."""

    def __init__(self, store: Any, clock: Clock, rules: Rules, team: TeamRules) -> None:
        self.store = store
        self.clock = clock
        self.rules = rules
        self.team = team

    def register(self, scheduler: Scheduler) -> None:
        scheduler.on(ScheduleKind.REMINDER, self._remind)
        scheduler.on(ScheduleKind.DEADLINE, self._deadline)
        scheduler.on(ScheduleKind.DIGEST, self._digest)
        scheduler.every_tick(self.plan_digests)

    async def plan_digests(self) -> None:
        """Each space with work in progress has its next digest planned (once)."""
        if not self.team.digest:
            return
        now = self.clock.now()
        async with self.store.transaction() as tx:
            for space in await tx.active_spaces():
                if not self.team.digest_in(space):
                    continue
                if await tx.pending_schedule(space, ScheduleKind.DIGEST, "digest") is None:
                    await tx.put_schedule(
                        space=space,
                        kind=ScheduleKind.DIGEST,
                        key="digest",
                        due_at=next_digest(self.team, now),
                        now=now,
                        created_by=SYSTEM,
                    )

    async def _remind(self, tx: Any, firing: Firing) -> tuple[str, list[Event]]:
        schedule = firing.schedule
        number = int(schedule.key.removeprefix("comment:"))
        if not self.team.reminders_in(schedule.space):
            return "reminders off", []
        comment = await tx.get_comment(schedule.space, number)
        if comment is None or comment.assignee_id != schedule.target:
            return "no longer held", []
        if comment.translation is not None or comment.status is not CommentStatus.SELECTED:
            return "translated", []
        article = await tx.get_article(schedule.space, comment.article_number)
        if article is None or article.state is not S.TRANSLATING:
            return "not translating", []
        held = {h.number: h for h in await tx.held_untranslated(schedule.space)}
        holding = held.get(number)
        event = ReminderDue(
            space=schedule.space,
            comment_number=number,
            article_number=comment.article_number,
            assignee_id=comment.assignee_id,
            assignee_name=comment.assignee_name or "",
            assigned_by=holding.assigned_by if holding else None,
            since=holding.assigned_at if holding else None,
            late=firing.late is not None,
        )
        return "reminded", [event]

    async def _deadline(self, tx: Any, firing: Firing) -> tuple[str, list[Event]]:
        schedule = firing.schedule
        if schedule.article_number is None:
            return "article gone", []
        article = await tx.get_article(schedule.space, schedule.article_number)
        if article is None or article.state is not S.TRANSLATING:
            return "not translating", []
        article_id = await tx.article_id(schedule.space, article.number)
        missing = tuple(
            (row["number"], row["assignee_name"] or "")
            for row in await tx.untranslated_selected(article_id)
        )
        event = DeadlinePassed(
            article=article, due_at=schedule.due_at, late=firing.late is not None, missing=missing
        )
        return ("missed" if missing else "met"), [event]

    async def _digest(self, tx: Any, firing: Firing) -> tuple[str, list[Event]]:
        space = firing.schedule.space
        if not self.team.digest_in(space):
            return "digest off", []
        items = [
            await self._blockers(tx, space, article)
            for article in await tx.list_articles(space)
            if article.in_progress
        ]
        # The next one, planned in this same transaction so it cannot be lost or doubled.
        now = self.clock.now()
        if items:
            await tx.put_schedule(
                space=space,
                kind=ScheduleKind.DIGEST,
                key="digest",
                due_at=next_digest(self.team, now),
                now=now,
                created_by=SYSTEM,
            )
        else:
            return "nothing in progress", []
        event = DigestDue(space=space, items=tuple(items), late=firing.late is not None)
        return f"{len(items)} article(s)", [event]

    async def _blockers(self, tx: Any, space: str, article: Any) -> DigestItem:
        article_id = await tx.article_id(space, article.number)
        counts = await tx.status_counts(article_id)
        unclaimed: list[int] = []
        held: dict[str, list[int]] = {}
        if article.state is S.TRANSLATING:
            for row in await tx.untranslated_selected(article_id):
                if row["assignee_id"] is None:
                    unclaimed.append(row["number"])
                else:
                    held.setdefault(row["assignee_name"] or "?", []).append(row["number"])
        machine = await tx.machine_latest(article_id) if article.state is S.TRANSLATING else []
        approvals = (
            len(await tx.approvals(article_id, article.edit_seq))
            if article.state is S.REVIEW
            else 0
        )
        return DigestItem(
            article=article,
            unclaimed=tuple(unclaimed),
            held=tuple((name, tuple(numbers)) for name, numbers in held.items()),
            machine=tuple(machine),
            approvals=approvals,
            approvals_required=self.rules.approvals_required,
            candidates=counts["candidates"],
            selected=counts["selected"],
        )
