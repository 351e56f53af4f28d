"""Slash-command options checked against what the command declared, before any code runs.

Discord validates options it sends, but discord.py trusts them: an integer that arrives as a
bool or a list, a value outside the declared choices or a missing required option would reach
the core (or the database) and end as an incident instead of a plain answer. Checking the
payload against the command's own declaration keeps every refusal a sentence.
"""

from __future__ import annotations

from typing import Any

from discord import AppCommandOptionType as T
from discord import app_commands

MAX_SAFE_INTEGER = 2**53  # Discord's integer options are JavaScript numbers
SNOWFLAKE_TYPES = {T.user, T.channel, T.role, T.mentionable, T.attachment}


def leaf_options(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The options of the invoked (sub)command, below any subcommand groups."""
    options = data.get("options") or []
    while (
        isinstance(options, list)
        and len(options) == 1
        and isinstance(options[0], dict)
        and options[0].get("type") in (T.subcommand.value, T.subcommand_group.value)
    ):
        options = options[0].get("options") or []
    return options if isinstance(options, list) else [{}]


def _value_fits(kind: T, value: Any) -> bool:
    if kind is T.string:
        return isinstance(value, str)
    if kind is T.integer:
        return type(value) is int and -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER
    if kind is T.number:
        return type(value) in (int, float) and abs(value) <= MAX_SAFE_INTEGER
    if kind is T.boolean:
        return type(value) is bool
    if kind in SNOWFLAKE_TYPES:
        return isinstance(value, str) and value.isdigit() and len(value) <= 20
    return False


def option_problem(
    command: app_commands.Command[Any, ..., Any], data: dict[str, Any]
) -> str | None:
    """Why the options in `data` do not fit `command`, or None when they do."""
    # Discord sends the displayed names (`app_commands.rename`), not the Python ones.
    declared = {p.display_name: p for p in command.parameters}
    given: set[str] = set()
    for option in leaf_options(data):
        if not isinstance(option, dict):
            return "malformed option"
        name = option.get("name")
        parameter = declared.get(name) if isinstance(name, str) else None
        if parameter is None:
            return f"unknown option {str(name)[:32]!r}"
        if name in given:
            return f"option {name!r} given twice"
        given.add(name)
        value = option.get("value")
        if option.get("type") != parameter.type.value or not _value_fits(parameter.type, value):
            return f"option {name!r} has the wrong type"
        if parameter.choices and value not in {c.value for c in parameter.choices}:
            return f"option {name!r} is not one of its choices"
    missing = [
        p.display_name for p in command.parameters if p.required and p.display_name not in given
    ]
    if missing:
        return f"missing option {missing[0]!r}"
    return None
