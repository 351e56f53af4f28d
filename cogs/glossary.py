"""/glossary: the team's names and terms, and dismissing a glossary warning."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.messages import t
from bot.discord import assist_cards
from bot.discord.autocomplete import comment_choices
from bot.discord.base import say, service
from bot.discord.identity import actor_of

Number = app_commands.Range[int, 1, None]
Term = app_commands.Range[str, 1, 100]


class Glossary(commands.Cog):
    """The team glossary."""

    glossary = app_commands.Group(
        name="glossary", description=t("discord.cmd.glossary"), guild_only=True
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @glossary.command(name="add", description=t("discord.cmd.glossary.add"))
    @app_commands.describe(
        source=t("discord.opt.glossary.add.source"),
        target=t("discord.opt.glossary.add.target"),
        note=t("discord.opt.glossary.add.note"),
    )
    async def add(
        self, interaction: discord.Interaction, source: Term, target: Term, note: str = ""
    ) -> None:
        """Add a name or term and how the team writes it (translators)."""
        entry, new = await service(interaction).glossary_add(
            actor_of(interaction), source, target, note
        )
        key = "reply.glossary_added" if new else "reply.glossary_replaced"
        await say(interaction, t(key, source=entry.source, target=entry.target))

    @glossary.command(name="list", description=t("discord.cmd.glossary.list"))
    async def list_(self, interaction: discord.Interaction) -> None:
        """The team's glossary."""
        entries = await service(interaction).glossary(actor_of(interaction))
        if not entries:
            await say(interaction, t("reply.glossary_empty"))
            return
        await say(interaction, embed=assist_cards.glossary_embed(entries))

    @glossary.command(name="remove", description=t("discord.cmd.glossary.remove"))
    @app_commands.describe(source=t("discord.opt.glossary.remove.source"))
    async def remove(self, interaction: discord.Interaction, source: Term) -> None:
        """Remove a term from the glossary (translators)."""
        removed = await service(interaction).glossary_remove(actor_of(interaction), source)
        await say(interaction, t("reply.glossary_removed", source=removed.source))

    @glossary.command(name="dismiss", description=t("discord.cmd.glossary.dismiss"))
    @app_commands.describe(
        comment=t("discord.opt.glossary.dismiss.comment"),
        term=t("discord.opt.glossary.dismiss.term"),
    )
    @app_commands.autocomplete(comment=comment_choices)
    async def dismiss(
        self, interaction: discord.Interaction, comment: Number, term: Term | None = None
    ) -> None:
        """Dismiss a comment's glossary warning when the translation is right as it is."""
        dismissed = await service(interaction).glossary_dismiss(
            actor_of(interaction), comment, term
        )
        terms = ", ".join(w.source for w in dismissed)
        await say(interaction, t("reply.glossary_dismissed", number=comment, terms=terms))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Glossary(bot))
