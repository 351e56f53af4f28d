"""The threads the site fakes serve, and the helpers every site's shapes use."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

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


def video_id(number: int) -> str:
    return f"v{number:010d}"[-11:]


def rkey(number: int) -> str:
    return f"3k{b36(number)}"


def html_of(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "<p>".join(escaped.split("\n\n"))


class SiteState:
    """What every site's routes read: the threads a test added and the switches it set."""

    threads: dict[int, FakeThread]
    by_b36: dict[str, FakeThread]
    comments: dict[int, tuple[FakeComment, FakeThread, FakeComment | None]]
    reddit_page: int
    x_tier_forbidden: bool
    youtube_reason: str | None
