"""Issue 5 through Discord: the bot process is killed (SIGKILL) in the middle of a burst.

The bot runs as `hanno`'s real Discord entry point (run_discord) in a child process against
the in-process fake Discord. After the kill and a restart on the same SQLite file: every
click that was answered as counted is in the database, the file passes integrity_check, and
the buttons posted before the crash still work.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.discord.conftest import make_team, settings_for
from tests.discord.test_reliability_publish import _approved_long_article
from tests.fakes.discord_fake import (
    DiscordFake,
    FakeDiscordError,
    FakeInteraction,
    Fault,
    message_text,
)

ROOT = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def bot_process(fake: DiscordFake, db: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """hanno's bot in a child process; SIGKILLed on exit if still running."""
    settings = settings_for(fake, db)
    env = {
        **os.environ,
        "HANNO_FAKE_URL": fake.base_url,
        "HANNO_SETTINGS": json.dumps(settings.model_dump(mode="json", exclude={"discord_token"})),
        "DISCORD_TOKEN": fake.token,
    }
    identified = fake.identified
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.discord.bot_process",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        assert line.strip() == b"READY", line
        await fake.wait_until(lambda: fake.identified > identified, 10)
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGKILL)
            await process.wait()


def _votes(db: Path) -> set[tuple[str, int]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT v.user_id, c.number FROM votes v JOIN comments c ON c.id = v.comment_id "
            "WHERE v.value = 1"
        ).fetchall()
    return {(str(user), int(number)) for user, number in rows}


async def test_sigkill_mid_burst_loses_no_answered_click_and_buttons_survive(
    fake: DiscordFake, tmp_path: Path
) -> None:
    db = tmp_path / "hanno.db"
    mod = fake.add_member("aiko", roles=["Moderator"])
    alice = fake.add_member("alice")
    voters = [fake.add_member(f"voter{i:03d}") for i in range(400)]

    async with bot_process(fake, db) as process:
        await (await fake.slash(mod, "article", "new", title="Crash")).reply()
        for i in range(3):
            await (
                await fake.slash(alice, "comment", "add", article=1, text=f"Comment {i}")
            ).reply()
        await fake.wait_until(
            lambda: (
                sum("Comment #" in message_text(m) for m in fake.channel_messages("voting")) == 3
            ),
            30,
        )
        cards = {
            n: next(
                m["id"]
                for m in fake.channel_messages("voting")
                if f"Comment #{n}" in message_text(m)
            )
            for n in (1, 2, 3)
        }

        sent: list[tuple[FakeInteraction, str, int]] = []

        async def stream() -> None:
            """Batches of 20 clicks, each batch sent at once: many are in flight at the kill."""
            for start in range(0, len(voters), 20):
                for i, voter in enumerate(voters[start : start + 20], start):
                    number = i % 3 + 1
                    try:
                        ix = await fake.click(voter, cards[number], f"hanno:vote:{number}:up")
                    except FakeDiscordError:  # the bot is gone: nobody receives the click
                        return
                    sent.append((ix, voter.id, number))
                await asyncio.sleep(0.01)

        streaming = asyncio.create_task(stream())
        # (a bound for a stuck child only: the kill comes as soon as 60 are answered)
        await fake.wait_until(lambda: sum(ix.callback is not None for ix, _, _ in sent) >= 60, 60)
        process.send_signal(signal.SIGKILL)  # mid-stream: clicks are in flight
        await process.wait()
        await streaming

    answered = {
        (user, number)
        for ix, user, number in sent
        if ix.callback is not None and "score is now" in (ix.callback["data"].get("content") or "")
    }
    assert len(answered) >= 60
    assert len(answered) < len(sent), "the kill came in the middle of the stream"

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    async with bot_process(fake, db):
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = _votes(db)
        missing = answered - stored
        assert not missing, f"{len(missing)} answered clicks were lost"

        # A button from before the crash, on the card from before the crash.
        late = fake.add_member("late")
        reply = await (await fake.click(late, cards[1], "hanno:vote:1:up")).reply()
        expected = sum(1 for user, number in stored if number == 1) + 1
        assert f"score is now +{expected}" in reply["content"], reply["content"]
        await fake.wait_until(
            lambda: f"+{expected} (▲ {expected}" in message_text(fake.messages[cards[1]]), 10
        )
        assert sum("Comment #1" in message_text(m) for m in fake.channel_messages("voting")) == 1
        article_card = next(
            m for m in fake.channel_messages("voting") if "hanno:submit:1" in str(m["components"])
        )
        opener = await fake.click(alice, article_card["id"], "hanno:submit:1")
        added = await fake.answer_modal(opener, {"text": "Written after the restart"})
        assert "Comment #4 added" in (await added.reply())["content"]


class _Settled:
    """Stands in for the in-process fixture's `settle()`: the child's notifier is not ours."""

    async def settle(self) -> None:
        await asyncio.sleep(0.5)


async def test_sigkill_while_a_part_is_in_flight_never_duplicates_it(
    fake: DiscordFake, tmp_path: Path
) -> None:
    db = tmp_path / "hanno.db"
    team = make_team(fake)
    async with bot_process(fake, db) as process:
        await _approved_long_article(fake, team, _Settled())
        # Part 3 lands on Discord, but its answer hangs: the bot dies waiting for it.
        fake.fail_posts("publish", Fault(status=0, delay=4.0, after_create=True), after=2)
        publishing = await fake.slash(team.mod, "publish", article=1)
        await fake.wait_until(lambda: len(fake.channel_messages("publish")) == 3, 10)
        process.send_signal(signal.SIGKILL)
        await process.wait()
    assert publishing.callback is not None  # deferred, never finished
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        recorded = conn.execute("SELECT idx FROM published_parts ORDER BY idx").fetchall()
    assert [idx for (idx,) in recorded] == [0, 1], "part 3 landed but was never recorded"

    fake.fail_posts("publish")
    fake.nonce_window = 0  # long after: Discord no longer remembers the nonce
    async with bot_process(fake, db):
        done = await (await fake.slash(team.mod, "publish", article=1)).reply(timeout=20)
        assert "is published" in done["content"], done["content"]
        posts = [m["content"] for m in fake.channel_messages("publish")]
        assert len(set(posts)) == len(posts), "a part was posted twice"
        with sqlite3.connect(db) as conn:
            ids = [
                r[0] for r in conn.execute("SELECT message_id FROM published_parts ORDER BY idx")
            ]
        assert ids == [m["id"] for m in fake.channel_messages("publish")]
