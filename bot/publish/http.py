"""One HTTP call to a blog, with every way it can fail turned into one sentence.

WordPress answers JSON and the AtomPub blogs answer XML; each fault (a refused login, a wrong
blog id, a body too large, a rate limit, a server error, a timeout, or an HTML login page where
the API should be) becomes a `TargetFault` naming the target and what to check, so the core
records the failure and the user reads what to do.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from xml.etree import ElementTree

import aiohttp
from multidict import CIMultiDictProxy

from bot.core.targets import PostGone, TargetFault

Expect = Literal["json", "xml"]
_DETAIL = 160  # characters of a refusal's own wording quoted back to the user


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: CIMultiDictProxy[str]
    data: Any  # the parsed JSON, or the XML root element


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Who is being called and how to name them in a fault."""

    target: str
    credential_env: str
    timeout: float


async def call(
    endpoint: Endpoint,
    method: str,
    url: str,
    *,
    expect: Expect,
    headers: dict[str, str] | None = None,
    json_body: Any = None,
    body: bytes | None = None,
    member: bool = False,
    sign: Callable[[], dict[str, str]] | None = None,
) -> Answer:
    """Send one request; a 404 on a `member` URL (an existing post) raises `PostGone`.

    `sign` makes the sign-in headers for each attempt: aiohttp sends a GET or PUT again once
    when its connection drops, and a one-time token (livedoor's WSSE nonce) sent twice is
    refused as a wrong password."""
    timeout = aiohttp.ClientTimeout(total=endpoint.timeout)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout, middlewares=_signed(sign)) as session,
            session.request(
                method, url, headers=headers, json=json_body, data=body, allow_redirects=False
            ) as response,
        ):
            text = await response.text(errors="replace")
            status, response_headers = response.status, response.headers
    except TimeoutError:
        raise TargetFault(
            "target.timeout", target=endpoint.target, seconds=f"{endpoint.timeout:g}", url=url
        ) from None
    except (aiohttp.ClientError, OSError) as exc:
        raise TargetFault(
            "target.unreachable", target=endpoint.target, url=url, detail=type(exc).__name__
        ) from None
    if status >= 400 or 300 <= status < 400:
        raise _fault(endpoint, status, response_headers, text, url, expect=expect, member=member)
    return Answer(status, response_headers, _parse(endpoint, text, response_headers, expect))


def _signed(sign: Callable[[], dict[str, str]] | None) -> tuple[aiohttp.ClientMiddlewareType, ...]:
    """A client middleware putting fresh sign-in headers on each attempt of a request."""
    if sign is None:
        return ()

    async def signed(
        request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
    ) -> aiohttp.ClientResponse:
        request.headers.update(sign())
        return await handler(request)

    return (signed,)


def basic_auth(user: str, secret: str) -> str:
    """An `Authorization: Basic` value (RFC 7617, UTF-8)."""
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")


def _parse(endpoint: Endpoint, text: str, headers: CIMultiDictProxy[str], expect: Expect) -> Any:
    if _looks_like_html(text, headers):
        raise TargetFault("target.login_page", target=endpoint.target, expected=expect.upper())
    try:
        if expect == "json":
            return json.loads(text)
        return ElementTree.fromstring(text.encode("utf-8"))
    except (ValueError, ElementTree.ParseError):
        raise TargetFault(
            "target.bad_answer", target=endpoint.target, expected=expect.upper()
        ) from None


def _looks_like_html(text: str, headers: CIMultiDictProxy[str]) -> bool:
    """A web page where an API answer should be: a login, maintenance or parking page."""
    kind = headers.get("Content-Type", "").split(";")[0].strip().lower()
    start = text.lstrip()[:200].lower()
    return kind == "text/html" or start.startswith(("<!doctype html", "<html"))


def _fault(
    endpoint: Endpoint,
    status: int,
    headers: CIMultiDictProxy[str],
    text: str,
    url: str,
    *,
    expect: Expect,
    member: bool,
) -> TargetFault:
    target = endpoint.target
    if status in (401, 403):
        return TargetFault("target.auth", target=target, status=status, env=endpoint.credential_env)
    if status in (404, 410) and member:
        return PostGone("target.gone", target=target, url=url)
    if status == 404:
        return TargetFault("target.not_found", target=target, url=url)
    if status == 413:
        return TargetFault("target.too_large", target=target)
    if status == 429:
        wait = headers.get("Retry-After", "").strip()
        if wait.isdigit():
            return TargetFault("target.rate_limited", target=target, seconds=wait)
        return TargetFault("target.rate_limited_later", target=target)
    if status >= 500:
        return TargetFault("target.server_error", target=target, status=status)
    if 300 <= status < 400 or _looks_like_html(text, headers):
        return TargetFault("target.login_page", target=target, expected=expect.upper())
    return TargetFault("target.rejected", target=target, status=status, detail=_detail(text))


def _detail(text: str) -> str:
    """The blog's own explanation of a refusal: WordPress's `message`, else the text."""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        text = data["message"]
    words = " ".join(text.split())
    return (words[:_DETAIL] + "…") if len(words) > _DETAIL else words or "no explanation"
