"""`stats [--since 30d]`: who contributed what, and how long articles took to publish.

Counted from the workflow's own records (comments, votes, translations, approvals,
publication times), so there is nothing extra to keep in step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.core.clock import Clock
from bot.core.messages import t
from bot.core.models import Actor, Frozen
from bot.core.when import format_duration, parse_duration

DEFAULT_SINCE = "30d"
KINDS = ("comments", "votes", "translations", "accepted", "approvals")


class PersonStats(Frozen):
    user_id: str
    name: str
    comments: int = 0
    votes: int = 0
    translations: int = 0  # comments translated by the person
    accepted: int = 0  # comments whose machine draft the person took as it was
    approvals: int = 0


class ArticleTiming(Frozen):
    number: int
    title: str
    took: timedelta


class TeamStats(Frozen):
    since: datetime
    people: tuple[PersonStats, ...]
    articles: tuple[ArticleTiming, ...]


class Stats:
    def __init__(self, store: Any, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def of(self, actor: Actor, since: str | None = None) -> TeamStats:
        """Anyone may see the team's stats (they show work done, not votes cast on what)."""
        start = self.clock.now() - parse_duration(since or DEFAULT_SINCE, field="since")
        async with self.store.transaction() as tx:
            rows = await tx.contributions(actor.space, start)
            published = await tx.published_articles(actor.space, start)
        people: dict[str, dict[str, Any]] = {}
        for row in rows:
            entry = people.setdefault(row["user_id"], {"user_id": row["user_id"], "name": ""})
            entry[row["what"]] = int(row["n"])
            if row["name"]:
                entry["name"] = row["name"]
        ranked = sorted(
            (PersonStats(**entry) for entry in people.values()),
            key=lambda p: (
                -(p.comments + p.translations + p.accepted + p.approvals + p.votes),
                p.name,
            ),
        )
        articles = tuple(
            ArticleTiming(
                number=row["number"],
                title=row["title"],
                took=datetime.fromisoformat(row["published_at"])
                - datetime.fromisoformat(row["created_at"]),
            )
            for row in published
        )
        return TeamStats(since=start, people=tuple(ranked), articles=articles)


def stats_text(
    stats: TeamStats,
    when: Callable[[datetime], str],
    who: Callable[[PersonStats], str],
    language: str | None = None,
) -> str:
    """The stats as lines of text; `who` names a person the front end's way."""
    lines = [t("stats.title", language, since=when(stats.since))]
    if not stats.people:
        lines.append(t("stats.nobody", language))
    for person in stats.people:
        lines.append(
            t(
                "stats.person",
                language,
                name=who(person),
                comments=person.comments,
                votes=person.votes,
                translations=person.translations,
                accepted=person.accepted,
                approvals=person.approvals,
            )
        )
    if stats.articles:
        lines.append(t("stats.articles", language))
        for timing in stats.articles:
            lines.append(
                t(
                    "stats.article",
                    language,
                    number=timing.number,
                    title=timing.title,
                    took=format_duration(timing.took, language),
                )
            )
        average = sum((a.took for a in stats.articles), timedelta()) / len(stats.articles)
        lines.append(t("stats.average", language, took=format_duration(average, language)))
    else:
        lines.append(t("stats.no_articles", language))
    return "\n".join(lines)
