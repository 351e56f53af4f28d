"""The console for a person at a terminal: line editing, history and completion.

prompt_toolkit reads the keyboard in raw mode, so arrow keys move the cursor, Up recalls
earlier lines, Tab completes names and command words, and a long paste is read whole (the
terminal's own line editor cuts lines at 4,095 characters). Ctrl-C abandons the line being
typed and keeps the console running; Ctrl-D on an empty line quits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import InMemoryHistory

from bot.console.session import ConsoleSession, continues
from bot.core.grammar import COMMANDS
from bot.core.messages import t

PROMPT = "hanno> "
CONTINUATION = "...> "

_NAME = re.compile(r"\s*([^\s:：]*)")
_COMMAND = re.compile(r"\s*[^\s:：]+[:：]\s*[/／](\S*(?: \S*)?)")


class CommandCompleter(Completer):
    """Completes who speaks (`ai` → `aiko: /`) and, after the slash, the command words."""

    def __init__(self, people: Iterable[str]) -> None:
        self.people = sorted(people)
        self.commands = sorted(COMMANDS)

    def get_completions(self, document: Document, event: CompleteEvent) -> Iterator[Completion]:
        before = document.text_before_cursor
        name = _NAME.fullmatch(before)
        if name:
            typed = name.group(1)
            for person in self.people:
                if person.casefold().startswith(typed.casefold()):
                    yield Completion(f"{person}: /", start_position=-len(typed))
            return
        command = _COMMAND.fullmatch(before)
        if command:
            typed = command.group(1)
            for word in self.commands:
                if word.startswith(typed.lower()):
                    yield Completion(word + " ", start_position=-len(typed))


async def run_terminal(session: ConsoleSession) -> None:
    """Read and answer lines until Ctrl-D (or end of input)."""
    prompt: PromptSession[str] = PromptSession(
        history=InMemoryHistory(),
        completer=CommandCompleter(session.people.values()),
        complete_while_typing=False,
    )
    pending: list[str] = []
    while True:
        try:
            line = await prompt.prompt_async(CONTINUATION if pending else PROMPT)
        except KeyboardInterrupt:
            pending.clear()
            print(t("console.cancelled"), file=session.out, flush=True)
            continue
        except EOFError:
            print(t("console.goodbye"), file=session.out, flush=True)
            return
        if continues(line):
            pending.append(line[:-1])
            continue
        pending.append(line)
        logical = "\n".join(pending)
        pending.clear()
        await session.handle(logical)
