"""What every Slack listener is given, and what they share: the front end's dependencies, the
work after an ack, the one safety net, and the guard that keeps requests to one workspace.

Listeners receive a `SlackFrontEnd` through their module's `register(app, front)`; `app.py`
builds it and the app, and imports the listeners, never the other way round.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.dispatch import Dispatcher, Outcome
from bot.core.errors import DomainError
from bot.core.hints import CommandHint
from bot.core.messages import speaking, t, use_language
from bot.core.models import Actor
from bot.core.scheduling import SchedulerRunner
from bot.core.service import HannoService, PublishFailed
from bot.slack import blocks as ui
from bot.slack.identity import Directory
from bot.slack.notifier import PublishPoster, SlackNotifier

log = logging.getLogger(__name__)


@dataclass
class SlackFrontEnd:
    """What every listener needs: the core, who is who, and where things are posted."""

    service: HannoService
    dispatcher: Dispatcher
    directory: Directory
    notifier: SlackNotifier
    poster: PublishPoster
    command: str
    client: AsyncWebClient
    session: aiohttp.ClientSession | None = None
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    language: str = "en"  # the space's: channel posts, and people whose locale is unknown
    schedules: SchedulerRunner | None = None

    def start_schedules(self, team_id: str) -> None:
        """Start the scheduler (once the notifier is bound): what fell due while the bot was
        down fires now."""
        if self.schedules is None:
            # This app serves one workspace (requests from others are refused below); other
            # spaces on a shared store (Discord guilds, the console) are left to their front end.
            self.service.scheduler.serves = lambda space: space == team_id
            self.schedules = SchedulerRunner(self.service.scheduler)
            self.schedules.start()

    def write_command(self, hint: CommandHint) -> str:
        """A suggested command as Slack's people type it: `/hanno publish 1`."""
        return self.dispatcher.write_command(hint)

    @staticmethod
    def space_of(context: AsyncBoltContext) -> str:
        """The core's space for a request: its workspace (or org, for a Grid-wide install)."""
        return context.team_id or context.enterprise_id or "slack"

    async def actor(
        self, context: AsyncBoltContext, fallback_name: str = "", *, wait_for_name: bool = True
    ) -> Actor:
        return await self.directory.actor(
            self.space_of(context),
            context.user_id or "",
            fallback_name,
            wait_for_name=wait_for_name,
        )

    async def reply_outcome(self, respond: Any, outcome: Outcome) -> None:
        """The answer to a command; `publish` names the publish channel by a link."""
        links = (self.poster.channel_id,) if outcome.command == "publish" else ()
        await self.reply(respond, outcome.reply, links=links)

    async def reply(self, respond: Any, text: str, *, links: Collection[str] = ()) -> None:
        """An ephemeral answer to the person who acted, in sections within Slack's limits;
        the channels in `links` that the text names as `<#C…>` stay links."""
        text = ui.visible(text)
        sections = [ui.with_channel_links(s, links) for s in ui.text_sections(text)]
        sections = sections or [ui.section("…")]
        if len(sections) > ui.BLOCKS_PER_MESSAGE:
            sections = [*sections[: ui.BLOCKS_PER_MESSAGE - 1], ui.context(t("slack.truncated"))]
        await respond(
            text=ui.fallback(text) or "…",
            blocks=sections,
            response_type="ephemeral",
            replace_original=False,
        )

    def after_ack(self, body: dict[str, Any], respond: Any, work: Awaitable[None]) -> None:
        """Do a request's work after Slack has its ack, failures going to the safety net.

        Bolt's async runner loses an early ack when a listener raises within its 10 ms poll
        (Slack then sees a timeout), so listeners ack and hand their work over to this task.
        """
        task = asyncio.ensure_future(self._guarded(body, respond, work))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _guarded(self, body: dict[str, Any], respond: Any, work: Awaitable[None]) -> None:
        try:
            await work
        except Exception as error:  # the safety net (with app.error, which calls on_error too)
            await self.on_error(error, body, respond)

    async def on_error(self, error: Exception, body: dict[str, Any], respond: Any) -> None:
        """The one safety net: domain refusals are told to the person; the rest is an incident."""
        if isinstance(error, PublishFailed):
            await self._tell_review_channel(error, body)
        if isinstance(error, DomainError):
            message = error.message_for(self.write_command)
        else:
            ref = secrets.token_hex(2)
            log.error("incident %s while handling %s", ref, body.get("type"), exc_info=error)
            message = t("slack.error.incident", ref=ref)
        if respond is not None and body.get("response_url"):
            await self.reply(respond, message)
            return
        user_id = (body.get("user") or {}).get("id") or body.get("user_id")
        if not user_id:
            user_id = (body.get("event") or {}).get("user")
        if user_id:
            await self.client.chat_postMessage(channel=user_id, text=ui.inert(ui.visible(message)))

    async def _tell_review_channel(self, error: PublishFailed, body: dict[str, Any]) -> None:
        """The reply is ephemeral and its response_url expires; the review channel keeps the
        team aware that the article is half published and what to do about it."""
        user = body.get("user") or {}
        name = user.get("name") or user.get("username") or body.get("user_name") or ""
        reason = error.message_for(self.write_command)
        with speaking(self.language):
            text = t("slack.ann.publish_failed", name=ui.inert(str(name)), reason=reason)
        try:
            await self.notifier.announce(self.notifier.channels.review, text)
        except Exception:  # the person who published still gets the reply
            log.exception("telling the review channel about a failed publish failed")

    async def drain(self) -> None:
        """Wait for work still running after its ack, and for pending card refreshes."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
            await self.notifier.drain()
        await self.notifier.drain()

    async def close(self) -> None:
        """Finish pending work, then close the Web API connections (at shutdown)."""
        if self.schedules is not None:
            await self.schedules.stop()
        await self.drain()
        if self.session is not None:
            await self.session.close()


# What the work after an ack and the safety net read of a click's body.
KEPT_FIELDS = ("type", "team", "user", "user_id", "user_name", "response_url", "trigger_id")


def essentials(body: dict[str, Any]) -> dict[str, Any]:
    """The fields of a click's body that its work after the ack reads.

    A click carries the whole message it was on, hundreds of small dicts once parsed. Keeping
    only these lets the rest be freed at the ack rather than live until the vote is committed,
    with the garbage collector scanning them again and again meanwhile (with the request context
    no longer held either, a burst of 2,000 vote clicks went from about 190 young-generation
    collections to about 155).
    """
    return {key: body[key] for key in KEPT_FIELDS if key in body}


class PersonsLanguage(AsyncMiddleware):
    """Speak to each person in the language they chose in Slack (users.info's `locale`, looked
    up once per person), else in the space's `interface_language`.

    The language is made active for the rest of the request's task (Bolt runs its middleware
    one after another, not nested, then the listener in the same task; the work a listener
    hands to `after_ack` copies it). Every request sets it, so none inherits another's.
    Channel posts switch to the space's language in the notifier.
    """

    def __init__(self, front: SlackFrontEnd) -> None:
        self.front = front

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        user_id = req.context.user_id
        directory = self.front.directory
        if not user_id:
            tag = None
        elif _is_vote(req.body):  # silent unless refused; a burst must cost no users.info
            tag = directory.known_locale(user_id)
        else:
            tag = await directory.locale(user_id)
        use_language(tag or self.front.language)
        return await next()


def _is_vote(body: Any) -> bool:
    if not isinstance(body, dict) or body.get("type") != "block_actions":
        return False
    actions = body.get("actions") or [{}]
    return isinstance(actions[0], dict) and actions[0].get("action_id") in ui.VOTE_ACTIONS


class OneWorkspace(AsyncMiddleware):
    """Refuse requests that name another workspace than the one the bot token belongs to.

    Slack signs every request, but the team id inside is what scopes the core's data: a
    replayed or altered request naming another team must not act on that team's articles.
    (An org-wide Enterprise Grid install has no single team; it is not checked.)

    A subclass rather than a function given to `app.middleware`: Bolt calls a function
    middleware through its argument injection, which builds every injectable argument (about
    thirty) on each request; in a burst of vote clicks that was a noticeable share of the
    bot's time per click, for a check that needs only the request.
    """

    def __init__(self, front: SlackFrontEnd) -> None:
        self.front = front

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        ours = req.context.authorize_result.team_id if req.context.authorize_result else None
        theirs = req.context.team_id
        if ours is None or theirs is None or theirs == ours:
            return await next()
        log.warning("refused a request from workspace %s (this app serves %s)", theirs, ours)
        use_language(self.front.language)  # before PersonsLanguage: the space's words
        message = t("slack.error.other_workspace")
        body = req.body if isinstance(req.body, dict) else {}
        if body.get("type") == "view_submission":
            answer = {"response_action": "update", "view": ui.notice_modal(message)}
            return BoltResponse(status=200, body=json.dumps(answer))
        if body.get("command"):
            answer = {"response_type": "ephemeral", "text": ui.fallback(message)}
            return BoltResponse(status=200, body=json.dumps(answer))
        if req.context.respond is not None and body.get("response_url"):
            respond = req.context.respond
            front = self.front

            async def tell() -> None:
                await front.reply(respond, message)

            front.after_ack(body, respond, tell())
        return BoltResponse(status=200, body="")
