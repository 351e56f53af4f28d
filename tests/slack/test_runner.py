"""`run_slack` as the CLI runs it: Socket Mode over a WebSocket, and HTTP mode on a port."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from pydantic import SecretStr

from bot.config import Settings, StorageConfig
from bot.slack import blocks as ui
from tests.fakes.slack_fake import SlackEvents, SlackFake, block_texts
from tests.slack.conftest import (
    ANN,
    MOD,
    SECRET,
    TOKEN,
    VOTING,
    free_port,
    running,
    slack_settings,
)

APP_TOKEN = "xapp-test"


def with_storage(settings: Settings, tmp_path, **changes: object) -> Settings:  # type: ignore[no-untyped-def]
    return settings.model_copy(
        update={"storage": StorageConfig(path=tmp_path / "run.db"), **changes}
    )


async def test_socket_mode_serves_commands_buttons_and_the_payload_word(
    fake: SlackFake, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    fake.valid_tokens = {TOKEN, APP_TOKEN}
    base = slack_settings()
    settings = with_storage(
        base,
        tmp_path,
        slack=base.slack.model_copy(update={"mode": "socket"}),
        slack_app_token=SecretStr(APP_TOKEN),
    )
    events = SlackEvents(None, SECRET, fake)
    async with running(settings, fake):
        await fake.wait_for_socket()
        await events.command(MOD, "article new 'The payload of a festival'")
        assert "Created article #1" in (await fake.wait_for_response()).text
        await events.command(ANN, "comment add 1 'payload: lanterns'")
        card = await fake.wait_for(
            "chat.postMessage", lambda c: c.args["channel"] == VOTING, count=2
        )
        message = fake.message(card.response["channel"], card.response["ts"])
        await events.block_action(MOD, ui.VOTE_UP, "1", message=message, block_id="hanno_vote_1")
        await fake.wait_for("chat.update", lambda c: "Score +1" in block_texts(c.args["blocks"]))
        opened = await fake.send_envelope(
            "events_api",
            {
                "type": "event_callback",
                "team_id": fake.team_id,
                "event": {"type": "app_home_opened", "user": ANN, "tab": "home"},
            },
        )
        assert opened["envelope_id"]
        await fake.wait_for("views.publish", lambda c: c.args["user_id"] == ANN)


async def test_http_mode_listens_on_the_configured_port(fake: SlackFake, tmp_path) -> None:  # type: ignore[no-untyped-def]
    base = slack_settings()
    port = free_port()
    settings = with_storage(base, tmp_path, slack=base.slack.model_copy(update={"port": port}))
    events = SlackEvents(f"http://127.0.0.1:{port}/slack/events", SECRET, fake)
    async with running(settings, fake, host="127.0.0.1"):
        for _ in range(100):
            with contextlib.suppress(OSError):
                reply = await events.command(MOD, "article new Served")
                break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("run_slack never listened")
        assert reply.status == 200
        assert "Created article #1" in (await fake.wait_for_response()).text
