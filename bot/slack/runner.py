"""`hanno run --platform slack`: Socket Mode by default, HTTP mode serving `/slack/events`."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.config import ConfigError, Settings
from bot.core.messages import t
from bot.health import Health
from bot.runtime import Unreachable, settle_heap
from bot.slack.app import build_app
from bot.slack.http import EVENTS_PATH, make_web_app
from bot.slack.identity import slack_policy
from bot.wiring import open_service

log = logging.getLogger(__name__)


def check_settings(settings: Settings) -> None:
    """Refuse to start without the secrets the chosen mode needs, naming the variable."""
    if settings.slack_bot_token is None:
        raise ConfigError(t("cli.slack.no_bot_token"))
    if settings.slack.mode == "socket" and settings.slack_app_token is None:
        raise ConfigError(t("cli.slack.no_app_token"))
    if settings.slack.mode == "http" and settings.slack_signing_secret is None:
        raise ConfigError(t("cli.slack.no_signing_secret"))


async def run_slack(
    settings: Settings,
    *,
    host: str | None = None,
    api_url: str | None = None,
    store: Any = None,
    health: Health | None = None,
) -> None:
    """Run the Slack front end until cancelled (Ctrl-C).

    `api_url` replaces Slack's Web API address (default `[slack] api_url`; the tests' fake
    Slack); HTTP mode listens on `host`:`slack.port` and answers `/healthz` from `health`.
    With `store`, the service runs on that store (shared with other front ends).
    """
    check_settings(settings)
    api_url = api_url or settings.slack.api_url
    host = host or settings.slack.host
    async with open_service(settings, policy=slack_policy(settings.slack), store=store) as service:
        app = build_app(settings, service, api_url=api_url)
        front = app.hanno  # type: ignore[attr-defined]
        try:
            # One call before serving, so that no network is one sentence, not endless retries.
            identity = await app.client.auth_test()
        except (aiohttp.ClientError, OSError) as error:
            await front.close()
            raise Unreachable("Slack", error) from None
        front.start_schedules(str(identity["team_id"]))
        settle_heap()
        try:  # a front end that fails to start (its port taken) still closes its connections
            if settings.slack.mode == "http":
                runner = web.AppRunner(make_web_app(app, health=health), access_log=None)
                await runner.setup()
                try:
                    await web.TCPSite(runner, host, settings.slack.port).start()
                    log.info(
                        "hanno: serving Slack at %s:%s%s", host, settings.slack.port, EVENTS_PATH
                    )
                    if health is not None:
                        health.register("slack", lambda: True)
                    await asyncio.Event().wait()
                finally:
                    if health is not None:
                        health.unregister("slack")
                    await runner.cleanup()
            else:
                assert settings.slack_app_token is not None
                handler = AsyncSocketModeHandler(app, settings.slack_app_token.get_secret_value())
                log.info("hanno: connecting to Slack in Socket Mode")
                try:
                    await handler.connect_async()
                    if health is not None:
                        health.register("slack", handler.client.is_connected)
                    await asyncio.Event().wait()
                finally:
                    if health is not None:
                        health.unregister("slack")
                    await handler.close_async()
        finally:
            await front.close()
