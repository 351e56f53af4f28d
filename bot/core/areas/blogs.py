"""Blogs: the approved article posted to each configured blog target exactly once, updated in
place when published again, and the reaction style an article is rendered in.

Each target (`bot.core.targets.BlogTarget`, from `bot.publish`) is called outside any
transaction; what it answered is recorded in one transaction afterwards, with a line of audit
history for every call, so a failure never leaves half a record and a retry knows exactly
whether to create or to update. A post deleted on the blog is reported, never recreated.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from bot.core.area import Area, S, now
from bot.core.errors import InvalidInput, NotFound
from bot.core.models import Actor, Article, Role
from bot.core.targets import (
    BlogTarget,
    PostGone,
    Publication,
    PublicationStatus,
    RemotePost,
    TargetFault,
    TargetOutcome,
    blog_post,
)

log = logging.getLogger(__name__)

# An article goes to a blog once it is approved: before or after it is posted to the chat.
POSTABLE = frozenset({S.APPROVED, S.PUBLISHED})


class BlogsArea(Area):
    def __init__(self, *args: Any, blog_targets: Sequence[BlogTarget] = (), **deps: Any) -> None:
        super().__init__(*args, **deps)
        self.blog_targets: dict[str, BlogTarget] = {t.name: t for t in blog_targets}

    def target_names(self, *, auto: bool | None = None) -> list[str]:
        """The configured targets, in config order (only the `auto` ones if asked)."""
        return [n for n, t in self.blog_targets.items() if auto is None or t.auto is auto]

    def _chosen(self, names: Sequence[str] | None) -> list[BlogTarget]:
        if names is None:
            return [t for t in self.blog_targets.values() if t.auto]
        chosen = []
        for name in names:
            found = self.blog_targets.get(name) or next(
                (t for n, t in self.blog_targets.items() if n.casefold() == name.casefold()), None
            )
            if found is None:
                if not self.blog_targets:
                    raise NotFound("blog.no_targets")
                raise NotFound("blog.unknown", name=name, known=", ".join(self.blog_targets))
            chosen.append(found)
        return chosen

    async def publications(self, actor: Actor, number: int) -> list[Publication]:
        """Where the article stands on each blog target it was sent to."""
        async with self.store.transaction() as tx:
            article_id, _ = await self._article(tx, actor, number)
            return await tx.publications(article_id)

    async def publish_to_blogs(
        self, actor: Actor, number: int, names: Sequence[str] | None = None
    ) -> list[TargetOutcome]:
        """Post to the named targets (default: every `auto` target), each on its own.

        A target that fails does not stop the others; its outcome says why, and publishing
        to it again (`publish <a> --to <name>`) retries it alone.
        """
        self._require(actor, Role.MODERATOR, "publish articles")
        targets = self._chosen(names)
        async with self.store.transaction() as tx:
            _, article = await self._article(tx, actor, number)
            self._state_in(article, POSTABLE, "publish to a blog")
        return [await self._post(actor, number, target) for target in targets]

    async def _post(self, actor: Actor, number: int, target: BlogTarget) -> TargetOutcome:
        # Held while posting, by whichever bot process posts (the store's lock): a second
        # publish to the same target, here or in another process, is refused, recording nothing.
        async with self.store.exclusive(f"blog/{actor.space}/{number}/{target.name}") as alone:
            if not alone:
                return TargetOutcome(
                    target=target.name,
                    kind=target.kind,
                    action="failed",
                    status=PublicationStatus.FAILED,
                    problem_key="blog.busy",
                    problem_params={"number": number, "target": target.name},
                )
            return await self._post_once(actor, number, target)

    async def _post_once(self, actor: Actor, number: int, target: BlogTarget) -> TargetOutcome:
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, POSTABLE, "publish to a blog")
            document = await self._document(tx, actor, article_id, article)
            previous = await tx.publication(article_id, target.name)
        post = blog_post(
            actor.space, article, document, self.renderer, article.published_at or now()
        )
        update = previous is not None and previous.exists
        try:
            if update:
                assert previous is not None
                remote = await target.update(post, previous)
            else:
                remote = await target.create(post)
        except PostGone as gone:
            assert previous is not None
            kept = previous.model_copy(
                update={
                    "status": PublicationStatus.GONE,
                    "error": gone.message,
                    "updated_at": now(),
                }
            )
            return await self._record(actor, article_id, kept, "blog_gone", gone)
        except TargetFault as fault:
            log.warning("blog target %s failed for article %s: %s", target.name, number, fault.key)
            failed = (previous if update else None) or Publication(
                target=target.name, kind=target.kind, status=PublicationStatus.FAILED
            )
            kept = failed.model_copy(update={"error": fault.message, "updated_at": now()})
            return await self._record(actor, article_id, kept, "blog_failed", fault)
        done = _publication(target, remote, post.style, previous, update)
        return await self._record(
            actor, article_id, done, "blog_updated" if update else "blog_created"
        )

    async def _record(
        self,
        actor: Actor,
        article_id: int,
        publication: Publication,
        action: str,
        fault: TargetFault | None = None,
    ) -> TargetOutcome:
        """Save where the article stands on the target and audit the call, in one transaction."""
        detail = f"{publication.target}: " + (
            fault.message if fault else publication.url or publication.remote_id
        )
        async with self.store.transaction() as tx:
            await tx.save_publication(article_id, publication)
            await self._log_step(tx, article_id, actor, action, detail)
        return TargetOutcome(
            target=publication.target,
            kind=publication.kind,
            action=action.removeprefix("blog_"),  # type: ignore[arg-type]
            status=publication.status,
            url=publication.url,
            problem_key=fault.key if fault else "",
            problem_params=dict(fault.params) if fault else {},
        )

    # the article's reaction style ------------------------------------------------------------

    def styles(self) -> tuple[str, ...]:
        return tuple(getattr(self.renderer, "styles", ()))

    async def set_style(self, actor: Actor, number: int, style: str) -> Article:
        """Choose how the reactions look (persona, numbered, bilingual or a team's template).

        Before publishing it is an edit like any other (an approval is withdrawn); after, it
        only changes what the next `publish` sends to the blogs.
        """
        self._require(actor, Role.MODERATOR, "set an article's style")
        known = self.styles()
        chosen = next((s for s in known if s.casefold() == style.strip().casefold()), None)
        if chosen is None:
            raise InvalidInput(
                "render.unknown_style", field="style", style=style, known=", ".join(known)
            )
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            if article.state is not S.PUBLISHED:
                await self._guard_partial_publish(tx, article_id, article)
            await tx.update_article(actor.space, number, style=chosen)
            withdrawn = (
                await self._edited(tx, actor, article) if article.state is not S.PUBLISHED else None
            )
            await self._log_step(tx, article_id, actor, "set_style", chosen)
            article = await tx.get_article(actor.space, number)
        await self._announce(withdrawn)
        return article


def _publication(
    target: BlogTarget,
    remote: RemotePost,
    style: str,
    previous: Publication | None,
    update: bool,
) -> Publication:
    return Publication(
        target=target.name,
        kind=target.kind,
        status=remote.status,
        remote_id=remote.remote_id,
        edit_uri=remote.edit_uri or (previous.edit_uri if previous else ""),
        url=remote.url or (previous.url if previous else ""),
        style=style,
        revision=(previous.revision if previous and update else 0) + 1,
        updated_at=now(),
    )
