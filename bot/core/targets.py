"""Blog targets as the core sees them: what a post is, what a target can do, what was recorded.

The core publishes to WordPress, Hatena Blog, livedoor Blog or a static site without knowing
any of them: each is a `BlogTarget` (implemented in `bot.publish`, handed in by
`bot.wiring`) that creates a post or updates the one it created before. A target's fault is
a `TargetFault`, a sentence naming the target and what to check.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal, Protocol

from bot.core.errors import DomainError
from bot.core.models import Article, ArticleDocument, Frozen, Publication, PublicationStatus

EXCERPT_LIMIT = 200  # characters of the lead a blog shows as the post's summary


class BlogPost(Frozen):
    """One article as a blog post, in every shape a target may need."""

    key: str  # stable across re-publishing: "<space>-<number>", for slugs and file names
    title: str
    html: str  # the body as blog HTML, without the title
    markdown: str  # the body as Markdown, without the title
    excerpt: str  # plain text from the lead
    date: datetime
    style: str


class RemotePost(Frozen):
    """What a target answered for the post it created or updated."""

    remote_id: str  # WordPress post id, AtomPub entry id, or the static file's path
    status: PublicationStatus
    edit_uri: str = ""  # AtomPub: where the entry is read and updated
    url: str = ""  # where a person can see it (public link or the blog's preview)


Action = Literal["created", "updated", "failed", "gone"]


class TargetOutcome(Frozen):
    """What happened on one target: the post made or updated, or the fault, as a sentence key."""

    target: str
    kind: str
    action: Action
    status: PublicationStatus
    url: str = ""
    problem_key: str = ""
    problem_params: dict[str, Any] = {}

    @property
    def ok(self) -> bool:
        return self.action in ("created", "updated")


class BlogTarget(Protocol):
    """One configured blog. `create` and `update` raise `TargetFault`, and `PostGone` when
    the post `update` was asked to change no longer exists."""

    name: str
    kind: str
    auto: bool

    async def create(self, post: BlogPost) -> RemotePost: ...

    async def update(self, post: BlogPost, previous: Publication) -> RemotePost: ...


class TargetFault(DomainError):
    """A blog target failed; the message names it and says what to check."""

    def __init__(self, key: str, /, *, target: str, **params: Any) -> None:
        super().__init__(key, target=target, **params)
        self.target = target


class PostGone(TargetFault):
    """The post hanno created was deleted (or trashed) on the blog side."""


class BlogRenderer(Protocol):
    """What publishing to blogs needs of the renderer."""

    def blog_html(self, doc: ArticleDocument) -> str: ...

    def markdown(self, doc: ArticleDocument, *, title: bool = True) -> str: ...


def post_key(space: str, number: int) -> str:
    """A stable, URL- and file-name-safe key for an article: "<space>-<number>"."""
    safe = re.sub(r"[^a-z0-9]+", "-", space.lower()).strip("-") or "space"
    return f"{safe}-{number}"


def excerpt(lead: str, limit: int = EXCERPT_LIMIT) -> str:
    """The lead's first paragraph as one line of plain text, cut at `limit` with an ellipsis."""
    first = next((line.strip() for line in lead.splitlines() if line.strip()), "")
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def blog_post(
    space: str, article: Article, document: ArticleDocument, renderer: BlogRenderer, date: datetime
) -> BlogPost:
    """The article as a post: title, body in the article's style, excerpt from the lead."""
    return BlogPost(
        key=post_key(space, article.number),
        title=article.title,
        html=renderer.blog_html(document),
        markdown=renderer.markdown(document, title=False),
        excerpt=excerpt(article.lead),
        date=date,
        style=document.style,
    )
