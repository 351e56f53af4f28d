"""Who is acting: a Discord user turned into the core's `Actor`.

Tags carry stable ids (user id, role ids) plus role names, so the config may name roles
either way; the core's policy decides what they mean.
"""

from __future__ import annotations

import discord
from discord import app_commands

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


async def actor_in(client: discord.Client, space: str, user: discord.abc.User) -> Actor:
    """The actor for `user` in guild `space`, even from a DM (roles fetched from the guild)."""
    guild = client.get_guild(int(space))
    member = guild.get_member(user.id) if guild is not None else None
    if guild is not None and member is None:
        try:
            member = await guild.fetch_member(user.id)
        except discord.NotFound:  # left the server: no roles any more
            member = None
    if member is not None:
        return actor_for(member, space)
    return Actor(space=space, user_id=str(user.id), name=user.display_name)


def system_actor(space: str) -> Actor:
    """The bot itself, for reads the notifier makes (reads need no role)."""
    return Actor(space=space, user_id=BOT_USER_ID, name="hanno")
