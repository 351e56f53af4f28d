"""X API v2 (tweet lookup, recent search) and the oEmbed endpoints of X and YouTube."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.fakes.sources.model import X_TOKEN, SiteState, iso, video_id, when


class XRoutes(SiteState):
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
