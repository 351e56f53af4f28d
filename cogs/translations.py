"""/translate: assign, claim, release and submit translations of the selected comments; machine
drafts, revisions and review remarks."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.messages import t
from bot.discord import assist_cards, cards
from bot.discord.assist_items import draft_view, machine_draft_text
from bot.discord.autocomplete import article_choices, comment_choices
from bot.discord.base import in_time, say, service, with_progress
from bot.discord.identity import actor_for, actor_of, space_of
from bot.discord.modals import TranslationModal, warnings_text

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
            await interaction.response.send_modal(
                TranslationModal.for_comment(space_of(interaction), found)
            )
            return
        changed = await svc.submit_translation(actor, comment, text)
        revision = changed.translation.revision if changed.translation else changed.revisions
        reply = t("discord.reply.translated", number=comment, revision=revision)
        await say(interaction, reply + await warnings_text(interaction, changed.space, comment))

    @translate.command(name="suggest", description=t("discord.cmd.translate.suggest"))
    @app_commands.describe(comment=t("discord.opt.translate.suggest.comment"))
    @app_commands.autocomplete(comment=comment_choices)
    async def suggest(self, interaction: discord.Interaction, comment: Number) -> None:
        """Get a machine draft of a comment to edit (translators)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await service(interaction).suggest(actor_of(interaction), comment)
        space = space_of(interaction)
        await say(
            interaction,
            await machine_draft_text(interaction, found),
            view=draft_view(space, comment),
        )

    @translate.command(name="suggest_all", description=t("discord.cmd.translate.suggest_all"))
    @app_commands.describe(article=t("discord.opt.translate.suggest_all.article"))
    @app_commands.autocomplete(article=article_choices)
    async def suggest_all(self, interaction: discord.Interaction, article: Number) -> None:
        """Machine drafts for every untranslated selected comment of an article."""
        result = await with_progress(
            interaction,
            lambda progress: service(interaction).suggest_all(
                actor_of(interaction),
                article,
                lambda done, total: progress(
                    t("reply.suggest_progress", number=article, done=done, total=total)
                ),
            ),
        )
        await say(
            interaction,
            t(
                "reply.suggested_all",
                number=article,
                count=len(result.drafted),
                service=result.provider,
                skipped=result.skipped,
            ),
        )

    @translate.command(name="accept", description=t("discord.cmd.translate.accept"))
    @app_commands.describe(comment=t("discord.opt.translate.accept.comment"))
    @app_commands.autocomplete(comment=comment_choices)
    async def accept(self, interaction: discord.Interaction, comment: Number) -> None:
        """Take a comment's machine draft as it is."""
        found = await service(interaction).accept(actor_of(interaction), comment)
        revision = found.translation.revision if found.translation else 0
        reply = t("discord.reply.accepted", number=comment, revision=revision)
        await say(interaction, reply + await warnings_text(interaction, found.space, comment))

    @translate.command(name="history", description=t("discord.cmd.translate.history"))
    @app_commands.describe(comment=t("discord.opt.translate.history.comment"))
    @app_commands.autocomplete(comment=comment_choices)
    async def history(self, interaction: discord.Interaction, comment: Number) -> None:
        """A comment's revisions and what changed in each."""
        revisions = await service(interaction).revisions(actor_of(interaction), comment)
        if not revisions:
            await say(interaction, t("reply.no_revisions", number=comment))
            return
        await say(interaction, embed=assist_cards.revisions_embed(comment, revisions))

    @translate.command(name="restore", description=t("discord.cmd.translate.restore"))
    @app_commands.describe(
        comment=t("discord.opt.translate.restore.comment"),
        revision=t("discord.opt.translate.restore.revision"),
    )
    @app_commands.autocomplete(comment=comment_choices)
    async def restore(
        self, interaction: discord.Interaction, comment: Number, revision: Number
    ) -> None:
        """Make an older revision the latest again."""
        found = await service(interaction).restore(actor_of(interaction), comment, revision)
        new = found.translation.revision if found.translation else revision
        await say(interaction, t("reply.restored", number=comment, source=revision, revision=new))

    @translate.command(name="remark", description=t("discord.cmd.translate.remark"))
    @app_commands.describe(
        comment=t("discord.opt.translate.remark.comment"),
        text=t("discord.opt.translate.remark.text"),
    )
    @app_commands.autocomplete(comment=comment_choices)
    async def remark(self, interaction: discord.Interaction, comment: Number, text: str) -> None:
        """Leave a review remark on a comment's translation (moderators)."""
        remark = await service(interaction).remark(actor_of(interaction), comment, text)
        await say(
            interaction, t("discord.reply.remarked", number=comment, revision=remark.revision)
        )

    @translate.command(name="resolve", description=t("discord.cmd.translate.resolve"))
    @app_commands.describe(comment=t("discord.opt.translate.resolve.comment"))
    @app_commands.autocomplete(comment=comment_choices)
    async def resolve(self, interaction: discord.Interaction, comment: Number) -> None:
        """Mark the remarks on a comment resolved."""
        count = await service(interaction).resolve_remarks(actor_of(interaction), comment)
        await say(interaction, t("reply.resolved", number=comment, count=count))

    @translate.command(name="mine", description=t("discord.cmd.translate.mine"))
    async def mine(self, interaction: discord.Interaction) -> None:
        """The translations you hold."""
        work = await service(interaction).my_work(actor_of(interaction))
        if not work:
            await say(interaction, t("discord.reply.no_work"))
            return
        lines = [
            f"#{c.number} {c.persona} {cards.quoted(cards.excerpt(c.text))}"
            + ("" if c.translation is None else " 🤖" if c.translation.is_machine else " ✅")
            for c in work
        ]
        await say(
            interaction, cards.clip(t("discord.reply.work_header") + "\n" + "\n".join(lines), 2000)
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Translations(bot))
