"""`/hanno …`: the text grammar of DESIGN.md, parsed and carried out by the core's dispatcher.

The only thing decided here is presentation: a few forms that need long text (`comment add`,
`translate submit 3`, `article set 1 lead`, `draft reject 2`) typed without that text open
the matching modal instead of failing; everything else goes to the dispatcher as typed.
"""

from __future__ import annotations

import time
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import DomainError
from bot.core.import_replies import progress_text
from bot.core.models import Actor
from bot.core.service import TextField
from bot.slack import blocks as ui
from bot.slack.front import SlackFrontEnd
from bot.slack.importing import PROGRESS_EVERY, is_import


def unescape(text: str) -> str:
    """Slack escapes &, < and > in command text; the core wants what the person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _number(word: str) -> int | None:
    word = word.lstrip("#")
    return int(word) if word.isdigit() and len(word) < 10 else None


async def open_modal_for(
    front: SlackFrontEnd, client: AsyncWebClient, actor: Actor, text: str, trigger_id: str
) -> bool:
    """Open a modal for a long-text command typed without its text; True if one was opened."""
    words = text.lower().split()
    view: dict[str, Any] | None = None
    service = front.service
    if words[:2] == ["comment", "add"] and len(words) <= 3:
        article = _number(words[2]) if len(words) == 3 else None
        if len(words) == 3 and article is None:
            return False
        view = await comment_modal(front, actor, article=article)
    elif words[:2] == ["translate", "submit"] and len(words) == 3:
        number = _number(words[2])
        if number is None:
            return False
        view = ui.translation_modal(await service.translation_form(actor, number))
    elif words[:2] == ["article", "set"] and len(words) == 4 and words[3] in ("lead", "closing"):
        number = _number(words[2])
        if number is None:
            return False
        field: TextField = "lead" if words[3] == "lead" else "closing"
        view = ui.article_text_modal(await service.article_text_form(actor, number, field), field)
    elif words[:2] == ["draft", "reject"] and len(words) == 3:
        number = _number(words[2])
        if number is None:
            return False
        view = ui.reject_modal(await service.reject_form(actor, number))
    if view is None:
        return False
    await client.views_open(trigger_id=trigger_id, view=view)
    return True


async def comment_modal(
    front: SlackFrontEnd, actor: Actor, *, article: int | None = None, **prefill: str
) -> dict[str, Any]:
    articles = [a for a in await front.service.list_articles(actor) if a.open_for_comments]
    return ui.comment_modal(articles, article=article, **prefill)


def register(app: AsyncApp, front: SlackFrontEnd) -> None:
    @app.command(front.command)
    async def on_command(
        ack: Any,
        body: dict[str, Any],
        respond: Any,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        front.after_ack(body, respond, run_command(front, body, respond, client, context))


async def run_command(
    front: SlackFrontEnd,
    body: dict[str, Any],
    respond: Any,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    actor = await front.actor(context, body.get("user_name", ""))
    text = unescape(body.get("text", "")).strip()
    if await open_modal_for(front, client, actor, text, body.get("trigger_id", "")):
        return
    if is_import(text):
        await run_typed(front, actor, text, respond)
        return

    async def report(line: str) -> None:
        await front.reply(respond, line)

    outcome = await front.dispatcher.run(actor, text or "help", report=report)
    await front.reply_outcome(respond, outcome)


class EphemeralProgress:
    """The typed command's answer: one ephemeral message, replaced as the import goes on."""

    def __init__(self, respond: Any) -> None:
        self.respond = respond
        self.shown = False
        self.last = 0.0

    async def show(self, text: str) -> None:
        await self.respond(
            text=ui.fallback(text) or "…",
            blocks=ui.text_sections(ui.visible(text))[: ui.BLOCKS_PER_MESSAGE],
            response_type="ephemeral",
            replace_original=self.shown,
        )
        self.shown = True

    async def __call__(self, count: int) -> None:
        if count and time.monotonic() - self.last < PROGRESS_EVERY:
            return
        self.last = time.monotonic()
        await self.show(progress_text(count))


async def run_typed(front: SlackFrontEnd, actor: Any, text: str, respond: Any) -> None:
    """`comment import …` as typed: the dispatcher does it, this keeps one answer updated."""
    progress = EphemeralProgress(respond)
    try:
        outcome = await front.dispatcher.run(actor, text, progress=progress)
    except DomainError as error:
        if not progress.shown:
            raise  # the safety net answers as for every other command
        await progress.show(error.message_for(front.write_command))
        return
    if progress.shown:
        await progress.show(outcome.reply)
    else:
        await front.reply_outcome(respond, outcome)
