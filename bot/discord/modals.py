"""Forms for everything long: comments, translations, an article's text, rejection reasons.

Each modal only carries the ids it was opened for and hands what was typed to the core;
refusals come back through the same safety net as every other interaction. A slow core
call defers the answer (`in_time`): a form that "failed" after being saved would be sent
again, and a comment would be there twice.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

import discord

from bot.core.assist_text import warning_lines
from bot.core.errors import InvalidInput
from bot.core.messages import t
from bot.core.models import Comment
from bot.discord.base import SpeaksToPerson, hanno, in_time, say, service
from bot.discord.errors import report_error
from bot.discord.identity import actor_in, actor_of, system_actor

TEXT_MAX = 4000
MODAL_TIMEOUT = 15 * 60


class HannoModal(SpeaksToPerson, discord.ui.Modal):
    """A modal whose errors go through the one error path."""

    def __init__(self, *, title: str) -> None:
        super().__init__(title=title[:45], timeout=MODAL_TIMEOUT)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        await report_error(interaction, error)


def text_input(
    label: str,
    *,
    custom_id: str,
    default: str = "",
    long: bool = False,
    required: bool = True,
    max_length: int = TEXT_MAX,
) -> discord.ui.TextInput:
    return discord.ui.TextInput(
        label=label[:45],
        custom_id=custom_id,
        default=default[:max_length] or None,
        style=discord.TextStyle.long if long else discord.TextStyle.short,
        required=required,
        max_length=max_length,
    )


class CommentModal(HannoModal):
    """Submit a foreign comment to an article (also used by "Submit as reaction")."""

    def __init__(
        self,
        article: int,
        *,
        text: str = "",
        url: str = "",
        author: str = "",
        countries: str = "",
        persona: str = "",
    ) -> None:
        super().__init__(title=t("discord.modal.comment_title", number=article))
        self.article = article
        self.text = text_input(
            t("discord.modal.comment_text"), custom_id="text", default=text, long=True
        )
        self.url = text_input(
            t("discord.modal.comment_url"), custom_id="url", default=url, required=False
        )
        self.author = text_input(
            t("discord.modal.comment_author"),
            custom_id="author",
            default=author,
            required=False,
            max_length=100,
        )
        self.countries = text_input(
            t("discord.modal.comment_country"),
            custom_id="country",
            default=countries,
            required=False,
            max_length=20,
        )
        self.persona = text_input(
            t("discord.modal.comment_persona"),
            custom_id="persona",
            default=persona,
            required=False,
            max_length=40,
        )
        for item in (self.text, self.url, self.author, self.countries, self.persona):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        comment = await in_time(
            interaction,
            service(interaction).add_comment(
                actor_of(interaction),
                self.article,
                self.text.value,
                url=self.url.value.strip(),
                author=self.author.value.strip(),
                persona=self.persona.value.strip() or None,
                countries=self.countries.value.strip(),
            ),
        )
        channel = hanno(interaction).channel_mention(str(interaction.guild_id), "voting")
        await say(
            interaction,
            t(
                "discord.reply.comment_added",
                number=comment.number,
                article=self.article,
                channel=channel,
            ),
        )


class TranslationModal(HannoModal):
    """Write or revise a translation; opened from a card, a DM or /translate submit.
    Prefilled with the latest revision; a machine draft is labelled as one."""

    def __init__(
        self, space: str, comment: int, current: str = "", *, machine: str | None = None
    ) -> None:
        super().__init__(title=t("discord.modal.translation_title", number=comment))
        self.space = space
        self.comment = comment
        label = (
            t("discord.modal.translation_machine", service=machine)
            if machine
            else t("discord.modal.translation_text")
        )
        self.text = text_input(label, custom_id="translation", default=current, long=True)
        self.add_item(self.text)

    @classmethod
    def for_comment(cls, space: str, comment: Comment) -> TranslationModal:
        latest = comment.translation
        return cls(
            space,
            comment.number,
            latest.text if latest else "",
            machine=latest.provider if latest and latest.is_machine else None,
        )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        actor = await actor_in(interaction, self.space)
        comment = await in_time(
            interaction,
            service(interaction).submit_translation(actor, self.comment, self.text.value),
        )
        revision = comment.translation.revision if comment.translation else comment.revisions
        text = t("discord.reply.translated", number=comment.number, revision=revision)
        await say(interaction, text + await warnings_text(interaction, self.space, comment.number))


async def warnings_text(interaction: discord.Interaction, space: str, number: int) -> str:
    """The style and glossary warnings on comment `number`'s translation, as reply lines
    (read as the bot, since the form may have been sent from a DM)."""
    warnings = await service(interaction).translation_warnings(system_actor(space), number)
    if not warnings:
        return ""
    return (
        "\n"
        + t("reply.warnings")
        + "\n"
        + "\n".join(warning_lines(warnings.style, warnings.glossary))
    )


class RemarkModal(HannoModal):
    """A reviewer's remark on one comment's translation, from the review post."""

    def __init__(self, article: int) -> None:
        super().__init__(title=t("discord.modal.remark_title", number=article))
        self.article = article
        self.number = text_input(
            t("discord.modal.remark_comment"), custom_id="comment", max_length=12
        )
        self.text = text_input(
            t("discord.modal.remark_text"), custom_id="text", long=True, max_length=1000
        )
        self.add_item(self.number)
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        digits = unicodedata.normalize("NFKC", self.number.value).strip().lstrip("#")
        if not digits.isdigit():
            raise InvalidInput("discord.error.remark_comment", value=self.number.value[:20])
        number = int(digits)
        remark = await in_time(
            interaction, service(interaction).remark(actor_of(interaction), number, self.text.value)
        )
        await say(interaction, t("discord.reply.remarked", number=number, revision=remark.revision))


class ArticleTextModal(HannoModal):
    """Set an article's title, lead or closing: long text deserves a real text box."""

    def __init__(
        self, article: int, field: Literal["title", "lead", "closing"], current: str = ""
    ) -> None:
        name = t(f"discord.field.{field}")
        super().__init__(title=t("discord.modal.text_title", number=article, field=name))
        self.article = article
        self.field: Literal["title", "lead", "closing"] = field
        self.text = text_input(
            name,
            custom_id="text",
            default=current,
            long=field != "title",
            max_length=200 if field == "title" else TEXT_MAX,
        )
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await in_time(
            interaction,
            service(interaction).set_article_text(
                actor_of(interaction), self.article, self.field, self.text.value
            ),
        )
        await say(
            interaction,
            t(
                "discord.reply.article_set",
                number=self.article,
                field=t(f"discord.field.{self.field}"),
            ),
        )


class RejectModal(HannoModal):
    """Request changes on a draft: a reason is required so the team knows what to fix."""

    def __init__(self, article: int) -> None:
        super().__init__(title=t("discord.modal.reject_title", number=article))
        self.article = article
        self.reason = text_input(
            t("discord.modal.reject_reason"), custom_id="reason", long=True, max_length=1000
        )
        self.add_item(self.reason)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await in_time(
            interaction,
            service(interaction).reject(actor_of(interaction), self.article, self.reason.value),
        )
        await say(interaction, t("discord.reply.rejected", number=self.article))
