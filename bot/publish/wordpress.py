"""WordPress through its REST API (`/wp-json/wp/v2/posts`), signed in with an Application
Password over Basic auth.

A new post is created with the configured status (a draft by default: the blog owner gives
it a last look in their editor), categories and tags by name, and the lead as excerpt. Publishing
again updates the same post by id and leaves its status alone, so a post the owner has since
made public stays public. A post deleted on the blog (404 `rest_post_invalid_id`) or put in the
trash is reported, never recreated.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from bot.core.targets import (
    BlogPost,
    PostGone,
    Publication,
    PublicationStatus,
    RemotePost,
    TargetFault,
)
from bot.publish.base import Configured, marker
from bot.publish.http import Endpoint, basic_auth, call
from bot.publish.secrets import credential
from bot.publish.settings import WordPressSettings

STATUSES = {"draft": PublicationStatus.DRAFT, "publish": PublicationStatus.PUBLISHED}


def post_body(post: BlogPost, *, status: str | None = None) -> dict[str, Any]:
    """The JSON a post is created (with `status` and a slug) or updated (without) from."""
    body: dict[str, Any] = {"title": post.title, "content": post.html, "excerpt": post.excerpt}
    if status is not None:
        body.update(status=status, slug=marker(post))
    return body


class WordPressTarget(Configured[WordPressSettings]):
    def __init__(self, settings: WordPressSettings) -> None:
        super().__init__(settings, "wordpress")
        self._api = settings.url.rstrip("/") + "/wp-json/wp/v2"
        self._endpoint = Endpoint(settings.name, settings.credential_env, settings.timeout)

    def _headers(self) -> dict[str, str]:
        password = credential(self.name, self.settings.credential_env)
        auth = basic_auth(self.settings.user, password.replace(" ", ""))
        return {"Authorization": auth, "Accept": "application/json"}

    async def create(self, post: BlogPost) -> RemotePost:
        """A new post; one left by an attempt whose answer or record was lost (found by its
        slug, `hanno-<key>`) is updated instead, so a crash never doubles a post."""
        headers = self._headers()
        earlier = await self._by_slug(marker(post), headers)
        if earlier is not None:
            return await self._update(post, earlier, headers)
        body = post_body(post, status=self.settings.status)
        if self.settings.categories:
            body["categories"] = await self._terms("categories", self.settings.categories, headers)
        if self.settings.tags:
            body["tags"] = await self._terms("tags", self.settings.tags, headers)
        answer = await call(
            self._endpoint,
            "POST",
            f"{self._api}/posts",
            expect="json",
            headers=headers,
            json_body=body,
        )
        return self._remote(answer.data)

    async def update(self, post: BlogPost, previous: Publication) -> RemotePost:
        """Title, content and excerpt replaced; status, categories and tags as the owner left them."""
        return await self._update(post, previous.remote_id, self._headers())

    async def _update(self, post: BlogPost, post_id: str, headers: dict[str, str]) -> RemotePost:
        answer = await call(
            self._endpoint,
            "POST",
            f"{self._api}/posts/{post_id}",
            expect="json",
            headers=headers,
            json_body=post_body(post),
            member=True,
        )
        if isinstance(answer.data, dict) and answer.data.get("status") == "trash":
            raise PostGone("target.trashed", target=self.name, url=str(answer.data.get("link", "")))
        return self._remote(answer.data)

    async def _by_slug(self, slug: str, headers: dict[str, str]) -> str | None:
        """The id of a post (of any status but trash) with `slug`, if there is one."""
        answer = await call(
            self._endpoint,
            "GET",
            f"{self._api}/posts?slug={slug}&status=any&context=edit&_fields=id",
            expect="json",
            headers=headers,
        )
        found = (
            [p["id"] for p in answer.data if isinstance(p, dict)]
            if isinstance(answer.data, list)
            else []
        )
        return str(found[0]) if found else None

    def _remote(self, data: Any) -> RemotePost:
        if not isinstance(data, dict) or not isinstance(data.get("id"), int):
            raise TargetFault("target.bad_answer", target=self.name, expected="JSON")
        return RemotePost(
            remote_id=str(data["id"]),
            status=STATUSES.get(str(data.get("status")), PublicationStatus.DRAFT),
            url=str(data.get("link", "")),
        )

    async def _terms(self, taxonomy: str, names: list[str], headers: dict[str, str]) -> list[int]:
        """The ids of categories or tags by name, created when missing if configured."""
        ids = []
        for name in names:
            answer = await call(
                self._endpoint,
                "GET",
                f"{self._api}/{taxonomy}?search={quote(html.escape(name, quote=False), safe='')}&per_page=100",
                expect="json",
                headers=headers,
            )
            if not isinstance(answer.data, list):
                raise TargetFault("target.bad_answer", target=self.name, expected="JSON")
            found = [
                term["id"]
                for term in answer.data
                if isinstance(term, dict) and html.unescape(str(term.get("name", ""))) == name
            ]
            if found:
                ids.append(int(found[0]))
                continue
            if not self.settings.create_terms:
                raise TargetFault("target.no_term", target=self.name, taxonomy=taxonomy, term=name)
            created = await call(
                self._endpoint,
                "POST",
                f"{self._api}/{taxonomy}",
                expect="json",
                headers=headers,
                json_body={"name": name},
            )
            if not isinstance(created.data, dict) or not isinstance(created.data.get("id"), int):
                raise TargetFault("target.bad_answer", target=self.name, expected="JSON")
            ids.append(created.data["id"])
        return ids
