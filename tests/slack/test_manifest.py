"""The app manifest matches what the code listens for, so "create app from manifest" works."""

from __future__ import annotations

from pathlib import Path

from bot.config import SlackConfig
from bot.slack import blocks as ui

MANIFEST = Path(__file__).resolve().parents[2] / "slack-app-manifest.yml"


def test_manifest_declares_the_command_shortcut_events_and_scopes() -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    assert f"command: {SlackConfig().command}" in text
    assert f"callback_id: {ui.SUBMIT_AS_REACTION}" in text
    assert "- app_home_opened" in text
    assert "socket_mode_enabled: true" in text
    assert "home_tab_enabled: true" in text
    for scope in (
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "usergroups:read",
        "channels:history",  # publishing looks for parts a lost answer had posted
    ):
        assert f"- {scope}\n" in text
    assert "\t" not in text
