"""Importing a thread's comments as candidates, and source posts that fill themselves in.

The site adapters (`CommentSource`) read; this area decides. It checks who may import and
that the article collects comments before anything is fetched, fetches outside any
transaction, then chooses (filters, best first, at most `top`) and adds what is new in one
transaction: a comment whose permalink is already there is skipped, one whose text is the same
or near-identical to a candidate's is merged (counted, not added). A fault while fetching, or
anything refused, leaves the article as it was, so running the import again is always safe.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any

from bot.core import validation as check
from bot.core.area import Area
from bot.core.errors import Conflict, DomainError, InvalidInput
from bot.core.models import OPEN_FOR_COMMENTS, Actor, Article, Comment, Frozen, Role
from bot.core.threads import (
    Candidate,
    CommentsImported,
    CommentSource,
    DuplicateIndex,
    ImportSummary,
    Progress,
    SourceFault,
    ThreadComment,
)

log = logging.getLogger(__name__)

# A site that is down or busy does not stop a source post: it is added with what was given,
# its link kept (an embed needs no more), and can be given its text by hand.
PASSING = frozenset(
    {"sources.unreachable", "sources.timeout", "sources.server_error", "sources.rate_limited"}
)
ACTION = "import comments"  # as refusals say it: "Only moderators can import comments"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class ImportRules(Frozen):
    """The `[sources]` settings the core decides with."""

    members_may_import: bool = False
    top: int = 50
    # read this many when filters may drop comments, so that `top` can still be reached
    max_comments: int = 2000


class ImportingArea(Area):
    """`comment import` and the auto-filled `article source`.

    Comes before the articles area in `HannoService`, so its `add_source` fills in what was
    not given by hand and then hands on (`super()`) to the articles area's, which checks and
    stores it as it does every source post.
    """

    def __init__(
        self,
        *args: Any,
        sources: CommentSource | None = None,
        duplicates: Callable[[list[str]], DuplicateIndex] | None = None,
        import_rules: ImportRules | None = None,
        **kwargs: Any,
    ) -> None:
        self.sources = sources
        self.duplicates = duplicates
        self.import_rules = import_rules or ImportRules()
        super().__init__(*args, **kwargs)

    def _may_import(self, actor: Actor) -> None:
        role = Role.MEMBER if self.import_rules.members_may_import else Role.MODERATOR
        self._require(actor, role, ACTION)

    def _source(self) -> CommentSource:
        if self.sources is None:
            raise Conflict("import.not_configured")
        return self.sources

    async def import_form(self, actor: Actor, number: int) -> Article:
        """The article an "Import a thread" form is about to import into, refused before the
        form opens exactly as the import itself would refuse."""
        self._may_import(actor)
        async with self.store.transaction() as tx:
            return (await self._open(tx, actor, number))[1]

    async def _open(self, tx: Any, actor: Actor, number: int) -> tuple[int, Article]:
        """The article, if it still collects comments."""
        article_id, article = await self._article(tx, actor, number)
        self._state_in(article, OPEN_FOR_COMMENTS, ACTION)
        return article_id, article

    async def import_comments(
        self,
        actor: Actor,
        number: int,
        url: str,
        *,
        top: int | None = None,
        min_score: int | None = None,
        langs: tuple[str, ...] | list[str] | None = None,
        replies: bool = False,
        progress: Progress | None = None,
    ) -> ImportSummary:
        self._may_import(actor)  # before anything else: a member learns nothing of the link
        url = check.url(url, limit=self.rules.limits.url, required=True)
        top = check.integer(top or self.import_rules.top, field="top", minimum=1, maximum=1000)
        wanted = tuple(dict.fromkeys(code.strip().lower() for code in langs or () if code.strip()))
        for code in wanted:
            if not LANGUAGE_CODE.match(code):
                raise InvalidInput("import.bad_language", field="lang", value=check.shown(code))
        source = self._source()
        source.recognise(url)  # an unknown address is refused before the article is read
        async with self.store.transaction() as tx:  # refused before anything is fetched
            article_id, _ = await self._open(tx, actor, number)
            permalinks, texts = await tx.import_keys(article_id)
        filtered = min_score is not None or bool(wanted)
        if progress is not None:
            await progress(0)  # answer at once: "Reading the thread…"
        thread = await source.fetch_thread(
            url,
            limit=self.import_rules.max_comments if filtered else top,
            replies=replies,
            progress=progress,
        )
        if not thread.comments and not (thread.deleted or thread.bots):
            raise SourceFault("import.no_comments", site=thread.site)
        comments = list(thread.comments)
        if wanted:  # the filter needs every comment's language
            comments = await source.detect(comments)
        chosen, skipped = self._choose(comments, top=top, min_score=min_score, langs=wanted)
        # The duplicate check against the article as read above, in a worker thread; beside
        # it, in the detecting process, the languages of the chosen ones (unless --lang had
        # every comment's detected). Neither holds up the event loop.
        checking = asyncio.to_thread(self._new, self._index(texts), chosen, permalinks)
        if wanted:
            new, already, merged = await checking
        else:
            detected, (new, already, merged) = await asyncio.gather(source.detect(chosen), checking)
            languages = {c.permalink: c for c in detected}
            new = [languages[c.permalink] for c in new]
        async with self.store.transaction() as tx:
            article_id, article = await self._open(tx, actor, number)
            # what was added to the article while this import read the thread
            now_links, now_texts = await tx.import_keys(article_id)
            added_meanwhile = now_texts[len(texts) :]
            late = self._index(added_meanwhile) if added_meanwhile else None
            fresh: list[Candidate] = []
            for comment in new:
                if comment.permalink in now_links:
                    already += 1
                elif late is not None and late.seen(comment.text):
                    merged += 1
                else:
                    fresh.append(_candidate(comment, thread.kind))
            added: list[Comment] = await tx.insert_imported(
                space=actor.space,
                article_id=article_id,
                article_number=article.number,
                candidates=fresh,
                submitted_by=actor.user_id,
                submitted_by_name=actor.name,
            )
            await self._log_step(
                tx, article_id, actor, "comments_imported", f"{len(added)} from {thread.url}"
            )
        summary = ImportSummary(
            article=article,
            site=thread.site,
            url=thread.url,
            added=tuple(added),
            already=already,
            duplicates=merged,
            deleted=thread.deleted,
            bots=thread.bots,
            truncated=thread.truncated,
            locked=thread.locked,
            read=len(thread.comments),
            top=top,
            length_limit=self.rules.limits.comment,
            **skipped,
        )
        await self._announce(CommentsImported(summary=summary))
        return summary

    @staticmethod
    def _new(
        index: DuplicateIndex, chosen: list[ThreadComment], permalinks: set[str]
    ) -> tuple[list[ThreadComment], int, int]:
        """The chosen comments not yet in the article, and how many were there already (same
        permalink) or duplicates (same or near-identical text) of a comment there or before."""
        unseen = [c for c in chosen if c.permalink not in permalinks]
        fresh = index.screen([c.text for c in unseen])
        new = [comment for comment, is_new in zip(unseen, fresh, strict=True) if is_new]
        return new, len(chosen) - len(unseen), len(unseen) - len(new)

    def _index(self, texts: list[str]) -> DuplicateIndex:
        if self.duplicates is None:
            raise Conflict("import.not_configured")
        return self.duplicates(texts)

    def _choose(
        self,
        comments: list[ThreadComment],
        *,
        top: int,
        min_score: int | None,
        langs: tuple[str, ...],
    ) -> tuple[list[ThreadComment], dict[str, int]]:
        """The comments to offer, best first, and how many were left out for which reason."""
        limit = self.rules.limits.comment
        skipped = {
            "too_long": 0,
            "unusable": 0,
            "low_score": 0,
            "other_language": 0,
            "beyond_top": 0,
        }
        kept: list[ThreadComment] = []
        for comment in comments:
            if len(comment.text) > limit:
                skipped["too_long"] += 1
                continue
            try:
                text = check.text(comment.text, field="text", limit=limit)
            except DomainError:  # empty (an image alone) or control characters
                skipped["unusable"] += 1
                continue
            if min_score is not None and (comment.score is None or comment.score < min_score):
                skipped["low_score"] += 1
            elif langs and comment.language not in langs:
                skipped["other_language"] += 1
            else:
                # a copy only where checking changed the text (line endings, edges)
                kept.append(
                    comment if text == comment.text else comment.model_copy(update={"text": text})
                )
        # best first; a site without scores (HN) keeps its own ranking (sorted() is stable)
        kept.sort(key=lambda c: -(c.score or 0) if c.score is not None else 0)
        skipped["beyond_top"] = max(0, len(kept) - top)
        return kept[:top], skipped

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
        """A source post; without a text, the post's site fills in what was not given (what
        was given by hand wins)."""
        return (await self.add_source_read(actor, number, url, text, author, handle, date))[0]

    async def add_source_read(
        self,
        actor: Actor,
        number: int,
        url: str,
        text: str = "",
        author: str = "",
        handle: str = "",
        date: str = "",
    ) -> tuple[Article, str]:
        """`add_source`, and the name of the site whose post could not be read just now (it
        was down, slow or limiting requests: the source is added with what was given, and
        the person should hear so), or "" when it was read or there was nothing to read."""
        parent: Any = super()
        if text.strip() or self.sources is None:
            return await parent.add_source(actor, number, url, text, author, handle, date), ""
        self._require(actor, Role.MODERATOR, "add source posts")
        url = check.url(url, limit=self.rules.limits.url, required=True)
        try:
            self.sources.recognise(url)
        except SourceFault:  # a news page or a site hanno does not read: kept as given
            return await parent.add_source(actor, number, url, text, author, handle, date), ""
        await self.get_article(actor, number)
        try:
            post = await self.sources.fetch_post(url)
        except SourceFault as fault:
            if fault.key not in PASSING:
                raise  # a wrong link (not found, private...) is worth saying
            log.warning("source post %s not read (%s); added as given", url, fault.key)
            added = await parent.add_source(actor, number, url, text, author, handle, date)
            return added, str(fault.params.get("site", ""))
        added = await parent.add_source(
            actor,
            number,
            url,
            text=post.text,
            author=author or post.author,
            handle=handle or post.handle,
            date=date or post.date,
        )
        return added, ""


def _candidate(comment: ThreadComment, kind: str) -> Candidate:
    try:
        countries = check.countries(comment.country) if comment.country else ()
    except DomainError:
        countries = ()
    persona = check.default_persona(comment.author or comment.permalink)
    return Candidate(comment=comment, kind=kind, persona=persona, countries=countries)
