"""What every benchmark item shares: a result row, a temp directory, timing helpers."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.models import Actor

SPACE = "bench"


@dataclass
class Row:
    """One line of the results table: a measurement, its baseline and the target it must meet."""

    item: str
    measured: str
    baseline: str = "-"
    ratio: str = "-"
    target: str = "-"
    verdict: str = "-"
    note: str = ""


def actor(name: str, *, space: str = SPACE) -> Actor:
    return Actor(space=space, user_id=f"u-{name}", name=name, tags=frozenset({name}))


def best_of_turns(
    runs: int, first: Callable[[], object], second: Callable[[], object]
) -> tuple[float, float]:
    """The fastest of `runs` timings of each of two jobs run in turns, so that a busy moment
    of the machine slows both rather than only the one that happened to be running."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for work, found in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            work()
            found.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0-100) of `samples`, nearest-rank."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"
