"""How core events look on a terminal: `[#channel] …` lines, and `[@person] …` for direct messages."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import TextIO

from bot.config import ChannelNames
from bot.core import team_text
from bot.core.events import (
    ApprovalWithdrawn,
    CommentSubmitted,
    DraftApproved,
    DraftRejected,
    DraftSubmitted,
    Event,
    RemarkAdded,
    ScoreChanged,
    TranslationAssigned,
    TranslationReleased,
    VotingClosed,
    VotingReopened,
)
from bot.core.hidden import vote_count
from bot.core.hints import text_command
from bot.core.import_replies import source_line, summary_text
from bot.core.messages import t, tn
from bot.core.models import Comment
from bot.core.replies import signed
from bot.core.team_events import DeadlinePassed, DigestDue, ReminderDue, ScheduleSet
from bot.core.threads import CommentsImported
from bot.core.when import format_moment

# Commands the console names, as typed there: `/publish 1`.
CONSOLE_COMMAND = text_command("/")


class ConsoleNotifier:
    def __init__(
        self, out: TextIO, channels: ChannelNames, *, timezone: tzinfo = UTC, language: str = "en"
    ) -> None:
        self.out = out
        self.channels = channels
        self.timezone = timezone
        self.language = language

    def when(self, moment: datetime) -> str:
        return format_moment(moment, self.timezone, self.language)

    def post(self, channel: str, text: str) -> None:
        print(f"[#{channel}] {text}", file=self.out, flush=True)

    async def notify(self, event: Event) -> None:
        if isinstance(event, CommentsImported):
            # one summary, then the cards (a terminal has no rate limit to respect)
            self.post(self.channels.voting, summary_text(event.summary))
            for comment in event.summary.added:
                self.post(self.channels.voting, self._card(comment))
            return
        line = self._render(event)
        if line is None:
            return
        target, text = line
        print(f"[{target}] {text}", file=self.out, flush=True)

    def _card(self, c: Comment) -> str:
        card = t(
            "console.card",
            number=c.number,
            article=c.article_number,
            face=c.persona + c.flags,
            text=c.text,
            by=c.submitted_by_name,
            score=vote_count(c) if c.hidden_votes is not None else signed(c.score),
        )
        if c.permalink:
            card += "  " + t("console.imported_from", source=source_line(c), link=c.permalink)
        return card

    def _render(self, event: Event) -> tuple[str, str] | None:
        ch = self.channels
        match event:
            case CommentSubmitted(comment=c):
                return f"#{ch.voting}", self._card(c)
            case ScoreChanged(comment=c) if c.hidden_votes is not None:
                return f"#{ch.voting}", t("console.votes", number=c.number, votes=vote_count(c))
            case ScoreChanged(comment=c):
                return f"#{ch.voting}", t(
                    "console.score", number=c.number, score=signed(c.score), up=c.up, down=c.down
                )
            case VotingClosed(article=a, selected=selected):
                numbers = ", ".join(f"#{c.number}" for c in selected) or t("word.none")
                text = t("console.closed", number=a.number, comments=numbers)
                note = team_text.closed_note(event, self.when)
                return f"#{ch.voting}", f"{text} {note}" if note else text
            case ScheduleSet(kind=kind):
                channel = ch.voting if kind == "close" else ch.review
                return f"#{channel}", team_text.schedule_set(event, self.when)
            case DeadlinePassed():
                return f"#{ch.review}", team_text.deadline_passed(event, self.when)
            case DigestDue():
                return f"#{ch.review}", team_text.digest(event, self.when, command=CONSOLE_COMMAND)
            case ReminderDue(assignee_name=name):
                return f"@{name}", team_text.reminder(event, self.when, command=CONSOLE_COMMAND)
            case VotingReopened(article=a):
                return f"#{ch.voting}", t("console.reopened", number=a.number)
            case TranslationAssigned(comment=c, assignee_name=name, by_name=by) if name != by:
                return f"@{name}", t(
                    "console.assigned_dm",
                    number=c.number,
                    article=c.article_number,
                    by=by,
                    text=c.text,
                )
            case TranslationReleased(comment=c, previous_name=name):
                return f"@{name}", t("console.released_dm", number=c.number)
            case DraftSubmitted(article=a, preview=preview):
                return f"#{ch.review}", t("console.review", number=a.number, title=a.title) + (
                    "\n" + preview.rstrip("\n")
                )
            case DraftApproved(article=a, by_name=by, approvals=n, required=r, approved=ok):
                key = "console.approved" if ok else "console.approval_counted"
                return f"#{ch.review}", tn(key, r, number=a.number, by=by, count=n, required=r)
            case DraftRejected(article=a, by_name=by, reason=reason):
                return f"#{ch.review}", t("console.rejected", number=a.number, by=by, reason=reason)
            case ApprovalWithdrawn(article=a, by_name=by):
                return f"#{ch.review}", t("console.withdrawn", number=a.number, by=by)
            case RemarkAdded(comment=c, remark=r, translator_name=name):
                return f"@{name}", t(
                    "console.remark_dm",
                    number=c.number,
                    article=c.article_number,
                    by=r.author_name,
                    text=r.text,
                )
        return None
