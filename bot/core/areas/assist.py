"""Translation help: machine drafts (one comment, or an article's batched), accepting one, the
revision history with diffs and restore, and review remarks (the glossary: `glossary.py`).

A machine draft is a revision of kind `machine`; it never counts as a translation (the review
area refuses a draft while one is a comment's latest) until a person submits or accepts it.
The provider is called outside any transaction, and a fault stores nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.core import validation as check
from bot.core.area import Area, S
from bot.core.assist import (
    AssistFailed,
    DraftContext,
    DraftRequest,
    MachineDraft,
    TranslationProvider,
    chunks,
)
from bot.core.errors import Conflict, NotFound, WrongState
from bot.core.events import RemarkAdded, TranslationSubmitted
from bot.core.hints import CommandHint
from bot.core.models import (
    Actor,
    Article,
    Comment,
    CommentStatus,
    Frozen,
    Remark,
    Role,
    Translation,
    TranslationKind,
)
from bot.core.textdiff import Segment, diff

Progress = Callable[[int, int], Awaitable[None]]
# Where a remark can still lead to a change.
REMARKABLE = frozenset({S.TRANSLATING, S.REVIEW, S.APPROVED})


class SuggestResult(Frozen):
    article_number: int
    drafted: tuple[int, ...]  # comments that got a machine draft
    skipped: int  # selected comments left alone: translated already, or someone else's
    provider: str
    model: str = ""


class Revision(Frozen):
    """One revision and what changed from the one before it."""

    translation: Translation
    changes: tuple[Segment, ...] = ()


class AssistArea(Area):
    def __init__(
        self,
        store: Any,
        *,
        provider: TranslationProvider | None = None,
        **kwargs: Any,
    ) -> None:
        self.provider = provider
        super().__init__(store, **kwargs)

    def _configured(self) -> TranslationProvider:
        if self.provider is None:
            raise WrongState("assist.not_configured")
        return self.provider

    async def _context(
        self, tx: Any, actor: Actor, article_id: int, article: Article
    ) -> DraftContext:
        """What a provider is told about the article: the story, the register, the names."""
        glossary = await tx.glossary_entries(actor.space)
        selected = await tx.list_comments(article_id, CommentStatus.SELECTED)
        done = [
            c.translation.text for c in selected if c.translation and not c.translation.is_machine
        ]
        return DraftContext(
            title=article.title,
            lead=article.lead,
            target_language=article.target_language,
            speech=self.style.speech(done),
            glossary=tuple(glossary),
            team=actor.space,
        )

    # machine drafts --------------------------------------------------------------------------

    async def suggest(self, actor: Actor, number: int) -> Comment:
        """A machine draft for one comment, stored as its latest revision (kind machine)."""
        self._require(actor, Role.TRANSLATOR, "get machine drafts")
        provider = self._configured()
        async with self.store.transaction() as tx:
            _, comment, article_id, article, _ = await self._submittable(tx, actor, number)
            context = await self._context(tx, actor, article_id, article)
        [draft] = await self._translate(provider, [_request(comment)], context)
        async with self.store.transaction() as tx:
            comment_id, comment, article_id, article, free = await self._submittable(
                tx, actor, number
            )
            withdrawn = await self._revising(tx, actor, number, article, free)
            revision = await self._store_draft(tx, actor, comment_id, draft, provider)
            await self._log_step(
                tx, article_id, actor, "machine_draft", f"#{number} revision {revision}"
            )
            comment = await tx.get_comment(actor.space, number)
        await self._announce(TranslationSubmitted(comment=comment), withdrawn)
        return comment

    async def suggest_all(
        self, actor: Actor, number: int, progress: Progress | None = None
    ) -> SuggestResult:
        """Machine drafts for every selected comment of article `number` that has no
        translation yet (a translator's own or unheld ones; a moderator's: all), batched."""
        self._require(actor, Role.TRANSLATOR, "get machine drafts")
        provider = self._configured()
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.TRANSLATING}, "get machine drafts")
            selected = await tx.list_comments(
                article_id, CommentStatus.SELECTED, article_order=True
            )
            wanted = [c for c in selected if self._may_draft(actor, c)]
            context = await self._context(tx, actor, article_id, article)
        if not wanted:
            raise Conflict(
                "assist.nothing_to_draft",
                number=number,
                command=CommandHint.of("article status", article=number),
            )
        drafts = await self._translate(provider, [_request(c) for c in wanted], context, progress)
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.TRANSLATING}, "get machine drafts")
            # Read again: a comment translated, dropped or taken meanwhile is left alone.
            still = {
                c.number
                for c in await tx.list_comments(article_id, CommentStatus.SELECTED)
                if self._may_draft(actor, c)
            }
            stored = [d.number for d in drafts if d.number in still]
            await tx.add_machine_drafts(
                actor.space,
                [(d.number, d.text) for d in drafts if d.number in still],
                translator_id=actor.user_id,
                translator_name=actor.name,
                provider=provider.name,
                model=provider.model,
            )
            await self._log_step(
                tx, article_id, actor, "machine_drafts", f"{len(stored)} comments ({provider.name})"
            )
            done = set(stored)
            comments = [
                c
                for c in await tx.list_comments(article_id, CommentStatus.SELECTED)
                if c.number in done
            ]
        await self._announce(*(TranslationSubmitted(comment=c) for c in comments))
        return SuggestResult(
            article_number=number,
            drafted=tuple(stored),
            skipped=len(selected) - len(stored),
            provider=provider.name,
            model=provider.model,
        )

    def _may_draft(self, actor: Actor, comment: Comment) -> bool:
        if comment.translation is not None:
            return False
        held_by_other = comment.assignee_id not in (None, actor.user_id)
        return not held_by_other or self.role_of(actor) >= Role.MODERATOR

    @staticmethod
    async def _translate(
        provider: TranslationProvider,
        requests: Sequence[DraftRequest],
        context: DraftContext,
        progress: Progress | None = None,
    ) -> list[MachineDraft]:
        """All drafts, in batches the provider takes, up to `concurrency` at once; the first
        fault cancels the rest and is raised (nothing is stored by the caller then)."""
        batches = chunks(requests, provider.batch_size)
        gate = asyncio.Semaphore(provider.concurrency)
        done = 0
        results: list[list[MachineDraft]] = [[] for _ in batches]

        async def run(index: int, batch: Sequence[DraftRequest]) -> None:
            nonlocal done
            async with gate:
                results[index] = await provider.translate(batch, context)
            done += len(batch)
            if progress is not None:
                await progress(done, len(requests))

        try:
            async with asyncio.TaskGroup() as group:
                for index, batch in enumerate(batches):
                    group.create_task(run(index, batch))
        except* AssistFailed as failed:
            raise failed.exceptions[0] from None
        drafts = {d.number: d for batch in results for d in batch}
        if set(drafts) != {r.number for r in requests}:
            raise AssistFailed(
                "assist.fault.malformed", service=provider.name, model=provider.model or "-"
            )
        return [drafts[r.number] for r in requests]

    @staticmethod
    async def _store_draft(
        tx: Any, actor: Actor, comment_id: int, draft: MachineDraft, provider: TranslationProvider
    ) -> int:
        return await tx.add_translation(
            comment_id,
            text=draft.text,
            translator_id=actor.user_id,
            translator_name=actor.name,
            kind=TranslationKind.MACHINE,
            provider=provider.name,
            model=provider.model,
        )

    async def accept(self, actor: Actor, number: int) -> Comment:
        """Take the latest machine draft as it is: a new revision marked accepted."""
        self._require(actor, Role.TRANSLATOR, "accept machine drafts")
        async with self.store.transaction() as tx:
            comment_id, comment, article_id, article, free = await self._submittable(
                tx, actor, number
            )
            latest = comment.translation
            if latest is None or not latest.is_machine:
                raise Conflict(
                    "assist.nothing_to_accept",
                    number=number,
                    command=CommandHint.of("translate suggest", comment=number),
                )
            withdrawn = await self._revising(tx, actor, number, article, free)
            revision = await tx.add_translation(
                comment_id,
                text=latest.text,
                translator_id=actor.user_id,
                translator_name=actor.name,
                kind=TranslationKind.ACCEPTED,
                provider=latest.provider,
                model=latest.model,
            )
            await self._log_step(tx, article_id, actor, "accept", f"#{number} revision {revision}")
            comment = await tx.get_comment(actor.space, number)
        await self._announce(TranslationSubmitted(comment=comment), withdrawn)
        return comment

    # revisions -------------------------------------------------------------------------------

    async def revisions(self, actor: Actor, number: int) -> list[Revision]:
        """Every revision, oldest first, each with what changed from the one before."""
        async with self.store.transaction() as tx:
            comment_id, _ = await self._comment(tx, actor, number)
            history = await tx.translation_history(comment_id)
        found: list[Revision] = []
        previous = ""
        for translation in history:
            found.append(
                Revision(translation=translation, changes=tuple(diff(previous, translation.text)))
            )
            previous = translation.text
        return found

    async def restore(self, actor: Actor, number: int, revision: int) -> Comment:
        """Make an old revision the latest again, as a new revision (a restored machine draft
        is still unreviewed machine text)."""
        self._require(actor, Role.TRANSLATOR, "restore translations")
        check.integer(revision, field="revision", minimum=1)
        async with self.store.transaction() as tx:
            comment_id, comment, article_id, article, _ = await self._submittable(tx, actor, number)
            old = await tx.translation(comment_id, revision)
            if old is None:
                raise NotFound(
                    "assist.no_revision",
                    number=number,
                    revision=revision,
                    command=CommandHint.of("translate history", comment=number),
                )
            if comment.translation and comment.translation.revision == revision:
                raise Conflict("assist.already_latest", number=number, revision=revision)
            withdrawn = await self._edited(tx, actor, article)
            new = await tx.add_translation(
                comment_id,
                text=old.text,
                translator_id=actor.user_id,
                translator_name=actor.name,
                kind=TranslationKind.MACHINE if old.is_machine else TranslationKind.RESTORED,
                provider=old.provider,
                model=old.model,
                source_revision=revision,
            )
            await self._log_step(
                tx, article_id, actor, "restore", f"#{number} revision {new} from {revision}"
            )
            comment = await tx.get_comment(actor.space, number)
        await self._announce(TranslationSubmitted(comment=comment), withdrawn)
        return comment

    # remarks ---------------------------------------------------------------------------------

    async def remark(self, actor: Actor, number: int, text: str) -> Remark:
        """A reviewer's remark on a comment's current translation; its translator is told."""
        self._require(actor, Role.MODERATOR, "leave review remarks")
        text = check.text(text, field="text", limit=self.rules.limits.reason)
        async with self.store.transaction() as tx:
            comment_id, comment = await self._comment(tx, actor, number)
            article_id, article = await self._article(tx, actor, comment.article_number)
            self._state_in(article, REMARKABLE, "leave review remarks")
            latest = comment.translation
            if latest is None:
                raise Conflict("assist.remark_nothing", number=number)
            remark_id = await tx.add_remark(
                comment_id,
                revision=latest.revision,
                text=text,
                author_id=actor.user_id,
                author_name=actor.name,
            )
            await self._log_step(
                tx, article_id, actor, "remark", f"#{number}: {check.excerpt(text, 60)}"
            )
            remark = next(r for r in await tx.remarks_of_comment(comment_id) if r.id == remark_id)
        translator_id = comment.assignee_id or latest.translator_id
        translator_name = comment.assignee_name or latest.translator_name
        await self._announce(
            RemarkAdded(
                comment=comment,
                remark=remark,
                translator_id=translator_id,
                translator_name=translator_name,
            )
        )
        return remark

    async def resolve_remarks(self, actor: Actor, number: int) -> int:
        """Mark a comment's open remarks resolved; how many there were."""
        self._require(actor, Role.TRANSLATOR, "resolve remarks")
        async with self.store.transaction() as tx:
            comment_id, comment = await self._comment(tx, actor, number)
            article_id, _ = await self._article(tx, actor, comment.article_number)
            count = await tx.resolve_remarks(comment_id, by_name=actor.name)
            if not count:
                raise Conflict("assist.no_open_remarks", number=number)
            await self._log_step(tx, article_id, actor, "resolve_remarks", f"#{number}: {count}")
        return count


def _request(comment: Comment) -> DraftRequest:
    return DraftRequest(
        number=comment.number,
        text=comment.text,
        language=comment.language,
        persona=comment.persona,
        flags=comment.flags,
    )
