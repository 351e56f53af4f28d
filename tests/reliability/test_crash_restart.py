"""SIGKILL in the middle of a stream of commands: what was acknowledged is still there.

The console front end runs as a real process (`python -m bot console`) fed through a pipe.
A command counts as acknowledged once its "→ " reply was printed; the process is killed
while later commands are still queued, restarted on the same database, and every
acknowledged effect must be found, in a file that passes `PRAGMA integrity_check`.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACKNOWLEDGED_BEFORE_KILL = 120
COMMENT_ADDED = re.compile(r"^→ Added comment #(\d+) to article #1\.")
VOTED = re.compile(r"^→ Your vote on comment #(\d+): (up|down)\.")


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    db = (tmp_path / "hanno.db").as_posix()
    config.write_text(f'[storage]\npath = "{db}"\n', encoding="utf-8")
    return config


def _console(config: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--config", str(config)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )


def _script(comments: int) -> list[str]:
    """An article, then comments by sam, each voted on by lena (up) and yuki (down)."""
    lines = ['aiko: /article new "Night ferry"']
    for n in range(1, comments + 1):
        lines.append(f'sam: /comment add 1 "Comment {n}: the night ferry is lovely."')
        lines.append(f"lena: /vote {n} up")
        lines.append(f"yuki: /vote {n} down")
    return lines


def test_acknowledged_commands_survive_sigkill_and_the_file_stays_sound(tmp_path: Path) -> None:
    config = _config(tmp_path)
    process = _console(config)
    assert process.stdin is not None and process.stdout is not None
    # Everything is queued up front: when the kill comes, the bot is mid-stream.
    process.stdin.write("\n".join(_script(200)) + "\n")
    process.stdin.flush()

    comments: set[int] = set()
    votes: set[tuple[int, str]] = set()
    replies = 0
    deadline = time.monotonic() + 90  # a bound for a stuck child; the kill comes at 120 replies
    try:
        while replies < ACKNOWLEDGED_BEFORE_KILL and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if not line.startswith("→ "):
                continue
            replies += 1
            if found := COMMENT_ADDED.match(line):
                comments.add(int(found.group(1)))
            elif found := VOTED.match(line):
                votes.add((int(found.group(1)), found.group(2)))
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert replies == ACKNOWLEDGED_BEFORE_KILL, process.stderr.read() if process.stderr else ""
    assert process.returncode == -signal.SIGKILL
    assert comments and votes

    # Restart on the same database: it opens, recovers the WAL and keeps working.
    restarted = _console(config)
    out, err = restarted.communicate("aiko: /article status 1\n", timeout=20)
    assert restarted.returncode == 0, err
    assert "→ #1 Night ferry" in out
    assert "Traceback" not in out + err

    with sqlite3.connect(tmp_path / "hanno.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = {n for (n,) in db.execute("SELECT number FROM comments")}
        assert comments <= stored, f"acknowledged comments lost: {sorted(comments - stored)}"
        rows = db.execute(
            "SELECT c.number, v.user_id, v.value FROM votes v JOIN comments c ON c.id = v.comment_id"
        ).fetchall()
        stored_votes = {(n, "up" if value == 1 else "down") for n, _, value in rows}
        assert votes <= stored_votes, f"acknowledged votes lost: {sorted(votes - stored_votes)}"
        # the tallies agree with the votes that are there, whatever the kill interrupted
        mismatched = db.execute(
            "SELECT c.number FROM comments c WHERE c.up != "
            "(SELECT COUNT(*) FROM votes v WHERE v.comment_id = c.id AND v.value = 1) "
            "OR c.down != (SELECT COUNT(*) FROM votes v WHERE v.comment_id = c.id AND v.value = -1)"
        ).fetchall()
        assert mismatched == []


async def _prepare_burst(db: Path) -> None:
    """Article #1 with the child's comments, all by someone who will not vote."""
    from bot.core.models import Actor
    from bot.core.policy import RolePolicy
    from bot.core.service import HannoService
    from bot.render import Renderer
    from bot.storage.database import SqliteStore
    from tests.reliability import vote_burst_child as child

    store = await SqliteStore.open(db)
    try:
        editor = Actor(space=child.SPACE, user_id="author", name="author", tags=frozenset({"ed"}))
        service = HannoService(
            store, policy=RolePolicy.of(moderators=["ed"], translators=[]), renderer=Renderer()
        )
        await service.create_article(editor, "Burst")
        for n in range(child.COMMENTS):
            await service.add_comment(editor, 1, f"Comment {n + 1}")
    finally:
        await store.close()


def test_votes_acknowledged_in_a_group_commit_burst_survive_sigkill(tmp_path: Path) -> None:
    """100 votes in flight through group commit; killed after 2,500 acknowledgements."""
    from tests.reliability import vote_burst_child as child

    db = tmp_path / "burst.db"
    asyncio.run(_prepare_burst(db))

    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.vote_burst_child", str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    acknowledged: list[tuple[str, int, int]] = []
    deadline = time.monotonic() + 90  # a bound for a stuck child; the kill comes at 2,500
    try:
        while len(acknowledged) < 2_500 and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            person, comment, choice = line.split()
            acknowledged.append((f"p{person}", int(comment), 1 if choice == "up" else -1))
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert len(acknowledged) == 2_500, process.stderr.read() if process.stderr else ""
    total = child.COMMENTS * child.PEOPLE
    assert len(acknowledged) < total, "the burst was still running when it was killed"

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {
            (user, number, value)
            for user, number, value in conn.execute(
                "SELECT v.user_id, c.number, v.value FROM votes v "
                "JOIN comments c ON c.id = v.comment_id"
            )
        }
        missing = set(acknowledged) - stored
        assert not missing, f"{len(missing)} acknowledged votes lost, e.g. {sorted(missing)[:3]}"
        mismatched = conn.execute(
            "SELECT c.number FROM comments c WHERE c.up != "
            "(SELECT COUNT(*) FROM votes v WHERE v.comment_id = c.id AND v.value = 1) "
            "OR c.down != (SELECT COUNT(*) FROM votes v WHERE v.comment_id = c.id AND v.value = -1)"
        ).fetchall()
        assert mismatched == []
