"""hanno's benchmark: `.venv/bin/python -m bench.run` from the repository root.

Prints one table; `--markdown bench/RESULTS.md` also writes it there with the machine it ran
on. Everything happens in a temporary directory and on 127.0.0.1; every loop is bounded.
`--items 1,4` runs only some items. Items 2 and 3 drive the real Slack and Discord front ends
against the local fakes of the test suite (tests/fakes/).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench.common import Row
from tests.fakes.slack_fake import clear_proxy_env

ALL_ITEMS = (1, 2, 3, 4, 5, 6, 7, 8, 9)
COLUMNS = ("item", "measured", "baseline", "ratio", "target", "verdict")


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        load = "unknown"
    return {
        "cpus (nproc)": str(os.cpu_count()),
        "load average at start (1, 5, 15 min)": load,
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": __import__("sqlite3").sqlite_version,
        "os": platform.platform(),
    }


async def collect(items: Sequence[int], directory: Path) -> list[Row]:
    rows: list[Row] = []
    if 1 in items:
        from bench import votes

        rows += await votes.run(directory)
    if 2 in items:
        from bench import slack_clicks

        rows += await slack_clicks.run(directory)
    if 3 in items:
        rows += await discord_row()
    if 4 in items:
        from bench import render

        rows += render.run()
    if 5 in items or 6 in items:
        from bench import status

        status_rows, big, article = await status.run(directory)
        if 5 in items:
            rows += status_rows
        if 6 in items:
            from bench import memory

            rows += memory.run(big, article)
    if 7 in items:
        from bench import imports

        rows += await imports.run_alone(directory)
    if 8 in items:
        from bench import assist

        rows += await assist.run(directory)
    if 9 in items:
        from bench import postgres_votes

        rows += await postgres_votes.run(directory)
    return rows


async def discord_row() -> list[Row]:
    """Item 3 from bench/discord_votes.py (written with the Discord front end), as a table row."""
    from bench import discord_votes
    from bench.common import verdict

    f = await discord_votes.run()
    ok = f["over_3s"] == 0 and f["failed"] == 0 and f["cards_exact"] == 1
    return [
        Row(
            item="3 Discord vote clicks (gateway)",
            measured=f"{f['answered_per_s']:,.0f} interactions/s",
            baseline=f"{f['baseline_answered_per_s']:,.0f} interactions/s",
            ratio=f"{f['ratio_to_baseline']:.2f}x",
            target="p99 callback < 3 s",
            verdict=verdict(ok),
            note=(
                f"{f['clicks']:,.0f} clicks, {f['concurrency']:.0f} in flight (bench/discord_votes.py); "
                f"time to the interaction callback p50 {f['p50_ms']:.1f} ms, p99 {f['p99_ms']:.1f} ms, "
                f"max {f['max_ms']:.1f} ms (ack-only discord.py client: p99 "
                f"{f['baseline_p99_ms']:.1f} ms); {f['card_edits']:.0f} card edits; cards "
                f"{'show the exact tallies' if f['cards_exact'] else 'WRONG'}"
            ),
        )
    ]


def table(rows: Sequence[Row]) -> str:
    """A Markdown table (readable as plain text too), then the notes."""
    cells = [[getattr(row, name) for name in COLUMNS] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(COLUMNS)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(COLUMNS, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += [
        "| " + " | ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) + " |"
        for cell in cells
    ]
    notes = [f"- **{row.item}**: {row.note}" for row in rows if row.note]
    return "\n".join(lines) + ("\n\n" + "\n".join(notes) if notes else "")


HOW_TO_READ = """
## How to read this

Every figure comes from one run on the machine above; ratios compare numbers measured in
that same run, so they travel better than the absolute figures. The machine may be shared
(see the load average): CPU-bound work (hanno's side of items 1 to 4) slows down under load
while the fsync-bound baseline of item 1 does not. Items 1 and 2 therefore alternate several
rounds of each side and compare the rates over all rounds (the per-round ratios are in the
notes): single passes swung from 1.7x to 2.8x (item 1) and by +-0.15 (item 2) on the same code.

- **1**: both sides durable before acknowledging (WAL, `synchronous=FULL`, so each COMMIT
  fsyncs the WAL). The baseline is one aiosqlite connection in autocommit mode doing one
  upsert per vote; hanno checks every rule of a vote and keeps exact tallies, and wins by
  group commit (one transaction and one fsync per batch of queued votes, each vote in its own
  savepoint). The NORMAL row shows what the fsync costs the baseline: NORMAL in WAL can lose
  the last commits on power loss, so hanno does not use it.
- **2**: the fake Slack and the clicking users run in a child process; the bot's process
  serves hanno's Bolt app (or the ack-only app) only, with the garbage collector tuned as
  `hanno run` tunes it (`bot.runtime.settle_heap`, process-wide, so both apps have it). hanno
  acks first, then votes (group commit) and redraws cards; that work shares the event loop
  with the acks.
- **3**: the bot, the fake Discord and the clicks share one process and its event loop, as in
  the test suite; the ack-only discord.py client runs under the same conditions.
- **4**: the plain render does no escaping and no splitting; hanno makes Markdown inert,
  strips control and bidi characters and cuts chat parts at grapheme boundaries.
- **5**: `statements` is counted by the store's `Tx`; the same count at 1,000 and 10,000
  comments means no query per comment.
- **6**: VmHWM of a child process (ru_maxrss would report the parent's peak after exec).
- **7**: run in a process of its own (after the other items' writes are flushed); the fake
  Reddit answers from that process, so "fetch + parse" is CPU time (the fake's JSON,
  asyncpraw's objects, Markdown to text) with no network wait for the import's work to hide
  in. The import adds language detection (lingua, in hanno's detecting process, started on
  each page while the next is read: trigrams, the full models only for texts under 40
  letters or under 0.9 confidence), the near-duplicate check (rapidfuzz's cdist over the
  pairs of about the same length, long texts compared by their first 64 characters first)
  and one writing transaction; only the import is timed, into an article that exists
  already, with garbage collected before each side.
- **8**: `translate suggest <a> --all` through the dispatcher, the SQLite store and the real
  `deepl` / `openai` clients against the test suite's fakes, which wait a fixed time per
  request in place of the service's work; the overhead is hanno's time (store, batching,
  client, thread hop for `deepl`) beyond the time the fake was answering. The style checks
  run the real tokenizer over 60 Japanese reactions of our own.
- **9**: a PostgreSQL cluster started for the run with its durable defaults (fsync on,
  synchronous_commit on). The baseline is an asyncpg pool of 10, one upsert per vote in
  autocommit; hanno wins by group commit with a batch in a fixed number of statements. 9b:
  each process votes in its own space; two processes scale only as far as free CPU allows.

"""


def report(rows: Sequence[Row], seconds: float, info: dict[str, str]) -> str:
    head = [
        "# hanno benchmark results",
        "",
        f"Run `{' '.join(['.venv/bin/python', '-m', 'bench.run', *sys.argv[1:]])}` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {seconds:.0f} s in all.",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
        "",
    ]
    return "\n".join(head) + table(rows) + "\n" + HOW_TO_READ


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument(
        "--items",
        default=",".join(map(str, ALL_ITEMS)),
        help="comma-separated item numbers (default: all)",
    )
    parser.add_argument(
        "--markdown", type=Path, default=None, help="also write the report to this file"
    )
    args = parser.parse_args(argv)
    items = sorted({int(part) for part in args.items.split(",") if part.strip()})
    clear_proxy_env()  # everything talks to 127.0.0.1
    info = machine()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hanno-bench-") as tmp:
        rows = asyncio.run(collect(items, Path(tmp)))
    text = report(rows, time.perf_counter() - start, info)
    print(text)
    if args.markdown is not None:
        if items == list(ALL_ITEMS) or not args.markdown.exists():
            args.markdown.write_text(text, encoding="utf-8")
        else:
            update_section(args.markdown, items, rows, time.perf_counter() - start, info)
    return 0


def update_section(
    path: Path, items: Sequence[int], rows: Sequence[Row], seconds: float, info: dict[str, str]
) -> None:
    """A run of some items only: their own section of the file, replaced or added, so the
    last full run's table stays as it was."""
    name = ",".join(map(str, items))
    begin, end = f"<!-- items {name} -->", f"<!-- /items {name} -->"
    section = "\n".join(
        [
            begin,
            f"## Items {name}, run on their own",
            "",
            f"Run `.venv/bin/python -m bench.run {' '.join(sys.argv[1:])}` on "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {seconds:.0f} s; load average at start "
            f"{info['load average at start (1, 5, 15 min)']}.",
            "",
            table(rows),
            end,
        ]
    )
    text = path.read_text(encoding="utf-8")
    if begin in text and end in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
