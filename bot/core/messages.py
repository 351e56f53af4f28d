"""The message catalogue: every word the bot says to people, keyed by message id.

The catalogue is a gettext catalogue per interface language, `locale/<lang>/LC_MESSAGES/hanno.po`,
managed with Babel (`pybabel extract/update`, see README "Translating hanno") so a community can
translate it in Weblate or Crowdin. The msgid is the message key the code passes to `t()`
(monolingual gettext: `en` holds the English sentences and is the template translators work
from). The `.po` files are read at first use, so a fresh `pip install -e .` needs no build step.

Whose language: a front end makes the person's language the *active* one while it handles
their event (`speaking(...)`, like Django's `translation.override`; a context variable, so each
asyncio task has its own), and switches to the space's language for channel posts. `t()` without
a language uses the active one; English is the default and the fallback: a key missing (or
untranslated, or fuzzy) in another language is said in English rather than not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from gettext import c2py
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "hanno"
DEFAULT_LANGUAGE = "en"

Text = str | tuple[str, ...]

_active: ContextVar[str] = ContextVar("hanno_language", default=DEFAULT_LANGUAGE)


def active_language() -> str:
    """The language `t()` speaks when it is not told one."""
    return _active.get()


def use_language(tag: str | None) -> str:
    """Make `tag`'s interface language the active one for the rest of this task (or session)."""
    language = negotiate(tag)
    _active.set(language)
    return language


@contextmanager
def speaking(tag: str | None) -> Iterator[str]:
    """Speak `tag`'s interface language inside the block (a channel post in the space's)."""
    previous = _active.get()
    token = _active.set(negotiate(tag))
    try:
        yield _active.get()
    finally:
        try:
            _active.reset(token)
        except ValueError:  # left in another task's context than it was entered in
            _active.set(previous)


@dataclass(frozen=True)
class Catalogue:
    """One language's sentences: a string per key, or a tuple of plural forms."""

    language: str
    messages: dict[str, Text]
    plural: Callable[[int], int]

    def get(self, key: str) -> Text | None:
        return self.messages.get(key)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def load(language: str) -> Catalogue:
    """Read `language`'s `.po` file once; untranslated and fuzzy entries are left out."""
    path = po_path(language)
    if not path.is_file():
        return Catalogue(language, {}, lambda n: 0)
    with path.open("rb") as fh:
        po = read_po(fh, locale=language, domain=DOMAIN)
    messages: dict[str, Text] = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue
        if message.pluralizable:
            key = message.id[0]
            forms = tuple(message.string)
            if all(forms):
                messages[key] = forms
        elif message.string:
            messages[message.id] = message.string
    return Catalogue(language, messages, c2py(po.plural_expr))


def languages() -> list[str]:
    """The interface languages that have a catalogue, English first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [DEFAULT_LANGUAGE, *(lang for lang in found if lang != DEFAULT_LANGUAGE)]


@cache
def negotiate(tag: str | None) -> str:
    """The interface language for a locale tag as platforms give it ("ja", "ja-JP", "ja_JP.UTF-8").

    Anything without a catalogue, or nothing at all, is English.
    """
    if not tag:
        return DEFAULT_LANGUAGE
    primary = tag.replace("_", "-").split(".")[0].split("-")[0].lower()
    return primary if primary in languages() else DEFAULT_LANGUAGE


def has(key: str) -> bool:
    """Whether the catalogue has `key` (English has every key)."""
    return key in load(DEFAULT_LANGUAGE).messages


def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """`language`'s sentences by key (plural messages by their last, "many" form)."""
    return {
        key: text if isinstance(text, str) else text[-1]
        for key, text in load(language).messages.items()
    }


def _lookup(key: str, language: str | None) -> tuple[Text, Catalogue]:
    language = language or _active.get()
    if language != DEFAULT_LANGUAGE:
        found = load(language)
        text = found.get(key)
        if text is not None:
            return text, found
    english = load(DEFAULT_LANGUAGE)
    text = english.get(key)
    if text is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    return text, english


def t(key: str, /, language: str | None = None, **params: Any) -> str:
    """The sentence for `key` in `language` (default: the active one), with params filled in.

    A message with plural forms takes its number from the `count` param; use `tn` when the
    number that decides the form has another name.
    """
    text, found = _lookup(key, language)
    if not isinstance(text, str):
        if "count" not in params:
            raise TypeError(f"message {key!r} has plural forms: pass count= or use tn()")
        text = _form(text, found, params["count"])
    return text.format(**params) if params else text


def tn(key: str, n: int, /, language: str | None = None, **params: Any) -> str:
    """The sentence for `key` in the plural form `n` calls for (ngettext), with params filled in."""
    text, found = _lookup(key, language)
    if not isinstance(text, str):
        text = _form(text, found, n)
    return text.format(**params)


def _form(forms: tuple[str, ...], found: Catalogue, n: int) -> str:
    index = found.plural(abs(int(n)))
    return forms[min(index, len(forms) - 1)]
