"""Reading console scripts and piped input as the bytes people's editors really write.

A script saved by Windows Notepad may start with a byte-order mark or be Shift_JIS (cp932);
both are read. Anything else is refused with one sentence naming the file, instead of a
`UnicodeDecodeError` traceback.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from bot.core.messages import t

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# UTF-8 first: a UTF-8 file is almost never valid cp932 too, while the reverse is common.
_ENCODINGS = ("utf-8", "cp932")


class UnreadableInput(Exception):
    """Input in an encoding the console does not read; the message says what to do."""


def decode(data: bytes) -> str | None:
    """The text of `data` (UTF-8 or UTF-16 with a BOM, UTF-8, Shift_JIS), or None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_script(path: Path) -> list[str]:
    """The lines of a script file; raises UnreadableInput for an encoding it cannot read."""
    text = decode(path.read_bytes())
    if text is None:
        raise UnreadableInput(t("cli.script_encoding", file=path))
    return text.splitlines()


def stream_lines(stream: BinaryIO) -> Iterator[str]:
    """Lines of piped input, decoded one by one so that a long pipe is answered as it comes."""
    number = 0
    while raw := stream.readline():
        number += 1
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        text = decode(raw)
        if text is None:
            raise UnreadableInput(t("cli.stdin_encoding", line=number))
        yield text
