"""The Discord client: loads the cogs, registers the persistent buttons, syncs the commands.

The bot holds the core service but no rules: cogs and buttons translate Discord events into
service calls, and the notifier turns the core's events back into Discord messages.
"""

from __future__ import annotations

import base64
import binascii
import logging
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.config import ConfigError, Settings
from bot.core.messages import t, tn
from bot.core.policy import RolePolicy
from bot.core.scheduling import SchedulerRunner
from bot.core.service import HannoService
from bot.discord.base import NO_MENTIONS, ChannelKind, speak_to
from bot.discord.errors import report_error
from bot.discord.items import DYNAMIC_ITEMS
from bot.discord.notifier import DiscordNotifier
from bot.discord.options import option_problem
from bot.discord.stale import answer_if_unhandled
from bot.discord.translator import CatalogueTranslator
from bot.runtime import Unreachable, settle_heap

log = logging.getLogger("bot.discord")

COGS = (
    "cogs.articles",
    "cogs.comments",
    "cogs.translations",
    "cogs.glossary",
    "cogs.drafts",
    "cogs.team",
)

# What the bot does in a channel: read it, post, embed cards, and find its own messages.
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    read_message_history=True,
)
SCOPES = ("bot", "applications.commands")


class HannoTree(app_commands.CommandTree):
    """The command tree whose single error hook is the front end's safety net."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Speak the person's language; refuse options that do not fit the command's
        declaration (see options.py)."""
        speak_to(interaction)
        if interaction.type is not discord.InteractionType.application_command:
            return True
        command = interaction.command
        if not isinstance(command, app_commands.Command):
            return True
        problem = option_problem(command, dict(interaction.data or {}))
        if problem is None:
            return True
        log.info("refused /%s: %s", command.qualified_name, problem)
        await interaction.response.send_message(
            t("discord.error.bad_option"), ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        return False

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)


class HannoBot(commands.Bot):
    """hanno on Discord. No privileged intents: slash commands and buttons need none."""

    def __init__(
        self,
        settings: Settings,
        *,
        service: HannoService | None = None,
        sync_on_start: bool = True,
        coalesce_delay: float = 0.2,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            allowed_mentions=NO_MENTIONS,
            help_command=None,
            tree_cls=HannoTree,
            **options,
        )
        self.settings = settings
        self.language = settings.space_language()
        self.locales: dict[int, str] = {}
        self.notifier = DiscordNotifier(self, coalesce_delay=coalesce_delay)
        self._service = service
        self.sync_on_start = sync_on_start
        self.schedules: SchedulerRunner | None = None

    @property
    def service(self) -> HannoService:
        if self._service is None:
            raise RuntimeError("HannoBot.service used before a service was attached")
        return self._service

    @service.setter
    def service(self, value: HannoService) -> None:
        self._service = value

    async def setup_hook(self) -> None:
        await self.tree.set_translator(CatalogueTranslator())
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for extension in COGS:
            await self.load_extension(extension)
        if self.sync_on_start:
            await self.sync_commands()

    async def sync_commands(self) -> list[str]:
        """Configured guilds get the commands at once; without any, they go global (slow)."""
        synced: list[str] = []
        guild_ids = self.settings.discord.guild_ids
        if guild_ids:
            for guild_id in guild_ids:
                guild = discord.Object(guild_id)
                self.tree.copy_global_to(guild=guild)
                commands_ = await self.tree.sync(guild=guild)
                count = len(commands_)
                synced.append(tn("cli.discord.guild_commands", count, guild=guild_id, count=count))
        else:
            commands_ = await self.tree.sync()
            count = len(commands_)
            synced.append(tn("cli.discord.global_commands", count, count=count))
        for line in synced:
            log.info("synced %s", line)
        return synced

    async def on_ready(self) -> None:
        """Start the scheduler once the guilds (and so the channels) are known: what fell due
        while the bot was down fires now, and its announcements have somewhere to go."""
        if self.schedules is None:
            self.service.scheduler.serves = self.serves
            self.schedules = SchedulerRunner(self.service.scheduler)
            self.schedules.start()

    def serves(self, space: str) -> bool:
        """A guild of this process's shards: where its scheduler's announcements can go."""
        return space.isdigit() and self.get_guild(int(space)) is not None

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await answer_if_unhandled(interaction)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        self._check_roles(guild)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        self._check_roles(guild)

    def _check_roles(self, guild: discord.Guild) -> None:
        """Resolve configured role names to ids once, so a typo shows up in the log at start."""
        config = self.settings.discord
        for kind, entries in (
            ("moderator", config.moderator_roles),
            ("translator", config.translator_roles),
        ):
            for entry in entries:
                if entry.isdigit():
                    if guild.get_role(int(entry)) is None and guild.get_member(int(entry)) is None:
                        log.info("%s role id %s is not a role of %s", kind, entry, guild.name)
                    continue
                role = discord.utils.find(
                    lambda r, e=entry: r.name.lower() == e.lower(), guild.roles
                )
                if role is None:
                    log.warning("%s role %r does not exist in %s", kind, entry, guild.name)
                else:
                    log.info("%s role %r is id %s in %s", kind, entry, role.id, guild.name)

    def channel_for(self, space: str, kind: ChannelKind) -> discord.TextChannel | None:
        """The configured voting/review/publish channel of a guild, by id or by name."""
        guild = self.get_guild(int(space))
        if guild is None:
            return None
        configured = str(getattr(self.settings.discord, f"{kind}_channel")).lstrip("#")
        if configured.isdigit():
            channel = guild.get_channel(int(configured))
            return channel if isinstance(channel, discord.TextChannel) else None
        return discord.utils.get(guild.text_channels, name=configured)

    def channel_mention(self, space: str, kind: ChannelKind) -> str:
        channel = self.channel_for(space, kind)
        if channel is not None:
            return channel.mention
        return "#" + str(getattr(self.settings.discord, f"{kind}_channel")).lstrip("#")

    async def close(self) -> None:
        if self.schedules is not None:
            await self.schedules.stop()
        await self.notifier.close()
        await super().close()


def discord_policy(settings: Settings) -> RolePolicy:
    """Roles by id or name, as configured; actors carry both, so either matches."""
    return RolePolicy.of(
        moderators=settings.discord.moderator_roles,
        translators=settings.discord.translator_roles,
    )


def _token(settings: Settings) -> str:
    if settings.discord_token is None:
        raise ConfigError(t("cli.discord.no_token"))
    return settings.discord_token.get_secret_value()


def application_id_from_token(token: str) -> int:
    """A bot token starts with the bot's user id in base64; for bots that is the app id."""
    head = token.split(".", 1)[0]
    try:
        return int(base64.b64decode(head + "=" * (-len(head) % 4)).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ConfigError(t("cli.discord.bad_token")) from None


def invite_url(settings: Settings, application_id: int | None = None) -> str:
    """The OAuth2 URL a server admin opens to add the bot, with exactly what it needs."""
    app_id = (
        application_id
        or settings.discord.application_id
        or application_id_from_token(_token(settings))
    )
    return discord.utils.oauth_url(app_id, permissions=PERMISSIONS, scopes=SCOPES)


async def sync_commands(settings: Settings) -> None:
    """Log in over REST only, sync the slash commands, log out, and say what was synced
    (`hanno discord sync`)."""
    bot = HannoBot(settings, sync_on_start=False)
    async with bot:
        await _login(bot, _token(settings))
        for line in await bot.sync_commands():
            print(t("cli.discord.synced", what=line))


async def _login(bot: HannoBot, token: str) -> None:
    try:
        await bot.login(token)
    except (aiohttp.ClientError, OSError) as error:
        raise Unreachable("Discord", error) from None
    except discord.LoginFailure:
        raise ConfigError(t("cli.discord.refused_token")) from None


class ShardedHannoBot(HannoBot, commands.AutoShardedBot):
    """hanno on the shards `[discord] shard_ids` of `shard_count`: several processes each run
    some shards of one application, all on one PostgreSQL store."""


def make_bot(settings: Settings, **options: Any) -> HannoBot:
    """One client, or an AutoSharded one when `[discord] shard_count` is set (config or
    HANNO_DISCORD__SHARD_COUNT / HANNO_DISCORD__SHARD_IDS='[0, 1]' in the environment)."""
    config = settings.discord
    if config.shard_count is None:
        return HannoBot(settings, **options)
    return ShardedHannoBot(
        settings,
        shard_count=config.shard_count,
        shard_ids=config.shard_ids or list(range(config.shard_count)),
        **options,
    )


def point_at(base_url: str) -> None:
    """Send discord.py's REST calls and gateway connection to `base_url` (a test's fake)."""
    import discord.gateway
    import discord.http
    import yarl

    discord.http.Route.BASE = base_url.rstrip("/") + "/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(
        base_url.replace("http://", "ws://").rstrip("/") + "/gateway"
    )
    discord.asset.Asset.BASE = base_url


async def run_discord(settings: Settings, *, store: Any = None, health: Any = None) -> None:
    """Run hanno on Discord until stopped (`hanno run --platform discord`), on `store` when
    given (shared with other front ends), reporting its connection to `health`."""
    from bot.wiring import open_service

    token = _token(settings)
    if settings.discord.api_url:
        point_at(settings.discord.api_url)
    bot = make_bot(settings)
    async with open_service(
        settings, policy=discord_policy(settings), notifier=bot.notifier, store=store
    ) as svc:
        bot.service = svc
        async with bot:
            await _login(bot, token)
            settle_heap()
            if health is not None:
                health.register("discord", lambda: bot.is_ready() and not bot.is_closed())
            try:
                await bot.connect()
            finally:
                if health is not None:
                    health.unregister("discord")
