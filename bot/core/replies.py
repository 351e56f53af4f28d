"""Plain-text presentation of the core's results, shared by the text front ends.

The dispatcher's replies and the console's and Slack's lines use these, so an article, a
comment or a status board reads the same wherever it is shown as text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.core.assist_text import assist_status_lines
from bot.core.hidden import vote_count
from bot.core.hints import CommandHint, HintWriter
from bot.core.messages import t, tn
from bot.core.models import Article, Comment, Publication, PublicationStatus, Role, StatusBoard
from bot.core.targets import TargetOutcome
from bot.core.validation import excerpt


def signed(score: int) -> str:
    return f"+{score}" if score > 0 else str(score)


def role_name(role: Role) -> str:
    return t(f"role.{role.name.lower()}")


def article_line(article: Article) -> str:
    return t(
        "line.article",
        number=article.number,
        title=article.title,
        state=t(f"state_name.{article.state.value}"),
    )


def article_details(article: Article) -> str:
    lines = [
        article_line(article),
        t("line.article_rules", min_score=article.min_score, max_reactions=article.max_reactions),
    ]
    if article.lead:
        lines.append(t("line.lead", text=excerpt(article.lead, 200)))
    for source in article.sources:
        lines.append(
            t("line.source", position=source.position, url=source.url, author=source.author or "-")
        )
    if article.closing:
        lines.append(t("line.closing", text=excerpt(article.closing, 200)))
    return "\n".join(lines)


def comment_line(comment: Comment) -> str:
    return t(
        "line.comment",
        number=comment.number,
        face=comment.persona + comment.flags,
        score=vote_count(comment) if comment.hidden_votes is not None else signed(comment.score),
        status=t(f"status_name.{comment.status.value}"),
        text=excerpt(comment.text, 80),
    )


META_LINE = {False: "line.comment_meta", True: "hidden.comment_meta"}


def comment_details(comment: Comment) -> str:
    lines = [
        comment_line(comment),
        t(
            META_LINE[comment.hidden_votes is not None],
            article=comment.article_number,
            up=comment.up,
            down=comment.down,
            votes=vote_count(comment) if comment.hidden_votes is not None else "",
            author=comment.author or "-",
            lang=comment.language or "-",
            url=comment.url or "-",
        ),
        comment.text,
    ]
    if comment.assignee_name:
        lines.append(t("line.holder", name=comment.assignee_name))
    if comment.translation:
        lines.append(
            t(
                "line.translation",
                revision=comment.translation.revision,
                name=comment.translation.translator_name,
                text=comment.translation.text,
            )
        )
    return "\n".join(lines)


def work_line(comment: Comment) -> str:
    latest = comment.translation
    if latest is None:
        state = t("work.todo")
    elif latest.is_machine:
        state = t("work.machine", revision=latest.revision)
    else:
        state = t("work.translated", revision=latest.revision)
    return t(
        "line.work",
        number=comment.number,
        article=comment.article_number,
        state=state,
        text=excerpt(comment.text, 60),
    )


def schedule_lines(article: Article, when: Callable[[datetime], str]) -> list[str]:
    """When voting closes by itself and when translations are due, while that is ahead."""
    lines = []
    if article.closes_at is not None and article.state.value == "collecting":
        lines.append(t("status.closes", when=when(article.closes_at)))
    if article.deadline_at is not None and article.state.value in ("collecting", "translating"):
        lines.append(t("status.deadline", when=when(article.deadline_at)))
    return lines


def status_text(
    board: StatusBoard,
    write_command: HintWriter = str,
    when: Callable[[datetime], str] | None = None,
) -> str:
    """The status board as text; `when` writes the schedule's times (none shown without)."""
    lines = [
        article_line(board.article),
        tn(
            "status.counts",
            board.candidates,
            candidates=board.candidates,
            selected=board.selected,
            dropped=board.dropped,
        ),
        t(
            "status.translations",
            translated=board.translated,
            assigned=board.assigned_untranslated,
            unassigned=board.unassigned,
        ),
    ]
    if when is not None:
        lines += schedule_lines(board.article, when)
    for name, numbers in board.holders:
        lines.append(t("status.holder", name=name, comments=", ".join(f"#{n}" for n in numbers)))
    lines += assist_status_lines(board)
    state = board.article.state.value
    if state == "translating":
        if board.missing:
            lines.append(t("status.missing", comments=", ".join(f"#{n}" for n in board.missing)))
        elif board.selected:
            submit = write_command(CommandHint.of("draft submit", article=board.article.number))
            lines.append(t("hint.status.ready", command=submit))
    if state in ("review", "approved"):
        lines.append(
            t("status.approvals", count=board.fresh_approvals, required=board.approvals_required)
        )
    if board.published_parts and state != "published":
        lines.append(
            tn("status.partly_published", board.published_parts, parts=board.published_parts)
        )
    if board.blogs:
        lines.append(t("status.blogs"))
        lines += [f"- {line}" for line in blog_status_lines(board.blogs)]
    return "\n".join(lines)


def blog_status_lines(publications: Sequence[Publication]) -> list[str]:
    """Where the article stands on each blog it was sent to, one line a blog: its post and
    link, or why the last attempt failed (a post that exists and failed to update is both)."""
    lines = []
    for found in publications:
        where = found.url or found.remote_id
        if found.status is PublicationStatus.FAILED:
            lines.append(t("status.blog.failed", target=found.target, error=found.error))
        elif found.status is PublicationStatus.GONE:
            lines.append(t("status.blog.gone", target=found.target))
        elif found.error:
            status = t(f"blog.status.{found.status.value}")
            lines.append(
                t(
                    "status.blog.update_failed",
                    target=found.target,
                    status=status,
                    url=where,
                    error=found.error,
                )
            )
        else:
            lines.append(t(f"status.blog.{found.status.value}", target=found.target, url=where))
    return lines


def blog_lines(number: int, outcomes: Sequence[TargetOutcome]) -> list[str]:
    """One line per blog target: the post made or updated, or what went wrong and how to retry."""
    lines = []
    for outcome in outcomes:
        status = t(f"blog.status.{outcome.status.value}")
        if outcome.ok:
            lines.append(
                t(f"blog.{outcome.action}", target=outcome.target, status=status, url=outcome.url)
            )
            continue
        problem = t(outcome.problem_key, **outcome.problem_params)
        lines.append(t(f"blog.{outcome.action}", target=outcome.target, problem=problem))
        if outcome.action == "failed":
            lines.append(t("blog.retry", number=number, target=outcome.target))
    return lines
