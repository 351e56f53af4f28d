"""Errors whose message is safe, and meant, to be shown to the user who caused them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.core.messages import has, t

# Params that hold a word or phrase of the code's own ("close voting", "title") rather than
# the user's data: each is said through the catalogue key `<prefix>.<phrase as a slug>`.
WORD_PARAMS = {"action": "action", "field_name": "field"}


class DomainError(Exception):
    """A refusal by the core: a catalogue key plus the values its sentence needs."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    @property
    def message(self) -> str:
        """The sentence in the active language (the person's, set by the front end)."""
        return self.render()

    def render(self, language: str | None = None, write: Callable[[Any], str] | None = None) -> str:
        """The sentence in `language` (default: the active one); each suggested command (a
        `CommandHint`) written by `write`, the way the front end's people type commands, or
        in the neutral form without one."""
        params = {
            name: self._param(name, value, language, write) for name, value in self.params.items()
        }
        return t(self.key, language, **params)

    def message_for(self, write: Callable[[Any], str] | None) -> str:
        """The sentence in the active language with its commands written by `write`."""
        return self.render(write=write)

    @staticmethod
    def _param(
        name: str, value: Any, language: str | None, write: Callable[[Any], str] | None
    ) -> Any:
        if name in WORD_PARAMS:
            return phrase(WORD_PARAMS[name], value, language)
        if write is not None and hasattr(value, "words"):
            return write(value)
        return value

    def __str__(self) -> str:
        return self.message


class ParseError(DomainError):
    """The command line could not be understood."""


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    pass


class WrongState(DomainError):
    pass


class InvalidInput(DomainError):
    """A value that breaks a rule; `field` names the form field it belongs to, if any."""

    def __init__(self, key: str, /, field: str | None = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.field = field


class Conflict(DomainError):
    pass


def phrase(prefix: str, words: Any, language: str | None = None) -> str:
    """The code's phrase `words` in `language` ("close voting" -> 「投票を締め切る」)."""
    key = f"{prefix}." + re.sub(r"[^a-z0-9]+", "_", str(words).lower()).strip("_")
    return t(key, language) if has(key) else str(words)


class StoreUnavailable(DomainError):
    """The store could not read or write (a read-only, locked, damaged or full database).

    Nothing was changed; the sentence names the file and what the operator can do about it.
    """
