"""YouTube Data API v3 `commentThreads`, paged by `nextPageToken`, with its error reasons."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.sources.model import YOUTUBE_KEY, FakeComment, SiteState, html_of, iso, video_id


class YouTubeRoutes(SiteState):
    async def _youtube(self, request: web.Request) -> web.Response:
        if self.youtube_reason or request.query.get("key") != YOUTUBE_KEY:
            reason = self.youtube_reason or "keyInvalid"
            status = {"commentsDisabled": 403, "videoNotFound": 404, "quotaExceeded": 403}.get(
                reason, 400
            )
            return web.json_response(
                {
                    "error": {
                        "code": status,
                        "message": reason,
                        "errors": [
                            {"message": reason, "domain": "youtube.commentThread", "reason": reason}
                        ],
                    }
                },
                status=status,
            )
        video = request.query.get("videoId", "")
        thread = next((t for t in self.threads.values() if video_id(t.id) == video), None)
        if thread is None:
            return web.json_response(
                {
                    "error": {
                        "code": 404,
                        "message": "The video identified by the videoId parameter could not be found.",
                        "errors": [{"reason": "videoNotFound", "domain": "youtube.commentThread"}],
                    }
                },
                status=404,
            )
        size = int(request.query.get("maxResults", 20))
        start = int(request.query.get("pageToken", "0") or 0)
        top = [c for c in thread.top if not c.deleted]
        with_replies = "replies" in request.query.get("part", "")
        items = []
        for comment in top[start : start + size]:
            item: dict[str, Any] = {
                "kind": "youtube#commentThread",
                "etag": f"e{comment.id}",
                "id": f"Ug{comment.id}",
                "snippet": {
                    "channelId": "UCfake",
                    "videoId": video,
                    "topLevelComment": _yt_comment(comment, video, None),
                    "canReply": True,
                    "totalReplyCount": len(comment.replies),
                    "isPublic": True,
                },
            }
            if with_replies and comment.replies:
                item["replies"] = {
                    "comments": [
                        _yt_comment(r, video, f"Ug{comment.id}") for r in comment.replies[:5]
                    ]
                }
            items.append(item)
        body: dict[str, Any] = {
            "kind": "youtube#commentThreadListResponse",
            "etag": "page",
            "pageInfo": {"totalResults": len(items), "resultsPerPage": size},
            "items": items,
        }
        if start + size < len(top):
            body["nextPageToken"] = str(start + size)
        return web.json_response(body)


def _yt_comment(comment: FakeComment, video: str, parent: str | None) -> dict[str, Any]:
    snippet: dict[str, Any] = {
        "channelId": "UCfake",
        "videoId": video,
        "textDisplay": html_of(comment.text),
        "textOriginal": comment.text,
        "authorDisplayName": f"@{comment.author}",
        "authorProfileImageUrl": "https://yt3.ggpht.com/fake",
        "authorChannelUrl": f"http://www.youtube.com/@{comment.author}",
        "authorChannelId": {"value": f"UC{comment.author}"},
        "canRate": True,
        "viewerRating": "none",
        "likeCount": comment.score,
        "publishedAt": iso(comment.id)[:-5] + "Z",
        "updatedAt": iso(comment.id)[:-5] + "Z",
    }
    if parent:
        snippet["parentId"] = parent
    return {
        "kind": "youtube#comment",
        "etag": f"c{comment.id}",
        "id": f"Ug{comment.id}" if parent is None else f"{parent}.r{comment.id}",
        "snippet": snippet,
    }
