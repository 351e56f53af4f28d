"""Item 6: peak RSS of a bot process with 10,000 comments loaded, against the same process idle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.common import Row

ROOT = Path(__file__).resolve().parent.parent


def _peak(db: Path, article: int, mode: str) -> tuple[int, int]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.memory_probe", str(db), str(article), mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    peak, count = done.stdout.split()
    return int(peak), int(count)


def run(db: Path, article: int) -> list[Row]:
    idle, _ = _peak(db, article, "idle")
    loaded, count = _peak(db, article, "loaded")
    return [
        Row(
            item=f"6 peak RSS, {count:,} comments loaded",
            measured=f"{loaded / 1024:.1f} MiB",
            baseline=f"{idle / 1024:.1f} MiB idle",
            ratio=f"+{(loaded - idle) / 1024:.1f} MiB",
            note="child process: service open, every comment listed as models plus a status "
            "board; idle = same process reading only the article",
        )
    ]
