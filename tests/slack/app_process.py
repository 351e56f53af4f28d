"""hanno's Slack front end in a process of its own, pointed at a fake Slack (crash tests).

`python -m tests.slack.app_process` reads HANNO_API_URL (the fake's Web API base URL) and
HANNO_SETTINGS (Settings as JSON, without secrets) from the environment, with
SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET as in production, runs `run_slack` in HTTP mode on
127.0.0.1 until killed, and prints READY once it is serving.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys

from bot.config import Settings
from bot.slack import run_slack


class _ReadyLine(logging.Handler):
    """Print READY when run_slack says it is serving (the tests wait for it)."""

    def emit(self, record: logging.LogRecord) -> None:
        if "serving Slack at" in record.getMessage():
            print("READY", flush=True)


def main() -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    logging.getLogger("bot.slack.runner").addHandler(_ReadyLine())
    settings = Settings.model_validate(json.loads(os.environ["HANNO_SETTINGS"]))
    asyncio.run(run_slack(settings, host="127.0.0.1", api_url=os.environ["HANNO_API_URL"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
