"""What the core needs from the sites comments are imported from, as plain records.

A site adapter (`bot/sources/`) reads a thread and hands back a `Thread` of `ThreadComment`s;
the core decides which of them become candidates. The core never sees HTTP: it asks a
`CommentSource` and gets records or a `SourceFault` carrying a sentence for the user.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol

from bot.core.errors import DomainError
from bot.core.events import Event
from bot.core.models import Article, Comment, Frozen

# Told how many comments a long fetch has read so far, so a front end can show it.
Progress = Callable[[int], Awaitable[None]]


class SourceFault(DomainError):
    """A site could not give what was asked (not found, private, rate-limited, down...)."""


class ThreadComment(Frozen):
    """One comment of a thread as the site showed it, its text already plain."""

    text: str
    permalink: str
    author: str = ""
    score: int | None = None
    posted_at: datetime | None = None
    parent: str | None = None  # the parent comment's permalink; None for a top-level comment
    country: str = ""  # an ISO 3166 alpha-2 code, only when the site says it
    language: str = ""  # ISO 639-1, detected offline from the text
    language_uncertain: bool = False

    @property
    def top_level(self) -> bool:
        return self.parent is None


class Thread(Frozen):
    """A thread's comments in the site's own order, and what was left out on the way."""

    site: str  # the site's display name: "Reddit", "Hacker News"...
    kind: str  # the site's key: "reddit", "hackernews"...
    url: str
    title: str = ""
    comments: tuple[ThreadComment, ...] = ()
    deleted: int = 0  # deleted or removed comments skipped
    bots: int = 0  # comments by bots (AutoModerator...) skipped
    truncated: bool = False  # the thread had more than the configured bound allowed to read
    locked: bool = False  # the thread is locked: read as it stands


class Candidate(Frozen):
    """An imported comment as the store adds it: the thread's record plus what the core chose."""

    comment: ThreadComment
    kind: str
    persona: str
    countries: tuple[str, ...] = ()


class SourcePost(Frozen):
    """A post an article is about, as its site's oEmbed or public API describes it."""

    url: str
    text: str = ""
    author: str = ""
    handle: str = ""
    date: str = ""


class CommentSource(Protocol):
    """Reads threads and posts from the sites it recognises by URL."""

    def recognise(self, url: str) -> str:
        """The site's key for `url`; raises `SourceFault` naming the readable sites if none."""
        ...

    async def fetch_thread(
        self, url: str, *, limit: int, replies: bool, progress: Progress | None = None
    ) -> Thread:
        """Up to `limit` comments (top-level only unless `replies`), best first where ranked."""
        ...

    async def fetch_post(self, url: str) -> SourcePost: ...

    async def detect(self, comments: Sequence[ThreadComment]) -> list[ThreadComment]:
        """The comments with their language detected (offline, without holding up the
        event loop; the source may have started on them while it read the thread)."""
        ...


class DuplicateIndex(Protocol):
    """Finds texts that are the same as one already seen after normalising case,
    whitespace and punctuation, or near-identical to one."""

    def add(self, text: str) -> None: ...

    def seen(self, text: str) -> bool: ...

    def screen(self, texts: Sequence[str]) -> list[bool]:
        """For each text in order, whether it is new (not like one of the index or an
        earlier new one); the new ones are added. Blocks: called in a worker thread."""
        ...


class ImportSummary(Frozen):
    """What one import did: what it added, and how many it left out for which reason."""

    article: Article
    site: str
    url: str
    added: tuple[Comment, ...] = ()
    already: int = 0  # the same permalink was already a comment of the article
    duplicates: int = 0  # the same or near-identical text was already a candidate
    deleted: int = 0
    bots: int = 0
    too_long: int = 0  # over the comment length limit (never cut)
    unusable: int = 0  # nothing readable left (an image alone) or unsafe characters
    low_score: int = 0  # under --min-score
    other_language: int = 0  # not in --lang
    beyond_top: int = 0  # past --top
    truncated: bool = False  # the thread was longer than one import reads
    locked: bool = False
    read: int = 0  # comments read from the site
    top: int = 50  # the --top the import used
    length_limit: int = 4000  # the comment length limit the too-long ones were over


class CommentsImported(Event):
    """An import added comments: one summary for the channel, then a card for each."""

    summary: ImportSummary
