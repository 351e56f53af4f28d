"""/comment and /vote: submit foreign comments, vote on them, and curate the selection.

Also the message context-menu command "Submit as reaction".
"""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.hidden import vote_reply
from bot.core.messages import t
from bot.discord import cards
from bot.discord.autocomplete import article_choices, comment_choices
from bot.discord.base import SpeaksToPerson, hanno, in_time, say, service
from bot.discord.errors import guarded
from bot.discord.identity import actor_of
from bot.discord.importing import run_import
from bot.discord.items import VOTE_REPLIES
from bot.discord.modals import CommentModal

Number = app_commands.Range[int, 1, None]


class ArticlePicker(SpeaksToPerson, discord.ui.View):
    """Step one of "Submit as reaction": which article; step two is the prefilled form."""

    def __init__(self, articles: list[tuple[int, str]], text: str, url: str) -> None:
        super().__init__(timeout=600)
        self.text = text
        self.url = url
        select: discord.ui.Select[ArticlePicker] = discord.ui.Select(
            placeholder=t("discord.select.article"),
            options=[
                discord.SelectOption(label=cards.clip(f"#{n} {title}", 100), value=str(n))
                for n, title in articles[:25]
            ],
        )
        select.callback = self.picked  # type: ignore[method-assign]
        self.select = select
        self.add_item(select)

    async def picked(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            article = int(self.select.values[0])
            await interaction.response.send_modal(
                CommentModal(article, text=self.text[:4000], url=self.url)
            )


class Comments(commands.Cog):
    """Comments and votes."""

    comment = app_commands.Group(
        name="comment", description=t("discord.cmd.comment"), guild_only=True
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.context_menu = app_commands.ContextMenu(
            name=t("discord.cmd.submit_as_reaction"), callback=self.submit_as_reaction
        )
        self.context_menu.guild_only = True

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.context_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.context_menu.name, type=self.context_menu.type)

    async def submit_as_reaction(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        articles = await service(interaction).list_articles(actor_of(interaction))
        open_ = [(a.number, a.title) for a in articles if a.open_for_comments]
        if not open_:
            await say(interaction, t("discord.reply.no_open_articles"))
            return
        open_.sort(reverse=True)
        picker = ArticlePicker(open_, message.content, message.jump_url)
        await say(interaction, t("discord.reply.pick_article"), view=picker)

    @comment.command(name="add", description=t("discord.cmd.comment.add"))
    @app_commands.describe(
        article=t("discord.opt.comment.add.article"),
        text=t("discord.opt.comment.add.text"),
        url=t("discord.opt.comment.add.url"),
        author=t("discord.opt.comment.add.author"),
        lang=t("discord.opt.comment.add.lang"),
        persona=t("discord.opt.comment.add.persona"),
        country=t("discord.opt.comment.add.country"),
    )
    @app_commands.autocomplete(article=article_choices)
    async def add(
        self,
        interaction: discord.Interaction,
        article: Number,
        text: str | None = None,
        url: str = "",
        author: str = "",
        lang: str = "",
        persona: str = "",
        country: str = "",
    ) -> None:
        """Submit a foreign comment to an article."""
        if text is None:
            modal = CommentModal(
                article, url=url, author=author, countries=country, persona=persona
            )
            await interaction.response.send_modal(modal)
            return
        comment = await in_time(
            interaction,
            service(interaction).add_comment(
                actor_of(interaction),
                article,
                text,
                url=url,
                author=author,
                language=lang,
                persona=persona or None,
                countries=country,
            ),
        )
        channel = hanno(interaction).channel_mention(str(interaction.guild_id), "voting")
        await say(
            interaction,
            t(
                "discord.reply.comment_added",
                number=comment.number,
                article=article,
                channel=channel,
            ),
        )

    @comment.command(name="import", description=t("discord.cmd.comment.import"))
    @app_commands.describe(
        article=t("discord.opt.comment.import.article"),
        url=t("discord.opt.comment.import.url"),
        top=t("discord.opt.comment.import.top"),
        min_score=t("discord.opt.comment.import.min_score"),
        lang=t("discord.opt.comment.import.lang"),
        replies=t("discord.opt.comment.import.replies"),
    )
    @app_commands.autocomplete(article=article_choices)
    async def import_(
        self,
        interaction: discord.Interaction,
        article: Number,
        url: str,
        top: app_commands.Range[int, 1, 1000] | None = None,
        min_score: int | None = None,
        lang: str = "",
        replies: bool = False,
    ) -> None:
        """Import a thread's comments (Reddit, X, YouTube, HN, Bluesky, Mastodon)."""
        await run_import(
            interaction, article, url, top=top, min_score=min_score, langs=lang, replies=replies
        )

    @comment.command(name="list", description=t("discord.cmd.comment.list"))
    @app_commands.describe(
        article=t("discord.opt.comment.list.article"), status=t("discord.opt.comment.list.status")
    )
    @app_commands.autocomplete(article=article_choices)
    async def list_(
        self,
        interaction: discord.Interaction,
        article: Number,
        status: Literal["candidate", "selected", "dropped"] | None = None,
    ) -> None:
        """List an article's comments with their scores."""
        comments = await service(interaction).list_comments(actor_of(interaction), article, status)
        await say(interaction, embed=cards.comments_embed(article, comments))

    @comment.command(name="show", description=t("discord.cmd.comment.show"))
    @app_commands.describe(comment=t("discord.opt.comment.show.comment"))
    @app_commands.autocomplete(comment=comment_choices)
    async def show(self, interaction: discord.Interaction, comment: Number) -> None:
        """Show one comment's card."""
        svc = service(interaction)
        actor = actor_of(interaction)
        found = await svc.get_comment(actor, comment)
        article = await svc.get_article(actor, found.article_number)
        await say(interaction, embed=cards.comment_embed(found, article))

    @comment.command(name="pick", description=t("discord.cmd.comment.pick"))
    @app_commands.describe(comment=t("discord.opt.comment.pick.comment"))
    @app_commands.autocomplete(comment=comment_choices)
    async def pick(self, interaction: discord.Interaction, comment: Number) -> None:
        """Always include a comment, whatever its score (moderators)."""
        await service(interaction).pick(actor_of(interaction), comment)
        await say(interaction, t("discord.reply.picked", number=comment))

    @comment.command(name="drop", description=t("discord.cmd.comment.drop"))
    @app_commands.describe(comment=t("discord.opt.comment.drop.comment"))
    @app_commands.autocomplete(comment=comment_choices)
    async def drop(self, interaction: discord.Interaction, comment: Number) -> None:
        """Leave a comment out, whatever its score (moderators)."""
        await service(interaction).drop(actor_of(interaction), comment)
        await say(interaction, t("discord.reply.dropped", number=comment))

    @comment.command(name="move", description=t("discord.cmd.comment.move"))
    @app_commands.describe(
        comment=t("discord.opt.comment.move.comment"),
        position=t("discord.opt.comment.move.position"),
    )
    @app_commands.autocomplete(comment=comment_choices)
    async def move(
        self, interaction: discord.Interaction, comment: Number, position: Number
    ) -> None:
        """Move a selected comment to another place in the article (moderators)."""
        await service(interaction).move(actor_of(interaction), comment, position)
        await say(interaction, t("discord.reply.moved", number=comment, position=position))

    @comment.command(name="persona", description=t("discord.cmd.comment.persona"))
    @app_commands.describe(
        comment=t("discord.opt.comment.persona.comment"),
        emoji=t("discord.opt.comment.persona.emoji"),
        country=t("discord.opt.comment.persona.country"),
    )
    @app_commands.autocomplete(comment=comment_choices)
    async def persona(
        self,
        interaction: discord.Interaction,
        comment: Number,
        emoji: str,
        country: str | None = None,
    ) -> None:
        """Set the persona emoji and flags a comment is shown with."""
        changed = await service(interaction).set_persona(
            actor_of(interaction), comment, emoji, country
        )
        await say(
            interaction,
            t(
                "discord.reply.persona",
                number=comment,
                persona=changed.persona,
                flags=changed.flags,
            ),
        )

    @app_commands.command(name="vote", description=t("discord.cmd.vote"))
    @app_commands.guild_only()
    @app_commands.describe(
        comment=t("discord.opt.vote.comment"), choice=t("discord.opt.vote.choice")
    )
    @app_commands.autocomplete(comment=comment_choices)
    async def vote(
        self,
        interaction: discord.Interaction,
        comment: Number,
        choice: Literal["up", "down", "clear"],
    ) -> None:
        """Vote on a comment (one vote per person; your own comment does not count)."""
        changed = await in_time(
            interaction, service(interaction).vote(actor_of(interaction), comment, choice)
        )
        await say(
            interaction,
            vote_reply(changed, choice)
            if changed.hidden_votes is not None
            else t(VOTE_REPLIES[choice], number=changed.number, score=f"{changed.score:+d}"),
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Comments(bot))
