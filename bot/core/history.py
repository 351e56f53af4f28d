"""An article's audit history in plain words: 「aikoさんが #3 の翻訳を提出しました」.

The store keeps each step as an action code and a short detail written by the service
("translate", "#3 revision 2"); this module reads the detail back into the values a sentence
needs, so old and new databases read the same. A step this module does not know is still shown
(code and detail), never hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.errors import phrase
from bot.core.localtime import format_when
from bot.core.messages import t, tn
from bot.core.models import HistoryEntry

# (catalogue key, params from the detail, the param that picks the plural form or None)
Reading = tuple[str, dict[str, str], str | None]
Reader = Callable[[str, str], Reading | None]


def _pattern(regex: str, key: str, plural: str | None = None) -> Reader:
    compiled = re.compile(regex, re.DOTALL)

    def read(name: str, detail: str) -> Reading | None:
        found = compiled.fullmatch(detail)
        return None if found is None else (key, found.groupdict(), plural)

    return read


def _held(name: str, detail: str) -> Reading | None:
    found = re.fullmatch(r"(?P<comment>#\d+)(?: to (?P<holder>.+))?", detail, re.DOTALL)
    if found is None:
        return None
    if found["holder"] is None or found["holder"] == name:
        return "history.claim", {"comment": found["comment"]}, None
    return "history.assign", found.groupdict(), None


def _released(name: str, detail: str) -> Reading | None:
    found = re.fullmatch(r"(?P<comment>#\d+) from (?P<holder>.+)", detail, re.DOTALL)
    if found is None:
        return None
    key = "history.release_own" if found["holder"] == name else "history.release"
    return key, found.groupdict(), None


def _approved(name: str, detail: str) -> Reading | None:
    found = re.fullmatch(r"(?P<count>\d+)/(?P<required>\d+)(?:: (?P<note>.*))?", detail, re.DOTALL)
    if found is None:
        return None
    if found["note"]:
        return "history.approved_note", found.groupdict(), None
    return "history.approved", {"count": found["count"], "required": found["required"]}, None


def _closed(name: str, detail: str) -> Reading | None:
    """Closed by hand ("3 selected of 5"), or by the schedule `name` set, perhaps late."""
    found = re.fullmatch(
        r"(?P<selected>\d+) selected of (?P<total>\d+)"
        r"(?:, scheduled for (?P<due>\S+?)(?P<late> \(late\))?)?",
        detail,
    )
    if found is None:
        return None
    counts = {"selected": found["selected"], "total": found["total"]}
    if found["due"] is None:
        return "history.closed", counts, "total"
    key = "history.closed_late" if found["late"] else "history.closed_scheduled"
    return key, {**counts, "due": found["due"]}, "total"


def _set(field: str) -> Reader:
    def read(name: str, detail: str) -> Reading:
        return "history.set", {"field": phrase("field", field), "value": detail}, None

    return read


READERS: dict[str, Reader] = {
    "created": _pattern(r"(?P<title>.*)", "history.created"),
    "add_source": _pattern(r"(?P<position>\d+): (?P<url>.*)", "history.add_source"),
    "closed": _closed,
    "reopened": _pattern(r"", "history.reopened"),
    "comment_added": _pattern(r"(?P<comment>#\d+)", "history.comment_added"),
    "pick": _pattern(r"(?P<comment>#\d+)", "history.pick"),
    "drop": _pattern(r"(?P<comment>#\d+)", "history.drop"),
    "move": _pattern(r"(?P<comment>#\d+) to (?P<position>\d+)", "history.move"),
    "persona": _pattern(r"(?P<comment>#\d+) (?P<persona>.*)", "history.persona"),
    "claim": _held,
    "assign": _held,
    "release": _released,
    "translate": _pattern(r"(?P<comment>#\d+) revision (?P<revision>\d+)", "history.translate"),
    "draft_built": _pattern(r"", "history.draft_built"),
    "submitted": _pattern(r"", "history.submitted"),
    "approved": _approved,
    "rejected": _pattern(r"(?P<reason>.*)", "history.rejected"),
    "approval_withdrawn": _pattern(r"", "history.approval_withdrawn"),
    "publish_failed": _pattern(r"part (?P<part>\d+) of (?P<total>\d+)", "history.publish_failed"),
    "published": _pattern(r"(?P<parts>\d+) parts?", "history.published", "parts"),
    "blog_created": _pattern(r"(?P<target>[^:]+): (?P<url>.*)", "history.blog_created"),
    "blog_updated": _pattern(r"(?P<target>[^:]+): (?P<url>.*)", "history.blog_updated"),
    "blog_failed": _pattern(r"(?P<target>[^:]+): (?P<problem>.*)", "history.blog_failed"),
    "blog_gone": _pattern(r"(?P<target>[^:]+): (?P<problem>.*)", "history.blog_gone"),
    # translation help
    "machine_draft": _pattern(
        r"(?P<comment>#\d+) revision (?P<revision>\d+)", "history.machine_draft"
    ),
    "machine_drafts": _pattern(
        r"(?P<count>\d+) comments \((?P<service>.*)\)", "history.machine_drafts", "count"
    ),
    "accept": _pattern(r"(?P<comment>#\d+) revision (?P<revision>\d+)", "history.accept"),
    "restore": _pattern(
        r"(?P<comment>#\d+) revision (?P<revision>\d+) from (?P<source>\d+)", "history.restore"
    ),
    "remark": _pattern(r"(?P<comment>#\d+): (?P<text>.*)", "history.remark"),
    "resolve_remarks": _pattern(
        r"(?P<comment>#\d+): (?P<count>\d+)", "history.resolve_remarks", "count"
    ),
    "glossary_dismiss": _pattern(r"(?P<comment>#\d+): (?P<terms>.*)", "history.glossary_dismiss"),
}


def _same(text: str) -> str:
    return text


def describe(entry: HistoryEntry, escape: Callable[[str], str] = _same) -> str:
    """One step as a sentence in the active language; `escape` makes people's text inert
    for the platform's markup (names, titles, reasons)."""
    name, action, detail = entry.actor_name, entry.action, entry.detail
    reader = _set(action.removeprefix("set_")) if action.startswith("set_") else READERS.get(action)
    reading = reader(name, detail) if reader else None
    if reading is None:
        return t("history.other", name=escape(name), action=action, detail=escape(detail)).rstrip()
    key, params, plural = reading
    # Numbers and "#12" are the service's own; names, titles and reasons are people's.
    safe = {
        k: v if k == "field" or re.fullmatch(r"#?\d+", v) else escape(v) for k, v in params.items()
    }
    if plural is not None:
        return tn(key, int(params[plural]), name=escape(name), **safe)
    return t(key, name=escape(name), **safe)


def history_line(entry: HistoryEntry, timezone: str | None = None) -> str:
    """'3. 2026/03/02 18:30 JST — aikoさんが #3 の翻訳を提出しました（第 2 版）。'"""
    when = format_when(entry.at, timezone=timezone)
    return t("history.line", seq=entry.seq, when=when, sentence=describe(entry))
