"""`comment import` and auto-filled source posts on the console, against the site fakes."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from bot.config import ConsoleConfig, Person, Settings, SourcesConfig, StorageConfig
from bot.console.runner import console_session
from tests.fakes.sources_fake import (
    CLIENT_ID,
    CLIENT_SECRET,
    YOUTUBE_KEY,
    FakeComment,
    FakeThread,
    SourcesFake,
    comment_text,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


def settings_for(tmp_path: Path, fake: SourcesFake, **sources: object) -> Settings:
    return Settings(
        storage=StorageConfig(path=tmp_path / "hanno.db", synchronous="NORMAL"),
        console=ConsoleConfig(
            people=[Person(name="aiko", role="moderator"), Person(name="sam", role="member")]
        ),
        sources=SourcesConfig(**fake.config(languages=["en", "fr", "de"], **sources)),
        REDDIT_CLIENT_ID=CLIENT_ID,
        REDDIT_CLIENT_SECRET=CLIENT_SECRET,
        YOUTUBE_API_KEY=YOUTUBE_KEY,
    )


async def play(settings: Settings, *lines: str) -> list[str]:
    out = io.StringIO()
    async with console_session(settings, out) as session:
        for line in lines:
            await session.handle(line)
    return out.getvalue().splitlines()


async def test_a_moderator_imports_a_reddit_thread(tmp_path: Path, site_fake: SourcesFake) -> None:
    site_fake.reddit_page = 20
    thread = site_fake.add(
        FakeThread(
            [FakeComment(comment_text(i), author=f"user{i}", score=500 - i) for i in range(60)]
            + [FakeComment("[removed by the moderators]", removed=True)]
        )
    )
    url = site_fake.link("reddit", thread)
    settings = settings_for(tmp_path, site_fake)
    lines = await play(
        settings,
        'aiko: /article new "Lost sketchbook"',
        f"sam: /comment import 1 {url}",
        f"aiko: /comment import 1 {url} --top 5",
        f"aiko: /comment import 1 {url} --top 8",
    )
    assert lines[1] == "→ Only moderators can import comments; ask a moderator to do it."
    assert lines[2] == "→ Reading the thread…"  # at once, before the site answers
    # the first page holds 20 comments: enough for --top 5, so no `more` stub is expanded
    summary = (
        "[#voting] Imported 5 comments from Reddit into article #1: #1–#5. "
        "Left out: 15 past the top 5."
    )
    assert summary in lines
    cards = [line for line in lines if line.startswith("[#voting] Comment #")]
    assert len(cards) == 8
    assert (
        cards[0].startswith("[#voting] Comment #1 on article #1 by aiko: ")
        and comment_text(0) in cards[0]
    )
    assert "[▲ 500 on Reddit: https://www.reddit.com/r/japan/comments/" in cards[0]
    again = "→ Imported 3 comments from Reddit into article #1: #6–#8. 5 already there."
    assert any(line.startswith(again) for line in lines)


async def test_faults_answer_in_one_line_and_change_nothing(
    tmp_path: Path, site_fake: SourcesFake
) -> None:
    thread = site_fake.add(FakeThread([FakeComment(comment_text(1))]))
    settings = settings_for(tmp_path, site_fake, timeout=0.3)
    site_fake.fail("youtube", status=500)
    site_fake.fail("mastodon", status=200, delay=1.0)
    lines = await play(
        settings,
        'aiko: /article new "Faults"',
        f"aiko: /comment import 1 {site_fake.link('youtube', thread)}",
        f"aiko: /comment import 1 {site_fake.link('mastodon', thread)}",
        "aiko: /comment import 1 https://example.com/blog/post",
        f"aiko: /comment import 1 {site_fake.link('x', thread)}",
        "aiko: /comment list 1",
    )
    assert lines.count("→ Reading the thread…") == 3  # the progress line, before each fetch
    lines = [line for line in lines if line != "→ Reading the thread…"]
    assert lines[1:5] == [
        "→ YouTube had a server error (HTTP 500); nothing was imported, try again in a few minutes.",
        "→ Mastodon did not answer within 0.3 seconds; nothing was imported, try again later.",
        "→ hanno can't read comments from that address; give a thread's link from Reddit, X (Twitter), YouTube, Hacker News, Bluesky and Mastodon.",
        "→ Reading X needs a key: set the environment variable X_BEARER_TOKEN and restart hanno.",
    ]
    assert "Comment #" not in "\n".join(lines[5:])


async def test_a_source_post_that_cannot_be_read_is_kept_and_said(
    tmp_path: Path, site_fake: SourcesFake
) -> None:
    """YouTube answering 500: the source is added with what was given, and the person hears
    so in one sentence, in their language."""
    thread = site_fake.add(FakeThread([]))
    link = site_fake.link("youtube", thread)
    site_fake.fail("youtube", status=500, times=2)
    settings = settings_for(tmp_path, site_fake)
    lines = await play(
        settings,
        'aiko: /article new "Sources"',
        f"aiko: /article source 1 {link} --author 'Town Library'",
    )
    assert lines[-2:] == [
        "→ Article #1 now has 1 source post.",
        "YouTube could not be read just now, so source 1 was added with only the link and "
        "what you gave, and shows as a link.",
    ]
    settings.article.interface_language = "ja"
    lines = await play(settings, f"aiko: /article source 1 {link} --handle townlib")
    assert lines[-1] == (
        "YouTube から投稿を今は読み込めなかったため、出典 2 はリンクと指定された内容だけで"
        "追加し、リンクとして表示します。"
    )
    with sqlite3.connect(settings.storage.path) as db:
        rows = db.execute("SELECT url, text, author, handle FROM sources").fetchall()
    assert rows == [(link, "", "Town Library", ""), (link, "", "", "townlib")]
    lines = await play(settings, f"aiko: /article source 1 {link}")  # up again: read, not said
    assert "読み込めなかった" not in "\n".join(lines)


async def test_source_post_fills_itself_in(tmp_path: Path, site_fake: SourcesFake) -> None:
    thread = site_fake.add(FakeThread([]))
    settings = settings_for(tmp_path, site_fake)
    lines = await play(
        settings,
        'aiko: /article new "Sources"',
        f"aiko: /article source 1 {site_fake.link('x', thread)} --date 'Jan 18, 2026'",
        "aiko: /article show 1",
    )
    assert lines[-1] == f"Source 1: {site_fake.link('x', thread)} (Poster)"
    with sqlite3.connect(settings.storage.path) as db:
        row = db.execute("SELECT text, author, handle, date FROM sources").fetchone()
    assert row == (
        "The clerk found it on the last train. https://t.co/abc123",
        "Poster",
        "poster",
        "Jan 18, 2026",  # given by hand: wins over the post's own date
    )
