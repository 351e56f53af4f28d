"""Setting hanno up on a server: the invite URL, syncing commands by hand, command names."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import discord
import pytest
from pydantic import SecretStr

from bot.config import ConfigError
from bot.discord import invite_url, run_discord, sync_commands
from bot.discord.client import HannoBot, application_id_from_token
from tests.discord.conftest import settings_for
from tests.fakes.discord_fake import DiscordFake


def _token_for(app_id: int) -> str:
    head = base64.b64encode(str(app_id).encode()).decode().rstrip("=")
    return f"{head}.GhIjKl.signature-part"


def test_invite_url_asks_for_exactly_what_the_bot_needs(fake: DiscordFake, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path / "db").model_copy(
        update={"discord_token": SecretStr(_token_for(123456789012345678))}
    )
    url = urlparse(invite_url(settings))
    query = parse_qs(url.query)
    assert url.netloc == "discord.com" and url.path == "/oauth2/authorize"
    assert query["client_id"] == ["123456789012345678"]
    assert set(query["scope"][0].split(" ")) == {"bot", "applications.commands"}
    permissions = discord.Permissions(int(query["permissions"][0]))
    assert permissions.send_messages and permissions.embed_links and permissions.view_channel
    assert not permissions.administrator and not permissions.mention_everyone
    assert not permissions.manage_messages


def test_application_id_is_read_from_the_token() -> None:
    assert application_id_from_token(_token_for(987654321098765432)) == 987654321098765432


async def test_sync_command_registers_commands_without_the_gateway(
    fake: DiscordFake, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_for(fake, tmp_path / "db").model_copy(
        update={"discord_token": SecretStr(fake.token)}
    )
    await sync_commands(settings)
    assert capsys.readouterr().out == f"Synced guild {fake.guild_id}: 10 commands.\n"
    assert fake.identified == 0
    names = sorted(c["name"] for c in fake.commands[fake.guild_id])
    assert names == [
        "Submit as reaction",
        "article",
        "comment",
        "draft",
        "glossary",
        "publish",
        "stats",
        "team",
        "translate",
        "vote",
    ]


async def test_without_guilds_commands_are_synced_globally(
    fake: DiscordFake, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_for(fake, tmp_path / "db", guild_ids=[]).model_copy(
        update={"discord_token": SecretStr(fake.token)}
    )
    await sync_commands(settings)
    assert capsys.readouterr().out == "Synced global: 10 commands.\n"
    assert len(fake.commands["global"]) == 10 and fake.guild_id not in fake.commands


async def test_no_two_commands_share_a_name(fake: DiscordFake, tmp_path: Path) -> None:
    bot = HannoBot(settings_for(fake, tmp_path / "db"), sync_on_start=False)
    async with bot:
        await bot.login(fake.token)
        seen: set[tuple[str, ...]] = set()
        for command in bot.tree.walk_commands():
            key = tuple(command.qualified_name.split())
            assert key not in seen, key
            seen.add(key)
        assert len(seen) > 20


async def test_run_discord_serves_commands_until_stopped(fake: DiscordFake, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path / "db").model_copy(
        update={"discord_token": SecretStr(fake.token)}
    )
    mod = fake.add_member("aiko", roles=["Moderator"])
    task = asyncio.create_task(run_discord(settings))
    try:
        await fake.wait_until(lambda: fake.identified == 1 and bool(fake.commands), timeout=10)
        reply = await (await fake.slash(mod, "article", "new", title="Live")).reply()
        assert "Article #1 created" in reply["content"]
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert (tmp_path / "db").exists()


async def test_a_bad_token_is_a_config_error(fake: DiscordFake, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path / "db")
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        invite_url(settings)
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        await sync_commands(settings)
    wrong = settings.model_copy(update={"discord_token": SecretStr("not-the-token")})
    with pytest.raises(ConfigError, match="Discord refused DISCORD_TOKEN"):
        await sync_commands(wrong)


def test_cli_prints_the_invite_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", _token_for(112233445566778899))
    assert main(["discord", "invite"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("https://discord.com/oauth2/authorize?client_id=112233445566778899")
    monkeypatch.delenv("DISCORD_TOKEN")
    assert main(["discord", "invite"]) == 2
    assert "DISCORD_TOKEN is not set" in capsys.readouterr().err


async def test_role_names_are_resolved_at_start_and_typos_logged(
    fake: DiscordFake, start, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.discord")
    await start(moderator_roles=["moderator", "Moderatr"])
    moderator_id = fake.role_id("Moderator")
    messages = [r.getMessage() for r in caplog.records if r.name == "bot.discord"]
    assert f"moderator role 'moderator' is id {moderator_id} in Test Guild" in messages
    assert "moderator role 'Moderatr' does not exist in Test Guild" in messages
