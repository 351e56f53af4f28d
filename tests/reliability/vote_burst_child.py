"""A vote burst to be killed: run as `python -m tests.reliability.vote_burst_child DB`.

Opens the service on DB (which must hold article #1 with comments #1..COMMENTS by "author"),
keeps 100 votes in flight through group commit, each (person, comment) voted exactly once,
and prints `person comment value` for each vote as soon as the service acknowledged it.
The test kills this process mid-burst and checks every printed vote is in the file.
"""

from __future__ import annotations

import asyncio
import random
import sys
from pathlib import Path

from bot.core.models import Actor
from bot.core.policy import RolePolicy
from bot.core.service import HannoService
from bot.render import Renderer
from bot.storage.database import SqliteStore

SPACE = "crash"
COMMENTS = 20
PEOPLE = 300
IN_FLIGHT = 100


def plan() -> list[tuple[int, int, str]]:
    votes = [
        (p, c, "up" if (p + c) % 3 else "down")
        for p in range(PEOPLE)
        for c in range(1, COMMENTS + 1)
    ]
    random.Random(9).shuffle(votes)
    return votes


async def main(path: Path) -> None:
    store = await SqliteStore.open(path)
    service = HannoService(
        store, policy=RolePolicy.of(moderators=[], translators=[]), renderer=Renderer()
    )
    pending = iter(plan())

    async def worker() -> None:
        for person, comment, choice in pending:
            actor = Actor(space=SPACE, user_id=f"p{person}", name=f"p{person}", tags=frozenset())
            await service.vote(actor, comment, choice)
            sys.stdout.write(f"{person} {comment} {choice}\n")
            sys.stdout.flush()

    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    await store.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
