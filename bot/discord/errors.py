"""The Discord front end's one safety net.

Every path that runs user-triggered code (the command tree, modals, dynamic items, the
notifier's background jobs) ends here, so a refusal by the core always becomes the same
ephemeral sentence and anything unexpected is logged once with a short incident id that the
user can quote.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord
from discord import app_commands

from bot.core.errors import DomainError
from bot.core.hints import CommandHint
from bot.core.messages import t
from bot.discord.base import NO_MENTIONS

log = logging.getLogger("bot.discord")


# The grammar's `article set <a> min_score|max_reactions <n>` is `/article limits` on Discord.
_LIMITS = ("min_score", "max_reactions")


def discord_command(hint: CommandHint) -> str:
    """A suggested command as Discord's people type it: `/publish article:1`.

    The slash commands carry the grammar's names and parameter keys, so a hint maps onto them
    one to one; a placeholder (`<text>`) becomes `text:…`, the option left to fill in.
    """
    args = dict(hint.args)
    name = hint.name
    if name == "article set" and args.get("field") in _LIMITS:
        name = "article limits"
        args = {"article": args["article"], args["field"]: args.get("value", "…")}
    words = [f"{key}:{'…' if value.startswith('<') else value}" for key, value in args.items()]
    return f"`/{' '.join([name, *words])}`"


def incident(error: BaseException, context: str) -> str:
    """Log `error` with a fresh short reference and return that reference."""
    ref = secrets.token_hex(2)
    log.error("incident %s in %s", ref, context, exc_info=error)
    return ref


def user_message(error: BaseException, context: str) -> str:
    """The sentence a user sees for `error`: the core's own words, or an incident ref."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, DomainError):
        return error.message_for(discord_command)
    if isinstance(error, app_commands.NoPrivateMessage):
        return t("discord.error.guild_only")
    if isinstance(error, app_commands.TransformerError):
        return t("discord.error.bad_option")
    if isinstance(error, app_commands.CommandSignatureMismatch | app_commands.CommandNotFound):
        # Discord still shows an older version of the command: a sync fixes it, no bug here.
        log.warning("%s: %s", context, error)
        return t("discord.error.out_of_date")
    return t("error.unexpected", ref=incident(error, context))


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer the user ephemerally, whether or not the interaction was acknowledged yet."""
    name = interaction.command.qualified_name if interaction.command else None
    data = interaction.data or {}
    context = name or str(data.get("custom_id", "interaction"))
    if interaction.type is discord.InteractionType.autocomplete:
        # Suggestions cannot carry a message; a failure there is only ever ours.
        incident(error, f"autocomplete of {context}")
        return
    text = user_message(error, context)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
    except discord.HTTPException as exc:
        log.warning("could not tell the user about an error (%s): %r", context, exc)


@asynccontextmanager
async def guarded(interaction: discord.Interaction) -> AsyncIterator[None]:
    """Run a component or modal handler under the safety net (discord.py only logs those)."""
    try:
        yield
    except Exception as error:
        await report_error(interaction, error)
