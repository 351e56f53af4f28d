"""Help built from the command table, so that help can never describe a command that differs
from what the parser accepts. The words come from the catalogue; the syntax from COMMANDS."""

from __future__ import annotations

from bot.core.grammar.parser import resolve_topic
from bot.core.grammar.spec import COMMANDS, GROUPS, SECTIONS, CommandSpec
from bot.core.messages import t


def help_text(topic: str | None = None) -> str:
    """All commands grouped by area, or the details of one command or group ("comment")."""
    if topic is None or not topic.strip():
        return _overview()
    name = resolve_topic(topic.split())
    if name in GROUPS:
        specs = [spec for spec in COMMANDS.values() if spec.name.split()[0] == name]
        return "\n".join([*(_line(spec) for spec in specs), t("grammar.help.footer")])
    return _details(COMMANDS[name])


def _overview() -> str:
    lines = [t("grammar.help.heading")]
    for section in SECTIONS:
        lines.append("")
        lines.append(t(f"grammar.section.{section}"))
        lines.extend(_line(spec) for spec in COMMANDS.values() if spec.section == section)
    lines.append("")
    lines.append(t("grammar.help.footer"))
    return "\n".join(lines)


def _line(spec: CommandSpec) -> str:
    """One overview line: short usage (options folded into "[options]"), summary, who."""
    usage = spec.brief or spec.usage[0]
    if " [--" in usage:
        usage = usage.split(" [--")[0] + " [options]"
    who = "" if spec.role == "member" else t(f"grammar.help.only.{spec.role}")
    return t("grammar.help.line", usage=usage, summary=t(spec.summary_key), who=who)


def _details(spec: CommandSpec) -> str:
    lines = [
        *spec.usage,
        t(spec.summary_key),
        t("grammar.help.who", who=t(f"grammar.role.{spec.role}")),
    ]
    if spec.options:
        lines.append(t("grammar.help.options"))
        for option in spec.options:
            lines.append(
                t(
                    "grammar.help.option",
                    option=option.written,
                    text=t(option.help_key),
                )
            )
    lines.append(t("grammar.help.example", example=t(spec.example_key)))
    return "\n".join(lines)
