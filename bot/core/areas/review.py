"""Drafts and review: building the draft from the translations, submitting it for review,
approvals (stale after an edit) and requests for changes, which send it back to translating."""

from __future__ import annotations

from typing import Any

from bot.core import validation as check
from bot.core.area import Area, S
from bot.core.errors import Conflict, Forbidden, WrongState
from bot.core.events import DraftApproved, DraftRejected, DraftSubmitted
from bot.core.hints import CommandHint
from bot.core.models import Actor, Article, ArticleDocument, Frozen, Role

# The states from which a draft can be sent back for changes.
REJECTABLE = frozenset({S.REVIEW, S.APPROVED})


class Draft(Frozen):
    article: Article
    document: ArticleDocument
    preview: str


class ReviewArea(Area):
    async def _complete_document(
        self, tx: Any, actor: Actor, number: int
    ) -> tuple[int, Article, ArticleDocument]:
        article_id, article = await self._article(tx, actor, number)
        if article.state is S.COLLECTING:
            raise WrongState("state.collecting", number=number, action="build the draft")
        counts = await tx.status_counts(article_id)
        if counts["selected"] == 0:
            raise WrongState(
                "hint.draft.nothing_selected",
                number=number,
                command=CommandHint.of("comment pick", comment="<comment>"),
            )
        missing = [row["number"] for row in await tx.untranslated_selected(article_id)]
        if missing:
            raise WrongState(
                "hint.draft.missing_translations",
                number=number,
                count=len(missing),
                comments=", ".join(f"#{n}" for n in missing[:20]),
                command=CommandHint.of("article status", article=number),
            )
        await self._no_machine_drafts(tx, article_id, number)
        return article_id, article, await self._document(tx, actor, article_id, article)

    @staticmethod
    async def _no_machine_drafts(tx: Any, article_id: int, number: int) -> None:
        """Unreviewed machine text never reaches a draft, an approval or the article."""
        machine = await tx.machine_latest(article_id)
        if machine:
            raise WrongState(
                "draft.machine_drafts",
                number=number,
                count=len(machine),
                comments=", ".join(f"#{n}" for n in machine[:20]),
                command=CommandHint.of("translate accept", comment=machine[0]),
            )

    async def build_draft(self, actor: Actor, number: int) -> Draft:
        self._require(actor, Role.MODERATOR, "build drafts")
        async with self.store.transaction() as tx:
            article_id, article, document = await self._complete_document(tx, actor, number)
            await self._log_step(tx, article_id, actor, "draft_built")
        return Draft(article=article, document=document, preview=self.renderer.text(document))

    async def submit_draft(self, actor: Actor, number: int) -> Draft:
        self._require(actor, Role.MODERATOR, "submit drafts for review")
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.TRANSLATING}, "submit the draft for review")
            article_id, article, document = await self._complete_document(tx, actor, number)
            await tx.bump_edit_seq(actor.space, number)
            await tx.update_article(actor.space, number, state=S.REVIEW)
            await self._log_step(tx, article_id, actor, "submitted")
            article = await tx.get_article(actor.space, number)
        draft = Draft(article=article, document=document, preview=self.renderer.text(document))
        await self._announce(DraftSubmitted(article=article, preview=draft.preview))
        return draft

    async def document(self, actor: Actor, number: int) -> ArticleDocument:
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            return await self._document(tx, actor, article_id, article)

    async def approve(self, actor: Actor, number: int, note: str = "") -> Article:
        self._require(actor, Role.MODERATOR, "approve drafts")
        note = check.text(note, field="note", limit=self.rules.limits.note, required=False)
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.REVIEW}, "approve the draft")
            await self._no_machine_drafts(tx, article_id, number)
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
            if approved:  # refused here, the transaction takes the approval back
                await self._check_self_approval(tx, actor, article_id, article)
            if approved:
                await tx.update_article(actor.space, number, state=S.APPROVED)
            await self._log_step(
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

    async def _check_self_approval(
        self, tx: Any, actor: Actor, article_id: int, article: Article
    ) -> None:
        """Refuse the submitter's approval that would complete the review when another
        moderator could give it (`review.self_approval = false`, the default).

        The core cannot list a role's members, so "another moderator" is any moderator entry
        of the policy that is not this person's own id or name (a role, a group, a name).
        """
        if self.rules.self_approval:
            return
        submitted = [e for e in await tx.history(article_id) if e.action == "submitted"]
        if not submitted or submitted[-1].actor_id != actor.user_id:
            return
        others = self.policy.moderators - {actor.user_id.lower(), actor.name.lower()}
        if others:
            raise Forbidden(
                "review.self_approval", number=article.number, who=", ".join(sorted(others))
            )

    async def reject(self, actor: Actor, number: int, reason: str) -> Article:
        self._require(actor, Role.MODERATOR, "request changes")
        reason = check.text(reason, field="reason", limit=self.rules.limits.reason)
        async with self.store.transaction() as tx:
            article_id, article = await self._rejectable(tx, actor, number)
            await tx.bump_edit_seq(actor.space, number)
            await tx.update_article(actor.space, number, state=S.TRANSLATING)
            await self._log_step(tx, article_id, actor, "rejected", reason)
            article = await tx.get_article(actor.space, number)
        await self._announce(DraftRejected(article=article, by_name=actor.name, reason=reason))
        return article

    async def reject_form(self, actor: Actor, number: int) -> Article:
        """The draft a Request-changes form is about to be opened for, refused as `reject`
        would refuse it."""
        self._require(actor, Role.MODERATOR, "request changes")
        async with self.store.transaction() as tx:
            return (await self._rejectable(tx, actor, number))[1]

    async def _rejectable(self, tx: Any, actor: Actor, number: int) -> tuple[int, Article]:
        """The article `number`, refused unless its draft can be sent back now."""
        article_id, article = await self._article(tx, actor, number)
        self._state_in(article, REJECTABLE, "request changes")
        await self._guard_partial_publish(tx, article_id, article)
        return article_id, article
