"""The Slack front end: a slack-bolt AsyncApp that turns Slack requests into core calls."""

from __future__ import annotations

from bot.slack.app import build_app, make_client
from bot.slack.runner import run_slack

__all__ = ["build_app", "make_client", "run_slack"]
