"""Where comments are imported from: one module per site behind the core's `CommentSource`.

`SourceRegistry` recognises the site from a URL and hands back plain `Thread` records; the
core decides what becomes a candidate. Every base URL is in `[sources]` of the config.
"""

from __future__ import annotations

from bot.sources.base import Credentials
from bot.sources.duplicates import DuplicateIndex
from bot.sources.registry import READABLE, SourceRegistry

__all__ = ["READABLE", "Credentials", "DuplicateIndex", "SourceRegistry"]
