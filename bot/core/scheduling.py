"""Schedules that fire once: voting that closes itself, deadlines, reminders, digests.

Why stored and claimed rather than timers: a timer dies with the process, and two processes
(PostgreSQL lets several serve one team) would both fire it. Here a schedule is a row; firing
it is one transaction that marks it fired (`UPDATE … WHERE fired_at IS NULL`) and carries out
its effect, so it happens exactly once however many processes look, and a schedule whose time
passed while no process was running fires at the next start — late, and saying so.

`Scheduler` is the core side (what is due, firing it); `SchedulerRunner` is the asyncio loop
each front end starts, which only decides *when* to look.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.core.clock import Clock
from bot.core.errors import DomainError
from bot.core.events import Event
from bot.core.teamwork import Schedule, ScheduleKind

log = logging.getLogger(__name__)

# Fired more than this after its time, a schedule says it is late (the bot was not running).
LATE_AFTER = timedelta(minutes=2)
# A schedule whose effect keeps failing (not a refusal: a bug, a broken row) is given up.
MAX_ATTEMPTS = 3


class TxStore(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[Any]: ...


class Firing:
    """What firing one schedule is handed: the schedule, the time, and whether it is late."""

    def __init__(self, schedule: Schedule, now: datetime) -> None:
        self.schedule = schedule
        self.now = now
        overdue = now - schedule.due_at
        self.late: timedelta | None = overdue if overdue > LATE_AFTER else None


# An effect runs inside the claiming transaction; it returns the outcome to record (a short
# word for the audit) and the events to announce once the transaction has committed.
Effect = Callable[[Any, Firing], Awaitable[tuple[str, list[Event]]]]
Announce = Callable[..., Awaitable[None]]
Tick = Callable[[], Awaitable[None]]


class Scheduler:
    def __init__(self, store: TxStore, clock: Clock, announce: Announce) -> None:
        self.store = store
        self.clock = clock
        self.announce = announce
        self.effects: dict[ScheduleKind, Effect] = {}
        self.ticks: list[Tick] = []
        self.changed = asyncio.Event()
        self._attempts: dict[int, int] = {}
        # The spaces whose schedules this process fires: a front end serves some spaces only
        # (a Discord process the guilds of its shards, Slack its workspaces), and what a
        # schedule announces must reach that space's channels. The others are left to the
        # process that serves them (one store may serve Discord and Slack, or several shards).
        self.serves: Callable[[str], bool] = lambda space: True

    def on(self, kind: ScheduleKind, effect: Effect) -> None:
        self.effects[kind] = effect

    def every_tick(self, tick: Tick) -> None:
        """Run `tick` before each look at the schedules (keep digests planned, refresh roles)."""
        self.ticks.append(tick)

    def poke(self) -> None:
        """A schedule was set or moved: the runner looks again now instead of at its next poll."""
        self.changed.set()

    async def next_due(self) -> datetime | None:
        async with self.store.transaction() as tx:
            return await tx.next_due_at()

    async def run_due(self) -> list[Schedule]:
        """Fire every schedule whose time has come; returns the ones this call fired."""
        for tick in self.ticks:
            try:
                await tick()
            except Exception:
                log.exception("scheduler housekeeping failed")
        now = self.clock.now()
        async with self.store.transaction() as tx:
            due = [s for s in await tx.due_schedules(now) if self.serves(s.space)]
        # A digest describes how things stand: after a long stop it goes out after the
        # closes and reminders that fell due meanwhile, so that it shows their outcome.
        due.sort(key=lambda schedule: schedule.kind is ScheduleKind.DIGEST)
        fired = []
        for schedule in due:
            if await self._fire(schedule, now):
                fired.append(schedule)
        return fired

    async def _fire(self, schedule: Schedule, now: datetime) -> bool:
        effect = self.effects.get(schedule.kind)
        firing = Firing(schedule, now)
        events: list[Event] = []
        try:
            async with self.store.transaction() as tx:
                if not await tx.claim_schedule(schedule.id, now):
                    return False  # another process (or an earlier run) fired it
                outcome, events = ("no effect", []) if effect is None else await effect(tx, firing)
                if firing.late is not None:
                    outcome += " (late)"
                await tx.set_schedule_outcome(schedule.id, outcome)
        except DomainError as refusal:
            # The world moved on (voting was closed by hand, the article is gone): the schedule
            # is spent, and says why, rather than trying again for ever.
            await self._spend(schedule, now, f"skipped: {refusal.key}")
            return True
        except Exception:
            attempts = self._attempts.get(schedule.id, 0) + 1
            self._attempts[schedule.id] = attempts
            log.exception(
                "schedule %s (%s) failed, attempt %s", schedule.id, schedule.kind, attempts
            )
            if attempts >= MAX_ATTEMPTS:
                await self._spend(schedule, now, "failed")
            return False
        if firing.late is not None:
            log.warning(
                "schedule %s (%s %s) fired %s late: the bot was not running at its time",
                schedule.id,
                schedule.kind,
                schedule.key,
                firing.late,
            )
        await self.announce(*events)
        return True

    async def _spend(self, schedule: Schedule, now: datetime, outcome: str) -> None:
        async with self.store.transaction() as tx:
            if await tx.claim_schedule(schedule.id, now):
                await tx.set_schedule_outcome(schedule.id, outcome)
        self._attempts.pop(schedule.id, None)


class SchedulerRunner:
    """The loop a front end starts: look at start (so what fell due while the bot was down
    fires now), then whenever the next schedule is due, a schedule changes, or `poll` passes
    (another process may have set one)."""

    def __init__(self, scheduler: Scheduler, *, poll: float = 30.0) -> None:
        self.scheduler = scheduler
        self.poll = poll
        self._task: asyncio.Task[None] | None = None

    def start(self) -> asyncio.Task[None]:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._loop(), name="scheduler")
        return self._task

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def __aenter__(self) -> SchedulerRunner:
        self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _loop(self) -> None:
        scheduler = self.scheduler
        while True:
            scheduler.changed.clear()
            wait = self.poll
            try:
                await scheduler.run_due()
                due = await scheduler.next_due()
                if due is not None:
                    wait = min(wait, max(0.0, (due - scheduler.clock.now()).total_seconds()))
            except Exception:  # the database was busy or gone: try again at the next poll
                log.exception("the scheduler could not look at its schedules")
            # (asyncio.timeout rather than wait_for: on 3.11 a wait_for around an Event could
            # swallow the cancellation that stops the runner.)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(wait, 0.05)):
                    await scheduler.changed.wait()
