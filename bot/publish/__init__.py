"""Blog targets: WordPress, Hatena Blog and livedoor Blog (one AtomPub client), static sites.

Each kind is one module implementing the core's `BlogTarget` (its publish-target interface); `build_targets` makes them
from the `[[publish.targets]]` settings. Base URLs come from the config, so tests point them
at local fakes; secrets come from the environment variable each target names.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.targets import BlogTarget
from bot.publish.atompub import AtomPubTarget
from bot.publish.settings import (
    AnyTargetSettings,
    HatenaSettings,
    LivedoorSettings,
    StaticSettings,
    WordPressSettings,
)
from bot.publish.static import StaticTarget
from bot.publish.wordpress import WordPressTarget

__all__ = ["AnyTargetSettings", "build_target", "build_targets"]


def build_target(settings: AnyTargetSettings) -> BlogTarget:
    if isinstance(settings, WordPressSettings):
        return WordPressTarget(settings)
    if isinstance(settings, HatenaSettings | LivedoorSettings):
        return AtomPubTarget(settings)
    if isinstance(settings, StaticSettings):
        return StaticTarget(settings)
    raise TypeError(f"no publish target for {settings!r}")


def build_targets(settings: Iterable[AnyTargetSettings]) -> list[BlogTarget]:
    """The configured targets in config order (names are checked unique by the config)."""
    return [build_target(entry) for entry in settings]
