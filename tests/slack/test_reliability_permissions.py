"""Issue 5 through Slack: buttons, pickers and forms used by someone without the role.

Slack shows every button to everyone in the channel; the core checks the role on every
call, so a click by the wrong person is refused with a clear ephemeral sentence, changes
nothing in the database and leaves the cards and the review message as they were.
(The slash-command half of the matrix is in test_permissions.py.)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.slack import blocks as ui
from tests.fakes.slack_fake import block_texts, find_action
from tests.slack.conftest import ANN, BOB, MOD, MOD2, PUBLISH, TR, TR2, Slack
from tests.slack.test_workflow import review_message

MODERATORS_ONLY = "Only moderators can"
TRANSLATORS_ONLY = "Only translators and moderators can"


def dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


async def _prepare(slack: Slack) -> None:
    """#1 approved (its review message has Publish), #2 in review (Approve), #3 translating
    (comment #3 selected and unclaimed: its card has Claim and Assign)."""
    for n, title in ((1, "Approved"), (2, "In review"), (3, "Translating")):
        await slack.say(MOD, f"article new {title}")
        await slack.say(ANN, f"comment add {n} 'Text {n}'")
        await slack.say(BOB, f"vote {n} up")
        await slack.say(MOD, f"article close {n}")
    for n in (1, 2):
        await slack.say(TR, f"translate submit {n} '訳{n}'")
        await slack.say(MOD, f"draft submit {n}")
    await slack.say(MOD2, "draft approve 1")
    await slack.front.drain()


async def _answer(slack: Slack, before: int) -> str:
    post = await slack.fake.wait_for_response(count=before + 1)
    assert post.ephemeral
    return post.text


@pytest.mark.parametrize("who", [ANN, TR2])  # a member; a translator by group
async def test_review_buttons_refuse_everyone_but_moderators(
    slack: Slack, tmp_path: Path, who: str
) -> None:
    await _prepare(slack)
    db = tmp_path / "slack.db"
    approved, in_review = await review_message(slack, 1), await review_message(slack, 2)
    shown = (block_texts(approved["blocks"]), block_texts(in_review["blocks"]))
    before = dump(db)

    # "Request changes" is refused at the click too: no reason form opens for it.
    opened = len(slack.fake.calls_to("views.open"))
    for action_id, message in (
        (ui.PUBLISH, approved),
        (ui.APPROVE, in_review),
        (ui.REJECT, approved),
        (ui.REJECT, in_review),
    ):
        count = len(slack.fake.response_posts)
        await slack.click(who, action_id, message)
        assert (await _answer(slack, count)).startswith(MODERATORS_ONLY)
    assert len(slack.fake.calls_to("views.open")) == opened

    await slack.front.drain()
    assert dump(db) == before
    assert not slack.fake.channel_messages(PUBLISH)
    now = await review_message(slack, 1), await review_message(slack, 2)
    assert (block_texts(now[0]["blocks"]), block_texts(now[1]["blocks"])) == shown
    assert find_action(now[0]["blocks"], ui.PUBLISH) and find_action(now[1]["blocks"], ui.APPROVE)


async def test_card_buttons_and_pickers_check_the_role_of_whoever_clicks(
    slack: Slack, tmp_path: Path
) -> None:
    await _prepare(slack)
    db = tmp_path / "slack.db"
    card = await slack.card(3)
    before = dump(db)

    for member in (ANN, BOB):
        count = len(slack.fake.response_posts)
        await slack.click(member, ui.CLAIM, card)
        assert (await _answer(slack, count)).startswith(TRANSLATORS_ONLY)
    for user in (ANN, TR, TR2):
        count = len(slack.fake.response_posts)
        await slack.click(user, ui.ASSIGN, card, selected_user=TR2)
        assert (await _answer(slack, count)).startswith(MODERATORS_ONLY)
    # Translate is refused at the click: nobody types into a form that can't be saved.
    opened = len(slack.fake.calls_to("views.open"))
    for member in (ANN, BOB):
        count = len(slack.fake.response_posts)
        await slack.click(member, ui.TRANSLATE, card)
        assert (await _answer(slack, count)).startswith(TRANSLATORS_ONLY)
    assert len(slack.fake.calls_to("views.open")) == opened
    await slack.front.drain()
    assert dump(db) == before
    assert find_action((await slack.card(3))["blocks"], ui.CLAIM)

    # A translator who does not hold the comment is told who does, and gets no form either;
    # a form opened before the claim is checked again when submitted.
    await slack.say(TR, "translate claim 3")
    before = dump(db)
    count = len(slack.fake.response_posts)
    await slack.click(TR2, ui.TRANSLATE, await slack.card(3))
    assert "tomo" in await _answer(slack, count)
    assert len(slack.fake.calls_to("views.open")) == opened
    form = ui.translation_modal(await slack.service.get_comment(slack.actor(TR2), 3))
    reply = await slack.events.view_submission(TR2, form, {"text": {"value": "横取り"}})
    assert "tomo" in reply.json()["errors"]["text"]
    await slack.front.drain()
    assert dump(db) == before
