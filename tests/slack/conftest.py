"""Fixtures for the Slack front end's tests: a fake Slack on loopback, no proxies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.slack_fake import SlackFake, clear_proxy_env


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk honours HTTPS_PROXY and ignores NO_PROXY, so loopback calls need none set."""
    clear_proxy_env(monkeypatch)


@pytest.fixture
async def fake() -> AsyncIterator[SlackFake]:
    async with SlackFake(tokens={"xoxb-test"}) as server:
        yield server
