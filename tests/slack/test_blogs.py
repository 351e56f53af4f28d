"""Slack publishing to blogs: `/hanno publish`, and "Publish to …" buttons on the review post."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import load_settings
from bot.core.rules import Rules
from bot.core.service import HannoService
from bot.publish import build_targets
from bot.render import Renderer
from bot.slack import build_app
from bot.slack.front import SlackFrontEnd
from bot.slack.http import make_web_app
from bot.slack.identity import slack_policy
from bot.slack.notifier import REVIEW
from bot.storage.database import SqliteStore
from tests.fakes.blog_fakes import BlogFakes, Fault
from tests.fakes.slack_fake import SlackEvents, SlackFake, serve
from tests.publish.conftest import (  # noqa: F401
    RAILWAY_STORY,
    WP_FAULTS,
    blogs,
    git_site,
    targets_toml,
)
from tests.slack.conftest import ANN, BOB, MOD, MOD2, SECRET, TR, Slack, slack_settings

WHO = {"aiko": MOD, "kenji": MOD2, "mei": TR, "sam": ANN, "lena": BOB}


@pytest.fixture
async def slack(fake: SlackFake, blogs: BlogFakes, tmp_path: Path) -> AsyncIterator[Slack]:  # noqa: F811
    settings = slack_settings()
    (tmp_path / "targets.toml").write_text(
        targets_toml(blogs, git_site(tmp_path)), encoding="utf-8"
    )
    targets = load_settings(tmp_path / "targets.toml").publish.targets
    store = await SqliteStore.open(tmp_path / "slack.db")
    service = HannoService(
        store,
        rules=Rules(min_score=1, max_reactions=5),
        policy=slack_policy(settings.slack),
        renderer=Renderer(),
        blog_targets=build_targets(targets),
    )
    app = build_app(settings, service, api_url=fake.api_url)
    runner, url = await serve(make_web_app(app))
    front: SlackFrontEnd = app.hanno  # type: ignore[attr-defined]
    driver = Slack(
        fake=fake,
        events=SlackEvents(f"{url}/slack/events", SECRET, fake),
        app=app,
        service=service,
        front=front,
    )
    try:
        for line in RAILWAY_STORY:
            name, _, command = line.partition(": /")
            await driver.say(WHO[name], command)
        yield driver
    finally:
        await runner.cleanup()
        await front.close()
        await store.close()


async def review_post(slack: Slack) -> dict[str, Any]:
    await slack.front.drain()
    ref = await slack.service.get_ref(slack.fake.team_id, REVIEW, "1")
    assert ref is not None
    return slack.fake.message(*ref)


async def click_blog(slack: Slack, name: str) -> str:
    before = len(slack.fake.response_posts)
    await slack.click(MOD, f"hanno_blog:{name}", await review_post(slack))
    post = await slack.fake.wait_for_response(count=before + 1)
    return str(post.body.get("text", ""))


async def test_publish_command_posts_to_chat_and_the_auto_blogs(
    slack: Slack,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    reply = await slack.say(MOD, "publish 1")
    assert "Article #1 is published" in reply
    assert "wp: posted as a new draft" in reply and "hatena: posted as a new draft" in reply
    [post] = blogs.posts.values()
    assert (
        '<p class="hanno-label">2. 海外の名無しさん 🇧🇷ブラジル 🇵🇹ポルトガル</p>' in post["content"]
    )
    assert len(blogs.entries["hatena"]) == 1
    reply = await slack.say(MOD, "publish 1")
    assert "wp: the same post updated (draft)" in reply and len(blogs.posts) == 1


async def test_review_post_offers_each_blog_and_a_click_updates_not_duplicates(
    slack: Slack,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    labels = [
        e["text"]["text"]
        for b in (await review_post(slack))["blocks"]
        if b.get("block_id") == "hanno_blogs_1"
        for e in b["elements"]
    ]
    assert labels == [
        "Publish to wp",
        "Publish to hatena",
        "Publish to livedoor",
        "Publish to site",
    ]
    assert (await click_blog(slack, "livedoor")).startswith("livedoor: posted as a new draft")
    assert (await click_blog(slack, "livedoor")).startswith("livedoor: the same post updated")
    assert len(blogs.entries["livedoor"]) == 1 and blogs.posts == {}


async def test_failed_blog_retried_alone_from_its_button(
    slack: Slack,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    blogs.fail("wordpress", Fault(login_page=True))
    reply = await slack.say(MOD, "publish 1")
    assert "wp: not posted. wp answered with a web page instead of JSON" in reply
    assert "Run `publish 1 --to wp` to try that blog again." in reply
    hatena_calls = len(blogs.calls("hatena"))
    assert (await click_blog(slack, "wp")).startswith("wp: posted as a new draft")
    assert len(blogs.calls("hatena")) == hatena_calls and len(blogs.posts) == 1


async def test_members_cannot_publish_and_forged_blog_buttons_are_refused(
    slack: Slack,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    before = len(slack.fake.response_posts)
    await slack.click(ANN, "hanno_blog:wp", await review_post(slack))
    post = await slack.fake.wait_for_response(count=before + 1)
    assert "moderator" in str(post.body)
    reply = await slack.events.block_action(
        MOD, "hanno_blog:tumblr", "1", message=await review_post(slack), block_id="hanno_blogs_1"
    )
    assert reply.status == 200
    post = await slack.fake.wait_for_response(count=before + 2)
    assert blogs.posts == {} and "button" in str(post.body).lower()


async def test_every_fault_is_one_sentence_and_nothing_is_recorded(
    slack: Slack,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    for fault, sentence in WP_FAULTS:
        blogs.fail("wordpress", fault)
        reply = await slack.say(MOD, "publish 1 --to wp")
        assert reply.startswith("wp: not posted. ") and sentence in reply, reply
        assert blogs.posts == {}
    assert (await slack.say(MOD, "publish 1 --to wp")).startswith("wp: posted as a new draft")
    history = await slack.say(MOD, "article history 1")
    assert history.count("could not post to wp") == len(WP_FAULTS)
    assert history.count("posted the article to wp") == 1
