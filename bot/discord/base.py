"""What the buttons, modals and cogs need from the running bot, without importing it.

The client module imports the items and modals; they reach the bot through
`interaction.client`, typed by this protocol so there is no import cycle and no global.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, cast

import discord

from bot.core.messages import use_language

if TYPE_CHECKING:
    from bot.core.service import HannoService

ChannelKind = Literal["voting", "review", "publish"]
T = TypeVar("T")

# Discord fails an interaction not acknowledged within 3 s; past this, acknowledge first.
DEFER_AFTER = 2.0


class HannoClient(Protocol):
    service: HannoService
    language: str  # the space's interface language: channel posts
    locales: dict[int, str]  # user id -> the language their client last showed (for DMs)

    def channel_for(self, space: str, kind: ChannelKind) -> discord.TextChannel | None: ...

    def channel_mention(self, space: str, kind: ChannelKind) -> str: ...


def hanno(interaction: discord.Interaction) -> HannoClient:
    return cast("HannoClient", interaction.client)


def service(interaction: discord.Interaction) -> HannoService:
    return hanno(interaction).service


def speak_to(interaction: discord.Interaction) -> str:
    """Answer this interaction in the language of the person's Discord client (its `locale`),
    falling back to the space's; active for the rest of the interaction's task, which is
    where discord.py runs the check, the handler and the error handler one after another."""
    locale = getattr(interaction, "locale", None)
    tag = locale.value if isinstance(locale, discord.Locale) else None
    language = use_language(tag or getattr(interaction.client, "language", None))
    known = getattr(interaction.client, "locales", None)
    if isinstance(known, dict) and tag:
        known[interaction.user.id] = language  # a DM to them later is in their language
    return language


class SpeaksToPerson:
    """For buttons, menus, forms and views: `interaction_check` makes the person's language
    the active one before discord.py calls the callback."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        speak_to(interaction)
        return True


NO_MENTIONS = discord.AllowedMentions.none()


async def say(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    ephemeral: bool = True,
) -> None:
    """Answer an interaction (first reply or followup), never pinging anyone."""
    kwargs: dict[str, Any] = {
        "content": content,
        "ephemeral": ephemeral,
        "allowed_mentions": NO_MENTIONS,
    }
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


async def in_time(interaction: discord.Interaction, work: Awaitable[T]) -> T:
    """The result of `work`, deferring the (ephemeral) answer first if it is slow.

    Votes and claims answer at once in the usual case; when the database is slow (a burst,
    a backup, a busy disk) Discord's 3-second limit would turn a counted vote into "This
    interaction failed". `say()` then follows up on the deferred answer.
    """
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.wait_for(asyncio.shield(task), DEFER_AFTER)
    except TimeoutError:
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)
        return await task


Progress = Callable[[str], Awaitable[None]]


async def with_progress(
    interaction: discord.Interaction, work: Callable[[Progress], Awaitable[T]], every: float = 0.0
) -> T:
    """Defer at once (the work may well take longer than Discord's 3 seconds), run `work`,
    which may show `progress(text)` in the deferred answer, and return its result.

    Progress edits come at most one per `every` seconds: one per page of a long import would
    be rate-limited. The caller answers with the result (`say` follows up, or an edit)."""
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    last = time.monotonic()

    async def progress(text: str) -> None:
        nonlocal last
        if time.monotonic() - last >= every:
            last = time.monotonic()
            await interaction.edit_original_response(content=text, allowed_mentions=NO_MENTIONS)

    return await work(progress)
