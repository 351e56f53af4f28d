"""Reddit through asyncpraw: app-only OAuth, the thread sorted by top, "more" stubs expanded.

The first page of a thread holds a few hundred comments and `more` stubs standing for the rest;
each stub costs one /api/morechildren request. Stubs at the top level are expanded first (they
hold the next-best top-level comments), replies' stubs only when replies were asked for, and
no more than the requested number of comments or the configured page bound.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import SplitResult

import aiohttp
import asyncpraw
import asyncprawcore
from asyncpraw.models import MoreComments
from asyncprawcore import Requestor

from bot.core.threads import SourceFault, SourcePost, Thread, ThreadComment
from bot.sources.base import RETRIES_ON_429, Ask, Site, day, retry_after
from bot.sources.text import markdown_to_text

HOSTS = re.compile(r"^(?:(?:www|old|new|np|m|i|amp)\.)?reddit\.com$")
THREAD_PATH = re.compile(r"^(?:/r/[^/]+)?/comments/([a-z0-9]+)(?:/|$)", re.IGNORECASE)
SHORT_PATH = re.compile(r"^/([a-z0-9]+)/?$", re.IGNORECASE)
PUBLIC = "https://www.reddit.com"  # permalinks point where people read, not at the API
GONE = frozenset({"[deleted]", "[removed]"})
# The first request asks for this many comments (Reddit's own upper bound is 500).
FIRST_PAGE = 500


# What Reddit answers when it is briefly unwell (asyncprawcore's own list of statuses to retry).
SERVER_ERRORS = frozenset(asyncprawcore.Session.RETRY_STATUSES)
SERVER_ERROR_RETRIES = 2  # as asyncprawcore


class PatientRequestor(Requestor):
    """asyncprawcore's requestor, waiting out a 429 for as long as Retry-After asks, once it
    is within the configured bound (asyncprawcore itself raises at once), and retrying a
    server error after the configured pause. asyncprawcore would retry a 5xx itself after
    pauses of its own (up to six seconds, not configurable): the last server error is raised
    here as `ServerError`, so it never sees one."""

    def __init__(
        self, *, max_retry_wait: float = 30.0, retry_pause: float = 1.0, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.max_retry_wait = max_retry_wait
        self.retry_pause = retry_pause

    @asynccontextmanager
    async def request(
        self,
        *args: Any,
        timeout: float | None = None,  # noqa: ASYNC109 - asyncprawcore's own signature
        **kwargs: Any,
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        limited = failed = 0
        while True:
            # asyncprawcore's session passes its own 16 s; the configured timeout wins
            async with super().request(*args, timeout=self.timeout, **kwargs) as response:
                if response.status == 429:
                    wait = retry_after(response.headers.get("Retry-After"))
                    if limited == RETRIES_ON_429 or wait > self.max_retry_wait:
                        yield response
                        return
                    limited += 1
                elif response.status in SERVER_ERRORS:
                    if failed == SERVER_ERROR_RETRIES:
                        raise asyncprawcore.ServerError(response)
                    wait = self.retry_pause * 2**failed
                    failed += 1
                else:
                    yield response
                    return
            await asyncio.sleep(wait)


class Reddit(Site):
    kind = "reddit"
    name = "Reddit"
    example = "https://www.reddit.com/r/japan/comments/abc123/…"

    def owns(self, url: SplitResult) -> bool:
        host = (url.hostname or "").lower()
        return bool(HOSTS.match(host)) or host == "redd.it"

    def ref(self, url: SplitResult) -> str | None:
        host = (url.hostname or "").lower()
        match = (SHORT_PATH if host == "redd.it" else THREAD_PATH).match(url.path)
        return match.group(1).lower() if match else None

    @asynccontextmanager
    async def client(self, session: aiohttp.ClientSession) -> AsyncIterator[asyncpraw.Reddit]:
        client_id = self.require(self.credentials.reddit_client_id, "REDDIT_CLIENT_ID")
        secret = self.require(self.credentials.reddit_client_secret, "REDDIT_CLIENT_SECRET")
        reddit = asyncpraw.Reddit(
            client_id=client_id,
            client_secret=secret,
            user_agent=self.config.user_agent,
            oauth_url=self.config.reddit_oauth_url.rstrip("/"),
            reddit_url=self.config.reddit_url.rstrip("/"),
            check_for_updates=False,
            requestor_class=PatientRequestor,
            requestor_kwargs={
                "session": session,
                "timeout": self.config.timeout,
                "max_retry_wait": self.config.max_retry_wait,
                "retry_pause": self.config.retry_pause,
            },
        )
        try:
            yield reddit
        except asyncprawcore.AsyncPrawcoreException as exc:
            raise self.fault(exc) from None
        except ValueError:  # a body that is not JSON, or JSON of no shape asyncpraw knows
            raise SourceFault("sources.malformed", site=self.name) from None

    def fault(self, exc: Exception) -> SourceFault:
        site = self.name
        if isinstance(exc, asyncprawcore.TooManyRequests):
            wait = round(retry_after(exc.retry_after))
            return SourceFault("sources.rate_limited", site=site, seconds=wait)
        if isinstance(exc, asyncprawcore.NotFound | asyncprawcore.Redirect):
            return SourceFault("sources.not_found", site=site)
        if isinstance(exc, asyncprawcore.Forbidden):
            return SourceFault("sources.reddit_private")
        if isinstance(exc, asyncprawcore.OAuthException):
            return SourceFault("sources.reddit_credentials")
        if isinstance(exc, asyncprawcore.ServerError):
            return SourceFault("sources.server_error", site=site, status=exc.response.status)
        if isinstance(exc, asyncprawcore.BadJSON):
            return SourceFault("sources.malformed", site=site)
        if isinstance(exc, asyncprawcore.RequestException):
            if isinstance(exc.original_exception, aiohttp.ContentTypeError | ValueError):
                return SourceFault("sources.malformed", site=site)
            if isinstance(exc.original_exception, TimeoutError):
                return SourceFault("sources.timeout", site=site, seconds=f"{self.config.timeout:g}")
            return SourceFault("sources.unreachable", site=site)
        if isinstance(exc, asyncprawcore.ResponseException):
            if exc.response.status == 401:
                return SourceFault("sources.reddit_credentials")
            return SourceFault("sources.refused", site=site, status=exc.response.status)
        return SourceFault("sources.unreachable", site=site)

    async def submission(self, reddit: asyncpraw.Reddit, ref: str) -> Any:
        submission = await reddit.submission(ref, fetch=False)
        submission.comment_sort = "top"
        submission.comment_limit = FIRST_PAGE
        await submission.load()
        if getattr(submission, "removed_by_category", None) or submission.author is None:
            raise SourceFault("sources.deleted", site=self.name)
        if getattr(submission, "over_18", False):
            raise SourceFault("sources.age_restricted", site=self.name)
        return submission

    async def thread(self, session: aiohttp.ClientSession, ask: Ask) -> Thread:
        ref, replies, progress = ask.ref, ask.replies, ask.progress
        limit = min(ask.limit, self.config.max_comments)
        async with self.client(session) as reddit:
            submission = await self.submission(reddit, ref)
            reader = _Reader(self, submission, replies)
            reader.walk(submission.comments)
            ask.read(reader.comments)
            pages = 0
            while reader.wanted(limit):
                more = reader.next_more()
                if more is None:
                    break
                if pages >= self.config.max_pages:
                    reader.truncated = True
                    break
                pages += 1
                read = len(reader.comments)
                reader.walk(await more.comments(update=False))
                ask.read(reader.comments[read:])
                if progress is not None:
                    await progress(len(reader.comments))
            truncated = reader.truncated or (
                len(reader.comments) >= self.config.max_comments and reader.has_more()
            )
            return Thread(
                site=self.name,
                kind=self.kind,
                url=f"{PUBLIC}{submission.permalink}",
                title=submission.title,
                comments=tuple(reader.comments),
                deleted=reader.deleted,
                bots=reader.bots,
                truncated=truncated,
                locked=bool(getattr(submission, "locked", False)),
            )

    async def post(self, session: aiohttp.ClientSession, ask: Ask) -> SourcePost:
        ref, url = ask.ref, ask.url
        async with self.client(session) as reddit:
            submission = await self.submission(reddit, ref)
            body = markdown_to_text(submission.selftext or "")
            return SourcePost(
                url=url.geturl(),
                text="\n\n".join(part for part in (submission.title, body) if part),
                author=submission.author.name,
                handle=f"u/{submission.author.name}",
                date=day(datetime.fromtimestamp(submission.created_utc, UTC)),
            )


class _Reader:
    """Collects a thread's comments in Reddit's order and keeps its unexpanded stubs."""

    def __init__(self, site: Reddit, submission: Any, replies: bool) -> None:
        self.site = site
        self.submission = submission
        self.replies = replies
        self.comments: list[ThreadComment] = []
        self.top_level = 0
        self.deleted = 0
        self.bots = 0
        self.truncated = False
        self._top_mores: list[MoreComments] = []
        self._reply_mores: list[MoreComments] = []
        self._permalinks: dict[str, str] = {}  # t1_ fullname -> permalink, for parents

    def wanted(self, limit: int) -> bool:
        count = len(self.comments) if self.replies else self.top_level
        return count < limit and len(self.comments) < self.site.config.max_comments

    def has_more(self) -> bool:
        return bool(self._top_mores or (self.replies and self._reply_mores))

    def next_more(self) -> MoreComments | None:
        if self._top_mores:
            return self._top_mores.pop(0)
        if self.replies and self._reply_mores:
            return self._reply_mores.pop(0)
        return None

    def walk(self, items: Iterable[Any]) -> None:
        for item in items:
            if isinstance(item, MoreComments):
                # stubs that came with /api/morechildren do not know their thread yet
                # (asyncpraw's own replace_more sets this too)
                item.submission = self.submission
                top = item.parent_id.startswith("t3_")
                (self._top_mores if top else self._reply_mores).append(item)
                continue
            parent_id = item.parent_id
            top = parent_id.startswith("t3_")
            permalink = f"{PUBLIC}{item.permalink}"
            self._permalinks[f"t1_{item.id}"] = permalink
            author = item.author.name if item.author is not None else ""
            if not author or item.body in GONE:
                self.deleted += 1
            elif self.site.skipped_author(author):
                self.bots += 1
            elif top or self.replies:
                self.comments.append(
                    ThreadComment(
                        text=markdown_to_text(item.body),
                        permalink=permalink,
                        author=author,
                        score=int(item.score),
                        posted_at=datetime.fromtimestamp(item.created_utc, UTC),
                        parent=None if top else self._permalinks.get(parent_id, parent_id),
                    )
                )
                self.top_level += top
            if self.replies:
                self.walk(item.replies)
