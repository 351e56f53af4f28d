"""The text command grammar of DESIGN.md, parsed once here for Slack (`/hanno …`) and the
console (`/…`), so both accept the same lines and refuse them with the same sentences.

    parse(line) -> Command           # raises ParseError (one sentence: what's wrong, what to do)
    help_text(topic=None) -> str     # overview, or details of "comment add" / "comment" / ...
    COMMANDS: dict[str, CommandSpec] # the table that drives both; args keys are listed in .spec
"""

from __future__ import annotations

from bot.core.grammar.helptext import help_text
from bot.core.grammar.parser import Command, parse, resolve_topic
from bot.core.grammar.spec import COMMANDS, CommandSpec, Kind, Option, OptionKind, Param

__all__ = [
    "COMMANDS",
    "Command",
    "CommandSpec",
    "Kind",
    "Option",
    "OptionKind",
    "Param",
    "help_text",
    "parse",
    "resolve_topic",
]
