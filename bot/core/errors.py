"""Errors whose message is safe, and meant, to be shown to the user who caused them."""

from __future__ import annotations

from typing import Any

from bot.core.messages import t


class DomainError(Exception):
    """A refusal by the core: a catalogue key plus the values its sentence needs."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    @property
    def message(self) -> str:
        return t(self.key, **self.params)

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
