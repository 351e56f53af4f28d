"""Mastodon: `/api/v1/statuses/:id` and its `/context`."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.sources.model import FakeThread, SiteState, html_of, iso


class MastodonRoutes(SiteState):
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
        "content": f"<p>{html_of(text)}</p>",
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
