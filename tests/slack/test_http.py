"""HTTP mode: Slack's signature is verified on hanno's own endpoint."""

from __future__ import annotations

import time

import pytest

from bot.config import ConfigError, Settings, SlackConfig
from bot.slack.http import bolt_request
from bot.slack.runner import check_settings
from tests.fakes.slack_fake import sign
from tests.slack.conftest import MOD, SECRET, Slack


async def test_forged_signature_gets_401_and_changes_nothing(slack: Slack) -> None:
    fields = slack.events.command_fields(MOD, "article new Forged")
    from urllib.parse import urlencode

    body = urlencode(fields)
    forged = await slack.events.post_form(fields, headers=sign("wrong-secret", body))
    assert forged.status == 401
    stale = await slack.events.post_form(
        fields, headers=sign(SECRET, body, timestamp=int(time.time()) - 600)
    )
    assert stale.status == 401
    unsigned = await slack.events.post_form(fields, headers={})
    assert unsigned.status == 401
    assert await slack.service.list_articles(slack.actor(MOD)) == []
    good = await slack.events.post_form(fields)
    assert good.status == 200
    await slack.fake.wait_for_response()
    assert len(await slack.service.list_articles(slack.actor(MOD))) == 1


async def test_health_check_answers(slack: Slack) -> None:
    from aiohttp import ClientSession

    url = slack.events.url.replace("/slack/events", "/healthz")
    async with ClientSession(trust_env=False) as session, session.get(url) as response:
        assert response.status == 200


def test_payload_repair_keeps_the_raw_body_for_the_signature() -> None:
    raw = "command=%2Fhanno&text=comment+add+1+payload&team_id=T1&user_id=U1"
    request = bolt_request(raw, "", {"content-type": "application/x-www-form-urlencoded"})
    assert request.body["text"] == "comment add 1 payload"
    assert request.raw_body == raw
    assert request.context.user_id == "U1"


def test_interactive_payloads_are_left_to_bolt() -> None:
    raw = "payload=%7B%22type%22%3A%22block_actions%22%7D"
    request = bolt_request(raw, "", {"content-type": "application/x-www-form-urlencoded"})
    assert request.body == {"type": "block_actions"}


def test_missing_secrets_are_named() -> None:
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        check_settings(Settings(slack=SlackConfig()))
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        check_settings(Settings(slack_bot_token="xoxb-1", slack=SlackConfig(mode="socket")))
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        check_settings(Settings(slack_bot_token="xoxb-1", slack=SlackConfig(mode="http")))
    check_settings(Settings(slack_bot_token="xoxb-1", slack_app_token="xapp-1"))
