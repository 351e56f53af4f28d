"""What the core asks of a machine-translation service, and what it gets back.

The core drafts translations through `TranslationProvider`; `bot/assist/` holds one module per
service (DeepL, OpenAI-compatible chat models) and `bot/wiring.py` hands the configured one in.
A provider's fault is an `AssistFailed` with a sentence for the user; nothing is stored then.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

from bot.core.errors import DomainError
from bot.core.models import Frozen


class Register(StrEnum):
    """How the translations speak: タメ口 (casual, the default) or です/ます (polite)."""

    CASUAL = "casual"
    POLITE = "polite"


class GlossaryEntry(Frozen):
    """A team's fixed rendering of a name or recurring term (e.g. a minister's name in katakana)."""

    source: str
    target: str
    note: str = ""


class DraftRequest(Frozen):
    """One comment to draft: its text, language (empty when unknown) and the commenter's voice."""

    number: int
    text: str
    language: str = ""
    persona: str = ""
    flags: str = ""


class DraftContext(Frozen):
    """What every comment of one article shares: the story, the voice, the names."""

    title: str = ""
    lead: str = ""
    target_language: str = "ja"
    speech: Register = Register.CASUAL
    glossary: tuple[GlossaryEntry, ...] = ()
    team: str = ""  # whose glossary it is: a service keeps one copy per team, the newest


class MachineDraft(Frozen):
    number: int
    text: str


class TranslationProvider(Protocol):
    """A machine-translation service.

    `translate` gets at most `batch_size` comments and answers with one draft per comment, in
    any order, in as few requests as the service allows; the core splits larger jobs and runs
    up to `concurrency` of them at once. Faults raise `AssistFailed`.
    """

    name: str
    model: str
    batch_size: int
    concurrency: int

    async def translate(
        self, requests: Sequence[DraftRequest], context: DraftContext
    ) -> list[MachineDraft]: ...


class AssistFailed(DomainError):
    """The translation service failed; the key says how (`assist.fault.*`), nothing changed."""


def chunks(items: Sequence[DraftRequest], size: int) -> list[Sequence[DraftRequest]]:
    """`items` in consecutive slices of at most `size`."""
    size = max(1, size)
    return [items[start : start + size] for start in range(0, len(items), size)]
