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
import base64
import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.config import SourcesConfig
from bot.sources import Credentials, SourceRegistry
from bot.sources.language import Detector

SITES = ("reddit", "x", "hackernews", "youtube", "bluesky", "mastodon")
EPOCH = 1_768_000_000  # January 2026
CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"
X_TOKEN = "fake-x-bearer"
YOUTUBE_KEY = "fake-youtube-key"
REDDIT_TOKEN = "fake-reddit-access-token"
# The environment variables hanno reads the sites' credentials from, as Settings arguments.
SOURCE_SECRETS = {
    "REDDIT_CLIENT_ID": CLIENT_ID,
    "REDDIT_CLIENT_SECRET": CLIENT_SECRET,
    "X_BEARER_TOKEN": X_TOKEN,
    "YOUTUBE_API_KEY": YOUTUBE_KEY,
}

_ids = itertools.count(40_000_001)
WORDS = (
    "clerk train sketchbook kind honest station return lovely quiet snow river city old young "
    "people country respect small story heart world simple thing really always never would "
    "every morning evening travel visit school family friend teacher lesson culture trust"
).split()


def comment_text(i: int) -> str:
    """An English sentence of its own for each i: generated comments that differ only in a
    number would be near-duplicates of each other."""
    words = random.Random(i).sample(WORDS, 9)
    return f"{' '.join(words).capitalize()}, number {i}."


@dataclass
class FakeComment:
    text: str
    author: str = "someone"
    score: int = 1
    replies: list[FakeComment] = field(default_factory=list)
    deleted: bool = False
    removed: bool = False
    bot: bool = False  # Mastodon's account.bot
    id: int = field(default_factory=lambda: next(_ids))


@dataclass
class FakeThread:
    """One post and its comments, served by every site under the same numeric id."""

    comments: list[FakeComment]
    id: int = field(default_factory=lambda: next(_ids))
    title: str = "Station clerk cycles 20 km to return a lost sketchbook"
    text: str = "The clerk found it on the last train."
    author: str = "poster"
    over_18: bool = False
    locked: bool = False
    removed: bool = False
    private: bool = False  # Bluesky's !no-unauthenticated label, Mastodon's 401

    def walk(self) -> list[tuple[FakeComment, FakeComment | None, int]]:
        """(comment, parent, depth) depth first, in the order sites show them."""
        out: list[tuple[FakeComment, FakeComment | None, int]] = []

        def visit(items: list[FakeComment], parent: FakeComment | None, depth: int) -> None:
            for item in items:
                out.append((item, parent, depth))
                visit(item.replies, item, depth + 1)

        visit(sorted(self.comments, key=lambda c: -c.score), None, 0)
        return out

    @property
    def top(self) -> list[FakeComment]:
        return sorted(self.comments, key=lambda c: -c.score)


@dataclass
class Fault:
    status: int = 500
    body: Any = None  # dict -> JSON; bytes -> as is
    times: int = 1
    retry_after: str | None = None
    delay: float = 0.0


@dataclass
class Request:
    site: str
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


def b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def when(item_id: int) -> int:
    return EPOCH + item_id % 100_000


def iso(item_id: int) -> str:
    return datetime.fromtimestamp(when(item_id), UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class SourcesFake:
    def __init__(self) -> None:
        self.threads: dict[int, FakeThread] = {}
        self.by_b36: dict[str, FakeThread] = {}
        self.comments: dict[int, tuple[FakeComment, FakeThread, FakeComment | None]] = {}
        self.faults: dict[str, list[Fault]] = {}
        self.requests: list[Request] = []
        self.reddit_page = 100  # comments in Reddit's first listing before `more` stubs
        self.x_tier_forbidden = False
        self.youtube_reason: str | None = None
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
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
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

    # Reddit --------------------------------------------------------------------------------

    async def _reddit_token(self, request: web.Request) -> web.Response:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        form = await request.post()
        if request.headers.get("Authorization") != f"Basic {expected}":
            return web.json_response({"message": "Unauthorized", "error": 401}, status=401)
        if form.get("grant_type") != "client_credentials":
            return web.json_response({"error": "unsupported_grant_type"})
        return web.json_response(
            {
                "access_token": REDDIT_TOKEN,
                "token_type": "bearer",
                "expires_in": 86400,
                "scope": "*",
            }
        )

    def _reddit_auth(self, request: web.Request) -> web.Response | None:
        if request.headers.get("Authorization") != f"bearer {REDDIT_TOKEN}":
            return web.json_response({"message": "Unauthorized", "error": 401}, status=401)
        return None

    async def _reddit_comments(self, request: web.Request) -> web.Response:
        if (denied := self._reddit_auth(request)) is not None:
            return denied
        thread = self.by_b36.get(request.match_info["id"])
        if thread is None:
            return web.json_response({"message": "Not Found", "error": 404}, status=404)
        if thread.private:
            return web.json_response(
                {"reason": "private", "message": "Forbidden", "error": 403}, status=403
            )
        budget = min(int(request.query.get("limit", 200)), self.reddit_page)
        listing, used = [], 0
        top = thread.top
        for index, comment in enumerate(top):
            if used >= budget:
                rest = [c.id for c in top[index:]]
                for start in range(0, len(rest), 100):
                    listing.append(_reddit_more(thread, rest[start : start + 100], None, 0))
                break
            thing, used = self._reddit_tree(thread, comment, None, 0, used, budget)
            listing.append(thing)
        return web.json_response(
            [
                _listing([{"kind": "t3", "data": _reddit_submission(thread)}]),
                _listing(listing),
            ]
        )

    def _reddit_tree(
        self,
        thread: FakeThread,
        comment: FakeComment,
        parent: FakeComment | None,
        depth: int,
        used: int,
        budget: int,
    ) -> tuple[dict[str, Any], int]:
        used += 1
        children: list[dict[str, Any]] = []
        replies = sorted(comment.replies, key=lambda c: -c.score)
        for index, reply in enumerate(replies):
            if used >= budget:
                children.append(
                    _reddit_more(thread, [r.id for r in replies[index:]], comment, depth + 1)
                )
                break
            thing, used = self._reddit_tree(thread, reply, comment, depth + 1, used, budget)
            children.append(thing)
        data = _reddit_comment(thread, comment, parent, depth)
        data["replies"] = _listing(children) if children else ""
        return {"kind": "t1", "data": data}, used

    async def _reddit_more(self, request: web.Request) -> web.Response:
        if (denied := self._reddit_auth(request)) is not None:
            return denied
        form = await request.post()
        things: list[dict[str, Any]] = []

        def flat(
            comment: FakeComment, thread: FakeThread, parent: FakeComment | None, depth: int
        ) -> None:
            """The comment, then its whole subtree, flat with parent ids (Reddit's shape)."""
            data = _reddit_comment(thread, comment, parent, depth)
            data["replies"] = ""
            things.append({"kind": "t1", "data": data})
            for reply in sorted(comment.replies, key=lambda c: -c.score):
                flat(reply, thread, comment, depth + 1)

        for raw in str(form.get("children", "")).split(","):
            found = self.comments.get(int(raw, 36)) if raw else None
            if found is not None:
                comment, thread, parent = found
                flat(comment, thread, parent, 0 if parent is None else 1)
        return web.json_response({"json": {"errors": [], "data": {"things": things}}})

    # X -------------------------------------------------------------------------------------

    def _x_auth(self, request: web.Request) -> web.Response | None:
        if request.headers.get("Authorization") != f"Bearer {X_TOKEN}":
            return web.json_response(
                {
                    "title": "Unauthorized",
                    "type": "about:blank",
                    "status": 401,
                    "detail": "Unauthorized",
                },
                status=401,
            )
        if self.x_tier_forbidden:
            return web.json_response(
                {
                    "client_id": "12345",
                    "detail": "When authenticating requests to the Twitter API v2 endpoints, you "
                    "must use keys and tokens from a Twitter developer App that is attached to a "
                    "Project. You can create a project via the developer portal.",
                    "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
                    "title": "Client Forbidden",
                    "required_enrollment": "Appropriate Level of API Access",
                    "reason": "client-not-enrolled",
                    "type": "https://api.twitter.com/2/problems/client-forbidden",
                },
                status=403,
            )
        return None

    async def _x_tweet(self, request: web.Request) -> web.Response:
        if (denied := self._x_auth(request)) is not None:
            return denied
        thread = self.threads.get(int(request.match_info["id"]))
        if thread is None or thread.removed:
            tid = request.match_info["id"]
            return web.json_response(
                {
                    "errors": [
                        {
                            "value": tid,
                            "detail": f"Could not find tweet with id: [{tid}].",
                            "title": "Not Found Error",
                            "resource_type": "tweet",
                            "parameter": "id",
                            "resource_id": tid,
                            "type": "https://api.twitter.com/2/problems/resource-not-found",
                        }
                    ]
                }
            )
        return web.json_response(
            {
                "data": {
                    "id": str(thread.id),
                    "text": thread.text,
                    "conversation_id": str(thread.id),
                    "author_id": "1",
                    "created_at": iso(thread.id),
                    "edit_history_tweet_ids": [str(thread.id)],
                }
            }
        )

    async def _x_search(self, request: web.Request) -> web.Response:
        if (denied := self._x_auth(request)) is not None:
            return denied
        query = request.query.get("query", "")
        thread = self.threads.get(int(query.removeprefix("conversation_id:") or 0))
        walked = [] if thread is None else [w for w in thread.walk() if not w[0].deleted]
        size = int(request.query.get("max_results", 10))
        start = int(request.query.get("next_token", "0") or 0)
        page = walked[start : start + size]
        if not page:
            return web.json_response({"meta": {"result_count": 0}})
        users = {}
        data = []
        for comment, parent, _ in page:
            users[comment.author] = {
                "id": str(abs(hash(comment.author)) % 10**9),
                "name": comment.author.title(),
                "username": comment.author,
            }
            replied = parent.id if parent else thread.id
            data.append(
                {
                    "id": str(comment.id),
                    "text": f"@{thread.author} {comment.text}",
                    "author_id": users[comment.author]["id"],
                    "conversation_id": str(thread.id),
                    "created_at": iso(comment.id),
                    "lang": "en",
                    "public_metrics": {
                        "retweet_count": 0,
                        "reply_count": len(comment.replies),
                        "like_count": comment.score,
                        "quote_count": 0,
                        "bookmark_count": 0,
                        "impression_count": comment.score * 10,
                    },
                    "referenced_tweets": [{"type": "replied_to", "id": str(replied)}],
                    "edit_history_tweet_ids": [str(comment.id)],
                }
            )
        meta: dict[str, Any] = {
            "newest_id": data[0]["id"],
            "oldest_id": data[-1]["id"],
            "result_count": len(data),
        }
        if start + size < len(walked):
            meta["next_token"] = str(start + size)
        return web.json_response(
            {"data": data, "includes": {"users": list(users.values())}, "meta": meta}
        )

    async def _oembed(self, request: web.Request) -> web.Response:
        url = request.query.get("url", "")
        if "youtube" in url:
            video = url.rsplit("v=", 1)[-1]
            thread = next((t for t in self.threads.values() if video_id(t.id) == video), None)
            if thread is None:
                return web.Response(status=404, text="Not Found")
            if thread.private:
                return web.Response(status=401, text="Unauthorized")
            return web.json_response(
                {
                    "title": thread.title,
                    "author_name": thread.author.title(),
                    "author_url": f"https://www.youtube.com/@{thread.author}",
                    "type": "video",
                    "height": 113,
                    "width": 200,
                    "version": "1.0",
                    "provider_name": "YouTube",
                    "provider_url": "https://www.youtube.com/",
                    "thumbnail_height": 360,
                    "thumbnail_width": 480,
                    "thumbnail_url": f"https://i.ytimg.com/vi/{video}/hqdefault.jpg",
                    "html": f'<iframe width="200" height="113" src="https://www.youtube.com/embed/{video}?feature=oembed"></iframe>',
                }
            )
        tid = url.rstrip("/").rsplit("/", 1)[-1]
        thread = self.threads.get(int(tid)) if tid.isdigit() else None
        if thread is None:
            return web.Response(status=404, text="")
        if thread.private:
            return web.Response(status=403, text="")
        day = datetime.fromtimestamp(when(thread.id), UTC)
        html = (
            f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">{thread.text} '
            f'<a href="https://t.co/abc123">https://t.co/abc123</a></p>&mdash; '
            f"{thread.author.title()} (@{thread.author}) "
            f'<a href="https://twitter.com/{thread.author}/status/{thread.id}?ref_src=twsrc%5Etfw">'
            f"{day:%B} {day.day}, {day.year}</a></blockquote>\n"
        )
        return web.json_response(
            {
                "url": f"https://twitter.com/{thread.author}/status/{thread.id}",
                "author_name": thread.author.title(),
                "author_url": f"https://twitter.com/{thread.author}",
                "html": html,
                "width": 550,
                "height": None,
                "type": "rich",
                "cache_age": "3153600000",
                "provider_name": "Twitter",
                "provider_url": "https://twitter.com",
                "version": "1.0",
            }
        )

    # Hacker News ---------------------------------------------------------------------------

    async def _hn_item(self, request: web.Request) -> web.Response:
        number = int(request.match_info["id"])
        if number in self.threads:
            thread = self.threads[number]
            return web.json_response(
                {
                    "by": thread.author,
                    "descendants": len(thread.walk()),
                    "id": thread.id,
                    "kids": [c.id for c in thread.top],
                    "score": 321,
                    "time": when(thread.id),
                    "title": thread.title,
                    "type": "story",
                    "url": "https://example.com/sketchbook",
                }
            )
        found = self.comments.get(number)
        if found is None:
            return web.json_response(None)
        comment, thread, parent = found
        if comment.deleted or comment.removed:
            return web.json_response(
                {
                    "deleted": True,
                    "id": comment.id,
                    "parent": (parent or thread).id,
                    "time": when(comment.id),
                    "type": "comment",
                }
            )
        item: dict[str, Any] = {
            "by": comment.author,
            "id": comment.id,
            "parent": (parent or thread).id,
            "text": _html(comment.text),
            "time": when(comment.id),
            "type": "comment",
        }
        if comment.replies:
            item["kids"] = [c.id for c in sorted(comment.replies, key=lambda c: -c.score)]
        return web.json_response(item)

    # YouTube -------------------------------------------------------------------------------

    async def _youtube(self, request: web.Request) -> web.Response:
        if self.youtube_reason or request.query.get("key") != YOUTUBE_KEY:
            reason = self.youtube_reason or "keyInvalid"
            status = {"commentsDisabled": 403, "videoNotFound": 404, "quotaExceeded": 403}.get(
                reason, 400
            )
            return web.json_response(
                {
                    "error": {
                        "code": status,
                        "message": reason,
                        "errors": [
                            {"message": reason, "domain": "youtube.commentThread", "reason": reason}
                        ],
                    }
                },
                status=status,
            )
        video = request.query.get("videoId", "")
        thread = next((t for t in self.threads.values() if video_id(t.id) == video), None)
        if thread is None:
            return web.json_response(
                {
                    "error": {
                        "code": 404,
                        "message": "The video identified by the videoId parameter could not be found.",
                        "errors": [{"reason": "videoNotFound", "domain": "youtube.commentThread"}],
                    }
                },
                status=404,
            )
        size = int(request.query.get("maxResults", 20))
        start = int(request.query.get("pageToken", "0") or 0)
        top = [c for c in thread.top if not c.deleted]
        with_replies = "replies" in request.query.get("part", "")
        items = []
        for comment in top[start : start + size]:
            item: dict[str, Any] = {
                "kind": "youtube#commentThread",
                "etag": f"e{comment.id}",
                "id": f"Ug{comment.id}",
                "snippet": {
                    "channelId": "UCfake",
                    "videoId": video,
                    "topLevelComment": _yt_comment(comment, video, None),
                    "canReply": True,
                    "totalReplyCount": len(comment.replies),
                    "isPublic": True,
                },
            }
            if with_replies and comment.replies:
                item["replies"] = {
                    "comments": [
                        _yt_comment(r, video, f"Ug{comment.id}") for r in comment.replies[:5]
                    ]
                }
            items.append(item)
        body: dict[str, Any] = {
            "kind": "youtube#commentThreadListResponse",
            "etag": "page",
            "pageInfo": {"totalResults": len(items), "resultsPerPage": size},
            "items": items,
        }
        if start + size < len(top):
            body["nextPageToken"] = str(start + size)
        return web.json_response(body)

    # Bluesky -------------------------------------------------------------------------------

    async def _bluesky(self, request: web.Request) -> web.Response:
        uri = request.query.get("uri", "")
        key = uri.rsplit("/", 1)[-1]
        thread = next((t for t in self.threads.values() if rkey(t.id) == key), None)
        if thread is None:
            return web.json_response(
                {"error": "NotFound", "message": f"Post not found: {uri}"}, status=400
            )
        depth = int(request.query.get("depth", 6))

        def view(comment: FakeComment | None, level: int) -> dict[str, Any]:
            if comment is not None and comment.deleted:
                return {
                    "$type": "app.bsky.feed.defs#notFoundPost",
                    "uri": f"at://x/{comment.id}",
                    "notFound": True,
                }
            node: dict[str, Any] = {
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": _bsky_post(thread, comment),
            }
            children = thread.top if comment is None else comment.replies
            if level < depth:
                node["replies"] = [view(c, level + 1) for c in children]
            return node

        return web.json_response({"thread": view(None, 0)})

    # Mastodon ------------------------------------------------------------------------------

    def _mastodon_thread(self, request: web.Request) -> FakeThread | web.Response:
        thread = self.threads.get(int(request.match_info["id"]))
        if thread is None or thread.removed:
            return web.json_response({"error": "Record not found"}, status=404)
        if thread.private:
            return web.json_response(
                {"error": "This API requires an authenticated user"}, status=401
            )
        return thread

    async def _mastodon_status(self, request: web.Request) -> web.Response:
        thread = self._mastodon_thread(request)
        if isinstance(thread, web.Response):
            return thread
        return web.json_response(_toot(thread, thread.id, thread.author, thread.text, 0, None))

    async def _mastodon_context(self, request: web.Request) -> web.Response:
        thread = self._mastodon_thread(request)
        if isinstance(thread, web.Response):
            return thread
        descendants = [
            _toot(thread, c.id, c.author, c.text, c.score, (p or thread).id, bot=c.bot)
            for c, p, _ in thread.walk()
            if not c.deleted
        ]
        return web.json_response({"ancestors": [], "descendants": descendants})


# shapes ------------------------------------------------------------------------------------


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


def video_id(number: int) -> str:
    return f"v{number:010d}"[-11:]


def rkey(number: int) -> str:
    return f"3k{b36(number)}"


def _html(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "<p>".join(escaped.split("\n\n"))


def _listing(children: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "kind": "Listing",
        "data": {
            "after": None,
            "dist": None,
            "modhash": "",
            "geo_filter": "",
            "children": children,
            "before": None,
        },
    }


def _reddit_submission(thread: FakeThread) -> dict[str, Any]:
    tid = b36(thread.id)
    return {
        "id": tid,
        "name": f"t3_{tid}",
        "title": thread.title,
        "selftext": thread.text,
        "author": "[deleted]" if thread.removed else thread.author,
        "author_fullname": f"t2_{thread.author}",
        "created_utc": float(when(thread.id)),
        "num_comments": len(thread.walk()),
        "over_18": thread.over_18,
        "locked": thread.locked,
        "removed_by_category": "deleted" if thread.removed else None,
        "permalink": f"/r/japan/comments/{tid}/station_clerk/",
        "url": f"https://www.reddit.com/r/japan/comments/{tid}/station_clerk/",
        "subreddit": "japan",
        "subreddit_id": "t5_2qh2u",
        "subreddit_name_prefixed": "r/japan",
        "score": 1234,
        "ups": 1234,
        "is_self": True,
        "stickied": False,
        "archived": False,
        "spoiler": False,
        "distinguished": None,
    }


def _reddit_comment(
    thread: FakeThread, comment: FakeComment, parent: FakeComment | None, depth: int
) -> dict[str, Any]:
    tid, cid = b36(thread.id), b36(comment.id)
    gone = "[deleted]" if comment.deleted else "[removed]" if comment.removed else None
    return {
        "id": cid,
        "name": f"t1_{cid}",
        "parent_id": f"t1_{b36(parent.id)}" if parent else f"t3_{tid}",
        "link_id": f"t3_{tid}",
        "body": gone or comment.text,
        "body_html": f'&lt;div class="md"&gt;&lt;p&gt;{gone or comment.text}&lt;/p&gt;&lt;/div&gt;',
        "author": "[deleted]" if gone else comment.author,
        "score": comment.score,
        "ups": comment.score,
        "score_hidden": False,
        "created_utc": float(when(comment.id)),
        "permalink": f"/r/japan/comments/{tid}/station_clerk/{cid}/",
        "depth": depth,
        "distinguished": None,
        "stickied": False,
        "is_submitter": comment.author == thread.author,
        "subreddit": "japan",
        "subreddit_id": "t5_2qh2u",
        "edited": False,
        "collapsed": False,
        "controversiality": 0,
        "gilded": 0,
        "archived": False,
        "locked": False,
        "all_awardings": [],
    }


def _reddit_more(
    thread: FakeThread, ids: list[int], parent: FakeComment | None, depth: int
) -> dict[str, Any]:
    children = [b36(i) for i in ids]
    return {
        "kind": "more",
        "data": {
            "count": len(children),
            "name": f"t1_{children[0]}",
            "id": children[0],
            "parent_id": f"t1_{b36(parent.id)}" if parent else f"t3_{b36(thread.id)}",
            "depth": depth,
            "children": children,
        },
    }


def _yt_comment(comment: FakeComment, video: str, parent: str | None) -> dict[str, Any]:
    snippet: dict[str, Any] = {
        "channelId": "UCfake",
        "videoId": video,
        "textDisplay": _html(comment.text),
        "textOriginal": comment.text,
        "authorDisplayName": f"@{comment.author}",
        "authorProfileImageUrl": "https://yt3.ggpht.com/fake",
        "authorChannelUrl": f"http://www.youtube.com/@{comment.author}",
        "authorChannelId": {"value": f"UC{comment.author}"},
        "canRate": True,
        "viewerRating": "none",
        "likeCount": comment.score,
        "publishedAt": iso(comment.id)[:-5] + "Z",
        "updatedAt": iso(comment.id)[:-5] + "Z",
    }
    if parent:
        snippet["parentId"] = parent
    return {
        "kind": "youtube#comment",
        "etag": f"c{comment.id}",
        "id": f"Ug{comment.id}" if parent is None else f"{parent}.r{comment.id}",
        "snippet": snippet,
    }


def _bsky_post(thread: FakeThread, comment: FakeComment | None) -> dict[str, Any]:
    number = thread.id if comment is None else comment.id
    handle = f"{(thread.author if comment is None else comment.author)}.bsky.social"
    text = thread.text if comment is None else comment.text
    labels = []
    if comment is None and thread.private:
        labels.append(
            {"src": "did:plc:x", "uri": "at://x", "val": "!no-unauthenticated", "cts": iso(number)}
        )
    if comment is None and thread.over_18:
        labels.append({"src": "did:plc:mod", "uri": "at://x", "val": "porn", "cts": iso(number)})
    return {
        "uri": f"at://did:plc:{b36(number)}/app.bsky.feed.post/{rkey(number)}",
        "cid": f"bafy{number}",
        "author": {
            "did": f"did:plc:{b36(number)}",
            "handle": handle,
            "displayName": handle.split(".")[0].title(),
            "labels": [],
            "createdAt": iso(number),
        },
        "record": {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": iso(number),
            "langs": ["en"],
        },
        "replyCount": 0 if comment is None else len(comment.replies),
        "repostCount": 0,
        "likeCount": 0 if comment is None else comment.score,
        "quoteCount": 0,
        "indexedAt": iso(number),
        "labels": labels,
    }


def _toot(
    thread: FakeThread,
    number: int,
    author: str,
    text: str,
    score: int,
    parent: int | None,
    bot: bool = False,
) -> dict[str, Any]:
    return {
        "id": str(number),
        "created_at": iso(number),
        "in_reply_to_id": str(parent) if parent else None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": f"https://mastodon.example/users/{author}/statuses/{number}",
        "url": f"https://mastodon.example/@{author}/{number}",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": score,
        "content": f"<p>{_html(text)}</p>",
        "account": {
            "id": str(abs(hash(author)) % 10**9),
            "username": author,
            "acct": author,
            "display_name": author.title(),
            "bot": bot,
            "url": f"https://mastodon.example/@{author}",
        },
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
    }


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
