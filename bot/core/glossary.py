"""The glossary check on a submitted translation: when the original names a glossary term
and the translation lacks the team's rendering of it, the translator is told (not refused).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from bot.core.assist import GlossaryEntry
from bot.core.models import GlossaryWarning


def term_key(term: str) -> str:
    """A term as it is matched and stored: case-folded, inner spaces collapsed."""
    return " ".join(term.split()).casefold()


@lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern[str]:
    """The term as a whole word where it starts or ends with a letter or digit (so "Sato"
    is not found in "Satoshi"), as a plain substring elsewhere (Japanese has no spaces)."""
    words = [re.escape(part) for part in term.split()]
    body = r"\s+".join(words)
    head = r"(?<![\w])" if term[:1].isalnum() and term[:1].isascii() else ""
    tail = r"(?![\w])" if term[-1:].isalnum() and term[-1:].isascii() else ""
    return re.compile(head + body + tail, re.IGNORECASE)


def contains_term(text: str, term: str) -> bool:
    term = term.strip()
    return bool(term) and _term_pattern(term).search(text) is not None


def glossary_misses(
    number: int,
    original: str,
    translation: str,
    glossary: Sequence[GlossaryEntry],
    dismissed: Iterable[str] = (),
) -> list[GlossaryWarning]:
    """The glossary terms of `original` whose rendering `translation` does not use, except
    those dismissed for this comment (by `term_key`)."""
    skip = set(dismissed)
    return [
        GlossaryWarning(number=number, source=entry.source, target=entry.target)
        for entry in glossary
        if term_key(entry.source) not in skip
        and contains_term(original, entry.source)
        and entry.target.casefold() not in translation.casefold()
    ]
