"""Schedules fire once: on time, late after a restart, and once among several processes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.core.clock import ManualClock
from bot.core.events import Event, RecordingNotifier
from bot.core.scheduling import Firing, Scheduler, SchedulerRunner
from bot.core.teamwork import ScheduleKind
from bot.storage.database import SqliteStore
from tests.conftest import Database


class Ran(Event):
    key: str
    late: bool


def scheduler_on(store: SqliteStore, clock: ManualClock, seen: RecordingNotifier) -> Scheduler:
    async def announce(*events: Event | None) -> None:
        for event in events:
            if event is not None:
                await seen.notify(event)

    scheduler = Scheduler(store, clock, announce)

    async def effect(tx, firing: Firing) -> tuple[str, list[Event]]:
        return "ran", [Ran(key=firing.schedule.key, late=firing.late is not None)]

    scheduler.on(ScheduleKind.REMINDER, effect)
    return scheduler


async def put(store: SqliteStore, clock: ManualClock, key: str, after: timedelta) -> None:
    async with store.transaction() as tx:
        await tx.put_schedule(
            space="s",
            kind=ScheduleKind.REMINDER,
            key=key,
            due_at=clock.now() + after,
            now=clock.now(),
            created_by="u",
        )


async def test_a_schedule_fires_at_its_time_and_only_once(store: SqliteStore) -> None:
    clock, seen = ManualClock(), RecordingNotifier()
    scheduler = scheduler_on(store, clock, seen)
    await put(store, clock, "comment:1", timedelta(hours=24))
    assert await scheduler.run_due() == []
    clock.advance(hours=23, minutes=59)
    assert await scheduler.run_due() == []
    clock.advance(minutes=1)
    assert [s.key for s in await scheduler.run_due()] == ["comment:1"]
    assert await scheduler.run_due() == []
    clock.advance(days=3)
    assert await scheduler.run_due() == []
    assert seen.events == [Ran(key="comment:1", late=False)]


async def test_setting_a_schedule_again_moves_it_instead_of_adding_one(store: SqliteStore) -> None:
    clock, seen = ManualClock(), RecordingNotifier()
    scheduler = scheduler_on(store, clock, seen)
    await put(store, clock, "comment:1", timedelta(hours=1))
    await put(store, clock, "comment:1", timedelta(hours=5))
    clock.advance(hours=2)
    assert await scheduler.run_due() == []
    clock.advance(hours=3)
    assert len(await scheduler.run_due()) == 1
    assert len(seen.events) == 1


async def test_a_schedule_due_while_the_bot_was_down_fires_at_start_late(
    database: Database,
) -> None:
    clock, seen = ManualClock(), RecordingNotifier()
    store = await database.open()
    await put(store, clock, "comment:7", timedelta(hours=24))
    await store.close()  # the process stops on Friday ...
    clock.advance(hours=30)  # ... and starts again on Saturday afternoon
    store = await database.open()
    try:
        async with SchedulerRunner(scheduler_on(store, clock, seen), poll=0.05):
            for _ in range(100):
                if seen.events:
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.15)  # more looks fire nothing more
        assert seen.events == [Ran(key="comment:7", late=True)]
        async with store.transaction() as tx:
            (fired,) = await tx.fired_schedules("s")
        assert fired.outcome == "ran (late)"
    finally:
        await store.close()


async def test_two_processes_on_one_database_fire_a_schedule_once(database: Database) -> None:
    clock, seen = ManualClock(), RecordingNotifier()
    first = await database.open()
    second = await database.open()
    try:
        for n in range(20):
            await put(first, clock, f"comment:{n}", timedelta(minutes=n))
        clock.advance(hours=1)
        a, b = scheduler_on(first, clock, seen), scheduler_on(second, clock, seen)
        results = await asyncio.gather(a.run_due(), b.run_due(), a.run_due(), b.run_due())
        keys = [s.key for fired in results for s in fired]
        assert sorted(keys) == sorted(f"comment:{n}" for n in range(20))
        assert len(seen.events) == 20
    finally:
        await first.close()
        await second.close()


async def test_a_refused_effect_spends_the_schedule_instead_of_retrying(store: SqliteStore) -> None:
    from bot.core.errors import WrongState

    clock, seen = ManualClock(), RecordingNotifier()
    scheduler = scheduler_on(store, clock, seen)

    async def refuse(tx, firing: Firing) -> tuple[str, list[Event]]:
        raise WrongState("state.translating", number=1, action="close voting")

    scheduler.on(ScheduleKind.REMINDER, refuse)
    await put(store, clock, "comment:1", timedelta(minutes=5))
    clock.advance(minutes=5)
    assert len(await scheduler.run_due()) == 1
    assert await scheduler.run_due() == []
    async with store.transaction() as tx:
        (fired,) = await tx.fired_schedules("s")
    assert fired.outcome == "skipped: state.translating"


async def test_each_front_end_fires_only_the_schedules_of_the_spaces_it_serves(
    database: Database,
) -> None:
    """Discord and Slack on one store (one process or two): a guild's schedule is fired by the
    Discord side, a workspace's by the Slack side, so each announcement reaches its channels."""
    clock = ManualClock()
    discord_seen, slack_seen = RecordingNotifier(), RecordingNotifier()
    first, second = await database.open(), await database.open()
    try:
        for space, key in (("123456789012345678", "guild"), ("T0HANNO", "workspace")):
            async with first.transaction() as tx:
                await tx.put_schedule(
                    space=space,
                    kind=ScheduleKind.REMINDER,
                    key=key,
                    due_at=clock.now() + timedelta(minutes=1),
                    now=clock.now(),
                    created_by="u",
                )
        on_discord = scheduler_on(first, clock, discord_seen)
        on_discord.serves = str.isdigit
        on_slack = scheduler_on(second, clock, slack_seen)
        on_slack.serves = lambda space: not space.isdigit()
        clock.advance(minutes=2)
        await asyncio.gather(on_slack.run_due(), on_discord.run_due(), on_slack.run_due())
        assert discord_seen.events == [Ran(key="guild", late=False)]
        assert slack_seen.events == [Ran(key="workspace", late=False)]
    finally:
        await first.close()
        await second.close()
