"""Running the console: from a script, piped input, or a person at the terminal."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import TextIO

from bot.config import Settings
from bot.console.notifier import ConsoleNotifier
from bot.console.scripts import stream_lines
from bot.console.session import ConsoleSession, logical_lines
from bot.console.terminal import run_terminal
from bot.core.clock import Clock
from bot.core.messages import speaking, t
from bot.core.scheduling import SchedulerRunner
from bot.wiring import open_service


async def run_console(
    settings: Settings,
    *,
    lines: Sequence[str] | None,
    out: TextIO | None = None,
    echo: bool | None = None,
) -> int:
    """Play `lines` (or read standard input when None); returns the exit status.

    A person at a terminal gets the line editor of `bot.console.terminal`; a script, a pipe or
    no input at all (a CI job) is read line by line as it comes.
    """
    out = out or sys.stdout
    stdin = sys.stdin
    async with console_session(settings, out) as session:
        interactive = lines is None and _is_terminal(stdin) and _is_terminal(out)
        show_input = (not interactive) if echo is None else echo
        if interactive:
            people = ", ".join(f"{p.name} ({p.role})" for p in settings.console.people)
            first = settings.console.people[0].name if settings.console.people else "aiko"
            print(
                t(
                    "console.banner",
                    db=settings.database_shown(),
                    people=people,
                    example=session._example(),
                    first=first,
                ),
                file=out,
            )
            await run_terminal(session)
            return 0
        source = lines if lines is not None else _piped_lines(stdin)
        for line in logical_lines(source):
            if show_input and line.strip():
                print(line, file=out, flush=True)
            await session.handle(line)
    return 0


@asynccontextmanager
async def console_session(
    settings: Settings, out: TextIO, *, clock: Clock | None = None
) -> AsyncIterator[ConsoleSession]:
    """A session on the configured database whose replies and channel posts go to `out`,
    all in the console's language (the config's `interface_language`, else $LANG); its
    scheduler runs meanwhile (on `clock`, the real time unless a test moves one)."""
    notifier = ConsoleNotifier(out, settings.console.channels, timezone=settings.team_rules().tz)
    with speaking(settings.local_language()):
        async with (
            open_service(
                settings, policy=settings.console_policy(), notifier=notifier, clock=clock
            ) as service,
            SchedulerRunner(service.scheduler),
        ):
            yield ConsoleSession(service, settings, out)


def _is_terminal(stream: TextIO | None) -> bool:
    return stream is not None and not stream.closed and stream.isatty()


def _piped_lines(stdin: TextIO | None) -> Iterator[str]:
    """Standard input's lines; none when there is no standard input at all."""
    if stdin is None or stdin.closed:
        return iter(())
    buffer = getattr(stdin, "buffer", None)
    return stream_lines(buffer) if buffer is not None else iter(stdin.readline, "")
