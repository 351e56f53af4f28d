"""WordPress: a draft post by REST with an Application Password, updated in place, never doubled."""

from __future__ import annotations

import pytest

from bot.core.targets import PostGone, Publication, PublicationStatus, TargetFault
from bot.publish.wordpress import WordPressTarget
from tests.fakes.blog_fakes import BlogFakes
from tests.publish.conftest import railway_post, wordpress_settings


def _record(remote_id: str) -> Publication:
    return Publication(
        target="wp", kind="wordpress", status=PublicationStatus.DRAFT, remote_id=remote_id
    )


async def test_creates_a_draft_with_categories_tags_and_excerpt(blogs: BlogFakes) -> None:
    target = WordPressTarget(
        wordpress_settings(blogs, categories=["海外の反応"], tags=["鉄道 & 模型"])
    )
    remote = await target.create(railway_post())
    post = blogs.posts[int(remote.remote_id)]
    assert remote.status is PublicationStatus.DRAFT and post["status"] == "draft"
    assert remote.url == f"{blogs.wordpress_url}/?p={remote.remote_id}"
    assert post["title"] == "元運転士が裏庭に作ったミニ鉄道、子どもたちの人気者に"
    assert post["categories"] == [7] and post["tags"] == [21]
    assert post["excerpt"].startswith("鳥取県の小さな集落で")
    assert '<blockquote class="twitter-tweet">' in post["content"]
    auth = blogs.calls("wordpress", "POST")[-1]
    assert auth.path == "/wp/wp-json/wp/v2/posts"


async def test_sends_the_application_password_without_its_spaces(blogs: BlogFakes) -> None:
    await WordPressTarget(wordpress_settings(blogs)).create(railway_post())
    assert len(blogs.posts) == 1  # the fake compares it both ways; the login went through


async def test_missing_terms_are_created_only_when_configured(blogs: BlogFakes) -> None:
    with pytest.raises(TargetFault) as caught:
        await WordPressTarget(wordpress_settings(blogs, tags=["ミニ鉄道"])).create(railway_post())
    assert caught.value.message == (
        "wp has no tags called ミニ鉄道; create it on the blog or set create_terms = true for the target."
    )
    assert blogs.posts == {}
    target = WordPressTarget(wordpress_settings(blogs, tags=["ミニ鉄道"], create_terms=True))
    remote = await target.create(railway_post())
    created = next(t for t in blogs.terms["tags"] if t["name"] == "ミニ鉄道")
    assert blogs.posts[int(remote.remote_id)]["tags"] == [created["id"]]


async def test_update_replaces_the_text_and_keeps_the_owners_status(blogs: BlogFakes) -> None:
    target = WordPressTarget(wordpress_settings(blogs))
    remote = await target.create(railway_post())
    blogs.posts[int(remote.remote_id)]["status"] = "publish"  # the owner published it
    again = await target.update(railway_post("numbered", title="改題"), _record(remote.remote_id))
    post = blogs.posts[int(remote.remote_id)]
    assert again.remote_id == remote.remote_id and len(blogs.posts) == 1
    assert post["title"] == "改題" and post["status"] == "publish"
    assert again.status is PublicationStatus.PUBLISHED
    assert '<p class="hanno-label">1. 海外の名無しさん 🇩🇪ドイツ</p>' in post["content"]


async def test_deleted_post_is_reported_not_recreated(blogs: BlogFakes) -> None:
    target = WordPressTarget(wordpress_settings(blogs))
    remote = await target.create(railway_post())
    del blogs.posts[int(remote.remote_id)]
    with pytest.raises(PostGone, match=r"^The post on wp was deleted on the blog"):
        await target.update(railway_post(), _record(remote.remote_id))
    assert blogs.posts == {}


async def test_trashed_post_is_reported(blogs: BlogFakes) -> None:
    target = WordPressTarget(wordpress_settings(blogs))
    remote = await target.create(railway_post())
    blogs.posts[int(remote.remote_id)]["status"] = "trash"
    with pytest.raises(PostGone, match=r"^The post on wp is in the blog's trash"):
        await target.update(railway_post(), _record(remote.remote_id))


async def test_wrong_application_password(
    blogs: BlogFakes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANNO_WORDPRESS_PASSWORD", "wrong wrong wrong")
    with pytest.raises(TargetFault) as caught:
        await WordPressTarget(wordpress_settings(blogs)).create(railway_post())
    assert caught.value.message == (
        "wp refused the sign-in (HTTP 401); check the user name in the config and the password "
        "or API key in the environment variable HANNO_WORDPRESS_PASSWORD."
    )


async def test_missing_password_variable(blogs: BlogFakes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANNO_WORDPRESS_PASSWORD")
    with pytest.raises(
        TargetFault, match="needs the environment variable HANNO_WORDPRESS_PASSWORD"
    ):
        await WordPressTarget(wordpress_settings(blogs)).create(railway_post())
    assert blogs.requests == []


async def test_a_post_whose_record_was_lost_is_found_by_slug_not_doubled(blogs: BlogFakes) -> None:
    target = WordPressTarget(wordpress_settings(blogs))
    first = await target.create(railway_post())
    again = await target.create(railway_post(title="改題"))  # as after a crash before recording
    assert again.remote_id == first.remote_id and len(blogs.posts) == 1
    assert blogs.posts[int(first.remote_id)]["title"] == "改題"
    assert blogs.posts[int(first.remote_id)]["slug"] == "hanno-s-1"
