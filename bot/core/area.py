"""The base every workflow area builds on: what the store and renderer must offer, who the
actor is and may be, the article or comment a number names, and telling the front end.

Each area in `bot.core.areas` subclasses `Area`; `bot.core.service.HannoService` combines them
into the one object the front ends call. An area method is one command: it checks the actor's
role and the article's state, changes the store in one transaction, records the change in the
audit history (`record`), and announces it to the notifier after the commit (`_announce`).
Refusals are `DomainError`s with a sentence the user can act on; nothing is changed then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from bot.core.errors import NotFound, WrongState
from bot.core.events import ApprovalWithdrawn, Event, Notifier, NullNotifier
from bot.core.hints import CommandHint, next_step
from bot.core.models import (
    Actor,
    Article,
    ArticleDocument,
    ArticleState,
    Comment,
    CommentStatus,
    Reaction,
    Role,
)
from bot.core.policy import RolePolicy
from bot.core.rules import Rules

_LIST_ARTICLES = CommandHint.of("article list")
_LIST_COMMENTS = CommandHint.of("comment list", article="<article>")

log = logging.getLogger(__name__)

S = ArticleState
# The states in which an article's texts can still change.
EDITABLE = frozenset({S.COLLECTING, S.TRANSLATING, S.REVIEW, S.APPROVED})
# Ids are SQLite integers: anything outside this range cannot name an article or comment.
MAX_ID = 2**63 - 1
T = TypeVar("T")


class Store(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[Any]: ...

    async def group_commit(self, operation: Callable[[Any], T]) -> T: ...

    def exclusive(self, key: str) -> AbstractAsyncContextManager[bool]:
        """True inside the block when no one else — in any bot process on this store —
        holds `key`; False when someone does. For work that spans several transactions
        and must not run twice at once (publishing)."""
        ...


class Renderer(Protocol):
    def text(self, doc: ArticleDocument) -> str: ...

    def chat_parts(self, doc: ArticleDocument, limit: int) -> list[str]: ...


class Area:
    """What every area shares: the store, the rules, the role policy, the renderer and the
    notifier, plus the checks and lookups all of them make.

    An area that needs more (its own state, an outside service behind a Protocol it defines)
    takes it in its own `__init__`, as a keyword it removes before calling `super().__init__`,
    so the areas combine in `HannoService` without knowing of each other.
    """

    def __init__(
        self,
        store: Store,
        *,
        rules: Rules | None = None,
        policy: RolePolicy | None = None,
        renderer: Renderer,
        notifier: Notifier | None = None,
    ) -> None:
        self.store = store
        self.rules = rules or Rules()
        self.policy = policy or RolePolicy()
        self.renderer = renderer
        self.notifier: Notifier = notifier or NullNotifier()

    def role_of(self, actor: Actor) -> Role:
        return self.policy.role_of(actor)

    def _require(self, actor: Actor, role: Role, action: str) -> None:
        self.policy.require(actor, role, action)

    async def _announce(self, *events: Event | None) -> None:
        """Tell the front end after the commit; a platform failure must not undo the change.
        `None` stands for an event that did not happen (no approval was withdrawn)."""
        for event in events:
            if event is None:
                continue
            try:
                await self.notifier.notify(event)
            except Exception:
                log.exception("notifier failed on %s", type(event).__name__)

    async def _article(self, tx: Any, actor: Actor, number: int) -> tuple[int, Article]:
        if not 1 <= number <= MAX_ID:
            raise NotFound("hint.notfound.article", number=number, command=_LIST_ARTICLES)
        article = await tx.get_article(actor.space, number)
        if article is None:
            raise NotFound("hint.notfound.article", number=number, command=_LIST_ARTICLES)
        article_id = await tx.article_id(actor.space, number)
        return article_id, article

    async def _comment(self, tx: Any, actor: Actor, number: int) -> tuple[int, Comment]:
        if not 1 <= number <= MAX_ID:
            raise NotFound("hint.notfound.comment", number=number, command=_LIST_COMMENTS)
        comment = await tx.get_comment(actor.space, number)
        if comment is None:
            raise NotFound("hint.notfound.comment", number=number, command=_LIST_COMMENTS)
        return await tx.comment_id(actor.space, number), comment

    @staticmethod
    def _state_in(article: Article, allowed: AbstractSet[ArticleState], action: str) -> None:
        """Refuse an action the article's state does not allow, naming the step that comes
        next on the way to a state that does."""
        if article.state not in allowed:
            key, command = next_step(article.state, allowed, article.number)
            raise WrongState(key, number=article.number, action=action, command=command)

    async def _edited(self, tx: Any, actor: Actor, article: Article) -> Event | None:
        """An edit makes approvals stale; an approved article goes back to review."""
        if article.state not in (S.REVIEW, S.APPROVED):
            return None
        article_id = await tx.article_id(actor.space, article.number)
        had_approvals = bool(await tx.approvals(article_id, article.edit_seq))
        await tx.bump_edit_seq(actor.space, article.number)
        if article.state is S.APPROVED:
            await tx.update_article(actor.space, article.number, state=S.REVIEW)
        if not had_approvals:
            return None
        await record(tx, article_id, actor, "approval_withdrawn")
        fresh = await tx.get_article(actor.space, article.number)
        return ApprovalWithdrawn(article=fresh, by_name=actor.name)

    async def _guard_partial_publish(self, tx: Any, article_id: int, article: Article) -> None:
        """A half-published article is frozen: only publishing the rest may touch it."""
        if article.state is S.APPROVED and await tx.published_parts(article_id):
            raise WrongState(
                "next.publishing",
                number=article.number,
                command=CommandHint.of("publish", article=article.number),
            )

    async def _document(
        self, tx: Any, actor: Actor, article_id: int, article: Article
    ) -> ArticleDocument:
        """The article as the renderer sees it: its texts and the selected reactions in order
        (review previews it, publishing posts it)."""
        selected = await tx.list_comments(article_id, CommentStatus.SELECTED, article_order=True)
        return ArticleDocument(
            title=article.title,
            lead=article.lead,
            closing=article.closing,
            sources=article.sources,
            reactions=tuple(
                Reaction(
                    persona=c.persona,
                    flags=c.flags,
                    text=c.translation.text if c.translation else "",
                    comment_number=c.number,
                    countries=c.countries,
                    original=c.text,
                    language=c.language,
                )
                for c in selected
            ),
            style=article.style,
        )


async def record(tx: Any, article_id: int, actor: Actor, action: str, detail: str = "") -> None:
    """One line of the article's audit history: who did what, in the same transaction."""
    await tx.add_history(
        article_id, actor_id=actor.user_id, actor_name=actor.name, action=action, detail=detail
    )


def now() -> datetime:
    return datetime.now(UTC)
