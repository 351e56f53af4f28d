"""What direct messages about a comment share: the server's name as the DM tells it."""

from __future__ import annotations

import discord


def guild_name(bot: discord.Client, space: str) -> str:
    guild = bot.get_guild(int(space))
    return guild.name if guild else space
