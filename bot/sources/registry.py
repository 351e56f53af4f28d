"""The sites hanno reads, recognised from a URL, behind the core's `CommentSource`.

One aiohttp session per import (closed when it ends); each site's module does the reading;
this module adds what every site's comments need: bots named in the config left out, and
(when the core asks) the language of each comment, detected offline in a process of its own,
started for each page while the next page is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import SplitResult, urlsplit

import aiohttp

from bot.config import SourcesConfig
from bot.core.threads import SourceFault, SourcePost, Thread, ThreadComment
from bot.sources.base import Ask, Credentials, Progress, Site
from bot.sources.bluesky import Bluesky
from bot.sources.hackernews import HackerNews
from bot.sources.language import Detector
from bot.sources.mastodon import Mastodon
from bot.sources.reddit import Reddit
from bot.sources.x import X
from bot.sources.youtube import YouTube

# Mastodon last: it recognises any host by the shape of the path.
SITES: tuple[type[Site], ...] = (Reddit, X, YouTube, HackerNews, Bluesky, Mastodon)
READABLE = "Reddit, X (Twitter), YouTube, Hacker News, Bluesky and Mastodon"


class SourceRegistry:
    """Reads threads and posts from every site in `SITES` (the core's `CommentSource`)."""

    def __init__(
        self,
        config: SourcesConfig,
        credentials: Credentials | None = None,
        detector: Detector | None = None,
    ) -> None:
        self.config = config
        credentials = credentials or Credentials()
        self.sites = [site(config, credentials) for site in SITES]
        self.detector = detector or Detector(config.languages, fast=config.detection == "fast")

    def find(self, url: str) -> tuple[Site, str, SplitResult]:
        """The site, the thread's id and the parsed URL; a sentence for anything else."""
        text = url.strip().strip("<>")
        parts = urlsplit(text if "://" in text else f"https://{text}")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourceFault("sources.unknown_url", sites=READABLE)
        for site in self.sites:
            if site.owns(parts):
                ref = site.ref(parts)
                if ref is None:
                    raise site.not_a_thread()
                return site, ref, parts
        raise SourceFault("sources.unknown_url", sites=READABLE)

    def recognise(self, url: str) -> str:
        return self.find(url)[0].kind

    def session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            headers={"User-Agent": self.config.user_agent, "Accept": "application/json"},
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.config.timeout),
        )

    async def fetch_thread(
        self, url: str, *, limit: int, replies: bool, progress: Progress | None = None
    ) -> Thread:
        site, ref, parts = self.find(url)
        # the models start loading (once per process) while the first page comes in, and
        # each page's languages are detected while the next is read: `detect` then finds
        # the answers for the comments the core keeps
        self.detector.prepare()
        ask = Ask(
            ref,
            parts,
            limit,
            replies,
            progress,
            lambda page: self.detector.ahead([c.text for c in page]),
        )
        async with self.session() as session:
            thread = await site.thread(session, ask)
        return await self.finish(thread)

    async def fetch_post(self, url: str) -> SourcePost:
        site, ref, parts = self.find(url)
        async with self.session() as session:
            return await site.post(session, Ask(ref, parts))

    async def finish(self, thread: Thread) -> Thread:
        """Bots named in the config left out (sites that know no bots of their own)."""
        skip = {name.casefold() for name in self.config.skip_authors}
        kept = tuple(c for c in thread.comments if c.author.casefold() not in skip)
        return thread.model_copy(
            update={"comments": kept, "bots": thread.bots + len(thread.comments) - len(kept)}
        )

    async def detect(self, comments: Sequence[ThreadComment]) -> list[ThreadComment]:
        found = await self.detector.detect([c.text for c in comments])
        return [
            c.model_copy(update={"language": language, "language_uncertain": uncertain})
            for c, (language, uncertain) in zip(comments, found, strict=True)
        ]
