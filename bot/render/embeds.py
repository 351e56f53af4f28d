"""Source posts as the embeds blogs know: an X/Twitter post, a YouTube player, or a quote.

Blogs (WordPress, Hatena, livedoor) turn the `blockquote class="twitter-tweet"` markup into
an embedded post once Twitter's script runs; the script is only added when the team asked
for it. A YouTube link becomes the player (youtube-nocookie by default). The URLs in the
markup are rebuilt from the parts we recognised (user name, status id, video id), never
copied from what someone pasted, and every text is escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from markupsafe import Markup, escape

TWITTER_HOSTS = frozenset(
    {"twitter.com", "www.twitter.com", "mobile.twitter.com", "x.com", "www.x.com"}
)
YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"})
TWITTER_SCRIPT = (
    '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
)
_TWEET_PATH = re.compile(r"^/([A-Za-z0-9_]{1,15})/status(?:es)?/([0-9]{1,25})(?:/.*)?$")
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


@dataclass(frozen=True, slots=True)
class Tweet:
    user: str
    status: str

    @property
    def url(self) -> str:
        return f"https://twitter.com/{self.user}/status/{self.status}"


@dataclass(frozen=True, slots=True)
class Video:
    id: str


def recognise(url: str) -> Tweet | Video | None:
    """What a source URL points to, if it is a post we can embed."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower()
    if host in TWITTER_HOSTS and (match := _TWEET_PATH.match(parts.path)):
        return Tweet(user=match[1], status=match[2])
    candidate = ""
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif host in YOUTUBE_HOSTS or host == "www.youtube-nocookie.com":
        if parts.path == "/watch":
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        else:
            pieces = parts.path.strip("/").split("/")
            if len(pieces) >= 2 and pieces[0] in {"shorts", "embed", "live", "v"}:
                candidate = pieces[1]
    return Video(candidate) if _VIDEO_ID.match(candidate) else None


def tweet_html(tweet: Tweet, lines: list[str], who: str, date: str) -> Markup:
    """Twitter's own embed markup: the text, then "— author (@handle)" and the date as link."""
    body = Markup("<br>").join(escape(line) for line in lines)
    link = Markup('<a href="{}">{}</a>').format(tweet.url, date or tweet.url)
    quote = Markup('<blockquote class="twitter-tweet">')
    if lines:
        quote += Markup("<p>{}</p>").format(body)
    tail = Markup("{} {}").format(who, link) if who else link
    return quote + Markup("&mdash; ") + tail + Markup("</blockquote>")


def video_html(video: Video, *, nocookie: bool = True) -> Markup:
    """YouTube's player iframe, as YouTube's share dialog writes it."""
    host = "www.youtube-nocookie.com" if nocookie else "www.youtube.com"
    return Markup(
        '<iframe width="560" height="315" src="https://{}/embed/{}" title="YouTube video player" '
        'frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; '
        'gyroscope; picture-in-picture; web-share" '
        'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>'
    ).format(host, video.id)
