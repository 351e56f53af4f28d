"""The one object every front end calls: all workflow areas over one store and one policy.

Each area (`bot.core.areas.*`) owns its commands, rules and events; the shared checks live in
`bot.core.area.Area`. `HannoService` only combines them, so the front ends and the dispatcher
keep one object and one set of method names however many areas there are. It is built with
`Area.__init__`'s arguments plus any an area adds in its own `__init__` (see `bot/wiring.py`).
"""

from __future__ import annotations

from bot.core.area import Renderer, Store
from bot.core.areas.articles import ArticlesArea, NumberField, TextField
from bot.core.areas.assist import AssistArea, Revision, SuggestResult
from bot.core.areas.blogs import BlogsArea
from bot.core.areas.comments import CommentsArea, VoteChoice
from bot.core.areas.glossary import GlossaryArea, TranslationWarnings
from bot.core.areas.importing import ImportingArea
from bot.core.areas.publishing import Poster, PublishFailed, PublishingArea, PublishResult
from bot.core.areas.review import Draft, ReviewArea
from bot.core.areas.selection import SelectionArea, select
from bot.core.areas.team import TeamArea
from bot.core.areas.translation import TranslationArea
from bot.core.errors import Conflict
from bot.core.models import Actor, Frozen
from bot.core.targets import TargetOutcome

__all__ = [
    "Draft",
    "HannoService",
    "NumberField",
    "Poster",
    "PublishFailed",
    "PublishResult",
    "Published",
    "Renderer",
    "Revision",
    "Store",
    "SuggestResult",
    "TextField",
    "TranslationWarnings",
    "VoteChoice",
    "select",
]


class Published(Frozen):
    """What `publish <a>` did: the chat parts (None if the article was already there) and
    each `auto` blog target's outcome."""

    chat: PublishResult | None
    blogs: tuple[TargetOutcome, ...] = ()


class HannoService(
    ImportingArea,  # before ArticlesArea: its add_source fills posts in, then hands on
    ArticlesArea,
    CommentsArea,
    SelectionArea,
    TranslationArea,
    ReviewArea,
    PublishingArea,
    BlogsArea,
    AssistArea,
    GlossaryArea,
    TeamArea,
):
    """The workflow, area by area (see each base class), behind one set of method names."""

    async def publish_everywhere(
        self, actor: Actor, number: int, poster: Poster, *, limit: int, channel: str = ""
    ) -> Published:
        """`publish <a>`: the chat channel once, then every `auto` blog target.

        Publishing again is refused as before when no blog is `auto`; with one, the chat is
        left as it is and the blogs are brought up to date (their posts updated, not doubled).
        A chat that fails midway stops here: the blogs follow once the whole article is posted.
        """
        try:
            chat = await self.publish(actor, number, poster, limit=limit, channel=channel)
        except Conflict as refused:
            if refused.key != "publish.already" or not self.target_names(auto=True):
                raise
            chat = None
        blogs = await self.publish_to_blogs(actor, number)
        return Published(chat=chat, blogs=tuple(blogs))

    # front-end references: which platform message shows what, kept across restarts ----------

    async def get_ref(self, space: str, kind: str, key: str) -> tuple[str, str] | None:
        async with self.store.transaction() as tx:
            return await tx.get_ref(space, kind, key)

    async def set_ref(self, space: str, kind: str, key: str, channel: str, message_id: str) -> None:
        async with self.store.transaction() as tx:
            await tx.set_ref(space, kind, key, channel, message_id)
