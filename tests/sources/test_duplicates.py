"""Near-identical texts: found however long they are, and only where the ratio says so."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from bot.sources import duplicates
from bot.sources.duplicates import BLOCK, DuplicateIndex, normalise
from tests.fakes.sources.model import comment_text

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


def one_by_one(index: DuplicateIndex, texts: list[str]) -> list[bool]:
    """What `screen` must answer: each text asked alone, the new ones added as they come."""
    answers = []
    for text in texts:
        answers.append(not index.seen(text))
        if answers[-1]:
            index.add(text)
    return answers


@pytest.mark.parametrize("block", [BLOCK, 5, 1])
def test_screening_many_at_once_answers_as_asking_one_by_one(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Near-copies (letters dropped, inserted, case and punctuation changed) of a few
    sentences, against an article holding some already: the bulk check merges exactly the
    texts the one-at-a-time check would, including a copy of a copy that is too far from
    the first, whether a pair's texts are scored in one block of rows or in two, and texts
    long enough to be compared by their beginnings first."""
    monkeypatch.setattr(duplicates, "BLOCK", block)
    rng = random.Random(7)
    for _ in range(60):
        sentences = [
            " ".join(comment_text(rng.randrange(10**6)) for _ in range(3))[: rng.randint(12, 220)]
            for _ in range(6)
        ]
        texts = sentences + [mutated(rng, rng.choice(sentences)) for _ in range(30)]
        rng.shuffle(texts)
        held, asked = texts[:4], texts[4:]
        assert DuplicateIndex(held).screen(asked) == one_by_one(DuplicateIndex(held), asked)
    many = [comment_text(i) for i in range(2 * BLOCK + 10)]
    many += [many[3].upper() + "!!", many[BLOCK + 5][:-2], many[-1] + " x"]
    screened = DuplicateIndex().screen(many)
    assert screened == one_by_one(DuplicateIndex(), many)
    assert screened[-3:] == [False, False, False] and all(screened[:-3])


def test_a_screened_text_is_in_the_index_afterwards() -> None:
    index = DuplicateIndex()
    assert index.screen([BASE, BASE + "!", "short"]) == [True, False, True]
    assert index.seen(BASE.upper()) and index.seen("Short.")


def mutated(rng: random.Random, text: str) -> str:
    letters = list(text.swapcase() if rng.random() < 0.3 else text)
    for _ in range(rng.randint(0, 7)):
        at = rng.randrange(len(letters) + 1)
        if rng.random() < 0.5 and at < len(letters):
            del letters[at]
        else:
            letters.insert(at, rng.choice("abcxyz ,.!?"))
    return "".join(letters)
