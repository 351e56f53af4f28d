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
from collections.abc import Awaitable, Callable
from collections.abc import Set as AbstractSet
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol, TypeVar

from bot.core.clock import SYSTEM_CLOCK, Clock
from bot.core.errors import Conflict, NotFound, WrongState
from bot.core.events import ApprovalWithdrawn, Event, Notifier, NullNotifier
from bot.core.glossary import glossary_misses
from bot.core.hidden import as_seen_hidden
from bot.core.hints import CommandHint, next_step
from bot.core.models import (
    Actor,
    Article,
    ArticleDocument,
    ArticleState,
    Comment,
    CommentStatus,
    GlossaryWarning,
    Reaction,
    Role,
)
from bot.core.policy import RolePolicy
from bot.core.roles import TeamPolicy
from bot.core.rules import Rules
from bot.core.style import StyleChecker

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

    async def watch(self, topic: str, reload: Callable[[], Awaitable[None]]) -> None:
        """Call `reload()` whenever another bot process on this store commits a change that
        it announced under `topic` (`tx.announce_change(topic)`)."""
        ...


class Renderer(Protocol):
    def text(self, doc: ArticleDocument) -> str: ...

    def chat_parts(self, doc: ArticleDocument, limit: int) -> list[str]: ...


class Area:
    """What every area shares: the store, the rules, the role policy, the renderer, the
    notifier, the style checks and the clock, plus the checks and lookups all of them make.

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
        style: StyleChecker | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.rules = rules or Rules()
        self.policy: RolePolicy | TeamPolicy = policy or RolePolicy()
        self.renderer = renderer
        self.notifier: Notifier = notifier or NullNotifier()
        self.style = style or StyleChecker()
        # What time it is: schedules and timestamps read it here, so tests can move it.
        self.clock: Clock = clock or SYSTEM_CLOCK

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
        await self._log_step(tx, article_id, actor, "approval_withdrawn")
        fresh = await tx.get_article(actor.space, article.number)
        return ApprovalWithdrawn(article=fresh, by_name=actor.name)

    async def _revising(
        self, tx: Any, actor: Actor, number: int, article: Article, free: bool
    ) -> Event | None:
        """Before a new revision of comment `number`: whoever writes it takes the comment if
        nobody holds it (`free`), and the article's approvals go stale."""
        if free:
            await tx.update_comment(
                actor.space, number, assignee_id=actor.user_id, assignee_name=actor.name
            )
            await self._on_hold(tx, actor, number, actor)
        return await self._edited(tx, actor, article)

    def _seen(self, actor: Actor | None, comment: Comment, hidden: bool) -> Comment:
        """`comment` as `actor` may see it (None: a public card): while a hidden vote is open
        (`hidden`), members get the number of votes instead of the score."""
        if not hidden:
            return comment
        return as_seen_hidden(comment, None if actor is None else self.role_of(actor))

    # Where the team area (schedules, reminders) hears of the workflow changing hands; no-ops
    # here, so every area can call them without knowing whether that area is there.

    async def _on_hold(self, tx: Any, actor: Actor, number: int, holder: Actor) -> None:
        """`holder` took comment `number` (a claim, or `actor`'s assignment)."""

    async def _on_release(self, tx: Any, space: str, number: int) -> None:
        """Nobody holds comment `number` any more."""

    async def _on_voting_closed(self, tx: Any, space: str, number: int) -> None:
        """Voting on article `number` was closed or reopened by a person."""

    async def _guard_partial_publish(self, tx: Any, article_id: int, article: Article) -> None:
        """A half-published article is frozen: only publishing the rest may touch it."""
        if article.state is S.APPROVED and await tx.published_parts(article_id):
            raise WrongState(
                "next.publishing",
                number=article.number,
                command=CommandHint.of("publish", article=article.number),
            )

    async def _submittable(
        self, tx: Any, actor: Actor, number: int
    ) -> tuple[int, Comment, int, Article, bool]:
        """The comment `number` and its article, if `actor` may translate it now; the last
        value is True when nobody holds it yet (the one who submits then takes it)."""
        comment_id, comment = await self._comment(tx, actor, number)
        article_id, article = await self._article(tx, actor, comment.article_number)
        self._state_in(article, {S.TRANSLATING, S.REVIEW, S.APPROVED}, "submit translations")
        await self._guard_partial_publish(tx, article_id, article)
        if comment.status is not CommentStatus.SELECTED:
            raise WrongState(
                "hint.comment.not_selected",
                number=comment.number,
                command=CommandHint.of("comment pick", comment=comment.number),
            )
        is_moderator = self.role_of(actor) >= Role.MODERATOR
        if comment.assignee_id is None:
            if article.state is not S.TRANSLATING and not is_moderator:
                raise WrongState(
                    f"state.{article.state.value}",
                    number=article.number,
                    action="submit translations",
                )
            return comment_id, comment, article_id, article, True
        if comment.assignee_id != actor.user_id and not is_moderator:
            raise Conflict("translate.held", number=comment.number, name=comment.assignee_name)
        return comment_id, comment, article_id, article, False

    async def _glossary_warnings(
        self, tx: Any, actor: Actor, article_id: int
    ) -> list[GlossaryWarning]:
        """Glossary terms the selected comments' current translations miss, less those a
        translator dismissed (the status board shows them; a fix or a dismissal clears one)."""
        glossary = await tx.glossary_entries(actor.space)
        if not glossary:
            return []
        dismissed = await tx.dismissed_terms(article_id)
        found: list[GlossaryWarning] = []
        for comment in await tx.list_comments(
            article_id, CommentStatus.SELECTED, article_order=True
        ):
            if comment.translation is None:
                continue
            skip = {key for number, key in dismissed if number == comment.number}
            found += glossary_misses(
                comment.number, comment.text, comment.translation.text, glossary, skip
            )
        return found

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
            credits=await self._credits(tx, article_id, article),
        )

    async def _log_step(
        self, tx: Any, article_id: int, actor: Actor, action: str, detail: str = ""
    ) -> None:
        """One line of the article's audit history: who did what, in the same transaction,
        at the service's time (the clock the schedules read, moved by tests)."""
        await tx.add_history(
            article_id,
            actor_id=actor.user_id,
            actor_name=actor.name,
            action=action,
            detail=detail,
            at=self.clock.now(),
        )

    async def _credits(self, tx: Any, article_id: int, article: Article) -> str:
        """The article's credits line; none here (the team area writes it)."""
        return ""


def now() -> datetime:
    return SYSTEM_CLOCK.now()
