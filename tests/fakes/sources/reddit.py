"""Reddit: the OAuth token endpoint, comment listings with `more` stubs, /api/morechildren."""

from __future__ import annotations

import base64
from typing import Any

from aiohttp import web

from tests.fakes.sources.model import (
    CLIENT_ID,
    CLIENT_SECRET,
    REDDIT_TOKEN,
    FakeComment,
    FakeThread,
    SiteState,
    b36,
    when,
)


class RedditRoutes(SiteState):
    async def _reddit_token(self, request: web.Request) -> web.Response:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        form = await request.post()
        if request.headers.get("Authorization") != f"Basic {expected}":
            return web.json_response({"message": "Unauthorized", "error": 401}, status=401)
        if form.get("grant_type") != "client_credentials":
            return web.json_response({"error": "unsupported_grant_type"})
        return web.json_response(
            {
                "access_token": REDDIT_TOKEN,
                "token_type": "bearer",
                "expires_in": 86400,
                "scope": "*",
            }
        )

    def _reddit_auth(self, request: web.Request) -> web.Response | None:
        if request.headers.get("Authorization") != f"bearer {REDDIT_TOKEN}":
            return web.json_response({"message": "Unauthorized", "error": 401}, status=401)
        return None

    async def _reddit_comments(self, request: web.Request) -> web.Response:
        if (denied := self._reddit_auth(request)) is not None:
            return denied
        thread = self.by_b36.get(request.match_info["id"])
        if thread is None:
            return web.json_response({"message": "Not Found", "error": 404}, status=404)
        if thread.private:
            return web.json_response(
                {"reason": "private", "message": "Forbidden", "error": 403}, status=403
            )
        budget = min(int(request.query.get("limit", 200)), self.reddit_page)
        listing, used = [], 0
        top = thread.top
        for index, comment in enumerate(top):
            if used >= budget:
                rest = [c.id for c in top[index:]]
                for start in range(0, len(rest), 100):
                    listing.append(_reddit_more(thread, rest[start : start + 100], None, 0))
                break
            thing, used = self._reddit_tree(thread, comment, None, 0, used, budget)
            listing.append(thing)
        return web.json_response(
            [
                _listing([{"kind": "t3", "data": _reddit_submission(thread)}]),
                _listing(listing),
            ]
        )

    def _reddit_tree(
        self,
        thread: FakeThread,
        comment: FakeComment,
        parent: FakeComment | None,
        depth: int,
        used: int,
        budget: int,
    ) -> tuple[dict[str, Any], int]:
        used += 1
        children: list[dict[str, Any]] = []
        replies = sorted(comment.replies, key=lambda c: -c.score)
        for index, reply in enumerate(replies):
            if used >= budget:
                children.append(
                    _reddit_more(thread, [r.id for r in replies[index:]], comment, depth + 1)
                )
                break
            thing, used = self._reddit_tree(thread, reply, comment, depth + 1, used, budget)
            children.append(thing)
        data = _reddit_comment(thread, comment, parent, depth)
        data["replies"] = _listing(children) if children else ""
        return {"kind": "t1", "data": data}, used

    async def _reddit_more(self, request: web.Request) -> web.Response:
        if (denied := self._reddit_auth(request)) is not None:
            return denied
        form = await request.post()
        things: list[dict[str, Any]] = []

        def flat(
            comment: FakeComment, thread: FakeThread, parent: FakeComment | None, depth: int
        ) -> None:
            """The comment, then its whole subtree, flat with parent ids (Reddit's shape)."""
            data = _reddit_comment(thread, comment, parent, depth)
            data["replies"] = ""
            things.append({"kind": "t1", "data": data})
            for reply in sorted(comment.replies, key=lambda c: -c.score):
                flat(reply, thread, comment, depth + 1)

        for raw in str(form.get("children", "")).split(","):
            found = self.comments.get(int(raw, 36)) if raw else None
            if found is not None:
                comment, thread, parent = found
                flat(comment, thread, parent, 0 if parent is None else 1)
        return web.json_response({"json": {"errors": [], "data": {"things": things}}})


def _listing(children: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "kind": "Listing",
        "data": {
            "after": None,
            "dist": None,
            "modhash": "",
            "geo_filter": "",
            "children": children,
            "before": None,
        },
    }


def _reddit_submission(thread: FakeThread) -> dict[str, Any]:
    tid = b36(thread.id)
    return {
        "id": tid,
        "name": f"t3_{tid}",
        "title": thread.title,
        "selftext": thread.text,
        "author": "[deleted]" if thread.removed else thread.author,
        "author_fullname": f"t2_{thread.author}",
        "created_utc": float(when(thread.id)),
        "num_comments": len(thread.walk()),
        "over_18": thread.over_18,
        "locked": thread.locked,
        "removed_by_category": "deleted" if thread.removed else None,
        "permalink": f"/r/japan/comments/{tid}/station_clerk/",
        "url": f"https://www.reddit.com/r/japan/comments/{tid}/station_clerk/",
        "subreddit": "japan",
        "subreddit_id": "t5_2qh2u",
        "subreddit_name_prefixed": "r/japan",
        "score": 1234,
        "ups": 1234,
        "is_self": True,
        "stickied": False,
        "archived": False,
        "spoiler": False,
        "distinguished": None,
    }


def _reddit_comment(
    thread: FakeThread, comment: FakeComment, parent: FakeComment | None, depth: int
) -> dict[str, Any]:
    tid, cid = b36(thread.id), b36(comment.id)
    gone = "[deleted]" if comment.deleted else "[removed]" if comment.removed else None
    return {
        "id": cid,
        "name": f"t1_{cid}",
        "parent_id": f"t1_{b36(parent.id)}" if parent else f"t3_{tid}",
        "link_id": f"t3_{tid}",
        "body": gone or comment.text,
        "body_html": f'&lt;div class="md"&gt;&lt;p&gt;{gone or comment.text}&lt;/p&gt;&lt;/div&gt;',
        "author": "[deleted]" if gone else comment.author,
        "score": comment.score,
        "ups": comment.score,
        "score_hidden": False,
        "created_utc": float(when(comment.id)),
        "permalink": f"/r/japan/comments/{tid}/station_clerk/{cid}/",
        "depth": depth,
        "distinguished": None,
        "stickied": False,
        "is_submitter": comment.author == thread.author,
        "subreddit": "japan",
        "subreddit_id": "t5_2qh2u",
        "edited": False,
        "collapsed": False,
        "controversiality": 0,
        "gilded": 0,
        "archived": False,
        "locked": False,
        "all_awardings": [],
    }


def _reddit_more(
    thread: FakeThread, ids: list[int], parent: FakeComment | None, depth: int
) -> dict[str, Any]:
    children = [b36(i) for i in ids]
    return {
        "kind": "more",
        "data": {
            "count": len(children),
            "name": f"t1_{children[0]}",
            "id": children[0],
            "parent_id": f"t1_{b36(parent.id)}" if parent else f"t3_{b36(thread.id)}",
            "depth": depth,
            "children": children,
        },
    }
