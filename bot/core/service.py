"""The workflow: every rule of who may do what, when, in one place for every front end.

Each public method is one command: it checks the actor's role and the article's state, changes
the store in one transaction, records the change in the audit history, and announces it to
the front end's notifier after the commit. Refusals are `DomainError`s with a sentence the
user can act on; nothing is changed when one is raised.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from collections.abc import Set as AbstractSet
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, TypeVar

from bot.core import validation as check
from bot.core.errors import Conflict, Forbidden, InvalidInput, NotFound, WrongState
from bot.core.events import (
    ApprovalWithdrawn,
    ArticleCreated,
    ArticlePublished,
    CommentSubmitted,
    DraftApproved,
    DraftRejected,
    DraftSubmitted,
    Event,
    Notifier,
    NullNotifier,
    ScoreChanged,
    SelectionChanged,
    TranslationAssigned,
    TranslationReleased,
    TranslationSubmitted,
    VotingClosed,
    VotingReopened,
)
from bot.core.models import (
    OPEN_FOR_COMMENTS,
    OPEN_FOR_TRANSLATION,
    Actor,
    Article,
    ArticleDocument,
    ArticleState,
    Comment,
    CommentStatus,
    Frozen,
    HistoryEntry,
    Override,
    PublishedPart,
    Reaction,
    Role,
    StatusBoard,
    Translation,
)
from bot.core.policy import RolePolicy
from bot.core.rules import Rules

log = logging.getLogger(__name__)

S = ArticleState
# The states in which an article's texts can still change, and in which a draft can be sent back.
EDITABLE = frozenset({S.COLLECTING, S.TRANSLATING, S.REVIEW, S.APPROVED})
REJECTABLE = frozenset({S.REVIEW, S.APPROVED})
TextField = Literal["title", "lead", "closing"]
NumberField = Literal["min_score", "max_reactions"]
VoteChoice = Literal["up", "down", "clear"]
# Ids are SQLite integers: anything outside this range cannot name an article or comment.
MAX_ID = 2**63 - 1
VOTE_VALUES: dict[str, int] = {"up": 1, "down": -1, "clear": 0}

Poster = Callable[[int, str], Awaitable[str]]
T = TypeVar("T")


class Store(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[Any]: ...

    async def group_commit(self, operation: Callable[[Any], T]) -> T: ...


class Renderer(Protocol):
    def text(self, doc: ArticleDocument) -> str: ...

    def chat_parts(self, doc: ArticleDocument, limit: int) -> list[str]: ...


class Draft(Frozen):
    article: Article
    document: ArticleDocument
    preview: str


class PublishResult(Frozen):
    article: Article
    parts: tuple[PublishedPart, ...]
    newly_posted: int


class PublishFailed(Conflict):
    """Some parts could not be posted; what was posted is recorded and will not be repeated."""


class HannoService:
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
        self._publishing: set[tuple[str, int]] = set()

    # helpers ---------------------------------------------------------------------------------

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
            raise NotFound("notfound.article", number=number)
        article = await tx.get_article(actor.space, number)
        if article is None:
            raise NotFound("notfound.article", number=number)
        article_id = await tx.article_id(actor.space, number)
        return article_id, article

    async def _comment(self, tx: Any, actor: Actor, number: int) -> tuple[int, Comment]:
        if not 1 <= number <= MAX_ID:
            raise NotFound("notfound.comment", number=number)
        comment = await tx.get_comment(actor.space, number)
        if comment is None:
            raise NotFound("notfound.comment", number=number)
        return await tx.comment_id(actor.space, number), comment

    @staticmethod
    def _state_in(article: Article, allowed: AbstractSet[ArticleState], action: str) -> None:
        if article.state not in allowed:
            raise WrongState(f"state.{article.state.value}", number=article.number, action=action)

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
        await _log(tx, article_id, actor, "approval_withdrawn")
        fresh = await tx.get_article(actor.space, article.number)
        return ApprovalWithdrawn(article=fresh, by_name=actor.name)

    async def _guard_partial_publish(self, tx: Any, article_id: int, article: Article) -> None:
        if article.state is S.APPROVED and await tx.published_parts(article_id):
            raise WrongState("state.publishing", number=article.number)

    # articles --------------------------------------------------------------------------------

    async def create_article(self, actor: Actor, title: str) -> Article:
        self._require(actor, Role.MODERATOR, "create articles")
        title = check.label(title, field="title", limit=self.rules.limits.title)
        if not check.visible(title):
            raise InvalidInput("invalid.empty", field="title", field_name="title")
        async with self.store.transaction() as tx:
            number = await tx.insert_article(
                space=actor.space,
                title=title,
                min_score=self.rules.min_score,
                max_reactions=self.rules.max_reactions,
                target_language=self.rules.target_language,
                created_by=actor.user_id,
                created_by_name=actor.name,
            )
            article_id = await tx.article_id(actor.space, number)
            await _log(tx, article_id, actor, "created", title)
            article = await tx.get_article(actor.space, number)
        await self._announce(ArticleCreated(article=article))
        return article

    async def list_articles(self, actor: Actor) -> list[Article]:
        async with self.store.transaction() as tx:
            return await tx.list_articles(actor.space)

    async def get_article(self, actor: Actor, number: int) -> Article:
        async with self.store.transaction() as tx:
            return (await self._article(tx, actor, number))[1]

    async def set_article_text(
        self, actor: Actor, number: int, field: TextField, value: str
    ) -> Article:
        if field not in ("title", "lead", "closing"):
            raise InvalidInput(
                "invalid.article_field", field="field", value=check.shown(str(field))
            )
        self._require(actor, Role.MODERATOR, f"set an article's {field}")
        limit = getattr(self.rules.limits, field)
        if field == "title":
            value = check.label(value, field="title", limit=limit)
            if not check.visible(value):
                raise InvalidInput("invalid.empty", field="title", field_name="title")
        else:
            value = check.text(value, field=field, limit=limit)
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            await self._check_editable(tx, article_id, article)
            withdrawn = await self._edited(tx, actor, article)
            await tx.update_article(actor.space, number, **{field: value})
            await _log(tx, article_id, actor, f"set_{field}", _excerpt(value))
            article = await tx.get_article(actor.space, number)
        await self._announce(withdrawn)
        return article

    async def set_article_number(
        self, actor: Actor, number: int, field: NumberField, value: int
    ) -> Article:
        if field not in ("min_score", "max_reactions"):
            raise InvalidInput(
                "invalid.article_field", field="field", value=check.shown(str(field))
            )
        self._require(actor, Role.MODERATOR, f"set an article's {field}")
        if field == "max_reactions":
            check.integer(value, field=field, minimum=1, maximum=1000)
        else:
            check.integer(value, field=field, minimum=-1000, maximum=1000)
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.COLLECTING}, "change the voting rules")
            await tx.update_article(actor.space, number, **{field: value})
            await _log(tx, article_id, actor, f"set_{field}", str(value))
            return await tx.get_article(actor.space, number)

    async def add_source(
        self,
        actor: Actor,
        number: int,
        url: str,
        text: str = "",
        author: str = "",
        handle: str = "",
        date: str = "",
    ) -> Article:
        self._require(actor, Role.MODERATOR, "add source posts")
        limits = self.rules.limits
        url = check.url(url, limit=limits.url, required=True)
        text = check.text(text, field="text", limit=limits.source_text, required=False)
        author = check.label(author, field="author", limit=limits.label)
        handle = check.label(handle, field="handle", limit=limits.label).lstrip("@")
        date = check.label(date, field="date", limit=limits.label)
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            await self._check_editable(tx, article_id, article)
            withdrawn = await self._edited(tx, actor, article)
            position = await tx.add_source(
                article_id, url=url, text=text, author=author, handle=handle, date=date
            )
            await _log(tx, article_id, actor, "add_source", f"{position}: {url}")
            article = await tx.get_article(actor.space, number)
        await self._announce(withdrawn)
        return article

    async def close_voting(self, actor: Actor, number: int) -> tuple[Article, list[Comment]]:
        self._require(actor, Role.MODERATOR, "close voting")
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.COLLECTING}, "close voting")
            rows = await tx.selection_inputs(article_id)
            chosen = select(
                [(r["id"], r["score"], r["override"]) for r in rows],
                min_score=article.min_score,
                max_reactions=article.max_reactions,
            )
            await tx.set_selection(article_id, chosen)
            await tx.update_article(actor.space, number, state=S.TRANSLATING)
            await _log(tx, article_id, actor, "closed", f"{len(chosen)} selected of {len(rows)}")
            article = await tx.get_article(actor.space, number)
            selected = await tx.list_comments(
                article_id, CommentStatus.SELECTED, article_order=True
            )
        await self._announce(VotingClosed(article=article, selected=tuple(selected)))
        return article, selected

    async def reopen(self, actor: Actor, number: int) -> Article:
        self._require(actor, Role.MODERATOR, "reopen voting")
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.TRANSLATING}, "reopen voting")
            await tx.reset_selection(article_id)
            await tx.update_article(actor.space, number, state=S.COLLECTING)
            await _log(tx, article_id, actor, "reopened")
            article = await tx.get_article(actor.space, number)
        await self._announce(VotingReopened(article=article))
        return article

    async def status(self, actor: Actor, number: int) -> StatusBoard:
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            counts = await tx.status_counts(article_id)
            holders: dict[str, list[int]] = {}
            for row in await tx.holders(article_id):
                holders.setdefault(row["name"], []).append(row["number"])
            missing = [row["number"] for row in await tx.untranslated_selected(article_id)]
            approvals = await tx.approvals(article_id, article.edit_seq)
            parts = await tx.published_parts(article_id)
        return StatusBoard(
            article=article,
            candidates=counts["candidates"],
            selected=counts["selected"],
            dropped=counts["dropped"],
            translated=counts["translated"],
            assigned_untranslated=counts["assigned"],
            unassigned=counts["unassigned"],
            holders=tuple((name, tuple(nums)) for name, nums in holders.items()),
            missing=tuple(missing),
            fresh_approvals=len(approvals),
            approvals_required=self.rules.approvals_required,
            published_parts=len(parts),
        )

    async def history(self, actor: Actor, number: int) -> list[HistoryEntry]:
        async with self.store.transaction() as tx:
            article_id, _ = await self._article(tx, actor, number)
            return await tx.history(article_id)

    # comments and votes ----------------------------------------------------------------------

    async def add_comment(
        self,
        actor: Actor,
        number: int,
        text: str,
        url: str = "",
        author: str = "",
        language: str = "",
        persona: str | None = None,
        countries: tuple[str, ...] | list[str] | str = (),
    ) -> Comment:
        limits = self.rules.limits
        text = check.text(text, field="text", limit=limits.comment)
        url = check.url(url, limit=limits.url)
        author = check.label(author, field="author", limit=limits.label)
        language = check.label(language, field="lang", limit=20)
        persona = (
            check.persona(persona) if persona else check.default_persona(author or url or text)
        )
        codes = check.countries(countries)
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, OPEN_FOR_COMMENTS, "submit comments")
            comment_number = await tx.insert_comment(
                space=actor.space,
                article_id=article_id,
                text=text,
                url=url,
                author=author,
                language=language,
                persona=persona,
                countries=codes,
                submitted_by=actor.user_id,
                submitted_by_name=actor.name,
            )
            await _log(tx, article_id, actor, "comment_added", f"#{comment_number}")
            comment = await tx.get_comment(actor.space, comment_number)
        await self._announce(CommentSubmitted(article=article, comment=comment))
        return comment

    async def list_comments(
        self, actor: Actor, number: int, status: CommentStatus | str | None = None
    ) -> list[Comment]:
        status = CommentStatus(status) if status else None
        async with self.store.transaction() as tx:
            article_id, _article = await self._article(tx, actor, number)
            return await tx.list_comments(
                article_id, status, article_order=status is CommentStatus.SELECTED
            )

    async def get_comment(self, actor: Actor, number: int) -> Comment:
        async with self.store.transaction() as tx:
            return (await self._comment(tx, actor, number))[1]

    async def translation_history(self, actor: Actor, number: int) -> list[Translation]:
        async with self.store.transaction() as tx:
            comment_id, _ = await self._comment(tx, actor, number)
            return await tx.translation_history(comment_id)

    async def vote(self, actor: Actor, number: int, choice: VoteChoice | str) -> Comment:
        """Record one person's vote; returns once it is committed to disk.

        Votes arrive in bursts (a whole team clicking one card), so they go through the store's
        group commit: `apply` runs the checks against the shared transaction, inside this
        vote's own savepoint, on the store's writer thread (so it is a plain function that
        only reads and writes through `tx`); a refusal undoes only this vote.
        """
        if choice not in VOTE_VALUES:
            raise InvalidInput(
                "invalid.vote_choice", field="choice", value=check.shown(str(choice))
            )
        value = VOTE_VALUES[choice]
        if not 1 <= number <= MAX_ID:
            raise NotFound("notfound.comment", number=number)

        def apply(tx: Any) -> Comment:
            target = tx.vote_target(actor.space, number, actor.user_id)
            if target is None:
                raise NotFound("notfound.comment", number=number)
            if target.article_state not in OPEN_FOR_COMMENTS:
                raise WrongState(
                    f"state.{target.article_state.value}",
                    number=target.article_number,
                    action="vote",
                )
            if target.submitted_by == actor.user_id:
                raise Forbidden("vote.own_comment", number=number)
            if target.current == value:
                return target.comment()
            return target.comment(
                tx.set_vote(target.comment_id, actor.user_id, target.current, value)
            )

        comment = await self.store.group_commit(apply)
        await self._announce(ScoreChanged(comment=comment))
        return comment

    async def my_vote(self, actor: Actor, number: int) -> int:
        async with self.store.transaction() as tx:
            comment_id, _ = await self._comment(tx, actor, number)
            return await tx.vote_of(comment_id, actor.user_id)

    async def pick(self, actor: Actor, number: int) -> Comment:
        return await self._override(actor, number, Override.PICK)

    async def drop(self, actor: Actor, number: int) -> Comment:
        return await self._override(actor, number, Override.DROP)

    async def _override(self, actor: Actor, number: int, override: Override) -> Comment:
        self._require(actor, Role.MODERATOR, f"{override.value} comments")
        async with self.store.transaction() as tx:
            _comment_id, comment = await self._comment(tx, actor, number)
            article_id, article = await self._article(tx, actor, comment.article_number)
            self._state_in(article, {S.COLLECTING, S.TRANSLATING}, f"{override.value} comments")
            fields: dict[str, Any] = {"override": override}
            if article.state is S.TRANSLATING:
                if override is Override.PICK:
                    fields["status"] = CommentStatus.SELECTED
                    if comment.status is not CommentStatus.SELECTED:
                        last = await tx.max_position(article_id)
                        fields["position"] = None if last is None else last + 1
                else:
                    fields.update(status=CommentStatus.DROPPED, position=None)
            await tx.update_comment(actor.space, number, **fields)
            await _log(tx, article_id, actor, override.value, f"#{number}")
            comment = await tx.get_comment(actor.space, number)
        await self._announce(SelectionChanged(comment=comment))
        return comment

    async def move(self, actor: Actor, number: int, position: int) -> list[Comment]:
        self._require(actor, Role.MODERATOR, "reorder comments")
        check.integer(position, field="position", minimum=1)
        async with self.store.transaction() as tx:
            comment_id, comment = await self._comment(tx, actor, number)
            article_id, article = await self._article(tx, actor, comment.article_number)
            self._state_in(article, {S.TRANSLATING, S.REVIEW, S.APPROVED}, "reorder comments")
            await self._guard_partial_publish(tx, article_id, article)
            if comment.status is not CommentStatus.SELECTED:
                raise WrongState("comment.not_selected", number=number)
            order = await tx.list_comments(article_id, CommentStatus.SELECTED, article_order=True)
            ids = [await tx.comment_id(actor.space, c.number) for c in order]
            if position > len(ids):
                raise InvalidInput(
                    "invalid.position", field="position", position=position, count=len(ids)
                )
            ids.remove(comment_id)
            ids.insert(position - 1, comment_id)
            withdrawn = await self._edited(tx, actor, article)
            await tx.set_positions(ids)
            await _log(tx, article_id, actor, "move", f"#{number} to {position}")
            order = await tx.list_comments(article_id, CommentStatus.SELECTED, article_order=True)
        await self._announce(withdrawn)
        return order

    async def set_persona(
        self,
        actor: Actor,
        number: int,
        persona: str,
        countries: tuple[str, ...] | list[str] | str | None = None,
    ) -> Comment:
        persona = check.persona(persona)
        codes = check.countries(countries) if countries is not None else None
        async with self.store.transaction() as tx:
            _comment_id, comment = await self._comment(tx, actor, number)
            if comment.submitted_by != actor.user_id:
                self._require(actor, Role.MODERATOR, "change someone else's persona")
            article_id, article = await self._article(tx, actor, comment.article_number)
            self._state_in(article, EDITABLE, "change a persona")
            await self._guard_partial_publish(tx, article_id, article)
            withdrawn = (
                await self._edited(tx, actor, article)
                if comment.status is CommentStatus.SELECTED
                else None
            )
            fields: dict[str, Any] = {"persona": persona}
            if codes is not None:
                fields["countries"] = ",".join(codes)
            await tx.update_comment(actor.space, number, **fields)
            await _log(tx, article_id, actor, "persona", f"#{number} {persona}")
            comment = await tx.get_comment(actor.space, number)
        await self._announce(withdrawn)
        return comment

    # translations ----------------------------------------------------------------------------

    async def _translatable(
        self, tx: Any, actor: Actor, number: int, action: str
    ) -> tuple[int, Comment, int, Article]:
        comment_id, comment = await self._comment(tx, actor, number)
        article_id, article = await self._article(tx, actor, comment.article_number)
        self._state_in(article, OPEN_FOR_TRANSLATION, action)
        if not article.translation_open(comment):
            raise WrongState("comment.not_selected", number=number)
        return comment_id, comment, article_id, article

    async def assign(self, actor: Actor, number: int, assignee: Actor) -> Comment:
        self._require(actor, Role.MODERATOR, "assign translations")
        if self.role_of(assignee) < Role.TRANSLATOR:
            raise InvalidInput("translate.not_translator", field="user", name=assignee.name)
        return await self._hold(actor, number, assignee, "assign translations", "assign")

    async def claim(self, actor: Actor, number: int) -> Comment:
        self._require(actor, Role.TRANSLATOR, "claim translations")
        return await self._hold(actor, number, actor, "claim translations", "claim")

    async def _hold(
        self, actor: Actor, number: int, holder: Actor, doing: str, action: str
    ) -> Comment:
        """Give the comment's translation to `holder`: a moderator may reassign, a claim may
        only take a comment nobody holds."""
        async with self.store.transaction() as tx:
            _, comment, article_id, _ = await self._translatable(tx, actor, number, doing)
            if action == "claim":
                if comment.assignee_id == actor.user_id:
                    raise Conflict("translate.already_yours", number=number)
                if comment.assignee_id is not None:
                    raise Conflict("translate.held", number=number, name=comment.assignee_name)
            await tx.update_comment(
                actor.space, number, assignee_id=holder.user_id, assignee_name=holder.name
            )
            detail = f"#{number}" if holder == actor else f"#{number} to {holder.name}"
            await _log(tx, article_id, actor, action, detail)
            comment = await tx.get_comment(actor.space, number)
        await self._announce(
            TranslationAssigned(
                comment=comment,
                assignee_id=holder.user_id,
                assignee_name=holder.name,
                by_name=actor.name,
            )
        )
        return comment

    async def release(self, actor: Actor, number: int) -> Comment:
        self._require(actor, Role.TRANSLATOR, "release translations")
        async with self.store.transaction() as tx:
            _comment_id, comment = await self._comment(tx, actor, number)
            article_id, article = await self._article(tx, actor, comment.article_number)
            self._state_in(article, OPEN_FOR_TRANSLATION, "release translations")
            if comment.assignee_id is None:
                raise Conflict("translate.not_assigned", number=number)
            if comment.assignee_id != actor.user_id:
                self._require(actor, Role.MODERATOR, "release someone else's translation")
            previous = (comment.assignee_id, comment.assignee_name or "")
            await tx.update_comment(actor.space, number, assignee_id=None, assignee_name=None)
            await _log(tx, article_id, actor, "release", f"#{number} from {previous[1]}")
            comment = await tx.get_comment(actor.space, number)
        await self._announce(
            TranslationReleased(comment=comment, previous_id=previous[0], previous_name=previous[1])
        )
        return comment

    async def submit_translation(self, actor: Actor, number: int, text: str) -> Comment:
        self._require(actor, Role.TRANSLATOR, "submit translations")
        text = check.text(text, field="text", limit=self.rules.limits.translation)
        async with self.store.transaction() as tx:
            comment_id, comment = await self._comment(tx, actor, number)
            article_id, article = await self._article(tx, actor, comment.article_number)
            if await self._check_translatable(tx, actor, article_id, article, comment):
                await tx.update_comment(
                    actor.space, number, assignee_id=actor.user_id, assignee_name=actor.name
                )
            withdrawn = await self._edited(tx, actor, article)
            revision = await tx.add_translation(
                comment_id, text=text, translator_id=actor.user_id, translator_name=actor.name
            )
            await _log(tx, article_id, actor, "translate", f"#{number} revision {revision}")
            comment = await tx.get_comment(actor.space, number)
        await self._announce(TranslationSubmitted(comment=comment), withdrawn)
        return comment

    async def my_work(self, actor: Actor) -> list[Comment]:
        async with self.store.transaction() as tx:
            return await tx.comments_of_assignee(actor.space, actor.user_id)

    # drafts, review, publishing --------------------------------------------------------------

    async def _document(
        self, tx: Any, actor: Actor, article_id: int, article: Article
    ) -> ArticleDocument:
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
                )
                for c in selected
            ),
        )

    async def _complete_document(
        self, tx: Any, actor: Actor, number: int
    ) -> tuple[int, Article, ArticleDocument]:
        article_id, article = await self._article(tx, actor, number)
        if article.state is S.COLLECTING:
            raise WrongState("state.collecting", number=number, action="build the draft")
        counts = await tx.status_counts(article_id)
        if counts["selected"] == 0:
            raise WrongState("draft.nothing_selected", number=number)
        missing = [row["number"] for row in await tx.untranslated_selected(article_id)]
        if missing:
            raise WrongState(
                "draft.missing_translations",
                number=number,
                count=len(missing),
                comments=", ".join(f"#{n}" for n in missing[:20]),
            )
        return article_id, article, await self._document(tx, actor, article_id, article)

    async def build_draft(self, actor: Actor, number: int) -> Draft:
        self._require(actor, Role.MODERATOR, "build drafts")
        async with self.store.transaction() as tx:
            article_id, article, document = await self._complete_document(tx, actor, number)
            await _log(tx, article_id, actor, "draft_built")
        return Draft(article=article, document=document, preview=self.renderer.text(document))

    async def submit_draft(self, actor: Actor, number: int) -> Draft:
        self._require(actor, Role.MODERATOR, "submit drafts for review")
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.TRANSLATING}, "submit the draft for review")
            article_id, article, document = await self._complete_document(tx, actor, number)
            await tx.bump_edit_seq(actor.space, number)
            await tx.update_article(actor.space, number, state=S.REVIEW)
            await _log(tx, article_id, actor, "submitted")
            article = await tx.get_article(actor.space, number)
        draft = Draft(article=article, document=document, preview=self.renderer.text(document))
        await self._announce(DraftSubmitted(article=article, preview=draft.preview))
        return draft

    async def approve(self, actor: Actor, number: int, note: str = "") -> Article:
        self._require(actor, Role.MODERATOR, "approve drafts")
        note = check.text(note, field="note", limit=self.rules.limits.note, required=False)
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.REVIEW}, "approve the draft")
            added = await tx.add_approval(
                article_id,
                moderator_id=actor.user_id,
                moderator_name=actor.name,
                edit_seq=article.edit_seq,
                note=note,
            )
            if not added:
                raise Conflict("draft.already_approved", number=number)
            approvals = await tx.approvals(article_id, article.edit_seq)
            required = self.rules.approvals_required
            approved = len(approvals) >= required
            if approved:
                await tx.update_article(actor.space, number, state=S.APPROVED)
            await _log(
                tx,
                article_id,
                actor,
                "approved",
                f"{len(approvals)}/{required}" + (f": {note}" if note else ""),
            )
            article = await tx.get_article(actor.space, number)
        await self._announce(
            DraftApproved(
                article=article,
                by_name=actor.name,
                approvals=len(approvals),
                required=required,
                approved=approved,
            )
        )
        return article

    async def reject(self, actor: Actor, number: int, reason: str) -> Article:
        self._require(actor, Role.MODERATOR, "request changes")
        reason = check.text(reason, field="reason", limit=self.rules.limits.reason)
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            await self._check_rejectable(tx, article_id, article)
            await tx.bump_edit_seq(actor.space, number)
            await tx.update_article(actor.space, number, state=S.TRANSLATING)
            await _log(tx, article_id, actor, "rejected", reason)
            article = await tx.get_article(actor.space, number)
        await self._announce(DraftRejected(article=article, by_name=actor.name, reason=reason))
        return article

    async def document(self, actor: Actor, number: int) -> ArticleDocument:
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            return await self._document(tx, actor, article_id, article)

    async def publish(
        self, actor: Actor, number: int, poster: Poster, *, limit: int, channel: str = ""
    ) -> PublishResult:
        """Post the article's parts in order, each recorded as soon as it is posted.

        A part that was posted is never posted again: if the platform fails midway, the
        article stays approved with the posted parts recorded, and the next publish posts
        only what is missing.
        """
        self._require(actor, Role.MODERATOR, "publish articles")
        key = (actor.space, number)
        if key in self._publishing:
            raise Conflict("publish.busy", number=number)
        self._publishing.add(key)
        try:
            return await self._publish(actor, number, poster, limit=limit, channel=channel)
        finally:
            self._publishing.discard(key)

    async def _publish(
        self, actor: Actor, number: int, poster: Poster, *, limit: int, channel: str
    ) -> PublishResult:
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            if article.state is S.PUBLISHED:
                raise Conflict("publish.already", number=number)
            self._state_in(article, {S.APPROVED}, "publish")
            document = await self._document(tx, actor, article_id, article)
            done = {part.index for part in await tx.published_parts(article_id)}
        parts = self.renderer.chat_parts(document, limit)
        posted = 0
        for index, part in enumerate(parts):
            if index in done:
                continue
            try:
                message_id = await poster(index, part)
            except Exception as exc:
                log.warning("publishing article %s stopped at part %s: %r", number, index, exc)
                async with self.store.transaction() as tx:
                    await _log(
                        tx, article_id, actor, "publish_failed", f"part {index + 1} of {len(parts)}"
                    )
                raise PublishFailed(
                    "publish.failed", number=number, posted=len(done) + posted, total=len(parts)
                ) from exc
            async with self.store.transaction() as tx:
                await tx.add_published_part(
                    article_id, index=index, channel=channel, message_id=str(message_id)
                )
            posted += 1
        async with self.store.transaction() as tx:
            await tx.update_article(actor.space, number, state=S.PUBLISHED, published_at=_now())
            await _log(tx, article_id, actor, "published", f"{len(parts)} parts")
            article = await tx.get_article(actor.space, number)
            recorded = await tx.published_parts(article_id)
        await self._announce(ArticlePublished(article=article, parts=tuple(recorded)))
        return PublishResult(article=article, parts=tuple(recorded), newly_posted=posted)

    # forms: refused before anyone types into them ----------------------------------------------

    async def article_text_form(self, actor: Actor, number: int, field: TextField) -> Article:
        """The article whose lead or closing a form is about to edit.

        Refused exactly as `set_article_text` would refuse it (role, state), so that nobody
        types a long text into a form that cannot be saved.
        """
        self._require(actor, Role.MODERATOR, f"set an article's {field}")
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            await self._check_editable(tx, article_id, article)
        return article

    async def translation_form(self, actor: Actor, number: int) -> Comment:
        """The comment a translation form is about to be opened for, refused as
        `submit_translation` would refuse it."""
        self._require(actor, Role.TRANSLATOR, "submit translations")
        async with self.store.transaction() as tx:
            _, comment = await self._comment(tx, actor, number)
            article_id, article = await self._article(tx, actor, comment.article_number)
            await self._check_translatable(tx, actor, article_id, article, comment)
        return comment

    async def reject_form(self, actor: Actor, number: int) -> Article:
        """The draft a Request-changes form is about to be opened for, refused as `reject`
        would refuse it."""
        self._require(actor, Role.MODERATOR, "request changes")
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            await self._check_rejectable(tx, article_id, article)
        return article

    async def _check_editable(self, tx: Any, article_id: int, article: Article) -> None:
        self._state_in(article, EDITABLE, "edit")
        await self._guard_partial_publish(tx, article_id, article)

    async def _check_rejectable(self, tx: Any, article_id: int, article: Article) -> None:
        self._state_in(article, REJECTABLE, "request changes")
        await self._guard_partial_publish(tx, article_id, article)

    async def _check_translatable(
        self, tx: Any, actor: Actor, article_id: int, article: Article, comment: Comment
    ) -> bool:
        """Whether `actor` may translate `comment` now; True when nobody holds it yet (the
        one who submits then takes it)."""
        self._state_in(article, {S.TRANSLATING, S.REVIEW, S.APPROVED}, "submit translations")
        await self._guard_partial_publish(tx, article_id, article)
        if comment.status is not CommentStatus.SELECTED:
            raise WrongState("comment.not_selected", number=comment.number)
        is_moderator = self.role_of(actor) >= Role.MODERATOR
        if comment.assignee_id is None:
            if article.state is not S.TRANSLATING and not is_moderator:
                raise WrongState(
                    f"state.{article.state.value}",
                    number=article.number,
                    action="submit translations",
                )
            return True
        if comment.assignee_id != actor.user_id and not is_moderator:
            raise Conflict("translate.held", number=comment.number, name=comment.assignee_name)
        return False

    # front-end references --------------------------------------------------------------------

    async def get_ref(self, space: str, kind: str, key: str) -> tuple[str, str] | None:
        async with self.store.transaction() as tx:
            return await tx.get_ref(space, kind, key)

    async def set_ref(self, space: str, kind: str, key: str, channel: str, message_id: str) -> None:
        async with self.store.transaction() as tx:
            await tx.set_ref(space, kind, key, channel, message_id)


def select(
    rows: list[tuple[int, int, str | None]], *, min_score: int, max_reactions: int
) -> list[int]:
    """The vote-based selection plus overrides: picks always in, drops always out.

    rows are (id, net score, override) in submission order; ties go to the earlier comment.
    """
    picked = [cid for cid, _, override in rows if override == Override.PICK.value]
    eligible = [
        (score, order, cid)
        for order, (cid, score, override) in enumerate(rows)
        if override is None and score >= min_score
    ]
    eligible.sort(key=lambda item: (-item[0], item[1]))
    room = max(0, max_reactions - len(picked))
    return picked + [cid for _, _, cid in eligible[:room]]


async def _log(tx: Any, article_id: int, actor: Actor, action: str, detail: str = "") -> None:
    """One line of the article's audit history: who did what, in the same transaction."""
    await tx.add_history(
        article_id, actor_id=actor.user_id, actor_name=actor.name, action=action, detail=detail
    )


def _excerpt(value: str, size: int = 60) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


def _now() -> datetime:
    return datetime.now(UTC)
