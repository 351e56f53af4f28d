"""Running a team week after week, through the service on a controllable clock: voting that
closes itself (also across a restart), reminders, digests, deadlines, hidden voting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.dispatch import Dispatcher
from bot.core.errors import Forbidden, InvalidInput, WrongState
from bot.core.events import RecordingNotifier, VotingClosed
from bot.core.history import describe
from bot.core.messages import speaking
from bot.core.models import ArticleState
from bot.core.rules import Rules
from bot.core.service import HannoService
from bot.core.team_events import DeadlinePassed, DigestDue, ReminderDue, ScheduleSet
from bot.core.team_text import digest
from bot.core.teamwork import TeamRules
from bot.core.when import zone
from bot.render import Renderer
from tests.assist.workflow import deepl_provider, selected_article
from tests.conftest import POLICY, SPACE, Database, person
from tests.core.test_permissions import Channel, resolve

FRIDAY_6PM_TOKYO = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
TOKYO = TeamRules(timezone="Asia/Tokyo")


@asynccontextmanager
async def running(
    database: Database,
    clock: ManualClock,
    notifier: RecordingNotifier,
    team: TeamRules = TOKYO,
    **deps: object,
) -> AsyncIterator[HannoService]:
    """One run of the bot's process: open the database, build the service (with `deps`,
    such as a machine translation provider), close at the end."""
    store = await database.open()
    try:
        service = HannoService(
            store,
            rules=Rules(min_score=1, max_reactions=3),
            policy=POLICY,
            renderer=Renderer(),
            notifier=notifier,
            clock=clock,
            team=team,
            **deps,
        )
        await service.start()
        yield service
    finally:
        await store.close()


def of(notifier: RecordingNotifier, kind: type) -> list:
    return [e for e in notifier.events if isinstance(e, kind)]


async def collecting(service: HannoService) -> int:
    p = {n: person(n) for n in ("mod", "ann", "bob", "cat")}
    article = await service.create_article(p["mod"], "Snow lanterns in Otaru")
    for text in ("Beautiful", "I want to go", "Too cold"):
        await service.add_comment(p["ann"], article.number, text)
    for voter in ("bob", "cat"):
        await service.vote(p[voter], 1, "up")
        await service.vote(p[voter], 2, "up")
    return article.number


async def test_voting_closes_by_itself_once_even_across_a_restart(database: Database) -> None:
    clock, seen = ManualClock(FRIDAY_6PM_TOKYO), RecordingNotifier()
    db = database
    async with running(db, clock, seen) as service:
        number = await collecting(service)
        article = await service.schedule_close(person("mod"), number, in_="24h")
        assert article.closes_at == FRIDAY_6PM_TOKYO + timedelta(hours=24)
        (announced,) = of(seen, ScheduleSet)
        assert announced.kind == "close" and announced.by_name == "mod"
        clock.advance(hours=23)
        assert await service.scheduler.run_due() == []
        assert (await service.get_article(person("ann"), number)).state is ArticleState.COLLECTING
    # Nobody touches the bot; it is down at 18:00 on Saturday and starts again at 18:30.
    clock.advance(hours=1, minutes=30)
    async with running(db, clock, seen) as service:
        fired = await service.scheduler.run_due()
        assert [s.kind for s in fired] == ["close"]
        article = await service.get_article(person("ann"), number)
        assert article.state is ArticleState.TRANSLATING
        (closed,) = of(seen, VotingClosed)
        assert closed.late and closed.scheduled_for == FRIDAY_6PM_TOKYO + timedelta(hours=24)
        assert [c.number for c in closed.selected] == [1, 2]
        history = await service.history(person("ann"), number)
        assert [(e.action, e.actor_name) for e in history][-1] == ("closed", "mod")
        said = describe(history[-1])
        assert said.startswith("mod's schedule closed voting late") and "2 of 3 comments" in said
        assert "締め切り時刻" in "".join(describe_ja(e) for e in history)
        assert await service.scheduler.run_due() == []
    async with running(db, clock, seen) as service:  # and a third start fires nothing again
        assert await service.scheduler.run_due() == []
    assert len(of(seen, VotingClosed)) == 1


async def test_two_processes_fire_each_close_reminder_deadline_and_digest_once(
    database: Database,
) -> None:
    """Two bot processes on one database, their schedulers looking at the same moment, again
    and again: every schedule's effect and announcement happens exactly once."""
    clock, seen = ManualClock(FRIDAY_6PM_TOKYO), RecordingNotifier()
    async with running(database, clock, seen) as one, running(database, clock, seen) as two:
        first = await collecting(one)
        await one.close_voting(person("mod"), first)
        await one.claim(person("tr"), 1)  # reminded in 24 h
        await two.set_deadline(person("mod"), first, "2026-12-05 12:00")
        second = (await two.create_article(person("mod"), "Robot ramen")).number
        await two.add_comment(person("ann"), second, "Looks tasty")
        await two.vote(person("bob"), 4, "up")
        await two.schedule_close(person("mod"), second, in_="20h")
        for hours in (1, 14, 6, 4, 24):  # digest 09:00 Tokyo, close, deadline, reminder
            clock.advance(hours=hours)
            fired = await asyncio.gather(*(s.scheduler.run_due() for s in (one, two, one, two)))
            keys = [(f.kind, f.key) for batch in fired for f in batch]
            assert len(keys) == len(set(keys)), keys
        (by_schedule,) = [e for e in of(seen, VotingClosed) if e.scheduled_for is not None]
        assert by_schedule.article.number == second
        assert len(of(seen, DeadlinePassed)) == 1
        assert len(of(seen, ReminderDue)) == 1
        assert len(of(seen, DigestDue)) == 2  # Saturday's and Sunday's, once each
        assert (await one.get_article(person("ann"), second)).state is ArticleState.TRANSLATING
        history = await two.history(person("ann"), second)
        assert [e.action for e in history].count("closed") == 1


async def test_a_time_is_read_in_the_teams_timezone(service_at) -> None:
    service, clock, _ = service_at
    number = await collecting(service)
    article = await service.schedule_close(person("mod"), number, at="2026-12-05 18:00")
    assert article.closes_at == datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    article = await service.schedule_close(person("mod"), number, at="off")
    assert article.closes_at is None
    clock.advance(days=2)
    assert await service.scheduler.run_due() == []


async def test_only_moderators_schedule_and_bad_times_change_nothing(service_at) -> None:
    service, _, _ = service_at
    number = await collecting(service)
    with pytest.raises(Forbidden):
        await service.schedule_close(person("tr"), number, in_="1h")
    with pytest.raises(InvalidInput, match="length of time"):
        await service.schedule_close(person("mod"), number, in_="soon")
    with pytest.raises(InvalidInput, match="already passed"):
        await service.set_deadline(person("mod"), number, "2026-01-01 10:00")
    assert (await service.get_article(person("mod"), number)).closes_at is None


async def test_closing_by_hand_cancels_the_schedule(service_at) -> None:
    service, clock, _ = service_at
    number = await collecting(service)
    await service.schedule_close(person("mod"), number, in_="2h")
    await service.close_voting(person("mod"), number)
    await service.reopen(person("mod"), number)
    clock.advance(hours=3)
    assert await service.scheduler.run_due() == []
    assert (await service.get_article(person("mod"), number)).state is ArticleState.COLLECTING


async def test_a_translator_holding_a_comment_gets_one_reminder(service_at) -> None:
    service, clock, seen = service_at
    number = await collecting(service)
    await service.close_voting(person("mod"), number)
    await service.assign(person("mod"), 1, person("tr"))
    await service.claim(person("tr2"), 2)
    clock.advance(hours=23)
    await service.scheduler.run_due()
    assert of(seen, ReminderDue) == []
    await service.submit_translation(person("tr2"), 2, "行ってみたい")  # done in time
    clock.advance(hours=1)
    await service.scheduler.run_due()
    (reminder,) = of(seen, ReminderDue)
    assert (reminder.assignee_name, reminder.comment_number) == ("tr", 1)
    assert reminder.assigned_by == "u-mod" and not reminder.late
    clock.advance(days=3)
    await service.scheduler.run_due()
    assert len(of(seen, ReminderDue)) == 1


async def test_a_released_comment_is_not_reminded_about(service_at) -> None:
    service, clock, seen = service_at
    number = await collecting(service)
    await service.close_voting(person("mod"), number)
    await service.claim(person("tr"), 1)
    await service.release(person("tr"), 1)
    clock.advance(hours=25)
    await service.scheduler.run_due()
    assert of(seen, ReminderDue) == []


async def test_the_daily_digest_lists_what_blocks_each_article(service_at) -> None:
    service, clock, seen = service_at
    first = await collecting(service)
    await service.close_voting(person("mod"), first)
    await service.claim(person("tr"), 1)
    second = (await service.create_article(person("mod"), "Robot ramen")).number
    await service.schedule_close(person("mod"), second, in_="3d")
    await service.set_deadline(person("mod"), first, "2026-12-06 12:00")
    await service.scheduler.run_due()  # plans the digest: 09:00 Tokyo, Saturday
    clock.set(datetime(2026, 12, 5, 0, 0, tzinfo=UTC))
    await service.scheduler.run_due()
    (sent,) = of(seen, DigestDue)
    text = digest(sent, lambda moment: moment.astimezone(zone("Asia/Tokyo")).strftime("%a %H:%M"))
    assert "Snow lanterns in Otaru" in text and "Robot ramen" in text
    assert "nobody holds #2" in text
    assert "tr holds #1, not translated yet" in text
    assert "translations due Sun 12:00" in text
    assert "voting closes Mon 18:00" in text
    clock.advance(hours=12)
    await service.scheduler.run_due()
    assert len(of(seen, DigestDue)) == 1, "once a day"
    clock.advance(hours=12)
    await service.scheduler.run_due()
    assert len(of(seen, DigestDue)) == 2


async def test_a_quiet_space_gets_no_reminders_and_no_digest(database: Database) -> None:
    clock, seen = ManualClock(FRIDAY_6PM_TOKYO), RecordingNotifier()
    quiet = TeamRules(timezone="Asia/Tokyo", quiet_spaces=frozenset({SPACE}))
    async with running(database, clock, seen, quiet) as service:
        number = await collecting(service)
        await service.close_voting(person("mod"), number)
        await service.claim(person("tr"), 1)
        for _ in range(3):
            clock.advance(days=1)
            await service.scheduler.run_due()
    assert of(seen, ReminderDue) == [] and of(seen, DigestDue) == []


async def test_a_missed_deadline_says_what_is_missing(service_at) -> None:
    service, clock, seen = service_at
    number = await collecting(service)
    await service.set_deadline(person("mod"), number, "2026-12-05 12:00")
    await service.close_voting(person("mod"), number)
    await service.claim(person("tr"), 1)
    clock.set(datetime(2026, 12, 5, 3, 0, tzinfo=UTC))
    await service.scheduler.run_due()
    (passed,) = of(seen, DeadlinePassed)
    assert passed.missing == ((1, "tr"), (2, ""))


async def test_hidden_voting_shows_members_only_how_many_voted(service_at) -> None:
    service, _, _ = service_at
    number = await collecting(service)
    with pytest.raises(Forbidden):
        await service.set_voting(person("ann"), number, "hidden")
    await service.set_voting(person("mod"), number, "hidden")
    dispatcher = Dispatcher(service, resolve_user=resolve, publish_target=Channel())
    voted = await dispatcher.run(person("bob"), "vote 3 down")
    assert "Scores stay hidden" in voted.reply and "-1" not in voted.reply
    listing = (await dispatcher.run(person("ann"), "comment list 1")).reply
    assert "2 votes so far" in listing and "+2" not in listing
    assert "+2" in (await dispatcher.run(person("mod"), "comment list 1")).reply
    shown = await service.get_comment(person("ann"), 1)
    assert (shown.up, shown.hidden_votes) == (0, 2)
    await service.close_voting(person("mod"), number)
    with pytest.raises(WrongState):
        await service.set_voting(person("mod"), number, "open")
    assert "+2" in (await dispatcher.run(person("ann"), "comment list 1")).reply


@pytest.fixture
async def service_at(database: Database):
    clock, seen = ManualClock(FRIDAY_6PM_TOKYO), RecordingNotifier()
    async with running(database, clock, seen) as service:
        yield service, clock, seen


def describe_ja(entry) -> str:
    with speaking("ja"):
        return describe(entry)


async def test_the_digest_names_machine_drafts_nobody_reviewed(
    database: Database, deepl_fake
) -> None:
    clock, seen = ManualClock(FRIDAY_6PM_TOKYO), RecordingNotifier()
    provider = deepl_provider(deepl_fake)
    async with running(database, clock, seen, provider=provider) as service:
        number = await selected_article(
            service, person("mod"), person("ann"), texts=("This is the Japan I fell in love with.",)
        )
        await service.suggest(person("tr"), 1)
        await service.scheduler.run_due()  # plans the digest
        clock.advance(hours=24)
        await service.scheduler.run_due()
        (sent,) = of(seen, DigestDue)
        text = digest(sent, str, command=lambda hint: f"`/{hint.words()}`")
        assert "machine drafts nobody has reviewed: #1" in text
        assert "`/translate accept 1`" in text
        assert "every translation is in" not in text  # draft build would refuse it
        await service.accept(person("tr"), 1)
        clock.advance(hours=24)
        await service.scheduler.run_due()
        text = digest(of(seen, DigestDue)[-1], str, command=lambda hint: f"`/{hint.words()}`")
        assert f"every translation is in: submit it with `/draft submit {number}`" in text
