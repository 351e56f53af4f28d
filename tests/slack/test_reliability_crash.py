"""Issue 5 through Slack: the process is killed (SIGKILL) in the middle of a stream of clicks.

hanno runs as `run_slack` (the CLI's entry point, HTTP mode) in a child process against the
in-process fake Slack. Slack wants its ack within 3 seconds, so hanno acks a click first and
does the work after; what tells a person their command took effect is what they see next:
the command's ephemeral reply, or the card's score. So after the kill and a restart on the
same SQLite file: every command that was answered is in the database, every vote a card
showed is there, the file passes integrity_check, and the buttons posted before the crash
still work: a vote updates the same card message (same ts), no new card is posted.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.config import Settings, StorageConfig
from bot.slack import blocks as ui
from bot.slack.notifier import CARD
from tests.fakes.slack_fake import SlackEvents, SlackFake, block_texts
from tests.slack.conftest import ANN, MOD, SECRET, TOKEN, VOTING, free_port, slack_settings
from tests.slack.test_votes import shown_score

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"slack_bot_token", "slack_signing_secret", "slack_app_token", "discord_token"}


@asynccontextmanager
async def app_process(fake: SlackFake, db: Path) -> AsyncIterator[SlackEvents]:
    """hanno's Slack front end in a child process; SIGKILLed on exit if still running."""
    port = free_port()
    base = slack_settings(port=port)
    settings = Settings(slack=base.slack, storage=StorageConfig(path=db))
    env = {
        **os.environ,
        "HANNO_API_URL": fake.api_url,
        "HANNO_SETTINGS": json.dumps(settings.model_dump(mode="json", exclude=SECRETS)),
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.slack.app_process",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=(tmp := db.with_suffix(".stderr")).open("ab"),
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        assert line.strip() == b"READY", tmp.read_text(errors="replace")[-2000:]
        events = SlackEvents(f"http://127.0.0.1:{port}/slack/events", SECRET, fake)
        events.process = process  # type: ignore[attr-defined]
        yield events
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGKILL)
            await process.wait()


async def _say(events: SlackEvents, user: str, text: str) -> str:
    before = len(events.fake.response_posts)
    assert (await events.command(user, text)).status == 200
    return (await events.fake.wait_for_response(count=before + 1, timeout=10)).text


def _card_ts(db: Path, team: str, number: int) -> tuple[str, str]:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT channel, message_id FROM message_refs WHERE space = ? AND kind = ? AND key = ?",
            (team, CARD, str(number)),
        ).fetchone()
    assert row is not None, f"no card recorded for comment #{number}"
    return str(row[0]), str(row[1])


async def _recorded_cards(
    db: Path, team: str, numbers: tuple[int, ...]
) -> dict[int, tuple[str, str]]:
    """The cards' (channel, ts), once the child has recorded them (just after each post)."""
    for _ in range(600):
        try:
            return {n: _card_ts(db, team, n) for n in numbers}
        except AssertionError:
            await asyncio.sleep(0.05)
    return {n: _card_ts(db, team, n) for n in numbers}  # fails, naming the card


def _votes(db: Path) -> dict[int, set[str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT c.number, v.user_id FROM votes v JOIN comments c ON c.id = v.comment_id "
            "WHERE v.value = 1"
        ).fetchall()
    found: dict[int, set[str]] = {}
    for number, user in rows:
        found.setdefault(int(number), set()).add(str(user))
    return found


def _integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


async def test_sigkill_mid_stream_loses_nothing_shown_and_old_buttons_work(
    fake: SlackFake, tmp_path: Path
) -> None:
    db = tmp_path / "hanno.db"
    team = fake.team_id
    async with app_process(fake, db) as events:
        await _say(events, MOD, "article new Crash")
        for i in range(2):
            await _say(events, ANN, f"comment add 1 'Comment {i}'")
        await fake.wait_for(
            "chat.postMessage", lambda c: "hanno_vote_up" in json.dumps(c.args), count=2
        )
        cards = await _recorded_cards(db, team, (1, 2))
        card1 = fake.message(*cards[1])

        answered: set[str] = set()  # people whose `/hanno vote 2 up` got its reply

        async def clicks() -> None:
            """Up-clicks on card #1 in batches of 25, sent at once: many in flight at the kill."""
            for start in range(0, 1000, 25):
                batch = [f"UC{i:04d}" for i in range(start, start + 25)]
                sent = [
                    events.block_action(u, ui.VOTE_UP, "1", message=card1, block_id="hanno_vote_1")
                    for u in batch
                ]
                results = await asyncio.gather(*sent, return_exceptions=True)
                if any(isinstance(r, Exception) for r in results):
                    return  # the app is gone
                await asyncio.sleep(0.02)

        async def commands() -> None:
            for i in range(400):
                user = f"UK{i:04d}"
                try:
                    reply = await _say(events, user, "vote 2 up")
                except Exception:  # the app is gone mid-request
                    return
                if "Score now" in reply:
                    answered.add(user)

        streams = [asyncio.create_task(clicks()), asyncio.create_task(commands())]
        for _ in range(1200):  # a bound for a stuck child only: the kill comes once both hold
            shown = fake.calls_to("chat.update", lambda c: c.args.get("ts") == cards[1][1])
            if len(answered) >= 15 and shown:
                break
            await asyncio.sleep(0.05)
        process = events.process  # type: ignore[attr-defined]
        process.send_signal(signal.SIGKILL)
        await process.wait()
        for stream in streams:
            stream.cancel()
        await asyncio.gather(*streams, return_exceptions=True)

    updates = fake.calls_to("chat.update", lambda c: c.args.get("ts") == cards[1][1])
    assert updates, "the card showed some votes before the kill"
    last_shown = shown_score({"blocks": updates[-1].args["blocks"]})[1]
    assert len(answered) >= 15

    assert _integrity(db) == "ok"
    stored = _votes(db)
    assert len(stored.get(1, set())) >= last_shown, "a vote the card showed was lost"
    assert answered <= stored.get(2, set()), "an answered command was lost"

    posts_before = len(fake.calls_to("chat.postMessage"))
    async with app_process(fake, db) as events:
        assert _integrity(db) == "ok"
        expected = len(_votes(db).get(1, set())) + 1
        reply = await events.block_action(
            "ULATE", ui.VOTE_UP, "1", message=fake.message(*cards[1]), block_id="hanno_vote_1"
        )
        assert reply.status == 200
        update = await fake.wait_for(
            "chat.update",
            lambda c: (
                c.args.get("ts") == cards[1][1]
                and f"Score +{expected}*" in block_texts(c.args.get("blocks") or [])
            ),
            timeout=10,
        )
        assert update.args["channel"] == cards[1][0]
        assert shown_score(fake.message(*cards[1]))[1] == expected
        # A button from before the crash on the announcement still opens the form.
        announcement = next(
            m for m in fake.channel_messages(VOTING) if "hanno_article_1" in json.dumps(m)
        )
        await events.block_action(
            ANN, ui.NEW_COMMENT, "1", message=announcement, block_id="hanno_article_1"
        )
        await fake.wait_for("views.open", timeout=10)
        assert await _say(events, ANN, "comment add 1 'After the restart'") == (
            "Added comment #3 to article #1."
        )
    # No card was posted again for the comments from before the crash.
    reposted = [
        c
        for c in fake.calls_to("chat.postMessage")[posts_before:]
        if re.search(r"\*#[12]\*", block_texts(c.args.get("blocks") or []))
    ]
    assert not reposted
