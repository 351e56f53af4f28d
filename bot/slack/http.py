"""HTTP mode: Bolt served by aiohttp at `/slack/events`, with the signing secret verified.

Bolt's own aiohttp server would do, except for one flaw: its body parser treats any form body
containing the substring "payload" as an interactive payload, so `/hanno comment add 1 "the
payload bay"` would reach no listener. We build the request ourselves and, for such a slash
command body, put back the fields Bolt lost. The raw body is untouched, so signature checks
still run on exactly what Slack signed.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.health import Health

EVENTS_PATH = "/slack/events"


def bolt_request(body: str, query: str, headers: dict[str, str]) -> AsyncBoltRequest:
    """A Bolt request for an HTTP body, repairing slash commands that mention "payload"."""
    request = AsyncBoltRequest(body=body, query=query, headers=headers)
    if not request.body and body and not body.lstrip().startswith("{"):
        fields = dict(parse_qsl(body, keep_blank_values=True))
        if "payload" not in fields and "command" in fields:
            request.body = fields
            request.context = build_async_context(AsyncBoltContext({}), fields)
    return request


def make_web_app(
    app: AsyncApp, path: str = EVENTS_PATH, *, health: Health | None = None
) -> web.Application:
    """An aiohttp application answering Slack at `path`, and at `/healthz` whether the store
    and every platform connection of this process are up (200) or not (503), as JSON — what
    a load balancer or an orchestrator asks before sending traffic."""

    async def events(request: web.Request) -> web.Response:
        bolt_req = bolt_request(
            await request.text(), request.query_string, dict(request.headers.items())
        )
        bolt_resp = await app.async_dispatch(bolt_req)
        return await to_aiohttp_response(bolt_resp)

    async def healthz(_: web.Request) -> web.Response:
        if health is None:
            return web.json_response({"ok": True, "parts": {}})
        report = await health.report()
        return web.json_response(report, status=200 if report["ok"] else 503)

    web_app = web.Application()
    web_app.router.add_post(path, events)
    web_app.router.add_get("/healthz", healthz)
    return web_app
