"""Translation: who holds which selected comment (assign, claim, release), submitting and
revising translations through the form, and each translator's own work list."""

from __future__ import annotations

from typing import Any

from bot.core import validation as check
from bot.core.area import Area
from bot.core.errors import Conflict, InvalidInput, WrongState
from bot.core.events import TranslationAssigned, TranslationReleased, TranslationSubmitted
from bot.core.hints import CommandHint
from bot.core.models import (
    OPEN_FOR_TRANSLATION,
    Actor,
    Article,
    Comment,
    Role,
    Translation,
    TranslationKind,
)


class TranslationArea(Area):
    async def _translatable(
        self, tx: Any, actor: Actor, number: int, action: str
    ) -> tuple[int, Comment, int, Article]:
        comment_id, comment = await self._comment(tx, actor, number)
        article_id, article = await self._article(tx, actor, comment.article_number)
        self._state_in(article, OPEN_FOR_TRANSLATION, action)
        if not article.translation_open(comment):
            raise WrongState(
                "hint.comment.not_selected",
                number=number,
                command=CommandHint.of("comment pick", comment=number),
            )
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
                    raise Conflict(
                        "hint.translate.already_yours",
                        number=number,
                        command=CommandHint.of("translate submit", comment=number, text="<text>"),
                    )
                if comment.assignee_id is not None:
                    raise Conflict("translate.held", number=number, name=comment.assignee_name)
            await tx.update_comment(
                actor.space, number, assignee_id=holder.user_id, assignee_name=holder.name
            )
            await self._on_hold(tx, actor, number, holder)
            detail = f"#{number}" if holder == actor else f"#{number} to {holder.name}"
            await self._log_step(tx, article_id, actor, action, detail)
            comment = await tx.get_comment(actor.space, number)
        await self._announce(
            TranslationAssigned(
                comment=comment,
                assignee_id=holder.user_id,
                assignee_name=holder.name,
                by_name=actor.name,
                by_id=actor.user_id,
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
            await self._on_release(tx, actor.space, number)
            await self._log_step(tx, article_id, actor, "release", f"#{number} from {previous[1]}")
            comment = await tx.get_comment(actor.space, number)
        await self._announce(
            TranslationReleased(comment=comment, previous_id=previous[0], previous_name=previous[1])
        )
        return comment

    async def submit_translation(self, actor: Actor, number: int, text: str) -> Comment:
        self._require(actor, Role.TRANSLATOR, "submit translations")
        text = check.text(text, field="text", limit=self.rules.limits.translation)
        async with self.store.transaction() as tx:
            comment_id, comment, article_id, article, free = await self._submittable(
                tx, actor, number
            )
            withdrawn = await self._revising(tx, actor, number, article, free)
            latest = comment.translation
            # A machine draft submitted unchanged is machine text a person accepted as it is.
            kept = latest is not None and latest.is_machine and latest.text == text
            revision = await tx.add_translation(
                comment_id,
                text=text,
                translator_id=actor.user_id,
                translator_name=actor.name,
                kind=TranslationKind.ACCEPTED if kept else TranslationKind.HUMAN,
                provider=latest.provider if kept and latest else "",
                model=latest.model if kept and latest else "",
            )
            action = "accept" if kept else "translate"
            await self._log_step(tx, article_id, actor, action, f"#{number} revision {revision}")
            comment = await tx.get_comment(actor.space, number)
        await self._announce(TranslationSubmitted(comment=comment), withdrawn)
        return comment

    async def translation_form(self, actor: Actor, number: int) -> Comment:
        """The comment a translation form is about to be opened for, refused as
        `submit_translation` would refuse it."""
        self._require(actor, Role.TRANSLATOR, "submit translations")
        async with self.store.transaction() as tx:
            return (await self._submittable(tx, actor, number))[1]

    async def translation_history(self, actor: Actor, number: int) -> list[Translation]:
        async with self.store.transaction() as tx:
            comment_id, _ = await self._comment(tx, actor, number)
            return await tx.translation_history(comment_id)

    async def my_work(self, actor: Actor) -> list[Comment]:
        async with self.store.transaction() as tx:
            return await tx.comments_of_assignee(actor.space, actor.user_id)
