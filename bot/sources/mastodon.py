"""Mastodon, and every ActivityPub server that speaks its API: `/api/v1/statuses/:id` and
`/api/v1/statuses/:id/context`, no login.

Any host can be a Mastodon server, so a link is recognised by its path (`/@user/<id>`) and
asked of the server in the link, unless `sources.mastodon_url` sends every request elsewhere.
Logged-out readers get a thread's first 60 descendants from Mastodon 4; that is what is read.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import SplitResult

import aiohttp

from bot.core.threads import SourceFault, SourcePost, Thread, ThreadComment
from bot.sources.base import Answer, Ask, Http, Site, day, parsed, timestamp
from bot.sources.text import html_to_text

STATUS_PATH = re.compile(r"^/(?:@[^/]+|users/[^/]+/statuses|notice)/(\d{1,20})/?$")
PROFILE_PATH = re.compile(r"^/@[^/]+")


class Mastodon(Site):
    kind = "mastodon"
    name = "Mastodon"
    example = "https://mastodon.social/@someone/112233445566778899"

    def owns(self, url: SplitResult) -> bool:
        return bool(url.hostname) and bool(
            STATUS_PATH.match(url.path) or PROFILE_PATH.match(url.path)
        )

    def ref(self, url: SplitResult) -> str | None:
        match = STATUS_PATH.match(url.path)
        return match.group(1) if match else None

    def base(self, url: SplitResult) -> str:
        return self.config.mastodon_url.rstrip("/") or f"{url.scheme}://{url.netloc}"

    def fail(self, answer: Answer) -> SourceFault:
        if answer.status in (401, 403):
            return SourceFault("sources.private", site=self.name)
        return answer.fail()

    async def get(self, http: Http, url: SplitResult, path: str) -> Any:
        http.page()
        return await self.json(http, f"{self.base(url)}/api/v1/statuses/{path}")

    async def thread(self, session: aiohttp.ClientSession, ask: Ask) -> Thread:
        ref, url, replies, progress = ask.ref, ask.url, ask.replies, ask.progress
        http = Http(session, self.config, self.name)
        status = await self.get(http, url, ref)
        context = await self.get(http, url, f"{ref}/context")

        def build() -> tuple[list[ThreadComment], int]:
            permalinks = {str(status["id"]): None}
            comments, bots = [], 0
            for item in context["descendants"]:
                parent_id = str(item.get("in_reply_to_id") or "")
                permalink = str(item.get("url") or item["uri"])
                permalinks[str(item["id"])] = permalink
                if parent_id not in permalinks:
                    continue  # a reply to something we do not show
                top = parent_id == str(status["id"])
                if not top and not replies:
                    continue
                if len(comments) >= self.config.max_comments:
                    break
                if (item.get("account") or {}).get("bot"):
                    bots += 1
                    continue
                comments.append(_comment(item, permalink, None if top else permalinks[parent_id]))
            return comments, bots

        comments, bots = parsed(build, http)
        if progress is not None:
            await progress(len(comments))
        return Thread(
            site=self.name,
            kind=self.kind,
            url=str(status.get("url") or url.geturl()),
            comments=tuple(comments),
            bots=bots,
            truncated=len(comments) >= self.config.max_comments,
        )

    async def post(self, session: aiohttp.ClientSession, ask: Ask) -> SourcePost:
        ref, url = ask.ref, ask.url
        http = Http(session, self.config, self.name)
        status = await self.get(http, url, ref)

        def build() -> SourcePost:
            account = status["account"]
            return SourcePost(
                url=str(status.get("url") or url.geturl()),
                text=_text(status),
                author=str(account.get("display_name") or account["username"]),
                handle=str(account["acct"]),
                date=day(timestamp(status["created_at"])),
            )

        return parsed(build, http)


def _text(status: dict[str, Any]) -> str:
    """The content as text, behind its content warning if it has one."""
    body = html_to_text(str(status.get("content") or ""))
    warning = str(status.get("spoiler_text") or "").strip()
    return f"{warning}\n\n{body}" if warning else body


def _comment(item: dict[str, Any], permalink: str, parent: str | None) -> ThreadComment:
    account = item.get("account") or {}
    return ThreadComment(
        text=_text(item),
        permalink=permalink,
        author=str(account.get("display_name") or account.get("acct") or ""),
        score=int(item.get("favourites_count") or 0),
        posted_at=timestamp(item["created_at"]) if item.get("created_at") else None,
        parent=parent,
    )
