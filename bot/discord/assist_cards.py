"""Embeds of translation help on Discord: a comment's revisions, the glossary, and the
warnings of a draft."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.assist import GlossaryEntry
from bot.core.assist_text import changes_text, revision_title, warning_lines
from bot.core.messages import t
from bot.core.service import Revision, TranslationWarnings
from bot.discord.cards import COLOUR, DESCRIPTION_LIMIT, FIELD_LIMIT, clip, moment, quoted

MAX_FIELDS = 25


def revisions_embed(number: int, revisions: Sequence[Revision]) -> discord.Embed:
    """Each revision (newest last, the last 25) with its changes as `[-…-]{+…+}`, its time
    as `<t:…>` markup in the field's value (a field's name shows markup as typed)."""
    embed = discord.Embed(title=t("discord.revisions.title", number=number), colour=COLOUR)
    for item in revisions[-MAX_FIELDS:]:
        changes = quoted(changes_text(item.changes)) or "-"
        embed.add_field(
            name=clip(revision_title(item.translation), 256),
            value=clip(f"{moment(item.translation.created_at)}\n{changes}", FIELD_LIMIT),
            inline=False,
        )
    return embed


def glossary_embed(entries: Sequence[GlossaryEntry]) -> discord.Embed:
    lines = [
        t(
            "line.glossary",
            source=quoted(e.source),
            target=quoted(e.target),
            note=f" ({quoted(e.note)})" if e.note else "",
        )
        for e in entries
    ]
    return discord.Embed(
        title=t("discord.glossary.title"),
        description=clip("\n".join(lines), DESCRIPTION_LIMIT),
        colour=COLOUR,
    )


def draft_warnings_embed(warnings: Sequence[TranslationWarnings]) -> discord.Embed:
    """The draft's warnings, a field per comment; the moderator can build anyway."""
    embed = discord.Embed(title=t("reply.draft_warnings"), colour=COLOUR)
    for item in warnings[:MAX_FIELDS]:
        lines = warning_lines(item.style, item.glossary)
        embed.add_field(
            name=f"#{item.number}", value=clip(quoted("\n".join(lines)), FIELD_LIMIT), inline=False
        )
    return embed
