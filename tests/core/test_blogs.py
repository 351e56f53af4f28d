"""The blogs area through the service: states, roles, one post per target even when two
publishes race, styles as edits. Real targets against the local fakes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.core.errors import Forbidden, NotFound, WrongState
from bot.core.events import ApprovalWithdrawn, RecordingNotifier
from bot.core.models import ArticleState
from bot.core.rules import Rules
from bot.core.service import HannoService
from bot.core.targets import PublicationStatus
from bot.publish.wordpress import WordPressTarget
from bot.render import Renderer
from bot.storage.database import SqliteStore
from tests.conftest import POLICY
from tests.fakes.blog_fakes import BlogFakes, Fault
from tests.publish.conftest import blogs, wordpress_settings  # noqa: F401


@pytest.fixture
async def blog_service(
    store: SqliteStore,
    notifier: RecordingNotifier,
    blogs: BlogFakes,  # noqa: F811
) -> AsyncIterator[HannoService]:
    yield HannoService(
        store,
        rules=Rules(min_score=1, max_reactions=3),
        policy=POLICY,
        renderer=Renderer(),
        notifier=notifier,
        blog_targets=[WordPressTarget(wordpress_settings(blogs, auto=True))],
    )


async def _approved(service: HannoService, people: dict) -> int:
    a = (await service.create_article(people["mod"], "ミニ鉄道")).number
    await service.add_comment(people["ann"], a, "Choo choo!", countries=("DE",))
    await service.vote(people["bob"], 1, "up")
    await service.close_voting(people["mod"], a)
    await service.submit_translation(people["tr"], 1, "シュッシュッ!")
    await service.submit_draft(people["mod"], a)
    await service.approve(people["mod2"], a)  # the submitter may not give the last approval
    return a


async def test_only_approved_or_published_articles_by_moderators(
    blog_service: HannoService,
    people: dict,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    a = (await blog_service.create_article(people["mod"], "まだ")).number
    with pytest.raises(WrongState, match="collecting"):
        await blog_service.publish_to_blogs(people["mod"], a)
    with pytest.raises(Forbidden):
        await blog_service.publish_to_blogs(people["ann"], a)
    with pytest.raises(NotFound, match="no blog target called tumblr; the configured ones are: wp"):
        await blog_service.publish_to_blogs(people["mod"], a, ["tumblr"])
    assert blogs.requests == []


async def test_two_publishes_at_once_make_one_post(
    blog_service: HannoService,
    people: dict,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    a = await _approved(blog_service, people)
    blogs.fail("wordpress", Fault(status=200, delay=0.3))  # the first call is slow: a race
    first, second = await asyncio.gather(
        blog_service.publish_to_blogs(people["mod"], a),
        blog_service.publish_to_blogs(people["mod2"], a),
    )
    assert sorted(o.problem_key for o in (*first, *second)) == ["", "blog.busy"]
    assert len(blogs.posts) == 1
    [record] = await blog_service.publications(people["mod"], a)
    assert record.status is PublicationStatus.DRAFT and record.revision == 1


async def test_style_before_approval_is_an_edit_and_after_publishing_only_a_setting(
    blog_service: HannoService,
    people: dict,
    notifier: RecordingNotifier,
) -> None:
    a = await _approved(blog_service, people)
    changed = await blog_service.set_style(people["mod"], a, "NUMBERED")
    assert changed.style == "numbered" and changed.state is ArticleState.REVIEW
    assert any(isinstance(e, ApprovalWithdrawn) for e in notifier.events)
    await blog_service.approve(people["mod2"], a)
    document = await blog_service.document(people["mod"], a)
    assert "1. 海外の名無しさん 🇩🇪ドイツ\nシュッシュッ!" in blog_service.renderer.text(document)

    async def poster(index: int, text: str) -> str:
        return f"m{index}"

    await blog_service.publish_everywhere(people["mod"], a, poster, limit=2000)
    published = await blog_service.set_style(people["mod"], a, "bilingual")
    assert published.state is ArticleState.PUBLISHED and published.style == "bilingual"
