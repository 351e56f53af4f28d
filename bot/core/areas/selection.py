"""The selection: closing and reopening voting, the rule that picks the reactions from the
votes, a moderator's pick/drop overrides, and the order of the selected reactions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core import validation as check
from bot.core.area import Area, S
from bot.core.errors import InvalidInput, WrongState
from bot.core.events import SelectionChanged, VotingClosed, VotingReopened
from bot.core.hints import CommandHint
from bot.core.models import Actor, Article, Comment, CommentStatus, Override, Role


class SelectionArea(Area):
    async def close_voting(self, actor: Actor, number: int) -> tuple[Article, list[Comment]]:
        self._require(actor, Role.MODERATOR, "close voting")
        async with self.store.transaction() as tx:
            closed = await self._close_in(tx, actor, number)
            await self._on_voting_closed(tx, actor.space, number)
        await self._announce(closed)
        return closed.article, list(closed.selected)

    async def _close_in(
        self,
        tx: Any,
        actor: Actor,
        number: int,
        *,
        scheduled_for: datetime | None = None,
        late: bool = False,
    ) -> VotingClosed:
        """Close voting inside `tx`: by `actor` now, or by the schedule `actor` set for
        `scheduled_for` (the scheduler claims it in the same transaction)."""
        article_id, article = await self._article(tx, actor, number)
        self._state_in(article, {S.COLLECTING}, "close voting")
        rows = await tx.selection_inputs(article_id)
        chosen = select(
            [(r["id"], r["score"], r["override"]) for r in rows],
            min_score=article.min_score,
            max_reactions=article.max_reactions,
        )
        if not chosen:
            # Nothing to translate: closing would only stall the article in translating.
            raise WrongState(
                "selection.nothing_selected",
                number=number,
                min_score=article.min_score,
                pick=CommandHint.of("comment pick", comment="<comment>"),
                lower=CommandHint.of(
                    "article set",
                    article=number,
                    field="min_score",
                    value=min(0, article.min_score),
                ),
            )
        await tx.set_selection(article_id, chosen)
        await tx.update_article(actor.space, number, state=S.TRANSLATING, closes_at=None)
        detail = f"{len(chosen)} selected of {len(rows)}"
        if scheduled_for is not None:
            detail += f", scheduled for {scheduled_for.isoformat(timespec='minutes')}"
            detail += " (late)" if late else ""
        await self._log_step(tx, article_id, actor, "closed", detail)
        article = await tx.get_article(actor.space, number)
        selected = await tx.list_comments(article_id, CommentStatus.SELECTED, article_order=True)
        return VotingClosed(
            article=article, selected=tuple(selected), scheduled_for=scheduled_for, late=late
        )

    async def reopen(self, actor: Actor, number: int) -> Article:
        self._require(actor, Role.MODERATOR, "reopen voting")
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.TRANSLATING}, "reopen voting")
            await tx.reset_selection(article_id)
            await tx.update_article(actor.space, number, state=S.COLLECTING)
            await self._on_voting_closed(tx, actor.space, number)
            await self._log_step(tx, article_id, actor, "reopened")
            article = await tx.get_article(actor.space, number)
        await self._announce(VotingReopened(article=article))
        return article

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
            await self._log_step(tx, article_id, actor, override.value, f"#{number}")
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
                raise WrongState(
                    "hint.comment.not_selected",
                    number=number,
                    command=CommandHint.of("comment pick", comment=number),
                )
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
            await self._log_step(tx, article_id, actor, "move", f"#{number} to {position}")
            order = await tx.list_comments(article_id, CommentStatus.SELECTED, article_order=True)
        await self._announce(withdrawn)
        return order


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
