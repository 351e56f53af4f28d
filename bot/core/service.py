"""The one object every front end calls: all workflow areas over one store and one policy.

Each area (`bot.core.areas.*`) owns its commands, rules and events; the shared checks live in
`bot.core.area.Area`. `HannoService` only combines them, so the front ends and the dispatcher
keep one object and one set of method names however many areas there are. It is built with
`Area.__init__`'s arguments plus any an area adds in its own `__init__` (see `bot/wiring.py`).
"""

from __future__ import annotations

from bot.core.area import Renderer, Store
from bot.core.areas.articles import ArticlesArea, NumberField, TextField
from bot.core.areas.blogs import BlogsArea
from bot.core.areas.comments import CommentsArea, VoteChoice
from bot.core.areas.publishing import Poster, PublishFailed, PublishingArea, PublishResult
from bot.core.areas.review import Draft, ReviewArea
from bot.core.areas.selection import SelectionArea, select
from bot.core.areas.translation import TranslationArea

__all__ = [
    "Draft",
    "HannoService",
    "NumberField",
    "Poster",
    "PublishFailed",
    "PublishResult",
    "Renderer",
    "Store",
    "TextField",
    "VoteChoice",
    "select",
]


class HannoService(
    ArticlesArea,
    CommentsArea,
    SelectionArea,
    TranslationArea,
    ReviewArea,
    PublishingArea,
    BlogsArea,
):
    """The workflow, area by area (see each base class), behind one set of method names."""

    # front-end references: which platform message shows what, kept across restarts ----------

    async def get_ref(self, space: str, kind: str, key: str) -> tuple[str, str] | None:
        async with self.store.transaction() as tx:
            return await tx.get_ref(space, kind, key)

    async def set_ref(self, space: str, kind: str, key: str, channel: str, message_id: str) -> None:
        async with self.store.transaction() as tx:
            await tx.set_ref(space, kind, key, channel, message_id)
