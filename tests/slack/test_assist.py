"""Translation help on Slack: the Machine draft button, the labelled prefilled form, accept,
`--all` with progress, the build refused, glossary warnings, history and restore, remarks from
the review post, style warnings after the form, and provider faults — hanno's real Bolt app
against the fake Slack, its provider against the fake DeepL."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

import pytest

from bot.slack import blocks as ui
from tests.assist.workflow import COMMENTS, LEAD, deepl_provider, style_checker
from tests.fakes.deepl_fake import DeeplFake, quota_exceeded
from tests.fakes.slack_fake import SlackFake, block_texts, find_action
from tests.slack.conftest import ANN, MOD, MOD2, TR, Slack, serving
from tests.slack.test_workflow import open_view, review_message


@pytest.fixture
async def deepl_server() -> AsyncIterator[DeeplFake]:
    async with DeeplFake() as server:
        yield server


@pytest.fixture
async def assisted(fake: SlackFake, tmp_path, deepl_server) -> AsyncIterator[Slack]:  # type: ignore[no-untyped-def]
    async with serving(
        fake, tmp_path / "slack.db", provider=deepl_provider(deepl_server), style=style_checker()
    ) as running:
        yield running


async def translating(slack: Slack) -> None:
    await slack.say(MOD, 'article new "Sketchbook returned"')
    await slack.say(MOD, f'article set 1 lead "{LEAD}"')
    for text in COMMENTS:
        await slack.say(ANN, f'comment add 1 "{text}" --lang en')
    for n in (1, 2, 3):
        await slack.say(MOD, f"comment pick {n}")
    await slack.say(MOD, "article close 1")


async def clicked(slack: Slack, user: str, action_id: str, value: str) -> str:
    """Click a button carrying `value`; the ephemeral answer's text."""
    before = len(slack.fake.response_posts)
    reply = await slack.events.block_action(user, action_id, value)
    assert reply.status == 200, reply.text
    post = await slack.fake.wait_for_response(count=before + 1, timeout=10)
    slack.last_blocks = post.body.get("blocks") or []  # type: ignore[attr-defined]
    return block_texts(post.body.get("blocks") or []) or str(post.body.get("text", ""))


async def test_machine_draft_button_then_the_labelled_form(assisted: Slack) -> None:
    slack = assisted
    await translating(slack)
    await slack.say(TR, "translate claim 1")
    card = await slack.card(1)
    assert find_action(card["blocks"], ui.MACHINE_DRAFT)["value"] == "1"
    dm = slack.fake.channel_messages(f"D{TR}")[-1]
    assert find_action(dm["blocks"], ui.MACHINE_DRAFT)["value"] == "1"

    answer = await clicked(slack, TR, ui.MACHINE_DRAFT, "1")
    assert "Machine draft for #1 from DeepL (revision 1)" in answer
    assert "これこそ俺が惚れた日本だよ。" in answer
    assert find_action(slack.last_blocks, ui.ACCEPT)["value"] == "1"  # type: ignore[attr-defined]
    assert find_action(slack.last_blocks, ui.TRANSLATE)["value"] == "1"  # type: ignore[attr-defined]
    card = await slack.card(1)
    assert "*Machine draft* from DeepL (revision 1), not reviewed yet" in block_texts(
        card["blocks"]
    )

    await slack.events.block_action(TR, ui.TRANSLATE, "1")
    form = await open_view(slack, ui.TRANSLATION_MODAL)
    field = next(b for b in form["blocks"] if b.get("block_id") == "text")
    assert field["label"]["text"] == "Machine draft (DeepL): edit it, then submit"
    assert field["element"]["initial_value"] == "これこそ俺が惚れた日本だよ。"
    reply = await slack.events.view_submission(
        TR, form, {"text": {"value": "これこそ俺が惚れた日本です。マジで最高だわ"}}
    )
    assert reply.status == 200
    answer = json.loads(reply.text)
    assert answer["response_action"] == "update"
    notice = block_texts(answer["view"]["blocks"])
    assert "Translation of #1 saved. Warnings (not blocking):" in notice
    assert "Mixes です/ます" in notice
    comment = await slack.comment(1)
    assert comment.translation.kind == "human" and comment.translation.revision == 2


async def test_suggest_all_accept_build_glossary_history_and_restore(
    assisted: Slack, deepl_server: DeeplFake
) -> None:
    slack = assisted
    await translating(slack)
    assert "“Kuroda” → “黒田” added" in await slack.say(TR, "glossary add Kuroda 黒田")
    assert "Kuroda → 黒田" in await slack.say(ANN, "glossary list")
    before = len(slack.fake.response_posts)
    await slack.events.command(MOD, "translate suggest 1 --all")
    progress = await slack.fake.wait_for_response(count=before + 1, timeout=10)
    final = await slack.fake.wait_for_response(count=before + 2, timeout=10)
    assert "Drafting article #1: 3/3 comments done" in block_texts(progress.body["blocks"])
    assert "3 machine drafts for article #1 from DeepL" in block_texts(final.body["blocks"])
    assert len(deepl_server.translate_calls()) == 1

    refused = await slack.say(MOD, "draft build 1")
    assert "still has 3 machine drafts nobody has reviewed: #1, #2, #3" in refused
    assert "accepted as it is (revision 2)" in await clicked(slack, TR, ui.ACCEPT, "1")
    await slack.say(TR, "translate accept 2")
    submitted = await slack.say(TR, 'translate submit 3 "クロダ大臣は勲章をやるべきだろ"')
    assert "the original has “Kuroda”, the translation lacks “黒田”" in submitted
    status = await slack.say(MOD, "article status 1")
    assert "Glossary warnings:" in status
    assert "Glossary warning on #3 dismissed: Kuroda." in await slack.say(TR, "glossary dismiss 3")
    assert "Glossary warnings:" not in await slack.say(MOD, "article status 1")
    built = await slack.say(MOD, "draft build 1")
    assert "Draft preview of article #1:" in built
    # Two drafts taken as they were, one written by hand (the third is an edit of a draft).
    assert "translations 1, machine drafts accepted 2" in await slack.say(ANN, "stats")

    history = await slack.say(ANN, "translate history 3")
    assert "(machine draft, DeepL)" in history and "(human)" in history
    assert "{+クロダ大臣は勲章をやるべきだろ+}" in history
    # Each revision's time with its zone named (the team's; UTC for English readers here).
    assert re.search(r"^r1 \d{4}-\d\d-\d\d \d\d:\d\d UTC \S+ \(", history, re.M), history
    restored = await slack.say(TR, "translate restore 3 1")
    assert "revision 1 is the latest again, as revision 3" in restored


async def test_a_remark_from_the_review_post_reaches_the_translator(slack: Slack) -> None:
    await translating(slack)
    for n in (1, 2, 3):
        await slack.say(TR, f"translate claim {n}")
        await slack.say(TR, f'translate submit {n} "訳その{n}だよ"')
    await slack.say(MOD, "draft submit 1")
    review = await review_message(slack, 1)
    assert find_action(review["blocks"], ui.REMARK)["value"] == "1"
    refused = await clicked(slack, ANN, ui.REMARK, "1")
    assert refused.startswith("Only moderators can leave review remarks")
    await slack.click(MOD2, ui.REMARK, review)
    form = await open_view(slack, ui.REMARK_MODAL)
    bad = await slack.events.view_submission(
        MOD2, form, {"comment": {"value": "two"}, "text": {"value": "x"}}
    )
    assert "Write the comment's number" in bad.text
    good = await slack.events.view_submission(
        MOD2, form, {"comment": {"value": "#2"}, "text": {"value": "「その」は要らないかも"}}
    )
    assert good.status == 200 and "errors" not in good.text
    await slack.front.drain()
    dm = slack.fake.channel_messages(f"D{TR}")[-1]
    assert "noa left a remark on your translation of comment #2" in block_texts(dm["blocks"])
    assert "「その」は要らないかも" in block_texts(dm["blocks"])
    assert "#2 r1 noa: 「その」は要らないかも" in await slack.say(MOD, "article status 1")
    assert "1 remark on #2 resolved." in await slack.say(TR, "translate resolve 2")


async def test_without_a_provider_slack_says_how_to_configure_one(slack: Slack) -> None:
    await translating(slack)
    answer = await slack.say(TR, "translate suggest 1")
    assert answer.startswith("No machine translation is set up.")


async def test_a_provider_fault_is_one_sentence(assisted: Slack, deepl_server: DeeplFake) -> None:
    await translating(assisted)
    deepl_server.fail(quota_exceeded())
    answer = await clicked(assisted, TR, ui.MACHINE_DRAFT, "1")
    assert answer == (
        "DeepL's quota is used up for now; wait until it renews or raise the limit, then try again."
    )
    assert "Machine drafts" not in await assisted.say(MOD, "article status 1")
