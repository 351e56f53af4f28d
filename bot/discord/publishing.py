"""Posting an article's parts to Discord so that no part is ever posted twice.

The core posts only parts it has not recorded; what it cannot know is whether a post whose
answer never came (a timeout, a 5xx after Discord had already created the message, a crash)
landed. discord.py retries 5xx and 429 on its own, which would duplicate such a post, so:

- every part carries a nonce derived from (guild, article, part, text) with `enforce_nonce`:
  Discord answers a repeated post within a few minutes with the first message instead of a
  new one, which makes discord.py's own retries, and ours, safe;
- each part has a time limit (discord.py would otherwise wait up to five minutes on a hung
  request, and 5xx retries take 25 s): past it the publish stops and the moderator is told;
- the first part of every run first looks at the bot's newest message in the channel: if it
  is exactly this part (posted by a run whose answer was lost), it is recorded, not reposted.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging

import discord

from bot.discord.base import NO_MENTIONS

log = logging.getLogger("bot.discord.publish")

PART_TIMEOUT = 30.0  # seconds for one part, discord.py's retries included
HISTORY_LOOKBACK = 5


class PostTimedOut(Exception):
    """Discord did not confirm a part in time; it may or may not have landed."""


def part_nonce(space: str, article: int, index: int, text: str) -> str:
    """Discord allows 25 characters; the same part always gets the same nonce."""
    digest = hashlib.sha256(f"{space}:{article}:{index}:{text}".encode()).hexdigest()
    return "h" + digest[:24]


class PartPoster:
    """The core's `poster` for one publish run into one channel."""

    def __init__(self, channel: discord.TextChannel, space: str, article: int, *, me: int) -> None:
        self.channel = channel
        self.me = me  # the bot's user id: only its own messages can be an earlier part
        self.space = space
        self.article = article
        self._first = True

    async def __call__(self, index: int, text: str) -> str:
        if self._first:
            self._first = False
            landed = await self._already_posted(text)
            if landed is not None:
                log.info(
                    "article %s part %s was posted by an earlier run (message %s); recording it",
                    self.article,
                    index,
                    landed,
                )
                return landed
        nonce = part_nonce(self.space, self.article, index, text)
        try:
            async with asyncio.timeout(PART_TIMEOUT):
                message = await self.channel.send(text, nonce=nonce, allowed_mentions=NO_MENTIONS)
        except TimeoutError:
            raise PostTimedOut(f"part {index + 1} not confirmed within {PART_TIMEOUT:g}s") from None
        return str(message.id)

    async def _already_posted(self, text: str) -> str | None:
        """The bot's newest message here, if it is exactly `text`."""
        async with asyncio.timeout(PART_TIMEOUT):
            async for message in self.channel.history(limit=HISTORY_LOOKBACK):
                if message.author.id == self.me:
                    return str(message.id) if message.content == text else None
        return None
