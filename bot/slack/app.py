"""Building hanno's Bolt app: client with retries, notifier, dispatcher, listeners, safety net.

`build_app` is the one place that wires the Slack front end; `run_slack` (in `runner.py`)
and the end-to-end tests both use it, so the tests exercise exactly what runs in production.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.core.dispatch import Dispatcher
from bot.core.hints import text_command
from bot.core.service import HannoService
from bot.slack.front import OneWorkspace, PersonsLanguage, SlackFrontEnd
from bot.slack.identity import Directory
from bot.slack.listeners import actions, commands, events, importing, shortcuts, views
from bot.slack.notifier import Channels, PublishPoster, SlackNotifier, slack_when


def make_client(
    token: str, base_url: str | None = None, session: aiohttp.ClientSession | None = None
) -> AsyncWebClient:
    """A Web API client that retries rate limits (honouring Retry-After) and 5xx answers.

    Given a `session`, every call reuses its pooled connections; without one, slack_sdk opens
    (and TLS-handshakes) a new connection for each call, which dominated a burst of clicks.
    """
    kwargs: dict[str, Any] = {"token": token}
    if base_url:
        kwargs["base_url"] = base_url
    return AsyncWebClient(
        **kwargs,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=10),
            AsyncServerErrorRetryHandler(max_retry_count=3),
        ],
    )


def make_publish_client(client: AsyncWebClient) -> AsyncWebClient:
    """The same connection, retrying only rate limits (Slack posted nothing then).

    A 5xx or a dropped connection may come after Slack posted the message; retrying those
    blindly would post a part twice, so `PublishPoster` retries them itself, after looking
    for the message in the channel.
    """
    return AsyncWebClient(
        token=client.token,
        base_url=client.base_url,
        session=client.session,
        timeout=client.timeout,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=10)],
    )


def _secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""


def build_app(
    settings: Settings,
    service: HannoService,
    *,
    client: AsyncWebClient | None = None,
    api_url: str | None = None,
) -> AsyncApp:
    """The Bolt app for `service`; it also becomes the service's notifier.

    `api_url` points the Web API client elsewhere (the tests' fake Slack); `client` replaces
    it entirely. Call `app.hanno.close()` at shutdown (it closes the pooled connections).
    """
    config = settings.slack
    token = _secret(settings.slack_bot_token)
    session = None
    if client is None:
        session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        client = make_client(token, api_url, session)
    app = AsyncApp(
        client=client,
        signing_secret=_secret(settings.slack_signing_secret),
        request_verification_enabled=config.mode == "http",
    )
    language = settings.space_language()
    directory = Directory(client, config)
    notifier = SlackNotifier(
        client,
        Channels(
            voting=config.voting_channel,
            review=config.review_channel,
            publish=config.publish_channel,
        ),
        language=language,
        locale_of=directory.locale,
        write_command=text_command(f"{config.command} "),
    )
    notifier.bind(service)
    notifier.when = slack_when(settings.team_rules().tz)
    poster = PublishPoster(notifier, config.publish_channel, client=make_publish_client(client))
    front = SlackFrontEnd(
        service=service,
        dispatcher=Dispatcher(
            service,
            resolve_user=directory.resolve,
            publish_target=poster,
            write_command=text_command(f"{config.command} "),
        ),
        directory=directory,
        notifier=notifier,
        poster=poster,
        command=config.command,
        client=client,
        session=session,
        language=language,
    )
    app.hanno = front  # type: ignore[attr-defined]
    app.middleware(OneWorkspace(front))
    app.middleware(PersonsLanguage(front))

    # Bolt tries listeners in order, each match costing an argument injection; vote clicks
    # come in bursts, so the actions (votes first) are tried before the rest. The import
    # button and form come before them: `actions` and `views` end with catch-alls.
    for module in (importing, actions, commands, views, shortcuts, events):
        module.register(app, front)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any], respond: Any) -> None:
        await front.on_error(error, body, respond)

    return app
