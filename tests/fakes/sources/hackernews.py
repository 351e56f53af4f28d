"""Hacker News' Firebase API: one item per request, `kids` in rank order."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.sources.model import SiteState, html_of, when


class HackerNewsRoutes(SiteState):
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
            "text": html_of(comment.text),
            "time": when(comment.id),
            "type": "comment",
        }
        if comment.replies:
            item["kids"] = [c.id for c in sorted(comment.replies, key=lambda c: -c.score)]
        return web.json_response(item)
