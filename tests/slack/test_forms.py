"""Modals, the message shortcut, the Home tab and the safety net, through Slack."""

from __future__ import annotations

import json
import re

from bot.core.models import ArticleState
from bot.slack import blocks as ui
from tests.fakes.slack_fake import block_texts
from tests.slack.conftest import ANN, BOB, MOD, TR, Slack


async def opened(slack: Slack, callback_id: str, count: int = 1) -> dict:
    call = await slack.fake.wait_for(
        "views.open", lambda c: c.args["view"]["callback_id"] == callback_id, count=count
    )
    return slack.fake.views[call.response["view"]["id"]]


async def test_a_bad_field_is_shown_in_place_in_the_comment_modal(slack: Slack) -> None:
    await slack.say(MOD, "article new Fireworks")
    await slack.events.command(ANN, "comment add 1")
    form = await opened(slack, ui.COMMENT_MODAL)
    reply = await slack.events.view_submission(
        ANN,
        form,
        {
            "article": {"value": {"type": "static_select", "selected_option": {"value": "1"}}},
            "text": {"value": "So bright!"},
            "country": {"value": "XX"},
        },
    )
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"country"}
    assert await slack.service.list_comments(slack.actor(MOD), 1) == []


async def test_an_empty_translation_is_refused_in_the_modal(slack: Slack) -> None:
    await slack.say(MOD, "article new Fireworks")
    await slack.say(ANN, "comment add 1 'So bright!'")
    await slack.say(BOB, "vote 1 up")
    await slack.say(MOD, "article close 1")
    await slack.events.command(TR, "translate submit 1")
    form = await opened(slack, ui.TRANSLATION_MODAL)
    assert "So bright!" in block_texts(form["blocks"])
    reply = await slack.events.view_submission(TR, form, {"text": {"value": "   "}})
    assert set(reply.json()["errors"]) == {"text"}
    reply = await slack.events.view_submission(TR, form, {"text": {"value": "すごく明るい!"}})
    assert reply.status == 200 and not reply.text
    # Reopening the form shows the current translation, ready to revise.
    await slack.events.command(TR, "translate submit 1")
    form = await opened(slack, ui.TRANSLATION_MODAL, count=2)
    text_input = next(b for b in form["blocks"] if b.get("block_id") == "text")
    assert text_input["element"]["initial_value"] == "すごく明るい!"


async def test_a_form_that_could_not_be_saved_is_refused_before_it_opens(slack: Slack) -> None:
    """Nobody types a reason or a translation into a form the core would refuse anyway."""
    await slack.say(MOD, "article new Fireworks")
    await slack.say(ANN, "comment add 1 'So bright!'")
    for who, line, refusal in (
        (ANN, "draft reject 1", "Only moderators can"),
        (MOD, "draft reject 1", "Article #1 is still collecting comments"),
        (ANN, "translate submit 1", "Only translators and moderators can"),
        (ANN, "article set 1 lead", "Only moderators can"),
    ):
        assert (await slack.say(who, line)).startswith(refusal), line
    assert slack.fake.calls_to("views.open") == []
    assert (await slack.service.get_article(slack.actor(MOD), 1)).state is ArticleState.COLLECTING


async def test_a_member_gets_the_refusal_inside_a_reject_modal_opened_earlier(
    slack: Slack,
) -> None:
    """A form opened before (by someone else, or before a role changed) is checked again."""
    await slack.say(MOD, "article new Fireworks")
    form = ui.reject_modal(await slack.service.get_article(slack.actor(MOD), 1))
    reply = await slack.events.view_submission(ANN, form, {"reason": {"value": "meh"}})
    errors = reply.json()["errors"]
    assert errors["reason"].startswith("Only moderators can")
    assert (await slack.service.get_article(slack.actor(MOD), 1)).state is ArticleState.COLLECTING


async def test_the_shortcut_without_open_articles_still_opens_the_form(slack: Slack) -> None:
    await slack.events.message_action(ANN, ui.SUBMIT_AS_REACTION, "Nice <@U999> post")
    form = await opened(slack, ui.COMMENT_MODAL)
    assert "No article is collecting" in block_texts(form["blocks"])
    reply = await slack.events.view_submission(ANN, form, {"text": {"value": "x"}})
    assert set(reply.json()["errors"]) == {"text"}


async def test_unexpected_failure_is_an_incident_with_a_reference(slack: Slack, caplog) -> None:  # type: ignore[no-untyped-def]
    await slack.say(MOD, "article new Fireworks")
    await slack.say(ANN, "comment add 1 'So bright!'")
    await slack.say(BOB, "vote 1 up")
    await slack.say(MOD, "article close 1")
    slack.fake.fail("views.open", status=200, error="expired_trigger_id")
    await slack.click(TR, ui.TRANSLATE, await slack.card(1))
    post = await slack.fake.wait_for_response(lambda p: "Something went wrong" in p.text)
    ref = re.search(r"\(ref ([0-9a-f]{4})\)", post.text)
    assert ref and post.ephemeral
    assert any(ref.group(1) in r.getMessage() for r in caplog.records)


async def test_home_tab_shows_my_work_and_what_waits(slack: Slack) -> None:
    await slack.say(MOD, "article new Fireworks")
    await slack.say(ANN, "comment add 1 'So bright!'")
    await slack.say(BOB, "vote 1 up")
    await slack.say(MOD, "article close 1")
    await slack.say(TR, "translate claim 1")
    await slack.events.app_home_opened(TR)
    call = await slack.fake.wait_for("views.publish", lambda c: c.args["user_id"] == TR)
    home = block_texts(call.args["view"]["blocks"])
    assert "*#1* (article #1) — to translate" in home
    assert "Fireworks" in home and "translator" in home
    await slack.events.app_home_opened(MOD)
    call = await slack.fake.wait_for("views.publish", lambda c: c.args["user_id"] == MOD)
    assert "You hold no translations" in block_texts(call.args["view"]["blocks"])
    await slack.say(TR, "translate submit 1 'とても明るい'")
    await slack.events.app_home_opened(MOD)
    call = await slack.fake.wait_for("views.publish", lambda c: c.args["user_id"] == MOD, count=2)
    assert "fully translated: submit the draft" in block_texts(call.args["view"]["blocks"])
    assert len(json.dumps(call.args["view"])) < 100_000


async def test_home_buttons_open_forms_and_refusals_arrive_by_dm(slack: Slack) -> None:
    """Home-tab clicks carry no response_url: forms open, and a refusal comes as a DM."""
    await slack.say(MOD, "article new Fireworks")
    await slack.events.app_home_opened(ANN)
    call = await slack.fake.wait_for("views.publish", lambda c: c.args["user_id"] == ANN)
    home = slack.fake.home_views[ANN]
    from tests.fakes.slack_fake import find_action

    button = find_action(home["blocks"], ui.NEW_COMMENT)
    await slack.events.block_action(ANN, ui.NEW_COMMENT, button["value"], view=home)
    form = await opened(slack, ui.COMMENT_MODAL)
    article = next(b for b in form["blocks"] if b.get("block_id") == "article")
    assert article["element"]["initial_option"]["value"] == "1"
    await slack.events.block_action(ANN, ui.TRANSLATE, "99", view=home)
    dm = await slack.fake.wait_for("chat.postMessage", lambda c: c.args["channel"] == ANN)
    assert dm.args["text"].startswith("Only translators and moderators can")
    assert call.args["view"]["type"] == "home"


async def test_a_lead_longer_than_one_input_survives_the_modal(slack: Slack) -> None:
    """Slack inputs hold 3,000 characters; a longer lead is spread over several, not cut."""
    lead = "\n".join(f"{i:03d} 夜行列車が戻ってきた。👩🏻‍✈️" + "あ" * 60 for i in range(90))
    assert len(lead) > 6000
    await slack.say(MOD, "article new Trains")
    await slack.service.set_article_text(slack.actor(MOD), 1, "lead", lead)
    await slack.events.command(MOD, "article set 1 lead")
    form = await opened(slack, ui.ARTICLE_TEXT_MODAL)
    inputs = [b for b in form["blocks"] if b["type"] == "input"]
    assert len(inputs) == 3
    assert all(len(b["element"].get("initial_value", "")) <= 3000 for b in inputs)
    values = {b["block_id"]: {"value": b["element"]["initial_value"]} for b in inputs}
    reply = await slack.events.view_submission(MOD, form, values)
    assert reply.status == 200 and not reply.text
    assert (await slack.service.get_article(slack.actor(MOD), 1)).lead == lead.strip()
