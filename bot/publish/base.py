"""What every blog target takes from its settings, and the marker that keeps a post single.

A post's answer can be lost after the blog made it (a timeout, a crash before hanno recorded
it), so every target's `create` first looks for a post carrying the article's `marker` (the
WordPress slug, the static file's name, a hidden comment in an AtomPub entry) and takes that
post over instead of making a second.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from bot.core.targets import BlogPost
from bot.publish.settings import TargetSettings

S = TypeVar("S", bound=TargetSettings)


def marker(post: BlogPost) -> str:
    """The article's mark on its post, the same on every attempt: `hanno-<key>`."""
    return f"hanno-{post.key}"


class Configured(Generic[S]):
    """A target's name (to pick it by), kind, `auto` flag and its own settings."""

    def __init__(self, settings: S, kind: str) -> None:
        self.settings = settings
        self.name = settings.name
        self.kind = kind
        self.auto = settings.auto
