"""`/hanno comment import` and the "Import a thread" button and form, through Slack."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.areas.importing import ImportRules
from bot.slack import importing
from bot.slack.importing import IMPORT, IMPORT_MODAL
from bot.sources import DuplicateIndex
from tests.fakes.slack_fake import SlackFake, block_texts, find_action
from tests.fakes.sources_fake import (
    FakeComment,
    FakeThread,
    SourcesFake,
    comment_text,
    registry_for,
)
from tests.slack.conftest import ANN, MOD, VOTING, Slack, reply_text, serving


@pytest.fixture
async def slack(fake: SlackFake, tmp_path: Path, sites_here: SourcesFake) -> AsyncIterator[Slack]:
    registry = registry_for(sites_here, languages=["en", "fr"])
    await registry.detector.warm_up()  # built once per process; not inside a 5 s deadline
    async with serving(
        fake,
        tmp_path / "slack.db",
        sources=registry,
        duplicates=DuplicateIndex,
        import_rules=ImportRules(),
    ) as running:
        running.front.notifier.card_pace = 0.0  # type: ignore[attr-defined]
        yield running


def voting_texts(fake: SlackFake) -> list[str]:
    return [
        block_texts(m.get("blocks") or []) or m.get("text", "")
        for m in fake.channel_messages(VOTING)
    ]


async def test_typed_import_updates_one_ephemeral_answer_then_posts_summary_and_cards(
    slack: Slack, sites_here: SourcesFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 0.0)
    sites_here.reddit_page = 10
    thread = sites_here.add(
        FakeThread(
            [FakeComment(comment_text(i), author=f"user{i}", score=300 - i) for i in range(40)]
        )
    )
    url = sites_here.link("reddit", thread)
    await slack.say(MOD, "article new Sketchbook")
    refused = await slack.say(ANN, f"comment import 1 {url}")
    assert refused == "Only moderators can import comments; ask a moderator to do it."

    before = len(slack.fake.response_posts)
    reply = await slack.events.command(MOD, f"comment import 1 {url} --top 12")
    assert reply.status == 200
    await slack.fake.wait_for_response(lambda p: reply_text(p.body).startswith("Imported"), count=1)
    await slack.front.drain()
    posts = slack.fake.response_posts[before:]
    assert (
        reply_text(posts[0].body) == "Reading the thread…" and not posts[0].body["replace_original"]
    )
    assert all(p.ephemeral and p.body["replace_original"] for p in posts[1:])
    assert reply_text(posts[-1].body).startswith(
        "Imported 12 comments from Reddit into article #1: #1–#12."
    )
    texts = voting_texts(slack.fake)
    summary = next(i for i, text in enumerate(texts) if text.startswith("Imported 12"))
    cards = [text for text in texts[summary + 1 :] if "#" in text and "Reddit" in text]
    assert len(cards) == 12
    assert "▲ 300 on Reddit" in cards[0] and "https://www.reddit.com/r/japan/comments/" in cards[0]
    card = await slack.card(1)
    assert comment_text(0) in block_texts(card["blocks"])

    assert await slack.say(MOD, f"comment import 1 {url} --top 15") == "Reading the thread…"
    again = await slack.fake.wait_for_response(lambda p: "12 already there" in reply_text(p.body))
    assert reply_text(again.body).startswith(
        "Imported 3 comments from Reddit into article #1: #13–#15."
    )


async def test_the_button_opens_a_form_whose_view_shows_the_summary(
    slack: Slack, sites_here: SourcesFake
) -> None:
    thread = sites_here.add(
        FakeThread([FakeComment(comment_text(i), score=9 - i) for i in range(4)])
    )
    await slack.say(MOD, "article new Sketchbook")
    announcement = next(
        m for m in slack.fake.channel_messages(VOTING) if find_action(m["blocks"], IMPORT)
    )

    await slack.click(ANN, IMPORT, announcement)
    await slack.fake.wait_for_response(lambda p: "Only moderators can import" in reply_text(p.body))
    assert not slack.fake.calls_to("views.open")  # refused at the click, before the form

    await slack.click(MOD, IMPORT, announcement)
    call = await slack.fake.wait_for(
        "views.open", lambda c: c.args["view"]["callback_id"] == IMPORT_MODAL
    )
    form = slack.fake.views[call.response["view"]["id"]]
    bad = await slack.events.view_submission(MOD, form, {"url": {"value": "not a link"}})
    assert set(bad.json()["errors"]) == {"url"}
    bad = await slack.events.view_submission(
        MOD, form, {"url": {"value": sites_here.link("mastodon", thread)}, "top": {"value": "lots"}}
    )
    assert set(bad.json()["errors"]) == {"top"}
    done = await slack.events.view_submission(
        MOD, form, {"url": {"value": sites_here.link("mastodon", thread)}, "top": {"value": "3"}}
    )
    answer = done.json()
    assert answer["response_action"] == "update"
    assert "Reading the thread…" in block_texts(answer["view"]["blocks"])
    update = await slack.fake.wait_for(
        "views.update",
        lambda c: "Imported 3 comments from Mastodon" in block_texts(c.args["view"]["blocks"]),
    )
    assert update.args["view_id"] == form["id"]
    await slack.front.drain()
    assert len(await slack.service.list_comments(slack.actor(MOD), 1)) == 3


async def test_faults_replace_the_progress_answer_and_add_nothing(
    slack: Slack, sites_here: SourcesFake
) -> None:
    thread = sites_here.add(FakeThread([FakeComment(comment_text(1))]))
    await slack.say(MOD, "article new Faults")
    sites_here.fail("youtube", status=200, body=b"<html>oops</html>")
    await slack.events.command(MOD, f"comment import 1 {sites_here.link('youtube', thread)}")
    failed = await slack.fake.wait_for_response(
        lambda p: "could not read" in reply_text(p.body), count=1
    )
    assert failed.body["replace_original"]  # it replaced "Reading the thread…"
    assert "can't read comments from that address" in await slack.say(
        MOD, "comment import 1 https://example.com/x"
    )
    assert await slack.service.list_comments(slack.actor(MOD), 1) == []
