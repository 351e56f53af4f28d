"""The message catalogue: every word the bot says to people, keyed by message id.

Each interface language is a folder of TOML files under `locale/` (one file per area, so the
front ends keep their own words apart); together they form one catalogue. English comes
first and is the fallback, so adding Japanese is adding `locale/ja/`, not changing code.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).with_name("locale")
DEFAULT_LANGUAGE = "en"


@cache
def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    messages: dict[str, str] = {}
    folder = LOCALE_DIR / language
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            for key, value in tomllib.load(fh).items():
                if key in messages:
                    raise RuntimeError(f"message id {key!r} is defined twice ({path.name})")
                messages[key] = value
    return messages


def t(key: str, /, language: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The sentence for `key` in `language`, falling back to English, with params filled in."""
    text = catalogue(language).get(key) if language != DEFAULT_LANGUAGE else None
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    return text.format(**params) if params else text
