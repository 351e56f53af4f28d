"""/article: start articles, set their text and sources, close and reopen voting."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core import team_text
from bot.core.messages import t
from bot.core.models import Article as ArticleModel
from bot.core.team_events import ScheduleSet
from bot.discord import cards
from bot.discord.autocomplete import article_choices, style_choices
from bot.discord.base import hanno, say, service
from bot.discord.identity import actor_of
from bot.discord.modals import ArticleTextModal

Article = app_commands.Range[int, 1, None]


class Articles(commands.Cog):
    """Articles and their workflow state."""

    article = app_commands.Group(
        name="article", description=t("discord.cmd.article"), guild_only=True
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @article.command(name="new", description=t("discord.cmd.article.new"))
    @app_commands.describe(title=t("discord.opt.article.new.title"))
    async def new(
        self, interaction: discord.Interaction, title: app_commands.Range[str, 1, 200]
    ) -> None:
        """Start a new article (moderators)."""
        created = await service(interaction).create_article(actor_of(interaction), title)
        channel = hanno(interaction).channel_mention(str(interaction.guild_id), "voting")
        await say(
            interaction,
            t(
                "discord.reply.article_created",
                number=created.number,
                title=created.title,
                channel=channel,
            ),
        )

    @article.command(name="list", description=t("discord.cmd.article.list"))
    async def list_(self, interaction: discord.Interaction) -> None:
        """List this server's articles."""
        articles = await service(interaction).list_articles(actor_of(interaction))
        if not articles:
            await say(interaction, t("discord.reply.no_articles"))
            return
        await say(interaction, embed=cards.articles_embed(articles))

    @article.command(name="show", description=t("discord.cmd.article.show"))
    @app_commands.describe(article=t("discord.opt.article.show.article"))
    @app_commands.autocomplete(article=article_choices)
    async def show(self, interaction: discord.Interaction, article: Article) -> None:
        """Show an article's settings, lead, closing and sources."""
        found = await service(interaction).get_article(actor_of(interaction), article)
        await say(interaction, embed=cards.article_detail_embed(found))

    @article.command(name="set", description=t("discord.cmd.article.set"))
    @app_commands.describe(
        article=t("discord.opt.article.set.article"),
        field=t("discord.opt.article.set.field"),
        text=t("discord.opt.article.set.text"),
    )
    @app_commands.autocomplete(article=article_choices)
    async def set_(
        self,
        interaction: discord.Interaction,
        article: Article,
        field: Literal["title", "lead", "closing"],
        text: str | None = None,
    ) -> None:
        """Change an article's title, lead or closing (moderators)."""
        svc = service(interaction)
        actor = actor_of(interaction)
        if text is None:
            current = await svc.article_text_form(actor, article, field)
            await interaction.response.send_modal(
                ArticleTextModal(article, field, getattr(current, field))
            )
            return
        await svc.set_article_text(actor, article, field, text)
        await say(
            interaction,
            t("discord.reply.article_set", number=article, field=t(f"discord.field.{field}")),
        )

    @article.command(name="style", description=t("discord.cmd.article.style"))
    @app_commands.describe(
        article=t("discord.opt.article.style.article"), style=t("discord.opt.article.style.style")
    )
    @app_commands.autocomplete(article=article_choices, style=style_choices)
    async def style(self, interaction: discord.Interaction, article: Article, style: str) -> None:
        """Choose how the reactions look: persona, numbered, bilingual or your template."""
        changed = await service(interaction).set_style(actor_of(interaction), article, style)
        await say(interaction, t("blog.style_set", number=article, style=changed.style))

    @article.command(name="limits", description=t("discord.cmd.article.limits"))
    @app_commands.describe(
        article=t("discord.opt.article.limits.article"),
        min_score=t("discord.opt.article.limits.min_score"),
        max_reactions=t("discord.opt.article.limits.max_reactions"),
    )
    @app_commands.autocomplete(article=article_choices)
    async def limits(
        self,
        interaction: discord.Interaction,
        article: Article,
        min_score: int | None = None,
        max_reactions: int | None = None,
    ) -> None:
        """Set the selection rules: minimum score and maximum reactions (moderators)."""
        svc = service(interaction)
        actor = actor_of(interaction)
        changed = await svc.get_article(actor, article)
        if min_score is not None:
            changed = await svc.set_article_number(actor, article, "min_score", min_score)
        if max_reactions is not None:
            changed = await svc.set_article_number(actor, article, "max_reactions", max_reactions)
        await say(
            interaction,
            t(
                "discord.reply.article_limits",
                number=article,
                min_score=changed.min_score,
                max_reactions=changed.max_reactions,
            ),
        )

    @article.command(name="source", description=t("discord.cmd.article.source"))
    @app_commands.describe(
        article=t("discord.opt.article.source.article"),
        url=t("discord.opt.article.source.url"),
        text=t("discord.opt.article.source.text"),
        author=t("discord.opt.article.source.author"),
        handle=t("discord.opt.article.source.handle"),
        date=t("discord.opt.article.source.date"),
    )
    @app_commands.autocomplete(article=article_choices)
    async def source(
        self,
        interaction: discord.Interaction,
        article: Article,
        url: str,
        text: str = "",
        author: str = "",
        handle: str = "",
        date: str = "",
    ) -> None:
        """Add a source post to an article (moderators)."""
        changed, unread = await service(interaction).add_source_read(
            actor_of(interaction), article, url, text=text, author=author, handle=handle, date=date
        )
        reply = t("discord.reply.source_added", number=article, count=len(changed.sources))
        if unread:
            reply += "\n" + t(
                "reply.source_not_read",
                site=unread,
                position=max(s.position for s in changed.sources),
            )
        await say(interaction, reply)

    @article.command(name="close", description=t("discord.cmd.article.close"))
    @app_commands.describe(
        article=t("discord.opt.article.close.article"),
        at=t("discord.opt.article.close.at"),
        in_=t("discord.opt.article.close.in"),
    )
    @app_commands.rename(in_="in")
    @app_commands.autocomplete(article=article_choices)
    async def close(
        self,
        interaction: discord.Interaction,
        article: Article,
        at: app_commands.Range[str, 1, 40] | None = None,
        in_: app_commands.Range[str, 1, 20] | None = None,
    ) -> None:
        """Close voting and select the comments to translate, now or later (moderators)."""
        svc = service(interaction)
        actor = actor_of(interaction)
        if at is not None or in_ is not None:
            found = await svc.schedule_close(actor, article, at=at, in_=in_)
            await say(interaction, schedule_reply(found, "close", actor.name))
            return
        _, selected = await svc.close_voting(actor, article)
        await say(interaction, t("discord.reply.closed", number=article, count=len(selected)))

    @article.command(name="deadline", description=t("discord.cmd.article.deadline"))
    @app_commands.describe(
        article=t("discord.opt.article.deadline.article"),
        time=t("discord.opt.article.deadline.time"),
    )
    @app_commands.autocomplete(article=article_choices)
    async def deadline(
        self,
        interaction: discord.Interaction,
        article: Article,
        time: app_commands.Range[str, 1, 40],
    ) -> None:
        """Set when translations are due (moderators)."""
        actor = actor_of(interaction)
        found = await service(interaction).set_deadline(actor, article, time)
        await say(interaction, schedule_reply(found, "deadline", actor.name))

    @article.command(name="voting", description=t("discord.cmd.article.voting"))
    @app_commands.describe(
        article=t("discord.opt.article.voting.article"),
        mode=t("discord.opt.article.voting.mode"),
    )
    @app_commands.autocomplete(article=article_choices)
    async def voting(
        self, interaction: discord.Interaction, article: Article, mode: Literal["hidden", "open"]
    ) -> None:
        """Hide scores from members until voting closes, or show them (moderators)."""
        await service(interaction).set_voting(actor_of(interaction), article, mode)
        await say(interaction, t(f"hidden.set_{mode}", number=article))

    @article.command(name="reopen", description=t("discord.cmd.article.reopen"))
    @app_commands.describe(article=t("discord.opt.article.reopen.article"))
    @app_commands.autocomplete(article=article_choices)
    async def reopen(self, interaction: discord.Interaction, article: Article) -> None:
        """Open voting again (moderators)."""
        await service(interaction).reopen(actor_of(interaction), article)
        await say(interaction, t("discord.reply.reopened", number=article))

    @article.command(name="status", description=t("discord.cmd.article.status"))
    @app_commands.describe(article=t("discord.opt.article.status.article"))
    @app_commands.autocomplete(article=article_choices)
    async def status(self, interaction: discord.Interaction, article: Article) -> None:
        """Who holds which translation, what is missing, how many approvals."""
        board = await service(interaction).status(actor_of(interaction), article)
        await say(interaction, embed=cards.status_embed(board))

    @article.command(name="history", description=t("discord.cmd.article.history"))
    @app_commands.describe(article=t("discord.opt.article.history.article"))
    @app_commands.autocomplete(article=article_choices)
    async def history(self, interaction: discord.Interaction, article: Article) -> None:
        """Who did what to an article, and when."""
        entries = await service(interaction).history(actor_of(interaction), article)
        await say(interaction, embed=cards.history_embed(article, entries))


def schedule_reply(article: ArticleModel, kind: str, by: str) -> str:
    due = article.closes_at if kind == "close" else article.deadline_at
    event = ScheduleSet(article=article, kind=kind, due_at=due, by_name=by)
    return team_text.schedule_set(event, cards.timestamp)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Articles(bot))
