"""Persistent buttons and selects: their ids live in the custom_id, so they keep working
after a restart (discord.py matches the templates below against every click).

Each callback is a translation: who clicked, which ids -> one core call -> an ephemeral
answer. Cards are redrawn by the notifier from the core's events, not here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.core.errors import InvalidInput
from bot.core.hidden import vote_reply
from bot.core.messages import t
from bot.core.models import Article, ArticleState, Comment
from bot.core.replies import blog_lines
from bot.discord import cards
from bot.discord.assist_items import (
    AcceptButton,
    MachineDraftButton,
    RemarkButton,
    TranslateButton,
)
from bot.discord.base import NO_MENTIONS, SpeaksToPerson, in_time, say, service
from bot.discord.errors import guarded
from bot.discord.identity import actor_for, actor_of, space_of, system_actor
from bot.discord.importing import ImportButton
from bot.discord.modals import CommentModal, RejectModal

if TYPE_CHECKING:
    from bot.core.service import HannoService

VOTE_REPLIES = {
    "up": "discord.reply.voted_up",
    "down": "discord.reply.voted_down",
    "clear": "discord.reply.vote_withdrawn",
}


class VoteButton(
    SpeaksToPerson,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"hanno:vote:(?P<comment>\d{1,15}):(?P<choice>up|down|clear)",
):
    """Up / Down / Withdraw on a comment card."""

    STYLES = {
        "up": (discord.ButtonStyle.success, "▲", "discord.button.up"),
        "down": (discord.ButtonStyle.danger, "▼", "discord.button.down"),
        "clear": (discord.ButtonStyle.secondary, None, "discord.button.withdraw"),
    }

    def __init__(self, comment: int, choice: str) -> None:
        style, emoji, label = self.STYLES[choice]
        super().__init__(
            discord.ui.Button(
                style=style,
                emoji=emoji,
                label=t(label),
                custom_id=f"hanno:vote:{comment}:{choice}",
            )
        )
        self.comment = comment
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> VoteButton:
        return cls(int(match["comment"]), match["choice"])

    async def callback(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            comment = await in_time(
                interaction,
                service(interaction).vote(actor_of(interaction), self.comment, self.choice),
            )
            await say(
                interaction,
                vote_reply(comment, self.choice)
                if comment.hidden_votes is not None
                else t(
                    VOTE_REPLIES[self.choice], number=comment.number, score=f"{comment.score:+d}"
                ),
            )


class ClaimButton(
    SpeaksToPerson,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"hanno:claim:(?P<comment>\d{1,15})",
):
    """A translator takes a selected comment."""

    def __init__(self, comment: int) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.primary,
                label=t("discord.button.claim"),
                custom_id=f"hanno:claim:{comment}",
            )
        )
        self.comment = comment

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> ClaimButton:
        return cls(int(match["comment"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            comment = await in_time(
                interaction, service(interaction).claim(actor_of(interaction), self.comment)
            )
            await say(interaction, t("discord.reply.claimed", number=comment.number))


class AssignSelect(
    SpeaksToPerson,
    discord.ui.DynamicItem[discord.ui.UserSelect],
    template=r"hanno:assign:(?P<comment>\d{1,15})",
):
    """A moderator picks the translator right on the card."""

    def __init__(self, comment: int) -> None:
        super().__init__(
            discord.ui.UserSelect(
                placeholder=t("discord.select.assign"),
                custom_id=f"hanno:assign:{comment}",
                min_values=1,
                max_values=1,
            )
        )
        self.comment = comment

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.UserSelect, match: re.Match[str]
    ) -> AssignSelect:
        return cls(int(match["comment"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            if not self.item.values:  # Discord always sends one; a forged click may not
                raise InvalidInput("discord.error.no_user_chosen")
            chosen = self.item.values[0]
            assignee = actor_for(chosen, space_of(interaction))
            comment = await in_time(
                interaction,
                service(interaction).assign(actor_of(interaction), self.comment, assignee),
            )
            await say(
                interaction,
                t("discord.reply.assigned", number=comment.number, name=assignee.name),
            )


class SubmitCommentButton(
    SpeaksToPerson,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"hanno:submit:(?P<article>\d{1,15})",
):
    """On the article card: opens the comment form."""

    def __init__(self, article: int) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.primary,
                label=t("discord.button.submit_comment"),
                custom_id=f"hanno:submit:{article}",
            )
        )
        self.article = article

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> SubmitCommentButton:
        return cls(int(match["article"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            await interaction.response.send_modal(CommentModal(self.article))


class ReviewButton(
    SpeaksToPerson,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"hanno:review:(?P<article>\d{1,15}):(?P<action>approve|reject)",
):
    """Approve / Request changes on the review post."""

    def __init__(self, article: int, action: str) -> None:
        approve = action == "approve"
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.success if approve else discord.ButtonStyle.danger,
                label=t("discord.button.approve")
                if approve
                else t("discord.button.request_changes"),
                custom_id=f"hanno:review:{article}:{action}",
            )
        )
        self.article = article
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> ReviewButton:
        return cls(int(match["article"]), match["action"])

    async def callback(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            if self.action == "reject":
                await service(interaction).reject_form(actor_of(interaction), self.article)
                await interaction.response.send_modal(RejectModal(self.article))
                return
            await approve_reply(interaction, self.article)


async def approve_reply(interaction: discord.Interaction, article: int, note: str = "") -> None:
    """Approve through the core and tell the moderator where the draft stands."""
    svc = service(interaction)
    actor = actor_of(interaction)
    approved = await in_time(interaction, svc.approve(actor, article, note))
    board = await svc.status(actor, article)
    if approved.state is ArticleState.APPROVED:
        await say(interaction, t("discord.reply.approved_done", number=article))
    else:
        await say(
            interaction,
            t(
                "discord.reply.approved",
                number=article,
                approvals=board.fresh_approvals,
                required=board.approvals_required,
            ),
        )


class BlogButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"hanno:blog:(?P<article>\d{1,15}):(?P<target>[A-Za-z0-9_.-]{1,40})",
):
    """ "Publish to <blog>" on an approved article's review post: `/publish <a> to:<blog>`."""

    def __init__(self, article: int, target: str) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.primary,
                label=t("discord.button.publish_to", target=target)[:80],
                custom_id=f"hanno:blog:{article}:{target}",
            )
        )
        self.article = article
        self.target = target

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> BlogButton:
        return cls(int(match["article"]), match["target"])

    async def callback(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            await blog_reply(interaction, self.article, self.target)


async def blog_reply(interaction: discord.Interaction, article: int, target: str) -> None:
    """Post the article to one blog and tell the moderator what the blog answered."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    outcomes = await service(interaction).publish_to_blogs(actor_of(interaction), article, [target])
    await say(interaction, "\n".join(blog_lines(article, outcomes)))


class PageButton(
    SpeaksToPerson,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"hanno:page:(?P<article>\d{1,15}):(?P<page>\d{1,6}):(?P<way>p|n)",
):
    """Flip the pages of a long draft on the review post."""

    def __init__(self, article: int, page: int, way: str, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                label=t("discord.button.previous") if way == "p" else t("discord.button.next"),
                custom_id=f"hanno:page:{article}:{page}:{way}",
                disabled=disabled,
            )
        )
        self.article = article
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> PageButton:
        return cls(int(match["article"]), int(match["page"]), match["way"])

    async def callback(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            svc = service(interaction)
            embed, view = await review_message(svc, space_of(interaction), self.article, self.page)
            await interaction.response.edit_message(
                embed=embed, view=view, allowed_mentions=NO_MENTIONS
            )


# --- views ---------------------------------------------------------------------------------


def comment_view(comment: Comment, article: Article, space: str) -> discord.ui.View | None:
    """The buttons a comment card shows: votes while collecting, translation work after."""
    view = discord.ui.View(timeout=None)
    if article.open_for_comments:
        for choice in ("up", "down", "clear"):
            view.add_item(VoteButton(comment.number, choice))
    elif article.translation_open(comment):
        if comment.assignee_id is None:
            view.add_item(ClaimButton(comment.number))
        view.add_item(TranslateButton(space, comment.number))
        view.add_item(MachineDraftButton(space, comment.number))
        view.add_item(AssignSelect(comment.number))
    return view if view.children else None


def article_view(article: Article) -> discord.ui.View | None:
    if not article.open_for_comments:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(SubmitCommentButton(article.number))
    view.add_item(ImportButton(article.number))
    return view


def translate_view(space: str, comment: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(TranslateButton(space, comment))
    view.add_item(MachineDraftButton(space, comment))
    return view


async def review_message(
    svc: HannoService, space: str, article_number: int, page: int = 1
) -> tuple[discord.Embed, discord.ui.View | None]:
    """The review post for `article_number` as it stands now, showing draft page `page`."""
    actor = system_actor(space)
    article = await svc.get_article(actor, article_number)
    board = await svc.status(actor, article_number)
    document = await svc.document(actor, article_number)
    pages = svc.renderer.chat_parts(document, cards.PAGE_LIMIT) or [""]
    page = max(1, min(page, len(pages)))
    embed = cards.review_embed(article, board, pages[page - 1], page, len(pages))
    view = discord.ui.View(timeout=None)
    if article.state is ArticleState.REVIEW:
        view.add_item(ReviewButton(article_number, "approve"))
        view.add_item(ReviewButton(article_number, "reject"))
        view.add_item(RemarkButton(article_number))
    if article.state in (ArticleState.APPROVED, ArticleState.PUBLISHED):
        for name in svc.target_names()[:20]:  # room is left for the page buttons (25 in all)
            view.add_item(BlogButton(article_number, name))
    if len(pages) > 1:
        view.add_item(PageButton(article_number, page - 1, "p", disabled=page <= 1))
        view.add_item(PageButton(article_number, page + 1, "n", disabled=page >= len(pages)))
    return embed, (view if view.children else None)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    VoteButton,
    ClaimButton,
    TranslateButton,
    MachineDraftButton,
    AcceptButton,
    RemarkButton,
    AssignSelect,
    SubmitCommentButton,
    ImportButton,
    ReviewButton,
    BlogButton,
    PageButton,
)
