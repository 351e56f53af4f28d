"""hanno's Discord bot in a process of its own, pointed at a fake Discord (crash tests).

`python -m tests.discord.bot_process` reads HANNO_FAKE_URL (the fake's http://127.0.0.1:port),
HANNO_SETTINGS (Settings as JSON) and DISCORD_TOKEN from the environment, runs the real bot
until killed, and prints READY once the gateway is up and the commands are synced.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys

from bot.config import Settings
from bot.discord import run_discord
from bot.discord.client import point_at

point_at_fake = point_at  # the name other tests import (the function now lives in the bot)


class _ReadyLine(logging.Handler):
    """Print READY when discord.py says the session is up (the tests wait for it)."""

    def emit(self, record: logging.LogRecord) -> None:
        if "has connected to Gateway" in record.getMessage():
            print("READY", flush=True)


def main() -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    logging.getLogger("discord.client").addHandler(_ReadyLine())
    logging.getLogger("discord.gateway").addHandler(_ReadyLine())
    point_at(os.environ["HANNO_FAKE_URL"])
    settings = Settings.model_validate(json.loads(os.environ["HANNO_SETTINGS"]))
    asyncio.run(run_discord(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
