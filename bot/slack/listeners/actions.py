"""Buttons and pickers. Each carries its target (#comment or #article) in its value or block
id, so it keeps working after a restart; each maps onto the same core call as the command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import InvalidInput
from bot.core.models import Actor
from bot.slack import blocks as ui
from bot.slack.app import SlackFrontEnd
from bot.slack.listeners.commands import comment_modal

VOTES = {ui.VOTE_UP: "up", ui.VOTE_DOWN: "down", ui.VOTE_CLEAR: "clear"}

# Buttons that are a command line with the clicked id filled in; the reply is the command's.
LINES = {
    ui.CLAIM: "translate claim {n}",
    ui.APPROVE: "draft approve {n}",
    ui.PUBLISH: "publish {n}",
}

Handler = Callable[[Actor, dict[str, Any], dict[str, Any], Any, AsyncWebClient], Awaitable[None]]


def number_in(value: str) -> int:
    """The id in a button value or block id (`12`, `hanno_work_12`)."""
    tail = value.rsplit("_", 1)[-1]
    if not tail.isdigit():
        raise InvalidInput("slack.error.stale_button")
    return int(tail)


def user_name(body: dict[str, Any]) -> str:
    user = body.get("user") or {}
    return str(user.get("name") or user.get("username") or "")


def register(app: AsyncApp, front: SlackFrontEnd) -> None:
    def listen(action_id: str, handler: Handler) -> None:
        async def listener(
            ack: Any,
            body: dict[str, Any],
            action: dict[str, Any],
            context: AsyncBoltContext,
            respond: Any,
            client: AsyncWebClient,
        ) -> None:
            await ack()

            async def work() -> None:
                actor = await front.actor(context, user_name(body))
                await handler(actor, body, action, respond, client)

            front.after_ack(body, respond, work())

        app.action(action_id)(listener)

    async def vote(actor: Actor, body: dict, action: dict, respond: Any, client: Any) -> None:
        """Silent on success: the card itself shows the new score."""
        await front.service.vote(actor, number_in(action["value"]), VOTES[action["action_id"]])

    async def line(actor: Actor, body: dict, action: dict, respond: Any, client: Any) -> None:
        command = LINES[action["action_id"]].format(n=number_in(action["value"]))
        outcome = await front.dispatcher.run(actor, command)
        await front.reply(respond, outcome.reply)

    async def assign(actor: Actor, body: dict, action: dict, respond: Any, client: Any) -> None:
        number = number_in(action.get("block_id", ""))
        user = action.get("selected_user") or ""
        outcome = await front.dispatcher.run(actor, f"translate assign {number} <@{user}>")
        await front.reply(respond, outcome.reply)

    async def translate(actor: Actor, body: dict, action: dict, respond: Any, client: Any) -> None:
        comment = await front.service.get_comment(actor, number_in(action["value"]))
        await client.views_open(trigger_id=body["trigger_id"], view=ui.translation_modal(comment))

    async def reject(actor: Actor, body: dict, action: dict, respond: Any, client: Any) -> None:
        article = await front.service.get_article(actor, number_in(action["value"]))
        await client.views_open(trigger_id=body["trigger_id"], view=ui.reject_modal(article))

    async def new_comment(
        actor: Actor, body: dict, action: dict, respond: Any, client: Any
    ) -> None:
        view = await comment_modal(front, actor, article=number_in(action["value"]))
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    for action_id in VOTES:
        listen(action_id, vote)
    for action_id in LINES:
        listen(action_id, line)
    listen(ui.ASSIGN, assign)
    listen(ui.TRANSLATE, translate)
    listen(ui.REJECT, reject)
    listen(ui.NEW_COMMENT, new_comment)
