"""Hacker News through its official Firebase API: the story's `kids`, one item per request.

HN ranks a story's top-level comments in `kids` order and shows no comment scores, so the
order is kept as the site gives it and the score stays empty. Items are read a batch at a time,
`concurrency` requests in flight, never more than `max_comments` items per import.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from urllib.parse import SplitResult, parse_qs

import aiohttp

from bot.core.threads import SourceFault, SourcePost, Thread, ThreadComment
from bot.sources.base import Ask, Http, Site, day, parsed
from bot.sources.text import html_to_text

ITEM_PAGE = "https://news.ycombinator.com/item?id={id}"


class HackerNews(Site):
    kind = "hackernews"
    name = "Hacker News"
    example = "https://news.ycombinator.com/item?id=12345678"

    def owns(self, url: SplitResult) -> bool:
        return (url.hostname or "").lower() == "news.ycombinator.com"

    def ref(self, url: SplitResult) -> str | None:
        if url.path.rstrip("/") != "/item":
            return None
        ids = parse_qs(url.query).get("id", [])
        return ids[0] if ids and ids[0].isdigit() else None

    async def item(self, http: Http, number: int | str) -> dict[str, Any] | None:
        answer = await http.get(f"{self.config.hackernews_url.rstrip('/')}/v0/item/{number}.json")
        if not answer.ok:
            raise answer.fail()
        if answer.data is not None and not (isinstance(answer.data, dict) and "id" in answer.data):
            raise http.malformed()
        return answer.data

    async def story(self, http: Http, ref: str) -> dict[str, Any]:
        story = await self.item(http, ref)
        if story is None:
            raise SourceFault("sources.not_found", site=self.name)
        if story.get("deleted") or story.get("dead"):
            raise SourceFault("sources.deleted", site=self.name)
        return story

    async def thread(self, session: aiohttp.ClientSession, ask: Ask) -> Thread:
        ref, replies, progress = ask.ref, ask.replies, ask.progress
        http = Http(session, self.config, self.name)
        story = await self.story(http, ref)
        limit = min(ask.limit, self.config.max_comments)
        gate = asyncio.Semaphore(self.config.concurrency)

        async def fetch(number: int) -> dict[str, Any] | None:
            async with gate:
                return await self.item(http, number)

        comments: list[ThreadComment] = []
        deleted = bots = read = 0
        # (item id, parent permalink) still to read, in the site's order, level by level
        queue: list[tuple[int, str | None]] = [(kid, None) for kid in story.get("kids") or ()]
        while queue and len(comments) < limit and read < self.config.max_comments:
            room = min(limit - len(comments), self.config.max_comments - read)
            batch, queue = queue[:room], queue[room:]
            items = await asyncio.gather(*(fetch(number) for number, _ in batch))
            read += len(batch)
            later: list[tuple[int, str | None]] = []
            before = len(comments)
            for (number, parent), item in zip(batch, items, strict=True):
                if not isinstance(item, dict) or item.get("deleted") or item.get("dead"):
                    deleted += 1
                    continue
                author = str(item.get("by") or "")
                permalink = ITEM_PAGE.format(id=number)
                if self.skipped_author(author):
                    bots += 1
                else:
                    comments.append(parsed(lambda i=item, p=parent: _comment(i, p), http))
                if replies:
                    later.extend((kid, permalink) for kid in item.get("kids") or ())
            queue = queue + later  # breadth first: every top-level comment before any reply
            ask.read(comments[before:])
            if progress is not None:
                await progress(len(comments))
        return Thread(
            site=self.name,
            kind=self.kind,
            url=ITEM_PAGE.format(id=ref),
            title=str(story.get("title") or ""),
            comments=tuple(comments),
            deleted=deleted,
            bots=bots,
            truncated=bool(queue) and read >= self.config.max_comments,
        )

    async def post(self, session: aiohttp.ClientSession, ask: Ask) -> SourcePost:
        ref = ask.ref
        http = Http(session, self.config, self.name)
        story = await self.story(http, ref)

        def build() -> SourcePost:
            body = html_to_text(str(story.get("text") or ""))
            text = "\n\n".join(part for part in (str(story.get("title") or ""), body) if part)
            return SourcePost(
                url=ITEM_PAGE.format(id=ref),
                text=text,
                author=str(story["by"]),
                handle=str(story["by"]),
                date=day(datetime.fromtimestamp(int(story["time"]), UTC)),
            )

        return parsed(build, http)


def _comment(item: dict[str, Any], parent: str | None) -> ThreadComment:
    return ThreadComment(
        text=html_to_text(str(item.get("text") or "")),
        permalink=ITEM_PAGE.format(id=int(item["id"])),
        author=str(item.get("by") or ""),
        score=None,
        posted_at=datetime.fromtimestamp(int(item["time"]), UTC),
        parent=parent,
    )
