"""Slash commands in the person's language: discord.py's `app_commands.Translator`.

When the commands are synced, discord.py asks the translator for every name and description
in every Discord locale (`name_localizations` / `description_localizations`), so a client set
to Japanese shows `/記事 作成` and Japanese help text. The strings come from the catalogue;
which key is read from what discord.py is translating (the command, option or choice), so the
cogs keep their plain English declarations.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.core.messages import DEFAULT_LANGUAGE, has, negotiate, t


def _command_path(command: Any) -> str:
    """`article.new` for /article new, `vote` for /vote."""
    return str(getattr(command, "qualified_name", "")).replace(" ", ".")


def catalogue_key(
    string: app_commands.locale_str, context: app_commands.TranslationContext
) -> str | None:
    """The catalogue key for what discord.py is translating, or None to leave it English."""
    data: Any = context.data
    where = context.location
    if where in (Where.command_name, Where.group_name):
        if isinstance(data, app_commands.ContextMenu):
            return "discord.cmd.submit_as_reaction"
        return f"discord.name.{_command_path(data)}"
    if where in (Where.command_description, Where.group_description):
        return f"discord.cmd.{_command_path(data)}"
    # An option is known by the name Discord shows (`app_commands.rename`: `in`, not `in_`).
    if where is Where.parameter_name:
        return f"discord.name.option.{data.display_name}"
    if where is Where.parameter_description:
        return f"discord.opt.{_command_path(data.command)}.{data.display_name}"
    if where is Where.choice_name:
        return f"discord.choice.{data.value}"
    return None


class CatalogueTranslator(app_commands.Translator):
    """Names and descriptions from the message catalogue, for each language it has."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContext,
    ) -> str | None:
        language = negotiate(locale.value)
        if language == DEFAULT_LANGUAGE:
            return None  # the declarations are the English
        key = catalogue_key(string, context)
        if key is None or not has(key):
            return None
        return t(key, language)
