"""/team and /stats: translator roles given from chat, and who contributed what."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core import team_text
from bot.core.messages import t
from bot.core.stats import PersonStats, stats_text
from bot.discord.base import say, service
from bot.discord.cards import clip, timestamp
from bot.discord.identity import actor_for, actor_of, space_of

Role = Literal["translator"]
REPLY_LIMIT = 2000


class Team(commands.Cog):
    """The team: roles from chat and contributor stats."""

    team = app_commands.Group(name="team", description=t("discord.cmd.team"), guild_only=True)

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @team.command(name="add", description=t("discord.cmd.team.add"))
    @app_commands.describe(user=t("discord.opt.team.add.user"), role=t("discord.opt.team.add.role"))
    async def add(
        self, interaction: discord.Interaction, user: discord.Member, role: Role = "translator"
    ) -> None:
        """Make someone a translator (moderators)."""
        actor = actor_of(interaction)
        member = actor_for(user, space_of(interaction))
        await service(interaction).team_add(actor, member, role)
        await say(interaction, t("team.added", name=member.name, by=actor.name))

    @team.command(name="remove", description=t("discord.cmd.team.remove"))
    @app_commands.describe(
        user=t("discord.opt.team.remove.user"), role=t("discord.opt.team.remove.role")
    )
    async def remove(
        self, interaction: discord.Interaction, user: discord.Member, role: Role = "translator"
    ) -> None:
        """Take the translator role given from chat away (moderators)."""
        member = actor_for(user, space_of(interaction))
        await service(interaction).team_remove(actor_of(interaction), member, role)
        await say(interaction, t("team.removed", name=member.name))

    @team.command(name="list", description=t("discord.cmd.team.list"))
    async def list_(self, interaction: discord.Interaction) -> None:
        """Who was made a translator from chat, and the config's roles."""
        listing = await service(interaction).team_list(actor_of(interaction))
        await say(interaction, clip(team_text.team_list(listing, timestamp), REPLY_LIMIT))

    @app_commands.command(name="stats", description=t("discord.cmd.stats"))
    @app_commands.describe(since=t("discord.opt.stats.since"))
    @app_commands.guild_only()
    async def stats(self, interaction: discord.Interaction, since: str | None = None) -> None:
        """Who contributed what, and how long articles took."""
        found = await service(interaction).team_stats(actor_of(interaction), since)
        await say(interaction, clip(stats_text(found, timestamp, _mention), REPLY_LIMIT))


def _mention(person: PersonStats) -> str:
    """A member as Discord shows them (the reply pings nobody: mentions are off)."""
    return f"<@{person.user_id}>" if person.user_id.isdigit() else person.name or person.user_id


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Team(bot))
