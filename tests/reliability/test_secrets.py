"""Tokens never leak: not into logs, replies, error messages, exports or the settings' repr.

Each secret is set in the environment to a recognisable fake value; a console session runs
with every log record captured at DEBUG, the CLI runs as a process, and everything written
anywhere is searched for the values.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.console.runner import console_session
from bot.render import Renderer

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    "DISCORD_TOKEN": "MTEx.FAKE-DISCORD-TOKEN-4f9a1c.zzTopSecret",
    "SLACK_BOT_TOKEN": "xoxb-FAKE-SLACK-BOT-TOKEN-77c2",
    "SLACK_APP_TOKEN": "xapp-FAKE-SLACK-APP-TOKEN-91de",
    "SLACK_SIGNING_SECRET": "FAKE-SIGNING-SECRET-0b8e",
}
SCRIPT = [
    'aiko: /article new "Secret keeping"',
    'sam: /comment add 1 "Tokens? $DISCORD_TOKEN {settings.discord_token}" --url https://example.com',
    "lena: /vote 1 up",
    "aiko: /article close 1",
    "mei: /translate claim 1",
    'mei: /translate submit 1 "秘密"',
    "aiko: /draft submit 1",
    "aiko: /draft approve 1",
    "aiko: /publish 1",
    "aiko: /article history 1",
    "nobody: /article list",
    "aiko: /help",
]


def _leaks(text: str) -> list[str]:
    return [name for name, value in SECRETS.items() if value in text or value[8:] in text]


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "config.toml"
    path.write_text(
        f'[storage]\npath = "{(tmp_path / "hanno.db").as_posix()}"\n'
        '[console]\npeople = [{ name = "aiko", role = "moderator" }, '
        '{ name = "mei", role = "translator" }, { name = "sam" }, { name = "lena" }]\n',
        encoding="utf-8",
    )
    return path


async def test_a_console_session_never_shows_or_logs_a_token(
    config: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = load_settings(config)
    assert settings.discord_token is not None  # the environment was read
    assert settings.discord_token.get_secret_value() == SECRETS["DISCORD_TOKEN"]
    out = io.StringIO()
    async with console_session(settings, out) as session:
        for line in SCRIPT:
            await session.handle(line)
        document = await session.service.document(session.actor("aiko"), 1)
    renderer = Renderer()
    exports = renderer.markdown(document) + renderer.html(document) + renderer.plain(document)
    logged = (
        "\n".join(f"{r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records)
        + caplog.text
    )
    shown = {
        "console output": out.getvalue(),
        "logs": logged,
        "exports": exports,
        "repr(settings)": repr(settings),
        "str(settings)": str(settings),
        "settings.model_dump_json()": settings.model_dump_json(),
        "settings.model_dump()": repr(settings.model_dump()),
    }
    assert "Published article #1" in out.getvalue() or "[#publish]" in out.getvalue()
    for where, text in shown.items():
        assert not _leaks(text), f"{_leaks(text)} leaked into {where}"


def test_the_cli_never_prints_a_token(config: Path, tmp_path: Path) -> None:
    import os

    env = {**os.environ, **SECRETS}
    runs = [
        ["console", "--config", str(config)],
        ["export", "1", "--config", str(config), "--format", "html"],
        ["db", "backup", str(tmp_path / "copy.db"), "--config", str(config)],
        ["export", "99", "--config", str(config)],  # an error path
    ]
    outputs = []
    for args in runs:
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input="\n".join(SCRIPT) + "\n",
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=60,
            check=False,
        )
        outputs.append(done.stdout + done.stderr)
    assert "[#publish]" in outputs[0]
    for args, text in zip(runs, outputs, strict=True):
        assert not _leaks(text), f"{_leaks(text)} leaked by hanno {' '.join(args)}"
        assert "Traceback" not in text, text


def test_a_config_file_holding_a_token_is_refused_without_echoing_it(tmp_path: Path) -> None:
    path = tmp_path / "leaky.toml"
    path.write_text(
        f'discord_token = "{SECRETS["DISCORD_TOKEN"]}"\n'
        f'[slack]\nslack_bot_token = "{SECRETS["SLACK_BOT_TOKEN"]}"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert "discord_token" in str(refused.value)
    assert not _leaks(str(refused.value))
    # a token under a key hanno does not know: still refused by name, never by value
    path.write_text(f'token = "{SECRETS["DISCORD_TOKEN"]}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as unknown:
        load_settings(path)
    assert not _leaks(str(unknown.value))
