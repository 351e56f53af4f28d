"""The permission matrix through Slack: roles come from user ids and user-group handles in the
config, the core enforces them, and a refusal is an ephemeral sentence that changes nothing."""

from __future__ import annotations

import pytest

from bot.core.models import ArticleState
from bot.slack import blocks as ui
from tests.slack.conftest import ANN, BOB, MOD, MOD2, TR, TR2, Slack

MEMBERS = (ANN, BOB)
TRANSLATORS = (TR, TR2)  # TR by user id, TR2 by the "translators" group
MODERATORS = (MOD, MOD2)  # MOD by user id, MOD2 by the "@editors" group

# (command, the lowest role allowed): article #1 collects (comment #1), article #2 translates
# (comment #2 selected, unassigned).
MATRIX = [
    ("article new Another", "moderator"),
    ("article set 1 title Renamed", "moderator"),
    ("article set 1 min_score 2", "moderator"),
    ("article source 1 https://example.com/x", "moderator"),
    ("comment pick 1", "moderator"),
    ("translate assign 2 <@UTR>", "moderator"),
    ("draft build 2", "moderator"),
    ("article reopen 2", "moderator"),
    ("translate claim 2", "translator"),
    ("translate submit 2 翻訳", "translator"),
    ("article status 1", "member"),
    ("comment list 1", "member"),
    ("comment add 1 'A new view'", "member"),
]
ORDER = {"member": 1, "translator": 2, "moderator": 3}
PEOPLE = {"member": MEMBERS, "translator": TRANSLATORS, "moderator": MODERATORS}


async def prepare(slack: Slack) -> None:
    await slack.say(MOD, "article new Collecting")
    await slack.say(ANN, "comment add 1 'First!'")
    await slack.say(MOD, "article new Translating")
    await slack.say(ANN, "comment add 2 'Second!'")
    await slack.say(BOB, "vote 2 up")
    await slack.say(MOD, "article close 2")


def refused(reply: str) -> bool:
    return reply.startswith(("Only moderators can", "Only translators and moderators can"))


@pytest.mark.parametrize("role", ["member", "translator", "moderator"])
async def test_permission_matrix_through_slack(slack: Slack, role: str) -> None:
    await prepare(slack)
    for line, lowest in MATRIX:
        allowed = ORDER[role] >= ORDER[lowest]
        for user in PEOPLE[role]:
            reply = await slack.say(user, line)
            assert refused(reply) is not allowed, (role, user, line, reply)
            if line.startswith("translate claim") and allowed:
                await slack.say(user, "translate release 2")


async def test_member_cannot_approve_or_publish_by_button(slack: Slack) -> None:
    await prepare(slack)
    await slack.say(TR, "translate submit 2 '二番目!'")
    await slack.say(MOD, "draft submit 2")
    review_ref = await slack.service.get_ref(slack.fake.team_id, "slack_review", "2")
    assert review_ref is not None
    review = slack.fake.message(*review_ref)
    for user in (ANN, TR):
        slack.fake.response_posts.clear()
        await slack.click(user, ui.APPROVE, review)
        refusal = await slack.fake.wait_for_response(lambda p: "approve" in p.text)
        assert refused(refusal.text)
    article = await slack.service.get_article(slack.actor(MOD), 2)
    assert article.state is ArticleState.REVIEW
    await slack.click(MOD2, ui.APPROVE, review)
    await slack.fake.wait_for_response(lambda p: "approved" in p.text)
    assert (await slack.service.get_article(slack.actor(MOD), 2)).state is ArticleState.APPROVED


async def test_group_membership_is_read_from_slack(slack: Slack) -> None:
    """Adding someone to the moderators' user group in Slack makes them a moderator."""
    assert refused(await slack.say(BOB, "article new Mine"))
    slack.fake.add_usergroup("S0EDITORS", "editors", [MOD2, BOB])
    slack.front.directory._groups.clear()  # the cache would pick it up within its TTL
    assert "Created article" in await slack.say(BOB, "article new Mine")
