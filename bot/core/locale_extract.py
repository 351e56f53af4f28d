"""A `pybabel extract` method that reads the English catalogue as a source of message keys.

Code names many keys at run time (`t(f"state_name.{state}")`, one per command option), which
no source scan can see, so the template is the English catalogue's keys plus every literal key
in the code; each entry carries the English sentence as a comment for translators. Wired in
`babel.cfg` under `[extractors]`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any, BinaryIO

from babel.messages.pofile import read_po


def extract_english(
    fileobj: BinaryIO,
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str | tuple[str, str], list[str]]]:
    """Yield each key of an English `.po` file as `t(key)`, or `tn(key, n)` when it has plurals."""
    for message in read_po(fileobj, locale="en"):
        if not message.id:
            continue
        line = message.lineno or 0
        if message.pluralizable:
            key = message.id[0]
            yield line, "tn", (key, key), [f"en: {form}" for form in message.string]
        else:
            yield line, "t", message.id, [f"en: {message.string}"]
