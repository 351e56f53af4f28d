"""Run in a child process by item 6: open the bot's service on a database and report peak RSS.

`python -m bench.memory_probe DB ARTICLE idle|loaded`: "idle" opens the service and reads the
article; "loaded" also holds every comment of the article as the bot's models. Prints the
process's peak resident set size in KiB: VmHWM from /proc (ru_maxrss would not do, Linux keeps
it across exec, so a child would report its parent's peak).
"""

from __future__ import annotations

import asyncio
import resource
import sys
from pathlib import Path

from bench import dataset
from bench.common import actor
from bot.storage.database import SqliteStore


async def probe(path: Path, article: int, mode: str) -> int:
    store = await SqliteStore.open(path)
    try:
        service = dataset.service_for(store)
        editor = actor("editor")
        await service.get_article(editor, article)
        held = []
        if mode == "loaded":
            held = await service.list_comments(editor, article)
            await service.status(editor, article)
        return len(held)
    finally:
        await store.close()


def main() -> None:
    path, article, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    count = asyncio.run(probe(path, article, mode))
    print(f"{peak_rss_kib()} {count}")


def peak_rss_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main()
