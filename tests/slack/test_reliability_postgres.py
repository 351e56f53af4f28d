"""Two real `hanno run` processes (Slack HTTP mode, the fake Slack) on one PostgreSQL database:
the team cannot tell from the results which process served which click.

Both children are started exactly as an operator starts them — `python -m bot run --platform
slack --config FILE` with the secrets (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, PGPASSWORD) in
the environment — and the test plays Slack's side, spreading every click and command over
both as a load balancer would. One is SIGKILLed in the middle of a burst at the end."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import asyncpg

from bot.slack import blocks as ui
from tests.fakes.slack_fake import SlackEvents, SlackFake
from tests.pgcluster import PASSWORD
from tests.slack.conftest import (
    ANN,
    MOD,
    MOD2,
    PUBLISH,
    REVIEW,
    SECRET,
    TOKEN,
    TR,
    TR2,
    VOTING,
    free_port,
)
from tests.slack.test_votes import shown_score

ROOT = Path(__file__).resolve().parents[2]


def config_file(folder: Path, name: str, url: str, port: int, fake: SlackFake) -> Path:
    path = folder / f"{name}.toml"
    url = url.replace(f":{PASSWORD}@", "@")  # the password comes from PGPASSWORD only
    path.write_text(
        f"""
[storage]
url = "{url}"

[review]
approvals_required = 2
self_approval = true

[slack]
mode = "http"
host = "127.0.0.1"
port = {port}
api_url = "{fake.api_url}"
moderators = ["{MOD}"]
translators = ["{TR}"]
moderator_groups = ["@editors"]
translator_groups = ["translators"]
voting_channel = "{VOTING}"
review_channel = "{REVIEW}"
publish_channel = "{PUBLISH}"

[health]
file = "{folder / f"{name}-health.json"}"
interval = 1
""",
        encoding="utf-8",
    )
    return path


@asynccontextmanager
async def hanno_run(
    fake: SlackFake, url: str, folder: Path, name: str
) -> AsyncIterator[SlackEvents]:
    """`hanno run --platform slack` in a child process, ready once /healthz says so."""
    port = free_port()
    config = config_file(folder, name, url, port, fake)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("HANNO_", "SLACK_", "PG"))},
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "PGPASSWORD": PASSWORD,
    }
    log = folder / f"{name}.log"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--platform", "slack", "--config", str(config),
        cwd=folder, env=env, stdout=log.open("ab"), stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(300):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as answer:
                        if answer.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                assert process.returncode is None, log.read_text(errors="replace")[-3000:]
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(log.read_text(errors="replace")[-3000:])
        events = SlackEvents(f"http://127.0.0.1:{port}/slack/events", SECRET, fake)
        events.process = process  # type: ignore[attr-defined]
        yield events
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


async def say(events: SlackEvents, user: str, text: str) -> str:
    """`/hanno text` from `user` through `events`' process; the reply it gets."""
    fields = events.command_fields(user, text)
    key = fields["response_url"].rsplit("/", 1)[1]
    assert (await events.post_form(fields)).status == 200
    reply = await events.fake.wait_for_response(lambda p: p.key == key, timeout=15)
    return reply.text


async def card(fake: SlackFake, number: int) -> dict:
    call = await fake.wait_for(
        "chat.postMessage",
        lambda c: f"hanno_vote_{number}" in str(c.args.get("blocks")),
        timeout=10,
    )
    ts = call.response["ts"]
    return fake.message(call.response["channel"], ts)


async def eventually(check, timeout: float = 15.0) -> None:  # noqa: ASYNC109
    for _ in range(int(timeout / 0.1)):
        if await check():
            return
        await asyncio.sleep(0.1)
    assert await check()


async def test_two_processes_on_one_database_keep_every_rule(
    fake: SlackFake, pg_url: str, tmp_path: Path
) -> None:
    db = await asyncpg.connect(pg_url)
    async with (
        hanno_run(fake, pg_url, tmp_path, "a") as a,
        hanno_run(fake, pg_url, tmp_path, "b") as b,
    ):
        both = (a, b)
        assert "#1" in await say(a, MOD, 'article new "Two processes"')
        await say(b, ANN, 'comment add 1 "Served by b"')
        await say(a, ANN, 'comment add 1 "Served by a"')
        card1 = await card(fake, 1)

        # 300 voters clicking at once, spread over both processes.
        async def click(i: int) -> int:
            reply = await both[i % 2].block_action(
                f"UV{i:04d}", ui.VOTE_UP, "1", message=card1, block_id="hanno_vote_1"
            )
            return reply.status

        statuses: list[int] = []
        for start in range(0, 300, 60):
            statuses += await asyncio.gather(*(click(i) for i in range(start, start + 60)))
        assert statuses == [200] * 300

        async def all_counted() -> bool:
            return await db.fetchval("SELECT up FROM comments WHERE number = 1") == 300

        await eventually(all_counted)
        assert await db.fetchval("SELECT COUNT(*) FROM votes") == 300

        async def card_exact() -> bool:
            await fake.settle(quiet=0.5)
            return shown_score(fake.message(card1["channel"], card1["ts"]))[1] == 300

        await eventually(card_exact)  # the card shows the true score after the burst

        # Closing, then two translators claiming the same comment in the two processes.
        await say(b, MOD, "article close 1")
        claims = await asyncio.gather(
            say(a, TR, "translate claim 1"), say(b, TR2, "translate claim 1")
        )
        assert sum("already holds" in reply for reply in claims) == 1, claims
        holder = await db.fetchval("SELECT assignee_id FROM comments WHERE number = 1")
        assert holder in (TR, TR2)
        await say(a if holder == TR else b, holder, 'translate submit 1 "二つのプロセス"')

        # Two distinct approvals, one in each process, at the same moment.
        await say(a, MOD, "draft submit 1")
        await asyncio.gather(say(a, MOD, "draft approve 1"), say(b, MOD2, "draft approve 1"))
        assert await db.fetchval("SELECT state FROM articles WHERE number = 1") == "approved"

        # A stale approval: an edit after approval sends the article back to review.
        await say(b, MOD, 'article set 1 lead "A new lead."')
        assert await db.fetchval("SELECT state FROM articles WHERE number = 1") == "review"
        # Approve against reject, in the two processes at once.
        await say(a, MOD, "draft approve 1")
        await asyncio.gather(
            say(a, MOD2, "draft approve 1"), say(b, MOD, 'draft reject 1 "One more look"')
        )
        state = await db.fetchval("SELECT state FROM articles WHERE number = 1")
        last = await db.fetchval(
            "SELECT action FROM history WHERE article_id = 1 AND action IN "
            "('approved', 'rejected') ORDER BY id DESC LIMIT 1"
        )
        assert (state, last) in (("translating", "rejected"), ("approved", "approved"))
        if state == "translating":
            await say(a, MOD, "draft submit 1")
            await say(a, MOD, "draft approve 1")
            await say(b, MOD2, "draft approve 1")

        # Both processes publish at the same moment: one copy.
        replies = await asyncio.gather(say(a, MOD, "publish 1"), say(b, MOD2, "publish 1"))
        parts = await db.fetchval("SELECT COUNT(*) FROM published_parts")
        assert parts >= 1
        await fake.settle(quiet=0.5)
        posted = [m for m in fake.channel_messages(PUBLISH)]
        assert len(posted) == parts, replies
        assert await db.fetchval("SELECT state FROM articles WHERE number = 1") == "published"

        # SIGKILL of one process in the middle of a burst of votes.
        await say(a, MOD, 'article new "The kill"')
        await say(b, ANN, 'comment add 2 "Vote for me"')
        answered: set[str] = set()

        async def voter(i: int) -> None:
            user = f"UK{i:04d}"
            try:
                reply = await say(both[i % 2], user, "vote 3 up")
            except Exception:  # its process is gone
                return
            if "Score now" in reply:
                answered.add(user)

        burst = [asyncio.create_task(voter(i)) for i in range(200)]
        await eventually(lambda: _at_least(answered, 20))
        a.process.send_signal(signal.SIGKILL)  # type: ignore[attr-defined]
        await a.process.wait()  # type: ignore[attr-defined]
        await asyncio.gather(*burst, return_exceptions=True)

        stored = {
            r[0]
            for r in await db.fetch(
                "SELECT user_id FROM votes v JOIN comments c ON c.id = v.comment_id WHERE c.number = 3"
            )
        }
        assert answered <= stored, "an acknowledged vote was lost"
        # b carries on, and the tally is exactly the votes stored
        assert "Score now" in await say(b, "ULATE", "vote 3 up")
        up, count = await db.fetchrow(
            "SELECT up, (SELECT COUNT(*) FROM votes v WHERE v.comment_id = c.id) "
            "FROM comments c WHERE number = 3"
        )
        assert up == count == len(stored) + 1
    await db.close()


async def _at_least(items: set[str], count: int) -> bool:
    return len(items) >= count
