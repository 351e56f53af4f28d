"""The Japanese tokenizer behind the core's style checks: MeCab through fugashi, with the
UniDic-lite dictionary that installs from the package index.

The dictionary is loaded once per process (a few milliseconds) and the tagger reused: a
60-reaction draft is analysed in a few milliseconds.
"""

from __future__ import annotations

from functools import cache

import fugashi

from bot.core.style import Token


class FugashiTokenizer:
    """`bot.core.style.Tokenizer` on fugashi's UniDic tagger."""

    def __init__(self) -> None:
        self._tagger = fugashi.Tagger()

    def tokenize(self, text: str) -> list[Token]:
        tokens = []
        for word in self._tagger(text):
            feature = word.feature
            tokens.append(
                Token(
                    word.surface,
                    feature.pos1 or "",
                    feature.pos2 or "",
                    feature.cType or "",
                    feature.cForm or "",
                )
            )
        return tokens


@cache
def japanese_tokenizer() -> FugashiTokenizer:
    """The process's one tokenizer, loaded on first use."""
    return FugashiTokenizer()
