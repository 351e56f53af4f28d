"""`hanno run --platform slack` on a store shared with other spaces: its scheduler fires what
fell due in its own workspace, and leaves the console's (or another workspace's) schedules to
the process that serves them, which alone can announce them."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import StorageConfig
from bot.core.clock import ManualClock
from bot.core.models import Actor, ArticleState
from bot.core.policy import RolePolicy
from bot.core.service import HannoService
from bot.core.teamwork import ScheduleKind
from bot.platforms import run_platforms
from bot.render import Renderer
from bot.storage.database import SqliteStore
from tests.fakes.slack_fake import SlackFake
from tests.slack.conftest import ANN, BOB, MOD, VOTING, free_port, slack_settings


async def _due_close(service: HannoService, space: str, moderator: str, title: str) -> None:
    """Article #1 of `space`, one voted comment, its voting set to close an hour ago."""
    mod = Actor(space=space, user_id=moderator, name=moderator)
    await service.create_article(mod, title)
    await service.add_comment(Actor(space=space, user_id=ANN, name="ann"), 1, "Lovely lights")
    await service.vote(Actor(space=space, user_id=BOB, name="bob"), 1, "up")
    await service.schedule_close(mod, 1, in_="1h")


@pytest.mark.parametrize("other", ["console", "T0OTHERTEAM"])
async def test_slack_fires_its_workspaces_schedules_only(
    fake: SlackFake, tmp_path: Path, other: str
) -> None:
    db = tmp_path / "shared.db"
    # Set two hours ago (on the clock of whoever set them), due an hour ago, while no bot ran.
    store = await SqliteStore.open(db)
    try:
        then = ManualClock(datetime.now(UTC) - timedelta(hours=2))
        service = HannoService(
            store,
            policy=RolePolicy.of(["aiko", MOD], []),
            renderer=Renderer(),
            clock=then,
        )
        await _due_close(service, other, "aiko", "Lanterns in Otaru")
        await _due_close(service, fake.team_id, MOD, "Snow festival")
    finally:
        await store.close()

    base = slack_settings(port=free_port(), host="127.0.0.1", api_url=fake.api_url)
    settings = base.model_copy(update={"storage": StorageConfig(path=db), "platforms": ["slack"]})
    run = asyncio.create_task(run_platforms(settings, ["slack"], restart_delays=(0.2,)))
    try:
        closed = await fake.wait_for(
            "chat.postMessage",
            lambda c: c.args["channel"] == VOTING and "is closed" in c.args["text"],
            timeout=15,
        )
        assert "Voting on article #1 is closed. Selected: #1." in closed.args["text"]
        # One pass of the scheduler takes every due schedule, earliest first: the other
        # space's (set first) was passed over, or fired, before this one.
    finally:
        run.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await run

    closings = [
        c
        for c in fake.calls
        if c.method == "chat.postMessage" and "is closed" in str(c.args.get("text", ""))
    ]
    assert len(closings) == 1, "the other space's close is not announced in this workspace"
    store = await SqliteStore.open(db)
    try:
        async with store.transaction() as tx:
            ours = await tx.get_article(fake.team_id, 1)
            theirs = await tx.get_article(other, 1)
            pending = await tx.pending_schedules(other)
            fired = await tx.fired_schedules(other)
            our_pending = await tx.pending_schedules(fake.team_id)
    finally:
        await store.close()
    assert ours.state is ArticleState.TRANSLATING
    assert not [s for s in our_pending if s.kind is ScheduleKind.CLOSE]
    assert theirs.state is ArticleState.COLLECTING
    assert [s.key for s in pending if s.kind is ScheduleKind.CLOSE] == ["article:1"]
    assert not [s for s in fired if s.kind is ScheduleKind.CLOSE]
