"""Comments and votes: submitting a comment, reading comments, one vote per person per comment,
and each comment's persona and flags."""

from __future__ import annotations

from typing import Any, Literal

from bot.core import validation as check
from bot.core.area import EDITABLE, MAX_ID, Area
from bot.core.errors import Forbidden, InvalidInput, NotFound, WrongState
from bot.core.events import CommentSubmitted, ScoreChanged
from bot.core.models import OPEN_FOR_COMMENTS, Actor, Comment, CommentStatus, Role

VoteChoice = Literal["up", "down", "clear"]
VOTE_VALUES: dict[str, int] = {"up": 1, "down": -1, "clear": 0}


class CommentsArea(Area):
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
            await self._log_step(tx, article_id, actor, "comment_added", f"#{comment_number}")
            comment = await tx.get_comment(actor.space, comment_number)
        await self._announce(
            CommentSubmitted(
                article=article, comment=self._seen(None, comment, article.votes_hidden)
            )
        )
        return comment

    async def list_comments(
        self, actor: Actor, number: int, status: CommentStatus | str | None = None
    ) -> list[Comment]:
        status = CommentStatus(status) if status else None
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            comments = await tx.list_comments(
                article_id, status, article_order=status is CommentStatus.SELECTED
            )
        return [self._seen(actor, c, article.votes_hidden) for c in comments]

    async def get_comment(self, actor: Actor, number: int) -> Comment:
        """The comment as `actor` may see it (hidden voting keeps scores from members)."""
        async with self.store.transaction() as tx:
            comment = (await self._comment(tx, actor, number))[1]
            article = await tx.get_article(actor.space, comment.article_number)
        return self._seen(actor, comment, article is not None and article.votes_hidden)

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

        def apply(tx: Any) -> tuple[Comment, bool]:
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
                return target.comment(), target.votes_hidden
            tallies = tx.set_vote(target.comment_id, actor.user_id, target.current, value)
            return target.comment(tallies), target.votes_hidden

        comment, hidden = await self.store.group_commit(apply)
        await self._announce(ScoreChanged(comment=self._seen(None, comment, hidden)))
        return self._seen(actor, comment, hidden)

    async def my_vote(self, actor: Actor, number: int) -> int:
        async with self.store.transaction() as tx:
            comment_id, _ = await self._comment(tx, actor, number)
            return await tx.vote_of(comment_id, actor.user_id)

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
            await self._log_step(tx, article_id, actor, "persona", f"#{number} {persona}")
            comment = await tx.get_comment(actor.space, number)
        await self._announce(withdrawn)
        return comment
