"""Bluesky's public AppView: `app.bsky.feed.getPostThread` thread views."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.sources.model import FakeComment, FakeThread, SiteState, b36, iso, rkey


class BlueskyRoutes(SiteState):
    async def _bluesky(self, request: web.Request) -> web.Response:
        uri = request.query.get("uri", "")
        key = uri.rsplit("/", 1)[-1]
        thread = next((t for t in self.threads.values() if rkey(t.id) == key), None)
        if thread is None:
            return web.json_response(
                {"error": "NotFound", "message": f"Post not found: {uri}"}, status=400
            )
        depth = int(request.query.get("depth", 6))

        def view(comment: FakeComment | None, level: int) -> dict[str, Any]:
            if comment is not None and comment.deleted:
                return {
                    "$type": "app.bsky.feed.defs#notFoundPost",
                    "uri": f"at://x/{comment.id}",
                    "notFound": True,
                }
            node: dict[str, Any] = {
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": _bsky_post(thread, comment),
            }
            children = thread.top if comment is None else comment.replies
            if level < depth:
                node["replies"] = [view(c, level + 1) for c in children]
            return node

        return web.json_response({"thread": view(None, 0)})


def _bsky_post(thread: FakeThread, comment: FakeComment | None) -> dict[str, Any]:
    number = thread.id if comment is None else comment.id
    handle = f"{(thread.author if comment is None else comment.author)}.bsky.social"
    text = thread.text if comment is None else comment.text
    labels = []
    if comment is None and thread.private:
        labels.append(
            {"src": "did:plc:x", "uri": "at://x", "val": "!no-unauthenticated", "cts": iso(number)}
        )
    if comment is None and thread.over_18:
        labels.append({"src": "did:plc:mod", "uri": "at://x", "val": "porn", "cts": iso(number)})
    return {
        "uri": f"at://did:plc:{b36(number)}/app.bsky.feed.post/{rkey(number)}",
        "cid": f"bafy{number}",
        "author": {
            "did": f"did:plc:{b36(number)}",
            "handle": handle,
            "displayName": handle.split(".")[0].title(),
            "labels": [],
            "createdAt": iso(number),
        },
        "record": {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": iso(number),
            "langs": ["en"],
        },
        "replyCount": 0 if comment is None else len(comment.replies),
        "repostCount": 0,
        "likeCount": 0 if comment is None else comment.score,
        "quoteCount": 0,
        "indexedAt": iso(number),
        "labels": labels,
    }
