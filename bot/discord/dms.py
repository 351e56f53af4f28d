"""Direct messages about a comment: the assignment and review-remark DMs, each with the
comment's translation buttons. A translator with closed DMs is logged, not an error."""

from __future__ import annotations

import logging

import discord

from bot.core.messages import t
from bot.core.models import Comment
from bot.discord import cards
from bot.discord.base import NO_MENTIONS
from bot.discord.items import translate_view

log = logging.getLogger("bot.discord.notifier")


def guild_name(bot: discord.Client, space: str) -> str:
    guild = bot.get_guild(int(space))
    return guild.name if guild else space


async def dm_about(
    bot: discord.Client,
    comment: Comment,
    user_id: str,
    name: str,
    text: str,
    quote: str,
    footer: str,
) -> None:
    """A DM about `comment` with `quote` in an embed and the translation buttons."""
    user = bot.get_user(int(user_id)) or await bot.fetch_user(int(user_id))
    embed = discord.Embed(
        description=cards.clip(cards.quoted(quote), cards.DESCRIPTION_LIMIT),
        colour=cards.COLOUR,
    )
    embed.set_footer(text=footer)
    try:
        await user.send(
            text,
            embed=embed,
            view=translate_view(comment.space, comment.number),
            allowed_mentions=NO_MENTIONS,
        )
    except discord.Forbidden:
        log.warning(t("discord.error.dm_closed", name=name))
