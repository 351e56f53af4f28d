"""Fixtures for the Slack front end's tests: a fake Slack on loopback, no proxies, and hanno's
real Bolt app (built by `build_app`) served over HTTP with signed requests."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from slack_bolt.async_app import AsyncApp

from bot.config import Settings, SlackConfig
from bot.core.models import Actor, Comment
from bot.core.rules import Rules
from bot.core.service import HannoService
from bot.render import Renderer
from bot.slack import build_app, run_slack
from bot.slack.front import SlackFrontEnd
from bot.slack.http import make_web_app
from bot.slack.identity import slack_policy
from bot.slack.notifier import CARD
from bot.storage.database import SqliteStore
from tests.fakes.slack_fake import SlackEvents, SlackFake, clear_proxy_env, serve

SECRET = "test-signing-secret"
TOKEN = "xoxb-test"
VOTING, REVIEW, PUBLISH = "CVOTING", "CREVIEW", "CPUBLISH"

# Who is who: moderators and translators by user id, and by user-group handle.
MOD, MOD2, TR, TR2, ANN, BOB = "UMOD", "UMOD2", "UTR", "UTR2", "UANN", "UBOB"
NAMES = {MOD: "mika", MOD2: "noa", TR: "tomo", TR2: "rin", ANN: "ann", BOB: "bob"}


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk honours HTTPS_PROXY and ignores NO_PROXY, so loopback calls need none set."""
    clear_proxy_env(monkeypatch)


@pytest.fixture
async def fake() -> AsyncIterator[SlackFake]:
    async with SlackFake(tokens={TOKEN}) as server:
        for user_id, name in NAMES.items():
            server.add_user(user_id, name)
        server.add_usergroup("S0EDITORS", "editors", [MOD2])
        server.add_usergroup("S0TRANSLATORS", "translators", [TR2])
        yield server


def slack_settings(**slack: Any) -> Settings:
    config = SlackConfig(
        mode="http",
        moderators=[MOD],
        translators=[TR],
        moderator_groups=["@editors"],
        translator_groups=["translators"],
        voting_channel=VOTING,
        review_channel=REVIEW,
        publish_channel=PUBLISH,
        **slack,
    )
    return Settings(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack=config)


@dataclass
class Slack:
    """Everything a test drives: Slack's side (events, fake) and hanno's (app, service)."""

    fake: SlackFake
    events: SlackEvents
    app: AsyncApp
    service: HannoService
    front: SlackFrontEnd

    def actor(self, user_id: str) -> Actor:
        tags = {user_id} | ({"editors"} if user_id == MOD2 else set())
        tags |= {"translators"} if user_id == TR2 else set()
        return Actor(space=self.fake.team_id, user_id=user_id, name=NAMES[user_id], tags=tags)

    async def say(self, user_id: str, text: str) -> str:
        """`/hanno <text>` by `user_id`; returns the ephemeral reply's text."""
        before = len(self.fake.response_posts)
        reply = await self.events.command(user_id, text)
        assert reply.status == 200, reply.text
        post = await self.fake.wait_for_response(count=before + 1)
        assert post.ephemeral
        await self.front.drain()  # what the command shows in channels is shown by now
        return reply_text(post.body)

    async def click(
        self, user_id: str, action_id: str, message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Click the element `action_id` on `message` (as the fake holds it now)."""
        from tests.fakes.slack_fake import find_action

        element = find_action(message["blocks"], action_id)
        block_id = next(
            b.get("block_id", "b")
            for b in message["blocks"]
            if element in b.get("elements", []) or b.get("accessory") == element
        )
        reply = await self.events.block_action(
            user_id,
            action_id,
            element.get("value", ""),
            message=message,
            block_id=block_id,
            **kwargs,
        )
        assert reply.status == 200, reply.text

    async def card(self, number: int) -> dict[str, Any]:
        """The voting-channel card of comment #number, once pending refreshes are done."""
        await self.front.drain()
        ref = await self.service.get_ref(self.fake.team_id, CARD, str(number))
        assert ref is not None, f"no card for comment #{number}"
        return self.fake.message(*ref)

    async def comment(self, number: int) -> Comment:
        return await self.service.get_comment(self.actor(MOD), number)


def reply_text(body: dict[str, Any]) -> str:
    from tests.fakes.slack_fake import block_texts

    return block_texts(body.get("blocks") or []) or str(body.get("text", ""))


@contextlib.asynccontextmanager
async def serving(
    fake: SlackFake, db: Path, settings: Settings | None = None, **extra: Any
) -> AsyncIterator[Slack]:
    """hanno's Bolt app for `settings` (default `slack_settings()`) served over HTTP; `extra`
    adds to HannoService's arguments (an import test's comment sources)."""
    settings = settings or slack_settings()
    store = await SqliteStore.open(db)
    service = HannoService(
        store,
        rules=Rules(min_score=1, max_reactions=5),
        policy=slack_policy(settings.slack),
        renderer=Renderer(),
        **extra,
    )
    app = build_app(settings, service, api_url=fake.api_url)
    runner, url = await serve(make_web_app(app))
    front: SlackFrontEnd = app.hanno  # type: ignore[attr-defined]
    try:
        yield Slack(
            fake=fake,
            events=SlackEvents(f"{url}/slack/events", SECRET, fake),
            app=app,
            service=service,
            front=front,
        )
    finally:
        await runner.cleanup()
        await front.close()
        await store.close()


@pytest.fixture
async def slack(fake: SlackFake, tmp_path: Path) -> AsyncIterator[Slack]:
    async with serving(fake, tmp_path / "slack.db") as running_slack:
        yield running_slack


def free_port() -> int:
    """A port nothing listens on now, for an app run in HTTP mode."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def running(settings: Settings, fake: SlackFake, **kwargs: object) -> AsyncIterator[None]:
    """`run_slack` (the CLI's entry point) in this process against `fake`, stopped on exit."""
    task = asyncio.create_task(run_slack(settings, api_url=fake.api_url, **kwargs))  # type: ignore[arg-type]
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
