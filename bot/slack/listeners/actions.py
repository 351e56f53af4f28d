"""Buttons and pickers. Each carries its target (#comment or #article) in its value or block
id, so it keeps working after a restart; each maps onto the same core call as the command."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.errors import InvalidInput
from bot.core.messages import t
from bot.core.models import Actor, Role
from bot.slack import assist_blocks as assist_ui
from bot.slack import blocks as ui
from bot.slack.front import SlackFrontEnd, essentials
from bot.slack.importing import IMPORT, import_modal
from bot.slack.listeners.commands import comment_modal

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")

VOTES = {ui.VOTE_UP: "up", ui.VOTE_DOWN: "down", ui.VOTE_CLEAR: "clear"}
VOTE_IDS = re.compile("^(?:" + "|".join(map(re.escape, VOTES)) + ")$")

# Buttons that are a command line with the clicked id filled in; the reply is the command's.
LINES = {
    ui.CLAIM: "translate claim {n}",
    ui.APPROVE: "draft approve {n}",
    ui.PUBLISH: "publish {n}",
    ui.ACCEPT: "translate accept {n}",
}

Handler = Callable[[Actor, dict[str, Any], dict[str, Any], Any, AsyncWebClient], Awaitable[None]]


def number_in(value: object) -> int:
    """The id in a button value or block id (`12`, `hanno_work_12`).

    Values come back from Slack as sent, but anyone holding the signing secret's requests can
    replay them altered: only plain ASCII digits of a plausible size are ids (`str.isdigit`
    also accepts "²" and "１", and SQLite refuses integers past 2**63).
    """
    if not isinstance(value, str):  # Slack sends strings; 1 or [1] is a forged payload
        raise InvalidInput("slack.error.stale_button")
    tail = value.rsplit("_", 1)[-1]
    if not (tail.isascii() and tail.isdigit()) or len(tail) > 9 or int(tail) < 1:
        raise InvalidInput("slack.error.stale_button")
    return int(tail)


def user_name(body: dict[str, Any]) -> str:
    user = body.get("user") or {}
    return str(user.get("name") or user.get("username") or "")


def register(app: AsyncApp, front: SlackFrontEnd) -> None:
    def listen(
        action_id: str | re.Pattern[str], handler: Handler, *, names_matter: bool = True
    ) -> None:
        async def listener(
            ack: Any,
            body: dict[str, Any],
            action: dict[str, Any],
            context: AsyncBoltContext,
            respond: Any,
        ) -> None:
            await ack()
            # The work after the ack holds plain values only: Bolt's request context and the
            # click's whole payload can then be freed at once (see `essentials`).
            kept = essentials(body)
            space, user_id, name = front.space_of(context), context.user_id or "", user_name(body)

            async def work() -> None:
                actor = await front.directory.actor(
                    space, user_id, name, wait_for_name=names_matter
                )
                await handler(actor, kept, action, respond, front.client)

            front.after_ack(kept, respond, work())

        app.action(action_id)(listener)

    async def vote(actor: Actor, body: dict, action: dict, respond: Any, client: Any) -> None:
        """Silent on success: the card itself shows the new score."""
        await front.service.vote(
            actor, number_in(action.get("value", "")), VOTES[action["action_id"]]
        )

    async def line(actor: Actor, body: dict, action: dict, respond: Any, client: Any) -> None:
        command = LINES[action["action_id"]].format(n=number_in(action.get("value", "")))
        outcome = await front.dispatcher.run(actor, command)
        await front.reply_outcome(respond, outcome)

    async def blog(actor: Actor, body: dict, action: dict, respond: Any, client: Any) -> None:
        """ "Publish to <blog>" on the review post: the same as `publish <a> --to <blog>`."""
        number = number_in(action.get("value", ""))
        name = str(action.get("action_id", "")).removeprefix(ui.PUBLISH_TO)
        if name not in front.service.target_names():
            raise InvalidInput("slack.error.stale_button")
        outcome = await front.dispatcher.run(actor, f"publish {number} --to {name}")
        await front.reply(respond, outcome.reply)

    async def assign(actor: Actor, body: dict, action: dict, respond: Any, client: Any) -> None:
        number = number_in(action.get("block_id", ""))
        user = action.get("selected_user")
        if not isinstance(user, str) or not USER_ID.match(user):
            raise InvalidInput("slack.error.stale_button")
        outcome = await front.dispatcher.run(actor, f"translate assign {number} <@{user}>")
        await front.reply_outcome(respond, outcome)

    async def translate(actor: Actor, body: dict, action: dict, respond: Any, client: Any) -> None:
        comment = await front.service.translation_form(actor, number_in(action.get("value", "")))
        await client.views_open(trigger_id=body["trigger_id"], view=ui.translation_modal(comment))

    async def machine_draft(
        actor: Actor, body: dict, action: dict, respond: Any, client: Any
    ) -> None:
        """The draft (it may take the provider seconds: the click was acked already), then
        the buttons to edit it in the form or accept it as it is."""
        number = number_in(action.get("value", ""))
        outcome = await front.dispatcher.run(actor, f"translate suggest {number}")
        n = str(number)
        await respond(
            text=ui.fallback(outcome.reply),
            blocks=assist_ui.with_buttons(
                outcome.reply,
                f"hanno_draft_{n}",
                ui.button(t("slack.button.edit_draft"), ui.TRANSLATE, n, style="primary"),
                ui.button(t("slack.button.accept_draft"), ui.ACCEPT, n),
            ),
            response_type="ephemeral",
            replace_original=False,
        )

    async def remark(actor: Actor, body: dict, action: dict, respond: Any, client: Any) -> None:
        number = number_in(action.get("value", ""))
        front.service.policy.require(actor, Role.MODERATOR, "leave review remarks")
        article = await front.service.get_article(actor, number)
        await client.views_open(trigger_id=body["trigger_id"], view=assist_ui.remark_modal(article))

    async def reject(actor: Actor, body: dict, action: dict, respond: Any, client: Any) -> None:
        article = await front.service.reject_form(actor, number_in(action.get("value", "")))
        await client.views_open(trigger_id=body["trigger_id"], view=ui.reject_modal(article))

    async def new_comment(
        actor: Actor, body: dict, action: dict, respond: Any, client: Any
    ) -> None:
        number = number_in(action.get("value", ""))
        await front.service.get_article(actor, number)  # a forged number is refused here
        view = await comment_modal(front, actor, article=number)
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    async def import_thread(
        actor: Actor, body: dict, action: dict, respond: Any, client: Any
    ) -> None:
        """The article's "Import a thread": refused at the click if the import would be."""
        article = await front.service.import_form(actor, number_in(action.get("value", "")))
        await client.views_open(trigger_id=body["trigger_id"], view=import_modal(article.number))

    async def unknown(ack: Any, body: dict[str, Any], respond: Any) -> None:
        """A click no listener above knows (an old app version's button, a forged id)."""
        await ack()
        front.after_ack(body, respond, _refuse())

    # One listener for the three vote buttons, registered first: Bolt matches listeners in
    # order, and each one tried costs it an argument injection (votes come in bursts).
    listen(VOTE_IDS, vote, names_matter=False)  # a vote records who, never a name
    for action_id in LINES:
        listen(action_id, line)
    listen(re.compile("^" + re.escape(ui.PUBLISH_TO)), blog)
    listen(ui.ASSIGN, assign)
    listen(ui.TRANSLATE, translate)
    listen(ui.MACHINE_DRAFT, machine_draft)
    listen(ui.REMARK, remark)
    listen(ui.REJECT, reject)
    listen(ui.NEW_COMMENT, new_comment)
    listen(IMPORT, import_thread)
    app.action(re.compile(".*"))(unknown)  # last: Bolt runs the first listener that matches


async def _refuse() -> None:
    raise InvalidInput("slack.error.stale_button")
