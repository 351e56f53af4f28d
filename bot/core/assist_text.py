"""Plain-text presentation of translation help: revisions with their changes, the glossary,
warnings, remarks; shared by the dispatcher and the front ends that show them as text."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.localtime import format_when
from bot.core.messages import t
from bot.core.models import GlossaryWarning, Remark, StatusBoard, Translation
from bot.core.style import StyleWarning
from bot.core.textdiff import Segment
from bot.core.validation import excerpt


def kind_name(translation: Translation, language: str | None = None) -> str:
    model = f" {translation.model}" if translation.model else ""
    return t(
        f"kind.{translation.kind.value}",
        language,
        provider=translation.provider or "-",
        model=model,
    )


def revision_line(
    translation: Translation, language: str | None = None, timezone: str | None = None
) -> str:
    """A revision with its time in the team's `timezone`, the zone named (as history lines)."""
    return t(
        "line.revision",
        language,
        when=format_when(translation.created_at, language, timezone),
        **_revision_params(translation, language),
    )


def revision_title(translation: Translation, language: str | None = None) -> str:
    """`revision_line` without its time, for a front end that shows the time its own way
    (Discord's `<t:…>` markup, which an embed field's name does not render)."""
    return t("line.revision_untimed", language, **_revision_params(translation, language))


def _revision_params(translation: Translation, language: str | None) -> dict[str, object]:
    source = (
        t("line.revision_source", language, revision=translation.source_revision)
        if translation.source_revision
        else ""
    )
    return {
        "revision": translation.revision,
        "name": translation.translator_name,
        "kind": kind_name(translation, language),
        "source": source,
    }


def changes_text(changes: Iterable[Segment]) -> str:
    """`[-removed-]{+added+}` inside what stayed, as one block of text."""
    parts = []
    for op, text in changes:
        parts.append({"delete": f"[-{text}-]", "insert": f"{{+{text}+}}"}.get(op, text))
    return "".join(parts)


def glossary_warning_line(warning: GlossaryWarning, language: str | None = None) -> str:
    return t(
        "line.glossary_warning",
        language,
        number=warning.number,
        source=warning.source,
        target=warning.target,
    )


def remark_line(remark: Remark, language: str | None = None) -> str:
    return t(
        "line.remark",
        language,
        number=remark.comment_number,
        revision=remark.revision,
        name=remark.author_name,
        text=excerpt(remark.text, 200),
    )


def warning_lines(
    style: Iterable[StyleWarning], glossary: Iterable[GlossaryWarning], language: str | None = None
) -> list[str]:
    """One "- …" line per warning: style first, then glossary."""
    lines = [f"- {w.message(language)}" for w in style]
    lines += [f"- {glossary_warning_line(w, language)}" for w in glossary]
    return lines


def assist_status_fields(
    board: StatusBoard, language: str | None = None
) -> list[tuple[str, list[str]]]:
    """The status board's sections for machine drafts, open remarks and glossary warnings:
    (heading, lines) for each one that has anything to show."""
    fields = []
    if board.machine_drafts:
        numbers = ", ".join(f"#{n}" for n in board.machine_drafts)
        fields.append((t("status.machine_heading", language), [numbers]))
    if board.remarks:
        fields.append(
            (t("status.remarks", language), [remark_line(r, language) for r in board.remarks])
        )
    if board.glossary_warnings:
        lines = [glossary_warning_line(w, language) for w in board.glossary_warnings]
        fields.append((t("status.glossary", language), lines))
    return fields


def assist_status_lines(board: StatusBoard, language: str | None = None) -> list[str]:
    """The same sections as text lines, for the text front ends' status board."""
    lines = []
    if board.machine_drafts:
        numbers = ", ".join(f"#{n}" for n in board.machine_drafts)
        lines.append(t("status.machine", language, comments=numbers))
    for heading, items in assist_status_fields(board, language)[1 if board.machine_drafts else 0 :]:
        lines.append(heading)
        lines += [f"- {item}" for item in items]
    return lines
