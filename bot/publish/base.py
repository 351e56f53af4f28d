"""What every blog target takes from its settings, as the core's `BlogTarget` asks for it."""

from __future__ import annotations

from typing import Generic, TypeVar

from bot.publish.settings import TargetSettings

S = TypeVar("S", bound=TargetSettings)


class Configured(Generic[S]):
    """A target's name (to pick it by), kind, `auto` flag and its own settings."""

    def __init__(self, settings: S, kind: str) -> None:
        self.settings = settings
        self.name = settings.name
        self.kind = kind
        self.auto = settings.auto
