"""What the core announces after a change is committed, for front ends to show their own way.

The service decides *which* events happen (one rule, one place); each front end's notifier
decides how they look on its platform (console lines, Discord embeds, Slack blocks).
"""

from __future__ import annotations

import logging
from typing import ClassVar, Literal, Protocol

from bot.core.models import Article, Comment, Frozen, PublishedPart

ChannelKind = Literal["voting", "review", "publish"]

log = logging.getLogger(__name__)


class Event(Frozen):
    channel: ClassVar[ChannelKind | None] = None


class ArticleCreated(Event):
    article: Article


class CommentSubmitted(Event):
    channel: ClassVar[ChannelKind | None] = "voting"
    article: Article
    comment: Comment


class ScoreChanged(Event):
    channel: ClassVar[ChannelKind | None] = "voting"
    comment: Comment


class VotingClosed(Event):
    channel: ClassVar[ChannelKind | None] = "voting"
    article: Article
    selected: tuple[Comment, ...]


class VotingReopened(Event):
    channel: ClassVar[ChannelKind | None] = "voting"
    article: Article


class SelectionChanged(Event):
    comment: Comment


class TranslationAssigned(Event):
    comment: Comment
    assignee_id: str
    assignee_name: str
    by_name: str


class TranslationReleased(Event):
    comment: Comment
    previous_id: str
    previous_name: str


class TranslationSubmitted(Event):
    comment: Comment


class DraftSubmitted(Event):
    channel: ClassVar[ChannelKind | None] = "review"
    article: Article
    preview: str


class DraftApproved(Event):
    channel: ClassVar[ChannelKind | None] = "review"
    article: Article
    by_name: str
    approvals: int
    required: int
    approved: bool


class DraftRejected(Event):
    channel: ClassVar[ChannelKind | None] = "review"
    article: Article
    by_name: str
    reason: str


class ApprovalWithdrawn(Event):
    """An edit made the approvals stale: the draft needs approving again."""

    channel: ClassVar[ChannelKind | None] = "review"
    article: Article
    by_name: str


class ArticlePublished(Event):
    channel: ClassVar[ChannelKind | None] = "publish"
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
