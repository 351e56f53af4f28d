"""Near-identical texts: the same words after case, whitespace and punctuation are set aside.

Imports meet the same joke posted twice, a comment copied from another thread, a candidate a
member already typed in by hand. Exact matches of the normalised text are found by a set;
the rest by rapidfuzz's ratio against every text seen so far (C speed, one call per text).
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left, bisect_right

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
    """The texts seen so far in one article; `seen` asks whether a text is one of them.

    `fuzz.ratio` counts the characters inserted and deleted to turn one text into the other
    against the two lengths together, so texts `similar` alike differ in length by at most
    (100 - similar)% of both: the texts to compare are kept sorted by length, and a new text
    is compared only with those of about its own length (no pair that could match is
    skipped; an import checks a thousand texts against each other)."""

    def __init__(self, texts: list[str] | None = None, *, similar: int = SIMILAR) -> None:
        self.similar = similar
        self._exact: set[str] = set()
        self._lengths: list[int] = []  # sorted; _fuzzy[i] is _lengths[i] long
        self._fuzzy: list[str] = []
        for text in texts or ():
            self.add(text)

    def add(self, text: str) -> None:
        key = normalise(text)
        if key not in self._exact:
            self._exact.add(key)
            if len(key) >= FUZZY_FROM:
                at = bisect_right(self._lengths, len(key))
                self._lengths.insert(at, len(key))
                self._fuzzy.insert(at, key)

    def seen(self, text: str) -> bool:
        key = normalise(text)
        if key in self._exact:
            return True
        if len(key) < FUZZY_FROM or not self._fuzzy:
            return False
        shortest, longest = self._lengths_alike(len(key))
        start = bisect_left(self._lengths, shortest)
        end = bisect_right(self._lengths, longest)
        if start >= end:
            return False
        match = process.extractOne(
            key, self._fuzzy[start:end], scorer=fuzz.ratio, score_cutoff=self.similar
        )
        return match is not None

    def _lengths_alike(self, length: int) -> tuple[int, int]:
        """The lengths a text `similar` alike to one of `length` can have (|a - b| <= share *
        (a + b)), one more each way for rounding."""
        share = (100 - self.similar) / 100
        if share >= 1:
            return 0, 1 << 62
        return (
            math.floor(length * (1 - share) / (1 + share)) - 1,
            math.ceil(length * (1 + share) / (1 - share)) + 1,
        )
