"""The console front end: people from the config type `name: /command …`, one per line.

It is the same bot as on Discord and Slack (the dispatcher and service decide everything);
this module only reads lines, knows who is speaking, and prints what the bot says.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
import unicodedata
from collections.abc import Iterable
from typing import TextIO

from bot.config import Settings
from bot.console.notifier import CONSOLE_COMMAND
from bot.core.dispatch import Dispatcher
from bot.core.errors import DomainError
from bot.core.grammar import help_text
from bot.core.import_replies import progress_text
from bot.core.messages import t
from bot.core.models import Actor
from bot.core.service import HannoService

log = logging.getLogger(__name__)

PROGRESS_EVERY = 1.0  # seconds between progress lines of a long import


class ConsolePublishTarget:
    """Publishing on the console prints each part to the publish channel."""

    def __init__(self, out: TextIO, channel: str, limit: int) -> None:
        self.out = out
        self.channel = channel
        self.limit = limit

    @property
    def mention(self) -> str:
        return f"#{self.channel}"

    async def post(self, index: int, text: str) -> str:
        print(f"[#{self.channel}] {text}", file=self.out, flush=True)
        return f"console-{index + 1}"


class ConsoleSession:
    def __init__(self, service: HannoService, settings: Settings, out: TextIO) -> None:
        self.service = service
        self.settings = settings
        self.out = out
        self.people = {person_key(p.name): p.name for p in settings.console.people}
        self.dispatcher = Dispatcher(
            service,
            resolve_user=self._resolve,
            publish_target=ConsolePublishTarget(
                out, settings.console.channels.publish, settings.console.message_limit
            ),
            write_command=CONSOLE_COMMAND,
        )
        self.failures = 0
        self._last_progress = 0.0

    def actor(self, name: str) -> Actor:
        return Actor(
            space=self.settings.console.space, user_id=name, name=name, tags=frozenset({name})
        )

    async def _resolve(self, space: str, text: str) -> Actor | None:
        name = self.people.get(person_key(text.strip().lstrip("@＠")))
        return self.actor(name) if name else None

    def say(self, text: str) -> None:
        print(f"→ {text}", file=self.out, flush=True)

    async def handle(self, line: str) -> None:
        """One logical line: blank lines and `#` comments are skipped.

        `aiko：／vote 1 up`, as a Japanese keyboard types it, is read like `aiko: /vote 1 up`;
        a bare `help` (nobody speaking) prints the help.
        """
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "＃")):
            return
        if _BARE_HELP.match(stripped):
            self.say(self._help(stripped))
            return
        speaker, sep, rest = _SPEAKER.match(stripped).groups()
        if not sep or not speaker.strip() or re.search(r"\s", speaker.strip()):
            self._refuse(t("console.no_speaker", example=self._example()))
            return
        name = self.people.get(person_key(speaker))
        if name is None:
            self._refuse(
                t(
                    "console.unknown_person",
                    name=speaker.strip()[:40],
                    people=", ".join(self.people.values()),
                )
            )
            return
        command = rest.strip()
        if not command.startswith(("/", "／")):
            self._refuse(t("console.no_slash", example=f"{name}: /help"))
            return
        try:
            outcome = await self.dispatcher.run(
                self.actor(name), command[1:], progress=self._progress, report=self._report
            )
        except DomainError as error:
            self._refuse(error.message_for(CONSOLE_COMMAND))
            return
        except Exception:
            ref = secrets.token_hex(2)
            log.exception("console command failed (ref %s)", ref)
            self._refuse(t("error.unexpected", ref=ref))
            return
        self.say(outcome.reply)

    def _help(self, line: str) -> str:
        words = line.lstrip("/／").split()[1:]
        try:
            text = help_text(" ".join(words) or None)
        except DomainError as error:
            return error.message_for(CONSOLE_COMMAND)
        return text + "\n" + t("console.help_speaker", example=self._example())

    async def _progress(self, count: int) -> None:
        """A long import prints that it started, then how far it has come once a second."""
        moment = time.monotonic()
        if count == 0 or moment - self._last_progress >= PROGRESS_EVERY:
            self._last_progress = moment
            self.say(progress_text(count))

    async def _report(self, text: str) -> None:
        """How far a batch of machine drafts has come."""
        self.say(text)

    def _refuse(self, message: str) -> None:
        self.failures += 1
        self.say(message)

    def _example(self) -> str:
        first = next(iter(self.people.values()), "aiko")
        return f"{first}: /article list"

    async def run_lines(self, lines: Iterable[str]) -> None:
        for line in logical_lines(lines):
            await self.handle(line)


# `name: …` or `name：…`: the name is whatever comes before the first colon of either width.
_SPEAKER = re.compile(r"([^:：]*)([:：]?)(.*)", re.DOTALL)
_BARE_HELP = re.compile(r"[/／]?(help|ｈｅｌｐ)(\s.*)?", re.DOTALL | re.IGNORECASE)


def person_key(name: str) -> str:
    """How a typed name is matched to a configured person: full-width letters and case aside."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def continues(line: str) -> bool:
    """Whether a typed line goes on in the next one: it ends in one backslash."""
    return line.endswith("\\") and not line.endswith("\\\\")


def logical_lines(lines: Iterable[str]) -> Iterable[str]:
    """Join lines ending in a backslash with the next one, keeping the line break."""
    pending: list[str] = []
    for raw in lines:
        line = raw.rstrip("\n").rstrip("\r")
        if continues(line):
            pending.append(line[:-1])
            continue
        pending.append(line)
        yield "\n".join(pending)
        pending = []
    if pending:
        yield "\n".join(pending)
