"""Every site read through its real client (asyncpraw, aiohttp) from the local fakes."""

from __future__ import annotations

import time

import pytest

from bot.core.messages import t
from bot.core.threads import SourceFault, ThreadComment
from bot.sources import Credentials
from tests.fakes.sources_fake import FakeComment, FakeThread, SourcesFake, registry_for

pytestmark = pytest.mark.asyncio(loop_scope="module")

SITES = ("reddit", "x", "hackernews", "youtube", "bluesky", "mastodon")


def story() -> FakeThread:
    return FakeThread(
        comments=[
            FakeComment(
                "This is the Japan I fell in love with, honestly a lovely story.",
                author="henri",
                score=50,
                replies=[FakeComment("Agreed, the clerk deserves a medal for this.", score=9)],
            ),
            FakeComment(
                "C'est exactement pour ça que j'adore ce pays, vraiment.", author="amelie", score=80
            ),
            FakeComment("Nobody would do that where I live, sadly enough.", author="joe", score=5),
        ]
    )


async def sentence(call) -> str:
    with pytest.raises(SourceFault) as caught:
        await call
    return caught.value.message


@pytest.mark.parametrize("site", SITES)
async def test_each_site_reads_top_level_comments_as_plain_records(
    fake: SourcesFake, site: str
) -> None:
    thread = fake.add(story())
    registry = registry_for(fake)
    got = await registry.fetch_thread(fake.link(site, thread), limit=50, replies=False)
    texts = [c.text for c in got.comments]
    assert sorted(texts) == sorted(c.text for c in thread.comments)
    french = next(c for c in got.comments if c.text.startswith("C'est"))
    assert french.language == ""  # given only when the core asks, for the ones it keeps
    detected = await registry.detect([french, ThreadComment(text="ok lol", permalink="x")])
    assert (detected[0].language, detected[0].language_uncertain) == ("fr", False)
    assert detected[1].language_uncertain  # too short to be sure
    assert all(c.parent is None and c.permalink.startswith("https://") for c in got.comments)
    assert len({c.permalink for c in got.comments}) == 3
    if site != "hackernews":  # HN shows no comment scores
        assert french.score == 80
    assert french.posted_at is not None and french.posted_at.year == 2026


@pytest.mark.parametrize("site", SITES)
async def test_replies_come_with_their_parent(fake: SourcesFake, site: str) -> None:
    thread = fake.add(story())
    got = await registry_for(fake).fetch_thread(fake.link(site, thread), limit=50, replies=True)
    reply = next(c for c in got.comments if c.text.startswith("Agreed"))
    parent = next(c for c in got.comments if c.text.startswith("This is the Japan"))
    assert reply.parent == parent.permalink
    assert len(got.comments) == 4


async def test_reddit_expands_more_stubs_up_to_the_requested_number(fake: SourcesFake) -> None:
    fake.reddit_page = 30
    thread = fake.add(
        FakeThread(
            [
                FakeComment(f"Comment number {i} about the sketchbook", score=1000 - i)
                for i in range(450)
            ]
        )
    )
    registry = registry_for(fake)
    got = await registry.fetch_thread(fake.link("reddit", thread), limit=120, replies=False)
    assert len(got.comments) >= 120
    assert [c.score for c in got.comments[:3]] == [1000, 999, 998]
    assert fake.count("reddit", "morechildren") == 1  # 30 + one stub of 100 is enough
    assert all(r.headers["User-Agent"].startswith("hanno/") for r in fake.requests)
    fake.requests.clear()
    got = await registry.fetch_thread(fake.link("reddit", thread), limit=1000, replies=False)
    assert len(got.comments) == 450 and not got.truncated
    assert fake.count("reddit", "morechildren") == 5


async def test_reddit_skips_deleted_removed_and_automoderator(fake: SourcesFake) -> None:
    thread = fake.add(
        FakeThread(
            [
                FakeComment(
                    "Kept: a **bold** claim, see [the map](https://example.com/map) &amp; more"
                ),
                FakeComment("gone", deleted=True),
                FakeComment("gone too", removed=True),
                FakeComment("Please read the rules before commenting.", author="AutoModerator"),
            ]
        )
    )
    got = await registry_for(fake).fetch_thread(
        fake.link("reddit", thread), limit=50, replies=False
    )
    assert [c.text for c in got.comments] == [
        "Kept: a bold claim, see the map (https://example.com/map) & more"
    ]
    assert (got.deleted, got.bots) == (2, 1)


async def test_page_bound_marks_a_huge_thread_truncated(fake: SourcesFake) -> None:
    thread = fake.add(FakeThread([FakeComment(f"Comment {i}", score=i) for i in range(10_000)]))
    registry = registry_for(fake, max_comments=150)
    got = await registry.fetch_thread(fake.link("hackernews", thread), limit=10_000, replies=True)
    assert len(got.comments) == 150 and got.truncated
    assert fake.count("hackernews") == 151  # the story and 150 items, not 10,000
    got = await registry.fetch_thread(fake.link("youtube", thread), limit=10_000, replies=False)
    assert len(got.comments) == 200 and got.truncated  # two pages of 100 reach the bound


URLS = {
    "reddit": [
        "https://www.reddit.com/r/japan/comments/abc123/some_title/",
        "https://old.reddit.com/r/japan/comments/abc123/",
        "https://new.reddit.com/r/japan/comments/abc123/some_title/def456/",
        "https://m.reddit.com/r/japan/comments/abc123",
        "https://reddit.com/comments/abc123",
        "https://redd.it/abc123",
    ],
    "x": [
        "https://x.com/kandonippon/status/1880000000000000001",
        "https://twitter.com/kandonippon/status/1880000000000000001?s=20",
        "https://mobile.twitter.com/kandonippon/status/1880000000000000001",
    ],
    "hackernews": ["https://news.ycombinator.com/item?id=42000000"],
    "youtube": [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
    ],
    "bluesky": ["https://bsky.app/profile/someone.bsky.social/post/3kabcdefgh"],
    "mastodon": [
        "https://mastodon.social/@someone/112233445566778899",
        "https://fosstodon.org/@someone@mastodon.social/112233445566778899",
    ],
}


@pytest.mark.parametrize(("site", "url"), [(s, u) for s, urls in URLS.items() for u in urls])
async def test_every_listed_url_form_is_recognised(fake: SourcesFake, site: str, url: str) -> None:
    assert registry_for(fake).recognise(url) == site


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://example.com/some/article",
            t(
                "sources.unknown_url",
                sites="Reddit, X (Twitter), YouTube, Hacker News, Bluesky and Mastodon",
            ),
        ),
        ("ftp://reddit.com/r/japan", None),
        ("https://www.reddit.com/r/japan/", "That Reddit address is not a thread"),
        ("https://x.com/kandonippon", "That X address is not a thread"),
        ("https://www.youtube.com/@channel", "That YouTube address is not a thread"),
        ("https://news.ycombinator.com/news", "That Hacker News address is not a thread"),
        ("https://bsky.app/profile/someone.bsky.social", "That Bluesky address is not a thread"),
        ("https://mastodon.social/@someone", "That Mastodon address is not a thread"),
    ],
)
async def test_other_urls_get_a_sentence(fake: SourcesFake, url: str, expected: str | None) -> None:
    with pytest.raises(SourceFault) as caught:
        registry_for(fake).recognise(url)
    message = caught.value.message
    assert message.startswith(expected or "hanno can't read comments from that address")
    if "not a thread" not in message:
        assert "Reddit, X (Twitter), YouTube, Hacker News, Bluesky and Mastodon" in message


@pytest.mark.parametrize(
    ("site", "variable"),
    [("reddit", "REDDIT_CLIENT_ID"), ("x", "X_BEARER_TOKEN"), ("youtube", "YOUTUBE_API_KEY")],
)
async def test_a_missing_credential_names_the_variable(
    fake: SourcesFake, site: str, variable: str
) -> None:
    thread = fake.add(story())
    registry = registry_for(fake, Credentials())
    message = await sentence(registry.fetch_thread(fake.link(site, thread), limit=5, replies=False))
    assert variable in message and "environment variable" in message
    assert not fake.requests


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ({"status": 404, "body": {"error": "not found"}}, "does not exist"),
        ({"status": 500}, "had a server error (HTTP 500)"),
        ({"status": 429, "retry_after": "120"}, "try again in about 120 seconds"),
        ({"status": 200, "body": b"<html>maintenance</html>"}, "could not read"),
        ({"status": 200, "body": {"unexpected": True}}, "could not read"),
        ({"status": 200, "delay": 1.0}, "did not answer within 0.3 seconds"),
    ],
    ids=["404", "500", "429", "html", "shape", "timeout"],
)
async def test_faults_answer_with_one_sentence(
    fake: SourcesFake, site: str, fault: dict, expected: str
) -> None:
    thread = fake.add(story())
    fake.fail(site, times=5, **fault)
    registry = registry_for(fake, timeout=0.3, retry_pause=0.01)
    message = await sentence(registry.fetch_thread(fake.link(site, thread), limit=5, replies=False))
    assert expected in message, message
    assert "Traceback" not in message


async def test_reddit_retries_a_server_error_twice_after_the_configured_pause(
    fake: SourcesFake,
) -> None:
    """Reddit is retried after a 5xx (asyncprawcore's habit, kept), but after hanno's pause
    and only twice in all: the sentence comes after the third 500, not after asyncprawcore's
    own retries on top."""
    thread = fake.add(story())
    fake.fail("reddit", status=503, times=2)
    registry = registry_for(fake, retry_pause=0.05)
    start = time.perf_counter()
    got = await registry.fetch_thread(fake.link("reddit", thread), limit=5, replies=False)
    assert len(got.comments) == 3  # the third try was answered
    assert time.perf_counter() - start >= 0.05 + 0.1  # paused, the second pause twice as long
    fake.clear()
    fake.fail("reddit", status=500, times=10)
    message = await sentence(
        registry.fetch_thread(fake.link("reddit", thread), limit=5, replies=False)
    )
    assert message == (
        "Reddit had a server error (HTTP 500); nothing was imported, try again in a few minutes."
    )
    assert fake.count("reddit", "/comments/") == 3


@pytest.mark.parametrize("site", ["reddit", "youtube", "mastodon"])
async def test_429_within_the_wait_is_waited_out(fake: SourcesFake, site: str) -> None:
    thread = fake.add(story())
    fake.fail(
        site, status=429, retry_after="0", body={"error": 429, "message": "Too Many Requests"}
    )
    got = await registry_for(fake).fetch_thread(fake.link(site, thread), limit=5, replies=False)
    assert len(got.comments) == 3


async def test_thread_faults_of_each_site(fake: SourcesFake) -> None:
    registry = registry_for(fake)
    private = fake.add(FakeThread(story().comments, private=True))
    adult = fake.add(FakeThread(story().comments, over_18=True))
    removed = fake.add(FakeThread(story().comments, removed=True))
    locked = fake.add(FakeThread(story().comments, locked=True))
    fetch = registry.fetch_thread
    assert "private, quarantined or banned" in await sentence(
        fetch(fake.link("reddit", private), limit=5, replies=False)
    )
    assert "age-restricted" in await sentence(
        fetch(fake.link("reddit", adult), limit=5, replies=False)
    )
    assert "deleted or removed" in await sentence(
        fetch(fake.link("reddit", removed), limit=5, replies=False)
    )
    assert (await fetch(fake.link("reddit", locked), limit=5, replies=False)).locked
    assert "visible only to signed-in people" in await sentence(
        fetch(fake.link("bluesky", private), limit=5, replies=False)
    )
    assert "age-restricted" in await sentence(
        fetch(fake.link("bluesky", adult), limit=5, replies=False)
    )
    assert "private" in await sentence(
        fetch(fake.link("mastodon", private), limit=5, replies=False)
    )
    assert "does not exist" in await sentence(
        fetch(fake.link("mastodon", removed), limit=5, replies=False)
    )
    assert "does not exist" in await sentence(
        fetch(fake.link("x", removed), limit=5, replies=False)
    )
    assert "does not exist" in await sentence(
        fetch("https://www.reddit.com/comments/zzzzzz", limit=5, replies=False)
    )
    assert "does not exist" in await sentence(
        fetch("https://news.ycombinator.com/item?id=1", limit=5, replies=False)
    )
    fake.x_tier_forbidden = True
    assert "Basic tier" in await sentence(fetch(fake.link("x", locked), limit=5, replies=False))
    for reason, words in [
        ("commentsDisabled", "Comments are turned off"),
        ("quotaExceeded", "quota for today is used up"),
        ("keyInvalid", "refused the API key"),
    ]:
        fake.youtube_reason = reason
        assert words in await sentence(fetch(fake.link("youtube", locked), limit=5, replies=False))
    bad = Credentials(reddit_client_id="wrong", reddit_client_secret="wrong")
    assert "REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET" in await sentence(
        registry_for(fake, bad).fetch_thread(fake.link("reddit", locked), limit=5, replies=False)
    )


async def test_a_thread_without_comments_is_an_empty_thread(fake: SourcesFake) -> None:
    empty = fake.add(FakeThread([]))
    for site in SITES:
        got = await registry_for(fake).fetch_thread(fake.link(site, empty), limit=5, replies=True)
        assert got.comments == ()


async def test_mastodon_bots_and_x_reply_mentions(fake: SourcesFake) -> None:
    thread = fake.add(
        FakeThread(
            [FakeComment("Beep, a scheduled post.", bot=True), FakeComment("So kind of him.")]
        )
    )
    got = await registry_for(fake).fetch_thread(
        fake.link("mastodon", thread), limit=5, replies=False
    )
    assert [c.text for c in got.comments] == ["So kind of him."] and got.bots == 1
    got = await registry_for(fake).fetch_thread(fake.link("x", thread), limit=5, replies=False)
    assert "So kind of him." in [c.text for c in got.comments]  # "@poster " dropped


@pytest.mark.parametrize("site", SITES)
async def test_source_posts_fill_themselves_in(fake: SourcesFake, site: str) -> None:
    thread = fake.add(story())
    post = await registry_for(fake).fetch_post(fake.link(site, thread))
    assert "last train" in post.text or thread.title in post.text
    assert post.author
    if site != "youtube":  # YouTube's oEmbed gives no date
        assert post.date.endswith(", 2026")


async def test_x_oembed_gives_handle_date_and_text(fake: SourcesFake) -> None:
    thread = fake.add(story())
    post = await registry_for(fake, Credentials()).fetch_post(fake.link("x", thread))
    assert post.handle == "poster" and post.author == "Poster"
    assert post.text == "The clerk found it on the last train. https://t.co/abc123"
    assert post.url.endswith(f"/status/{thread.id}")
    private = fake.add(FakeThread([], private=True))
    assert "private" in await sentence(registry_for(fake).fetch_post(fake.link("x", private)))
    assert "private" in await sentence(registry_for(fake).fetch_post(fake.link("youtube", private)))
