"""A fake Discord (gateway + REST) on 127.0.0.1 that a real discord.py client talks to.

Why: the Discord front end is only worth testing with the real library doing the real wire
work (interaction callbacks, webhooks, persistent views). This server plays Discord's part:
it serves the gateway websocket (HELLO, IDENTIFY -> READY, GUILD_CREATE, heartbeats, RESUME),
dispatches INTERACTION_CREATE for slash commands, autocomplete, buttons, selects, modals and
context menus, answers the REST routes the bot uses, records every call, and keeps the state
of every message so a test can read the latest card.

Bugs in the fake must not hide behind discord.py's retry-with-back-off on 5xx, so every
failure inside a handler (or an unknown route) is logged, kept in `fake.errors`, and answered
with a 4xx that makes the client fail at once.

Usage::

    async with DiscordFake() as fake:
        fake.patch(monkeypatch)          # point discord.py at the fake
        alice = fake.add_member("alice", roles=["Moderator"])
        ...client.start(fake.token)...
        ix = await fake.slash(alice, "article", "new", title="Hello")
        message = await ix.reply()
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

log = logging.getLogger("tests.discord_fake")

API_PREFIX = "/api/v10"

# The locales Discord accepts in name_localizations / description_localizations.
DISCORD_LOCALES = frozenset(
    "id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el "
    "bg ru uk hi th zh-CN ja zh-TW ko".split()
)
EPHEMERAL = 1 << 6

# Interaction and callback types (Discord API numbers).
PING, APP_COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
CB_MESSAGE, CB_DEFER, CB_DEFER_UPDATE, CB_UPDATE, CB_AUTOCOMPLETE, CB_MODAL = 4, 5, 6, 7, 8, 9

# Option types.
SUB_COMMAND, SUB_GROUP, STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = (
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
)


class FakeDiscordError(AssertionError):
    """A request the fake could not serve: a bug in the bot or in the fake."""


@dataclass
class Fault:
    """How the fake misbehaves on one message post (see `DiscordFake.fail_posts`).

    `status` 0 means no error status (use with `delay` for a slow but successful answer);
    with `after_create` the message is created before the error or delay, so the bot cannot
    know whether its post landed: the case where a blind retry would post a duplicate.
    """

    status: int = 500
    retry_after: float = 0.0
    delay: float = 0.0
    after_create: bool = False
    times: int | None = 1  # how many posts it hits; None: every post from now on


_snowflakes = itertools.count(1_300_000_000_000_000_000, 4097)


def snowflake() -> str:
    return str(next(_snowflakes))


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def _json_response(data: Any, status: int = 200) -> web.Response:
    # discord.py parses JSON only for the exact content type, without a charset.
    response = web.Response(body=json.dumps(data).encode(), status=status)
    response.headers["Content-Type"] = "application/json"
    return response


@dataclass(frozen=True)
class Call:
    """One REST request the bot made."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any
    at: float


@dataclass
class FakeUser:
    id: str
    name: str
    roles: list[str] = field(default_factory=list)  # role ids
    bot: bool = False
    locale: str = "en-US"  # the language of their Discord client, sent with each interaction

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.name,
            "global_name": self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class FakeInteraction:
    """An interaction the fake dispatched, and everything the bot answered to it."""

    fake: DiscordFake
    id: str
    token: str
    type: int
    user: FakeUser
    channel_id: str
    payload: dict[str, Any]
    sent_at: float = field(default_factory=time.monotonic)
    callback: dict[str, Any] | None = None
    answered_at: float | None = None
    original_id: str | None = None
    followup_ids: list[str] = field(default_factory=list)
    updated_message_id: str | None = None

    @property
    def latency(self) -> float | None:
        """Seconds between dispatch and the bot's callback (Discord allows 3)."""
        return None if self.answered_at is None else self.answered_at - self.sent_at

    async def response(self, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109
        """The callback body (type + data), once the bot has acknowledged."""
        await self.fake._until(lambda: self.callback is not None, timeout, self.describe())
        assert self.callback is not None
        return self.callback

    async def reply(self, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109
        """The first message the user sees as the answer: the immediate reply, the edited
        deferred reply, or the first followup; for an update, the updated message."""

        def ready() -> bool:
            if self.callback is None:
                return False
            kind = self.callback["type"]
            if kind == CB_MESSAGE:
                return True
            if kind == CB_UPDATE:
                return True
            if kind == CB_DEFER:
                msg = self.fake.messages.get(self.original_id or "")
                return bool(self.followup_ids) or bool(msg and not msg.get("_loading"))
            if kind == CB_DEFER_UPDATE:
                return bool(self.followup_ids) or self.updated_message_id is not None
            return False

        await self.fake._until(ready, timeout, f"a reply to {self.describe()}")
        assert self.callback is not None
        kind = self.callback["type"]
        if kind == CB_UPDATE or (kind == CB_DEFER_UPDATE and not self.followup_ids):
            return self.fake.messages[self.updated_message_id or ""]
        if kind == CB_DEFER:
            msg = self.fake.messages.get(self.original_id or "")
            if msg and not msg.get("_loading"):
                return msg
            return self.fake.messages[self.followup_ids[0]]
        if kind == CB_DEFER_UPDATE:
            return self.fake.messages[self.followup_ids[0]]
        return self.fake.messages[self.original_id or ""]

    async def modal(self, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109
        """The modal the bot opened in answer."""
        cb = await self.response(timeout)
        if cb["type"] != CB_MODAL:
            raise FakeDiscordError(f"expected a modal, got callback {cb}")
        return cb["data"]

    async def choices(self, timeout: float = 5.0) -> list[dict[str, Any]]:  # noqa: ASYNC109
        """The autocomplete choices the bot offered."""
        cb = await self.response(timeout)
        if cb["type"] != CB_AUTOCOMPLETE:
            raise FakeDiscordError(f"expected autocomplete choices, got {cb}")
        return cb["data"]["choices"]

    def messages(self) -> list[dict[str, Any]]:
        """Original response (if any) and followups, in order."""
        ids = ([self.original_id] if self.original_id else []) + self.followup_ids
        return [self.fake.messages[i] for i in ids]

    def describe(self) -> str:
        data = self.payload.get("data", {})
        return f"interaction {self.id} type={self.type} data={json.dumps(data)[:200]}"


def message_text(message: dict[str, Any]) -> str:
    """Everything readable in a message: content, embed titles, descriptions and fields."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for fld in embed.get("fields") or []:
            parts += [fld.get("name") or "", fld.get("value") or ""]
        footer = embed.get("footer") or {}
        parts.append(footer.get("text") or "")
        author = embed.get("author") or {}
        parts.append(author.get("name") or "")
    return "\n".join(p for p in parts if p)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """All interactive components of a message (buttons and selects), flattened."""
    found: list[dict[str, Any]] = []

    def walk(items: Iterable[dict[str, Any]]) -> None:
        for item in items:
            if item.get("custom_id"):
                found.append(item)
            walk(item.get("components") or [])
            if isinstance(item.get("accessory"), dict):
                walk([item["accessory"]])
            if isinstance(item.get("component"), dict):
                walk([item["component"]])

    walk(message.get("components") or [])
    return found


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [b["custom_id"] for b in buttons(message)]


class DiscordFake:
    """The fake server. Use as `async with DiscordFake() as fake:`."""

    def __init__(
        self,
        *,
        roles: Iterable[str] = ("Moderator", "Translator"),
        channels: Iterable[str] = ("general", "voting", "review", "publish"),
        guild_name: str = "Test Guild",
    ) -> None:
        self.token = "fake-bot-token"
        self.application_id = snowflake()
        self.bot = FakeUser(self.application_id, "hanno", bot=True)
        self.owner = FakeUser(snowflake(), "owner")
        self.guild_id = snowflake()
        self.guild_name = guild_name
        self.roles: dict[str, dict[str, Any]] = {}
        everyone = self._role_payload(self.guild_id, "@everyone", 0)
        self.roles[self.guild_id] = everyone
        for position, name in enumerate(roles, start=1):
            role_id = snowflake()
            self.roles[role_id] = self._role_payload(role_id, name, position)
        self.channels: dict[str, dict[str, Any]] = {}
        for position, name in enumerate(channels):
            cid = snowflake()
            self.channels[cid] = {
                "id": cid,
                "type": 0,
                "name": name,
                "position": position,
                "guild_id": self.guild_id,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
                "topic": None,
                "last_message_id": None,
                "rate_limit_per_user": 0,
            }
        self.members: dict[str, FakeUser] = {self.bot.id: self.bot, self.owner.id: self.owner}
        self.dm_channels: dict[str, str] = {}  # user id -> channel id
        self.closed_dms: set[str] = set()  # users who accept no DMs from the bot
        self.post_budget: dict[str, int] = {}  # channel id -> posts allowed before 403s
        self.post_faults: dict[str, list[Fault]] = {}  # channel id -> faults, in order
        self.edit_faults: dict[str, list[Fault]] = {}  # the same for message edits
        self._nonces: dict[tuple[str, str], tuple[str, float]] = {}  # (channel, nonce) -> message
        self.nonce_window = 300.0  # seconds Discord remembers an enforced nonce

        self.calls: list[Call] = []
        self.errors: list[str] = []
        self.messages: dict[str, dict[str, Any]] = {}  # id -> message payload
        self.channel_order: dict[str, list[str]] = {}  # channel id -> message ids
        self.interactions: dict[str, FakeInteraction] = {}  # id -> interaction
        self._by_token: dict[str, FakeInteraction] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}  # "global" or guild id -> commands
        self.identified = 0
        self.resumed = 0
        self._sockets: list[web.WebSocketResponse] = []
        # Each socket's shard [id, count] from its IDENTIFY; Discord sends a guild's events
        # only to the shard (guild_id >> 22) % count.
        self.shards: dict[web.WebSocketResponse, tuple[int, int]] = {}
        self.sharded: set[web.WebSocketResponse] = set()
        self._seq = 0
        self._cond: asyncio.Condition | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ----------------------------------------------------------------- lifecycle
    async def __aenter__(self) -> DiscordFake:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        self._cond = asyncio.Condition()
        app = web.Application(middlewares=[self._middleware], client_max_size=32 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def patch(self, monkeypatch: Any) -> None:
        """Point discord.py (REST, webhooks, gateway, assets) at this fake."""
        import discord
        import discord.gateway
        import discord.http
        import yarl

        monkeypatch.setattr(discord.http.Route, "BASE", self.api_base)
        monkeypatch.setattr(
            discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(self.gateway_url)
        )
        monkeypatch.setattr(discord.asset.Asset, "BASE", self.base_url)

    # ------------------------------------------------------------------ guild data
    @staticmethod
    def _role_payload(role_id: str, name: str, position: int) -> dict[str, Any]:
        return {
            "id": role_id,
            "name": name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "position": position,
            "permissions": "2248473465835073" if name == "@everyone" else "0",
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }

    def role_id(self, name: str) -> str:
        for rid, role in self.roles.items():
            if role["name"] == name:
                return rid
        raise KeyError(f"no role {name!r}")

    def channel_id(self, name: str) -> str:
        for cid, ch in self.channels.items():
            if ch["name"] == name:
                return cid
        raise KeyError(f"no channel {name!r}")

    def add_member(
        self, name: str, roles: Iterable[str] = (), *, locale: str = "en-US"
    ) -> FakeUser:
        """A guild member; `roles` are role names (or ids) of this guild; `locale` is their
        Discord client's language."""
        ids = [r if r in self.roles else self.role_id(r) for r in roles]
        user = FakeUser(snowflake(), name, ids, locale=locale)
        self.members[user.id] = user
        return user

    def member_payload(self, user: FakeUser, *, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": list(user.roles),
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "communication_disabled_until": None,
            "premium_since": None,
        }
        if with_user:
            data["user"] = user.payload()
        return data

    def guild_payload(self) -> dict[str, Any]:
        return {
            "id": self.guild_id,
            "name": self.guild_name,
            "icon": None,
            "owner_id": self.owner.id,
            "unavailable": False,
            "member_count": len(self.members),
            "large": False,
            "features": [],
            "roles": list(self.roles.values()),
            "emojis": [],
            "stickers": [],
            "channels": list(self.channels.values()),
            "threads": [],
            "members": [self.member_payload(m) for m in self.members.values()],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "system_channel_flags": 0,
            "joined_at": "2026-01-01T00:00:00+00:00",
        }

    def application_payload(self) -> dict[str, Any]:
        return {
            "id": self.application_id,
            "name": "hanno",
            "icon": None,
            "description": "",
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": self.owner.payload(),
            "team": None,
            "flags": 0,
            "summary": "",
            "bot": self.bot.payload(),
        }

    # ------------------------------------------------------------------- waiting
    async def _notify(self) -> None:
        assert self._cond is not None
        async with self._cond:
            self._cond.notify_all()

    async def _until(self, check: Callable[[], bool], timeout: float, what: str) -> None:  # noqa: ASYNC109
        assert self._cond is not None
        try:
            async with asyncio.timeout(timeout):
                async with self._cond:
                    await self._cond.wait_for(check)
        except TimeoutError:
            errors = f"; fake errors: {self.errors}" if self.errors else ""
            raise FakeDiscordError(
                f"timed out after {timeout}s waiting for {what}{errors}"
            ) from None

    async def wait_for(
        self,
        predicate: Callable[[Call], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        since: int = 0,
    ) -> Call:
        """The first recorded call (from index `since`) that satisfies `predicate`."""
        found: list[Call] = []

        def check() -> bool:
            for call in self.calls[since:]:
                if predicate(call):
                    found.append(call)
                    return True
            return False

        await self._until(check, timeout, "a matching call")
        return found[0]

    async def wait_until(self, check: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the fake's state satisfies `check` (re-checked after every call)."""
        await self._until(check, timeout, "a condition on the fake's state")

    async def wait_connected(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        await self._until(lambda: self.identified > 0, timeout, "IDENTIFY")

    def calls_to(self, method: str, fragment: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and fragment in c.path]

    def channel_messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages in a channel (name or id), oldest first, as they are now."""
        cid = channel if channel in self.channels or channel.isdigit() else self.channel_id(channel)
        return [self.messages[m] for m in self.channel_order.get(cid, [])]

    def latest(self, channel: str) -> dict[str, Any]:
        msgs = self.channel_messages(channel)
        if not msgs:
            raise FakeDiscordError(f"no message in channel {channel}")
        return msgs[-1]

    def dm_messages(self, user: FakeUser) -> list[dict[str, Any]]:
        cid = self.dm_channels.get(user.id)
        return [] if cid is None else [self.messages[m] for m in self.channel_order.get(cid, [])]

    # ------------------------------------------------------------------- gateway
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                op = data.get("op")
                if op == 1:
                    await ws.send_str(json.dumps({"op": 11}))
                elif op == 2:
                    shard = (data.get("d") or {}).get("shard")
                    if shard:
                        self.sharded.add(ws)
                    self.shards[ws] = (int(shard[0]), int(shard[1])) if shard else (0, 1)
                    await self._identify(ws)
                elif op == 6:
                    self.resumed += 1
                    await self._send(ws, "RESUMED", {})
                    await self._notify()
                elif op in (3, 4, 8):
                    pass  # presence, voice, member requests: nothing to do
                else:
                    self._error(f"gateway: unexpected op {op}: {data}")
        finally:
            if ws in self._sockets:
                self._sockets.remove(ws)
            self.shards.pop(ws, None)
            self.sharded.discard(ws)
        return ws

    def _owns_guild(self, ws: web.WebSocketResponse) -> bool:
        shard_id, count = self.shards.get(ws, (0, 1))
        return (int(self.guild_id) >> 22) % count == shard_id

    async def _identify(self, ws: web.WebSocketResponse) -> None:
        self.identified += 1
        owns = self._owns_guild(ws)
        ready = {
            "v": 10,
            "user": {**self.bot.payload(), "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": self.guild_id, "unavailable": True}] if owns else [],
            "session_id": secrets.token_hex(16),
            "resume_gateway_url": self.gateway_url,
            "application": {"id": self.application_id, "flags": 0},
            "private_channels": [],
            "relationships": [],
        }
        if ws in self.sharded:  # Discord's READY names the shard when IDENTIFY asked for one
            ready["shard"] = list(self.shards[ws])
        await self._send(ws, "READY", ready)
        if owns:
            await self._send(ws, "GUILD_CREATE", self.guild_payload())
        await self._notify()

    async def _send(self, ws: web.WebSocketResponse, event: str, data: dict[str, Any]) -> None:
        self._seq += 1
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event to every connected client (of the guild's shard)."""
        delivered = 0
        for ws in list(self._sockets):
            if not self._owns_guild(ws):
                continue
            try:
                await self._send(ws, event, data)
                delivered += 1
            except ConnectionResetError:  # the client died (a crash test): drop its socket
                if ws in self._sockets:
                    self._sockets.remove(ws)
        if not delivered:
            raise FakeDiscordError(f"no client connected to receive {event}")

    async def drop_connections(self) -> None:
        """Close every gateway socket (the client should resume or reconnect)."""
        for ws in list(self._sockets):
            await ws.close(code=4000)

    # -------------------------------------------------------------- interactions
    def _interaction_base(
        self, kind: int, user: FakeUser, channel_id: str | None, data: dict[str, Any] | None
    ) -> FakeInteraction:
        iid = snowflake()
        token = "itoken-" + secrets.token_hex(12)
        cid = channel_id or self.channel_id("general")
        if cid in self.channels:
            channel = dict(self.channels[cid])
        else:  # a DM channel
            channel = {"id": cid, "type": 1, "recipients": [user.payload()]}
        payload: dict[str, Any] = {
            "id": iid,
            "application_id": self.application_id,
            "type": kind,
            "token": token,
            "version": 1,
            "channel_id": cid,
            "channel": channel,
            "app_permissions": "2248473465835073",
            "locale": user.locale,
            "entitlements": [],
            "authorizing_integration_owners": {"0": self.guild_id},
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if cid in self.channels:
            payload["guild_id"] = self.guild_id
            payload["guild_locale"] = "en-US"
            payload["context"] = 0
            member = self.member_payload(user)
            member["permissions"] = "2248473465835073"
            payload["member"] = member
        else:
            payload["user"] = user.payload()
            payload["context"] = 1
        if data is not None:
            payload["data"] = data
        ix = FakeInteraction(self, iid, token, kind, user, cid, payload)
        self.interactions[iid] = ix
        self._by_token[token] = ix
        return ix

    async def _fire(self, ix: FakeInteraction) -> FakeInteraction:
        ix.sent_at = time.monotonic()
        await self.dispatch("INTERACTION_CREATE", ix.payload)
        return ix

    def _find_command(self, name: str, kind: int = 1) -> dict[str, Any]:
        for scope in (self.guild_id, "global"):
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == kind:
                    return cmd
        known = {s: [c["name"] for c in cs] for s, cs in self.commands.items()}
        raise FakeDiscordError(f"command {name!r} (type {kind}) was not synced; synced: {known}")

    def _build_options(
        self,
        spec: list[dict[str, Any]],
        values: dict[str, Any],
        resolved: dict[str, Any],
        focused: str | None = None,
    ) -> list[dict[str, Any]]:
        by_name = {o["name"]: o for o in spec}
        out: list[dict[str, Any]] = []
        for name, value in values.items():
            if name not in by_name:
                raise FakeDiscordError(f"unknown option {name!r}; options are {list(by_name)}")
            kind = by_name[name]["type"]
            if name == focused:  # what the user is typing: always a raw string
                out.append({"name": name, "type": kind, "value": str(value), "focused": True})
                continue
            if isinstance(value, FakeUser):
                resolved.setdefault("users", {})[value.id] = value.payload()
                member = self.member_payload(value, with_user=False)
                member["permissions"] = "0"
                resolved.setdefault("members", {})[value.id] = member
                value = value.id
            elif kind == CHANNEL:
                cid = value if value in self.channels else self.channel_id(value)
                resolved.setdefault("channels", {})[cid] = {
                    **self.channels[cid],
                    "permissions": "2248473465835073",
                }
                value = cid
            elif kind == ROLE:
                rid = value if value in self.roles else self.role_id(value)
                resolved.setdefault("roles", {})[rid] = self.roles[rid]
                value = rid
            elif kind == INTEGER:
                value = int(value)
            elif kind == NUMBER:
                value = float(value)
            elif kind == STRING:
                value = str(value)
            out.append({"name": name, "type": kind, "value": value})
        return out

    def _command_data(
        self,
        path: tuple[str, ...],
        options: dict[str, Any],
        *,
        focused: str | None = None,
    ) -> dict[str, Any]:
        cmd = self._find_command(path[0])
        resolved: dict[str, Any] = {}
        spec = cmd.get("options", [])
        leaf_parent: list[dict[str, Any]] = []
        data: dict[str, Any] = {"id": cmd["id"], "name": cmd["name"], "type": 1}
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        container = data
        for name in path[1:]:
            sub = next(
                (o for o in spec if o["name"] == name and o["type"] in (SUB_COMMAND, SUB_GROUP)),
                None,
            )
            if sub is None:
                raise FakeDiscordError(f"no subcommand {name!r} under {path}")
            node: dict[str, Any] = {"name": name, "type": sub["type"], "options": []}
            container.setdefault("options", []).append(node)
            container = node
            spec = sub.get("options", [])
        leaf_parent = self._build_options(spec, options, resolved, focused)
        if focused is not None:
            if not any(o.get("focused") for o in leaf_parent):
                kind = next(o["type"] for o in spec if o["name"] == focused)
                leaf_parent.append({"name": focused, "type": kind, "value": "", "focused": True})
        container["options"] = leaf_parent
        if resolved:
            data["resolved"] = resolved
        return data

    async def slash(
        self, user: FakeUser, /, *path: str, in_channel: str | None = None, **options: Any
    ) -> FakeInteraction:
        """Run `/path... option=value` as `user` (in `in_channel`, default #general)."""
        data = self._command_data(path, options)
        cid = None if in_channel is None else self._resolve_channel(in_channel)
        return await self._fire(self._interaction_base(APP_COMMAND, user, cid, data))

    async def autocomplete(
        self,
        user: FakeUser,
        /,
        *path: str,
        focused: str,
        in_channel: str | None = None,
        **options: Any,
    ) -> FakeInteraction:
        """Type into option `focused` of `/path...`; await `.choices()` on the result."""
        data = self._command_data(path, options, focused=focused)
        cid = None if in_channel is None else self._resolve_channel(in_channel)
        return await self._fire(self._interaction_base(AUTOCOMPLETE, user, cid, data))

    async def message_command(self, user: FakeUser, name: str, message_id: str) -> FakeInteraction:
        """Right-click a message and pick the context-menu command `name`."""
        cmd = self._find_command(name, kind=3)
        message = self._message_for_interaction(message_id)
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": name,
            "type": 3,
            "target_id": message_id,
            "resolved": {"messages": {message_id: message}},
        }
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        cid = self.messages[message_id]["channel_id"]
        return await self._fire(self._interaction_base(APP_COMMAND, user, cid, data))

    async def click(
        self, user: FakeUser, message_id: str, custom_id: str | None = None
    ) -> FakeInteraction:
        """Click a button of a message (by custom_id; `None` = the only button)."""
        message = self.messages.get(message_id)
        if message is None:
            raise FakeDiscordError(f"no message {message_id}")
        available = buttons(message)
        if custom_id is None:
            if len(available) != 1:
                raise FakeDiscordError(f"message has {len(available)} buttons; name one")
            custom_id = available[0]["custom_id"]
        button = next((b for b in available if b["custom_id"] == custom_id), None)
        if button is None:
            raise FakeDiscordError(
                f"message {message_id} has no component {custom_id!r}; it has {custom_ids(message)}"
            )
        if button.get("disabled"):
            raise FakeDiscordError(f"button {custom_id!r} is disabled")
        data = {"custom_id": custom_id, "component_type": button.get("type", 2)}
        return await self._component(user, message_id, data)

    async def select(
        self,
        user: FakeUser,
        message_id: str,
        custom_id: str,
        values: list[Any],
    ) -> FakeInteraction:
        """Choose `values` in a select menu (user selects take FakeUser values)."""
        message = self.messages[message_id]
        comp = next((b for b in buttons(message) if b["custom_id"] == custom_id), None)
        if comp is None:
            raise FakeDiscordError(f"no select {custom_id!r} on message {message_id}")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": comp["type"]}
        plain: list[str] = []
        resolved: dict[str, Any] = {}
        for value in values:
            if isinstance(value, FakeUser):
                resolved.setdefault("users", {})[value.id] = value.payload()
                member = self.member_payload(value, with_user=False)
                member["permissions"] = "0"
                resolved.setdefault("members", {})[value.id] = member
                plain.append(value.id)
            else:
                plain.append(str(value))
        data["values"] = plain
        if resolved:
            data["resolved"] = resolved
        return await self._component(user, message_id, data)

    async def forged_click(
        self,
        user: FakeUser,
        message_id: str,
        custom_id: str,
        *,
        component_type: int = 2,
        values: list[str] | None = None,
    ) -> FakeInteraction:
        """A component interaction with any custom_id on any message, as a modified client
        (or a stale message) could send it: nothing checks that the message has it."""
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = values
        return await self._component(user, message_id, data)

    async def raw_slash(
        self,
        user: FakeUser,
        /,
        *path: str,
        options: list[dict[str, Any]],
        resolved: dict[str, Any] | None = None,
    ) -> FakeInteraction:
        """`/path...` with option payloads exactly as given (wrong types, unknown names)."""
        data = self._command_data(path, {})
        node = data
        while node.get("options") and node["options"][0]["type"] in (SUB_COMMAND, SUB_GROUP):
            node = node["options"][0]
        node["options"] = options
        if resolved:
            data["resolved"] = resolved
        return await self._fire(self._interaction_base(APP_COMMAND, user, None, data))

    async def _component(
        self, user: FakeUser, message_id: str, data: dict[str, Any]
    ) -> FakeInteraction:
        message = self._message_for_interaction(message_id)
        ix = self._interaction_base(COMPONENT, user, message["channel_id"], data)
        ix.payload["message"] = message
        return await self._fire(ix)

    async def submit_modal(
        self,
        user: FakeUser,
        custom_id: str,
        values: dict[str, str],
        *,
        modal: dict[str, Any] | None = None,
        channel: str | None = None,
        message_id: str | None = None,
    ) -> FakeInteraction:
        """Submit a modal: `values` maps text-input custom_ids to what the user typed.

        Pass `modal` (from `await ix.modal()`) to mirror its layout (action rows or labels)
        and keep the prefilled value of fields not in `values`.
        """
        rows: list[dict[str, Any]] = []
        if modal is not None:
            if modal["custom_id"] != custom_id:
                raise FakeDiscordError(f"modal is {modal['custom_id']!r}, not {custom_id!r}")
            seen: set[str] = set()
            for comp in modal.get("components", []):
                if comp["type"] == 1:
                    inner = []
                    for child in comp["components"]:
                        cid = child["custom_id"]
                        seen.add(cid)
                        value = values.get(cid, child.get("value") or "")
                        inner.append({"type": 4, "custom_id": cid, "value": value})
                    rows.append({"type": 1, "components": inner})
                elif comp["type"] == 18:
                    child = comp["component"]
                    cid = child["custom_id"]
                    seen.add(cid)
                    value = values.get(cid, child.get("value") or "")
                    rows.append(
                        {
                            "type": 18,
                            "id": comp.get("id", 0),
                            "component": {"type": 4, "custom_id": cid, "value": value},
                        }
                    )
                else:
                    rows.append(comp)
            unknown = set(values) - seen
            if unknown:
                raise FakeDiscordError(f"modal has no fields {unknown}; fields are {seen}")
        else:
            rows = [
                {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
                for k, v in values.items()
            ]
        data = {"custom_id": custom_id, "components": rows}
        cid = None if channel is None else self._resolve_channel(channel)
        if message_id is not None:
            cid = self.messages[message_id]["channel_id"]
        ix = self._interaction_base(MODAL_SUBMIT, user, cid, data)
        if message_id is not None:
            ix.payload["message"] = self._message_for_interaction(message_id)
        return await self._fire(ix)

    async def answer_modal(
        self, opener: FakeInteraction, values: dict[str, str], user: FakeUser | None = None
    ) -> FakeInteraction:
        """Fill in the modal `opener` got as its answer, and submit it."""
        modal = await opener.modal()
        message_id = opener.payload.get("message", {}).get("id")
        return await self.submit_modal(
            user or opener.user,
            modal["custom_id"],
            values,
            modal=modal,
            channel=opener.channel_id,
            message_id=message_id,
        )

    def _resolve_channel(self, channel: str) -> str:
        if channel in self.channels or channel in self.dm_channels.values():
            return channel
        return self.channel_id(channel)

    def _message_for_interaction(self, message_id: str) -> dict[str, Any]:
        message = self.messages.get(message_id)
        if message is None:
            raise FakeDiscordError(f"no message {message_id}")
        return {k: v for k, v in message.items() if not k.startswith("_")}

    # -------------------------------------------------------------------- REST
    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException:
            raise
        except FakeDiscordError as exc:
            self._error(f"{request.method} {request.path}: {exc}")
            return _json_response({"code": 50035, "message": str(exc)}, status=400)
        except Exception as exc:
            log.exception("fake Discord crashed on %s %s", request.method, request.path)
            self._error(f"{request.method} {request.path}: crash {exc!r}")
            return _json_response({"code": 0, "message": f"fake crashed: {exc!r}"}, status=400)

    def _error(self, text: str) -> None:
        log.error("fake Discord: %s", text)
        self.errors.append(text)

    async def _read_body(self, request: web.Request) -> Any:
        if not request.can_read_body:
            return None
        ctype = request.content_type
        if ctype == "application/json":
            return await request.json()
        if ctype.startswith("multipart/"):
            form = await request.post()
            raw = form.get("payload_json")
            body = json.loads(str(raw)) if raw is not None else {}
            files = [k for k in form if k.startswith("files[")]
            body["_files"] = files
            return body
        text = await request.text()
        return json.loads(text) if text else None

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await self._read_body(request)
        call = Call(request.method, path, dict(request.query), body, time.monotonic())
        self.calls.append(call)
        bot_route = not path.startswith(("/webhooks/", "/interactions/"))
        if bot_route and request.headers.get("Authorization") != f"Bot {self.token}":
            await self._notify()
            return _json_response({"code": 0, "message": "401: Unauthorized"}, status=401)
        try:
            response = await self._route(request.method, path.strip("/").split("/"), call)
        finally:
            await self._notify()
        return response

    async def _route(self, method: str, parts: list[str], call: Call) -> web.StreamResponse:
        body = call.json or {}
        match (method, parts):
            case ("GET", ["users", "@me"]):
                return _json_response({**self.bot.payload(), "verified": True, "flags": 0})
            case ("GET", ["oauth2", "applications", "@me"]) | ("GET", ["applications", "@me"]):
                return _json_response(self.application_payload())
            case ("GET", ["gateway"]) | ("GET", ["gateway", "bot"]):
                return _json_response(
                    {
                        "url": self.gateway_url,
                        "shards": 1,
                        "session_start_limit": {
                            "total": 1000,
                            "remaining": 1000,
                            "reset_after": 0,
                            "max_concurrency": 1,
                        },
                    }
                )
            case ("PUT", ["applications", app, "commands"]):
                return _json_response(self._store_commands(app, "global", body))
            case ("PUT", ["applications", app, "guilds", gid, "commands"]):
                return _json_response(self._store_commands(app, gid, body))
            case ("GET", ["applications", _app, "commands"]):
                return _json_response(self.commands.get("global", []))
            case ("GET", ["applications", _app, "guilds", gid, "commands"]):
                return _json_response(self.commands.get(gid, []))
            case ("POST", ["interactions", iid, token, "callback"]):
                return await self._callback(iid, token, body, call)
            case ("POST", ["webhooks", _app, token]):
                ix = self._interaction_by_token(token)
                msg = self._create_message(ix.channel_id, body, interaction=ix)
                ix.followup_ids.append(msg["id"])
                return _json_response(self._public(msg))
            case ("GET" | "PATCH" | "DELETE", ["webhooks", _app, token, "messages", mid]):
                ix = self._interaction_by_token(token)
                if mid == "@original":
                    if ix.original_id is None:
                        raise FakeDiscordError(f"{ix.describe()} has no original response")
                    mid = ix.original_id
                if mid not in self.messages:
                    return _json_response({"code": 10008, "message": "Unknown Message"}, 404)
                if method == "PATCH":
                    self._edit_message(mid, body)
                    if ix.callback and ix.callback["type"] == CB_DEFER_UPDATE:
                        ix.updated_message_id = mid
                elif method == "DELETE":
                    self._delete_message(mid)
                    return web.Response(status=204)
                return _json_response(self._public(self.messages[mid]))
            case ("POST", ["channels", cid, "messages"]):
                if cid not in self.channels and cid not in self.dm_channels.values():
                    return _json_response({"code": 10003, "message": "Unknown Channel"}, 404)
                if any(self.dm_channels.get(uid) == cid for uid in self.closed_dms):
                    return _json_response(
                        {"code": 50007, "message": "Cannot send messages to this user"}, 403
                    )
                if cid in self.post_budget:
                    if self.post_budget[cid] <= 0:
                        return _json_response({"code": 50001, "message": "Missing Access"}, 403)
                    self.post_budget[cid] -= 1
                return await self._post_message(cid, body)
            case ("GET" | "PATCH" | "DELETE", ["channels", cid, "messages", mid]):
                msg = self.messages.get(mid)
                if msg is None or msg["channel_id"] != cid:
                    return _json_response({"code": 10008, "message": "Unknown Message"}, 404)
                if method == "PATCH":
                    fault = self._next_fault(cid, edits=True)
                    if fault is None or fault.after_create:
                        self._edit_message(mid, body)
                    if fault is not None:
                        failed = await self._apply_fault(fault)
                        if failed is not None:
                            return failed
                        if not fault.after_create:
                            self._edit_message(mid, body)
                elif method == "DELETE":
                    self._delete_message(mid)
                    return web.Response(status=204)
                return _json_response(self._public(self.messages[mid]))
            case ("GET", ["channels", cid, "messages"]):
                limit = int(call.query.get("limit", "50"))
                msgs = [self._public(m) for m in self.channel_messages(cid)][::-1][:limit]
                return _json_response(msgs)
            case ("GET", ["channels", cid]):
                if cid in self.channels:
                    return _json_response(self.channels[cid])
                for uid, dm in self.dm_channels.items():
                    if dm == cid:
                        return _json_response(self._dm_payload(uid))
                return _json_response({"code": 10003, "message": "Unknown Channel"}, 404)
            case ("POST", ["users", "@me", "channels"]):
                uid = str(body["recipient_id"])
                if uid not in self.members:
                    return _json_response({"code": 10013, "message": "Unknown User"}, 404)
                self.dm_channels.setdefault(uid, snowflake())
                return _json_response(self._dm_payload(uid))
            case ("GET", ["users", uid]):
                if uid not in self.members:
                    return _json_response({"code": 10013, "message": "Unknown User"}, 404)
                return _json_response(self.members[uid].payload())
            case ("GET", ["guilds", gid, "members", uid]):
                if gid != self.guild_id or uid not in self.members:
                    return _json_response({"code": 10007, "message": "Unknown Member"}, 404)
                return _json_response(self.member_payload(self.members[uid]))
            case ("GET", ["guilds", gid, "members"]):
                return _json_response([self.member_payload(m) for m in self.members.values()])
            case ("GET", ["guilds", gid, "roles"]):
                return _json_response(list(self.roles.values()))
            case ("GET", ["guilds", gid, "channels"]):
                return _json_response(list(self.channels.values()))
            case ("GET", ["guilds", gid]):
                return _json_response(self.guild_payload())
            case ("PUT" | "DELETE", ["channels", _cid, "messages", _mid, "reactions", *_]):
                return web.Response(status=204)
            case ("POST", ["channels", _cid, "typing"]):
                return web.Response(status=204)
        raise FakeDiscordError(f"route not implemented in the fake: {method} /{'/'.join(parts)}")

    async def _post_message(self, cid: str, body: dict[str, Any]) -> web.StreamResponse:
        """Create a message, honouring an enforced nonce and any injected fault."""
        fault = self._next_fault(cid)
        if fault is not None and not fault.status and not fault.delay:
            fault = None  # a pass-through slot (`fail_posts(..., after=n)`)
        nonce = str(body["nonce"]) if body.get("enforce_nonce") and "nonce" in body else None
        if nonce is not None:
            known = self._nonces.get((cid, nonce))
            if known is not None and time.monotonic() - known[1] < self.nonce_window:
                if known[0] in self.messages:  # Discord answers with the first message again
                    return _json_response(self._public(self.messages[known[0]]))

        def create() -> dict[str, Any]:
            message = self._create_message(cid, body)
            if nonce is not None:
                self._nonces[(cid, nonce)] = (message["id"], time.monotonic())
            return message

        created = create() if fault is None or fault.after_create else None
        if fault is not None:
            failed = await self._apply_fault(fault)
            if failed is not None:
                return failed
        if created is None:
            created = create()
        return _json_response(self._public(created))

    async def _apply_fault(self, fault: Fault) -> web.StreamResponse | None:
        """Wait out the fault's delay; its error response, or None to go on and succeed."""
        await self._notify()
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.status == 429:
            response = _json_response(
                {
                    "message": "You are being rate limited.",
                    "retry_after": fault.retry_after,
                    "global": False,
                },
                429,
            )
            response.headers.update(
                {
                    "Via": "1.1 google",
                    "Retry-After": str(max(1, round(fault.retry_after))),
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": str(fault.retry_after),
                    "X-RateLimit-Scope": "user",
                }
            )
            return response
        if fault.status:
            return _json_response(
                {"code": 0, "message": f"{fault.status}: fake fault"}, fault.status
            )
        return None

    def _next_fault(self, cid: str, *, edits: bool = False) -> Fault | None:
        faults = (self.edit_faults if edits else self.post_faults).get(cid)
        if not faults:
            return None
        fault = faults[0]
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                faults.pop(0)
        return fault

    def _store_commands(self, app: str, scope: str, body: Any) -> list[dict[str, Any]]:
        if app != self.application_id:
            raise FakeDiscordError(f"commands for unknown application {app}")
        if scope != "global" and scope != self.guild_id:
            raise FakeDiscordError(f"commands for unknown guild {scope}")
        for cmd in body:
            self._check_command(cmd, top=True)
        stored = []
        previous = {(c["name"], c.get("type", 1)): c["id"] for c in self.commands.get(scope, [])}
        for cmd in body:
            key = (cmd["name"], cmd.get("type", 1))
            entry = {
                **cmd,
                "id": previous.get(key) or snowflake(),
                "application_id": self.application_id,
                "version": snowflake(),
                "type": cmd.get("type", 1),
                "description": cmd.get("description", ""),
            }
            if scope != "global":
                entry["guild_id"] = scope
            stored.append(entry)
        names = [(c["name"], c["type"]) for c in stored]
        if len(set(names)) != len(names):
            raise FakeDiscordError(f"duplicate command names in sync: {names}")
        self.commands[scope] = stored
        return stored

    def _check_command(self, cmd: dict[str, Any], *, top: bool = False) -> None:
        """Discord's own limits on names and descriptions, so a bad sync fails here too."""
        kind = cmd.get("type", 1) if top else 1
        name = cmd["name"]
        if kind == 1 and (not re.fullmatch(r"[-_\w]{1,32}", name) or name != name.lower()):
            raise FakeDiscordError(f"invalid slash command/option name {name!r}")
        if kind != 1 and not 1 <= len(name) <= 32:
            raise FakeDiscordError(f"invalid context menu name {name!r}")
        description = cmd.get("description", "")
        if kind == 1 and not 1 <= len(description) <= 100:
            raise FakeDiscordError(f"description of {name!r} must be 1-100 chars: {description!r}")
        for locale, localized in (cmd.get("name_localizations") or {}).items():
            self._check_locale(locale)
            if kind == 1 and (
                not re.fullmatch(r"[-_\w]{1,32}", localized) or localized != localized.lower()
            ):
                raise FakeDiscordError(f"invalid {locale} name {localized!r} for {name!r}")
        for locale, localized in (cmd.get("description_localizations") or {}).items():
            self._check_locale(locale)
            if kind == 1 and not 1 <= len(localized) <= 100:
                raise FakeDiscordError(f"{locale} description of {name!r} must be 1-100 chars")
        options = cmd.get("options", [])
        if len(options) > 25:
            raise FakeDiscordError(f"{name!r} has more than 25 options")
        for option in options:
            if option["type"] in (SUB_COMMAND, SUB_GROUP):
                self._check_command(option)
            else:
                keys = ("name", "description", "name_localizations", "description_localizations")
                self._check_command({k: option[k] for k in keys if k in option})
                for choice in option.get("choices", []):
                    names = [choice["name"], *(choice.get("name_localizations") or {}).values()]
                    if not all(1 <= len(n) <= 100 for n in names):
                        raise FakeDiscordError(f"choice name out of range: {choice}")
                    for locale in choice.get("name_localizations") or {}:
                        self._check_locale(locale)

    @staticmethod
    def _check_locale(locale: str) -> None:
        if locale not in DISCORD_LOCALES:
            raise FakeDiscordError(f"{locale!r} is not a locale Discord knows")

    def _dm_payload(self, uid: str) -> dict[str, Any]:
        return {
            "id": self.dm_channels[uid],
            "type": 1,
            "recipients": [self.members[uid].payload()],
            "last_message_id": None,
        }

    def _interaction_by_token(self, token: str) -> FakeInteraction:
        ix = self._by_token.get(token)
        if ix is None:
            raise FakeDiscordError(f"unknown interaction token {token}")
        if ix.callback is None:
            raise FakeDiscordError(f"webhook used before the interaction was acknowledged: {ix}")
        return ix

    @staticmethod
    def _public(message: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in message.items() if not k.startswith("_")}

    def _check_message_body(self, body: dict[str, Any]) -> None:
        content = body.get("content")
        if content is not None and len(content) > 2000:
            raise FakeDiscordError(f"content longer than 2000 characters ({len(content)})")
        if len(body.get("embeds") or []) > 10:
            raise FakeDiscordError("more than 10 embeds")
        for embed in body.get("embeds") or []:
            if len(embed.get("description") or "") > 4096:
                raise FakeDiscordError("embed description longer than 4096 characters")
            if len(embed.get("title") or "") > 256:
                raise FakeDiscordError("embed title longer than 256 characters")
            for fld in embed.get("fields") or []:
                if len(fld.get("value") or "") > 1024 or not fld.get("value"):
                    raise FakeDiscordError(f"bad embed field value: {fld}")
        if len(body.get("components") or []) > 5:
            raise FakeDiscordError("more than 5 action rows")
        for comp in custom_ids(body):
            if len(comp) > 100:
                raise FakeDiscordError(f"custom_id longer than 100: {comp}")

    def _create_message(
        self,
        channel_id: str,
        body: dict[str, Any],
        *,
        interaction: FakeInteraction | None = None,
        loading: bool = False,
    ) -> dict[str, Any]:
        self._check_message_body(body)
        mid = snowflake()
        flags = int(body.get("flags") or 0)
        message: dict[str, Any] = {
            "id": mid,
            "channel_id": channel_id,
            "author": self.bot.payload(),
            "content": body.get("content") or "",
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0 if interaction is None else 20,
            "flags": flags,
            "_allowed_mentions": body.get("allowed_mentions"),
            "_loading": loading,
            "_ephemeral": bool(flags & EPHEMERAL),
        }
        if channel_id in self.channels:
            message["guild_id"] = self.guild_id
        if interaction is not None:
            message["interaction_metadata"] = {
                "id": interaction.id,
                "type": interaction.type,
                "user": interaction.user.payload(),
                "authorizing_integration_owners": {},
            }
            message["_interaction"] = interaction.id
            message["webhook_id"] = self.application_id
        self.messages[mid] = message
        # Ephemeral messages are only seen by one user; keep them out of the channel list.
        if not message["_ephemeral"]:
            self.channel_order.setdefault(channel_id, []).append(mid)
        return message

    def _edit_message(self, mid: str, body: dict[str, Any]) -> dict[str, Any]:
        self._check_message_body(body)
        message = self.messages[mid]
        for key in ("content", "embeds", "components", "flags"):
            if key in body:
                message[key] = (
                    body[key] if body[key] is not None else ([] if key != "content" else "")
                )
        if "allowed_mentions" in body:
            message["_allowed_mentions"] = body["allowed_mentions"]
        message["_loading"] = False
        message["edited_timestamp"] = now_iso()
        message["_edits"] = message.get("_edits", 0) + 1
        return message

    def _delete_message(self, mid: str) -> None:
        message = self.messages.pop(mid)
        order = self.channel_order.get(message["channel_id"], [])
        if mid in order:
            order.remove(mid)

    async def _callback(
        self, iid: str, token: str, body: dict[str, Any], call: Call
    ) -> web.StreamResponse:
        ix = self.interactions.get(iid)
        if ix is None or ix.token != token:
            return _json_response({"code": 10062, "message": "Unknown interaction"}, 404)
        if ix.callback is not None:
            return _json_response(
                {"code": 40060, "message": "Interaction has already been acknowledged."}, 400
            )
        if call.query.get("with_response") not in ("1", "true", "True"):
            raise FakeDiscordError("interaction callback without ?with_response=1")
        kind = body["type"]
        data = body.get("data") or {}
        if ix.type == AUTOCOMPLETE and kind != CB_AUTOCOMPLETE:
            raise FakeDiscordError(f"callback type {kind} to an autocomplete interaction")
        interaction_info: dict[str, Any] = {"id": ix.id, "type": ix.type}
        result: dict[str, Any] = {"interaction": interaction_info}
        if kind == CB_MESSAGE:
            msg = self._create_message(ix.channel_id, data, interaction=ix)
            ix.original_id = msg["id"]
            interaction_info.update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=msg["_ephemeral"],
            )
            result["resource"] = {"type": kind, "message": self._public(msg)}
        elif kind == CB_DEFER:
            msg = self._create_message(ix.channel_id, data, interaction=ix, loading=True)
            ix.original_id = msg["id"]
            interaction_info.update(
                response_message_id=msg["id"],
                response_message_loading=True,
                response_message_ephemeral=msg["_ephemeral"],
            )
        elif kind in (CB_UPDATE, CB_DEFER_UPDATE):
            target = ix.payload.get("message", {}).get("id")
            if target is None:
                raise FakeDiscordError(f"update callback on {ix.describe()} without a message")
            ix.original_id = target
            if kind == CB_UPDATE:
                self._edit_message(target, data)
                ix.updated_message_id = target
                result["resource"] = {"type": kind, "message": self._public(self.messages[target])}
            interaction_info.update(response_message_id=target)
        elif kind == CB_AUTOCOMPLETE:
            if ix.type != AUTOCOMPLETE:
                raise FakeDiscordError("autocomplete result to a non-autocomplete interaction")
            if len(data.get("choices", [])) > 25:
                raise FakeDiscordError("more than 25 autocomplete choices")
            for choice in data.get("choices", []):
                if not 1 <= len(choice["name"]) <= 100:
                    raise FakeDiscordError(f"choice name length out of range: {choice['name']!r}")
        elif kind == CB_MODAL:
            if ix.type == MODAL_SUBMIT:
                raise FakeDiscordError("a modal cannot answer a modal submit")
            if not 1 <= len(data.get("title", "")) <= 45:
                raise FakeDiscordError(f"modal title length out of range: {data.get('title')!r}")
            if len(data.get("custom_id", "")) > 100:
                raise FakeDiscordError("modal custom_id longer than 100")
        else:
            raise FakeDiscordError(f"callback type {kind} not supported by the fake")
        ix.callback = body if "data" in body else {**body, "data": {}}
        ix.answered_at = time.monotonic()
        return _json_response(result)

    # ------------------------------------------------------------------ edits for tests
    def close_dms(self, user: FakeUser) -> None:
        """`user` accepts no direct messages from the bot (Discord answers 403, code 50007)."""
        self.closed_dms.add(user.id)

    def open_dms(self, user: FakeUser) -> None:
        """`user` accepts direct messages again."""
        self.closed_dms.discard(user.id)

    def fail_dms(self, user: FakeUser, *faults: Fault) -> None:
        """Apply `faults` (429, 5xx…) to the bot's next direct messages to `user`."""
        self.fail_posts(self.dm_channels.setdefault(user.id, snowflake()), *faults)

    def allow_posts(self, channel: str, count: int | None) -> None:
        """Let the bot post only `count` more messages in `channel` (None: no limit)."""
        cid = self._resolve_channel(channel)
        if count is None:
            self.post_budget.pop(cid, None)
        else:
            self.post_budget[cid] = count

    def fail_posts(self, channel: str, *faults: Fault, after: int = 0) -> None:
        """Let `after` more posts in `channel` through, then apply `faults` in order (one post
        each, or `times` posts each); afterwards posts succeed again. No faults: clear them."""
        cid = self._resolve_channel(channel)
        if not faults:
            self.post_faults.pop(cid, None)
            return
        queue = [Fault(status=0, times=after)] if after else []
        self.post_faults[cid] = queue + list(faults)

    def fail_edits(self, channel: str, *faults: Fault) -> None:
        """Apply `faults` to the next message edits in `channel` (no faults: clear them)."""
        cid = self._resolve_channel(channel)
        if faults:
            self.edit_faults[cid] = list(faults)
        else:
            self.edit_faults.pop(cid, None)

    def message_bodies(self) -> list[tuple[str, dict[str, Any]]]:
        """Every message create or edit the bot sent (channel posts and edits, interaction
        answers, followups and their edits), as (path, body)."""
        bodies = []
        for call in self.calls:
            if call.method not in ("POST", "PATCH") or not isinstance(call.json, dict):
                continue
            if call.path.endswith("/callback"):
                if call.json.get("type") in (CB_MESSAGE, CB_UPDATE):
                    bodies.append((call.path, call.json.get("data") or {}))
            elif "/messages" in call.path or call.path.startswith("/webhooks/"):
                bodies.append((call.path, call.json))
        return bodies

    def edit_count(self, message_id: str) -> int:
        return int(self.messages[message_id].get("_edits", 0))

    def allowed_mentions_of(self, message_id: str) -> Any:
        return self.messages[message_id].get("_allowed_mentions")

    def user_message(self, user: FakeUser, channel: str, content: str) -> dict[str, Any]:
        """A message written by a person (not the bot), e.g. to right-click later."""
        cid = self._resolve_channel(channel)
        mid = snowflake()
        message = {
            "id": mid,
            "channel_id": cid,
            "guild_id": self.guild_id,
            "author": user.payload(),
            "content": content,
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }
        self.messages[mid] = message
        self.channel_order.setdefault(cid, []).append(mid)
        return message
