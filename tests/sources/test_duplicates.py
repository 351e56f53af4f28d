"""Near-identical texts: found however long they are, and only where the ratio says so."""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.sources.duplicates import DuplicateIndex, normalise

BASE = "the station clerk cycled twenty kilometres to return a lost sketchbook to its owner"


def test_the_length_window_misses_no_pair_the_ratio_would_match() -> None:
    """Texts longer or shorter by up to the allowed share are still compared (the index
    looks only at texts of about the same length), and one character beyond is not a match."""
    for extra in range(1, 12):
        longer = BASE + " " + "x" * (extra - 1)
        expected = fuzz.ratio(normalise(longer), normalise(BASE)) >= 95
        for kept, asked in ((BASE, longer), (longer, BASE)):
            index = DuplicateIndex([kept])
            assert index.seen(asked) is expected, (extra, kept == BASE)
    assert DuplicateIndex([BASE]).seen(BASE + " xxxx")  # 5 more characters: 97.1
    assert not DuplicateIndex([BASE]).seen(BASE + " xxxxxxxxx")  # 10 more: 94.3


def test_texts_of_other_lengths_do_not_hide_a_match() -> None:
    index = DuplicateIndex(["short one but long enough", BASE * 3, BASE[:40], BASE + "!"])
    assert index.seen(BASE.upper() + "?")
    assert not index.seen("a completely different comment about trains and kindness")
