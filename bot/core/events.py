"""What the core announces after a change is committed, for front ends to show their own way.

The service decides *which* events happen (one rule, one place); each front end's notifier
decides how they look on its platform (console lines, Discord embeds, Slack blocks).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.core.models import Article, Comment, Frozen, PublishedPart, Remark


class Event(Frozen):
    """Something committed that people may need to see; its type says what."""


class ArticleCreated(Event):
    article: Article


class CommentSubmitted(Event):
    article: Article
    comment: Comment


class ScoreChanged(Event):
    comment: Comment


class VotingClosed(Event):
    article: Article
    selected: tuple[Comment, ...]
    # Closed by its schedule (`article close --at`), not by hand: when it was due, and whether
    # the bot was not running then and closed it late, at its next start.
    scheduled_for: datetime | None = None
    late: bool = False


class VotingReopened(Event):
    article: Article


class SelectionChanged(Event):
    comment: Comment


class TranslationAssigned(Event):
    comment: Comment
    assignee_id: str
    assignee_name: str
    by_name: str
    by_id: str = ""  # who to tell when the assignee cannot be sent a DM


class TranslationReleased(Event):
    comment: Comment
    previous_id: str
    previous_name: str


class TranslationSubmitted(Event):
    comment: Comment


class RemarkAdded(Event):
    """A reviewer remarked on a translation: its translator should hear of it."""

    comment: Comment
    remark: Remark
    translator_id: str
    translator_name: str


class DraftSubmitted(Event):
    article: Article
    preview: str


class DraftApproved(Event):
    article: Article
    by_name: str
    approvals: int
    required: int
    approved: bool


class DraftRejected(Event):
    article: Article
    by_name: str
    reason: str


class ApprovalWithdrawn(Event):
    """An edit made the approvals stale: the draft needs approving again."""

    article: Article
    by_name: str


class ArticlePublished(Event):
    article: Article
    parts: tuple[PublishedPart, ...]


class Notifier(Protocol):
    async def notify(self, event: Event) -> None: ...


class NullNotifier:
    """For tools and tests that need no announcements."""

    async def notify(self, event: Event) -> None:
        return None


class RecordingNotifier:
    """Keeps every event, for tests and for front ends that render after the reply."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    async def notify(self, event: Event) -> None:
        self.events.append(event)
