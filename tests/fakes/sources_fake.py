"""Fake Reddit, X, Hacker News, YouTube, Bluesky and Mastodon APIs on one 127.0.0.1 port.

A test describes a thread once (`FakeComment`s in a `FakeThread`) and every site serves it in
its own documented shape: Reddit listings with `more` stubs and /api/morechildren plus the
OAuth token endpoint, X v2 tweet lookup and recent-search pages (`includes.users`,
`meta.next_token`), HN Firebase items with `kids`, YouTube `commentThreads` pages with
`nextPageToken`, Bluesky `getPostThread` views, Mastodon statuses and contexts, and X's and
YouTube's oEmbed. The sites' paths do not collide, so one server plays all of them; each
request is recorded with the site it was for, and `fail()` scripts faults per site.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.config import SourcesConfig
from bot.sources import Credentials, SourceRegistry
from bot.sources.language import Detector
from tests.fakes.slack_fake import serve
from tests.fakes.sources.bluesky import BlueskyRoutes
from tests.fakes.sources.hackernews import HackerNewsRoutes
from tests.fakes.sources.mastodon import MastodonRoutes
from tests.fakes.sources.model import (
    CLIENT_ID,
    CLIENT_SECRET,
    SOURCE_SECRETS,
    X_TOKEN,
    YOUTUBE_KEY,
    FakeComment,
    FakeThread,
    Fault,
    Request,
    b36,
    comment_text,
    rkey,
    video_id,
)
from tests.fakes.sources.reddit import RedditRoutes
from tests.fakes.sources.x import XRoutes
from tests.fakes.sources.youtube import YouTubeRoutes


class SourcesFake(
    RedditRoutes, XRoutes, HackerNewsRoutes, YouTubeRoutes, BlueskyRoutes, MastodonRoutes
):
    def __init__(self) -> None:
        self.threads: dict[int, FakeThread] = {}
        self.by_b36: dict[str, FakeThread] = {}
        self.comments: dict[int, tuple[FakeComment, FakeThread, FakeComment | None]] = {}
        self.faults: dict[str, list[Fault]] = {}
        self.requests: list[Request] = []
        self.reddit_page = 100  # comments in Reddit's first listing before `more` stubs
        self.x_tier_forbidden = False
        self.youtube_reason: str | None = None
        # a slow site: while `held` is an unset event, requests wait for it (`holding` tells
        # a test that one is waiting)
        self.held: asyncio.Event | None = None
        self.holding = asyncio.Event()
        self.port = 0

    # setting up --------------------------------------------------------------------------

    def add(self, thread: FakeThread) -> FakeThread:
        self.threads[thread.id] = thread
        self.by_b36[b36(thread.id)] = thread
        for comment, parent, _ in thread.walk():
            self.comments[comment.id] = (comment, thread, parent)
        return thread

    def fail(self, site: str, **kwargs: Any) -> None:
        self.faults.setdefault(site, []).append(Fault(**kwargs))

    def clear(self) -> None:
        self.faults.clear()
        self.requests.clear()
        self.x_tier_forbidden = False
        self.youtube_reason = None
        self.reddit_page = 100
        self.held = None
        self.holding = asyncio.Event()

    def count(self, site: str, path_part: str = "") -> int:
        return sum(1 for r in self.requests if r.site == site and path_part in r.path)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self, **overrides: Any) -> dict[str, Any]:
        """`[sources]` settings pointing every site here."""
        base = self.url
        return {
            "reddit_oauth_url": base,
            "reddit_url": base,
            "x_api_url": base,
            "x_oembed_url": base,
            "hackernews_url": base,
            "youtube_api_url": base,
            "youtube_oembed_url": base,
            "bluesky_url": base,
            "mastodon_url": base,
            **overrides,
        }

    # links a person would paste ------------------------------------------------------------

    def link(self, site: str, thread: FakeThread) -> str:
        return {
            "reddit": f"https://www.reddit.com/r/japan/comments/{b36(thread.id)}/station_clerk/",
            "x": f"https://x.com/{thread.author}/status/{thread.id}",
            "hackernews": f"https://news.ycombinator.com/item?id={thread.id}",
            "youtube": f"https://www.youtube.com/watch?v={video_id(thread.id)}",
            "bluesky": f"https://bsky.app/profile/{thread.author}.bsky.social/post/{rkey(thread.id)}",
            "mastodon": f"https://mastodon.example/@{thread.author}/{thread.id}",
        }[site]

    # serving -------------------------------------------------------------------------------

    async def start(self) -> SourcesFake:
        app = web.Application(middlewares=[self._middleware])
        r = app.router
        r.add_post("/api/v1/access_token", self._reddit_token)
        r.add_get("/comments/{id}/", self._reddit_comments)
        r.add_get("/comments/{id}", self._reddit_comments)
        r.add_post("/api/morechildren/", self._reddit_more)
        r.add_post("/api/morechildren", self._reddit_more)
        r.add_get("/2/tweets/search/recent", self._x_search)
        r.add_get("/2/tweets/{id}", self._x_tweet)
        r.add_get("/oembed", self._oembed)
        r.add_get("/v0/item/{id}.json", self._hn_item)
        r.add_get("/youtube/v3/commentThreads", self._youtube)
        r.add_get("/xrpc/app.bsky.feed.getPostThread", self._bluesky)
        r.add_get("/api/v1/statuses/{id}/context", self._mastodon_context)
        r.add_get("/api/v1/statuses/{id}", self._mastodon_status)
        self._runner, _ = await serve(app)
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        await self._runner.cleanup()

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        site = _site_of(request)
        self.requests.append(
            Request(site, request.method, request.path, dict(request.query), dict(request.headers))
        )
        if self.held is not None and not self.held.is_set():
            self.holding.set()
            await self.held.wait()
        queue = self.faults.get(site) or []
        if queue and not request.path.endswith("access_token"):
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            if fault.delay:
                await asyncio.sleep(fault.delay)
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            if isinstance(fault.body, bytes):
                return web.Response(
                    status=fault.status, body=fault.body, headers=headers, content_type="text/html"
                )
            return web.json_response(
                fault.body if fault.body is not None else {"error": fault.status},
                status=fault.status,
                headers=headers,
            )
        return await handler(request)


def _site_of(request: web.Request) -> str:
    path = request.path
    if path.startswith(("/comments", "/api/morechildren", "/api/v1/access_token")):
        return "reddit"
    if path.startswith("/2/"):
        return "x"
    if path.startswith("/oembed"):
        return "youtube" if "youtube" in request.query.get("url", "") else "x"
    if path.startswith("/v0/"):
        return "hackernews"
    if path.startswith("/youtube/"):
        return "youtube"
    if path.startswith("/xrpc/"):
        return "bluesky"
    return "mastodon"


# --- a registry of hanno's real site clients pointed at the fake --------------------------

CREDENTIALS = Credentials(
    reddit_client_id=CLIENT_ID,
    reddit_client_secret=CLIENT_SECRET,
    x_bearer_token=X_TOKEN,
    youtube_api_key=YOUTUBE_KEY,
)
# A small set keeps the detector quick to build; it is built once per process.
DETECTOR = Detector(["en", "fr", "de", "es", "ja", "ko"])


def registry_for(
    fake: SourcesFake, credentials: Credentials = CREDENTIALS, **overrides: Any
) -> SourceRegistry:
    config = SourcesConfig(**fake.config(**{"max_retry_wait": 2.0, **overrides}))
    return SourceRegistry(config, credentials, DETECTOR)


# What tests build threads and registries with.
__all__ = [
    "CLIENT_ID",
    "CLIENT_SECRET",
    "CREDENTIALS",
    "SOURCE_SECRETS",
    "YOUTUBE_KEY",
    "FakeComment",
    "FakeThread",
    "SourcesFake",
    "comment_text",
    "registry_for",
]
