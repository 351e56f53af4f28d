"""Hatena Blog and livedoor Blog through one AtomPub (RFC 5023) client.

The two differ only in where the entry collection is and how a request signs in: Hatena takes
Basic auth with the Hatena ID and the blog's API key (`{url}/{id}/{blog}/atom/entry`),
livedoor a WSSE UsernameToken (`{url}/{blog}/article`). An entry is posted as a draft
(`app:draft yes`) unless configured otherwise; its edit URI (the `rel="edit"` link, or the
Location header) is recorded, and publishing again first reads the entry there, so that a
deleted entry is reported rather than recreated and the draft state the owner chose is kept.
"""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import UTC, datetime
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from bot.core.targets import BlogPost, Publication, PublicationStatus, RemotePost, TargetFault
from bot.publish.base import Configured
from bot.publish.http import Answer, Endpoint, basic_auth, call
from bot.publish.secrets import credential
from bot.publish.settings import HatenaSettings, LivedoorSettings

ATOM = "http://www.w3.org/2005/Atom"
APP = "http://www.w3.org/2007/app"
CONTENT_TYPE = "application/atom+xml;type=entry;charset=utf-8"


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
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<entry xmlns="{ATOM}" xmlns:app="{APP}">'
        f"<title>{escape(post.title)}</title>"
        f"<author><name>{escape(author)}</name></author>"
        f'<content type="text/html">{escape(post.html)}</content>'
        f"<updated>{post.date.isoformat(timespec='seconds')}</updated>"
        f"{terms}"
        f"<app:control><app:draft>{'yes' if draft else 'no'}</app:draft></app:control>"
        "</entry>\n"
    ).encode()


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

    def _headers(self) -> dict[str, str]:
        secret = credential(self.name, self.settings.credential_env)
        headers = {"Content-Type": CONTENT_TYPE, "Accept": "application/atom+xml"}
        if self.kind == "hatena":
            headers["Authorization"] = basic_auth(self.settings.user, secret)
        else:
            headers["Authorization"] = 'WSSE profile="UsernameToken"'
            headers["X-WSSE"] = wsse(self.settings.user, secret)
        return headers

    def _entry(self, post: BlogPost, *, draft: bool) -> bytes:
        return entry_xml(
            post, draft=draft, categories=self.settings.categories, author=self.settings.user
        )

    async def create(self, post: BlogPost) -> RemotePost:
        answer = await call(
            self._endpoint,
            "POST",
            self.collection,
            expect="xml",
            headers=self._headers(),
            body=self._entry(post, draft=self.settings.draft),
        )
        return self._remote(answer, answer.headers.get("Location", ""))

    async def update(self, post: BlogPost, previous: Publication) -> RemotePost:
        """Read the entry (a 404 means it was deleted), then put the new text in its place."""
        uri = previous.edit_uri
        current = await call(
            self._endpoint, "GET", uri, expect="xml", headers=self._headers(), member=True
        )
        draft = _is_draft(current.data)
        answer = await call(
            self._endpoint,
            "PUT",
            uri,
            expect="xml",
            headers=self._headers(),
            body=self._entry(post, draft=draft),
            member=True,
        )
        return self._remote(answer, uri)

    def _remote(self, answer: Answer, location: str) -> RemotePost:
        root = answer.data
        if root.tag != f"{{{ATOM}}}entry":
            raise TargetFault("target.bad_answer", target=self.name, expected="XML")
        links = {
            link.get("rel", "alternate"): link.get("href", "")
            for link in root.findall(f"{{{ATOM}}}link")
        }
        edit = links.get("edit") or location
        if not edit:
            raise TargetFault("target.bad_answer", target=self.name, expected="XML")
        entry_id = (root.findtext(f"{{{ATOM}}}id") or edit).strip()
        draft = _is_draft(root)
        return RemotePost(
            remote_id=entry_id,
            edit_uri=edit,
            url=links.get("alternate", ""),
            status=PublicationStatus.DRAFT if draft else PublicationStatus.PUBLISHED,
        )


def _is_draft(root: ElementTree.Element) -> bool:
    return (root.findtext(f"{{{APP}}}control/{{{APP}}}draft") or "no").strip() == "yes"
