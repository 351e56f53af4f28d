"""The sentences of schedules, reminders, digests and DM failures, shared by every front end.

Each front end passes `when`, its way of writing a moment: Discord a `<t:…>` timestamp that
every reader sees in their own timezone, Slack and the console the team's timezone spelled
out in the reader's language (`when.format_moment`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.core.events import VotingClosed
from bot.core.hints import CommandHint, HintWriter
from bot.core.messages import t
from bot.core.roles import TeamList
from bot.core.team_events import DeadlinePassed, DigestDue, DigestItem, ReminderDue, ScheduleSet

When = Callable[[datetime], str]


def numbers(values: tuple[int, ...] | list[int]) -> str:
    return ", ".join(f"#{n}" for n in values)


def schedule_set(event: ScheduleSet, when: When, language: str | None = None) -> str:
    number = event.article.number
    if event.due_at is None:
        return t(f"team.schedule.cleared_{event.kind}", language, number=number, by=event.by_name)
    return t(
        f"team.schedule.set_{event.kind}",
        language,
        number=number,
        when=when(event.due_at),
        by=event.by_name,
    )


def closed_note(event: VotingClosed, when: When, language: str | None = None) -> str:
    """The line added to a close announcement when the schedule, not a person, closed it."""
    if event.scheduled_for is None:
        return ""
    key = "team.close.late" if event.late else "team.close.on_time"
    return t(key, language, when=when(event.scheduled_for))


def deadline_passed(event: DeadlinePassed, when: When, language: str | None = None) -> str:
    number = event.article.number
    late = t("team.late_note", language) if event.late else ""
    if not event.missing:
        return t("team.deadline.met", language, number=number, when=when(event.due_at)) + late
    parts = [
        t("team.deadline.held_by", language, number=n, name=name)
        if name
        else t("team.deadline.unclaimed", language, number=n)
        for n, name in event.missing
    ]
    return (
        t(
            "team.deadline.missed",
            language,
            number=number,
            when=when(event.due_at),
            count=len(event.missing),
            missing=", ".join(parts),
        )
        + late
    )


def reminder(
    event: ReminderDue, when: When, language: str | None = None, command: HintWriter = str
) -> str:
    """The DM; `command` writes the two commands it names the way the front end's people
    type them (`/translate submit comment:3 text:…` on Discord)."""
    since = when(event.since) if event.since else t("team.word.a_while", language)
    number = event.comment_number
    return t(
        "team.reminder.dm",
        language,
        number=number,
        article=event.article_number,
        since=since,
        submit=command(CommandHint.of("translate submit", comment=number, text="<text>")),
        release=command(CommandHint.of("translate release", comment=number)),
    )


def digest(
    event: DigestDue, when: When, language: str | None = None, command: HintWriter = str
) -> str:
    """The moderators' digest; `command` writes the commands it names as typed where it is
    posted."""
    lines = [t("team.digest.title", language)]
    if event.late:
        lines[0] += t("team.late_note", language)
    for item in event.items:
        lines.append(_digest_head(item, when, language))
        lines.extend(f"  • {b}" for b in _blockers(item, when, language, command))
    if not event.items:
        lines.append(t("team.digest.nothing", language))
    return "\n".join(lines)


def _digest_head(item: DigestItem, when: When, language: str | None) -> str:
    article = item.article
    state = t(f"state_name.{article.state.value}", language)
    head = t(
        "team.digest.article", language, number=article.number, title=article.title, state=state
    )
    if article.deadline_at is not None and article.state.value == "translating":
        head += t("team.digest.due", language, when=when(article.deadline_at))
    return head


def _blockers(item: DigestItem, when: When, language: str | None, command: HintWriter) -> list[str]:
    """What one article waits for, in the order the work gets done."""
    article = item.article
    state, number = article.state.value, article.number
    blockers = []
    if state == "collecting":
        if article.closes_at is not None:
            blockers.append(t("team.digest.closes", language, when=when(article.closes_at)))
        else:
            blockers.append(t("team.digest.collecting", language, count=item.candidates))
    if item.unclaimed:
        blockers.append(t("team.digest.unclaimed", language, comments=numbers(item.unclaimed)))
    for name, held in item.held:
        blockers.append(t("team.digest.held", language, name=name, comments=numbers(held)))
    if item.machine:
        accept = CommandHint.of("translate accept", comment=item.machine[0])
        blockers.append(
            t(
                "team.digest.machine",
                language,
                comments=numbers(item.machine),
                command=command(accept),
            )
        )
    if state == "translating" and not item.selected:
        pick = command(CommandHint.of("comment pick", comment="<comment>"))
        reopen = command(CommandHint.of("article reopen", article=number))
        blockers.append(t("team.digest.nothing_selected", language, pick=pick, reopen=reopen))
    elif state == "translating" and not (item.unclaimed or item.held or item.machine):
        submit = command(CommandHint.of("draft submit", article=number))
        blockers.append(t("team.digest.ready_to_submit", language, command=submit))
    if state == "review":
        blockers.append(
            t(
                "team.digest.waiting_approval",
                language,
                count=item.approvals,
                required=item.approvals_required,
            )
        )
    if state == "approved":
        publish = command(CommandHint.of("publish", article=number))
        blockers.append(t("team.digest.waiting_publish", language, command=publish))
    return blockers


def dm_failed(name: str, about: str, language: str | None = None) -> str:
    return t("team.dm_failed", language, name=name, about=about)


def about_comment(number: int, article: int, language: str | None = None) -> str:
    return t("team.about.comment", language, number=number, article=article)


def team_list(listing: TeamList, when: When, language: str | None = None) -> str:
    """`team list`: grants from chat, the config's roles, recent changes."""
    lines = []
    if listing.granted:
        lines.append(t("team.list.granted", language))
        lines.extend(
            t(
                "team.list.grant_line",
                language,
                name=grant.user_name,
                by=grant.granted_by_name,
                when=when(grant.granted_at),
            )
            for grant in listing.granted
        )
    else:
        lines.append(t("team.list.no_grants", language))
    none = t("word.none", language)
    lines.append(
        t(
            "team.list.config",
            language,
            moderators=", ".join(listing.config_moderators) or none,
            translators=", ".join(listing.config_translators) or none,
        )
    )
    if listing.changes:
        lines.append(t("team.list.changes", language))
        lines.extend(
            t(
                f"team.list.change_{change.action}",
                language,
                when=when(change.at),
                by=change.actor_name,
                name=change.user_name,
                role=change.role,
            )
            for change in listing.changes
        )
    return "\n".join(lines)
