"""Issue 5 through Slack: the tokens and the signing secret never show up in logs or posts.

A whole session runs through `run_slack` (the CLI's entry point) with recognisable
SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_APP_TOKEN values from the environment, every
logger at DEBUG (slack_sdk's and slack_bolt's included): HTTP mode from `article new` to a
publish that fails midway and completes, an unexpected error whose traceback is logged, a
request with a bad signature; then a Socket Mode session with the app token. Every log
record, everything the bot sent to Slack and everything it answered is searched for the
secrets and their distinctive parts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from pathlib import Path

import pytest

from bot.config import Settings, StorageConfig
from bot.core.service import HannoService
from bot.slack import blocks as ui
from tests.fakes.slack_fake import SlackEvents, SlackFake
from tests.slack.conftest import (
    ANN,
    MOD,
    MOD2,
    NAMES,
    TR,
    free_port,
    running,
    slack_settings,
)

BOT_TOKEN = "xoxb-1234567890-CANARYbotTOKEN-7f3a9c0d1e2b"
SIGNING_SECRET = "CANARYsigningSECRET0b8e4d2a6c1f"
APP_TOKEN = "xapp-1-A0CANARY-CANARYappTOKEN-91de5b"
SECRETS = {
    "SLACK_BOT_TOKEN": BOT_TOKEN,
    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    "SLACK_APP_TOKEN": APP_TOKEN,
}
PIECES = (*SECRETS.values(), "CANARYbotTOKEN", "CANARYsigningSECRET", "CANARYappTOKEN")


def _leaks(text: str) -> list[str]:
    return [piece for piece in PIECES if piece in text]


async def _say(events: SlackEvents, user: str, text: str) -> str:
    before = len(events.fake.response_posts)
    for _ in range(100):  # the server may still be starting
        with contextlib.suppress(OSError):
            reply = await events.command(user, text)
            break
        await asyncio.sleep(0.05)
    assert reply.status == 200
    return (await events.fake.wait_for_response(count=before + 1, timeout=10)).text


async def _card(fake: SlackFake, number: int) -> dict:
    call = await fake.wait_for(
        "chat.postMessage", lambda c: f"*#{number}*" in json.dumps(c.args), timeout=10
    )
    return fake.message(call.response["channel"], call.response["ts"])


async def test_no_secret_appears_in_logs_or_posts_after_a_whole_session(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    for logger in ("slack_sdk", "slack_bolt", "aiohttp", "bot"):
        logging.getLogger(logger).setLevel(logging.DEBUG)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    port = free_port()
    base = slack_settings(port=port)
    settings = Settings(slack=base.slack, storage=StorageConfig(path=tmp_path / "hanno.db"))
    assert settings.slack_bot_token is not None, "the secrets came from the environment"
    assert not _leaks(repr(settings)) and not _leaks(str(settings.model_dump()))

    async with SlackFake(tokens={BOT_TOKEN, APP_TOKEN}) as fake:
        for user_id, name in NAMES.items():
            fake.add_user(user_id, name)
        fake.add_usergroup("S0EDITORS", "editors", [MOD2])
        events = SlackEvents(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, fake)
        async with running(settings, fake, host="127.0.0.1"):
            await _say(events, MOD, "article new Secrets")
            await _say(events, MOD, "article set 1 lead '前置き'")
            for i in range(4):
                await _say(events, ANN, f"comment add 1 'Comment {i}'")
                card = await _card(fake, i + 1)
                await events.block_action(
                    MOD, ui.VOTE_UP, str(i + 1), message=card, block_id=f"hanno_vote_{i + 1}"
                )
            await asyncio.sleep(0.5)  # the votes are in
            await _say(events, MOD, "article close 1")
            for n in range(1, 5):
                await _say(events, TR, f"translate claim {n}")
                await _say(events, TR, f"translate submit {n} '{'訳文です。' * 700}'")
            await _say(events, MOD, "draft submit 1")
            assert "approved" in await _say(events, MOD2, "draft approve 1")

            # An unexpected error: its traceback goes to the log with an incident ref.
            original = HannoService.list_articles

            async def broken(self: HannoService, actor: object) -> list:
                raise RuntimeError(f"storage failed (settings: {settings!r})")

            monkeypatch.setattr(HannoService, "list_articles", broken)
            assert "Something went wrong" in await _say(events, ANN, "article list")
            monkeypatch.setattr(HannoService, "list_articles", original)

            # A request with a bad signature is refused (and logged by Bolt).
            fields = events.command_fields(ANN, "article list")
            forged = await events.post_form(
                fields, headers={"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=00"}
            )
            assert forged.status == 401

            # A publish that fails midway, then completes.
            await fake.settle(quiet=0.3)  # the approval's announcements are posted
            fake.fail("chat.postMessage", status=200, error="not_in_channel", after=1)
            assert "stopped after 1 of" in await _say(events, MOD, "publish 1")
            assert "is published" in await _say(events, MOD, "publish 1")

        # Socket Mode with the app token.
        socket_settings = settings.model_copy(
            update={"slack": settings.slack.model_copy(update={"mode": "socket"})}
        )
        socket_events = SlackEvents(None, SIGNING_SECRET, fake)
        async with running(socket_settings, fake):
            await fake.wait_for_socket(timeout=10)
            before = len(fake.response_posts)
            await socket_events.command(ANN, "article status 1")
            assert "published" in (await fake.wait_for_response(count=before + 1)).text

        assert any(c.token == APP_TOKEN for c in fake.calls), "the app token was used"
        assert any(c.token == BOT_TOKEN for c in fake.calls), "the bot token was used"

        sent = json.dumps([c.args for c in fake.calls], ensure_ascii=False)
        assert not _leaks(sent)
        assert not _leaks(json.dumps(list(fake.messages.values()), ensure_ascii=False))
        assert not _leaks(json.dumps([p.body for p in fake.response_posts], ensure_ascii=False))
        assert not _leaks(json.dumps(fake.views, ensure_ascii=False))

    assert any(r.name.startswith("slack_sdk") for r in caplog.records), "DEBUG was captured"
    assert any(r.name.startswith("slack_bolt") for r in caplog.records)
    assert any(r.levelno >= logging.ERROR for r in caplog.records), "the incident was logged"
    for record in caplog.records:
        text = f"{record.getMessage()} {record.exc_text or ''} {record.args!r}"
        assert not _leaks(text), (record.name, text[:300])
    assert not _leaks(caplog.text)
    caplog.clear()  # the incident above was provoked on purpose
