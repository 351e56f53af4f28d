"""What time it is, as a dependency: the core never calls `datetime.now()` itself.

Schedules (voting that closes itself, reminders, digests) depend on the time; handing the
core its clock lets tests move time forward by a day in a microsecond, and lets a test stop
the bot, move the clock past a due time, and start it again, as happens in real life.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to, for tests and the demo."""

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by `delta` or by `hours=…, minutes=…`; returns the new time."""
        self._now += delta if delta is not None else timedelta(**parts)
        return self._now

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("ManualClock.set needs a timezone-aware time")
        self._now = moment.astimezone(UTC)


SYSTEM_CLOCK = SystemClock()
