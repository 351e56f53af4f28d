"""Near-identical texts: the same words after case, whitespace and punctuation are set aside.

Imports meet the same joke posted twice, a comment copied from another thread, a candidate a
member already typed in by hand. Exact matches of the normalised text are found by a set;
the rest by rapidfuzz's ratio, against every text of about the same length: one text at a
time (`seen`), or a whole import at once (`screen`), every pair scored in bulk.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

# Normalised texts at least this similar (0-100) are the same comment.
SIMILAR = 95
# Below this length, only an exact normalised match counts: "Nice!" and "Nice?" are the same,
# "So good" and "So cool" are not.
FUZZY_FROM = 20
# Characters of a long text compared first (one machine word of rapidfuzz's bit-parallel
# comparison), to leave out the pairs that cannot match before scoring them whole.
PREFIX = 64
# Rows scored per call. The rows are sorted by length, so a small block's rows are of about
# one length and are scored only against the texts of lengths that can match theirs (32: a
# fifth fewer pairs than 256 on 1,000 comments, and no large score matrix ever).
BLOCK = 32

# Anything that is not a letter or digit (punctuation, symbols, emoji, spaces) separates words.
NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Case-folded, full-width forms folded (NFKC), punctuation and symbols dropped,
    whitespace collapsed."""
    return NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


class DuplicateIndex:
    """The texts seen so far in one article; `seen` asks whether a text is one of them, and
    `screen` which of many texts are new.

    `fuzz.ratio` counts the characters inserted and deleted to turn one text into the other
    against the two lengths together, so texts `similar` alike differ in length by at most
    (100 - similar)% of both: for `seen` the texts are kept sorted by length, and a new text
    is compared only with those of about its own length (no pair that could match is
    skipped)."""

    def __init__(self, texts: Iterable[str] | None = None, *, similar: int = SIMILAR) -> None:
        self.similar = similar
        self._exact: set[str] = set()
        self._lengths: list[int] = []  # sorted; _fuzzy[i] is _lengths[i] long
        self._fuzzy: list[str] = []
        for text in texts or ():
            self.add(text)

    def add(self, text: str) -> None:
        self._keep(normalise(text))

    def _keep(self, key: str) -> None:
        if key in self._exact:
            return
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
        found = process.extractOne(
            key, self._fuzzy[start:end], scorer=fuzz.ratio, score_cutoff=self.similar
        )
        return found is not None

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

    # many texts at once ---------------------------------------------------------------------

    def screen(self, texts: Sequence[str]) -> list[bool]:
        """For each text, in order, whether it is new: not the same as or near-identical to
        a text of the index or an earlier new one. The new ones are added to the index.

        The pairs that could match (texts of about the same length) are scored in bulk by
        rapidfuzz's `process.cdist`, in C++: call it from a worker thread, and the event loop
        goes on meanwhile."""
        keys = [normalise(text) for text in texts]
        fuzzy = sorted(
            {key for key in keys if len(key) >= FUZZY_FROM and key not in self._exact},
            key=len,
        )
        lengths = [len(key) for key in fuzzy]
        number = {key: at for at, key in enumerate(fuzzy)}
        near_index = [False] * len(fuzzy)
        near: list[list[int]] = [[] for _ in fuzzy]
        for start in range(0, len(fuzzy), BLOCK):
            rows = fuzzy[start : start + BLOCK]
            shortest = self._lengths_alike(len(rows[0]))[0]
            longest = self._lengths_alike(len(rows[-1]))[1]
            if self._fuzzy:
                columns = self._fuzzy[
                    bisect_left(self._lengths, shortest) : bisect_right(self._lengths, longest)
                ]
                for row, _ in self._pairs(rows, columns):
                    near_index[start + row] = True
            # each pair once: a row against the shorter texts before its block, and its block
            first = bisect_left(lengths, shortest, 0, start)
            for row, column in self._pairs(rows, fuzzy[first : start + len(rows)]):
                here, there = start + row, first + column
                if there < start:
                    near[here].append(there)
                    near[there].append(here)
                elif there != here:  # in the block: its own row adds the other half
                    near[here].append(there)
        kept: set[int] = set()
        new: list[bool] = []
        for key in keys:
            if key in self._exact:
                fresh = False
            elif len(key) < FUZZY_FROM:
                fresh = True
            else:
                at = number[key]
                fresh = not (near_index[at] or any(other in kept for other in near[at]))
                if fresh:
                    kept.add(at)
            if fresh:
                self._keep(key)
            new.append(fresh)
        return new

    def _pairs(self, rows: Sequence[str], columns: Sequence[str]) -> list[tuple[int, int]]:
        """The (row, column) pairs at least `similar` alike; rows and columns sorted by length.

        Scoring two texts costs about twice as much past 64 characters (rapidfuzz compares 64
        characters at a time), so long rows are first compared by their first 64 characters
        alone: two texts `edits` insertions and deletions apart have first 64 characters at
        most twice that apart (the cut falls at most `edits` characters off in the other
        text). Only the pairs that pass are scored whole; no match is missed."""
        if not columns:
            return []
        import numpy  # rapidfuzz's cdist answers in a numpy array

        edits = math.floor((100 - self.similar) * (len(rows[-1]) + len(columns[-1])) / 100)
        if len(rows[0]) <= PREFIX or 2 * edits >= PREFIX // 2:
            scores = process.cdist(
                rows,
                columns,
                scorer=fuzz.ratio,
                score_cutoff=self.similar,
                dtype=numpy.uint8,
                workers=1,
            )
            found = scores.nonzero()
            return list(zip(found[0].tolist(), found[1].tolist(), strict=True))
        apart = process.cdist(
            [row[:PREFIX] for row in rows],
            [column[:PREFIX] for column in columns],
            scorer=Indel.distance,
            score_cutoff=2 * edits,
            dtype=numpy.int32,
            workers=1,
        )
        maybe = (apart <= 2 * edits).nonzero()
        return [
            (row, column)
            for row, column in zip(maybe[0].tolist(), maybe[1].tolist(), strict=True)
            if fuzz.ratio(rows[row], columns[column], score_cutoff=self.similar)
        ]
