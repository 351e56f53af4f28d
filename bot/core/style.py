"""Japanese style checks on translations: warnings for a reviewer, never refusals.

Four checks: text left in the source language (a run of Latin-script words that is no name in
the glossary), a register that does not fit (です/ます among タメ口, or against the team's
setting), a length far from the original's, and unbalanced 「」『』（）【】. The register is read
from a real morphological analysis, given as a `Tokenizer` (`bot/assist/tokenizer.py`), since
です/ます cannot be told from a verb ending in "す" or a quoted greeting by pattern alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Protocol

from pydantic import Field

from bot.core.assist import GlossaryEntry, Register
from bot.core.messages import t
from bot.core.models import Frozen


class Token(NamedTuple):
    """One morpheme as a UniDic-style analysis gives it."""

    surface: str
    pos: str  # 品詞 (動詞, 助動詞, 助詞, 補助記号 …)
    pos_detail: str  # 品詞細分類 (終助詞, 句点 …)
    conjugation: str  # 活用型 (助動詞-デス, 助動詞-マス …)
    form: str  # 活用形 (終止形-一般 …)


class Tokenizer(Protocol):
    def tokenize(self, text: str) -> list[Token]: ...


class StyleSettings(Frozen):
    """The team's expectations; `speech` None follows the majority of the article."""

    speech: Register | None = Register.CASUAL
    min_ratio: float = Field(0.15, gt=0)
    max_ratio: float = Field(1.5, gt=0)
    min_original: int = Field(20, ge=1)
    latin_run_words: int = Field(2, ge=1)


class StyleWarning(Frozen):
    """One finding: its catalogue key (`style.*`) and the values its sentence needs."""

    key: str
    params: dict[str, Any] = Field(default_factory=dict)

    def message(self, language: str | None = None) -> str:
        return t(self.key, language, **self.params)


class RegisterProfile(NamedTuple):
    """How many sentences of a text speak politely, how many casually (the rest: neither)."""

    polite: int
    casual: int
    polite_example: str = ""

    @property
    def dominant(self) -> Register | None:
        if self.polite and not self.casual:
            return Register.POLITE
        if self.casual and not self.polite:
            return Register.CASUAL
        return None


POLITE_AUXILIARIES = frozenset({"助動詞-デス", "助動詞-マス"})
PREDICATES = frozenset({"動詞", "形容詞", "助動詞"})
SENTENCE_ENDS = frozenset("。！？!?…\n")
OPENERS = {"「": "」", "『": "』", "（": "）", "【": "】"}
CLOSERS = {close: open_ for open_, close in OPENERS.items()}
QUOTES = {"「": "」", "『": "』"}
LATIN = "A-Za-zÀ-ÖØ-öø-ɏＡ-Ｚａ-ｚ"
WORD = rf"[{LATIN}][{LATIN}0-9０-９'’\-]*"
LATIN_RUN = re.compile(rf"{WORD}(?:[ \t,.;:!?&/\"'’\-]+{WORD})*")
WORD_RE = re.compile(WORD)
SKIPPED = re.compile(r"https?://\S+|www\.\S+|[@#][\w.]+")
SPACE = re.compile(r"\s+")


def register_profile(text: str, tokenizer: Tokenizer) -> RegisterProfile:
    """Count polite and casual sentences, leaving out what is quoted in 「」『』."""
    polite = casual = 0
    example = ""
    for sentence in _sentences(text, tokenizer):
        if any(token.conjugation in POLITE_AUXILIARIES for token in sentence):
            polite += 1
            example = example or "".join(token.surface for token in sentence)
        elif any(_casual(token) for token in sentence):
            casual += 1
    return RegisterProfile(polite, casual, example)


def _casual(token: Token) -> bool:
    if token.pos_detail == "終助詞":
        return True
    return token.pos in PREDICATES and token.form.startswith(("終止形", "命令形"))


def _sentences(text: str, tokenizer: Tokenizer) -> Iterable[list[Token]]:
    for line in text.splitlines():
        if not line.strip():
            continue
        current: list[Token] = []
        quoted: list[str] = []
        for token in tokenizer.tokenize(line):
            surface = token.surface
            if surface in QUOTES:
                quoted.append(QUOTES[surface])
                continue
            if quoted:
                if surface == quoted[-1]:
                    quoted.pop()
                continue
            if token.pos_detail == "句点" or surface in SENTENCE_ENDS:
                if current:
                    yield current
                current = []
                continue
            current.append(token)
        if current:
            yield current


def latin_runs(text: str, glossary: Sequence[GlossaryEntry], min_words: int) -> list[str]:
    """Runs of at least `min_words` Latin-script words that no glossary term explains."""
    cleaned = SKIPPED.sub(" ", text)
    terms = sorted(
        {term for entry in glossary for term in (entry.source, entry.target) if term.strip()},
        key=len,
        reverse=True,
    )
    for term in terms:
        cleaned = re.sub(re.escape(term), "\u3000", cleaned, flags=re.IGNORECASE)
    found = []
    for match in LATIN_RUN.finditer(cleaned):
        run = match.group(0).strip(" \t,.;:!?&/\"'’-")
        if len(WORD_RE.findall(run)) >= min_words:
            found.append(run)
    return found


def unbalanced_bracket(text: str) -> str | None:
    """The first bracket of 「」『』（）【】 left open or closed without an opener, if any."""
    stack: list[str] = []
    for char in text:
        if char in OPENERS:
            stack.append(char)
        elif char in CLOSERS:
            if not stack or stack[-1] != CLOSERS[char]:
                return char
            stack.pop()
    return stack[-1] if stack else None


def length_ratio(original: str, translation: str) -> float:
    """Characters of the translation per character of the original, spaces left out."""
    size = len(SPACE.sub("", original))
    return len(SPACE.sub("", translation)) / size if size else 0.0


def check_translation(
    original: str,
    translation: str,
    *,
    tokenizer: Tokenizer | None,
    settings: StyleSettings,
    glossary: Sequence[GlossaryEntry] = (),
    expected: Register | None = None,
    profile: RegisterProfile | None = None,
) -> list[StyleWarning]:
    """Every warning for one translation; `expected` is the register it should be in (the
    team's, or the article's majority), None to check only that it does not mix the two.
    Without a tokenizer the register is not checked."""
    warnings: list[StyleWarning] = []
    runs = latin_runs(translation, glossary, settings.latin_run_words)
    if runs:
        warnings.append(StyleWarning(key="style.source_language", params={"text": _cut(runs[0])}))
    if profile is None:
        profile = register_profile(translation, tokenizer) if tokenizer else RegisterProfile(0, 0)
    if profile.polite and profile.casual:
        warnings.append(
            StyleWarning(key="style.register_mixed", params={"text": _cut(profile.polite_example)})
        )
    elif expected is not None and profile.dominant not in (None, expected):
        warnings.append(StyleWarning(key=f"style.register_{profile.dominant.value}"))
    if len(SPACE.sub("", original)) >= settings.min_original:
        ratio = length_ratio(original, translation)
        if ratio > settings.max_ratio:
            warnings.append(StyleWarning(key="style.too_long", params={"ratio": f"{ratio:.1f}"}))
        elif ratio < settings.min_ratio:
            warnings.append(StyleWarning(key="style.too_short", params={"ratio": f"{ratio:.2f}"}))
    bracket = unbalanced_bracket(translation)
    if bracket is not None:
        warnings.append(StyleWarning(key="style.brackets", params={"bracket": bracket}))
    return warnings


def majority_register(profiles: Iterable[RegisterProfile]) -> Register | None:
    """The register most translations are written in; None when there is no clear one."""
    polite = casual = 0
    for profile in profiles:
        if profile.dominant is Register.POLITE:
            polite += 1
        elif profile.dominant is Register.CASUAL:
            casual += 1
    if polite == casual:
        return None
    return Register.POLITE if polite > casual else Register.CASUAL


def check_draft(
    items: Sequence[tuple[int, str, str]],
    *,
    tokenizer: Tokenizer | None,
    settings: StyleSettings,
    glossary: Sequence[GlossaryEntry] = (),
) -> dict[int, list[StyleWarning]]:
    """Warnings per comment number for a whole draft of (number, original, translation).

    Each translation is held against the team's register, or, where the team follows the
    article, against the register most of the draft is written in.
    """
    profiles = {
        number: register_profile(text, tokenizer) if tokenizer else RegisterProfile(0, 0)
        for number, _, text in items
    }
    expected = settings.speech or majority_register(profiles.values())
    found: dict[int, list[StyleWarning]] = {}
    for number, original, text in items:
        warnings = check_translation(
            original,
            text,
            tokenizer=tokenizer,
            settings=settings,
            glossary=glossary,
            expected=expected,
            profile=profiles[number],
        )
        if warnings:
            found[number] = warnings
    return found


class StyleChecker:
    """The style checks as the workflow runs them: the tokenizer (None leaves the register
    unchecked) and the team's settings, handed in by `bot/wiring.py`."""

    def __init__(
        self, tokenizer: Tokenizer | None = None, settings: StyleSettings | None = None
    ) -> None:
        self.tokenizer = tokenizer
        self.settings = settings or StyleSettings()

    def translation(
        self, original: str, text: str, glossary: Sequence[GlossaryEntry], others: Sequence[str]
    ) -> list[StyleWarning]:
        """Warnings for one submitted translation, held against the team's register or, where
        the team follows the article, the register of the article's `others` translations."""
        expected = self.settings.speech
        if expected is None and self.tokenizer is not None:
            expected = majority_register(register_profile(o, self.tokenizer) for o in others)
        return check_translation(
            original,
            text,
            tokenizer=self.tokenizer,
            settings=self.settings,
            glossary=glossary,
            expected=expected,
        )

    def draft(
        self, items: Sequence[tuple[int, str, str]], glossary: Sequence[GlossaryEntry]
    ) -> dict[int, list[StyleWarning]]:
        return check_draft(
            items, tokenizer=self.tokenizer, settings=self.settings, glossary=glossary
        )

    def speech(self, translations: Sequence[str]) -> Register:
        """The register machine drafts should be written in: the team's, else the article's."""
        if self.settings.speech is not None:
            return self.settings.speech
        if self.tokenizer is not None:
            found = majority_register(register_profile(t, self.tokenizer) for t in translations)
            if found is not None:
                return found
        return Register.CASUAL


def _cut(text: str, size: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"
