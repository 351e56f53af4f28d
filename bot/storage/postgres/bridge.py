"""Running the core's plain (synchronous) group-commit operations against asyncpg.

The core writes a vote as a plain function of a batch transaction (`HannoService.vote`), so
that SQLite can run a whole batch on its writer thread without a thread hop per statement.
On PostgreSQL every statement is an `await`. The bridge runs the plain function in a greenlet
and lets each of its statements hand the awaitable back to the event loop's side, which
awaits it and switches back with the result — SQLAlchemy's asyncio bridge does the same for
asyncpg. A switch costs about a microsecond; no thread is involved.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from greenlet import getcurrent, greenlet

T = TypeVar("T")


class _Bridged(greenlet):  # type: ignore[misc]
    """A greenlet running a plain function whose statements `wait()` for the event loop."""


async def run_plain(function: Callable[..., T], *args: Any) -> T:
    """Run `function(*args)`; every `wait(awaitable)` inside it is awaited here."""
    child = _Bridged(function, getcurrent())
    result: Any = child.switch(*args)
    while not child.dead:
        try:
            value = await result
        except BaseException:
            result = child.throw(*sys.exc_info())
        else:
            result = child.switch(value)
    return result


def wait(awaitable: Awaitable[T]) -> T:
    """The result of `awaitable`, from inside a function started by `run_plain`."""
    current = getcurrent()
    if not isinstance(current, _Bridged):
        raise RuntimeError("wait() is only for a function run by run_plain()")
    return current.parent.switch(awaitable)  # type: ignore[no-any-return]
