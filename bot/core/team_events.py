"""What running a team over time announces: schedules set and fired, reminders, digests.

Front ends show these their own way, with the sentences of `team_text` (shared, so the three
say the same thing) and their own way of writing a time (Discord's `<t:…>` timestamps).
"""

from __future__ import annotations

from datetime import datetime

from bot.core.events import Event
from bot.core.models import Article, Frozen


class ScheduleSet(Event):
    """A moderator set (or cleared, `due_at` None) when voting closes or translations are due."""

    article: Article
    kind: str  # "close" or "deadline"
    due_at: datetime | None
    by_name: str


class DeadlinePassed(Event):
    """Translations of `article` were due; `missing` lists what is still not translated."""

    article: Article
    due_at: datetime
    late: bool
    missing: tuple[tuple[int, str], ...]  # (comment number, holder name or "")


class ReminderDue(Event):
    """A translator has held a comment for long without translating it: one DM."""

    space: str
    comment_number: int
    article_number: int
    assignee_id: str
    assignee_name: str
    assigned_by: str | None
    since: datetime | None
    late: bool


class DigestItem(Frozen):
    """What blocks one article, for the moderators' digest."""

    article: Article
    unclaimed: tuple[int, ...] = ()
    held: tuple[tuple[str, tuple[int, ...]], ...] = ()
    machine: tuple[int, ...] = ()  # latest revision an unreviewed machine draft
    approvals: int = 0
    approvals_required: int = 1
    candidates: int = 0
    selected: int = 0


class DigestDue(Event):
    space: str
    items: tuple[DigestItem, ...]
    late: bool


class TeamChanged(Event):
    """A role was granted or revoked from chat."""

    space: str
    user_id: str
    user_name: str
    role: str
    added: bool
    by_name: str
