"""The message shortcut "Submit as reaction": any Slack message becomes a comment draft."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import blocks as ui
from bot.slack.front import SlackFrontEnd
from bot.slack.listeners.commands import comment_modal, unescape


def register(app: AsyncApp, front: SlackFrontEnd) -> None:
    @app.shortcut(ui.SUBMIT_AS_REACTION)
    async def on_submit_as_reaction(
        ack: Any,
        body: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
        respond: Any,
    ) -> None:
        await ack()
        front.after_ack(body, respond, open_comment_form(front, body, context, client))


async def open_comment_form(
    front: SlackFrontEnd, body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
) -> None:
    """The comment modal prefilled with the message's text and its permalink."""
    user = body.get("user") or {}
    actor = await front.actor(context, str(user.get("name") or user.get("username") or ""))
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id", "")
    permalink = ""
    try:
        found = await client.chat_getPermalink(
            channel=channel, message_ts=body.get("message_ts") or message.get("ts", "")
        )
        permalink = str(found.get("permalink") or "")
    except SlackApiError:
        permalink = ""  # the form still works without the link
    view = await comment_modal(
        front, actor, text=unescape(str(message.get("text", ""))), url=permalink
    )
    await client.views_open(trigger_id=body["trigger_id"], view=view)
