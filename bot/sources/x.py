"""X (Twitter) through the X API v2: a post's replies by its `conversation_id`, and oEmbed.

Replies are found with recent search (`conversation_id:<id>`), 100 a page, paged with
`meta.next_token`; authors come from `includes.users`. Recent search reaches back seven days
and needs an API tier that includes it: a 403 for the tier gets its own sentence. Source posts
come from the publish oEmbed endpoint, which needs no token.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import SplitResult

import aiohttp

from bot.core.threads import SourceFault, SourcePost, Thread, ThreadComment
from bot.sources.base import Answer, Ask, Http, Site, parsed, timestamp
from bot.sources.text import html_to_text

HOSTS = re.compile(r"^(?:(?:www|mobile|m)\.)?(?:x|twitter)\.com$")
STATUS_PATH = re.compile(r"^/(?:[A-Za-z0-9_]{1,15}|i/web|i)/status(?:es)?/(\d{1,20})(?:/|$)")
LEADING_MENTIONS = re.compile(r"^(?:@[A-Za-z0-9_]{1,15}\s+)+")
TWEET_FIELDS = "conversation_id,author_id,created_at,public_metrics,referenced_tweets,entities,lang"
PERMALINK = "https://x.com/{user}/status/{id}"
PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.DOTALL)
LAST_LINK = re.compile(r"<a [^>]*>([^<]*)</a>\s*</blockquote>\s*$", re.DOTALL)


class X(Site):
    kind = "x"
    name = "X"
    example = "https://x.com/someone/status/1880000000000000000"

    def owns(self, url: SplitResult) -> bool:
        return bool(HOSTS.match((url.hostname or "").lower()))

    def ref(self, url: SplitResult) -> str | None:
        match = STATUS_PATH.match(url.path)
        return match.group(1) if match else None

    def fail(self, answer: Answer) -> SourceFault:
        data = answer.data if isinstance(answer.data, dict) else {}
        if answer.status == 403 and (
            data.get("reason") == "client-not-enrolled"
            or "client-forbidden" in str(data.get("type"))
        ):
            return SourceFault("sources.x_tier")
        if answer.status == 401:
            return SourceFault("sources.x_token")
        return answer.fail()

    async def get(self, http: Http, path: str, params: dict[str, Any], token: str) -> Any:
        url = f"{self.config.x_api_url.rstrip('/')}{path}"
        return await self.json(
            http, url, params=params, headers={"Authorization": f"Bearer {token}"}
        )

    async def thread(self, session: aiohttp.ClientSession, ask: Ask) -> Thread:
        ref, replies, progress = ask.ref, ask.replies, ask.progress
        token = self.require(self.credentials.x_bearer_token, "X_BEARER_TOKEN")
        http = Http(session, self.config, self.name)
        root = await self.get(http, f"/2/tweets/{ref}", {"tweet.fields": TWEET_FIELDS}, token)
        if "data" not in root:
            raise self._missing(root) if root.get("errors") else http.malformed()
        conversation = str(parsed(lambda: root["data"].get("conversation_id") or ref, http))
        params = {
            "query": f"conversation_id:{conversation}",
            "max_results": 100,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        found: list[dict[str, Any]] = []
        users: dict[str, dict[str, Any]] = {}
        next_token: str | None = None
        truncated = False
        while True:
            if not http.page():
                truncated = True
                break
            page = await self.get(
                http,
                "/2/tweets/search/recent",
                {**params, **({"next_token": next_token} if next_token else {})},
                token,
            )
            meta = page.get("meta") or {}
            found.extend(page.get("data") or ())
            users.update(
                {str(u.get("id")): u for u in (page.get("includes") or {}).get("users") or ()}
            )
            next_token = meta.get("next_token")
            if progress is not None:
                await progress(len(found))
            if not next_token or len(found) >= self.config.max_comments:
                truncated = truncated or bool(next_token)
                break
        comments = parsed(lambda: _replies(found, users, conversation, replies), http)
        return Thread(
            site=self.name,
            kind=self.kind,
            url=PERMALINK.format(user="i", id=ref),
            comments=tuple(comments),
            truncated=truncated,
        )

    def _missing(self, answer: dict[str, Any]) -> SourceFault:
        """X answers 200 with `errors` for a post that is gone or protected."""
        kinds = " ".join(
            str(e.get("type")) for e in answer.get("errors") or () if isinstance(e, dict)
        )
        if "not-authorized" in kinds:
            return SourceFault("sources.private", site=self.name)
        return SourceFault("sources.not_found", site=self.name)

    async def post(self, session: aiohttp.ClientSession, ask: Ask) -> SourcePost:
        ref, url = ask.ref, ask.url
        http = Http(session, self.config, self.name)
        link = f"https://twitter.com/i/status/{ref}"
        answer = await http.get(
            f"{self.config.x_oembed_url.rstrip('/')}/oembed",
            params={"url": link, "omit_script": "true", "dnt": "true"},
        )
        if answer.status == 403:
            raise SourceFault("sources.private", site=self.name)
        if not answer.ok:
            raise answer.fail()
        return parsed(lambda: _oembed(answer.data, url.geturl()), http)


def _replies(
    found: list[dict[str, Any]], users: dict[str, dict[str, Any]], conversation: str, replies: bool
) -> list[ThreadComment]:
    names = {
        str(tweet["id"]): users.get(str(tweet.get("author_id")), {}).get("username", "i")
        for tweet in found
    }
    comments = []
    for tweet in found:
        replied_to = next(
            (
                str(r["id"])
                for r in tweet.get("referenced_tweets") or ()
                if r.get("type") == "replied_to"
            ),
            conversation,
        )
        top = replied_to == conversation
        if not top and not replies:
            continue
        user = users.get(str(tweet.get("author_id")), {})
        parent = None if top else PERMALINK.format(user=names.get(replied_to, "i"), id=replied_to)
        comments.append(
            ThreadComment(
                text=_text(tweet),
                permalink=PERMALINK.format(user=names[str(tweet["id"])], id=tweet["id"]),
                author=str(user.get("name") or user.get("username") or ""),
                score=int((tweet.get("public_metrics") or {}).get("like_count") or 0),
                posted_at=timestamp(tweet["created_at"]) if tweet.get("created_at") else None,
                parent=parent,
            )
        )
    return comments


def _text(tweet: dict[str, Any]) -> str:
    """The reply's words: the leading @mentions X adds to every reply dropped, t.co links
    shown as the addresses they stand for."""
    text = str(tweet["text"])
    for link in (tweet.get("entities") or {}).get("urls") or ():
        if link.get("url") and link.get("expanded_url"):
            text = text.replace(link["url"], link["expanded_url"])
    text = LEADING_MENTIONS.sub("", text)
    return html_to_text(text.replace("\n", "<br>"))


def _oembed(data: dict[str, Any], url: str) -> SourcePost:
    markup = str(data["html"])
    paragraph = PARAGRAPH.search(markup)
    date = LAST_LINK.search(markup)
    author_url = str(data.get("author_url") or "")
    return SourcePost(
        url=str(data.get("url") or url),
        text=html_to_text(paragraph.group(1)) if paragraph else "",
        author=str(data.get("author_name") or ""),
        handle=author_url.rstrip("/").rsplit("/", 1)[-1] if author_url else "",
        date=date.group(1).strip() if date else "",
    )
