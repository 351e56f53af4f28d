"""The team on the console: the issue's Saturday (a deadline that passes while the bot is
down), roles from chat, hidden voting and stats, on a controllable clock."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.console.runner import console_session
from bot.core.clock import ManualClock
from tests.conftest import Database

FRIDAY_6PM_TOKYO = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)

CONFIG = """
[storage]
path = "{db}"

[article]
timezone = "Asia/Tokyo"
interface_language = "en"

[reminders]
digest_at = 20:00:00

[console]
people = [
  {{ name = "aiko", role = "moderator" }},
  {{ name = "mei", role = "translator" }},
  {{ name = "sam", role = "member" }},
  {{ name = "lena", role = "member" }},
  {{ name = "yuki", role = "member" }},
]
"""


@pytest.fixture
def settings(tmp_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The console on SQLite, or on PostgreSQL (its URL from the environment, as in production)."""
    path = tmp_path / "config.toml"
    path.write_text(CONFIG.format(db=(tmp_path / "hanno.db").as_posix()), encoding="utf-8")
    if database.backend == "postgres":
        monkeypatch.setenv("HANNO_DATABASE_URL", str(database.where))
    return load_settings(path)


async def session(
    settings: Settings, clock: ManualClock, lines: list[str], *, expect: str = ""
) -> str:
    """One run of the console: start (the scheduler looks at once), play `lines`, wait
    until `expect` was printed, stop."""
    out = io.StringIO()
    async with console_session(settings, out, clock=clock) as console:
        await console.run_lines(lines)
        for _ in range(300):
            if expect in out.getvalue():
                break
            await asyncio.sleep(0.01)
        # What a schedule set by the lines sets in motion (the next digest planned) is done
        # before the process stops, however quick the store.
        await console.service.scheduler.run_due()
    return out.getvalue()


async def test_saturday_voting_closed_translators_reminded_digest_posted(settings) -> None:
    clock = ManualClock(FRIDAY_6PM_TOKYO)
    friday = await session(
        settings,
        clock,
        [
            "aiko: /article new 'Lanterns in Otaru'",
            "sam: /comment add 1 'So pretty'",
            "lena: /vote 1 up",
            "aiko: /article close 1",
            "mei: /translate claim 1",
            "aiko: /article new 'Robot ramen'",
            "sam: /comment add 2 'I want one'",
            "sam: /comment add 2 'Robots cannot cook'",
            "lena: /vote 2 up",
            "yuki: /vote 2 up",
            "lena: /vote 3 down",
            "aiko: /article close 2 --in 24h",
            "aiko: /article set 1 deadline '2026-12-06 12:00'",
            "sam: /article status 2",
            "sam: /article status 1",
        ],
        expect="closes by itself",
    )
    assert "Voting on article #2 closes by itself at Sat 5 Dec 2026, 18:00 JST" in friday
    # Anyone sees the schedule on the status board, in the team's timezone.
    assert "Voting closes by itself at Sat 5 Dec 2026, 18:00 JST." in friday
    assert "Translations are due by Sun 6 Dec 2026, 12:00 JST." in friday
    # Nobody touches the bot; it is not running on Saturday evening, and starts at 20:30.
    clock.set(datetime(2026, 12, 5, 11, 30, tzinfo=UTC))
    saturday = await session(settings, clock, [], expect="Daily digest")
    assert "[#voting] Voting on article #2 is closed" in saturday
    assert "closed late, as soon as the bot started again" in saturday
    assert "[@mei] A reminder: you have held comment #1 of article #1" in saturday
    assert "Submit it with `/translate submit 1 <text>`, or release it with" in saturday
    digest = saturday[saturday.index("[#review] Daily digest") :]
    assert "mei holds #1, not translated yet" in digest
    assert "nobody holds #2" in digest
    assert "(This is late" in digest
    again = await session(settings, clock, [], expect="nothing")
    assert "closed" not in again and "reminder" not in again, "each fired once"


async def test_roles_hidden_votes_and_stats_from_the_console(settings) -> None:
    clock = ManualClock(FRIDAY_6PM_TOKYO)
    out = await session(
        settings,
        clock,
        [
            "sam: /team add lena translator",
            "aiko: /team add lena translator",
            "aiko: /team add mei translator",
            "aiko: /team remove aiko translator",
            "aiko: /article new Tea",
            "aiko: /article set 1 voting hidden",
            "sam: /comment add 1 'Matcha'",
            "yuki: /vote 1 up",
            "lena: /comment list 1",
            "aiko: /comment list 1",
            "aiko: /article close 1",
            "lena: /translate claim 1",
            "aiko: /team remove lena translator",
            "lena: /translate mine",
            "sam: /team list",
            "sam: /stats",
        ],
    )
    assert "Only moderators can give people roles" in out
    assert "lena is now a translator in this team (added by aiko)" in out
    assert "mei is already a translator through the config file" in out
    assert "aiko is a moderator through the config file" in out
    assert "[#voting] Comment #1: 1 vote so far; scores stay hidden" in out  # the card
    assert "Your vote on comment #1 is counted (up). Scores stay hidden" in out
    # lena (a member then) sees how many voted; aiko (a moderator) sees the score.
    assert "1 vote so far; scores stay hidden until voting closes [candidate] Matcha" in out
    assert "+1 [candidate] Matcha" in out
    assert "You hold the translation of comment #1" in out
    assert "lena is no longer a translator in this team" in out
    assert "aiko added lena as translator" in out and "aiko removed lena as translator" in out
    assert "From the config: moderators aiko; translators mei." in out
    assert (
        "• sam: comments 1, votes 0, translations 0, machine drafts accepted 0, approvals 0" in out
    )
    assert "• yuki: comments 0, votes 1" in out


async def test_history_times_come_from_the_bots_clock_in_the_teams_zone(settings) -> None:
    """`article history` reads the same clock as the schedules; `translate history` names
    the team's zone too, instead of a stored UTC time without one."""
    clock = ManualClock(FRIDAY_6PM_TOKYO)
    out = await session(
        settings,
        clock,
        [
            "aiko: /article new 'Snow cats'",
            "sam: /comment add 1 'So fluffy'",
            "lena: /vote 1 up",
            "aiko: /article close 1",
            "mei: /translate submit 1 'ふわふわだ'",
            "aiko: /article history 1",
            "mei: /translate history 1",
        ],
    )
    assert "1. 2026-12-04 18:00 +0900 — aiko created the article: Snow cats" in out
    assert "2026-12-04 18:00 +0900 — mei submitted the translation of #1" in out
    revision = next(line for line in out.splitlines() if line.lstrip("→ ").startswith("r1 "))
    assert re.search(r"^r1 \d{4}-\d\d-\d\d \d\d:\d\d \+0900 mei ", revision.lstrip("→ ")), revision
