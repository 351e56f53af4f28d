"""Offline language detection (lingua), restricted to the languages a team expects.

Two passes: lingua's low-accuracy mode (trigrams only) reads every text, and its high-accuracy
mode (all n-gram lengths) reads again only the texts the first pass cannot be trusted on:
short ones and those whose best guess is not far ahead. Long texts are where trigrams are as
good as the full models, and most comments are sentences; the full models cost about three
times as much per text. On the test suite's comments and a sample of short and long comments
in the twelve default languages, the two passes chose the same language as high accuracy
alone for every text (low accuracy alone was wrong on 5 of 48 samples; see
bench/RESULTS.md, item 7). `sources.detection = "fast"` skips the second pass.

Building a detector loads its models and takes seconds (the full models far longer than the
trigrams), so each is built once per set of languages and kept for the life of the process.
The build starts when the first import starts reading its thread, in a thread of its own
(lingua's Rust code releases the interpreter lock), so the models load while the pages come
in; a service that never imports never loads them. Short texts say too little to be sure of;
they, and texts whose best guess is not clearly ahead, are marked uncertain.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import Future

from lingua import (
    ConfidenceValue,
    IsoCode639_1,
    Language,
    LanguageDetector,
    LanguageDetectorBuilder,
)

# Under this many letters a guess is a guess.
SHORT = 20
# The best language's confidence must reach this for a sure answer.
SURE = 0.6
# The trigram pass is trusted with texts of at least this many letters (about eight words)
# whose best language has at least this confidence; the rest are read with the full models.
TRIGRAMS_FROM = 40
TRIGRAMS_SURE = 0.9

_lock = threading.Lock()
_built: dict[tuple[tuple[Language, ...], bool], Future[LanguageDetector]] = {}


def languages_of(codes: Iterable[str]) -> tuple[Language, ...]:
    """The lingua languages for ISO 639-1 codes; raises ValueError naming an unknown code."""
    found = []
    for code in codes:
        iso = getattr(IsoCode639_1, code.strip().upper(), None)
        if iso is None:
            raise ValueError(f"'{code}' is not an ISO 639-1 language code lingua knows")
        found.append(Language.from_iso_code_639_1(iso))
    return tuple(sorted(set(found), key=lambda lang: lang.name))


def _build(languages: tuple[Language, ...], fast: bool) -> LanguageDetector:
    builder = (
        LanguageDetectorBuilder.from_languages(*languages)
        if len(languages) > 1
        else LanguageDetectorBuilder.from_all_languages()
    )
    if fast:
        builder = builder.with_low_accuracy_mode()
    return builder.with_preloaded_language_models().build()


def _building(languages: tuple[Language, ...], fast: bool) -> Future[LanguageDetector]:
    """The detector for these languages and mode: built once per process, in a background
    thread started by the first caller; every caller gets the same future."""
    key = (languages, fast)
    with _lock:
        future = _built.get(key)
        if future is None:
            future = _built[key] = Future()
            threading.Thread(
                target=_fill, args=(future, languages, fast), name="lingua-models", daemon=True
            ).start()
    return future


def _fill(future: Future[LanguageDetector], languages: tuple[Language, ...], fast: bool) -> None:
    try:
        future.set_result(_build(languages, fast))
    except BaseException as error:  # handed to whoever waits for the detector
        future.set_exception(error)


def detector(codes: Iterable[str], fast: bool = False) -> LanguageDetector:
    """The detector for these languages, waiting for its build if need be (thread-safe)."""
    return _building(languages_of(codes), fast).result()


class Detector:
    """Detects the language of many texts at once for one configured set of languages."""

    def __init__(self, codes: Sequence[str], *, fast: bool = False) -> None:
        self.codes = tuple(codes)
        self.fast = fast
        # a bad code in the config is an error at start, not mid-import
        self.languages = languages_of(self.codes)

    def prepare(self) -> None:
        """Start loading the models in the background, if no one has yet; returns at once."""
        _building(self.languages, True)
        if not self.fast:
            _building(self.languages, False)

    async def warm_up(self) -> None:
        """Load the models now (benchmarks and deadline-bound tests: the first import in a
        process otherwise waits for them)."""
        self.prepare()
        await asyncio.wrap_future(_building(self.languages, True))
        if not self.fast:
            await asyncio.wrap_future(_building(self.languages, False))

    async def detect(self, texts: Sequence[str]) -> list[tuple[str, bool]]:
        """(ISO 639-1 code or "", uncertain) for each text, in order."""
        if not texts:
            return []
        self.prepare()
        texts = list(texts)
        trigrams = await asyncio.wrap_future(_building(self.languages, True))
        # the parallel call runs in lingua's threads without the interpreter lock
        found = await asyncio.to_thread(
            trigrams.compute_language_confidence_values_in_parallel, texts
        )
        letters = [sum(map(str.isalpha, text)) for text in texts]
        if not self.fast:
            again = [
                index
                for index, values in enumerate(found)
                if letters[index] < TRIGRAMS_FROM or not values or values[0].value < TRIGRAMS_SURE
            ]
            if again:
                full = await asyncio.wrap_future(_building(self.languages, False))
                better = await asyncio.to_thread(
                    full.compute_language_confidence_values_in_parallel,
                    [texts[index] for index in again],
                )
                for index, values in zip(again, better, strict=True):
                    found[index] = values
        return [_verdict(values, count) for values, count in zip(found, letters, strict=True)]


def _verdict(values: list[ConfidenceValue], letters: int) -> tuple[str, bool]:
    if not values or values[0].value <= 0:
        return "", True
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), letters < SHORT or best.value < SURE
