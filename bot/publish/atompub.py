"""Hatena Blog and livedoor Blog through one AtomPub (RFC 5023) client.

The two differ only in where the entry collection is and how a request signs in: Hatena takes
Basic auth with the Hatena ID and the blog's API key (`{url}/{id}/{blog}/atom/entry`),
livedoor a WSSE UsernameToken (`{url}/{blog}/article`). An entry is posted as a draft
(`app:draft yes`) unless configured otherwise; its edit URI (the `rel="edit"` link, or the
Location header) is recorded, and publishing again first reads the entry there, so that a
deleted entry is reported rather than recreated and the draft state the owner chose is kept.

AtomPub lets the server name the entry, so the article's marker travels in the content as an
HTML comment (`<!-- hanno-<key> -->`, unseen by readers). Before posting, the newest pages of
the collection feed are read for an entry carrying it: one whose answer was lost (a timeout
after the blog made it, a crash before hanno recorded it) is updated, not posted again.
"""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from bot.core.targets import (
    BlogPost,
    PostGone,
    Publication,
    PublicationStatus,
    RemotePost,
    TargetFault,
)
from bot.publish.base import Configured, marker
from bot.publish.http import Answer, Endpoint, basic_auth, call
from bot.publish.secrets import credential
from bot.publish.settings import HatenaSettings, LivedoorSettings

ATOM = "http://www.w3.org/2005/Atom"
APP = "http://www.w3.org/2007/app"
CONTENT_TYPE = "application/atom+xml;type=entry;charset=utf-8"
# Pages of the collection feed read for an entry a lost answer left (Hatena's hold 10 entries):
# the entry is among the newest unless the article's date puts it further back.
SCAN_PAGES = 10


def wsse(user: str, password: str, *, nonce: bytes | None = None, created: str = "") -> str:
    """The X-WSSE header: PasswordDigest = Base64(SHA1(nonce + created + password))."""
    nonce = nonce or os.urandom(16)
    created = created or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hashlib.sha1(nonce + created.encode() + password.encode()).digest()
    return (
        f'UsernameToken Username="{user}", '
        f'PasswordDigest="{base64.b64encode(digest).decode()}", '
        f'Nonce="{base64.b64encode(nonce).decode()}", Created="{created}"'
    )


def entry_xml(post: BlogPost, *, draft: bool, categories: list[str], author: str) -> bytes:
    """The Atom entry document for `post`: title, HTML content, categories, draft control."""
    terms = "".join(f"<category term={quoteattr(term)} />" for term in categories)
    content = post.html + hidden_mark(post)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<entry xmlns="{ATOM}" xmlns:app="{APP}">'
        f"<title>{escape(post.title)}</title>"
        f"<author><name>{escape(author)}</name></author>"
        f'<content type="text/html">{escape(content)}</content>'
        f"<updated>{post.date.isoformat(timespec='seconds')}</updated>"
        f"{terms}"
        f"<app:control><app:draft>{'yes' if draft else 'no'}</app:draft></app:control>"
        "</entry>\n"
    ).encode()


def hidden_mark(post: BlogPost) -> str:
    """The article's marker as an HTML comment, kept in the entry's source, unseen by readers."""
    return f"<!-- {marker(post)} -->\n"


class AtomPubTarget(Configured[HatenaSettings | LivedoorSettings]):
    """A blog with an AtomPub entry collection; `kind` is "hatena" or "livedoor"."""

    def __init__(self, settings: HatenaSettings | LivedoorSettings) -> None:
        super().__init__(settings, settings.kind)
        base = settings.url.rstrip("/")
        if isinstance(settings, HatenaSettings):
            self.collection = f"{base}/{settings.user}/{settings.blog_id}/atom/entry"
        else:
            self.collection = f"{base}/{settings.blog_id}/article"
        self._endpoint = Endpoint(settings.name, settings.credential_env, settings.timeout)

    async def _call(
        self, method: str, url: str, *, body: bytes | None = None, member: bool = False
    ) -> Answer:
        """One request to the blog, signed in afresh on each attempt (a WSSE nonce is good for
        one request only, and aiohttp resends a GET or PUT whose connection dropped)."""
        return await call(
            self._endpoint,
            method,
            url,
            expect="xml",
            headers={"Content-Type": CONTENT_TYPE, "Accept": "application/atom+xml"},
            body=body,
            member=member,
            sign=self._sign_in,
        )

    def _sign_in(self) -> dict[str, str]:
        secret = credential(self.name, self.settings.credential_env)
        if self.kind == "hatena":
            return {"Authorization": basic_auth(self.settings.user, secret)}
        return {
            "Authorization": 'WSSE profile="UsernameToken"',
            "X-WSSE": wsse(self.settings.user, secret),
        }

    def _entry(self, post: BlogPost, *, draft: bool) -> bytes:
        return entry_xml(
            post, draft=draft, categories=self.settings.categories, author=self.settings.user
        )

    async def create(self, post: BlogPost) -> RemotePost:
        """A new entry; one left by an attempt whose answer or record was lost (found in the
        collection by its marker) is updated instead, so a crash never doubles an entry."""
        earlier = await self._earlier(post)
        if earlier is not None:
            uri, draft = earlier
            try:
                return await self._put(post, uri, draft=draft)
            except PostGone:
                pass  # deleted on the blog since the feed was read: hanno never recorded it
        answer = await self._call(
            "POST", self.collection, body=self._entry(post, draft=self.settings.draft)
        )
        return self._remote(answer, answer.headers.get("Location", ""))

    async def update(self, post: BlogPost, previous: Publication) -> RemotePost:
        """Read the entry (a 404 means it was deleted), then put the new text in its place."""
        uri = previous.edit_uri
        current = await self._call("GET", uri, member=True)
        return await self._put(post, uri, draft=_is_draft(current.data))

    async def _put(self, post: BlogPost, uri: str, *, draft: bool) -> RemotePost:
        answer = await self._call("PUT", uri, body=self._entry(post, draft=draft), member=True)
        return self._remote(answer, uri)

    async def _earlier(self, post: BlogPost) -> tuple[str, bool] | None:
        """The edit URI and draft state of an entry carrying the post's marker, if one is
        among the newest `SCAN_PAGES` pages of the collection (`rel="next"` leads on, on this
        blog only: the credentials go nowhere else)."""
        mark, url, origin = hidden_mark(post).strip(), self.collection, _origin(self.collection)
        for _ in range(SCAN_PAGES):
            answer = await self._call("GET", url)
            if answer.data.tag != f"{{{ATOM}}}feed":
                raise TargetFault("target.bad_answer", target=self.name, expected="XML")
            for entry in answer.data.findall(f"{{{ATOM}}}entry"):
                edit = _link(entry, "edit")
                if edit and mark in (entry.findtext(f"{{{ATOM}}}content") or ""):
                    return urljoin(url, edit), _is_draft(entry)
            following = _link(answer.data, "next")
            if not following or _origin(following := urljoin(url, following)) != origin:
                return None
            url = following
        return None

    def _remote(self, answer: Answer, location: str) -> RemotePost:
        root = answer.data
        if root.tag != f"{{{ATOM}}}entry":
            raise TargetFault("target.bad_answer", target=self.name, expected="XML")
        edit = _link(root, "edit") or location
        if not edit:
            raise TargetFault("target.bad_answer", target=self.name, expected="XML")
        entry_id = (root.findtext(f"{{{ATOM}}}id") or edit).strip()
        draft = _is_draft(root)
        return RemotePost(
            remote_id=entry_id,
            edit_uri=edit,
            url=_link(root, "alternate"),
            status=PublicationStatus.DRAFT if draft else PublicationStatus.PUBLISHED,
        )


def _link(element: ElementTree.Element, rel: str) -> str:
    """The href of an Atom element's link of relation `rel` (no rel means "alternate")."""
    for link in element.findall(f"{{{ATOM}}}link"):
        if link.get("rel", "alternate") == rel:
            return link.get("href", "")
    return ""


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _is_draft(root: ElementTree.Element) -> bool:
    return (root.findtext(f"{{{APP}}}control/{{{APP}}}draft") or "no").strip() == "yes"
