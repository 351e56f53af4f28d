"""The workflow rules of DESIGN.md, through the service, on a real SQLite file."""

from __future__ import annotations

import pytest

from bot.core.errors import Conflict, Forbidden, InvalidInput, NotFound, WrongState
from bot.core.events import ApprovalWithdrawn, ArticlePublished, DraftSubmitted, ScoreChanged
from bot.core.models import ArticleState
from bot.core.service import HannoService, PublishFailed
from tests.conftest import person


async def _article_with_votes(service: HannoService, p: dict) -> int:
    article = await service.create_article(p["mod"], "Robot ramen in Onomichi")
    a = article.number
    texts = ["First!", "Looks tasty", "Robots cannot cook", "I would fly there", "Meh"]
    for text in texts:
        await service.add_comment(p["ann"], a, text, author=f"user-{text[:3]}")
    # scores: #1 +2, #2 +3, #3 -1, #4 +2, #5 0
    for voter in ("bob", "cat"):
        await service.vote(p[voter], 1, "up")
        await service.vote(p[voter], 4, "up")
    for voter in ("bob", "cat", "tr"):
        await service.vote(p[voter], 2, "up")
    await service.vote(p["bob"], 3, "down")
    return a


async def test_whole_article_from_creation_to_publication(service, people, notifier) -> None:
    a = await _article_with_votes(service, people)
    await service.set_article_text(people["mod"], a, "lead", "A small shop went viral.")
    await service.set_article_text(people["mod"], a, "closing", "Fun to read.")
    await service.add_source(
        people["mod"],
        a,
        "https://example.com/post/1",
        text="Look at this!",
        author="Ramen Fan",
        handle="@ramenfan",
        date="March 3, 2026",
    )
    article, selected = await service.close_voting(people["mod"], a)
    assert article.state is ArticleState.TRANSLATING
    # max 3, min score 1: #2 (+3), then #1 and #4 (+2, #1 earlier); listed in submission order
    assert [c.number for c in selected] == [1, 2, 4]

    await service.assign(people["mod"], 1, people["tr"])
    await service.claim(people["tr2"], 2)
    with pytest.raises(Conflict, match="tr2 already holds"):
        await service.claim(people["tr"], 2)
    await service.submit_translation(people["tr"], 1, "最初だ！")
    await service.submit_translation(people["tr2"], 2, "おいしそう")
    with pytest.raises(WrongState, match=r"needs 1 translation \(#4\)"):
        await service.submit_draft(people["mod"], a)
    await service.submit_translation(people["tr"], 4, "飛んで行きたい")
    await service.submit_translation(people["tr"], 1, "一番乗り！")  # a revision: the latest counts

    draft = await service.build_draft(people["mod"], a)
    assert "👤" not in draft.preview
    assert "一番乗り！" in draft.preview and "最初だ！" not in draft.preview
    draft = await service.submit_draft(people["mod"], a)
    assert draft.article.state is ArticleState.REVIEW
    assert any(isinstance(e, DraftSubmitted) for e in notifier.events)

    article = await service.approve(people["mod2"], a, note="Good")
    assert article.state is ArticleState.APPROVED

    posted: list[str] = []

    async def poster(index: int, text: str) -> str:
        posted.append(text)
        return f"m{index}"

    result = await service.publish(people["mod"], a, poster, limit=80)
    assert result.article.state is ArticleState.PUBLISHED
    assert len(posted) == len(result.parts) > 1
    assert all(len(part) <= 80 for part in posted)
    assert "海外の反応" in "\n".join(posted)
    assert isinstance(notifier.events[-1], ArticlePublished)
    with pytest.raises(Conflict, match="already published"):
        await service.publish(people["mod"], a, poster, limit=80)
    assert len(posted) == len(result.parts)

    actions = [entry.action for entry in await service.history(people["ann"], a)]
    assert actions[0] == "created" and actions[-1] == "published"
    assert "rejected" not in actions and "approved" in actions


async def test_vote_is_one_per_person_changeable_and_withdrawable(
    service, people, notifier
) -> None:
    a = (await service.create_article(people["mod"], "T")).number
    await service.add_comment(people["ann"], a, "hello")
    c = await service.vote(people["bob"], 1, "up")
    c = await service.vote(people["bob"], 1, "up")
    assert (c.up, c.down, c.score) == (1, 0, 1)
    c = await service.vote(people["bob"], 1, "down")
    assert (c.up, c.down, c.score) == (0, 1, -1)
    c = await service.vote(people["bob"], 1, "clear")
    assert c.score == 0
    assert isinstance(notifier.events[-1], ScoreChanged)


async def test_own_comment_vote_is_refused_and_changes_nothing(service, people) -> None:
    a = (await service.create_article(people["mod"], "T")).number
    await service.add_comment(people["ann"], a, "hello")
    with pytest.raises(Forbidden, match="your own comment #1"):
        await service.vote(people["ann"], 1, "up")
    assert (await service.get_comment(people["ann"], 1)).score == 0


async def test_no_votes_once_voting_is_closed(service, people) -> None:
    a = (await service.create_article(people["mod"], "T")).number
    await service.add_comment(people["ann"], a, "hello")
    await service.vote(people["cat"], 1, "up")
    await service.close_voting(people["mod"], a)
    with pytest.raises(WrongState, match="being translated"):
        await service.vote(people["bob"], 1, "up")


async def test_picks_and_drops_beat_the_votes(service, people) -> None:
    a = await _article_with_votes(service, people)
    await service.pick(people["mod"], 3)  # score -1 but picked
    await service.drop(people["mod"], 2)  # best score but dropped
    _, selected = await service.close_voting(people["mod"], a)
    assert [c.number for c in selected] == [1, 3, 4]
    dropped = await service.list_comments(people["ann"], a, "dropped")
    assert [c.number for c in dropped] == [2]


async def test_ties_go_to_the_earlier_comment(service, people) -> None:
    a = (await service.create_article(people["mod"], "T")).number
    await service.set_article_number(people["mod"], a, "max_reactions", 1)
    for text in ("one", "two"):
        await service.add_comment(people["ann"], a, text)
    await service.vote(people["bob"], 2, "up")
    await service.vote(people["bob"], 1, "up")
    _, selected = await service.close_voting(people["mod"], a)
    assert [c.number for c in selected] == [1]


async def test_move_reorders_and_reopen_resets(service, people) -> None:
    a = await _article_with_votes(service, people)
    await service.close_voting(people["mod"], a)
    order = await service.move(people["mod"], 4, 1)
    assert [c.number for c in order] == [4, 1, 2]
    with pytest.raises(InvalidInput, match="past the end"):
        await service.move(people["mod"], 4, 9)
    await service.reopen(people["mod"], a)
    assert (await service.get_article(people["ann"], a)).state is ArticleState.COLLECTING
    assert await service.list_comments(people["ann"], a, "selected") == []


async def test_an_edit_after_approval_withdraws_it(service, people, notifier) -> None:
    service.rules = service.rules.model_copy(update={"approvals_required": 2})
    a = await _article_with_votes(service, people)
    await service.close_voting(people["mod"], a)
    for c in (1, 2, 4):
        await service.submit_translation(people["tr"], c, f"訳{c}")
    await service.submit_draft(people["mod"], a)
    await service.approve(people["mod"], a)
    with pytest.raises(Conflict, match="already approved"):
        await service.approve(people["mod"], a)
    await service.submit_translation(people["tr"], 1, "新しい訳")  # stale approval now
    assert any(isinstance(e, ApprovalWithdrawn) for e in notifier.events)
    article = await service.approve(people["mod"], a)
    assert article.state is ArticleState.REVIEW  # only one fresh approval of two
    article = await service.approve(people["mod2"], a)
    assert article.state is ArticleState.APPROVED
    await service.set_article_text(people["mod"], a, "closing", "changed")
    assert (await service.get_article(people["ann"], a)).state is ArticleState.REVIEW


async def test_reject_needs_a_reason_and_returns_to_translating(service, people) -> None:
    a = await _article_with_votes(service, people)
    await service.close_voting(people["mod"], a)
    for c in (1, 2, 4):
        await service.submit_translation(people["tr"], c, f"訳{c}")
    await service.submit_draft(people["mod"], a)
    with pytest.raises(InvalidInput, match="reason is empty"):
        await service.reject(people["mod2"], a, "  ")
    article = await service.reject(people["mod2"], a, "Fix #2 please")
    assert article.state is ArticleState.TRANSLATING
    history = await service.history(people["ann"], a)
    assert history[-1].action == "rejected" and history[-1].detail == "Fix #2 please"


async def test_a_failed_publish_posts_only_the_missing_parts_next_time(service, people) -> None:
    a = await _article_with_votes(service, people)
    await service.set_article_text(people["mod"], a, "lead", "\n".join(["Lead line."] * 20))
    await service.close_voting(people["mod"], a)
    for c in (1, 2, 4):
        await service.submit_translation(people["tr"], c, f"訳{c}")
    await service.submit_draft(people["mod"], a)
    await service.approve(people["mod2"], a)
    posted: dict[int, str] = {}

    async def flaky(index: int, text: str) -> str:
        if index == 2 and 2 not in failures:
            failures.add(2)
            raise ConnectionError("platform down")
        assert index not in posted, "a part was posted twice"
        posted[index] = text
        return f"m{index}"

    failures: set[int] = set()
    with pytest.raises(PublishFailed, match="stopped after 2 of"):
        await service.publish(people["mod"], a, flaky, limit=60)
    assert (await service.get_article(people["ann"], a)).state is ArticleState.APPROVED
    assert (await service.status(people["mod"], a)).published_parts == 2
    with pytest.raises(WrongState, match="partly published"):
        await service.set_article_text(people["mod"], a, "closing", "x")
    result = await service.publish(people["mod"], a, flaky, limit=60)
    assert result.newly_posted == len(result.parts) - 2
    assert sorted(posted) == list(range(len(result.parts)))


async def test_status_board_shows_holders_and_what_is_missing(service, people) -> None:
    a = await _article_with_votes(service, people)
    await service.close_voting(people["mod"], a)
    await service.assign(people["mod"], 1, people["tr"])
    await service.claim(people["tr2"], 2)
    await service.submit_translation(people["tr2"], 2, "訳")
    board = await service.status(people["ann"], a)
    assert (board.selected, board.candidates, board.translated) == (3, 2, 1)
    assert (board.assigned_untranslated, board.unassigned) == (1, 1)
    assert dict(board.holders) == {"tr": (1,), "tr2": (2,)}
    assert board.missing == (1, 4)
    mine = await service.my_work(people["tr"])
    assert [c.number for c in mine] == [1]


async def test_spaces_do_not_see_each_other(service, people) -> None:
    a = (await service.create_article(people["mod"], "Here")).number
    await service.add_comment(people["ann"], a, "hello")
    stranger = person("mod", space="other-space")
    with pytest.raises(NotFound, match="no article #1"):
        await service.get_article(stranger, a)
    with pytest.raises(NotFound, match="no comment #1"):
        await service.get_comment(stranger, 1)
    other = await service.create_article(stranger, "There")
    assert other.number == 1
    assert [x.title for x in await service.list_articles(stranger)] == ["There"]


async def test_personas_keep_full_sequences_and_default_by_author(service, people) -> None:
    a = (await service.create_article(people["mod"], "T")).number
    c1 = await service.add_comment(people["ann"], a, "x", persona="👩🏻‍✈️", countries="kr,us")
    assert c1.persona == "👩🏻‍✈️" and c1.flags == "🇰🇷🇺🇸"
    c2 = await service.add_comment(people["ann"], a, "y", author="Matti")
    c3 = await service.add_comment(people["bob"], a, "z", author="matti ")
    assert c2.persona == c3.persona
    with pytest.raises(InvalidInput, match="not a single emoji"):
        await service.add_comment(people["ann"], a, "x", persona="😀😀")
    with pytest.raises(InvalidInput, match="not a country code"):
        await service.add_comment(people["ann"], a, "x", countries="XX")
    assert len(await service.list_comments(people["ann"], a)) == 3


async def test_limits_refuse_and_never_truncate(service, people) -> None:
    a = (await service.create_article(people["mod"], "T")).number
    with pytest.raises(InvalidInput, match="4001 characters long, over the limit of 4000"):
        await service.add_comment(people["ann"], a, "x" * 4001)
    with pytest.raises(InvalidInput, match="over the limit of 200"):
        await service.create_article(people["mod"], "t" * 201)
    assert await service.list_comments(people["ann"], a) == []


async def test_store_survives_close_and_reopen(tmp_path, people) -> None:
    from bot.render import Renderer
    from bot.storage.database import SqliteStore
    from tests.conftest import POLICY

    path = tmp_path / "reopen.db"
    store = await SqliteStore.open(path)
    service = HannoService(store, policy=POLICY, renderer=Renderer())
    a = (await service.create_article(people["mod"], "Persisted")).number
    await service.add_comment(people["ann"], a, "kept")
    await service.vote(people["bob"], 1, "up")
    await store.close()

    store = await SqliteStore.open(path)
    service = HannoService(store, policy=POLICY, renderer=Renderer())
    comment = await service.get_comment(people["ann"], 1)
    assert (comment.text, comment.score) == ("kept", 1)
    assert await store.integrity_check() == "ok"
    await store.close()


async def test_invisible_text_is_empty_and_refusals_do_not_echo_tricks(service, people) -> None:
    a = (await service.create_article(people["mod"], "T")).number
    for invisible in ("\u200b", "\u200b\u200c\u200d", "\ufeff", "\u2060 \u200b"):
        with pytest.raises(InvalidInput, match="text is empty"):
            await service.add_comment(people["ann"], a, invisible)
    with pytest.raises(InvalidInput) as refused:
        await service.add_comment(people["ann"], a, "x", countries="\u202eUS")
    assert "\u202e" not in refused.value.message
    with pytest.raises(InvalidInput, match="not something an article has"):
        await service.set_article_text(people["mod"], a, "state", "x")  # type: ignore[arg-type]
    assert await service.list_comments(people["ann"], a) == []


async def test_invisible_titles_and_impossible_ids_are_refused_plainly(service, people) -> None:
    with pytest.raises(InvalidInput, match="title is empty"):
        await service.create_article(people["mod"], "\u200b\u2060")
    with pytest.raises(NotFound, match="no comment"):
        await service.vote(people["ann"], 10**20, "up")
    with pytest.raises(NotFound, match="no article"):
        await service.get_article(people["ann"], -1)
    assert await service.list_articles(people["ann"]) == []
