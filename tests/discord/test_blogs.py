"""Discord publishing to blogs: /publish with a blog choice, and "Publish to …" buttons on the
approved article's review post; styles through /article style."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.config import load_settings
from tests.discord.conftest import Running, Team
from tests.fakes.blog_fakes import BlogFakes, Fault
from tests.fakes.discord_fake import DiscordFake, custom_ids
from tests.publish.conftest import WP_FAULTS, blogs, git_site, targets_toml  # noqa: F401


async def ask(fake: DiscordFake, user: Any, *path: str, **options: Any) -> str:
    return str((await (await fake.slash(user, *path, **options)).reply())["content"])


@pytest.fixture
async def approved(
    fake: DiscordFake,
    team: Team,
    start: Any,
    blogs: BlogFakes,  # noqa: F811
    tmp_path: Path,
) -> Running:
    """The railway article, approved in Discord, with every kind of blog configured."""
    (tmp_path / "targets.toml").write_text(
        targets_toml(blogs, git_site(tmp_path)), encoding="utf-8"
    )
    publish = load_settings(tmp_path / "targets.toml").publish.model_dump()
    running = await start(publish=publish)
    await ask(fake, team.mod, "article", "new", title="元運転士の裏庭ミニ鉄道")
    await ask(
        fake,
        team.mod,
        "article",
        "set",
        article=1,
        field="lead",
        text="裏庭にミニ鉄道ができました。",
    )
    await ask(
        fake,
        team.mod,
        "article",
        "source",
        article=1,
        url="https://twitter.com/hakuto_line/status/1890011223344556677",
        text="開業一周年です🚂",
        author="白兎ミニ鉄道",
        handle="hakuto_line",
        date="May 5, 2026",
    )
    await ask(
        fake,
        team.alice,
        "comment",
        "add",
        article=1,
        text="Gradients like a real line!",
        country="DE",
    )
    await ask(
        fake, team.bob, "comment", "add", article=1, text="Tiny trains, big smiles", country="BR"
    )
    await ask(fake, team.bob, "vote", comment=1, choice="up")
    await ask(fake, team.alice, "vote", comment=2, choice="up")
    await ask(fake, team.mod, "article", "close", article=1)
    for number, text in ((1, "本物の路線みたいな勾配だ!"), (2, "小さな列車に大きな笑顔")):
        await ask(fake, team.translator, "translate", "claim", comment=number)
        await ask(fake, team.translator, "translate", "submit", comment=number, text=text)
    assert "numbered" in await ask(fake, team.mod, "article", "style", article=1, style="numbered")
    await ask(fake, team.mod, "draft", "submit", article=1)
    assert "ready to publish" in await ask(fake, team.mod2, "draft", "approve", article=1)
    await running.settle()
    return running


def review_post(fake: DiscordFake) -> dict[str, Any]:
    return next(
        m for m in reversed(fake.channel_messages("review")) if "hanno:blog:1:wp" in custom_ids(m)
    )


async def test_publish_posts_to_the_channel_and_the_auto_blogs_once(
    fake: DiscordFake,
    team: Team,
    approved: Running,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    reply = await ask(fake, team.mod, "publish", article=1)
    assert "Article #1 is published" in reply
    assert "wp: posted as a new draft" in reply and "hatena: posted as a new draft" in reply
    [post] = blogs.posts.values()
    assert '<p class="hanno-label">1. 海外の名無しさん 🇩🇪ドイツ</p>' in post["content"]
    assert '<blockquote class="twitter-tweet">' in post["content"]
    reply = await ask(fake, team.mod, "publish", article=1)
    assert reply.startswith("Article #1 is already in the publish channel")
    assert "wp: the same post updated (draft)" in reply
    assert len(blogs.posts) == 1 and len(blogs.entries["hatena"]) == 1


async def test_review_post_buttons_publish_to_one_blog_each(
    fake: DiscordFake,
    team: Team,
    approved: Running,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    post = review_post(fake)
    assert [c for c in custom_ids(post) if c.startswith("hanno:blog:")] == [
        "hanno:blog:1:wp",
        "hanno:blog:1:hatena",
        "hanno:blog:1:livedoor",
        "hanno:blog:1:site",
    ]
    answer = await (await fake.click(team.mod, post["id"], "hanno:blog:1:livedoor")).reply()
    assert answer["content"].startswith("livedoor: posted as a new draft")
    answer = await (await fake.click(team.mod, post["id"], "hanno:blog:1:livedoor")).reply()
    assert answer["content"].startswith("livedoor: the same post updated")
    assert len(blogs.entries["livedoor"]) == 1 and blogs.posts == {}
    refused = await (await fake.click(team.alice, post["id"], "hanno:blog:1:wp")).reply()
    assert "moderator" in refused["content"] and blogs.posts == {}


async def test_failed_blog_retried_alone_with_the_to_option(
    fake: DiscordFake,
    team: Team,
    approved: Running,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    blogs.fail("hatena", Fault(status=401))
    reply = await ask(fake, team.mod, "publish", article=1)
    assert "hatena: not posted. hatena refused the sign-in (HTTP 401)" in reply
    assert "HANNO_HATENA_API_KEY" in reply
    wp_calls = len(blogs.calls("wordpress"))
    reply = await ask(fake, team.mod, "publish", article=1, to="hatena")
    assert reply.startswith("hatena: posted as a new draft")
    assert len(blogs.calls("wordpress")) == wp_calls and len(blogs.entries["hatena"]) == 1
    choices = await (
        await fake.autocomplete(team.mod, "publish", focused="to", article=1, to="")
    ).choices()
    assert [c["value"] for c in choices] == ["wp", "hatena", "livedoor", "site"]


async def test_deleted_post_is_reported_in_discord(
    fake: DiscordFake,
    team: Team,
    approved: Running,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    await ask(fake, team.mod, "publish", article=1)
    blogs.posts.clear()
    reply = await ask(fake, team.mod, "publish", article=1, to="wp")
    assert "was deleted on the blog" in reply and "not recreated" in reply and blogs.posts == {}


async def test_every_fault_is_one_sentence_and_nothing_is_recorded(
    fake: DiscordFake,
    team: Team,
    approved: Running,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    for fault, sentence in WP_FAULTS:
        blogs.fail("wordpress", fault)
        reply = await ask(fake, team.mod, "publish", article=1, to="wp")
        assert reply.startswith("wp: not posted. ") and sentence in reply, reply
        assert blogs.posts == {}
    reply = await ask(fake, team.mod, "publish", article=1, to="wp")
    assert reply.startswith("wp: posted as a new draft") and len(blogs.posts) == 1


async def test_status_has_a_line_per_blog_the_article_was_sent_to(
    fake: DiscordFake,
    team: Team,
    approved: Running,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    def blog_field(reply: dict[str, Any]) -> list[str]:
        fields = reply["embeds"][0]["fields"]
        return [f["value"] for f in fields if f["name"] == "Blogs"]

    status = await (await fake.slash(team.alice, "article", "status", article=1)).reply()
    assert blog_field(status) == []  # sent to no blog yet
    blogs.fail("hatena", Fault(status=503))
    await ask(fake, team.mod, "publish", article=1)
    status = await (await fake.slash(team.alice, "article", "status", article=1)).reply()
    [post] = blogs.posts.values()
    assert blog_field(status) == [
        "hatena: not posted. hatena had a server error (HTTP 503); check that the blog is up, "
        f"then publish again.\nwp: posted as a draft — {blogs.wordpress_url}/?p={post['id']}"
    ]
