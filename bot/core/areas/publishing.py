"""Publishing: posting an approved article to the publish channel part by part, exactly once,
resuming after a failure with only the parts not yet posted."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.core.area import Area, S
from bot.core.errors import Conflict
from bot.core.events import ArticlePublished
from bot.core.hints import CommandHint
from bot.core.models import Actor, Article, Frozen, PublishedPart, Role

log = logging.getLogger(__name__)

Poster = Callable[[int, str], Awaitable[str]]


class PublishResult(Frozen):
    article: Article
    parts: tuple[PublishedPart, ...]
    newly_posted: int


class PublishFailed(Conflict):
    """Some parts could not be posted; what was posted is recorded and will not be repeated."""


class PublishingArea(Area):
    async def publish(
        self, actor: Actor, number: int, poster: Poster, *, limit: int, channel: str = ""
    ) -> PublishResult:
        """Post the article's parts in order, each recorded as soon as it is posted.

        A part that was posted is never posted again: if the platform fails midway, the
        article stays approved with the posted parts recorded, and the next publish posts
        only what is missing.
        """
        self._require(actor, Role.MODERATOR, "publish articles")
        # Held across the posting (which spans transactions) by whichever process publishes:
        # a second publish of the same article, here or in another process, is refused.
        async with self.store.exclusive(f"publish/{actor.space}/{number}") as alone:
            if not alone:
                raise Conflict("publish.busy", number=number)
            return await self._publish(actor, number, poster, limit=limit, channel=channel)

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
                    await self._log_step(
                        tx, article_id, actor, "publish_failed", f"part {index + 1} of {len(parts)}"
                    )
                raise PublishFailed(
                    "hint.publish.failed",
                    number=number,
                    posted=len(done) + posted,
                    total=len(parts),
                    command=CommandHint.of("publish", article=number),
                ) from exc
            async with self.store.transaction() as tx:
                await tx.add_published_part(
                    article_id, index=index, channel=channel, message_id=str(message_id)
                )
            posted += 1
        async with self.store.transaction() as tx:
            await tx.update_article(
                actor.space, number, state=S.PUBLISHED, published_at=self.clock.now()
            )
            await self._log_step(tx, article_id, actor, "published", f"{len(parts)} parts")
            article = await tx.get_article(actor.space, number)
            recorded = await tx.published_parts(article_id)
        await self._announce(ArticlePublished(article=article, parts=tuple(recorded)))
        return PublishResult(article=article, parts=tuple(recorded), newly_posted=posted)
