"""The fake Slack and the signing helpers work with a real Bolt AsyncApp over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_fake import SlackEvents, SlackFake, serve, sign

SECRET = "smoke-secret"


@pytest.fixture
async def events(fake: SlackFake) -> AsyncIterator[SlackEvents]:
    app = AsyncApp(
        token="xoxb-test",
        signing_secret=SECRET,
        client=AsyncWebClient(token="xoxb-test", base_url=fake.api_url),
    )

    @app.command("/hanno")
    async def hanno(ack, command, client) -> None:  # type: ignore[no-untyped-def]
        await ack()
        await client.chat_postMessage(channel=command["channel_id"], text=f"echo {command['text']}")

    runner, url = await serve(app.web_app())
    try:
        yield SlackEvents(f"{url}/slack/events", SECRET, fake)
    finally:
        await runner.cleanup()


async def test_signed_slash_command_reaches_the_app_and_posts(
    fake: SlackFake, events: SlackEvents
) -> None:
    reply = await events.command("UALICE", "hello there")
    assert reply.status == 200
    call = await fake.wait_for("chat.postMessage", lambda c: c.args["text"] == "echo hello there")
    assert call.token == "xoxb-test"
    assert call.args["channel"] == "CGENERAL"
    [message] = fake.channel_messages("CGENERAL")
    assert message["text"] == "echo hello there"


async def test_forged_signature_is_refused_with_401(fake: SlackFake, events: SlackEvents) -> None:
    fields = events.command_fields("UALICE", "hello")
    forged = sign("not-the-secret", "command=/hanno&text=hello")
    reply = await events.post_form(fields, headers=forged)
    assert reply.status == 401
    stale = sign(SECRET, "x", timestamp=1_000_000_000)
    assert (await events.post_form(fields, headers=stale)).status == 401
    await fake.settle(quiet=0.1)
    assert fake.calls_to("chat.postMessage") == []


async def test_scripted_failures_are_retried_by_slack_sdk_handlers(fake: SlackFake) -> None:
    client = AsyncWebClient(
        token="xoxb-test",
        base_url=fake.api_url,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )
    fake.fail("chat.postMessage", times=1, status=429, retry_after=0)
    fake.fail("chat.postMessage", times=1, status=500)
    posted = await client.chat_postMessage(channel="CVOTE", text="card")
    updated = await client.chat_update(channel="CVOTE", ts=posted["ts"], text="card v2")
    assert updated["ok"]
    assert [c.status for c in fake.calls if c.method == "chat.postMessage"] == [429, 500, 200]
    assert fake.message("CVOTE", posted["ts"])["text"] == "card v2"


async def test_unknown_token_is_invalid_auth(fake: SlackFake) -> None:
    client = AsyncWebClient(token="xoxb-wrong", base_url=fake.api_url)
    with pytest.raises(SlackApiError) as caught:
        await client.auth_test()
    assert caught.value.response["error"] == "invalid_auth"


async def test_response_url_and_views_are_recorded(fake: SlackFake) -> None:
    from slack_sdk.webhook.async_client import AsyncWebhookClient

    url = fake.new_response_url()
    await AsyncWebhookClient(url).send(text="only you", response_type="ephemeral")
    post = await fake.wait_for_response()
    assert post.ephemeral and post.text == "only you"

    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    opened = await client.views_open(trigger_id="t", view={"type": "modal", "callback_id": "m"})
    view_id = opened["view"]["id"]
    await client.views_update(view_id=view_id, view={"type": "modal", "callback_id": "m2"})
    assert fake.views[view_id]["callback_id"] == "m2"
    await client.views_publish(user_id="UALICE", view={"type": "home", "blocks": []})
    assert fake.home_views["UALICE"]["type"] == "home"
    dm = await client.conversations_open(users="UALICE")
    assert dm["channel"]["id"] == "DUALICE"
    fake.add_usergroup("S1", "mods", ["UALICE"])
    assert (await client.usergroups_users_list(usergroup="S1"))["users"] == ["UALICE"]
    assert (await client.users_info(user="UALICE"))["user"]["id"] == "UALICE"
