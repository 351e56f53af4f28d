"""The team area: what running a team week after week adds to the workflow.

Voting that closes itself and translation deadlines (set from chat, fired by the scheduler
even after a restart), reminders to translators and the moderators' daily digest, translator
roles granted from chat on top of the config's, hidden voting, and contributor stats. It owns
the scheduler and hears of comments changing hands through `Area`'s hooks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core.area import Area, S
from bot.core.credits import credits_line
from bot.core.delivery import Deliveries
from bot.core.errors import InvalidInput
from bot.core.events import Event, SelectionChanged
from bot.core.models import Actor, Article, Role
from bot.core.reminders import Reminders, article_key, forget_reminder, plan_reminder
from bot.core.roles import ROLES_TOPIC, TeamList, TeamPolicy, TeamRoles
from bot.core.scheduling import Firing, Scheduler
from bot.core.stats import Stats, TeamStats
from bot.core.team_events import ScheduleSet, TeamChanged
from bot.core.teamwork import Grant, ScheduleKind, TeamRules
from bot.core.when import parse_duration, parse_moment

OFF = ("off", "none", "clear", "なし", "解除")
VOTING_MODES = ("hidden", "open")


class TeamArea(Area):
    def __init__(self, *args: Any, team: TeamRules | None = None, **deps: Any) -> None:
        super().__init__(*args, **deps)
        self.team = team or TeamRules()
        policy = self.policy
        self.policy = policy if isinstance(policy, TeamPolicy) else TeamPolicy(policy)
        self.deliveries = Deliveries(self.store, self.clock)
        self.roles = TeamRoles(self.store, self.clock, self.policy)
        self.stats = Stats(self.store, self.clock)
        self.scheduler = Scheduler(self.store, self.clock, self._announce)
        Reminders(self.store, self.clock, self.rules, self.team).register(self.scheduler)
        self.scheduler.on(ScheduleKind.CLOSE, self._close_effect)
        self.scheduler.every_tick(self.roles.load)

    async def start(self) -> None:
        """Read what the store knows (roles granted from chat) before the first command, and
        again whenever another process on the store grants or revokes one."""
        await self.roles.load()
        await self.store.watch(ROLES_TOPIC, self.roles.load)

    # schedules set from chat -----------------------------------------------------------------

    async def schedule_close(
        self, actor: Actor, number: int, at: str | None = None, in_: str | None = None
    ) -> Article:
        """`article close <a> --at T | --in D`: voting closes by itself then (`--at off`
        cancels it)."""
        self._require(actor, Role.MODERATOR, "close voting")
        if at is not None and in_ is not None:
            raise InvalidInput("team.at_or_in", field="at")
        now = self.clock.now()
        due = self._due(at, in_, now)
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.COLLECTING}, "close voting")
            await self._set(tx, actor, article_id, article, ScheduleKind.CLOSE, due, now)
            article = await tx.get_article(actor.space, number)
        await self._announce(
            ScheduleSet(article=article, kind="close", due_at=due, by_name=actor.name)
        )
        self.scheduler.poke()
        return article

    async def set_deadline(self, actor: Actor, number: int, value: str) -> Article:
        """`article set <a> deadline <time>|off`: when translations are due."""
        self._require(actor, Role.MODERATOR, "set a translation deadline")
        now = self.clock.now()
        due = self._due(value, None, now, field="value")
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.COLLECTING, S.TRANSLATING}, "set a translation deadline")
            await self._set(tx, actor, article_id, article, ScheduleKind.DEADLINE, due, now)
            article = await tx.get_article(actor.space, number)
        await self._announce(
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
        return parse_moment(at, tz=self.team.tz, now=now, field=field)

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
        await self._log_step(
            tx,
            article_id,
            actor,
            f"set_{column}",
            due.isoformat(timespec="minutes") if due else "off",
        )

    async def _on_voting_closed(self, tx: Any, space: str, number: int) -> None:
        """Voting was closed or reopened by a person: a pending close must not fire later."""
        await tx.drop_schedule(space, ScheduleKind.CLOSE, article_key(number))
        await tx.update_article(space, number, closes_at=None)

    async def _close_effect(self, tx: Any, firing: Firing) -> tuple[str, list[Event]]:
        schedule = firing.schedule
        if schedule.article_number is None:
            return "article gone", []
        # Closed on behalf of the moderator who set the time: the history says who decided.
        actor = Actor(
            space=schedule.space, user_id=schedule.created_by, name=schedule.created_by_name
        )
        closed = await self._close_in(  # type: ignore[attr-defined]  # SelectionArea's
            tx,
            actor,
            schedule.article_number,
            scheduled_for=schedule.due_at,
            late=firing.late is not None,
        )
        return f"closed, {len(closed.selected)} selected", [closed]

    # hidden voting ---------------------------------------------------------------------------

    async def set_voting(self, actor: Actor, number: int, mode: str) -> Article:
        """`article set <a> voting hidden|open`: hidden shows members only how many voted
        until voting closes; moderators always see the scores."""
        self._require(actor, Role.MODERATOR, "change how votes are shown")
        mode = mode.strip().lower()
        if mode not in VOTING_MODES:
            raise InvalidInput("hidden.bad_mode", field="value", value=mode[:40])
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.COLLECTING}, "change how votes are shown")
            await tx.update_article(actor.space, number, voting=mode)
            await self._log_step(tx, article_id, actor, "set_voting", mode)
            article = await tx.get_article(actor.space, number)
            comments = await tx.list_comments(article_id)
        # Every card changes: it shows the score again, or only the number of votes.
        await self._announce(
            *(SelectionChanged(comment=self._seen(None, c, article.votes_hidden)) for c in comments)
        )
        return article

    # who holds what --------------------------------------------------------------------------

    async def _on_hold(self, tx: Any, actor: Actor, number: int, holder: Actor) -> None:
        """Remember since when and from whom `holder` holds the comment; plan the reminder."""
        now = self.clock.now()
        by = actor.user_id if actor.user_id != holder.user_id else None
        await tx.mark_assignment(actor.space, number, at=now, by=by)
        await plan_reminder(
            tx,
            self.team,
            space=actor.space,
            number=number,
            holder_id=holder.user_id,
            now=now,
            by=actor.user_id,
        )

    async def _on_release(self, tx: Any, space: str, number: int) -> None:
        await tx.mark_assignment(space, number, at=None, by=None)
        await forget_reminder(tx, space=space, number=number)

    # credits ---------------------------------------------------------------------------------

    async def _credits(self, tx: Any, article_id: int, article: Article) -> str:
        """Who translated the selected comments and who picked them, in the team's template."""
        if self.team.credits == "":
            return ""
        rows = await tx.credit_names(article_id)
        return credits_line(
            self.team.credits,
            article.target_language,
            translators=((row["translator_id"], row["translator"]) for row in rows),
            pickers=((row["picker_id"], row["picker"]) for row in rows),
        )

    # roles from chat -------------------------------------------------------------------------

    async def team_add(self, actor: Actor, user: Actor, role: str) -> Grant:
        grant = await self.roles.add(actor, user, role)
        await self._announce(
            TeamChanged(
                space=actor.space,
                user_id=user.user_id,
                user_name=user.name,
                role=role,
                added=True,
                by_name=actor.name,
            )
        )
        return grant

    async def team_remove(self, actor: Actor, user: Actor, role: str) -> None:
        await self.roles.remove(actor, user, role)
        await self._announce(
            TeamChanged(
                space=actor.space,
                user_id=user.user_id,
                user_name=user.name,
                role=role,
                added=False,
                by_name=actor.name,
            )
        )

    async def team_list(self, actor: Actor) -> TeamList:
        return await self.roles.list(actor)

    # stats -----------------------------------------------------------------------------------

    async def team_stats(self, actor: Actor, since: str | None = None) -> TeamStats:
        return await self.stats.of(actor, since)
