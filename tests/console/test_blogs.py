"""The console publishing to every kind of blog: once, updated again, retried alone, faults."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.console.runner import console_session
from bot.console.session import ConsoleSession
from tests.fakes.blog_fakes import BlogFakes, Fault
from tests.publish.conftest import (  # noqa: F401
    RAILWAY_STORY,
    WP_FAULTS,
    blogs,
    git_log,
    git_site,
    targets_toml,
)

BASE = """
[storage]
path = "{db}"

[console]
people = [
  {{ name = "aiko", role = "moderator" }},
  {{ name = "kenji", role = "moderator" }},
  {{ name = "mei", role = "translator" }},
  {{ name = "sam", role = "member" }},
  {{ name = "lena", role = "member" }},
]
"""


class Console:
    def __init__(self, session: ConsoleSession, out: io.StringIO) -> None:
        self.session = session
        self.out = out

    async def say(self, line: str) -> list[str]:
        """Run one line; the replies it produced (without the arrow)."""
        start = len(self.out.getvalue())
        await self.session.handle(line)
        replies: list[str] = []
        inside = False
        for row in self.out.getvalue()[start:].splitlines():
            if row.startswith("→ "):
                replies.append(row[2:])
                inside = True
            elif row.startswith(("[#", "[@")):
                inside = False
            elif inside:
                replies.append(row)  # the next line of a reply of several
        return replies


@pytest.fixture
async def console(blogs: BlogFakes, tmp_path: Path) -> AsyncIterator[Console]:  # noqa: F811
    site = git_site(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(
        BASE.format(db=(tmp_path / "hanno.db").as_posix()) + targets_toml(blogs, site),
        encoding="utf-8",
    )
    out = io.StringIO()
    async with console_session(load_settings(config), out) as session:
        runner = Console(session, out)
        for line in RAILWAY_STORY:
            await session.handle(line)
        assert "Article #1 is approved" in out.getvalue(), out.getvalue()
        yield runner


async def test_publish_posts_to_chat_and_every_auto_blog_once(
    console: Console,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    said = await console.say("aiko: /publish 1")
    assert said[0].startswith("Article #1 is published in #publish")
    [post] = blogs.posts.values()
    assert said[1] == f"wp: posted as a new draft — {blogs.wordpress_url}/?p={post['id']}"
    assert said[2].startswith("hatena: posted as a new draft — https://hanno.hatenablog.com/entry/")
    assert len(said) == 3  # livedoor and the site are not `auto`
    assert post["status"] == "draft" and post["title"] == "元運転士の裏庭ミニ鉄道"
    assert (
        post["excerpt"]
        == "鳥取県の元運転士が裏庭にミニ鉄道を作りました。海外の反応をご紹介します。"
    )
    content = post["content"]
    assert '<blockquote class="twitter-tweet"><p>開業一周年です🚂</p>' in content
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in content
    assert '<p class="hanno-label">1. 海外の名無しさん 🇩🇪ドイツ</p>' in content
    assert "&lt;b&gt;小さな&lt;/b&gt;列車に大きな笑顔 @everyone" in content  # text, not markup
    assert "<p>次の延伸にも期待しましょう。</p>" in content
    [entry] = blogs.entries["hatena"].values()
    assert entry["draft"] and entry["content"] == content + "<!-- hanno-console-1 -->\n"
    assert "[#publish]" in console.out.getvalue()


async def test_publishing_again_updates_the_same_posts(console: Console, blogs: BlogFakes) -> None:  # noqa: F811
    await console.say("aiko: /publish 1")
    chat_posts = console.out.getvalue().count("[#publish]")
    said = await console.say("aiko: /publish 1")
    assert said[0] == (
        "Article #1 is already in the publish channel; it was not posted there again."
    )
    assert said[1].startswith("wp: the same post updated (draft) — ")
    assert said[2].startswith("hatena: the same post updated (draft) — ")
    assert console.out.getvalue().count("[#publish]") == chat_posts
    assert len(blogs.posts) == 1 and next(iter(blogs.posts.values()))["revisions"] == 1
    assert len(blogs.entries["hatena"]) == 1
    # The style is changed after publishing: the blogs get it on the next publish.
    assert await console.say("aiko: /article set 1 style bilingual") == [
        "Article #1 now shows its reactions in the bilingual style."
    ]
    await console.say("aiko: /publish 1 --to wp")
    content = next(iter(blogs.posts.values()))["content"]
    assert (
        '<p class="hanno-original"><small>He even calculated the gradients.</small></p>' in content
    )
    history = "\n".join(await console.say("aiko: /article history 1"))
    assert history.count("aiko posted the article to ") == 2
    assert history.count("aiko updated the post on ") == 3
    assert "aiko changed the style: bilingual" in history


async def test_a_failed_blog_is_retried_alone(console: Console, blogs: BlogFakes) -> None:  # noqa: F811
    blogs.fail("hatena", Fault(status=503))
    said = await console.say("aiko: /publish 1")
    assert said[1].startswith("wp: posted as a new draft")
    assert said[2] == (
        "hatena: not posted. hatena had a server error (HTTP 503); check that the blog is up, "
        "then publish again."
    )
    assert said[3] == "Run `publish 1 --to hatena` to try that blog again."
    assert blogs.entries["hatena"] == {}
    wp_calls = len(blogs.calls("wordpress"))
    said = await console.say("aiko: /publish 1 --to hatena")
    assert said == [said[0]] and said[0].startswith("hatena: posted as a new draft")
    assert len(blogs.calls("wordpress")) == wp_calls  # WordPress was left alone
    assert len(blogs.entries["hatena"]) == 1


async def test_an_entry_whose_answer_was_lost_is_adopted_on_retry_not_posted_again(
    console: Console,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    # Hatena makes the entry; the answer never arrives.
    blogs.fail("hatena", Fault(lost=True, method="POST"))
    said = await console.say("aiko: /publish 1 --to hatena")
    assert said[0].startswith("hatena: not posted. hatena could not be reached at ")
    [entry_id] = blogs.entries["hatena"]
    said = await console.say("aiko: /publish 1 --to hatena")
    link = f"https://hanno.hatenablog.com/entry/{entry_id}"
    assert said == [f"hatena: posted as a new draft — {link}"]
    assert list(blogs.entries["hatena"]) == [entry_id]
    # Recorded with its edit link: publishing again updates that entry in place.
    said = await console.say("aiko: /publish 1 --to hatena")
    assert said == [f"hatena: the same post updated (draft) — {link}"]
    assert list(blogs.entries["hatena"]) == [entry_id]
    assert blogs.calls("hatena", "PUT")[-1].path.endswith(f"/atom/entry/{entry_id}")


async def test_a_dropped_livedoor_connection_is_told_as_unreachable_not_as_a_refused_sign_in(
    console: Console,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    # The lookup for an earlier entry drops twice (aiohttp's resend included): the blog was lost.
    blogs.fail("livedoor", Fault(lost=True, method="GET"), times=2)
    said = await console.say("aiko: /publish 1 --to livedoor")
    assert said[0].startswith("livedoor: not posted. livedoor could not be reached at "), said
    assert blogs.entries["livedoor"] == {}
    said = await console.say("aiko: /publish 1 --to livedoor")
    assert said[0].startswith("livedoor: posted as a new draft — "), said
    # An update whose PUT drops once is resent with a fresh WSSE token, and goes through.
    blogs.fail("livedoor", Fault(lost=True, method="PUT"))
    said = await console.say("aiko: /publish 1 --to livedoor")
    assert said[0].startswith("livedoor: the same post updated (draft) — "), said
    assert len(blogs.entries["livedoor"]) == 1


async def test_livedoor_and_the_static_site_on_request(
    console: Console,
    blogs: BlogFakes,  # noqa: F811
    tmp_path: Path,
) -> None:
    said = await console.say("aiko: /publish 1 --to livedoor")
    assert said[0].startswith(
        "livedoor: posted as a new draft — http://hannoblog.blog.jp/archives/"
    )
    said = await console.say("aiko: /publish 1 --to site")
    folder = tmp_path / "site" / "content" / "posts"
    [file] = folder.iterdir()
    assert said == [f"site: posted as a new draft — {file}"]
    text = file.read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "元運転士の裏庭ミニ鉄道"\n')
    assert "**1\\. 海外の名無しさん 🇩🇪ドイツ**\\" in text
    assert len(git_log(folder)) == 1
    await console.say("aiko: /publish 1 --to site")
    assert len(list(folder.iterdir())) == 1
    # Still approved: the blogs do not publish the article to the chat.
    assert "[#publish]" not in console.out.getvalue()


async def test_a_deleted_post_is_reported_not_recreated(console: Console, blogs: BlogFakes) -> None:  # noqa: F811
    await console.say("aiko: /publish 1")
    blogs.posts.clear()
    said = await console.say("aiko: /publish 1 --to wp")
    assert said[0].startswith("wp: The post on wp was deleted on the blog (http://127.0.0.1:")
    assert said[0].endswith(
        "so it is not recreated; restore it on the blog to publish there again."
    )
    assert blogs.posts == {}
    said = await console.say("aiko: /publish 1")
    assert "deleted on the blog" in said[1] and blogs.posts == {}


@pytest.mark.parametrize(("fault", "sentence"), WP_FAULTS)
async def test_every_fault_is_one_sentence_and_nothing_is_recorded(
    console: Console,
    blogs: BlogFakes,  # noqa: F811
    fault: Fault,
    sentence: str,
) -> None:
    blogs.fail("wordpress", fault)
    said = await console.say("aiko: /publish 1 --to wp")
    assert said[0].startswith("wp: not posted. ") and sentence in said[0]
    assert said[1] == "Run `publish 1 --to wp` to try that blog again."
    assert blogs.posts == {}
    said = await console.say("aiko: /publish 1 --to wp")
    assert said[0].startswith("wp: posted as a new draft") and len(blogs.posts) == 1


async def test_unknown_blog_and_unknown_style(console: Console) -> None:
    assert await console.say("aiko: /publish 1 --to tumblr") == [
        "There is no blog target called tumblr; the configured ones are: wp, hatena, livedoor, site."
    ]
    assert await console.say("aiko: /article set 1 style fancy") == [
        "There is no reaction style called fancy; choose one of: persona, numbered, bilingual."
    ]
    said = await console.say("sam: /publish 1 --to wp")
    assert "moderator" in said[0]


async def test_every_format_and_target_ends_with_the_credits_line(
    console: Console,
    blogs: BlogFakes,  # noqa: F811
    tmp_path: Path,
) -> None:
    credits = "翻訳: mei / コメント選定: sam、lena"
    await console.say("aiko: /publish 1")
    chat = console.out.getvalue()
    assert f"{credits}\n" in chat[chat.rindex("[#publish]") :]
    [post] = blogs.posts.values()
    assert post["content"].endswith(f'<p class="hanno-credits">{credits}</p>\n')
    [entry] = blogs.entries["hatena"].values()
    assert entry["content"].endswith(
        f'<p class="hanno-credits">{credits}</p>\n<!-- hanno-console-1 -->\n'
    )
    await console.say("aiko: /publish 1 --to livedoor")
    [entry] = blogs.entries["livedoor"].values()
    assert f'<p class="hanno-credits">{credits}</p>' in entry["content"]
    await console.say("aiko: /publish 1 --to site")
    [file] = (tmp_path / "site" / "content" / "posts").iterdir()
    assert file.read_text(encoding="utf-8").endswith(
        "\n\n翻訳\\: mei / コメント選定\\: sam、lena\n"
    )


async def test_status_shows_where_the_article_stands_on_each_blog(
    console: Console,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    status = await console.say("aiko: /article status 1")
    assert not [line for line in status if "Blogs" in line or "wp:" in line]  # none sent yet
    blogs.fail("hatena", Fault(status=503))
    await console.say("aiko: /publish 1")
    status = await console.say("aiko: /article status 1")
    [post] = blogs.posts.values()
    at = status.index("Blogs:")
    assert status[at + 1 :] == [
        "- hatena: not posted. hatena had a server error (HTTP 503); check that the blog is "
        "up, then publish again.",
        f"- wp: posted as a draft — {blogs.wordpress_url}/?p={post['id']}",
    ]
    await console.say("aiko: /publish 1 --to hatena")
    blogs.fail("wordpress", Fault(status=503))
    await console.say("aiko: /publish 1 --to wp")
    status = await console.say("aiko: /article status 1")
    hatena, wp = status[status.index("Blogs:") + 1 :]
    assert hatena.startswith("- hatena: posted as a draft — https://hanno.hatenablog.com/entry/")
    assert wp == (
        "- wp: the last update failed. wp had a server error (HTTP 503); check that the blog is "
        f"up, then publish again. The draft from before is still there — {blogs.wordpress_url}"
        f"/?p={post['id']}"
    )
    blogs.posts.clear()  # deleted on the blog side
    await console.say("aiko: /publish 1 --to wp")
    status = await console.say("aiko: /article status 1")
    assert status[-1] == "- wp: the post was deleted on the blog; it is not posted again."
