"""Bluesky through the public AppView, no login: `app.bsky.feed.getPostThread`.

A link names the author by handle; the thread is asked for by its at:// URI, which the AppView
resolves from handle or DID alike. One request brings the whole tree down to `depth`.
Link facets give the full address where the post's text shows a shortened one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, quote

import aiohttp

from bot.core.threads import SourceFault, SourcePost, Thread, ThreadComment
from bot.sources.base import Answer, Ask, Http, Site, day, parsed, timestamp
from bot.sources.text import link_text

VIEW = "app.bsky.feed.defs#threadViewPost"
GONE = ("app.bsky.feed.defs#notFoundPost", "app.bsky.feed.defs#blockedPost")
NO_LOGGED_OUT = "!no-unauthenticated"
ADULT = frozenset({"porn", "sexual", "nudity", "graphic-media"})
# How deep replies are read when replies are asked for (the AppView allows up to 1000).
REPLY_DEPTH = 10


class Bluesky(Site):
    kind = "bluesky"
    name = "Bluesky"
    example = "https://bsky.app/profile/someone.bsky.social/post/3kabc…"

    def owns(self, url: SplitResult) -> bool:
        return (url.hostname or "").lower() in ("bsky.app", "www.bsky.app")

    def ref(self, url: SplitResult) -> str | None:
        parts = url.path.strip("/").split("/")
        if len(parts) == 4 and parts[0] == "profile" and parts[2] == "post" and parts[3]:
            return f"at://{parts[1]}/app.bsky.feed.post/{parts[3]}"
        return None

    def fail(self, answer: Answer) -> SourceFault:
        data = answer.data if isinstance(answer.data, dict) else {}
        if answer.status == 400 and data.get("error") in ("NotFound", "InvalidRequest"):
            return SourceFault("sources.not_found", site=self.name)
        return answer.fail()

    async def view(self, http: Http, ref: str, depth: int) -> dict[str, Any]:
        http.page()
        answer = await self.json(
            http,
            f"{self.config.bluesky_url.rstrip('/')}/xrpc/app.bsky.feed.getPostThread",
            params={"uri": ref, "depth": depth, "parentHeight": 0},
        )
        thread = answer.get("thread")
        if not isinstance(thread, dict):
            raise http.malformed()
        if thread.get("$type") in GONE:
            raise SourceFault("sources.not_found", site=self.name)
        labels = {label.get("val") for label in thread.get("post", {}).get("labels") or ()}
        if NO_LOGGED_OUT in labels:
            raise SourceFault("sources.private", site=self.name)
        if labels & ADULT:
            raise SourceFault("sources.age_restricted", site=self.name)
        return thread

    async def thread(self, session: aiohttp.ClientSession, ask: Ask) -> Thread:
        ref, replies, progress = ask.ref, ask.replies, ask.progress
        http = Http(session, self.config, self.name)
        root = await self.view(http, ref, REPLY_DEPTH if replies else 1)
        comments: list[ThreadComment] = []
        deleted = 0

        def walk(nodes: list[Any], parent: str | None) -> None:
            nonlocal deleted
            for node in nodes:
                if len(comments) >= self.config.max_comments:
                    return
                if node.get("$type") != VIEW:
                    deleted += 1
                    continue
                comment = _comment(node["post"], parent)
                comments.append(comment)
                if replies:
                    walk(node.get("replies") or [], comment.permalink)

        parsed(lambda: walk(root.get("replies") or [], None), http)
        if progress is not None:
            await progress(len(comments))
        post = root["post"]
        return Thread(
            site=self.name,
            kind=self.kind,
            url=_permalink(post),
            title=str(post.get("record", {}).get("text") or "")[:80],
            comments=tuple(comments),
            deleted=deleted,
            truncated=len(comments) >= self.config.max_comments,
        )

    async def post(self, session: aiohttp.ClientSession, ask: Ask) -> SourcePost:
        ref = ask.ref
        http = Http(session, self.config, self.name)
        root = await self.view(http, ref, 0)

        def build() -> SourcePost:
            post = root["post"]
            author = post["author"]
            return SourcePost(
                url=_permalink(post),
                text=_text(post["record"]),
                author=str(author.get("displayName") or author["handle"]),
                handle=str(author["handle"]),
                date=day(timestamp(post["record"]["createdAt"])),
            )

        return parsed(build, http)


def _permalink(post: dict[str, Any]) -> str:
    rkey = str(post["uri"]).rsplit("/", 1)[-1]
    return f"https://bsky.app/profile/{quote(post['author']['handle'])}/post/{rkey}"


def _text(record: dict[str, Any]) -> str:
    """The post's text with each link facet's full address (facets index UTF-8 bytes)."""
    raw = str(record.get("text") or "").encode("utf-8")
    links = []
    for facet in record.get("facets") or ():
        index = facet.get("index") or {}
        for feature in facet.get("features") or ():
            if feature.get("$type") == "app.bsky.richtext.facet#link" and feature.get("uri"):
                links.append((int(index["byteStart"]), int(index["byteEnd"]), str(feature["uri"])))
    out, at = [], 0
    for start, end, uri in sorted(links):
        if start < at or end > len(raw):
            continue  # overlapping or out of range: keep the text as written
        out.append(raw[at:start].decode("utf-8", "replace"))
        out.append(link_text(raw[start:end].decode("utf-8", "replace"), uri))
        at = end
    out.append(raw[at:].decode("utf-8", "replace"))
    return "".join(out).strip()


def _comment(post: dict[str, Any], parent: str | None) -> ThreadComment:
    author = post["author"]
    return ThreadComment(
        text=_text(post["record"]),
        permalink=_permalink(post),
        author=str(author.get("displayName") or author.get("handle") or ""),
        score=int(post.get("likeCount") or 0),
        posted_at=timestamp(post["record"]["createdAt"])
        if post["record"].get("createdAt")
        else None,
        parent=parent,
    )
