"""Near-identical texts: the same words after case, whitespace and punctuation are set aside.

Imports meet the same joke posted twice, a comment copied from another thread, a candidate a
member already typed in by hand. Exact matches of the normalised text are found by a set;
the rest by rapidfuzz's ratio against every text seen so far (C speed, one call per text).
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process

# Normalised texts at least this similar (0-100) are the same comment.
SIMILAR = 95
# Below this length, only an exact normalised match counts: "Nice!" and "Nice?" are the same,
# "So good" and "So cool" are not.
FUZZY_FROM = 20


# Anything that is not a letter or digit (punctuation, symbols, emoji, spaces) separates words.
NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Case-folded, full-width forms folded (NFKC), punctuation and symbols dropped,
    whitespace collapsed."""
    return NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


class DuplicateIndex:
    """The texts seen so far in one article; `seen` asks whether a text is one of them."""

    def __init__(self, texts: list[str] | None = None, *, similar: int = SIMILAR) -> None:
        self.similar = similar
        self._exact: set[str] = set()
        self._fuzzy: list[str] = []
        for text in texts or ():
            self.add(text)

    def add(self, text: str) -> None:
        key = normalise(text)
        if key not in self._exact:
            self._exact.add(key)
            if len(key) >= FUZZY_FROM:
                self._fuzzy.append(key)

    def seen(self, text: str) -> bool:
        key = normalise(text)
        if key in self._exact:
            return True
        if len(key) < FUZZY_FROM or not self._fuzzy:
            return False
        match = process.extractOne(key, self._fuzzy, scorer=fuzz.ratio, score_cutoff=self.similar)
        return match is not None
