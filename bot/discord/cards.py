"""How core objects look on Discord: embeds for articles, comment cards, reviews and lists.

Pure functions from plain models to `discord.Embed`, so the notifier, the cogs and the
buttons all show the same thing the same way. Buttons live in `items.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import discord

from bot.core.assist_text import assist_status_fields
from bot.core.hidden import vote_count
from bot.core.history import describe
from bot.core.import_replies import source_line
from bot.core.messages import t, tn
from bot.core.models import Article, Comment, HistoryEntry, StatusBoard
from bot.core.replies import blog_status_lines, schedule_lines

COLOUR = discord.Colour(0xE05A47)
DESCRIPTION_LIMIT = 4000
FIELD_LIMIT = 1024
PAGE_LIMIT = 3800  # a page of the draft in the review post's embed


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def excerpt(text: str, limit: int = 60) -> str:
    return clip(" ".join(text.split()), limit)


def quoted(text: str) -> str:
    """User text shown as written: Markdown and mentions neutralised, so `<@123>` or
    `@everyone` read as typed instead of as a name (nothing pings anyway)."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def state_name(article: Article) -> str:
    return t(f"discord.state.{article.state.value}")


def article_embed(article: Article) -> discord.Embed:
    embed = discord.Embed(
        title=clip(
            t("discord.card.article_title", number=article.number, title=article.title), 256
        ),
        colour=COLOUR,
    )
    if article.state.value == "collecting":
        embed.description = t("discord.card.article_collecting")
    else:
        embed.description = t("discord.card.article_state", state=state_name(article))
    return embed


def comment_embed(comment: Comment, article: Article) -> discord.Embed:
    embed = discord.Embed(
        title=t(
            "discord.card.comment_title",
            persona=comment.persona,
            flags=comment.flags,
            number=comment.number,
        ),
        description=clip(quoted(comment.text), DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    if comment.url:
        embed.add_field(name=t("discord.card.source"), value=clip(comment.url, FIELD_LIMIT))
    if comment.author:
        embed.add_field(name=t("discord.card.author"), value=clip(quoted(comment.author), 256))
    if comment.source_kind:
        embed.add_field(name=t("discord.card.imported"), value=source_line(comment))
    embed.add_field(
        name=t("discord.card.score"),
        value=vote_count(comment)
        if comment.hidden_votes is not None
        else t("discord.card.score_value", score=comment.score, up=comment.up, down=comment.down),
    )
    if article.state.value != "collecting":
        embed.add_field(
            name=t("discord.card.status"), value=t(f"discord.status.{comment.status.value}")
        )
    if comment.assignee_name:
        embed.add_field(name=t("discord.card.translator"), value=quoted(comment.assignee_name))
    if comment.translation is not None:
        latest = comment.translation
        name = (
            t("discord.card.machine_draft", service=latest.provider)
            if latest.is_machine
            else t("discord.card.translation")
        )
        embed.add_field(name=name, value=clip(quoted(latest.text), FIELD_LIMIT), inline=False)
    embed.set_footer(
        text=t(
            "discord.card.footer",
            article=comment.article_number,
            name=comment.submitted_by_name or comment.submitted_by,
        )
    )
    return embed


def review_embed(
    article: Article, board: StatusBoard, page_text: str, page: int, pages: int
) -> discord.Embed:
    approvals, required = board.fresh_approvals, board.approvals_required
    state = article.state.value
    if state == "review":
        line = t("discord.review.waiting", approvals=approvals, required=required)
    elif state == "approved":
        line = t("discord.review.approved", approvals=approvals, required=required)
    elif state == "published":
        line = t("discord.review.published")
    else:
        line = t("discord.review.returned")
    embed = discord.Embed(
        title=clip(t("discord.review.title", number=article.number, title=article.title), 256),
        description=clip(f"**{line}**\n\n{page_text}", 4096),
        colour=COLOUR,
    )
    if pages > 1:
        embed.set_footer(text=t("discord.review.page", page=page, pages=pages))
    return embed


def articles_embed(articles: Sequence[Article]) -> discord.Embed:
    lines = [
        t("discord.list.article_line", number=a.number, title=a.title, state=state_name(a))
        for a in articles
    ]
    return discord.Embed(
        title=t("discord.list.articles"), description=_joined(lines), colour=COLOUR
    )


def article_detail_embed(article: Article) -> discord.Embed:
    embed = article_embed(article)
    empty = t("discord.show.empty")
    embed.description = None
    embed.add_field(name=t("discord.show.state"), value=state_name(article))
    embed.add_field(
        name=t("discord.show.rules"),
        value=t(
            "discord.show.rules_value",
            min_score=article.min_score,
            max_reactions=article.max_reactions,
        ),
    )
    embed.add_field(
        name=t("discord.show.lead"), value=clip(article.lead or empty, FIELD_LIMIT), inline=False
    )
    embed.add_field(
        name=t("discord.show.closing"),
        value=clip(article.closing or empty, FIELD_LIMIT),
        inline=False,
    )
    if article.sources:
        sources = "\n".join(
            f"{s.position}. {s.url}" + (f" — {s.author}" if s.author else "")
            for s in article.sources
        )
        embed.add_field(name=t("discord.show.sources"), value=clip(sources, FIELD_LIMIT))
    return embed


HIDDEN_LINE = {False: "discord.list.comment_line", True: "hidden.discord_line"}


def comments_embed(article_number: int, comments: Iterable[Comment]) -> discord.Embed:
    lines = [
        t(
            HIDDEN_LINE[c.hidden_votes is not None],
            number=c.number,
            persona=c.persona,
            flags=c.flags,
            score=c.score,
            votes=vote_count(c) if c.hidden_votes is not None else "",
            status=t(f"discord.status.{c.status.value}"),
            excerpt=quoted(excerpt(c.text)),
        )
        for c in comments
    ]
    return discord.Embed(
        title=t("discord.list.comments", number=article_number),
        description=_joined(lines) or t("discord.reply.no_comments"),
        colour=COLOUR,
    )


def status_embed(board: StatusBoard) -> discord.Embed:
    article = board.article
    embed = discord.Embed(
        title=clip(t("discord.status.title", number=article.number, title=article.title), 256),
        colour=COLOUR,
    )
    embed.add_field(name=t("discord.show.state"), value=state_name(article))
    embed.add_field(
        name=t("discord.status.counts"),
        value=tn(
            "discord.status.counts_value",
            board.candidates,
            candidates=board.candidates,
            selected=board.selected,
            dropped=board.dropped,
        ),
    )
    embed.add_field(
        name=t("discord.status.translations"),
        value=t(
            "discord.status.translations_value",
            translated=board.translated,
            assigned=board.assigned_untranslated,
            unassigned=board.unassigned,
        ),
    )
    if schedule := schedule_lines(article, timestamp):
        embed.add_field(name=t("discord.status.schedule"), value="\n".join(schedule), inline=False)
    if board.holders:
        holders = "\n".join(
            f"{quoted(name)}: " + ", ".join(f"#{n}" for n in numbers)
            for name, numbers in board.holders
        )
        embed.add_field(name=t("discord.status.holders"), value=clip(holders, FIELD_LIMIT))
    if board.missing:
        missing = ", ".join(f"#{n}" for n in board.missing)
        embed.add_field(name=t("discord.status.missing"), value=clip(missing, FIELD_LIMIT))
    embed.add_field(
        name=t("discord.status.approvals"),
        value=t(
            "discord.status.approvals_value",
            fresh=board.fresh_approvals,
            required=board.approvals_required,
        ),
    )
    for name, lines in assist_status_fields(board):
        embed.add_field(name=name, value=clip(quoted("\n".join(lines)), FIELD_LIMIT), inline=False)
    if board.blogs:
        lines = "\n".join(blog_status_lines(board.blogs))
        embed.add_field(
            name=t("discord.status.blogs"), value=clip(lines, FIELD_LIMIT), inline=False
        )
    return embed


def history_embed(article_number: int, entries: Sequence[HistoryEntry]) -> discord.Embed:
    """The last 25 steps, each at a `<t:…>` time that every reader sees in their own zone."""
    lines = [
        t("discord.history.line", at=moment(e.at), sentence=describe(e, quoted))
        for e in entries[-25:]
    ]
    return discord.Embed(
        title=t("discord.history.title", number=article_number),
        description=_joined(lines),
        colour=COLOUR,
    )


def _joined(lines: Sequence[str]) -> str:
    """Lines joined, dropping the oldest-first tail that would not fit in one embed."""
    out: list[str] = []
    size = 0
    for line in lines:
        size += len(line) + 1
        if size > DESCRIPTION_LIMIT:
            out.append("…")
            break
        out.append(line)
    return "\n".join(out)


def moment(when: datetime) -> str:
    """A moment as Discord's timestamp markup (`<t:…:f>`): each reader sees it in their own
    timezone and language. Discord renders it in message text, embed descriptions and field
    values, not in titles, field names or footers."""
    if when.tzinfo is None:  # the store's times are UTC
        when = when.replace(tzinfo=UTC)
    return f"<t:{int(when.timestamp())}:f>"


def timestamp(when: datetime) -> str:
    """`moment` with how long until (or since) it: for deadlines and closing times."""
    return f"{moment(when)} (<t:{int(when.timestamp())}:R>)"
