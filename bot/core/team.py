"""The team area: schedules set from chat, hidden voting, roles from chat, stats.

It gathers what running a team week after week adds to the workflow — voting that closes
itself, translation deadlines, reminders and digests, translator roles granted from chat,
anonymous voting, contributor stats — and owns their scheduler. The service builds one and
calls its hooks where the workflow changes hands (assignments) or closes voting.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.core.clock import Clock
from bot.core.delivery import Deliveries
from bot.core.errors import InvalidInput
from bot.core.events import Event, SelectionChanged
from bot.core.hidden import as_seen
from bot.core.models import Actor, Article, ArticleState, Comment, Role
from bot.core.reminders import Reminders, article_key, forget_reminder, plan_reminder
from bot.core.roles import TeamPolicy, TeamRoles
from bot.core.scheduling import Firing, Scheduler
from bot.core.stats import Stats
from bot.core.team_events import ScheduleSet
from bot.core.teamwork import ScheduleKind, TeamRules
from bot.core.when import parse_duration, parse_moment

if TYPE_CHECKING:
    from bot.core.service import HannoService

S = ArticleState
OFF = ("off", "none", "clear", "なし", "解除")
VOTING_MODES = ("hidden", "open")


class Team:
    def __init__(self, service: HannoService, clock: Clock, rules: TeamRules) -> None:
        self.service = service
        self.clock = clock
        self.rules = rules
        store = service.store
        self.policy = TeamPolicy(service.policy)
        self.deliveries = Deliveries(store, clock)
        self.roles = TeamRoles(store, clock, self.policy)
        self.stats = Stats(store, clock)
        self.scheduler = Scheduler(store, clock, service._announce)
        self.reminders = Reminders(store, clock, service.rules, rules)
        self.reminders.register(self.scheduler)
        self.scheduler.on(ScheduleKind.CLOSE, self._close_effect)
        self.scheduler.every_tick(self.roles.load)

    # seeing comments -------------------------------------------------------------------------

    def seen(self, actor: Actor | None, comment: Comment, article: Article) -> Comment:
        """The comment as `actor` may see it (None: everyone, e.g. a public card)."""
        if not article.votes_hidden:
            return comment
        return as_seen(comment, article, None if actor is None else self.policy.role_of(actor))

    # schedules set from chat -----------------------------------------------------------------

    async def schedule_close(
        self, actor: Actor, number: int, at: str | None = None, in_: str | None = None
    ) -> Article:
        """`article close <a> --at T | --in D`: voting closes by itself then (`--at off`
        cancels it)."""
        self.service._require(actor, Role.MODERATOR, "close voting")
        if at is not None and in_ is not None:
            raise InvalidInput("team.at_or_in", field="at")
        now = self.clock.now()
        due = self._due(at, in_, now)
        async with self.service.store.transaction() as tx:
            article_id, article = await self.service._article(tx, actor, number)
            self.service._state_in(article, {S.COLLECTING}, "close voting")
            await self._set(tx, actor, article_id, article, ScheduleKind.CLOSE, due, now)
            article = await tx.get_article(actor.space, number)
        await self.service._announce(
            ScheduleSet(article=article, kind="close", due_at=due, by_name=actor.name)
        )
        self.scheduler.poke()
        return article

    async def set_deadline(self, actor: Actor, number: int, value: str) -> Article:
        """`article set <a> deadline <time>|off`: when translations are due."""
        self.service._require(actor, Role.MODERATOR, "set a translation deadline")
        now = self.clock.now()
        due = self._due(value, None, now, field="value")
        async with self.service.store.transaction() as tx:
            article_id, article = await self.service._article(tx, actor, number)
            self.service._state_in(
                article, {S.COLLECTING, S.TRANSLATING}, "set a translation deadline"
            )
            await self._set(tx, actor, article_id, article, ScheduleKind.DEADLINE, due, now)
            article = await tx.get_article(actor.space, number)
        await self.service._announce(
            ScheduleSet(article=article, kind="deadline", due_at=due, by_name=actor.name)
        )
        self.scheduler.poke()
        return article

    def _due(
        self, at: str | None, in_: str | None, now: datetime, field: str = "at"
    ) -> datetime | None:
        if in_ is not None:
            return now + parse_duration(in_, field="in")
        if at is None:
            raise InvalidInput("team.at_or_in", field=field)
        if at.strip().lower() in OFF:
            return None
        return parse_moment(at, tz=self.rules.tz, now=now, field=field)

    async def _set(
        self,
        tx: Any,
        actor: Actor,
        article_id: int,
        article: Article,
        kind: ScheduleKind,
        due: datetime | None,
        now: datetime,
    ) -> None:
        column = "closes_at" if kind is ScheduleKind.CLOSE else "deadline_at"
        key = article_key(article.number)
        if due is None:
            await tx.drop_schedule(actor.space, kind, key)
        else:
            await tx.put_schedule(
                space=actor.space,
                kind=kind,
                key=key,
                due_at=due,
                now=now,
                created_by=actor.user_id,
                created_by_name=actor.name,
                article_id=article_id,
            )
        await tx.update_article(actor.space, article.number, **{column: due})
        detail = due.isoformat(timespec="minutes") if due else "off"
        await tx.add_history(
            article_id,
            actor_id=actor.user_id,
            actor_name=actor.name,
            action=f"set_{column}",
            detail=detail,
        )

    async def closed_by_hand(self, tx: Any, space: str, number: int) -> None:
        """Voting was closed or reopened by a person: a pending close must not fire later."""
        await tx.drop_schedule(space, ScheduleKind.CLOSE, article_key(number))
        await tx.update_article(space, number, closes_at=None)

    async def _close_effect(self, tx: Any, firing: Firing) -> tuple[str, list[Event]]:
        schedule = firing.schedule
        if schedule.article_number is None:
            return "article gone", []
        actor = Actor(
            space=schedule.space, user_id=schedule.created_by, name=schedule.created_by_name
        )
        event = await self.service._close_in(
            tx, actor, schedule.article_number, scheduled_for=schedule.due_at, late=firing.late
        )
        return f"closed, {len(event.selected)} selected", [event]

    # hidden voting ---------------------------------------------------------------------------

    async def set_voting(self, actor: Actor, number: int, mode: str) -> Article:
        """`article set <a> voting hidden|open`."""
        self.service._require(actor, Role.MODERATOR, "change how votes are shown")
        mode = mode.strip().lower()
        if mode not in VOTING_MODES:
            raise InvalidInput("hidden.bad_mode", field="value", value=mode[:40])
        async with self.service.store.transaction() as tx:
            article_id, article = await self.service._article(tx, actor, number)
            self.service._state_in(article, {S.COLLECTING}, "change how votes are shown")
            await tx.update_article(actor.space, number, voting=mode)
            await tx.add_history(
                article_id,
                actor_id=actor.user_id,
                actor_name=actor.name,
                action="set_voting",
                detail=mode,
            )
            article = await tx.get_article(actor.space, number)
            comments = await tx.list_comments(article_id)
        # Every card changes: it shows the score again, or only the number of votes.
        await self.service._announce(
            *(SelectionChanged(comment=self.seen(None, c, article)) for c in comments)
        )
        return article

    # who holds what --------------------------------------------------------------------------

    async def held(self, tx: Any, *, space: str, number: int, holder: Actor, by: Actor) -> None:
        """`holder` took comment `number` (claimed it, or `by` assigned it): remember since
        when and from whom, and plan the reminder."""
        now = self.clock.now()
        await tx.mark_assignment(
            space, number, at=now, by=by.user_id if by.user_id != holder.user_id else None
        )
        await plan_reminder(
            tx,
            self.rules,
            space=space,
            number=number,
            holder_id=holder.user_id,
            now=now,
            by=by.user_id,
        )

    async def released(self, tx: Any, *, space: str, number: int) -> None:
        await tx.mark_assignment(space, number, at=None, by=None)
        await forget_reminder(tx, space=space, number=number)
