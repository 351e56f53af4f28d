"""A whole team acting at once through the core: nothing lost, nothing counted twice.

Every call goes through `HannoService` on a real SQLite file, all started in the same
instant with `asyncio.gather`, so group commit batches them and the one-writer lock
interleaves them exactly as a busy server would.
"""

from __future__ import annotations

import asyncio

from bot.core.errors import Conflict, DomainError, WrongState
from bot.core.models import Actor, ArticleState
from bot.core.service import HannoService
from tests.conftest import person


async def _collecting(service: HannoService, people: dict[str, Actor]) -> int:
    article = await service.create_article(people["mod"], "Lanterns on the river")
    await service.add_comment(people["ann"], article.number, "The lanterns look like stars.")
    return article.number


async def _translating(service: HannoService, people: dict[str, Actor]) -> int:
    number = await _collecting(service, people)
    await service.vote(people["bob"], 1, "up")
    await service.close_voting(people["mod"], number)
    return number


async def test_300_people_voting_on_one_comment_at_once_are_each_counted_once(
    service: HannoService, people: dict[str, Actor]
) -> None:
    await _collecting(service, people)
    voters = [person(f"fan{i:03d}") for i in range(300)]
    choices = ["down" if i % 5 == 0 else "up" for i in range(300)]
    # Everyone clicks, and a third of them click the same button again straight away.
    calls = [service.vote(v, 1, c) for v, c in zip(voters, choices, strict=True)]
    calls += [service.vote(v, 1, c) for v, c in list(zip(voters, choices, strict=True))[::3]]
    replies = await asyncio.gather(*calls)

    comment = await service.get_comment(people["mod"], 1)
    assert (comment.up, comment.down, comment.score) == (240, 60, 180)
    assert all(-60 <= r.score <= 240 for r in replies)
    # the last reply of each batch saw every vote committed before it: the final one is exact
    assert max(r.up for r in replies) == 240
    assert service.store.committer.stats.batches < 50, "votes shared their commits"


async def test_people_changing_their_minds_concurrently_leave_exact_tallies(
    service: HannoService, people: dict[str, Actor]
) -> None:
    await _collecting(service, people)
    voters = [person(f"v{i}") for i in range(100)]
    await asyncio.gather(*(service.vote(v, 1, "up") for v in voters))
    # half withdraw, a quarter switch to down, the rest click up again
    second = ["clear"] * 50 + ["down"] * 25 + ["up"] * 25
    await asyncio.gather(*(service.vote(v, 1, c) for v, c in zip(voters, second, strict=True)))
    comment = await service.get_comment(people["mod"], 1)
    assert (comment.up, comment.down) == (25, 25)


async def test_concurrent_claims_on_one_comment_have_exactly_one_winner(
    service: HannoService, people: dict[str, Actor]
) -> None:
    await _translating(service, people)
    claimants = [people["tr"], people["tr2"], people["mod"], people["mod2"]]
    results = await asyncio.gather(
        *(service.claim(who, 1) for who in claimants), return_exceptions=True
    )
    winners = [
        who for who, r in zip(claimants, results, strict=True) if not isinstance(r, Exception)
    ]
    assert len(winners) == 1
    losers = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, Conflict) for r in losers), losers
    # a clear answer: who holds it now
    assert all(winners[0].name in r.message for r in losers), [r.message for r in losers]
    comment = await service.get_comment(people["mod"], 1)
    assert comment.assignee_id == winners[0].user_id
    claims = [h for h in await service.history(people["mod"], 1) if h.action == "claim"]
    assert len(claims) == 1


async def test_concurrent_approve_and_reject_of_one_draft_end_consistent(
    service: HannoService, people: dict[str, Actor]
) -> None:
    number = await _translating(service, people)
    await service.claim(people["tr"], 1)
    await service.submit_translation(people["tr"], 1, "ランタンが星のようだ。")
    await service.submit_draft(people["mod2"], number)  # so that mod's approval may complete it

    approve, reject = await asyncio.gather(
        service.approve(people["mod"], number),
        service.reject(people["mod2"], number, "The lead needs a source."),
        return_exceptions=True,
    )
    article = await service.get_article(people["mod"], number)
    board = await service.status(people["mod"], number)
    actions = [h.action for h in await service.history(people["mod"], number)]
    last = next(a for a in reversed(actions) if a in ("approved", "rejected"))
    for outcome in (approve, reject):
        assert not isinstance(outcome, Exception) or isinstance(outcome, DomainError)
    if isinstance(reject, Exception):
        # approve came first and made the draft approved; nothing else happened
        assert article.state is ArticleState.APPROVED and last == "approved"
        assert board.fresh_approvals == 1
    else:
        # reject won (before approve, or after it: "request changes" on an approved draft)
        assert article.state is ArticleState.TRANSLATING and last == "rejected"
        assert board.fresh_approvals == 0, "an approval from before the rejection is stale"
        if isinstance(approve, Exception):
            assert isinstance(approve, WrongState)


async def test_many_moderators_approving_at_once_record_each_approval_once(
    service: HannoService, people: dict[str, Actor]
) -> None:
    number = await _translating(service, people)
    await service.claim(people["tr"], 1)
    await service.submit_translation(people["tr"], 1, "ランタン")
    await service.submit_draft(people["mod2"], number)  # so that mod's approval may complete it
    results = await asyncio.gather(
        *(service.approve(people["mod"], number) for _ in range(5)), return_exceptions=True
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, (Conflict, WrongState)) for r in results if isinstance(r, Exception))
    assert (await service.status(people["mod"], number)).fresh_approvals == 1
