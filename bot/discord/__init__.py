"""The Discord front end: the client, persistent buttons, modals, and the notifier.

Entry points for the CLI: `invite_url(settings)`, `sync_commands(settings)` and
`run_discord(settings)`.
"""

from __future__ import annotations

from bot.discord.client import HannoBot, discord_policy, invite_url, run_discord, sync_commands

__all__ = ["HannoBot", "discord_policy", "invite_url", "run_discord", "sync_commands"]
