"""The text front door: one parsed command line becomes one service call and one reply.

Slack's `/hanno …` and the console share this, so both accept the same lines, enforce the same
rules (the service's) and answer with the same words (the catalogue's).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol

from bot.core import team_text
from bot.core.assist_text import changes_text, revision_line, warning_lines
from bot.core.errors import InvalidInput, phrase
from bot.core.grammar import Command, help_text, parse
from bot.core.hidden import vote_reply
from bot.core.hints import CommandHint, HintWriter
from bot.core.history import history_line
from bot.core.import_replies import summary_text
from bot.core.messages import t, tn
from bot.core.models import Actor, Frozen
from bot.core.replies import (
    article_details,
    article_line,
    blog_lines,
    comment_details,
    comment_line,
    role_name,
    signed,
    status_text,
    work_line,
)
from bot.core.service import HannoService
from bot.core.stats import PersonStats, stats_text
from bot.core.team_events import ScheduleSet
from bot.core.threads import Progress
from bot.core.when import format_moment

UserResolver = Callable[[str, str], Awaitable[Actor | None]]
# Commands that take a `progress` callback (they can take longer than a moment).
REPORTS_PROGRESS = frozenset({"comment import"})
# Commands that report how far they got as sentences, before their one reply.
REPORTS_SENTENCES = frozenset({"translate suggest"})
ProgressReport = Callable[[str], Awaitable[None]]
When = Callable[[datetime], str]
Who = Callable[[PersonStats], str]


class PublishTarget(Protocol):
    """Where `publish` posts: the front end's channel, its message limit and its poster.

    `mention` is the channel as the front end's people see it named in a reply: `#publish`
    on the console, a channel link on Slack, whatever the channel is configured by.
    """

    limit: int
    channel: str

    @property
    def mention(self) -> str: ...

    async def post(self, index: int, text: str) -> str: ...


class Outcome(Frozen):
    command: str
    reply: str
    result: Any = None


class Dispatcher:
    def __init__(
        self,
        service: HannoService,
        *,
        resolve_user: UserResolver,
        publish_target: PublishTarget | None = None,
        write_command: HintWriter = str,
        when: When | None = None,
        who: Who | None = None,
    ) -> None:
        self.service = service
        self.resolve_user = resolve_user
        self.publish_target = publish_target
        # How the front end's people type a suggested command (`/hanno publish 1`, …).
        self.write_command = write_command
        # How this front end writes a moment (default: the team's timezone) and a person.
        self.when: When = when or (lambda moment: format_moment(moment, service.team.tz))
        self.who: Who = who or (lambda person: person.name or person.user_id)

    def _command(self, name: str, **args: object) -> str:
        return self.write_command(CommandHint.of(name, **args))

    async def run(
        self,
        actor: Actor,
        line: str,
        *,
        progress: Progress | None = None,
        report: ProgressReport | None = None,
    ) -> Outcome:
        """Parse and carry out one line; DomainErrors propagate for the front end to show.
        `progress` hears how far a long command (an import) has come; `report` is told, as
        sentences, how far a batch of machine drafts has come."""
        return await self.execute(actor, parse(line), progress=progress, report=report)

    async def execute(
        self,
        actor: Actor,
        command: Command,
        *,
        progress: Progress | None = None,
        report: ProgressReport | None = None,
    ) -> Outcome:
        handler = getattr(self, "_" + command.name.replace(" ", "_"))
        extra: dict[str, Any] = {"progress": progress} if command.name in REPORTS_PROGRESS else {}
        if command.name in REPORTS_SENTENCES:
            extra["progress"] = report
        reply, result = await handler(actor, **command.args, **extra)
        return Outcome(command=command.name, reply=reply, result=result)

    # articles --------------------------------------------------------------------------------

    async def _article_new(self, actor: Actor, title: str) -> tuple[str, Any]:
        article = await self.service.create_article(actor, title)
        command = self._command("comment add", article=article.number, text="<text>")
        return t(
            "hint.reply.article_created",
            number=article.number,
            title=article.title,
            command=command,
        ), article

    async def _article_list(self, actor: Actor) -> tuple[str, Any]:
        articles = await self.service.list_articles(actor)
        if not articles:
            command = self._command("article new", title="<title>")
            return t("hint.reply.no_articles", command=command), articles
        return "\n".join(article_line(a) for a in articles), articles

    async def _article_show(self, actor: Actor, article: int) -> tuple[str, Any]:
        found = await self.service.get_article(actor, article)
        return article_details(found), found

    async def _article_set(
        self, actor: Actor, article: int, field: str, value: Any
    ) -> tuple[str, Any]:
        if field == "style":
            found = await self.service.set_style(actor, article, str(value))
            return t("blog.style_set", number=found.number, style=found.style), found
        if field in ("min_score", "max_reactions"):
            found = await self.service.set_article_number(actor, article, field, int(value))
        elif field == "deadline":
            found = await self.service.set_deadline(actor, article, str(value))
            return self._scheduled(found, "deadline", actor), found
        elif field == "voting":
            found = await self.service.set_voting(actor, article, str(value))
            return t(f"hidden.set_{found.voting}", number=found.number), found
        else:
            found = await self.service.set_article_text(actor, article, field, str(value))
        return t("reply.article_set", number=found.number, field=phrase("field", field)), found

    async def _article_source(
        self,
        actor: Actor,
        article: int,
        url: str,
        text: str | None,
        author: str | None,
        handle: str | None,
        date: str | None,
    ) -> tuple[str, Any]:
        found, unread = await self.service.add_source_read(
            actor,
            article,
            url,
            text=text or "",
            author=author or "",
            handle=handle or "",
            date=date or "",
        )
        reply = t("reply.source_added", number=found.number, count=len(found.sources))
        if unread:
            reply += "\n" + t(
                "reply.source_not_read",
                site=unread,
                position=max(s.position for s in found.sources),
            )
        return reply, found

    async def _article_close(
        self, actor: Actor, article: int, at: str | None = None, in_: str | None = None
    ) -> tuple[str, Any]:
        if at is not None or in_ is not None:
            scheduled = await self.service.schedule_close(actor, article, at=at, in_=in_)
            return self._scheduled(scheduled, "close", actor), scheduled
        found, selected = await self.service.close_voting(actor, article)
        numbers = ", ".join(f"#{c.number}" for c in selected) or t("word.none")
        return t(
            "reply.closed", number=found.number, count=len(selected), comments=numbers
        ), selected

    def _scheduled(self, article: Any, kind: str, actor: Actor) -> str:
        due = article.closes_at if kind == "close" else article.deadline_at
        event = ScheduleSet(article=article, kind=kind, due_at=due, by_name=actor.name)
        return team_text.schedule_set(event, self.when)

    async def _article_reopen(self, actor: Actor, article: int) -> tuple[str, Any]:
        found = await self.service.reopen(actor, article)
        return t("reply.reopened", number=found.number), found

    async def _article_status(self, actor: Actor, article: int) -> tuple[str, Any]:
        board = await self.service.status(actor, article)
        return status_text(board, self.write_command, self.when), board

    async def _article_history(self, actor: Actor, article: int) -> tuple[str, Any]:
        entries = await self.service.history(actor, article)
        zone = self.service.rules.timezone
        return "\n".join(history_line(e, zone) for e in entries), entries

    # comments --------------------------------------------------------------------------------

    async def _comment_add(
        self,
        actor: Actor,
        article: int,
        text: str,
        url: str | None,
        author: str | None,
        lang: str | None,
        persona: str | None,
        countries: tuple[str, ...] | None,
    ) -> tuple[str, Any]:
        comment = await self.service.add_comment(
            actor,
            article,
            text,
            url=url or "",
            author=author or "",
            language=lang or "",
            persona=persona,
            countries=countries or (),
        )
        return t("reply.comment_added", number=comment.number, article=article), comment

    async def _comment_import(
        self,
        actor: Actor,
        article: int,
        url: str,
        top: int | None,
        min_score: int | None,
        langs: tuple[str, ...] | None,
        replies: bool | None,
        progress: Progress | None = None,
    ) -> tuple[str, Any]:
        summary = await self.service.import_comments(
            actor,
            article,
            url,
            top=top,
            min_score=min_score,
            langs=langs,
            replies=bool(replies),
            progress=progress,
        )
        return summary_text(summary), summary

    async def _comment_list(
        self, actor: Actor, article: int, status: str | None
    ) -> tuple[str, Any]:
        comments = await self.service.list_comments(actor, article, status)
        if not comments:
            return t("reply.no_comments", number=article), comments
        return "\n".join(comment_line(c) for c in comments), comments

    async def _comment_show(self, actor: Actor, comment: int) -> tuple[str, Any]:
        found = await self.service.get_comment(actor, comment)
        return comment_details(found), found

    async def _comment_pick(self, actor: Actor, comment: int) -> tuple[str, Any]:
        found = await self.service.pick(actor, comment)
        return t("reply.picked", number=found.number), found

    async def _comment_drop(self, actor: Actor, comment: int) -> tuple[str, Any]:
        found = await self.service.drop(actor, comment)
        return t("reply.dropped", number=found.number), found

    async def _comment_move(self, actor: Actor, comment: int, position: int) -> tuple[str, Any]:
        order = await self.service.move(actor, comment, position)
        listing = " ".join(f"#{c.number}" for c in order)
        return t("reply.moved", number=comment, position=position, order=listing), order

    async def _comment_persona(
        self, actor: Actor, comment: int, persona: str, countries: tuple[str, ...] | None
    ) -> tuple[str, Any]:
        found = await self.service.set_persona(actor, comment, persona, countries)
        return t("reply.persona", number=found.number, face=found.persona + found.flags), found

    async def _vote(self, actor: Actor, comment: int, choice: str) -> tuple[str, Any]:
        found = await self.service.vote(actor, comment, choice)
        if found.hidden_votes is not None:
            return vote_reply(found, choice), found
        key = "reply.vote_cleared" if choice == "clear" else "reply.voted"
        return t(
            key, number=found.number, choice=phrase("choice", choice), score=signed(found.score)
        ), found

    # translations ----------------------------------------------------------------------------

    async def _translate_assign(self, actor: Actor, comment: int, user: str) -> tuple[str, Any]:
        assignee = await self.resolve_user(actor.space, user)
        if assignee is None:
            raise InvalidInput("reply.unknown_user", field="user", user=user[:40])
        found = await self.service.assign(actor, comment, assignee)
        return t("reply.assigned", number=found.number, name=assignee.name), found

    async def _translate_claim(self, actor: Actor, comment: int) -> tuple[str, Any]:
        found = await self.service.claim(actor, comment)
        command = self._command("translate submit", comment=found.number, text="<text>")
        return t("hint.reply.claimed", number=found.number, command=command), found

    async def _translate_release(self, actor: Actor, comment: int) -> tuple[str, Any]:
        found = await self.service.release(actor, comment)
        return t("reply.released", number=found.number), found

    async def _translate_submit(self, actor: Actor, comment: int, text: str) -> tuple[str, Any]:
        found = await self.service.submit_translation(actor, comment, text)
        revision = found.translation.revision if found.translation else 1
        reply = t("reply.translated", number=found.number, revision=revision)
        return reply + await self._warnings_after(actor, comment), found

    async def _warnings_after(self, actor: Actor, comment: int) -> str:
        """The style and glossary warnings on a just-changed translation, as reply lines."""
        warnings = await self.service.translation_warnings(actor, comment)
        if not warnings:
            return ""
        lines = warning_lines(warnings.style, warnings.glossary)
        return "\n" + t("reply.warnings") + "\n" + "\n".join(lines)

    async def _translate_suggest(
        self, actor: Actor, number: int, all: bool | None, progress: ProgressReport | None = None
    ) -> tuple[str, Any]:
        if not all:
            found = await self.service.suggest(actor, number)
            draft = found.translation
            assert draft is not None
            return t(
                "reply.suggested",
                number=number,
                service=draft.provider,
                revision=draft.revision,
                text=draft.text,
            ) + await self._warnings_after(actor, number), found

        async def report(done: int, total: int) -> None:
            if progress is not None:
                await progress(t("reply.suggest_progress", number=number, done=done, total=total))

        result = await self.service.suggest_all(actor, number, report)
        return t(
            "reply.suggested_all",
            number=number,
            count=len(result.drafted),
            service=result.provider,
            skipped=result.skipped,
        ), result

    async def _translate_accept(self, actor: Actor, comment: int) -> tuple[str, Any]:
        found = await self.service.accept(actor, comment)
        revision = found.translation.revision if found.translation else 1
        reply = t("reply.accepted", number=comment, revision=revision)
        return reply + await self._warnings_after(actor, comment), found

    async def _translate_history(self, actor: Actor, comment: int) -> tuple[str, Any]:
        revisions = await self.service.revisions(actor, comment)
        if not revisions:
            return t("reply.no_revisions", number=comment), revisions
        lines = []
        zone = self.service.rules.timezone
        for item in revisions:
            lines.append(revision_line(item.translation, timezone=zone))
            lines.append("  " + changes_text(item.changes))
        return "\n".join(lines), revisions

    async def _translate_restore(
        self, actor: Actor, comment: int, revision: int
    ) -> tuple[str, Any]:
        found = await self.service.restore(actor, comment, revision)
        new = found.translation.revision if found.translation else revision
        reply = t("reply.restored", number=comment, source=revision, revision=new)
        return reply + await self._warnings_after(actor, comment), found

    async def _translate_remark(self, actor: Actor, comment: int, text: str) -> tuple[str, Any]:
        remark = await self.service.remark(actor, comment, text)
        found = await self.service.get_comment(actor, comment)
        name = found.assignee_name or (
            found.translation.translator_name if found.translation else ""
        )
        return t("reply.remarked", number=comment, revision=remark.revision, name=name), remark

    async def _translate_resolve(self, actor: Actor, comment: int) -> tuple[str, Any]:
        count = await self.service.resolve_remarks(actor, comment)
        return t("reply.resolved", number=comment, count=count), count

    # glossary --------------------------------------------------------------------------------

    async def _glossary_add(
        self, actor: Actor, source: str, target: str, note: str | None
    ) -> tuple[str, Any]:
        entry, new = await self.service.glossary_add(actor, source, target, note or "")
        key = "reply.glossary_added" if new else "reply.glossary_replaced"
        return t(key, source=entry.source, target=entry.target), entry

    async def _glossary_list(self, actor: Actor) -> tuple[str, Any]:
        entries = await self.service.glossary(actor)
        if not entries:
            return t("reply.glossary_empty"), entries
        lines = [
            t(
                "line.glossary",
                source=e.source,
                target=e.target,
                note=f" ({e.note})" if e.note else "",
            )
            for e in entries
        ]
        return "\n".join(lines), entries

    async def _glossary_remove(self, actor: Actor, source: str) -> tuple[str, Any]:
        removed = await self.service.glossary_remove(actor, source)
        return t("reply.glossary_removed", source=removed.source), removed

    async def _glossary_dismiss(
        self, actor: Actor, comment: int, source: str | None
    ) -> tuple[str, Any]:
        dismissed = await self.service.glossary_dismiss(actor, comment, source)
        terms = ", ".join(w.source for w in dismissed)
        return t("reply.glossary_dismissed", number=comment, terms=terms), dismissed

    async def _translate_mine(self, actor: Actor) -> tuple[str, Any]:
        work = await self.service.my_work(actor)
        if not work:
            command = self._command("translate claim", comment="<comment>")
            return t("hint.reply.no_work", command=command), work
        return "\n".join(work_line(c) for c in work), work

    # drafts and publishing -------------------------------------------------------------------

    async def _draft_build(self, actor: Actor, article: int) -> tuple[str, Any]:
        draft = await self.service.build_draft(actor, article)
        reply = t("reply.preview", number=article) + "\n" + draft.preview
        warnings = await self.service.draft_warnings(actor, article)
        if warnings:
            lines = [t("reply.draft_warnings")]
            for item in warnings:
                lines.append(f"#{item.number}")
                lines += warning_lines(item.style, item.glossary)
            reply += "\n" + "\n".join(lines)
        return reply, draft

    async def _draft_submit(self, actor: Actor, article: int) -> tuple[str, Any]:
        draft = await self.service.submit_draft(actor, article)
        return t("reply.submitted", number=article), draft

    async def _draft_approve(self, actor: Actor, article: int, note: str | None) -> tuple[str, Any]:
        found = await self.service.approve(actor, article, note or "")
        board = await self.service.status(actor, article)
        if found.state.value == "approved":
            command = self._command("publish", article=article)
            return t("hint.reply.approved", number=article, command=command), found
        return (
            t(
                "reply.approval_counted",
                number=article,
                count=board.fresh_approvals,
                required=board.approvals_required,
            ),
            found,
        )

    async def _draft_reject(self, actor: Actor, article: int, reason: str) -> tuple[str, Any]:
        found = await self.service.reject(actor, article, reason)
        return t("reply.rejected", number=article), found

    async def _publish(self, actor: Actor, article: int, to: str | None) -> tuple[str, Any]:
        """To the chat channel once, then to every `auto` blog; `--to` posts to one blog only."""
        if to is not None:
            outcomes = await self.service.publish_to_blogs(actor, article, [to])
            return "\n".join(blog_lines(article, outcomes)), outcomes
        target = self.publish_target
        if target is None:
            raise InvalidInput("reply.no_publish_channel")
        done = await self.service.publish_everywhere(
            actor, article, target.post, limit=target.limit, channel=target.channel
        )
        if done.chat is None:
            lines = [t("blog.chat_already", number=article)]
        else:
            parts = len(done.chat.parts)
            lines = [
                tn("reply.published_in", parts, number=article, parts=parts, channel=target.mention)
            ]
        return "\n".join([*lines, *blog_lines(article, done.blogs)]), done

    # the team ------------------------------------------------------------------------------

    async def _member(self, actor: Actor, user: str) -> Actor:
        member = await self.resolve_user(actor.space, user)
        if member is None:
            raise InvalidInput("reply.unknown_user", field="user", user=user[:40])
        return member

    async def _team_add(self, actor: Actor, user: str, role: str) -> tuple[str, Any]:
        grant = await self.service.team_add(actor, await self._member(actor, user), role)
        return t("team.added", name=grant.user_name, by=actor.name), grant

    async def _team_remove(self, actor: Actor, user: str, role: str) -> tuple[str, Any]:
        member = await self._member(actor, user)
        await self.service.team_remove(actor, member, role)
        return t("team.removed", name=member.name), member

    async def _team_list(self, actor: Actor) -> tuple[str, Any]:
        listing = await self.service.team_list(actor)
        return team_text.team_list(listing, self.when), listing

    async def _stats(self, actor: Actor, since: str | None) -> tuple[str, Any]:
        found = await self.service.team_stats(actor, since)
        return stats_text(found, self.when, self.who), found

    # help ------------------------------------------------------------------------------------

    async def _help(self, actor: Actor, topic: str | None) -> tuple[str, Any]:
        role = self.service.role_of(actor)
        text = help_text(topic)
        if topic is None:
            text += "\n" + t("reply.your_role", role=role_name(role))
        return text, None
