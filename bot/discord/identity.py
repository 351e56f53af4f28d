"""Who is acting: a Discord user turned into the core's `Actor`.

Tags carry stable ids (user id, role ids) plus role names, so the config may name roles
either way; the core's policy decides what they mean.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.core.errors import Forbidden
from bot.core.models import Actor

BOT_USER_ID = "hanno"


def actor_for(member: discord.Member | discord.User, space: str) -> Actor:
    tags = {str(member.id)}
    if isinstance(member, discord.Member):
        for role in member.roles:
            if role.is_default():
                continue
            tags.add(str(role.id))
            tags.add(role.name)
    return Actor(
        space=space, user_id=str(member.id), name=member.display_name, tags=frozenset(tags)
    )


def space_of(interaction: discord.Interaction) -> str:
    """The space is the guild; commands are guild-only, so a missing guild is a bug."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    return str(interaction.guild_id)


def actor_of(interaction: discord.Interaction) -> Actor:
    return actor_for(interaction.user, space_of(interaction))


async def actor_in(interaction: discord.Interaction, space: str) -> Actor:
    """Who clicked, as a member of guild `space` (from a DM too: roles fetched from the guild).

    `space` comes from a custom_id, which a modified client can forge: only a member of that
    guild acts in it, and from inside a server only in that server.
    """
    if interaction.guild_id is not None and str(interaction.guild_id) != space:
        raise Forbidden("discord.error.other_guild")
    guild = interaction.client.get_guild(int(space))
    if guild is None:
        raise Forbidden("discord.error.other_guild")
    user = interaction.user
    member = guild.get_member(user.id)
    if member is None:
        try:
            member = await guild.fetch_member(user.id)
        except discord.NotFound:  # left the server (or never was in it)
            raise Forbidden("discord.error.other_guild") from None
    return actor_for(member, space)


def system_actor(space: str) -> Actor:
    """The bot itself, for reads the notifier makes (reads need no role)."""
    return Actor(space=space, user_id=BOT_USER_ID, name="hanno")
