"""How an import reads to people: its summary, and the source line of an imported card."""

from __future__ import annotations

from bot.core.messages import t
from bot.core.models import Comment
from bot.core.threads import ImportSummary

REASONS = ("deleted", "bots", "too_long", "unusable", "low_score", "other_language", "beyond_top")


def summary_text(summary: ImportSummary, language: str | None = None) -> str:
    """The import's summary in a few sentences: what was added, merged and left out, and why."""
    where = {"site": summary.site, "article": summary.article.number}
    if summary.added:
        numbers = _ranges([c.number for c in summary.added])
        parts = [t("import.summary", language, count=len(summary.added), numbers=numbers, **where)]
    else:
        parts = [t("import.summary_none", language, **where)]
    kept = [
        t(key, language, count=count)
        for key, count in (
            ("import.already", summary.already),
            ("import.duplicates", summary.duplicates),
        )
        if count
    ]
    separator = t("import.separator", language)
    if kept:
        parts.append(t("import.kept", language, items=separator.join(kept)))
    reasons = [
        t(
            f"import.reason.{reason}",
            language,
            count=getattr(summary, reason),
            limit=summary.length_limit,
            top=summary.top,
        )
        for reason in REASONS
        if getattr(summary, reason)
    ]
    if reasons:
        parts.append(t("import.left_out", language, reasons=separator.join(reasons)))
    if summary.truncated:
        parts.append(t("import.truncated", language, count=summary.read))
    if summary.locked:
        parts.append(t("import.locked", language))
    text = parts[0]
    for part in parts[1:]:  # "A. B." in English, 「A。B。」 in Japanese
        text = t("import.then", language, first=text, then=part)
    return text


def _ranges(numbers: list[int]) -> str:
    """#3, #5–#9: consecutive numbers (an import's usually are) as one range."""
    spans: list[list[int]] = []
    for number in sorted(numbers):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(f"#{a}" if a == b else f"#{a}–#{b}" for a, b in spans)


SITE_NAMES = {
    "reddit": "Reddit",
    "x": "X",
    "youtube": "YouTube",
    "hackernews": "Hacker News",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
}


def source_line(comment: Comment, language: str | None = None) -> str:
    """Where an imported comment's card says it came from: "▲ 812 on Reddit" (or just the
    site, where it shows no score)."""
    site = SITE_NAMES.get(comment.source_kind, comment.source_kind)
    if comment.source_score is None:
        return site
    return t("import.card_source", language, score=f"▲ {comment.source_score:,}", site=site)


def progress_text(count: int, language: str | None = None) -> str:
    """How far a long import has come: "Reading the thread…", then with a count."""
    return t("import.progress", language, count=count) if count else t("import.reading", language)
