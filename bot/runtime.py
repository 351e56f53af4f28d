"""Process-wide tuning for a bot that runs for weeks and gets its work in bursts."""

from __future__ import annotations

import gc

from bot.core.messages import t

# CPython's default is 700, made for short scripts; a burst of clicks needs fewer, larger sweeps.
YOUNG_COLLECTION_THRESHOLD = 10_000


def settle_heap() -> None:
    """Tune the garbage collector once the front end is built, just before it starts serving.

    By then the heap holds about 75,000 objects (libraries, the Bolt app or the discord.py
    client, the message catalogue) that live as long as the process: `gc.freeze()` takes them
    out of the collector's sight, so a full collection no longer walks them all while clicks
    wait (such collections took 76-148 ms in bursts of vote clicks, 15-20 ms on an idle heap).
    In a burst, each click's work keeps a few dozen objects alive until its vote is committed,
    a few milliseconds; with the default threshold the youngest generation was collected about
    155 times per 2,000 clicks (190 before `bot.slack.front.essentials`). At 10,000 most of
    those objects are gone before a collection looks: replaying the benchmark's vote clicks
    into the Bolt app in-process, the bot needed 40-60 µs less per click (10-15% of its time).
    """
    gc.collect()  # garbage left from startup would otherwise be frozen with the rest, for good
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, oldest)


class Unreachable(Exception):
    """A platform could not be reached at start (no network, DNS, a proxy): one sentence."""

    def __init__(self, platform: str, reason: object) -> None:
        super().__init__(t("cli.unreachable", platform=platform, reason=_reason(reason)))


def _reason(error: object) -> str:
    """The OS's words for a connection failure, without the library's wrapping."""
    cause = getattr(error, "os_error", None) or error
    return getattr(cause, "strerror", None) or str(cause) or type(cause).__name__
