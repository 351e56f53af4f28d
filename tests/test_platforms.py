"""`hanno run --platform discord,slack`: one process serves both on one store; a front end
that crashes is logged and started again while the other goes on; `hanno health` and Slack's
`/healthz` say what is up."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bot.__main__ import main
from bot.config import Settings
from bot.platforms import run_platforms
from bot.storage.database import SqliteStore
from tests.discord.conftest import make_team, settings_for
from tests.fakes.discord_fake import DiscordFake
from tests.fakes.slack_fake import SlackEvents, SlackFake
from tests.slack.conftest import MOD, SECRET, TOKEN, free_port, slack_settings


def both(discord_fake: DiscordFake, slack_fake: SlackFake, tmp_path: Path, port: int) -> Settings:
    discord = settings_for(discord_fake, tmp_path / "hanno.db")
    slack = slack_settings(port=port, host="127.0.0.1", api_url=slack_fake.api_url)
    return discord.model_copy(
        update={
            "discord_token": SecretStr(discord_fake.token),
            "slack_bot_token": slack.slack_bot_token,
            "slack_signing_secret": slack.slack_signing_secret,
            "slack": slack.slack,
            "platforms": ["discord", "slack"],
            "health": discord.health.model_copy(
                update={"file": tmp_path / "health.json", "interval": 1.0}
            ),
        }
    )


async def healthz(port: int) -> tuple[int, dict]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/healthz") as answer,
    ):
        return answer.status, await answer.json()


async def until(check, timeout: float = 15.0) -> None:  # noqa: ASYNC109
    for _ in range(int(timeout / 0.1)):
        with contextlib.suppress(Exception):
            if await check():
                return
        await asyncio.sleep(0.1)
    raise AssertionError("timed out")


async def test_one_process_serves_discord_and_slack_and_survives_a_front_end_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    port = free_port()
    blocker = socket.socket()  # Slack's port is taken: its front end crashes at start
    blocker.bind(("127.0.0.1", port))
    blocker.listen()
    async with DiscordFake() as discord_fake, SlackFake(tokens={TOKEN}) as slack_fake:
        discord_fake.patch(monkeypatch)
        team = make_team(discord_fake)
        settings = both(discord_fake, slack_fake, tmp_path, port)
        run = asyncio.create_task(
            run_platforms(settings, ["discord", "slack"], restart_delays=(0.2,))
        )
        try:
            await discord_fake.wait_connected()
            # Discord serves while Slack crashes and is restarted
            reply = await (
                await discord_fake.slash(team.mod, "article", "new", title="Served on Discord")
            ).reply()
            assert "#1" in reply["content"]
            await until(_logged(caplog, "the slack front end crashed"))
            assert "Traceback" in caplog.text or "Errno" in caplog.text
            assert (
                await asyncio.to_thread(
                    main, ["health", "--config", str(_toml(tmp_path, settings))]
                )
                == 1
            )

            blocker.close()  # the port is free again: the supervisor's next start succeeds
            await until(_ok(port))
            status, report = await healthz(port)
            assert status == 200 and report["parts"] == {
                "store": True,
                "discord": True,
                "slack": True,
            }
            events = SlackEvents(f"http://127.0.0.1:{port}/slack/events", SECRET, slack_fake)
            assert (await events.command(MOD, 'article new "Served on Slack"')).status == 200
            answer = await slack_fake.wait_for_response(timeout=10)
            assert "#1" in answer.text  # numbered in its own space (the Slack team)
            await until(_reported_ok(settings.health.file))
            assert (
                await asyncio.to_thread(
                    main, ["health", "--config", str(_toml(tmp_path, settings))]
                )
                == 0
            )
        finally:
            run.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await run
            blocker.close()
    # one store for both: each space has its own article #1
    store = await SqliteStore.open(tmp_path / "hanno.db")
    try:
        async with store.transaction() as tx:
            spaces = {a.space for a in await tx.list_articles(str(discord_fake.guild_id))}
            spaces |= {a.space for a in await tx.list_articles(slack_fake.team_id)}
        assert spaces == {str(discord_fake.guild_id), slack_fake.team_id}
    finally:
        await store.close()
    caplog.clear()  # the crash was logged on purpose


def _logged(caplog: pytest.LogCaptureFixture, text: str):
    async def check() -> bool:
        return text in caplog.text

    return check


def _ok(port: int):
    async def check() -> bool:
        return (await healthz(port))[0] == 200

    return check


def _reported_ok(path: Path):
    async def check() -> bool:
        return json.loads(path.read_text())["ok"] is True

    return check


def _toml(folder: Path, settings: Settings) -> Path:
    """A config file for `hanno health` pointing at the same store and health file."""
    path = folder / "health.toml"
    path.write_text(
        f'platforms = ["discord", "slack"]\n[storage]\npath = "{settings.storage.path}"\n'
        f'[health]\nfile = "{settings.health.file}"\ninterval = 1\n',
        encoding="utf-8",
    )
    return path


def test_shards_come_from_config_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from discord.ext import commands

    from bot.config import ConfigError, load_settings
    from bot.discord.client import make_bot

    monkeypatch.setenv("HANNO_DISCORD__SHARD_COUNT", "4")
    monkeypatch.setenv("HANNO_DISCORD__SHARD_IDS", "[2, 3]")
    bot = make_bot(load_settings())
    assert isinstance(bot, commands.AutoShardedBot)
    assert (bot.shard_count, bot.shard_ids) == (4, [2, 3])
    monkeypatch.setenv("HANNO_DISCORD__SHARD_IDS", "[4]")
    with pytest.raises(ConfigError, match="shard_ids must be"):
        load_settings()
    monkeypatch.delenv("HANNO_DISCORD__SHARD_COUNT")
    monkeypatch.delenv("HANNO_DISCORD__SHARD_IDS")
    assert not isinstance(make_bot(load_settings()), commands.AutoShardedBot)
