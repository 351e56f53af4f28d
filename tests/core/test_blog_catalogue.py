"""The sentences of styles and blogs exist in English and Japanese with the same placeholders."""

from __future__ import annotations

import string
import tomllib
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "bot" / "core" / "locale"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("name", ["blogs.toml", "targets.toml", "styles.toml"])
def test_every_sentence_is_in_both_languages(name: str) -> None:
    english = tomllib.loads((LOCALE / "en" / name).read_text(encoding="utf-8"))
    japanese = tomllib.loads((LOCALE / "ja" / name).read_text(encoding="utf-8"))
    assert english.keys() == japanese.keys()
    for key, text in english.items():
        assert _fields(text) == _fields(japanese[key]), key
        words = "".join(literal for literal, *_ in string.Formatter().parse(text))
        assert japanese[key] != text or not any(c.isalpha() for c in words), key
