"""Issue 5 through Discord: the bot token never shows up in logs, answers, posts or exports.

A whole session runs through `run_discord` (the CLI's entry point) with a recognisable
DISCORD_TOKEN, logging everything at DEBUG, including an unexpected error (whose traceback
is logged) and a publish that fails midway; then every log record, every request body the
bot sent to Discord and every export format are searched for the token and its pieces.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import Settings
from bot.core.service import HannoService
from bot.discord import run_discord
from tests.discord.conftest import settings_for
from tests.fakes.discord_fake import DiscordFake

# Shaped like a real bot token: base64 of an id, a timestamp part, an HMAC part.
CANARY = "MTEyMjMzNDQ1NTY2Nzc4ODk5.Gcanry.hanno-SECRET-canary-7f3a9c0d1e2b"
PIECES = (CANARY, CANARY.split(".")[2], "SECRET-canary")


def _leaks(text: str) -> list[str]:
    return [piece for piece in PIECES if piece in text]


async def test_the_token_appears_nowhere_after_a_whole_session(
    fake: DiscordFake,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.token = CANARY
    monkeypatch.setenv("DISCORD_TOKEN", CANARY)
    db = tmp_path / "hanno.db"
    base = settings_for(fake, db)
    settings = Settings(**base.model_dump(exclude={"discord_token"}))
    assert settings.discord_token is not None, "the token came from the environment"
    assert _leaks(repr(settings)) == [] and _leaks(str(settings.model_dump())) == []

    mod = fake.add_member("aiko", roles=["Moderator"])
    mod2 = fake.add_member("kenji", roles=["Moderator"])
    alice = fake.add_member("alice")
    task = asyncio.create_task(run_discord(settings))
    try:
        await fake.wait_until(lambda: fake.identified == 1 and bool(fake.commands), 10)
        await asyncio.sleep(0.2)
        await (await fake.slash(mod, "article", "new", title="Secrets")).reply()
        await (
            await fake.slash(mod, "article", "set", article=1, field="lead", text="前置き")
        ).reply()
        for i in range(3):
            await (
                await fake.slash(alice, "comment", "add", article=1, text=f"Comment {i}" * 80)
            ).reply()
            await (await fake.slash(mod, "vote", comment=i + 1, choice="up")).reply()
        await (await fake.slash(mod, "article", "close", article=1)).reply()
        for n in (1, 2, 3):
            await (await fake.slash(mod, "translate", "claim", comment=n)).reply()
            await (
                await fake.slash(mod, "translate", "submit", comment=n, text="訳文。" * 300)
            ).reply()
        await (await fake.slash(mod, "draft", "submit", article=1)).reply()
        await (await fake.slash(mod2, "draft", "approve", article=1)).reply()

        # An unexpected error: its traceback goes to the log with an incident ref.
        original = HannoService.list_articles

        async def broken(self: HannoService, actor: object) -> list:
            raise RuntimeError(f"storage failed (settings: {settings!r})")

        monkeypatch.setattr(HannoService, "list_articles", broken)
        oops = await (await fake.slash(alice, "article", "list")).reply()
        assert "Something went wrong" in oops["content"]
        monkeypatch.setattr(HannoService, "list_articles", original)

        # A publish that fails midway, then completes.
        fake.allow_posts("publish", 1)
        failed = await (await fake.slash(mod, "publish", article=1)).reply()
        assert "stopped after 1 of" in failed["content"]
        fake.allow_posts("publish", None)
        done = await (await fake.slash(mod, "publish", article=1)).reply()
        assert "is published" in done["content"]
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    assert any(r.name.startswith("discord.http") for r in caplog.records), "DEBUG was captured"
    assert any(r.levelno >= logging.ERROR for r in caplog.records), "the incident was logged"
    for record in caplog.records:
        text = f"{record.getMessage()} {record.exc_text or ''} {record.args!r}"
        assert not _leaks(text), (record.name, text[:300])
    assert not _leaks(caplog.text)

    posted = json.dumps([c.json for c in fake.calls], ensure_ascii=False)
    assert not _leaks(posted)
    assert not _leaks(json.dumps(list(fake.messages.values()), ensure_ascii=False))
    # Only the Authorization header carried it, and only to the bot routes.
    assert fake.calls

    capsys.readouterr()
    for fmt in ("md", "html", "txt"):
        exported = tmp_path / f"article.{fmt}"
        code = await asyncio.to_thread(
            main,
            [
                "export",
                "1",
                "--format",
                fmt,
                "--space",
                fake.guild_id,
                "-o",
                str(exported),
                "--config",
                str(_config(tmp_path, db)),
            ],
        )
        assert code == 0
        assert "海外の反応" in exported.read_text(encoding="utf-8")
        assert not _leaks(exported.read_text(encoding="utf-8"))
    out = capsys.readouterr()
    assert not _leaks(out.out + out.err)
    caplog.clear()  # the incident above was provoked on purpose


def _config(tmp_path: Path, db: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\npath = "{db}"\n', encoding="utf-8")
    return path
