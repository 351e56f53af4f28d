"""YouTube through the Data API v3 (`commentThreads`, paged by `nextPageToken`) and oEmbed.

Threads come in relevance order, 100 a page, each top-level comment with the replies YouTube
includes beside it (a handful; the rest would cost a request per thread, so they are left).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import SplitResult, parse_qs

import aiohttp

from bot.core.threads import SourceFault, SourcePost, Thread, ThreadComment
from bot.sources.base import Answer, Ask, Http, Site, parsed, timestamp

HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"})
VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
PATHS = re.compile(r"^/(?:shorts|live|embed|v)/([A-Za-z0-9_-]{11})(?:/|$)")
WATCH = "https://www.youtube.com/watch?v={video}"


class YouTube(Site):
    kind = "youtube"
    name = "YouTube"
    example = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"

    def owns(self, url: SplitResult) -> bool:
        host = (url.hostname or "").lower()
        return host in HOSTS or host == "youtu.be"

    def ref(self, url: SplitResult) -> str | None:
        host = (url.hostname or "").lower()
        if host == "youtu.be":
            video = url.path.strip("/").split("/")[0]
        elif url.path.rstrip("/") == "/watch":
            video = (parse_qs(url.query).get("v") or [""])[0]
        else:
            match = PATHS.match(url.path)
            video = match.group(1) if match else ""
        return video if VIDEO_ID.match(video) else None

    def fail(self, answer: Answer) -> SourceFault:
        """YouTube names what is wrong in `error.errors[].reason`."""
        reasons = set()
        if isinstance(answer.data, dict):
            error = answer.data.get("error")
            found = error.get("errors") if isinstance(error, dict) else None
            reasons = {e.get("reason") for e in found or () if isinstance(e, dict)}
        if "commentsDisabled" in reasons:
            return SourceFault("sources.comments_disabled", site=self.name)
        if "videoNotFound" in reasons or answer.status == 404:
            return SourceFault("sources.not_found", site=self.name)
        if reasons & {"quotaExceeded", "rateLimitExceeded", "dailyLimitExceeded"}:
            return SourceFault("sources.youtube_quota")
        if reasons & {"keyInvalid", "badRequest"} and answer.status == 400:
            return SourceFault("sources.youtube_key")
        if "forbidden" in reasons or answer.status == 403:
            return SourceFault("sources.youtube_forbidden")
        return answer.fail()

    async def thread(self, session: aiohttp.ClientSession, ask: Ask) -> Thread:
        ref, replies, progress = ask.ref, ask.replies, ask.progress
        key = self.require(self.credentials.youtube_api_key, "YOUTUBE_API_KEY")
        http = Http(session, self.config, self.name)
        limit = min(ask.limit, self.config.max_comments)
        endpoint = f"{self.config.youtube_api_url.rstrip('/')}/youtube/v3/commentThreads"
        params: dict[str, Any] = {
            "part": "snippet,replies" if replies else "snippet",
            "videoId": ref,
            "maxResults": 100,
            "order": "relevance",
            "textFormat": "plainText",
            "key": key,
        }
        comments: list[ThreadComment] = []
        token: str | None = None
        truncated = False
        while len(comments) < limit:
            if not http.page():
                truncated = True
                break
            data = await self.json(
                http, endpoint, params={**params, **({"pageToken": token} if token else {})}
            )
            page, token = parsed(lambda d=data: _page(d, ref, replies), http)
            comments.extend(page)
            ask.read(page)
            if progress is not None:
                await progress(len(comments))
            if not token:
                break
        if len(comments) >= self.config.max_comments and token:
            truncated = True
        return Thread(
            site=self.name,
            kind=self.kind,
            url=WATCH.format(video=ref),
            comments=tuple(comments),
            truncated=truncated,
        )

    async def post(self, session: aiohttp.ClientSession, ask: Ask) -> SourcePost:
        ref = ask.ref
        http = Http(session, self.config, self.name)
        answer = await http.get(
            f"{self.config.youtube_oembed_url.rstrip('/')}/oembed",
            params={"url": WATCH.format(video=ref), "format": "json"},
        )
        if answer.status in (401, 403):
            raise SourceFault("sources.private", site=self.name)
        if not answer.ok:
            raise answer.fail()

        def build() -> SourcePost:
            data = answer.data
            author_url = str(data.get("author_url") or "")
            handle = author_url.rsplit("/", 1)[-1].lstrip("@") if "/@" in author_url else ""
            return SourcePost(
                url=WATCH.format(video=ref),
                text=str(data["title"]),
                author=str(data.get("author_name") or ""),
                handle=handle,
            )

        return parsed(build, http)


def _page(
    data: dict[str, Any], video: str, replies: bool
) -> tuple[list[ThreadComment], str | None]:
    comments = []
    for thread in data["items"]:
        top = thread["snippet"]["topLevelComment"]
        comments.append(_comment(top, video, None))
        if replies:
            parent = comments[-1].permalink
            for reply in (thread.get("replies") or {}).get("comments") or ():
                comments.append(_comment(reply, video, parent))
    return comments, data.get("nextPageToken") or None


def _comment(item: dict[str, Any], video: str, parent: str | None) -> ThreadComment:
    snippet = item["snippet"]
    text = snippet.get("textOriginal") or snippet.get("textDisplay") or ""
    return ThreadComment(
        text=str(text).strip(),
        permalink=f"{WATCH.format(video=video)}&lc={item['id']}",
        author=str(snippet.get("authorDisplayName") or "").lstrip("@"),
        score=int(snippet.get("likeCount") or 0),
        posted_at=timestamp(snippet["publishedAt"]),
        parent=parent,
    )
