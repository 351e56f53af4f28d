"""The buttons of translation work: the translation form, machine drafts and accepting them,
and review remarks. Persistent like every other item (ids in the custom_id)."""

from __future__ import annotations

import re

import discord

from bot.core.messages import t
from bot.core.models import Comment, Role
from bot.discord import cards
from bot.discord.base import SpeaksToPerson, say, service
from bot.discord.errors import guarded
from bot.discord.identity import actor_in, actor_of
from bot.discord.modals import RemarkModal, TranslationModal, warnings_text


class TranslateButton(
    SpeaksToPerson,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"hanno:translate:(?P<space>\d{1,20}):(?P<comment>\d{1,15})",
):
    """Opens the translation form, prefilled; carries the guild so it works from a DM."""

    def __init__(self, space: str, comment: int) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.primary,
                label=t("discord.button.translate"),
                custom_id=f"hanno:translate:{space}:{comment}",
            )
        )
        self.space = space
        self.comment = comment

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> TranslateButton:
        return cls(match["space"], int(match["comment"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            actor = await actor_in(interaction, self.space)
            comment = await service(interaction).translation_form(actor, self.comment)
            await interaction.response.send_modal(TranslationModal.for_comment(self.space, comment))


class MachineDraftButton(
    SpeaksToPerson,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"hanno:mdraft:(?P<space>\d{1,20}):(?P<comment>\d{1,15})",
):
    """Gets a machine draft for the comment, then offers the form (prefilled with it) and
    "Accept as is". The provider may take seconds, so the answer is deferred first."""

    def __init__(self, space: str, comment: int) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                label=t("discord.button.machine_draft"),
                custom_id=f"hanno:mdraft:{space}:{comment}",
            )
        )
        self.space = space
        self.comment = comment

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> MachineDraftButton:
        return cls(match["space"], int(match["comment"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            actor = await actor_in(interaction, self.space)
            await interaction.response.defer(ephemeral=True, thinking=True)
            comment = await service(interaction).suggest(actor, self.comment)
            await say(
                interaction,
                await machine_draft_text(interaction, comment),
                view=draft_view(self.space, self.comment),
            )


async def machine_draft_text(interaction: discord.Interaction, comment: Comment) -> str:
    """The machine draft as the translator sees it, with its warnings."""
    draft = comment.translation
    assert draft is not None
    text = t(
        "discord.reply.machine_draft",
        number=comment.number,
        service=draft.provider,
        text=cards.quoted(draft.text),
    )
    return cards.clip(text + await warnings_text(interaction, comment.space, comment.number), 2000)


class AcceptButton(
    SpeaksToPerson,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"hanno:accept:(?P<space>\d{1,20}):(?P<comment>\d{1,15})",
):
    """Takes the comment's machine draft as it is (recorded as accepted machine text)."""

    def __init__(self, space: str, comment: int) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.success,
                label=t("discord.button.accept_draft"),
                custom_id=f"hanno:accept:{space}:{comment}",
            )
        )
        self.space = space
        self.comment = comment

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> AcceptButton:
        return cls(match["space"], int(match["comment"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            actor = await actor_in(interaction, self.space)
            comment = await service(interaction).accept(actor, self.comment)
            revision = comment.translation.revision if comment.translation else 0
            text = t("discord.reply.accepted", number=self.comment, revision=revision)
            await say(
                interaction, text + await warnings_text(interaction, self.space, self.comment)
            )


class RemarkButton(
    SpeaksToPerson,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"hanno:remark:(?P<article>\d{1,15})",
):
    """On the review post: a reviewer's remark on one comment's translation."""

    def __init__(self, article: int) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                label=t("discord.button.remark"),
                custom_id=f"hanno:remark:{article}",
            )
        )
        self.article = article

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> RemarkButton:
        return cls(int(match["article"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            service(interaction).policy.require(
                actor_of(interaction), Role.MODERATOR, "leave review remarks"
            )
            await interaction.response.send_modal(RemarkModal(self.article))


def draft_view(space: str, comment: int) -> discord.ui.View:
    """Under a machine draft: edit it in the form, or accept it as it is."""
    view = discord.ui.View(timeout=None)
    view.add_item(TranslateButton(space, comment))
    view.add_item(AcceptButton(space, comment))
    return view
