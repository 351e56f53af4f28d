"""Offline language detection (lingua), restricted to the languages a team expects.

Building a detector loads its models and takes seconds, so one is built per set of languages
and kept for the life of the process. Short texts say too little to be sure of; they, and
texts whose best guess is not clearly ahead, are marked uncertain.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable, Sequence
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

# Under this many letters a guess is a guess.
SHORT = 20
# The best language's confidence must reach this for a sure answer.
SURE = 0.6

_lock = threading.Lock()


def languages_of(codes: Iterable[str]) -> tuple[Language, ...]:
    """The lingua languages for ISO 639-1 codes; raises ValueError naming an unknown code."""
    found = []
    for code in codes:
        iso = getattr(IsoCode639_1, code.strip().upper(), None)
        if iso is None:
            raise ValueError(f"'{code}' is not an ISO 639-1 language code lingua knows")
        found.append(Language.from_iso_code_639_1(iso))
    return tuple(sorted(set(found), key=lambda lang: lang.name))


@cache
def _detector(languages: tuple[Language, ...], fast: bool) -> LanguageDetector:
    builder = (
        LanguageDetectorBuilder.from_languages(*languages)
        if len(languages) > 1
        else LanguageDetectorBuilder.from_all_languages()
    )
    if fast:
        builder = builder.with_low_accuracy_mode()
    return builder.with_preloaded_language_models().build()


def detector(codes: Iterable[str], fast: bool = False) -> LanguageDetector:
    """The detector for these languages, built once (thread-safe: warm-up may race a fetch)."""
    with _lock:
        return _detector(languages_of(codes), fast)


class Detector:
    """Detects the language of many texts at once for one configured set of languages."""

    def __init__(self, codes: Sequence[str], *, fast: bool = False) -> None:
        self.codes = tuple(codes)
        self.fast = fast
        languages_of(self.codes)  # a bad code in the config is an error at start, not mid-import

    async def warm_up(self) -> None:
        """Build the models in a worker thread so the first import does not wait for them."""
        await asyncio.to_thread(detector, self.codes, self.fast)

    async def detect(self, texts: Sequence[str]) -> list[tuple[str, bool]]:
        """(ISO 639-1 code or "", uncertain) for each text, in order."""
        if not texts:
            return []
        return await asyncio.to_thread(self._detect, list(texts))

    def _detect(self, texts: list[str]) -> list[tuple[str, bool]]:
        found = detector(self.codes, self.fast).compute_language_confidence_values_in_parallel(
            texts
        )
        results = []
        for text, values in zip(texts, found, strict=True):
            if not values or values[0].value <= 0:
                results.append(("", True))
                continue
            best = values[0]
            letters = sum(ch.isalpha() for ch in text)
            uncertain = letters < SHORT or best.value < SURE
            results.append((best.language.iso_code_639_1.name.lower(), uncertain))
        return results
