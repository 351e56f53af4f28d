"""What changed between two revisions of a translation, in units that suit Japanese.

Japanese has no spaces between words, so a word diff has nothing to split on and a character
diff shreds every change into single letters. A run of one script (漢字, ひらがな, カタカナ,
Latin letters, digits) is close to a word or a grammatical ending, so the diff compares runs:
`最高だよ` → `最高です` shows `[-だよ-]{+です+}`, not four one-letter edits.
"""

from __future__ import annotations

import difflib
import re
from typing import Literal, NamedTuple

RUN = re.compile(
    r"[\u4e00-\u9fff\u3400-\u4dbf々〆ヶ]+"  # 漢字
    r"|[\u3041-\u309f]+"  # ひらがな
    r"|[\u30a0-\u30ffー\uff66-\uff9f]+"  # カタカナ (full and half width)
    r"|[A-Za-z\uff21-\uff3a\uff41-\uff5a'’]+"  # Latin letters
    r"|[0-9\uff10-\uff19]+"  # digits
    r"|\s+"
    r"|.",  # anything else (punctuation, emoji parts) one by one
    re.DOTALL,
)


class Segment(NamedTuple):
    op: Literal["equal", "delete", "insert"]
    text: str


def runs(text: str) -> list[str]:
    """`text` cut into runs of one script."""
    return RUN.findall(text)


def diff(old: str, new: str) -> list[Segment]:
    """The segments that turn `old` into `new`, neighbours of one kind merged."""
    a, b = runs(old), runs(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            _push(segments, "equal", removed)
            continue
        # A run that only grew or shrank (いてる → いてるんだって) keeps what it shares.
        head = len(_common_prefix(removed, added))
        tail = len(_common_prefix(removed[head:][::-1], added[head:][::-1]))
        _push(segments, "equal", removed[:head])
        _push(segments, "delete", removed[head : len(removed) - tail])
        _push(segments, "insert", added[head : len(added) - tail])
        _push(segments, "equal", removed[len(removed) - tail :])
    return segments


def _common_prefix(a: str, b: str) -> str:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return a[:size]


def _push(segments: list[Segment], op: Literal["equal", "delete", "insert"], text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))


def marked(old: str, new: str) -> str:
    """The change as one line of text: `[-removed-]` and `{+added+}` inside what stayed."""
    parts = []
    for op, text in diff(old, new):
        if op == "delete":
            parts.append(f"[-{text}-]")
        elif op == "insert":
            parts.append(f"{{+{text}+}}")
        else:
            parts.append(text)
    return "".join(parts)
