"""/draft and /publish: build the article, review it, and post it to the publish channel."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import Conflict
from bot.core.messages import t
from bot.core.replies import blog_lines
from bot.core.service import PublishFailed
from bot.discord import assist_cards
from bot.discord.autocomplete import article_choices, blog_choices
from bot.discord.base import NO_MENTIONS, hanno, say, service
from bot.discord.errors import discord_command
from bot.discord.identity import actor_of
from bot.discord.items import approve_reply, blog_reply
from bot.discord.modals import RejectModal
from bot.discord.publishing import PartPoster

Number = app_commands.Range[int, 1, None]
MESSAGE_LIMIT = 2000
PREVIEW_PAGES = 5

# Discord's hint: only members who can manage messages see these commands by default. Server
# admins can change that, which is why the core checks the moderator role on every call.
MODERATORS = discord.Permissions(manage_messages=True)


class Drafts(commands.Cog):
    """Drafts, review and publishing."""

    draft = app_commands.Group(
        name="draft",
        description=t("discord.cmd.draft"),
        guild_only=True,
        default_permissions=MODERATORS,
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @draft.command(name="build", description=t("discord.cmd.draft.build"))
    @app_commands.describe(article=t("discord.opt.draft.build.article"))
    @app_commands.autocomplete(article=article_choices)
    async def build(self, interaction: discord.Interaction, article: Number) -> None:
        """Preview the assembled article (moderators)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        svc = service(interaction)
        draft = await svc.build_draft(actor_of(interaction), article)
        pages = svc.renderer.chat_parts(draft.document, MESSAGE_LIMIT - 100) or [""]
        for index, page in enumerate(pages[:PREVIEW_PAGES], start=1):
            header = t("discord.reply.draft_built", number=article, page=index, pages=len(pages))
            await interaction.followup.send(
                f"{header}\n{page}", ephemeral=True, allowed_mentions=NO_MENTIONS
            )
        warnings = await svc.draft_warnings(actor_of(interaction), article)
        if warnings:
            await interaction.followup.send(
                embed=assist_cards.draft_warnings_embed(warnings),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )

    @draft.command(name="submit", description=t("discord.cmd.draft.submit"))
    @app_commands.describe(article=t("discord.opt.draft.submit.article"))
    @app_commands.autocomplete(article=article_choices)
    async def submit(self, interaction: discord.Interaction, article: Number) -> None:
        """Send the draft to the review channel (moderators)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        await service(interaction).submit_draft(actor_of(interaction), article)
        channel = hanno(interaction).channel_mention(str(interaction.guild_id), "review")
        await say(interaction, t("discord.reply.draft_submitted", number=article, channel=channel))

    @draft.command(name="approve", description=t("discord.cmd.draft.approve"))
    @app_commands.describe(
        article=t("discord.opt.draft.approve.article"), note=t("discord.opt.draft.approve.note")
    )
    @app_commands.autocomplete(article=article_choices)
    async def approve(
        self, interaction: discord.Interaction, article: Number, note: str = ""
    ) -> None:
        """Approve the draft in review (moderators)."""
        await approve_reply(interaction, article, note)

    @draft.command(name="reject", description=t("discord.cmd.draft.reject"))
    @app_commands.describe(
        article=t("discord.opt.draft.reject.article"), reason=t("discord.opt.draft.reject.reason")
    )
    @app_commands.autocomplete(article=article_choices)
    async def reject(
        self, interaction: discord.Interaction, article: Number, reason: str | None = None
    ) -> None:
        """Request changes: the article goes back to translation (moderators)."""
        if reason is None:
            await service(interaction).reject_form(actor_of(interaction), article)
            await interaction.response.send_modal(RejectModal(article))
            return
        await service(interaction).reject(actor_of(interaction), article, reason)
        await say(interaction, t("discord.reply.rejected", number=article))

    @app_commands.command(name="publish", description=t("discord.cmd.publish"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    @app_commands.describe(article=t("discord.opt.publish.article"), to=t("discord.opt.publish.to"))
    @app_commands.autocomplete(article=article_choices, to=blog_choices)
    async def publish(
        self, interaction: discord.Interaction, article: Number, to: str | None = None
    ) -> None:
        """Post the approved article to the publish channel and the blogs, once (moderators)."""
        if to is not None:
            await blog_reply(interaction, article, to.strip())
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        space = str(interaction.guild_id)
        channel = hanno(interaction).channel_for(space, "publish")
        if channel is None:
            raise Conflict(
                "discord.error.no_channel",
                channel=hanno(interaction).channel_mention(space, "publish").lstrip("#"),
            )

        actor = actor_of(interaction)
        me = interaction.client.user  # logged in while it serves interactions
        try:
            done = await service(interaction).publish_everywhere(
                actor,
                article,
                PartPoster(channel, space, article, me=me.id if me else 0),
                limit=MESSAGE_LIMIT,
                channel=str(channel.id),
            )
        except PublishFailed as failed:
            # The reply below is ephemeral and its token expires; the review channel keeps
            # the team aware that the article is half published.
            review = hanno(interaction).channel_for(space, "review")
            if review is not None:
                text = t("discord.review.announce_publish_failed", name=actor.name)
                reason = failed.message_for(discord_command)
                await review.send(f"{text} {reason}", allowed_mentions=NO_MENTIONS)
            raise
        if done.chat is None:
            lines = [t("blog.chat_already", number=article)]
        else:
            lines = [
                t(
                    "discord.reply.published",
                    number=article,
                    channel=channel.mention,
                    count=len(done.chat.parts),
                )
            ]
        await say(interaction, "\n".join([*lines, *blog_lines(article, done.blogs)]))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Drafts(bot))
