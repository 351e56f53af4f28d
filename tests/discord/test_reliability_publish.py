"""Issue 5 through Discord: the platform fails in the middle of publishing a long article.

discord.py retries 5xx and 429 itself; hanno adds a nonce per part (so those retries cannot
duplicate a post that landed), a time limit per part, and a look at the channel before the
first part of a run. Whatever fails, no part is ever posted twice and the next /publish
posts exactly the missing parts, in order. (The 403 case is in test_workflow.py.)
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.core.models import ArticleState
from bot.discord import publishing
from bot.discord.identity import system_actor
from tests.discord.conftest import Team
from tests.discord.test_workflow import _approved_long_article as approved_article
from tests.fakes.discord_fake import DiscordFake, Fault


async def _approved_long_article(fake: DiscordFake, team: Team, running) -> None:
    """An approved article of about seven 2,000-character parts."""
    await approved_article(fake, team, running, comments=14, repeat=90)


def _recorded(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT idx, message_id FROM published_parts ORDER BY idx").fetchall()


def _posted(fake: DiscordFake) -> list[dict]:
    return fake.channel_messages("publish")


def _assert_no_duplicate_and_in_order(fake: DiscordFake, db: Path) -> None:
    posts = _posted(fake)
    contents = [p["content"] for p in posts]
    assert len(set(contents)) == len(contents), "a part was posted twice"
    assert [mid for _, mid in _recorded(db)] == [p["id"] for p in posts], "parts out of order"
    assert all(len(c) <= 2000 for c in contents)
    text = "\n".join(contents)
    assert text.index("海外の反応") < text.index("コメントは以上")


async def _publish(fake: DiscordFake, team: Team) -> dict:
    reply = await (await fake.slash(team.mod, "publish", article=1)).reply(timeout=40)
    assert reply["flags"] & 64
    return reply


async def test_a_500_after_the_message_landed_is_retried_without_a_duplicate(
    fake: DiscordFake, team: Team, start, tmp_path: Path
) -> None:
    running = await start()
    await _approved_long_article(fake, team, running)
    # Part 3 is created, but Discord answers 500: discord.py retries the same post.
    fake.fail_posts("publish", Fault(status=500, after_create=True), after=2)
    reply = await _publish(fake, team)
    assert "is published" in reply["content"], reply["content"]
    posts = fake.calls_to("POST", f"/channels/{fake.channel_id('publish')}/messages")
    assert len(posts) == len(_posted(fake)) + 1, "one retry, answered with the first message"
    assert posts[2].json["nonce"] == posts[3].json["nonce"] and posts[2].json["enforce_nonce"]
    _assert_no_duplicate_and_in_order(fake, tmp_path / "hanno.db")


async def test_a_429_with_retry_after_is_waited_out(
    fake: DiscordFake, team: Team, start, tmp_path: Path, caplog
) -> None:
    running = await start()
    await _approved_long_article(fake, team, running)
    fake.fail_posts("publish", Fault(status=429, retry_after=0.3, times=2), after=1)
    reply = await _publish(fake, team)
    assert "is published" in reply["content"], reply["content"]
    assert sum("rate limited" in r.getMessage() for r in caplog.records) == 2
    _assert_no_duplicate_and_in_order(fake, tmp_path / "hanno.db")
    article = await running.service.get_article(system_actor(fake.guild_id), 1)
    assert article.state is ArticleState.PUBLISHED


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=500, times=None),  # Discord keeps failing: discord.py's retries run out
        Fault(status=503, times=None),  # not retried by discord.py at all
        Fault(status=0, delay=3.0, after_create=True),  # landed, but the answer never came
    ],
    ids=["500-forever", "503", "timeout-after-landing"],
)
async def test_when_the_bot_gives_up_the_next_publish_posts_only_the_rest(
    fake: DiscordFake,
    team: Team,
    start,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: Fault,
) -> None:
    monkeypatch.setattr(publishing, "PART_TIMEOUT", 1.5)
    running = await start()
    await _approved_long_article(fake, team, running)
    db = tmp_path / "hanno.db"
    fake.fail_posts("publish", fault, after=2)

    failed = await _publish(fake, team)
    assert "stopped after 2 of" in failed["content"], failed["content"]
    total = int(failed["content"].split("stopped after 2 of ")[1].split()[0])
    assert total >= 6
    article = await running.service.get_article(system_actor(fake.guild_id), 1)
    assert article.state is ArticleState.APPROVED
    assert [idx for idx, _ in _recorded(db)] == [0, 1]
    await running.settle()
    told = [
        m["content"] for m in fake.channel_messages("review") if "tried to publish" in m["content"]
    ]
    assert told and "stopped after 2 of" in told[-1]
    history = await running.service.history(system_actor(fake.guild_id), 1)
    assert history[-1].action == "publish_failed"

    fake.fail_posts("publish")  # Discord is back
    fake.nonce_window = 0  # ...and has forgotten the nonces: hanno must not rely on them
    done = await _publish(fake, team)
    assert "is published" in done["content"], done["content"]
    assert len(_posted(fake)) == total
    assert [idx for idx, _ in _recorded(db)] == list(range(total))
    _assert_no_duplicate_and_in_order(fake, db)
    again = await _publish(fake, team)
    assert "already published" in again["content"]
    assert len(_posted(fake)) == total


async def test_two_moderators_publishing_at_once_post_one_copy(
    fake: DiscordFake, team: Team, start, tmp_path: Path
) -> None:
    running = await start()
    await _approved_long_article(fake, team, running)
    first, second = await asyncio.gather(
        fake.slash(team.mod, "publish", article=1), fake.slash(team.mod2, "publish", article=1)
    )
    answers = sorted([(await first.reply())["content"], (await second.reply())["content"]])
    published = [a for a in answers if "is published in" in a]
    assert len(published) == 1, answers
    other = next(a for a in answers if a not in published)
    assert "being published right now" in other or "already published" in other, other
    _assert_no_duplicate_and_in_order(fake, tmp_path / "hanno.db")
    assert len(_posted(fake)) == len(_recorded(tmp_path / "hanno.db"))
