"""What the fake translation services share: a server on 127.0.0.1, a record of requests,
scripted faults, and the time the fake itself spent answering.

`busy_seconds` is the wall time during which at least one request was being handled (the
union of the handlers' intervals, simulated latency included), so a benchmark can tell the
service's own time from the overhead of the client around it.
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

# What the fakes "translate" a few texts into; anything else comes back marked `訳:`.
PHRASEBOOK = {
    "This is the Japan I fell in love with.": "これこそ俺が惚れた日本だよ。",
    "Respect to the clerk, honestly.": "その駅員さんには素直に敬意を表するよ。",
}


def fake_translation(text: str, glossary: dict[str, str]) -> str:
    """The phrasebook's rendering of `text`, with each glossary source term replaced."""
    out = PHRASEBOOK.get(text, f"訳: {text}")
    for source, target in glossary.items():
        out = out.replace(source, target)
    return out


@dataclass
class Fault:
    """One scripted answer in place of the normal one."""

    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait first (a slow answer, or a timeout for the client)
    kind: str = ""  # a service-specific misbehaviour (the model fake's "malformed" answers)
    method: str = ""  # only a request with this method meets the fault ("" for any)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class LocalService(ABC):
    """Base of the fakes: start/stop, `requests`, `fail(...)`, `latency`, `busy_seconds`."""

    def __init__(self, *, latency: float = 0.0) -> None:
        self.latency = latency
        self.requests: list[Request] = []
        self.faults: deque[Fault] = deque()
        self.busy_seconds = 0.0
        self.port = 0
        self._active = 0
        self._since = 0.0
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @abstractmethod
    def routes(self, app: web.Application) -> None:
        """Add the service's endpoints to `app`."""

    async def start(self) -> LocalService:
        app = web.Application(middlewares=[self._timed])
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Any:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def fail(self, fault: Fault, times: int = 1) -> None:
        """Answer the next `times` requests (of `fault.method`, if it names one) with `fault`."""
        self.faults.extend([fault] * times)

    def reset(self) -> None:
        self.requests.clear()
        self.faults.clear()
        self.busy_seconds = 0.0

    def paths(self, method: str | None = None) -> list[str]:
        return [r.path for r in self.requests if method is None or r.method == method]

    @web.middleware
    async def _timed(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if self._active == 0:
            self._since = time.perf_counter()
        self._active += 1
        try:
            return await handler(request)
        finally:
            self._active -= 1
            if self._active == 0:
                self.busy_seconds += time.perf_counter() - self._since

    async def record(self, request: web.Request) -> tuple[Request, Fault | None]:
        """Read and record the request; the scripted fault for it, if any (after its delay)."""
        if request.content_type == "application/json":
            body: Any = await request.json()
        elif request.can_read_body:
            body = dict(await request.post())
        else:
            body = dict(request.query)
        seen = Request(request.method, request.path, dict(request.headers), body)
        self.requests.append(seen)
        fault = next((f for f in self.faults if f.method in ("", request.method)), None)
        if fault is not None:
            self.faults.remove(fault)
        delay = fault.delay if fault is not None else self.latency
        if delay:
            await asyncio.sleep(delay)
        return seen, fault

    @staticmethod
    def answer(fault: Fault) -> web.Response:
        if isinstance(fault.body, str):
            return web.Response(status=fault.status, text=fault.body, headers=fault.headers)
        return web.json_response(fault.body or {}, status=fault.status, headers=fault.headers)
