"""Is this bot up? The store and each platform connection, for a process supervisor or a
container orchestrator.

`hanno run` keeps a `Health` with one probe per part (the store, each front end) and writes
its report to `[health] file` every `interval` seconds (written whole, then renamed, so a
reader never sees half a file). `hanno health`, a separate process (a Docker HEALTHCHECK, a
systemd watchdog script), reads that report and checks the store itself; Slack's HTTP mode
also answers `/healthz` from the live report.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

Probe = Callable[[], bool | Awaitable[bool]]
PROBE_TIMEOUT = 5.0


class Health:
    """The probes of one process, by part name ("store", "discord", "slack")."""

    def __init__(self, store: Any = None) -> None:
        self._probes: dict[str, Probe] = {}
        self._expected: list[str] = []
        if store is not None:
            self.watch_store(store)

    def watch_store(self, store: Any) -> None:
        async def store_up() -> bool:
            return await store.health() == "ok"

        self.register("store", store_up)

    def expect(self, name: str) -> None:
        """A part that should be up; it reports down until it registers a probe."""
        if name not in self._expected:
            self._expected.append(name)

    def register(self, name: str, probe: Probe) -> None:
        self.expect(name)
        self._probes[name] = probe

    def unregister(self, name: str) -> None:
        self._probes.pop(name, None)

    async def report(self) -> dict[str, Any]:
        parts: dict[str, bool] = {}
        for name in self._expected:
            parts[name] = await _ask(self._probes.get(name))
        return {"ok": all(parts.values()), "parts": parts, "at": time.time(), "pid": os.getpid()}

    async def keep_writing(self, path: Path, interval: float) -> None:
        """Write the report every `interval` seconds until cancelled."""
        while True:
            try:
                write_report(path, await self.report())
            except OSError as error:
                log.warning("could not write the health file %s: %s", path, error)
            await asyncio.sleep(interval)


async def _ask(probe: Probe | None) -> bool:
    if probe is None:
        return False
    try:
        answer = probe()
        if inspect.isawaitable(answer):
            answer = await asyncio.wait_for(answer, PROBE_TIMEOUT)
        return bool(answer)
    except Exception:
        return False


def write_report(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(report), encoding="utf-8")
    partial.replace(path)


Why = tuple[str, dict[str, Any]]  # a catalogue key under cli.health. and its parameters


def read_report(path: Path, max_age: float) -> tuple[dict[str, Any] | None, Why]:
    """The running bot's last report if it is fresh, else None and why not."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, ("no_bot", {})
    except (OSError, ValueError) as error:
        return None, ("unreadable", {"problem": error})
    age = time.time() - float(report.get("at", 0))
    if age > max_age:
        return None, ("stale", {"seconds": f"{age:.0f}"})
    return report, ("", {})
