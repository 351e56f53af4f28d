"""Fake blogs on 127.0.0.1: WordPress's REST API and the AtomPub endpoints of Hatena Blog and
livedoor Blog, answering in their real shapes.

One aiohttp server hosts all three under their own prefixes (`wordpress_url`, `hatena_url`,
`livedoor_url`, each what a target's `url` setting holds). WordPress checks Application
Passwords over Basic auth and answers with its real error bodies (`rest_cannot_create`,
`incorrect_password`, `rest_post_invalid_id`…); Hatena checks Basic auth with the API key and
livedoor a WSSE UsernameToken (the digest recomputed); both answer real Atom entry documents,
and a GET of the collection answers an Atom feed of the newest entries a page at a time
(`page_size` of them, newest first, with a `rel="next"` link to the older ones, as Hatena does).
`fail(service, …)` scripts a fault for the next request(s): a status with the service's own
body, an HTML login page, an answer slower than the client waits, or a request carried out
whose answer is lost (the connection dropped, as in a crash or a timeout after the server
acted).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from aiohttp import web

ATOM = "http://www.w3.org/2005/Atom"
APP = "http://www.w3.org/2007/app"
LOGIN_PAGE = (
    "<!DOCTYPE html><html><head><title>Log In</title></head><body>"
    '<form name="loginform" action="/wp-login.php" method="post">'
    '<input type="text" name="log"></form></body></html>'
)
WP_ERRORS = {
    401: ("rest_cannot_create", "Sorry, you are not allowed to create posts as this user."),
    403: ("rest_forbidden", "Sorry, you are not allowed to do that."),
    404: ("rest_no_route", "No route was found matching the URL and request method."),
    413: ("rest_too_large", "Request Entity Too Large"),
    429: ("rest_too_many_requests", "Too many requests."),
    500: ("internal_server_error", "There has been a critical error on this website."),
    503: ("service_unavailable", "Service Unavailable"),
}


@dataclass
class Fault:
    status: int = 500
    login_page: bool = False
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    lost: bool = False  # AtomPub: the request is carried out, then the connection dropped
    method: str = ""  # only a request with this method meets the fault ("" for any)


@dataclass
class Request:
    service: str
    method: str
    path: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def wsse(self) -> dict[str, str]:
        """The fields of the request's X-WSSE UsernameToken (livedoor), by name."""
        return dict(re.findall(r'(\w+)="([^"]*)"', self.headers.get("X-WSSE", "")))


class BlogFakes:
    """WordPress, Hatena and livedoor, each with one account and what was posted to it."""

    def __init__(self) -> None:
        self.wp_user, self.wp_password = "editor", "abcd EFGH 1234 ijkl MNOP 6789"
        self.hatena_user, self.hatena_blog, self.hatena_key = (
            "hanno_team",
            "hanno.hatenablog.com",
            "hatena-key-1",
        )
        self.livedoor_user, self.livedoor_blog, self.livedoor_key = (
            "hanno_ld",
            "hannoblog",
            "ld-key-2",
        )
        self.posts: dict[int, dict[str, Any]] = {}
        self.terms: dict[str, list[dict[str, Any]]] = {
            "categories": [
                {"id": 1, "name": "Uncategorized", "slug": "uncategorized"},
                {"id": 7, "name": "海外の反応", "slug": "kaigai"},
            ],
            "tags": [{"id": 21, "name": "鉄道 &amp; 模型", "slug": "railway"}],
        }
        self.entries: dict[str, dict[str, dict[str, Any]]] = {"hatena": {}, "livedoor": {}}
        self.page_size = 10  # entries in one page of a collection feed (Hatena's 10)
        self.requests: list[Request] = []
        self.nonces: set[str] = set()
        self._faults: dict[str, list[Fault]] = {}
        self._losing: set[str] = set()
        self._ids = itertools.count(101)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # lifecycle ---------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def wordpress_url(self) -> str:
        return f"{self.url}/wp"

    @property
    def hatena_url(self) -> str:
        return f"{self.url}/hatena"

    @property
    def livedoor_url(self) -> str:
        return f"{self.url}/livedoor/atompub"

    async def start(self) -> BlogFakes:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/wp/wp-json/wp/v2/{rest:.*}", self._wordpress)
        app.router.add_route("*", "/hatena/{user}/{blog}/atom/entry{rest:.*}", self._hatena)
        app.router.add_route("*", "/livedoor/atompub/{blog}/article{rest:.*}", self._livedoor)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def reset(self) -> None:
        """Forget posts, entries, requests and scripted faults (between tests)."""
        self.posts.clear()
        for entries in self.entries.values():
            entries.clear()
        self.requests.clear()
        self._faults.clear()
        self._losing.clear()

    def fail(self, service: str, fault: Fault, times: int = 1) -> None:
        """The next `times` requests to `service` ("wordpress", "hatena", "livedoor") fail."""
        self._faults.setdefault(service, []).extend([fault] * times)

    def calls(self, service: str, method: str | None = None) -> list[Request]:
        return [r for r in self.requests if r.service == service and method in (None, r.method)]

    async def _fault(self, service: str, request: web.Request) -> web.Response | None:
        self.requests.append(
            Request(
                service,
                request.method,
                request.path_qs,
                await request.read(),
                dict(request.headers),
            )
        )
        queue = self._faults.get(service, [])
        fault = next((f for f in queue if f.method in ("", request.method)), None)
        if fault is None:
            return None
        queue.remove(fault)
        if fault.lost:
            self._losing.add(service)
            return None
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.login_page:
            return web.Response(text=LOGIN_PAGE, content_type="text/html")
        if service == "wordpress":
            code, message = WP_ERRORS.get(fault.status, ("rest_error", "Error."))
            return _wp_error(fault.status, code, message, headers=fault.headers)
        return web.Response(
            status=fault.status,
            text=f"{fault.status} Error",
            headers=fault.headers,
            content_type="text/plain",
        )

    # WordPress ---------------------------------------------------------------------------------

    async def _wordpress(self, request: web.Request) -> web.Response:
        if (faulty := await self._fault("wordpress", request)) is not None:
            return faulty
        if (refused := self._wp_auth(request)) is not None:
            return refused
        rest = request.match_info["rest"]
        if rest in ("categories", "tags"):
            return await self._wp_terms(request, rest)
        if rest == "posts" and request.method == "GET":
            slug = request.query.get("slug", "")
            statuses = request.query.get("status", "publish").split(",")
            found = [
                {"id": p["id"]}
                for p in self.posts.values()
                if p["slug"] == slug
                and (p["status"] in statuses or ("any" in statuses and p["status"] != "trash"))
            ]
            return web.json_response(found)
        if rest == "posts" and request.method == "POST":
            return await self._wp_save(request, None)
        if (match := re.fullmatch(r"posts/([0-9]+)", rest)) and request.method in ("POST", "PUT"):
            return await self._wp_save(request, int(match[1]))
        return _wp_error(404, *WP_ERRORS[404])

    def _wp_auth(self, request: web.Request) -> web.Response | None:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return _wp_error(401, *WP_ERRORS[401])
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        if user != self.wp_user:
            return _wp_error(
                401, "invalid_username", "Unknown username. Check again or try your email address."
            )
        if password.replace(" ", "") != self.wp_password.replace(" ", ""):
            return _wp_error(
                401,
                "incorrect_password",
                "The provided password is an invalid application password.",
            )
        return None

    async def _wp_terms(self, request: web.Request, taxonomy: str) -> web.Response:
        terms = self.terms[taxonomy]
        if request.method == "GET":
            search = request.query.get("search", "").lower()
            found = [t for t in terms if search in t["name"].lower()]
            return web.json_response(found)
        name = (await request.json())["name"]
        if any(t["name"] == name for t in terms):
            existing = next(t for t in terms if t["name"] == name)
            return web.json_response(
                {
                    "code": "term_exists",
                    "message": "A term with the name provided already exists in this taxonomy.",
                    "data": {"status": 400, "term_id": existing["id"]},
                },
                status=400,
            )
        term = {"id": next(self._ids), "name": name, "slug": name}
        terms.append(term)
        return web.json_response(term, status=201)

    async def _wp_save(self, request: web.Request, post_id: int | None) -> web.Response:
        body = await request.json()
        if post_id is not None and post_id not in self.posts:
            return _wp_error(404, "rest_post_invalid_id", "Invalid post ID.")
        if post_id is None:
            post_id = next(self._ids)
            self.posts[post_id] = {
                "id": post_id,
                "status": "draft",
                "categories": [],
                "tags": [],
                "slug": "",
                "revisions": 0,
            }
            status = 201
        else:
            status = 200
            self.posts[post_id]["revisions"] += 1
        post = self.posts[post_id]
        for key in ("title", "content", "excerpt", "status", "categories", "tags", "slug"):
            if key in body:
                post[key] = body[key]
        return web.json_response(self._wp_shape(post), status=status)

    def _wp_shape(self, post: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": post["id"],
            "date": "2026-05-05T10:00:00",
            "slug": post["slug"],
            "status": post["status"],
            "type": "post",
            "link": f"{self.wordpress_url}/?p={post['id']}",
            "title": {"raw": post.get("title", ""), "rendered": post.get("title", "")},
            "content": {
                "raw": post.get("content", ""),
                "rendered": post.get("content", ""),
                "protected": False,
            },
            "excerpt": {
                "raw": post.get("excerpt", ""),
                "rendered": post.get("excerpt", ""),
                "protected": False,
            },
            "categories": post["categories"],
            "tags": post["tags"],
        }

    # AtomPub -----------------------------------------------------------------------------------

    async def _hatena(self, request: web.Request) -> web.Response:
        if (faulty := await self._fault("hatena", request)) is not None:
            return faulty
        header = request.headers.get("Authorization", "")
        expected = base64.b64encode(f"{self.hatena_user}:{self.hatena_key}".encode()).decode()
        if header != f"Basic {expected}":
            return web.Response(status=401, text="401 Unauthorized", content_type="text/plain")
        info = request.match_info
        if (info["user"], info["blog"]) != (self.hatena_user, self.hatena_blog):
            return web.Response(status=404, text="404 Not Found", content_type="text/plain")
        base = f"{self.hatena_url}/{self.hatena_user}/{self.hatena_blog}/atom/entry"
        answer = await self._atompub(request, "hatena", base, "https://hanno.hatenablog.com/entry/")
        return self._answer("hatena", request, answer)

    async def _livedoor(self, request: web.Request) -> web.Response:
        if (faulty := await self._fault("livedoor", request)) is not None:
            return faulty
        if not self._wsse_ok(request):
            return web.Response(
                status=401, text="401 Authorization Required", content_type="text/plain"
            )
        if request.match_info["blog"] != self.livedoor_blog:
            return web.Response(status=404, text="Not Found", content_type="text/plain")
        base = f"{self.livedoor_url}/{self.livedoor_blog}/article"
        answer = await self._atompub(
            request, "livedoor", base, "http://hannoblog.blog.jp/archives/"
        )
        return self._answer("livedoor", request, answer)

    def _answer(self, service: str, request: web.Request, answer: web.Response) -> web.Response:
        """The answer, or, when a lost answer was scripted, the connection dropped instead."""
        if service not in self._losing:
            return answer
        self._losing.discard(service)
        assert request.transport is not None
        request.transport.abort()  # aiohttp writes the answer to nothing
        return answer

    def _wsse_ok(self, request: web.Request) -> bool:
        """Recompute the UsernameToken's digest; a nonce is accepted once."""
        if request.headers.get("Authorization") != 'WSSE profile="UsernameToken"':
            return False
        fields = dict(re.findall(r'(\w+)="([^"]*)"', request.headers.get("X-WSSE", "")))
        if fields.get("Username") != self.livedoor_user or fields.get("Nonce") in self.nonces:
            return False
        nonce = base64.b64decode(fields.get("Nonce", ""))
        digest = hashlib.sha1(
            nonce + fields.get("Created", "").encode() + self.livedoor_key.encode()
        )
        if base64.b64encode(digest.digest()).decode() != fields.get("PasswordDigest"):
            return False
        self.nonces.add(fields["Nonce"])
        return True

    async def _atompub(
        self, request: web.Request, service: str, base: str, public: str
    ) -> web.Response:
        entries = self.entries[service]
        rest = request.match_info["rest"].strip("/")
        if not rest and request.method == "GET":
            return self._feed(request, entries, base, public)
        if not rest and request.method == "POST":
            entry_id = str(next(self._ids))
            entries[entry_id] = {"revisions": 0, **_read_entry(await request.read())}
            location = f"{base}/{entry_id}"
            return _atom_response(
                entries[entry_id],
                entry_id,
                location,
                public,
                status=201,
                headers={"Location": location},
            )
        if rest not in entries:
            return web.Response(status=404, text="Not Found", content_type="text/plain")
        if request.method == "GET":
            return _atom_response(entries[rest], rest, f"{base}/{rest}", public)
        if request.method == "PUT":
            entries[rest] = {**entries[rest], **_read_entry(await request.read())}
            entries[rest]["revisions"] += 1
            return _atom_response(entries[rest], rest, f"{base}/{rest}", public)
        return web.Response(status=405, text="Method Not Allowed", content_type="text/plain")

    def _feed(
        self, request: web.Request, entries: dict[str, dict[str, Any]], base: str, public: str
    ) -> web.Response:
        """One page of the collection: `page_size` entries from `?page=`, newest first."""
        newest = sorted(entries, key=int, reverse=True)
        start = int(request.query.get("page", "0") or 0)
        page = newest[start : start + self.page_size]
        more = start + self.page_size < len(newest)
        after = f'<link rel="next" href={quoteattr(f"{base}?page={start + self.page_size}")}/>'
        xml = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed xmlns="{ATOM}" xmlns:app="{APP}">'
            f'<link rel="first" href={quoteattr(base)}/>'
            f"{after if more else ''}"
            "<title>hanno</title>"
            f'<link rel="alternate" href={quoteattr(public)}/>'
            "<updated>2026-05-05T10:00:00+09:00</updated>"
            f"<id>tag:blog.example,2026:blog</id>"
            + "".join(
                _entry_xml(entries[entry_id], entry_id, f"{base}/{entry_id}", public)
                for entry_id in page
            )
            + "</feed>"
        )
        return web.Response(text=xml, content_type="application/atom+xml")


def _wp_error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response(
        {"code": code, "message": message, "data": {"status": status}},
        status=status,
        headers=headers,
    )


def _read_entry(body: bytes) -> dict[str, Any]:
    root = ElementTree.fromstring(body)
    return {
        "title": root.findtext(f"{{{ATOM}}}title") or "",
        "content": root.findtext(f"{{{ATOM}}}content") or "",
        "content_type": root.find(f"{{{ATOM}}}content").get("type", ""),  # type: ignore[union-attr]
        "categories": [c.get("term") for c in root.findall(f"{{{ATOM}}}category")],
        "draft": (root.findtext(f"{{{APP}}}control/{{{APP}}}draft") or "no") == "yes",
    }


def _atom_response(
    entry: dict[str, Any],
    entry_id: str,
    edit: str,
    public: str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> web.Response:
    xml = '<?xml version="1.0" encoding="utf-8"?>\n' + _entry_xml(entry, entry_id, edit, public)
    return web.Response(
        status=status, text=xml, content_type="application/atom+xml", headers=headers
    )


def _entry_xml(entry: dict[str, Any], entry_id: str, edit: str, public: str) -> str:
    categories = "".join(f"<category term={quoteattr(c)} />" for c in entry["categories"])
    return (
        f'<entry xmlns="{ATOM}" xmlns:app="{APP}">'
        f"<id>tag:blog.example,2026:entry-{entry_id}</id>"
        f'<link rel="edit" href={quoteattr(edit)}/>'
        f'<link rel="alternate" type="text/html" href={quoteattr(public + entry_id)}/>'
        f"<title>{escape(entry['title'])}</title>"
        f"<updated>2026-05-05T10:00:00+09:00</updated>"
        f'<content type="text/html">{escape(entry["content"])}</content>'
        f"{categories}"
        f"<app:control><app:draft>{'yes' if entry['draft'] else 'no'}</app:draft></app:control>"
        "</entry>"
    )
