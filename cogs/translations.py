"""/translate: assign, claim, release and submit translations of the selected comments."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.messages import t
from bot.discord import cards
from bot.discord.autocomplete import comment_choices
from bot.discord.base import in_time, say, service
from bot.discord.identity import actor_for, actor_of, space_of
from bot.discord.modals import TranslationModal

Number = app_commands.Range[int, 1, None]


class Translations(commands.Cog):
    """Translation work."""

    translate = app_commands.Group(
        name="translate", description=t("discord.cmd.translate"), guild_only=True
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @translate.command(name="assign", description=t("discord.cmd.translate.assign"))
    @app_commands.describe(
        comment=t("discord.opt.translate.assign.comment"),
        user=t("discord.opt.translate.assign.user"),
    )
    @app_commands.autocomplete(comment=comment_choices)
    async def assign(
        self, interaction: discord.Interaction, comment: Number, user: discord.Member
    ) -> None:
        """Give a comment's translation to a translator (moderators)."""
        assignee = actor_for(user, space_of(interaction))
        await service(interaction).assign(actor_of(interaction), comment, assignee)
        await say(interaction, t("discord.reply.assigned", number=comment, name=assignee.name))

    @translate.command(name="claim", description=t("discord.cmd.translate.claim"))
    @app_commands.describe(comment=t("discord.opt.translate.claim.comment"))
    @app_commands.autocomplete(comment=comment_choices)
    async def claim(self, interaction: discord.Interaction, comment: Number) -> None:
        """Take a comment's translation yourself (translators)."""
        await in_time(interaction, service(interaction).claim(actor_of(interaction), comment))
        await say(interaction, t("discord.reply.claimed", number=comment))

    @translate.command(name="release", description=t("discord.cmd.translate.release"))
    @app_commands.describe(comment=t("discord.opt.translate.release.comment"))
    @app_commands.autocomplete(comment=comment_choices)
    async def release(self, interaction: discord.Interaction, comment: Number) -> None:
        """Give a translation back so someone else can take it."""
        await service(interaction).release(actor_of(interaction), comment)
        await say(interaction, t("discord.reply.released", number=comment))

    @translate.command(name="submit", description=t("discord.cmd.translate.submit"))
    @app_commands.describe(
        comment=t("discord.opt.translate.submit.comment"),
        text=t("discord.opt.translate.submit.text"),
    )
    @app_commands.autocomplete(comment=comment_choices)
    async def submit(
        self, interaction: discord.Interaction, comment: Number, text: str | None = None
    ) -> None:
        """Submit or revise your translation of a comment."""
        svc = service(interaction)
        actor = actor_of(interaction)
        if text is None:
            found = await svc.translation_form(actor, comment)
            current = found.translation.text if found.translation else ""
            await interaction.response.send_modal(
                TranslationModal(space_of(interaction), comment, current)
            )
            return
        changed = await svc.submit_translation(actor, comment, text)
        revision = changed.translation.revision if changed.translation else changed.revisions
        await say(interaction, t("discord.reply.translated", number=comment, revision=revision))

    @translate.command(name="mine", description=t("discord.cmd.translate.mine"))
    async def mine(self, interaction: discord.Interaction) -> None:
        """The translations you hold."""
        work = await service(interaction).my_work(actor_of(interaction))
        if not work:
            await say(interaction, t("discord.reply.no_work"))
            return
        lines = [
            f"#{c.number} {c.persona} {cards.quoted(cards.excerpt(c.text))}"
            + (" ✅" if c.translation else "")
            for c in work
        ]
        await say(
            interaction, cards.clip(t("discord.reply.work_header") + "\n" + "\n".join(lines), 2000)
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Translations(bot))
