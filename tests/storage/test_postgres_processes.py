"""Every rule holds when two bot processes share one PostgreSQL database.

Each "process" here is a service on a store of its own — its own connection pool and its own
group-commit connection, nothing shared in memory — so the only thing keeping them in step is
the database, as between two `hanno run` processes (tests/reliability/test_postgres_processes.py
runs real ones). Each race is run many times to give a wrong interleaving its chance."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from bot.core.errors import Conflict, DomainError, Forbidden
from bot.core.models import ArticleState, Role
from bot.core.rules import Rules
from bot.core.service import HannoService
from bot.core.targets import PublicationStatus
from bot.publish.wordpress import WordPressTarget
from bot.render import Renderer
from bot.storage.postgres import PostgresStore
from tests.conftest import POLICY, person
from tests.fakes.blog_fakes import BlogFakes, Fault
from tests.publish.conftest import blogs, wordpress_settings  # noqa: F401

A = {name: person(name) for name in ("mod", "mod2", "tr", "tr2", "ann", "bob", "cat")}


@pytest.fixture
async def pair(pg_url: str) -> AsyncIterator[tuple[HannoService, HannoService]]:
    stores = [await PostgresStore.open(pg_url) for _ in range(2)]
    # self_approval: the race is between two approvals, not about who submitted the draft
    rules = Rules(min_score=1, max_reactions=3, approvals_required=2, self_approval=True)
    try:
        yield tuple(
            HannoService(s, rules=rules, policy=POLICY, renderer=Renderer()) for s in stores
        )  # type: ignore[misc]
    finally:
        for store in stores:
            await store.close()


async def selected_comment(service: HannoService, text: str) -> tuple[int, int]:
    article = await service.create_article(A["mod"], text)
    comment = await service.add_comment(A["ann"], article.number, text)
    await service.vote(A["bob"], comment.number, "up")
    await service.close_voting(A["mod"], article.number)
    return article.number, comment.number


async def test_votes_split_over_two_processes_are_each_counted_once(pair, pg_url) -> None:
    one, two = pair
    article = await one.create_article(A["mod"], "burst")
    comments = [(await one.add_comment(A["ann"], article.number, f"c{i}")).number for i in range(3)]
    voters = [person(f"v{i}") for i in range(300)]

    async def vote(i: int) -> None:
        service = one if i % 2 else two
        for number in comments:
            await service.vote(voters[i], number, "down" if i % 5 == 0 else "up")
        # the same person clicking again in the other process: changes nothing
        await (two if i % 2 else one).vote(voters[i], comments[0], "down" if i % 5 == 0 else "up")

    await asyncio.gather(*(vote(i) for i in range(300)))
    for number in comments:
        final = await one.get_comment(A["mod"], number)
        assert (final.up, final.down) == (240, 60)
    conn = await asyncpg.connect(pg_url)
    try:
        assert await conn.fetchval("SELECT COUNT(*) FROM votes") == 900
        # the stored tallies agree with the votes themselves
        assert (
            await conn.fetchval(
                "SELECT COUNT(*) FROM comments c WHERE up <> (SELECT COUNT(*) FROM votes v "
                "WHERE v.comment_id = c.id AND v.value = 1)"
            )
            == 0
        )
    finally:
        await conn.close()


async def test_the_same_person_switching_in_both_processes_ends_with_one_vote(pair) -> None:
    one, two = pair
    article = await one.create_article(A["mod"], "flip")
    comment = await one.add_comment(A["ann"], article.number, "flip me")
    for _ in range(20):
        await asyncio.gather(
            one.vote(A["bob"], comment.number, "up"),
            two.vote(A["bob"], comment.number, "down"),
            one.vote(A["bob"], comment.number, "clear"),
            two.vote(A["bob"], comment.number, "up"),
        )
        final = await one.get_comment(A["mod"], comment.number)
        assert final.up + final.down <= 1
        assert final.up == (await one.my_vote(A["bob"], comment.number) == 1)


async def test_votes_racing_the_close_are_counted_or_refused_never_lost(pair) -> None:
    one, two = pair
    article = await one.create_article(A["mod"], "closing race")
    comment = await one.add_comment(A["ann"], article.number, "c")
    voters = [person(f"w{i}") for i in range(60)]
    await one.vote(A["bob"], comment.number, "up")  # something to select when it closes

    async def vote(i: int) -> bool:
        try:
            await (one if i % 2 else two).vote(voters[i], comment.number, "up")
            return True
        except DomainError:
            return False

    results = await asyncio.gather(
        *(vote(i) for i in range(30)),
        one.close_voting(A["mod"], article.number),
        *(vote(i) for i in range(30, 60)),
    )
    accepted = sum(1 for r in results if r is True)
    final = await two.get_comment(A["mod"], comment.number)
    assert final.up == accepted + 1  # every acknowledged vote counted, none after the close


async def test_one_claim_per_comment_across_processes(pair) -> None:
    one, two = pair
    for round_ in range(10):
        _, number = await selected_comment(one, f"claims {round_}")
        results = await asyncio.gather(
            one.claim(A["tr"], number), two.claim(A["tr2"], number), return_exceptions=True
        )
        won = [r for r in results if not isinstance(r, BaseException)]
        assert len(won) == 1, results
        assert all(isinstance(r, Conflict) for r in results if isinstance(r, BaseException))
        holder = (await two.get_comment(A["mod"], number)).assignee_id
        assert holder == won[0].assignee_id


async def _in_review(service: HannoService, text: str) -> int:
    article_number, comment_number = await selected_comment(service, text)
    await service.submit_translation(A["tr"], comment_number, "訳")
    await service.submit_draft(A["mod"], article_number)
    return article_number


async def test_two_distinct_approvals_from_two_processes_approve_once(pair) -> None:
    one, two = pair
    for round_ in range(8):
        number = await _in_review(one, f"approvals {round_}")
        await asyncio.gather(one.approve(A["mod"], number), two.approve(A["mod2"], number))
        article = await one.get_article(A["mod"], number)
        assert article.state is ArticleState.APPROVED
        history = [e.action for e in await one.history(A["mod"], number)]
        assert history.count("approved") == 2
        # the same moderator twice at once counts once
        number = await _in_review(one, f"same moderator {round_}")
        results = await asyncio.gather(
            one.approve(A["mod"], number), two.approve(A["mod"], number), return_exceptions=True
        )
        assert sum(isinstance(r, Conflict) for r in results) == 1
        assert (await two.get_article(A["mod"], number)).state is ArticleState.REVIEW


async def test_approve_against_reject_leaves_one_consistent_outcome(pair) -> None:
    one, two = pair
    for round_ in range(8):
        number = await _in_review(one, f"approve or reject {round_}")
        await one.approve(A["mod"], number)  # one of two
        results = await asyncio.gather(
            one.approve(A["mod2"], number),
            two.reject(A["mod"], number, "needs another look"),
            return_exceptions=True,
        )
        article = await one.get_article(A["mod"], number)
        actions = [e.action for e in await one.history(A["mod"], number)]
        if actions[-1] == "rejected":
            # approved then rejected, or rejected first and the approval refused
            assert article.state is ArticleState.TRANSLATING
        else:
            assert isinstance(results[1], DomainError)
            assert article.state is ArticleState.APPROVED
        assert not all(isinstance(r, BaseException) for r in results)


async def test_an_edit_in_one_process_withdraws_an_approval_given_in_the_other(pair) -> None:
    one, two = pair
    number = await _in_review(one, "stale")
    comment = (await one.list_comments(A["mod"], number))[0].number
    await one.approve(A["mod"], number)
    await two.submit_translation(A["tr"], comment, "新しい訳")
    await one.approve(A["mod2"], number)
    article = await two.get_article(A["mod"], number)
    assert article.state is ArticleState.REVIEW  # the first approval went stale: 1 of 2


async def test_publishing_at_once_from_two_processes_posts_one_copy(pair) -> None:
    one, two = pair
    for round_ in range(5):
        number = await _in_review(one, f"publish {round_}")
        await one.approve(A["mod"], number)
        await one.approve(A["mod2"], number)
        posted: list[str] = []

        async def poster(index: int, text: str, posted: list[str] = posted) -> str:
            posted.append(text)
            await asyncio.sleep(0.01)
            return f"m{len(posted)}"

        results = await asyncio.gather(
            one.publish(A["mod"], number, poster, limit=60),
            two.publish(A["mod2"], number, poster, limit=60),
            return_exceptions=True,
        )
        done = [r for r in results if not isinstance(r, BaseException)]
        assert len(done) == 1, results
        assert isinstance(next(r for r in results if isinstance(r, BaseException)), Conflict)
        assert len(posted) == len(done[0].parts)


async def test_one_blog_post_when_two_processes_post_the_same_article_at_once(
    pg_url: str,
    blogs: BlogFakes,  # noqa: F811
) -> None:
    """The guard against a double post is the database's advisory lock (the store's
    `exclusive`), so it holds between processes, not only between two clicks in one."""
    stores = [await PostgresStore.open(pg_url) for _ in range(2)]
    rules = Rules(min_score=1, max_reactions=3)
    one, two = (
        HannoService(
            store,
            rules=rules,
            policy=POLICY,
            renderer=Renderer(),
            blog_targets=[WordPressTarget(wordpress_settings(blogs, auto=True))],
        )
        for store in stores
    )
    try:
        for round_ in range(3):
            number, comment = await selected_comment(one, f"blog {round_}")
            await two.submit_translation(A["tr"], comment, "訳")
            await one.submit_draft(A["mod"], number)
            await two.approve(A["mod2"], number)
            blogs.fail("wordpress", Fault(status=200, delay=0.3))  # slow: the two overlap
            first, second = await asyncio.gather(
                one.publish_to_blogs(A["mod"], number), two.publish_to_blogs(A["mod2"], number)
            )
            assert sorted(o.problem_key for o in (*first, *second)) == ["", "blog.busy"]
            assert len(blogs.posts) == round_ + 1
            [record] = await two.publications(A["mod"], number)
            assert record.status is PublicationStatus.DRAFT and record.revision == 1
            # Afterwards, from the other process, the same post is updated, never doubled.
            (again,) = await two.publish_to_blogs(A["mod2"], number)
            assert again.action == "updated" and len(blogs.posts) == round_ + 1
    finally:
        for store in stores:
            await store.close()


async def test_a_role_granted_in_one_process_counts_in_the_other_at_once(pair) -> None:
    """Slack in HTTP mode behind a load balancer: the grant is served by one process, the new
    translator's next click by the other, without waiting for its scheduler's poll."""
    one, two = pair
    for service in pair:
        await service.start()  # reads the grants and watches for other processes' changes
    _, comment = await selected_comment(one, "roles")
    newcomer = person("dan")
    with pytest.raises(Forbidden):
        await two.claim(newcomer, comment)
    await one.team_add(A["mod"], newcomer, "translator")
    for _ in range(100):
        if two.policy.role_of(newcomer) >= Role.TRANSLATOR:
            break
        await asyncio.sleep(0.01)
    claimed = await two.claim(newcomer, comment)
    assert claimed.assignee_id == newcomer.user_id
    await two.team_remove(A["mod"], newcomer, "translator")
    for _ in range(100):
        if one.policy.role_of(newcomer) < Role.TRANSLATOR:
            break
        await asyncio.sleep(0.01)
    with pytest.raises(Forbidden):
        await one.release(newcomer, comment)
