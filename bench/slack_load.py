"""Slack's side of item 2, in its own process: the fake Web API and the clicking users.

Run by bench/slack_clicks.py as `python -m bench.slack_load`, so that the bot's process runs
only the bot, as it would in production. It speaks JSON lines: it first prints
`{"api_url": ...}`, then answers each request read from standard input:

- `{"op": "setup", "url": U}`: create an article and its comments through `/hanno` at U; answer
  `{"cards": n}` once every comment's card is in the voting channel;
- `{"op": "clicks", "url": U, "round": r}`: send round r's click plan to U; answer with the
  elapsed seconds, each click's time to ack and the Web API calls the fake received meanwhile;
- `{"op": "quit"}`.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from collections import Counter
from typing import Any

from aiohttp import ClientSession

from bot.slack import blocks as ui
from tests.fakes.slack_fake import Reply, SlackEvents, SlackFake, clear_proxy_env, find_action, sign

CLICKS = 2_000
CONCURRENCY = 50
VOTERS = 500
ROUNDS = 10  # per app, alternating; each round's voters are new, so every click is a new vote
WARM_UP = 1  # unmeasured rounds per app first (new connections, caches, the first batch)
COMMENTS = CLICKS // VOTERS
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
MOD, AUTHOR = "UMOD", "UAUTHOR"
VOTING = "CVOTING"

Click = tuple[str, int, str]  # (user id, comment number, action id)


class KeepAliveEvents(SlackEvents):
    """The suite's signed-request builder, sending over one shared session (like Slack's pool)."""

    def __init__(self, url: str, fake: SlackFake, session: ClientSession) -> None:
        super().__init__(url, SECRET, fake)
        self.session = session

    async def post_raw(
        self, body: str, content_type: str, headers: dict[str, str] | None = None
    ) -> Reply:
        sent = {"Content-Type": content_type}
        sent.update(headers if headers is not None else sign(self.signing_secret, body))
        async with self.session.post(self.url or "", data=body.encode(), headers=sent) as response:
            return Reply(status=response.status, text=await response.text())


def voter(round_: int, number: int) -> str:
    return f"UV{round_:02d}{number:03d}"


def plan(round_: int) -> list[Click]:
    """Every voter of the round clicks once on each card: the final tallies are known exactly.

    Rounds have disjoint voters (and seeds), so each round does the same work: new votes only.
    """
    rnd = random.Random(round_ + 2)
    clicks = [
        (voter(round_, number), comment, rnd.choice((ui.VOTE_UP, ui.VOTE_UP, ui.VOTE_DOWN)))
        for comment in range(1, COMMENTS + 1)
        for number in range(VOTERS)
    ]
    rnd.shuffle(clicks)
    return clicks


def cards(fake: SlackFake) -> dict[int, dict[str, Any]]:
    """The voting channel's comment cards, by comment number (read from the vote button)."""
    found = {}
    for message in fake.channel_messages(VOTING):
        try:
            value = find_action(message.get("blocks") or [], ui.VOTE_UP).get("value", "")
        except AssertionError:
            continue
        found[int(str(value).rsplit("_", 1)[-1])] = message
    return found


async def setup(fake: SlackFake, events: KeepAliveEvents) -> dict[str, Any]:
    await events.command(MOD, 'article new "Benchmark night"')
    for n in range(COMMENTS):
        await events.command(AUTHOR, f'comment add 1 "Comment {n + 1} for the bench"')
    # each card is a chat.postMessage with vote buttons, posted after the command's ack
    await fake.wait_for(
        "chat.postMessage",
        lambda c: c.args.get("channel") == VOTING and ui.VOTE_UP in str(c.args.get("blocks")),
        timeout=15,
        count=COMMENTS,
    )
    return {"cards": len(cards(fake))}


async def click_all(fake: SlackFake, events: KeepAliveEvents, round_: int) -> dict[str, Any]:
    shown = cards(fake)
    pending = iter(plan(round_))
    latencies: list[float] = []
    refused: list[str] = []
    calls_before = len(fake.calls)

    async def worker() -> None:
        for user, comment, action_id in pending:
            card = shown[comment]
            element = find_action(card["blocks"], action_id)
            block_id = next(
                b.get("block_id", "b") for b in card["blocks"] if element in b.get("elements", [])
            )
            start = time.perf_counter()
            reply = await events.block_action(
                user, action_id, element.get("value", ""), message=card, block_id=block_id
            )
            latencies.append(time.perf_counter() - start)
            if reply.status != 200:
                refused.append(f"{reply.status} {reply.text[:80]}")

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - start
    await asyncio.sleep(0.5)  # let the bot's after-ack work reach the fake before counting
    calls = Counter(c.method for c in fake.calls[calls_before:])
    return {"elapsed": elapsed, "latencies": latencies, "refused": refused, "calls": calls}


async def main() -> None:
    clear_proxy_env()
    loop = asyncio.get_running_loop()
    async with SlackFake(tokens={TOKEN}) as fake, ClientSession() as session:
        fake.add_user(MOD, "mika")
        fake.add_user(AUTHOR, "ann")
        for round_ in range((ROUNDS + WARM_UP) * 2):
            for number in range(VOTERS):
                fake.add_user(voter(round_, number), f"voter{round_}-{number}")
        print(json.dumps({"api_url": fake.api_url}), flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            request = json.loads(line)
            if request["op"] == "quit":
                break
            events = KeepAliveEvents(request["url"], fake, session)
            if request["op"] == "setup":
                answer = await setup(fake, events)
            else:
                answer = await click_all(fake, events, request["round"])
            print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
