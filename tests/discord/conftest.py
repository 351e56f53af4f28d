"""Fixtures for the Discord front end: a fake Discord on 127.0.0.1 that discord.py talks to."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.discord_fake import DiscordFake


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordFake]:
    """A running fake Discord with discord.py pointed at it; fails the test on fake errors."""
    async with DiscordFake() as server:
        server.patch(monkeypatch)
        yield server
        assert not server.errors, f"the fake Discord saw errors: {server.errors}"
