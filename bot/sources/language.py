"""Offline language detection (lingua), restricted to the languages a team expects.

Two passes: lingua's low-accuracy mode (trigrams only) reads every text, and its high-accuracy
mode (all n-gram lengths) reads again only the texts the first pass cannot be trusted on:
short ones and those whose best guess is not far ahead. Long texts are where trigrams are as
good as the full models, and most comments are sentences; the full models cost about three
times as much per text. On the test suite's comments and a sample of short and long comments
in the twelve default languages, the two passes chose the same language as high accuracy
alone for every text (low accuracy alone was wrong on 5 of 48 samples; see
bench/RESULTS.md, item 7). `sources.detection = "fast"` skips the second pass.

lingua holds the interpreter lock while it reads (about 60 µs a comment), so detecting in the
bot's own process would stop its event loop: every other command would wait for a large
import, and a thread's later pages could not be read meanwhile. Detection runs in a process of
its own instead, one per set of languages, started at the first import and kept for the life
of the bot; the models load there (in seconds), only there, and only once. Short texts say too
little to be sure of; they, and texts whose best guess is not clearly ahead, are marked
uncertain.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

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

Verdict = tuple[str, bool]  # (ISO 639-1 code or "", uncertain)
Found = list[Verdict]  # for each text
# Answers detected ahead (`Detector.ahead`) and not yet asked for, kept at most.
AHEAD_AT_MOST = 20_000

_lock = threading.Lock()
_pools: dict[tuple[tuple[str, ...], bool], ProcessPoolExecutor] = {}


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


class Detector:
    """Detects the language of many texts at once for one configured set of languages."""

    def __init__(self, codes: Sequence[str], *, fast: bool = False) -> None:
        self.fast = fast
        # a bad code in the config is an error at start, not mid-import
        self.languages = languages_of(codes)
        self.codes = tuple(lang.iso_code_639_1.name.lower() for lang in self.languages)
        # text -> the page's detection and the text's place in it
        self._ahead: OrderedDict[str, tuple[asyncio.Task[Found], int]] = OrderedDict()
        self._running: set[asyncio.Task[Found]] = set()  # `ahead`'s, referenced until done

    def _pool(self) -> ProcessPoolExecutor:
        """The detecting process for these languages and mode, started by the first caller
        (its models start loading at once); every caller gets the same one."""
        key = (self.codes, self.fast)
        with _lock:
            pool = _pools.get(key)
            if pool is None:
                pool = _pools[key] = ProcessPoolExecutor(
                    max_workers=1,
                    # a fresh interpreter: forking a process with an event loop and threads
                    # is not safe
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_load,
                    initargs=key,
                )
                pool.submit(_ready)  # starts the process now, not at the first detection
            return pool

    def prepare(self) -> None:
        """Start the detecting process and its models, if no one has yet; returns at once."""
        self._pool()

    async def warm_up(self) -> None:
        """Load the models now (benchmarks and deadline-bound tests: the first import in a
        process otherwise waits for them)."""
        await asyncio.wrap_future(self._pool().submit(_ready, wait_for_full=not self.fast))

    def ahead(self, texts: Sequence[str]) -> None:
        """Start detecting these texts now (a page of a thread just read), in the background;
        a later `detect` of any of them takes this answer instead of asking again. Returns
        at once. The answers not asked for are dropped oldest first past AHEAD_AT_MOST."""
        fresh = [text for text in dict.fromkeys(texts) if text not in self._ahead]
        if not fresh:
            return
        task = asyncio.get_running_loop().create_task(self._detect(fresh))
        self._running.add(task)
        task.add_done_callback(self._done)
        self._ahead.update((text, (task, at)) for at, text in enumerate(fresh))
        while len(self._ahead) > AHEAD_AT_MOST:
            self._ahead.popitem(last=False)

    def _done(self, task: asyncio.Task[Found]) -> None:
        self._running.discard(task)
        if not task.cancelled():
            task.exception()  # seen: `detect` asks again for the texts of a page that failed

    async def detect(self, texts: Sequence[str]) -> Found:
        """(ISO 639-1 code or "", uncertain) for each text, in order."""
        if not texts:
            return []
        loop = asyncio.get_running_loop()
        started = {
            text: place
            for text in dict.fromkeys(texts)
            if (place := self._ahead.pop(text, None)) is not None and place[0].get_loop() is loop
        }
        pages = {task for task, _ in started.values()}
        if pages:
            await asyncio.wait(pages)
        found = {
            text: task.result()[at]
            for text, (task, at) in started.items()
            if not task.cancelled() and task.exception() is None
        }
        rest = [text for text in dict.fromkeys(texts) if text not in found]
        if rest:
            found.update(zip(rest, await self._detect(rest), strict=True))
        return [found[text] for text in texts]

    async def _detect(self, texts: list[str]) -> Found:
        pool = self._pool()
        try:
            return await asyncio.wrap_future(self._submit(pool, texts))
        except BrokenProcessPool:  # the process died (killed, out of memory): a new one
            self._forget(pool)
            return await asyncio.wrap_future(self._submit(self._pool(), texts))

    def _submit(self, pool: ProcessPoolExecutor, texts: list[str]) -> Future[Found]:
        return pool.submit(_detect, texts)

    def _forget(self, pool: ProcessPoolExecutor) -> None:
        """Drop a broken process pool (unless another caller has replaced it already)."""
        key = (self.codes, self.fast)
        with _lock:
            if _pools.get(key) is pool:
                del _pools[key]
        pool.shutdown(wait=False, cancel_futures=True)


# In the detecting process ---------------------------------------------------------------------

_trigrams: LanguageDetector | None = None
_full: Future[LanguageDetector] | None = None


def _load(codes: tuple[str, ...], fast: bool) -> None:
    """The trigram models now; the full ones in a thread, waited for only by a text that
    needs them."""
    global _trigrams, _full
    # Ctrl-C in the terminal reaches the whole process group: the bot stops this process
    # when it stops, and a traceback from here would only clutter the terminal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    languages = languages_of(codes)
    if not fast:
        _full = Future()
        threading.Thread(
            target=_fill, args=(_full, languages), name="lingua-full-models", daemon=True
        ).start()
    _trigrams = _build(languages, True)


def _fill(future: Future[LanguageDetector], languages: tuple[Language, ...]) -> None:
    try:
        future.set_result(_build(languages, False))
    except BaseException as error:  # handed to whichever text waits for the full models
        future.set_exception(error)


def _ready(wait_for_full: bool = False) -> None:
    if wait_for_full and _full is not None:
        _full.result()


def _detect(texts: list[str]) -> Found:
    assert _trigrams is not None
    # one text after another, on one core: the bot's process keeps the other (lingua's
    # parallel calls spin on every core, and beside the duplicate check ran three times
    # slower)
    found = [_trigrams.compute_language_confidence_values(text) for text in texts]
    letters = [sum(map(str.isalpha, text)) for text in texts]
    if _full is not None:
        again = [
            index
            for index, values in enumerate(found)
            if letters[index] < TRIGRAMS_FROM or not values or values[0].value < TRIGRAMS_SURE
        ]
        if again:
            full = _full.result()
            better = [full.compute_language_confidence_values(texts[index]) for index in again]
            for index, values in zip(again, better, strict=True):
                found[index] = values
    return [_verdict(values, count) for values, count in zip(found, letters, strict=True)]


def _verdict(values: list[ConfidenceValue], letters: int) -> Verdict:
    if not values or values[0].value <= 0:
        return "", True
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), letters < SHORT or best.value < SURE
