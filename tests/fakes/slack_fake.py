"""A fake Slack Web API on 127.0.0.1, plus helpers that play Slack's side of HTTP mode.

Tests run the real slack-bolt `AsyncApp` with an `AsyncWebClient` pointed at this server
(`base_url=fake.api_url`). The fake records every call (method, parsed arguments, token),
answers the way Slack does for the methods hanno uses, and keeps message and view state so a
test can read what a card shows *now* (after any number of `chat.update`s). Failures can be
scripted (`fake.fail("chat.update", times=2, status=429)`) to prove the retry handlers work.

`SlackEvents` is the other direction: it builds Slack's payloads (slash command, block
actions, view submission, message shortcut), signs them like Slack (v0 HMAC-SHA256) and POSTs
them to the app's `/slack/events`. Bolt acks first and runs the listener afterwards, so tests
wait for the recorded call (`await fake.wait_for(...)`) instead of assuming it happened.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import ClientSession, WSMsgType, web

PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)

# Arguments Slack accepts as JSON-encoded strings inside form bodies.
_JSON_ARGUMENTS = ("blocks", "attachments", "view", "metadata")


def clear_proxy_env(monkeypatch: Any = None) -> None:
    """Drop proxy variables: slack_sdk honours HTTPS_PROXY and ignores NO_PROXY (even loopback)."""
    for name in PROXY_VARIABLES:
        if monkeypatch is not None:
            monkeypatch.delenv(name, raising=False)
        else:
            os.environ.pop(name, None)


@dataclass
class Call:
    """One request the app made to the fake."""

    method: str
    args: dict[str, Any]
    token: str | None
    http_method: str = "POST"
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    connection: str = ""  # the client's address and port: calls on one connection share it


@dataclass
class ResponseUrlPost:
    """What the app POSTed to a `response_url` handed out by the fake."""

    key: str
    body: dict[str, Any]

    @property
    def ephemeral(self) -> bool:
        return self.body.get("response_type", "ephemeral") != "in_channel"

    @property
    def text(self) -> str:
        return str(self.body.get("text", ""))


@dataclass
class _Failure:
    status: int
    retry_after: int | None
    error: str
    delay: float = 0.0  # seconds before answering (a slow Slack; past the client's timeout)
    landed: bool = False  # the call takes effect (a message is posted) before the failure


class SlackFake:
    """An aiohttp server that answers like the parts of the Slack Web API that hanno calls."""

    def __init__(
        self,
        *,
        team_id: str = "T0HANNO",
        team_name: str = "Hanno Test",
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        tokens: Iterable[str] | None = None,
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.valid_tokens: set[str] | None = set(tokens) if tokens is not None else None
        self.calls: list[Call] = []
        self.response_posts: list[ResponseUrlPost] = []
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.ephemerals: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.usergroups: dict[str, dict[str, Any]] = {}
        self.port = 0
        self.unreadable_channels: set[str] = set()  # conversations.history: not_in_channel
        # user id -> the error a DM to them meets (see `close_dm`)
        self.undeliverable: dict[str, str] = {}
        self._failures: dict[str, list[_Failure | None]] = {}
        self._changed = asyncio.Condition()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.socket_acks: list[dict[str, Any]] = []
        self._sockets: list[web.WebSocketResponse] = []

    # ----------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The `base_url` for `AsyncWebClient` (the trailing slash matters to slack_sdk)."""
        return f"{self.url}/api/"

    async def start(self) -> SlackFake:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{key}", self._handle_response_url)
        app.router.add_get("/link/", self._handle_socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SlackFake:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ----------------------------------------------------------------- set-up

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        real_name: str | None = None,
        is_bot: bool = False,
        locale: str = "en-US",
    ) -> dict[str, Any]:
        """A member; `locale` is the language they chose in Slack (an IETF tag like ja-JP)."""
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": real_name or name,
            "is_bot": is_bot,
            "deleted": False,
            "profile": {"display_name": name, "real_name": real_name or name},
            "locale": locale,
        }
        self.users[user_id] = user
        return user

    def add_usergroup(self, group_id: str, handle: str, members: Iterable[str]) -> None:
        self.usergroups[group_id] = {
            "id": group_id,
            "team_id": self.team_id,
            "handle": handle,
            "name": handle,
            "users": list(members),
        }

    def fail(
        self,
        method: str,
        *,
        times: int = 1,
        status: int = 429,
        retry_after: int | None = 0,
        error: str | None = None,
        after: int = 0,
        delay: float = 0.0,
        landed: bool = False,
    ) -> None:
        """Make `times` calls of `method` fail (429 with Retry-After, 500, ...), once `after`
        more calls of it have succeeded.

        `delay` holds the answer back that long (a hung request, a timeout for the client);
        `landed` makes the call take effect first, so the failure hides a posted message.
        With `status=200` and `landed=True`, the call succeeds, only slowly.
        """
        reason = error or ("ratelimited" if status == 429 else "internal_error")
        failure = _Failure(
            status=status, retry_after=retry_after, error=reason, delay=delay, landed=landed
        )
        self._failures.setdefault(method, []).extend([None] * after + [failure] * times)

    def close_dm(self, user_id: str, error: str = "user_disabled") -> None:
        """Direct messages to `user_id` fail as Slack fails them: conversations.open answers
        `user_not_found` / `user_disabled` / `user_not_visible`, chat.postMessage answers
        `cannot_dm_bot` / `account_inactive` (whichever `error` names)."""
        self.undeliverable[user_id] = error

    def open_dm(self, user_id: str) -> None:
        self.undeliverable.pop(user_id, None)

    def new_response_url(self) -> str:
        return f"{self.url}/response/{next(self._ids)}"

    def new_trigger_id(self) -> str:
        return f"trigger-{next(self._ids)}"

    # ----------------------------------------------------------------- reading

    def calls_to(self, method: str, predicate: Callable[[Call], bool] | None = None) -> list[Call]:
        """Successful calls of `method` (failed attempts are in `self.calls` with their status)."""
        return [
            c
            for c in self.calls
            if c.method == method and c.status == 200 and (predicate is None or predicate(c))
        ]

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - a test deadline, the name tests expect
        count: int = 1,
    ) -> Call:
        """The `count`-th successful call of `method` matching `predicate`, waiting if need be."""

        def ready() -> bool:
            return len(self.calls_to(method, predicate)) >= count

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(ready), timeout)
            except TimeoutError:
                seen = [(c.method, c.args) for c in self.calls[-10:]]
                raise AssertionError(
                    f"no {count} call(s) of {method} matching within {timeout}s; last: {seen}"
                ) from None
        return self.calls_to(method, predicate)[count - 1]

    async def wait_for_response(
        self,
        predicate: Callable[[ResponseUrlPost], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - a test deadline, the name tests expect
        count: int = 1,
    ) -> ResponseUrlPost:
        """The `count`-th POST to a response_url matching `predicate`."""

        def matching() -> list[ResponseUrlPost]:
            return [p for p in self.response_posts if predicate is None or predicate(p)]

        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: len(matching()) >= count), timeout
                )
            except TimeoutError:
                seen = [p.body for p in self.response_posts[-10:]]
                raise AssertionError(
                    f"no response_url post matching within {timeout}s; last: {seen}"
                ) from None
        return matching()[count - 1]

    async def settle(self, quiet: float = 0.3, limit: float = 10.0) -> None:
        """Wait until no call has arrived for `quiet` seconds (debounced work has flushed)."""
        deadline = time.monotonic() + limit
        seen = -1
        while time.monotonic() < deadline:
            current = len(self.calls) + len(self.response_posts)
            if current == seen:
                return
            seen = current
            await asyncio.sleep(quiet)
        raise AssertionError("the app kept calling Slack; it never settled")

    def message(self, channel: str, ts: str) -> dict[str, Any]:
        """A message as it is now, after every update."""
        return self.messages[(channel, ts)]

    def channel_messages(self, channel: str) -> list[dict[str, Any]]:
        """The messages in `channel`, oldest first."""
        found = [m for (ch, _), m in self.messages.items() if ch == channel]
        return sorted(found, key=lambda m: float(m["ts"]))

    # ----------------------------------------------------------------- serving

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        raw = await request.text()
        body = json.loads(raw) if raw.startswith("{") else dict(parse_qsl(raw))
        async with self._changed:
            self.response_posts.append(ResponseUrlPost(key=request.match_info["key"], body=body))
            self._changed.notify_all()
        return web.Response(text="ok")

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if raw:
            if (request.content_type or "").endswith("json") or raw.startswith("{"):
                args.update(json.loads(raw))
            else:
                args.update(dict(parse_qsl(raw, keep_blank_values=True)))
        for name in _JSON_ARGUMENTS:
            if isinstance(args.get(name), str) and args[name][:1] in "[{":
                args[name] = json.loads(args[name])
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() or args.pop("token", None)
        peer = request.transport.get_extra_info("peername") if request.transport else None
        call = Call(
            method=method,
            args=args,
            token=token,
            http_method=request.method,
            connection=f"{peer[0]}:{peer[1]}" if peer else "",
        )

        pending = self._failures.get(method)
        failure = pending.pop(0) if pending else None
        if failure is not None and failure.landed:
            handler = getattr(self, "_api_" + method.replace(".", "_"))
            landed = {"ok": True, **handler(args)}
            await asyncio.sleep(failure.delay)
            if failure.status == 200:
                call.response = landed
                await self._record(call)
                return web.json_response(landed)
        elif failure is not None:
            await asyncio.sleep(failure.delay)
        if failure is not None:
            call.status = failure.status
            call.response = {"ok": False, "error": failure.error}
            await self._record(call)
            headers = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            return web.json_response(call.response, status=failure.status, headers=headers)

        if self.valid_tokens is not None and token not in self.valid_tokens:
            call.response = {"ok": False, "error": "invalid_auth"}
        else:
            handler = getattr(self, "_api_" + method.replace(".", "_"), None)
            if handler is None:
                call.response = {"ok": False, "error": "unknown_method"}
            else:
                call.response = {"ok": True, **handler(args)}
        await self._record(call)
        return web.json_response(call.response)

    # ----------------------------------------------------------------- Socket Mode

    async def _handle_socket(self, request: web.Request) -> web.WebSocketResponse:
        """Slack's Socket Mode endpoint: say hello, then record every envelope ack."""
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        async with self._changed:
            self._sockets.append(socket)
            self._changed.notify_all()
        await socket.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "AHANNO"}}
        )
        try:
            async for message in socket:
                if message.type is WSMsgType.TEXT:
                    async with self._changed:
                        self.socket_acks.append(json.loads(message.data))
                        self._changed.notify_all()
        finally:
            self._sockets.remove(socket)
        return socket

    async def wait_for_socket(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: bool(self._sockets)), timeout)

    async def send_envelope(
        self,
        kind: str,
        payload: dict[str, Any],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Push an envelope over the app's socket; returns the app's ack (within `timeout`)."""
        await self.wait_for_socket(timeout)
        envelope_id = f"env-{next(self._ids)}"
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )

        def acked() -> list[dict[str, Any]]:
            return [a for a in self.socket_acks if a.get("envelope_id") == envelope_id]

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: bool(acked())), timeout)
        return acked()[0]

    def _api_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self.port}/link/"}

    # ----------------------------------------------------------------- the methods

    def _next_ts(self) -> str:
        return f"{1_800_000_000 + next(self._ts)}.{next(self._ids):06d}"

    def _channel_for(self, channel: str) -> str:
        """Posting to a user id lands in the DM with that user, as Slack does."""
        if channel.startswith(("U", "W")):
            return "D" + channel
        return channel

    def _user(self, user_id: str) -> dict[str, Any]:
        return self.users.get(user_id) or self.add_user(user_id, user_id.lower())

    def _api_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://hanno-test.slack.com/",
            "team": self.team_name,
            "user": "hanno",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _api_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_for(str(args.get("channel", "")))
        if channel.startswith("D"):
            error = self.undeliverable.get(channel[1:])
            if error is not None:
                return {"ok": False, "error": error}
        ts = self._next_ts()
        message = {
            "type": "message",
            "channel": channel,
            "ts": ts,
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "text": args.get("text", ""),
            "blocks": args.get("blocks", []),
            "thread_ts": args.get("thread_ts"),
            "metadata": args.get("metadata"),
            "updates": 0,
        }
        self.messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "message": dict(message)}

    def _api_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first; metadata only with include_all_metadata, as Slack does."""
        channel = str(args.get("channel", ""))
        if channel in self.unreadable_channels:
            return {"ok": False, "error": "not_in_channel"}
        limit = int(args.get("limit") or 100)
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        found = []
        for message in reversed(self.channel_messages(channel)):
            shown = {k: v for k, v in message.items() if k not in ("updates", "channel")}
            if not with_metadata or not shown.get("metadata"):
                shown.pop("metadata", None)
            found.append(shown)
        return {"messages": found[:limit], "has_more": len(found) > limit}

    def _api_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (str(args.get("channel")), str(args.get("ts")))
        message = self.messages.get(key)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if "text" in args:
            message["text"] = args["text"]
        if "blocks" in args:
            message["blocks"] = args["blocks"]
        message["updates"] += 1
        return {"channel": key[0], "ts": key[1], "text": message["text"]}

    def _api_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        self.ephemerals.append(dict(args))
        return {"message_ts": self._next_ts()}

    def _api_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel", "")
        ts = str(args.get("message_ts", "")).replace(".", "")
        return {
            "channel": channel,
            "permalink": f"https://hanno-test.slack.com/archives/{channel}/p{ts}",
        }

    def _open_view(self, args: dict[str, Any], view_id: str | None = None) -> dict[str, Any]:
        view = dict(args.get("view") or {})
        view_id = view_id or f"V{next(self._ids):06d}"
        view.update({"id": view_id, "team_id": self.team_id, "hash": f"h{next(self._ids)}"})
        self.views[view_id] = view
        return {"view": view}

    def _api_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._open_view(args)

    def _api_views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._open_view(args)

    def _api_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = args.get("view_id")
        if not view_id:
            external = args.get("external_id")
            view_id = next(
                (k for k, v in self.views.items() if v.get("external_id") == external), None
            )
        if view_id not in self.views:
            return {"ok": False, "error": "not_found"}
        return self._open_view(args, view_id)

    def _api_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user_id", ""))
        result = self._open_view(args)
        self.home_views[user_id] = result["view"]
        return result

    def _api_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        """Slack adds the user's `locale` only when asked with include_locale=true."""
        user = dict(self._user(str(args.get("user", ""))))
        if str(args.get("include_locale", "")).lower() not in ("1", "true"):
            user.pop("locale", None)
        return {"user": user}

    def _api_usergroups_list(self, args: dict[str, Any]) -> dict[str, Any]:
        include_users = str(args.get("include_users", "")).lower() in ("1", "true")
        groups = []
        for group in self.usergroups.values():
            shown = dict(group)
            if not include_users:
                shown.pop("users")
            groups.append(shown)
        return {"usergroups": groups}

    def _api_usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        group = self.usergroups.get(str(args.get("usergroup", "")))
        if group is None:
            return {"ok": False, "error": "no_such_subteam"}
        return {"users": list(group["users"])}

    def _api_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = str(args.get("users", "")).split(",")
        error = self.undeliverable.get(users[0])
        if error in ("user_not_found", "user_disabled", "user_not_visible"):
            return {"ok": False, "error": error}
        return {"channel": {"id": self._channel_for(users[0]), "is_im": True}}


# --------------------------------------------------------------------- Slack's side of HTTP mode


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends: v0 HMAC-SHA256 over "v0:{timestamp}:{body}"."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Reply:
    """The app's immediate HTTP answer (the ack)."""

    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


class SlackEvents:
    """Builds, signs and POSTs the requests Slack sends to an app's `/slack/events`."""

    def __init__(
        self,
        url: str | None,
        signing_secret: str,
        fake: SlackFake,
        *,
        command: str = "/hanno",
        channel_id: str = "CGENERAL",
    ) -> None:
        self.url = url
        self.signing_secret = signing_secret
        self.fake = fake
        self.command_name = command
        self.channel_id = channel_id

    # ---- transport

    async def post_raw(
        self, body: str, content_type: str, headers: dict[str, str] | None = None
    ) -> Reply:
        assert self.url is not None, "no URL: this SlackEvents talks Socket Mode"
        sent = {"Content-Type": content_type}
        sent.update(headers if headers is not None else sign(self.signing_secret, body))
        async with (
            ClientSession(trust_env=False) as session,
            session.post(self.url, data=body.encode(), headers=sent) as response,
        ):
            return Reply(status=response.status, text=await response.text())

    @property
    def socket_mode(self) -> bool:
        """Without a URL, requests go as Socket Mode envelopes over the app's WebSocket."""
        return self.url is None

    async def _envelope(self, kind: str, payload: dict[str, Any]) -> Reply:
        ack = await self.fake.send_envelope(kind, payload)
        return Reply(status=200, text=json.dumps(ack["payload"]) if ack.get("payload") else "")

    async def post_form(
        self, fields: dict[str, str], headers: dict[str, str] | None = None
    ) -> Reply:
        return await self.post_raw(urlencode(fields), "application/x-www-form-urlencoded", headers)

    async def post_payload(self, payload: dict[str, Any]) -> Reply:
        if self.socket_mode:
            return await self._envelope("interactive", payload)
        return await self.post_form({"payload": json.dumps(payload)})

    # ---- payloads

    def _team(self) -> dict[str, str]:
        return {"id": self.fake.team_id, "domain": "hanno-test"}

    def _user(self, user_id: str) -> dict[str, str]:
        name = self.fake._user(user_id)["name"]
        return {"id": user_id, "username": name, "name": name, "team_id": self.fake.team_id}

    def command_fields(
        self, user_id: str, text: str, channel_id: str | None = None
    ) -> dict[str, str]:
        return {
            "token": "legacy-verification-token",
            "team_id": self.fake.team_id,
            "team_domain": "hanno-test",
            "channel_id": channel_id or self.channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": self.fake._user(user_id)["name"],
            "command": self.command_name,
            "text": text,
            "api_app_id": "AHANNO",
            "is_enterprise_install": "false",
            "response_url": self.fake.new_response_url(),
            "trigger_id": self.fake.new_trigger_id(),
        }

    async def command(self, user_id: str, text: str, channel_id: str | None = None) -> Reply:
        """`/hanno <text>` typed by `user_id`."""
        fields = self.command_fields(user_id, text, channel_id)
        if self.socket_mode:
            return await self._envelope("slash_commands", fields)
        return await self.post_form(fields)

    async def block_action(
        self,
        user_id: str,
        action_id: str,
        value: str = "",
        *,
        channel_id: str | None = None,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        block_id: str = "b",
        selected_user: str | None = None,
    ) -> Reply:
        """A click on a button (or a user picker when `selected_user` is given)."""
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block_id,
            "type": "button",
            "value": value,
            "action_ts": f"{time.time():.6f}",
        }
        if selected_user is not None:
            action = {**action, "type": "users_select", "selected_user": selected_user}
            action.pop("value")
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": self._team(),
            "user": self._user(user_id),
            "api_app_id": "AHANNO",
            "token": "legacy-verification-token",
            "trigger_id": self.fake.new_trigger_id(),
            "response_url": self.fake.new_response_url(),
            "actions": [action],
            "is_enterprise_install": False,
        }
        if view is not None:  # Home tab or modal: Slack gives no response_url there
            payload["container"] = {"type": "view", "view_id": view.get("id")}
            payload["view"] = view
            del payload["response_url"]
        else:
            channel = channel_id or (message or {}).get("channel") or self.channel_id
            payload["channel"] = {"id": channel, "name": channel.lower()}
            if message is not None:
                payload["message"] = message
                payload["container"] = {
                    "type": "message",
                    "message_ts": message["ts"],
                    "channel_id": channel,
                    "is_ephemeral": False,
                }
        return await self.post_payload(payload)

    async def view_submission(
        self, user_id: str, view: dict[str, Any], values: dict[str, dict[str, Any]]
    ) -> Reply:
        """Submitting a modal as opened (`view`, from `fake.views`) with `values`.

        `values` maps block_id -> {action_id: value}; a str is a plain-text input, a dict is
        sent as the element's state as-is (e.g. {"type": "static_select", "selected_option": …}).
        """
        state: dict[str, dict[str, Any]] = {}
        for block_id, elements in values.items():
            state[block_id] = {}
            for action_id, value in elements.items():
                if isinstance(value, dict):
                    state[block_id][action_id] = value
                else:
                    state[block_id][action_id] = {"type": "plain_text_input", "value": value}
        submitted = {**view, "state": {"values": state}}
        submitted.setdefault("id", f"V{next(self.fake._ids):06d}")
        submitted.setdefault("type", "modal")
        payload = {
            "type": "view_submission",
            "team": self._team(),
            "user": self._user(user_id),
            "api_app_id": "AHANNO",
            "token": "legacy-verification-token",
            "trigger_id": self.fake.new_trigger_id(),
            "view": submitted,
            "response_urls": [],
            "is_enterprise_install": False,
        }
        return await self.post_payload(payload)

    async def message_action(
        self,
        user_id: str,
        callback_id: str,
        message_text: str,
        *,
        channel_id: str | None = None,
        author_id: str = "UAUTHOR",
        message_ts: str = "1700000000.000100",
    ) -> Reply:
        """The message shortcut (e.g. "Submit as reaction") on a message with `message_text`."""
        channel = channel_id or self.channel_id
        payload = {
            "type": "message_action",
            "callback_id": callback_id,
            "team": self._team(),
            "user": self._user(user_id),
            "channel": {"id": channel, "name": channel.lower()},
            "message": {
                "type": "message",
                "user": author_id,
                "ts": message_ts,
                "text": message_text,
            },
            "message_ts": message_ts,
            "api_app_id": "AHANNO",
            "token": "legacy-verification-token",
            "trigger_id": self.fake.new_trigger_id(),
            "response_url": self.fake.new_response_url(),
            "is_enterprise_install": False,
        }
        return await self.post_payload(payload)

    async def app_home_opened(self, user_id: str) -> Reply:
        """The Events API callback Slack sends when a user opens the app's Home tab."""
        body = {
            "token": "legacy-verification-token",
            "team_id": self.fake.team_id,
            "api_app_id": "AHANNO",
            "event": {
                "type": "app_home_opened",
                "user": user_id,
                "channel": "D" + user_id,
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
            "type": "event_callback",
            "event_id": f"Ev{next(self.fake._ids)}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "team_id": self.fake.team_id,
                    "user_id": self.fake.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
        }
        if self.socket_mode:
            return await self._envelope("events_api", body)
        return await self.post_raw(json.dumps(body), "application/json")


def block_texts(blocks: Iterable[dict[str, Any]]) -> str:
    """All visible text in `blocks`, joined by newlines (for assertions)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and "text" in node:
                out.append(str(node["text"]))
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(list(blocks))
    return "\n".join(out)


def find_action(blocks: Iterable[dict[str, Any]], action_id: str) -> dict[str, Any]:
    """The interactive element with `action_id` in `blocks` (a button, a picker...)."""
    for block in blocks:
        elements = list(block.get("elements", []))
        if "accessory" in block:
            elements.append(block["accessory"])
        if "element" in block:
            elements.append(block["element"])
        for element in elements:
            if element.get("action_id") == action_id:
                return element
    raise AssertionError(f"no element {action_id!r} in the blocks")


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    """Serve an aiohttp application on 127.0.0.1 at a free port; returns (runner, base url)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"
