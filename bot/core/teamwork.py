"""Domain objects of running a team over time: schedules, granted roles, undelivered DMs.

Kept apart from `models` because they belong to one capability (issue 15) and its store
queries; the store builds them from rows, the scheduler and the team commands use them.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bot.core.models import Frozen
from bot.core.when import zone


class ScheduleKind(StrEnum):
    CLOSE = "close"  # voting on an article closes by itself
    DEADLINE = "deadline"  # an article's translations are due
    REMINDER = "reminder"  # a translator has held a comment for long
    DIGEST = "digest"  # the moderators' daily list of what blocks each article


class Schedule(Frozen):
    """Something that must happen at `due_at`, once, even if the bot was down then."""

    id: int
    space: str
    kind: ScheduleKind
    key: str
    article_number: int | None = None
    target: str = ""
    due_at: datetime
    fired_at: datetime | None = None
    outcome: str = ""
    created_by: str
    created_by_name: str = ""


class Grant(Frozen):
    """A role given from chat (on top of the config's roles)."""

    space: str
    user_id: str
    user_name: str
    role: str
    granted_by: str
    granted_by_name: str
    granted_at: datetime


class TeamChange(Frozen):
    """One line of the team's audit: who gave or took which role from whom, when."""

    at: datetime
    actor_name: str
    action: str
    user_name: str
    role: str


class HeldComment(Frozen):
    """A selected comment someone holds and has not translated yet."""

    number: int
    article_number: int
    assignee_id: str
    assignee_name: str
    assigned_at: datetime | None = None
    assigned_by: str | None = None


class TeamRules(BaseModel):
    """How a team runs over time, filled from config (`[team]`, `[reminders]`)."""

    model_config = ConfigDict(frozen=True)

    timezone: str = "UTC"  # times people type and read are in this IANA timezone
    reminders: bool = True  # DM a translator who holds a comment for `translation_after`
    translation_after: timedelta = timedelta(hours=24)
    digest: bool = True  # post the moderators' daily digest in the review channel
    digest_at: time = time(9, 0)  # in `timezone`
    quiet_spaces: frozenset[str] = frozenset()  # spaces with no reminders and no digest
    # The credits line's template ({translators}, {pickers}); None: the catalogue's line in
    # the article's language; "": no credits line.
    credits: str | None = None

    @property
    def tz(self) -> tzinfo:
        return zone(self.timezone)

    def reminders_in(self, space: str) -> bool:
        return self.reminders and space not in self.quiet_spaces

    def digest_in(self, space: str) -> bool:
        return self.digest and space not in self.quiet_spaces
