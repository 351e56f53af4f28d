"""Refusals name the step that actually comes next, as a command each front end writes its
own way; closing with nothing selected and approving one's own draft are refused."""

from __future__ import annotations

import pytest

from bot.core.errors import DomainError, Forbidden, WrongState
from bot.core.hints import CommandHint, text_command
from bot.core.models import ArticleState
from bot.core.service import HannoService
from bot.discord.errors import discord_command
from tests.conftest import person


async def _at(service: HannoService, people: dict, state: ArticleState) -> int:
    """An article (#1) brought to `state` with one selected, translated comment."""
    a = (await service.create_article(people["mod"], "Hints")).number
    await service.add_comment(people["ann"], a, "Nice")
    await service.vote(people["bob"], 1, "up")
    if state is ArticleState.COLLECTING:
        return a
    await service.close_voting(people["mod"], a)
    if state is ArticleState.TRANSLATING:
        return a
    await service.submit_translation(people["tr"], 1, "いいね")
    await service.submit_draft(people["mod"], a)
    if state is ArticleState.REVIEW:
        return a
    await service.approve(people["mod2"], a)
    if state is ArticleState.APPROVED:
        return a

    async def post(index: int, text: str) -> str:
        return f"m{index}"

    await service.publish(people["mod"], a, post, limit=2000)
    return a


async def _refusal(call) -> DomainError:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        await call
    return caught.value


# (state, what is tried, the command the refusal suggests, words of the sentence)
NEXT_STEPS = [
    (ArticleState.COLLECTING, "approve", "draft approve", None),
    (ArticleState.COLLECTING, "publish", "article close 1", "closes voting first"),
    (ArticleState.TRANSLATING, "approve", "draft submit 1", "sends the draft to review"),
    (ArticleState.TRANSLATING, "publish", "draft submit 1", "sends the draft to review"),
    (ArticleState.TRANSLATING, "comment", "article reopen 1", "reopen voting"),
    (ArticleState.REVIEW, "publish", "draft approve 1", "approves the draft first"),
    (ArticleState.REVIEW, "comment", "draft reject 1 <reason>", "send it back to translating"),
    (ArticleState.REVIEW, "submit", "draft reject 1 <reason>", "send it back to translating"),
    (ArticleState.APPROVED, "comment", "draft reject 1 <reason>", "send it back"),
    (ArticleState.PUBLISHED, "comment", "article new <title>", "start a new article"),
]


@pytest.mark.parametrize(
    ("state", "attempt", "command", "words"),
    [n for n in NEXT_STEPS if n[3]],
    ids=[f"{n[0].value}-{n[1]}" for n in NEXT_STEPS if n[3]],
)
async def test_a_state_refusal_suggests_the_step_that_comes_next(
    service: HannoService, people: dict, state: ArticleState, attempt: str, command: str, words: str
) -> None:
    a = await _at(service, people, state)

    async def post(index: int, text: str) -> str:
        return "m"

    calls = {
        "approve": service.approve(people["mod2"], a),
        "publish": service.publish(people["mod"], a, post, limit=2000),
        "comment": service.add_comment(people["cat"], a, "Late"),
        "submit": service.submit_draft(people["mod"], a),
    }
    for name, call in calls.items():
        if name != attempt:
            call.close()
    error = await _refusal(calls[attempt])
    assert isinstance(error, WrongState)
    assert error.params["command"].words() == command
    assert words in error.message and f"`{command}`" in error.message


async def test_each_front_end_writes_the_suggested_command_its_own_way(
    service: HannoService, people: dict
) -> None:
    a = await _at(service, people, ArticleState.REVIEW)

    async def post(index: int, text: str) -> str:
        return "m"

    error = await _refusal(service.publish(people["mod"], a, post, limit=2000))
    assert "with `draft approve 1`." in error.message
    assert "with `/draft approve 1`." in error.message_for(text_command("/"))
    assert "with `/hanno draft approve 1`." in error.message_for(text_command("/hanno "))
    assert "with `/draft approve article:1`." in error.message_for(discord_command)


@pytest.mark.parametrize(
    ("hint", "discord"),
    [
        (CommandHint.of("publish", article=1), "`/publish article:1`"),
        (CommandHint.of("article list"), "`/article list`"),
        (CommandHint.of("comment list", article="<article>"), "`/comment list article:…`"),
        (
            CommandHint.of("translate submit", comment=3, text="<text>"),
            "`/translate submit comment:3 text:…`",
        ),
        (
            CommandHint.of("article set", article=2, field="min_score", value=0),
            "`/article limits article:2 min_score:0`",
        ),
    ],
)
def test_discord_writes_commands_with_their_options(hint: CommandHint, discord: str) -> None:
    assert discord_command(hint) == discord


async def test_closing_with_nothing_selected_is_refused_and_changes_nothing(
    service: HannoService, people: dict
) -> None:
    a = (await service.create_article(people["mod"], "Quiet")).number
    await service.add_comment(people["ann"], a, "Meh")
    error = await _refusal(service.close_voting(people["mod"], a))
    assert isinstance(error, WrongState)
    assert error.message == (
        "Closing voting on article #1 would select no comment (none has a net score of at "
        "least 1), so there would be nothing to translate; pick comments with "
        "`comment pick <comment>` or lower the bar with `article set 1 min_score 0`, then "
        "close it."
    )
    assert (await service.get_article(people["ann"], a)).state is ArticleState.COLLECTING
    assert [e.action for e in await service.history(people["ann"], a)] == [
        "created",
        "comment_added",
    ]
    await service.pick(people["mod"], 1)
    _, selected = await service.close_voting(people["mod"], a)
    assert [c.number for c in selected] == [1]


async def test_the_submitter_cannot_give_the_approval_that_completes_the_review(
    service: HannoService, people: dict
) -> None:
    a = await _at(service, people, ArticleState.REVIEW)
    error = await _refusal(service.approve(people["mod"], a))
    assert isinstance(error, Forbidden)
    assert error.message == (
        "You submitted the draft of article #1, so the approval that completes it must come "
        "from another moderator (mod2)."
    )
    article = await service.get_article(people["ann"], a)
    assert article.state is ArticleState.REVIEW
    assert (await service.status(people["ann"], a)).fresh_approvals == 0
    assert (await service.approve(people["mod2"], a)).state is ArticleState.APPROVED


async def test_with_two_approvals_the_submitter_may_give_the_first(
    service: HannoService, people: dict
) -> None:
    service.rules = service.rules.model_copy(update={"approvals_required": 2})
    a = await _at(service, people, ArticleState.REVIEW)
    assert (await service.approve(people["mod"], a)).state is ArticleState.REVIEW
    assert (await service.approve(people["mod2"], a)).state is ArticleState.APPROVED


async def test_self_approval_when_allowed_or_when_no_other_moderator_exists(
    service: HannoService, people: dict
) -> None:
    service.rules = service.rules.model_copy(update={"self_approval": True})
    a = await _at(service, people, ArticleState.REVIEW)
    assert (await service.approve(people["mod"], a)).state is ArticleState.APPROVED
    # a team whose only moderator is the submitter: nobody else could approve
    service.rules = service.rules.model_copy(update={"self_approval": False})
    service.policy = service.policy.model_copy(update={"moderators": frozenset({"u-mod"})})
    solo = person("mod")
    b = (await service.create_article(solo, "Solo")).number
    await service.add_comment(people["ann"], b, "One")
    await service.pick(solo, 2)
    await service.close_voting(solo, b)
    await service.submit_translation(solo, 2, "ひとつ")
    await service.submit_draft(solo, b)
    assert (await service.approve(solo, b)).state is ArticleState.APPROVED
