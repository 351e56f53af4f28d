"""What every site adapter shares: the HTTP calls with their faults, and the site's shape.

A site turns a URL into a thread (`Site.thread`) or a post (`Site.post`). Faults common to all
sites (timeouts, 5xx, 429 past the wait we accept, malformed JSON) become one `SourceFault`
sentence here, so each site module handles only what its own API says.
"""

from __future__ import annotations

import asyncio
import json
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar
from urllib.parse import SplitResult

import aiohttp

from bot.config import SourcesConfig
from bot.core.threads import (
    Progress,
    SourceFault,
    SourcePost,
    Thread,
    ThreadComment,
)

RETRIES_ON_429 = 3

# Handed each page's comments as a site reads them, so that work on them (their languages)
# goes on while the next page is read. Returns at once.
PagesRead = Callable[[Sequence[ThreadComment]], None]


@dataclass(frozen=True)
class Answer:
    """A site's answer that was not a fault common to all sites: its status and JSON."""

    status: int
    data: Any
    site: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def fail(self) -> SourceFault:
        """The sentence for a 4xx the site module has no more specific one for."""
        if self.status == 404:
            return SourceFault("sources.not_found", site=self.site)
        if self.status in (401, 403):
            return SourceFault("sources.forbidden", site=self.site, status=self.status)
        return SourceFault("sources.refused", site=self.site, status=self.status)


def retry_after(value: str | None, default: float = 1.0) -> float:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return default


class Http:
    """JSON over one aiohttp session, for one site, within the configured bounds."""

    def __init__(self, session: aiohttp.ClientSession, config: SourcesConfig, site: str) -> None:
        self.session = session
        self.config = config
        self.site = site
        self.pages = 0

    def page(self) -> bool:
        """Count one page; False once the configured bound is reached (stop reading)."""
        if self.pages >= self.config.max_pages:
            return False
        self.pages += 1
        return True

    async def get(
        self,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """GET `url` as JSON; 4xx are returned for the site to explain, the rest raise."""
        for attempt in range(RETRIES_ON_429 + 1):
            try:
                async with self.session.get(
                    url,
                    params=params,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=self.config.timeout),
                ) as response:
                    status = response.status
                    body = await response.read()
                    wait = retry_after(response.headers.get("Retry-After"))
            except TimeoutError:
                raise SourceFault(
                    "sources.timeout", site=self.site, seconds=f"{self.config.timeout:g}"
                ) from None
            except aiohttp.ClientError:
                raise SourceFault("sources.unreachable", site=self.site) from None
            if status == 429:
                if wait > self.config.max_retry_wait or attempt == RETRIES_ON_429:
                    raise SourceFault("sources.rate_limited", site=self.site, seconds=round(wait))
                await asyncio.sleep(wait)
                continue
            if status >= 500:
                raise SourceFault("sources.server_error", site=self.site, status=status)
            return Answer(status, self.decode(body, required=200 <= status < 300), self.site)
        raise AssertionError("unreachable")  # pragma: no cover

    def decode(self, body: bytes, *, required: bool) -> Any:
        try:
            return json.loads(body) if body.strip() else None
        except ValueError:
            if required:
                raise self.malformed() from None
            return None

    def malformed(self) -> SourceFault:
        return SourceFault("sources.malformed", site=self.site)


@dataclass(frozen=True)
class Ask:
    """One read of a site: the thread or post (its id in the link, and the link) and, for a
    thread, how much of it."""

    ref: str
    url: SplitResult
    limit: int = 0
    replies: bool = False
    progress: Progress | None = None
    pages: PagesRead | None = None

    def read(self, comments: Sequence[ThreadComment]) -> None:
        """Hand on a page's comments just read (see `PagesRead`)."""
        if self.pages is not None and comments:
            self.pages(comments)


@dataclass(frozen=True)
class Credentials:
    """Secrets from the environment; None where unset."""

    reddit_client_id: str | None = None
    reddit_client_secret: str | None = None
    x_bearer_token: str | None = None
    youtube_api_key: str | None = None


class Site(ABC):
    """One site: which URLs are its threads, and how to read a thread and a post."""

    kind: ClassVar[str]
    name: ClassVar[str]
    example: ClassVar[str]  # a thread URL, for the "not a thread" sentence

    def __init__(self, config: SourcesConfig, credentials: Credentials) -> None:
        self.config = config
        self.credentials = credentials

    @abstractmethod
    def owns(self, url: SplitResult) -> bool:
        """Whether the URL is on this site at all (a thread or not)."""

    @abstractmethod
    def ref(self, url: SplitResult) -> str | None:
        """The thread's id in the URL, or None if the URL is the site's but no thread."""

    @abstractmethod
    async def thread(self, session: aiohttp.ClientSession, ask: Ask) -> Thread:
        """Up to `ask.limit` comments of the thread, best first where the site ranks them."""

    @abstractmethod
    async def post(self, session: aiohttp.ClientSession, ask: Ask) -> SourcePost:
        """The post itself: its text, author, handle and date."""

    def fail(self, answer: Answer) -> SourceFault:
        """The sentence for a 4xx answer; sites whose errors say more override this."""
        return answer.fail()

    async def json(
        self,
        http: Http,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A JSON object from the site, or the sentence for what went wrong."""
        answer = await http.get(url, params=params, headers=headers)
        if not answer.ok:
            raise self.fail(answer)
        if not isinstance(answer.data, dict):
            raise http.malformed()
        return answer.data

    def require(self, value: str | None, variable: str) -> str:
        if not value:
            raise SourceFault("sources.credential", site=self.name, variable=variable)
        return value

    def not_a_thread(self) -> SourceFault:
        return SourceFault("sources.not_a_thread", site=self.name, example=self.example)

    def skipped_author(self, author: str) -> bool:
        return author.casefold() in {name.casefold() for name in self.config.skip_authors}


def parsed(call: Callable[[], Any], http: Http) -> Any:
    """Run a parse step; a shape the site's API does not document is a malformed answer."""
    try:
        return call()
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        raise http.malformed() from None


def day(moment: datetime) -> str:
    """A post's date as an article shows it under the post: "January 18, 2026"."""
    return f"{moment:%B} {moment.day}, {moment.year}"


def timestamp(value: str) -> datetime:
    """An ISO 8601 time as the APIs write it ("2026-01-18T09:30:00Z", with or without
    fractions)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
