"""Importing a thread on Discord: `/comment import`, and the "Import a thread" button on an
article's announcement that opens a form with the link.

An import can take longer than Discord's 3 seconds, so it is deferred at once; the deferred
(ephemeral) answer is edited with the progress now and then and ends as the summary. The
comments' cards are posted by the notifier, one after the other.
"""

from __future__ import annotations

import re
import unicodedata

import discord

from bot.core import validation as check
from bot.core.errors import InvalidInput
from bot.core.import_replies import progress_text, summary_text
from bot.core.messages import t
from bot.core.threads import ImportSummary
from bot.discord.base import NO_MENTIONS, service, with_progress
from bot.discord.errors import guarded
from bot.discord.identity import actor_of
from bot.discord.modals import HannoModal, text_input

# Seconds between two edits of the progress answer (one edit per page would be rate-limited).
PROGRESS_EVERY = 1.0


async def run_import(
    interaction: discord.Interaction,
    article: int,
    url: str,
    *,
    top: int | None = None,
    min_score: int | None = None,
    langs: str = "",
    replies: bool = False,
) -> ImportSummary:
    """Defer, import through the core with progress edits, answer with the summary."""
    summary = await with_progress(
        interaction,
        lambda progress: service(interaction).import_comments(
            actor_of(interaction),
            article,
            url,
            top=top,
            min_score=min_score,
            langs=[code for code in re.split(r"[,\s]+", langs) if code],
            replies=replies,
            progress=lambda count: progress(progress_text(count)),
        ),
        every=PROGRESS_EVERY,
    )
    await interaction.edit_original_response(
        content=summary_text(summary), allowed_mentions=NO_MENTIONS
    )
    return summary


class ImportModal(HannoModal):
    """The link of the thread to import, and how many comments (optional)."""

    def __init__(self, article: int) -> None:
        super().__init__(title=t("discord.modal.import_title", number=article))
        self.article = article
        self.url = text_input(t("discord.modal.import_url"), custom_id="url", max_length=2000)
        self.top = text_input(
            t("discord.modal.import_top"), custom_id="top", required=False, max_length=4
        )
        self.langs = text_input(
            t("discord.modal.import_lang"), custom_id="lang", required=False, max_length=40
        )
        for item in (self.url, self.top, self.langs):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        top = unicodedata.normalize("NFKC", self.top.value).strip()
        if top and not top.isdecimal():
            raise InvalidInput("import.bad_top", field="top", value=check.shown(top))
        await run_import(
            interaction,
            self.article,
            self.url.value.strip(),
            top=int(top) if top else None,
            langs=self.langs.value,
        )


class ImportButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"hanno:import:(?P<article>\d{1,15})"
):
    """On the article card: asks the core whether this person may import, then opens the
    form (a refusal comes at the click, not after pasting a link)."""

    def __init__(self, article: int) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                label=t("discord.button.import"),
                custom_id=f"hanno:import:{article}",
            )
        )
        self.article = article

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> ImportButton:
        return cls(int(match["article"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        async with guarded(interaction):
            await service(interaction).import_form(actor_of(interaction), self.article)
            await interaction.response.send_modal(ImportModal(self.article))
