"""Domain objects shared by the core, the store, the renderer and every front end.

They are plain pydantic models: the store builds them from rows, the service returns them,
and front ends render them. Nothing here knows a platform.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Role(IntEnum):
    """Ordered privilege levels: a higher role can do everything a lower one can."""

    MEMBER = 1
    TRANSLATOR = 2
    MODERATOR = 3


class ArticleState(StrEnum):
    COLLECTING = "collecting"
    TRANSLATING = "translating"
    REVIEW = "review"
    APPROVED = "approved"
    PUBLISHED = "published"


class CommentStatus(StrEnum):
    CANDIDATE = "candidate"
    SELECTED = "selected"
    DROPPED = "dropped"


class Override(StrEnum):
    """A moderator's decision that beats the vote-based selection."""

    PICK = "pick"
    DROP = "drop"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Actor(Frozen):
    """Who is acting, as the front end saw them.

    `tags` are the stable platform identifiers the role policy matches against: the user id,
    role ids and names (Discord), user-group handles (Slack), the person's name (console).
    The core resolves them into a `Role`; front ends never decide permissions.
    """

    space: str
    user_id: str
    name: str
    tags: frozenset[str] = frozenset()


# Which states allow what: the service enforces these, and front ends use the same sets to
# decide which buttons and pickers to offer, so no front end keeps its own copy of the rule.
OPEN_FOR_COMMENTS = frozenset({ArticleState.COLLECTING})
OPEN_FOR_TRANSLATION = frozenset({ArticleState.TRANSLATING})


class Source(Frozen):
    """A post the story is about (an X/Twitter post, a news article...)."""

    position: int
    url: str
    text: str = ""
    author: str = ""
    handle: str = ""
    date: str = ""


class Article(Frozen):
    space: str
    number: int
    title: str
    lead: str = ""
    closing: str = ""
    state: ArticleState = ArticleState.COLLECTING
    min_score: int
    max_reactions: int
    target_language: str = "ja"
    edit_seq: int = 0
    created_by: str
    created_by_name: str = ""
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None = None
    style: str = ""  # the reaction style; empty: the configured default
    # "hidden": members see only how many voted until voting closes (moderators see scores).
    voting: str = "open"
    closes_at: datetime | None = None  # voting closes by itself then
    deadline_at: datetime | None = None  # translations are due then
    sources: tuple[Source, ...] = ()

    @property
    def open_for_comments(self) -> bool:
        """Comments are submitted and voted on only while the article collects them."""
        return self.state in OPEN_FOR_COMMENTS

    @property
    def votes_hidden(self) -> bool:
        """Scores are kept from members while voting on a hidden-voting article is open."""
        return self.voting == "hidden" and self.state in OPEN_FOR_COMMENTS

    @property
    def in_progress(self) -> bool:
        return self.state is not ArticleState.PUBLISHED

    def translation_open(self, comment: Comment) -> bool:
        """Whether `comment` can be claimed, assigned or translated now."""
        return self.state in OPEN_FOR_TRANSLATION and comment.status is CommentStatus.SELECTED


class TranslationKind(StrEnum):
    """Where a revision's text came from. Only a `MACHINE` revision is unreviewed: the draft
    cannot be built while it is a comment's latest."""

    HUMAN = "human"
    MACHINE = "machine"
    ACCEPTED = "accepted"  # a machine draft a person took as it is
    RESTORED = "restored"  # an older revision made the latest again


class Translation(Frozen):
    revision: int
    text: str
    translator_id: str
    translator_name: str
    created_at: datetime
    kind: TranslationKind = TranslationKind.HUMAN
    provider: str = ""
    model: str = ""
    source_revision: int | None = None

    @property
    def is_machine(self) -> bool:
        return self.kind is TranslationKind.MACHINE


class Remark(Frozen):
    """A reviewer's note on one revision of a comment's translation."""

    id: int
    comment_number: int
    revision: int
    text: str
    author_id: str
    author_name: str
    created_at: datetime
    resolved_by_name: str | None = None
    resolved_at: datetime | None = None


class Comment(Frozen):
    space: str
    number: int
    article_number: int
    text: str
    url: str = ""
    author: str = ""
    language: str = ""
    persona: str
    countries: tuple[str, ...] = ()
    submitted_by: str
    submitted_by_name: str = ""
    submitted_at: datetime
    status: CommentStatus = CommentStatus.CANDIDATE
    override: Override | None = None
    position: int | None = None
    up: int = 0
    down: int = 0
    assignee_id: str | None = None
    assignee_name: str | None = None
    translation: Translation | None = None
    revisions: int = 0
    # where an imported comment came from ("" and None for one added by hand)
    source_kind: str = ""
    permalink: str | None = None
    source_score: int | None = None
    posted_at: datetime | None = None
    parent: str | None = None
    language_uncertain: bool = False
    # Set (to up + down) when the score is hidden from whoever this copy is for (hidden
    # voting, still open); up and down are then 0.
    hidden_votes: int | None = None

    @property
    def score(self) -> int:
        return self.up - self.down

    @property
    def flags(self) -> str:
        return "".join(flag_for(code) for code in self.countries)


class Approval(Frozen):
    moderator_id: str
    moderator_name: str
    edit_seq: int
    note: str = ""
    created_at: datetime


class HistoryEntry(Frozen):
    seq: int
    at: datetime
    actor_id: str
    actor_name: str
    action: str
    detail: str = ""


class PublishedPart(Frozen):
    index: int
    message_id: str
    channel: str


class Reaction(Frozen):
    """One paragraph of the article's reaction list, ready for the template."""

    persona: str
    flags: str
    text: str
    comment_number: int
    countries: tuple[str, ...] = ()
    original: str = ""
    language: str = ""


class ArticleDocument(Frozen):
    """Everything a template needs to render one article, in article order."""

    title: str
    lead: str
    closing: str
    sources: tuple[Source, ...]
    reactions: tuple[Reaction, ...]
    heading: str = "海外の反応"
    closer: str = "コメントは以上になります。"
    style: str = ""  # the article's reaction style; empty: the configured default
    credits: str = ""  # the credits line (translators, who picked the comments); "" for none


class GlossaryWarning(Frozen):
    """Comment `number`'s original has the glossary term `source`; its translation lacks
    the team's rendering `target`."""

    number: int
    source: str
    target: str


class PublicationStatus(StrEnum):
    """Where an article stands on one target."""

    DRAFT = "draft"  # a draft post exists on the blog
    PUBLISHED = "published"  # a public post exists on the blog
    FAILED = "failed"  # the last attempt failed before any post was created
    GONE = "gone"  # the post was deleted on the blog side; not recreated


class Publication(Frozen):
    """What hanno recorded about an article on one target."""

    target: str
    kind: str
    status: PublicationStatus
    remote_id: str = ""
    edit_uri: str = ""
    url: str = ""
    style: str = ""
    revision: int = 0  # how many times the post was created or updated
    error: str = ""
    updated_at: datetime | None = None

    @property
    def exists(self) -> bool:
        """Whether a remote post was created that publishing again must update."""
        return bool(self.remote_id) and self.status is not PublicationStatus.FAILED


class StatusBoard(Frozen):
    article: Article
    candidates: int
    selected: int
    dropped: int
    translated: int
    assigned_untranslated: int
    unassigned: int
    holders: tuple[tuple[str, tuple[int, ...]], ...] = Field(default=())
    missing: tuple[int, ...] = ()
    fresh_approvals: int = 0
    approvals_required: int = 1
    published_parts: int = 0
    machine_drafts: tuple[int, ...] = ()  # selected comments whose latest is machine text
    remarks: tuple[Remark, ...] = ()  # open review remarks on current translations
    glossary_warnings: tuple[GlossaryWarning, ...] = ()
    blogs: tuple[Publication, ...] = ()  # where the article stands on each blog it was sent to


def flag_for(code: str) -> str:
    """An ISO 3166 alpha-2 code as its flag: a pair of regional-indicator symbols."""
    return "".join(chr(0x1F1E6 + ord(ch) - ord("A")) for ch in code.upper())
