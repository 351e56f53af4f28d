"""Fixtures for the Discord front end: a fake Discord on 127.0.0.1 that discord.py talks to,
and hanno's real bot running against it on a SQLite file in tmp_path."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.clock import Clock
from bot.core.service import HannoService
from bot.discord.client import HannoBot, discord_policy
from bot.wiring import open_service
from tests.fakes.discord_fake import DiscordFake, FakeUser
from tests.fakes.sources_fake import SOURCE_SECRETS


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordFake]:
    """A running fake Discord with discord.py pointed at it; fails the test on fake errors."""
    async with DiscordFake() as server:
        server.patch(monkeypatch)
        yield server
        assert not server.errors, f"the fake Discord saw errors: {server.errors}"


def _inert(body: dict) -> bool:
    """Nothing in a message create or edit may ping (DESIGN: AllowedMentions.none())."""
    return body.get("allowed_mentions") == {"parse": []}


def settings_for(
    fake: DiscordFake,
    db: Path,
    article: dict | None = None,
    publish: dict[str, object] | None = None,
    sources: dict[str, object] | None = None,
    reminders: dict[str, object] | None = None,
    **discord: object,
) -> Settings:
    config: dict[str, object] = {
        "guild_ids": [int(fake.guild_id)],
        "moderator_roles": ["Moderator"],
        "translator_roles": [fake.role_id("Translator")],
        "voting_channel": "voting",
        "review_channel": "review",
        "publish_channel": "publish",
    }
    config.update(discord)
    secrets = SOURCE_SECRETS if sources is not None else {}
    return Settings(
        storage={"path": db},
        discord=config,
        article=article or {},
        publish=publish or {},
        sources=sources or {},
        reminders=reminders or {},
        **secrets,
    )


@dataclass
class Running:
    bot: HannoBot
    service: HannoService
    stop: Callable[[], Awaitable[None]]

    async def settle(self) -> None:
        """Wait until the notifier has drawn every card and posted every announcement."""
        await self.bot.notifier.drain()


@dataclass
class Team:
    mod: FakeUser
    mod2: FakeUser
    translator: FakeUser
    translator2: FakeUser
    alice: FakeUser
    bob: FakeUser


@pytest.fixture
def team(fake: DiscordFake) -> Team:
    return make_team(fake)


def make_team(fake: DiscordFake) -> Team:
    """The members every Discord test works with, added to `fake`'s guild."""
    return Team(
        mod=fake.add_member("aiko", roles=["Moderator"]),
        mod2=fake.add_member("kenji", roles=["Moderator"]),
        translator=fake.add_member("mei", roles=["Translator"]),
        translator2=fake.add_member("taro", roles=["Translator"]),
        alice=fake.add_member("alice"),
        bob=fake.add_member("bob"),
    )


@pytest.fixture
async def start(
    fake: DiscordFake, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Callable[..., Awaitable[Running]]]:
    """Start hanno's bot against the fake (call again after stop() to simulate a restart).

    Fails the test when a message create or edit could ping anyone, or when anything was
    logged as an error (an incident, an unhandled exception
    in discord.py): a test that provokes one on purpose clears `caplog` after checking it.
    """
    async with AsyncExitStack() as stack:

        async def run(
            article: dict | None = None,
            publish: dict[str, object] | None = None,
            sources: dict[str, object] | None = None,
            clock: Clock | None = None,
            reminders: dict[str, object] | None = None,
            **discord: object,
        ) -> Running:
            settings = settings_for(
                fake, tmp_path / "hanno.db", article, publish, sources, reminders, **discord
            )
            inner = AsyncExitStack()
            bot = HannoBot(settings, guild_ready_timeout=0.05, coalesce_delay=0.05)
            service = await inner.enter_async_context(
                open_service(
                    settings, policy=discord_policy(settings), notifier=bot.notifier, clock=clock
                )
            )
            bot.service = service
            task = asyncio.create_task(bot.start(fake.token))
            ready = asyncio.create_task(bot.wait_until_ready())
            done, _ = await asyncio.wait({task, ready}, timeout=10, return_when="FIRST_COMPLETED")
            if ready not in done:
                ready.cancel()
                await bot.close()
                await inner.aclose()
                if task in done:
                    task.result()  # raises the start-up error
                raise AssertionError("the bot did not become ready")
            stopped = False

            async def stop() -> None:
                nonlocal stopped
                if stopped:
                    return
                stopped = True
                await bot.close()
                await asyncio.wait_for(task, 5)
                await inner.aclose()

            stack.push_async_callback(stop)
            return Running(bot, service, stop)

        yield run
    pinging = [(path, body) for path, body in fake.message_bodies() if not _inert(body)]
    assert not pinging, f"messages hanno sent that could ping: {pinging[:3]}"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, "errors were logged: " + "; ".join(
        f"{r.name}: {r.getMessage()} {r.exc_text or ''}" for r in errors
    )
