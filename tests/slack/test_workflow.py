"""A whole article through Slack, from `/hanno article new` to the published post."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from bot.core.models import ArticleState
from bot.slack import blocks as ui
from bot.slack.notifier import REVIEW as REVIEW_REF
from tests.fakes.slack_fake import block_texts, find_action
from tests.slack.conftest import ANN, BOB, MOD, MOD2, PUBLISH, REVIEW, TR, TR2, VOTING, Slack


async def open_view(slack: Slack, callback_id: str, count: int = 1) -> dict:
    """The `count`-th modal with `callback_id` the app opened, as Slack holds it (with its id)."""
    call = await slack.fake.wait_for(
        "views.open", lambda c: c.args["view"]["callback_id"] == callback_id, count=count
    )
    return slack.fake.views[call.response["view"]["id"]]


async def submit(slack: Slack, user: str, view: dict, values: dict) -> None:
    reply = await slack.events.view_submission(user, view, values)
    assert reply.status == 200, reply.text
    assert not reply.text or "errors" not in reply.text, reply.text


async def review_message(slack: Slack, number: int) -> dict:
    await slack.front.drain()
    ref = await slack.service.get_ref(slack.fake.team_id, REVIEW_REF, str(number))
    assert ref is not None
    return slack.fake.message(*ref)


async def test_a_whole_article_from_creation_to_publication(slack: Slack) -> None:
    fake = slack.fake
    mod = slack.actor(MOD)

    # A moderator starts the article and writes its lead in a modal.
    assert "Created article #1" in await slack.say(MOD, 'article new "Night trains of Hokkaido"')
    assert (await slack.events.command(MOD, "article set 1 lead")).status == 200
    lead_form = await open_view(slack, ui.ARTICLE_TEXT_MODAL)
    await submit(
        slack,
        MOD,
        lead_form,
        {"text": {"value": "Night trains are back.\nTravellers abroad noticed."}},
    )
    await slack.say(
        MOD,
        "article source 1 https://example.com/post/1 --text 'The sleeper returns' "
        "--author 'Rail News' --handle railnews --date 'March 3, 2026'",
    )
    await slack.say(MOD, 'article set 1 closing "Safe travels, everyone."')

    # Members submit comments: one by command (with a broadcast in it), one by the shortcut.
    await slack.say(ANN, 'comment add 1 "What a ride <!channel> look" --country FI --lang en')
    await fake.wait_for("chat.postMessage", lambda c: c.args["channel"] == VOTING, count=2)
    await slack.events.message_action(
        BOB, ui.SUBMIT_AS_REACTION, "I would take this train &amp; sleep well"
    )
    form = await open_view(slack, ui.COMMENT_MODAL)
    assert find_action(form["blocks"], "value")  # the article picker
    text_block = next(b for b in form["blocks"] if b.get("block_id") == "text")
    assert text_block["element"]["initial_value"] == "I would take this train & sleep well"
    url_block = next(b for b in form["blocks"] if b.get("block_id") == "url")
    assert url_block["element"]["initial_value"].startswith(
        "https://hanno-test.slack.com/archives/"
    )
    await submit(
        slack,
        BOB,
        form,
        {
            "article": {"value": {"type": "static_select", "selected_option": {"value": "1"}}},
            "text": {"value": "I would take this train & sleep well"},
            "country": {"value": "US"},
        },
    )
    await slack.say(ANN, 'comment add 1 "Too slow for me"')

    # Votes by button; the cards show the live score.
    card1, card2 = await slack.card(1), await slack.card(2)
    await slack.click(BOB, ui.VOTE_UP, card1)
    await slack.click(MOD, ui.VOTE_UP, card1)
    await slack.click(ANN, ui.VOTE_UP, card2)
    await slack.click(TR, ui.VOTE_UP, card2)
    await slack.front.drain()
    assert "Score +2" in block_texts((await slack.card(1))["blocks"])
    assert "Score +2" in block_texts((await slack.card(2))["blocks"])
    assert "&lt;!channel&gt;" in block_texts((await slack.card(1))["blocks"])

    # Closing voting turns the cards into translation work.
    assert "closed" in await slack.say(MOD, "article close 1")
    await slack.front.drain()
    card1 = await slack.card(1)
    assert "selected" in block_texts(card1["blocks"])
    await slack.click(TR, ui.CLAIM, card1)
    assert "You hold" in (await fake.wait_for_response(lambda p: "hold" in str(p.body))).text

    # A moderator assigns #2 with the user picker; the assignee gets a DM with a button.
    await slack.click(MOD, ui.ASSIGN, await slack.card(2), selected_user=TR2)
    dm = await fake.wait_for("chat.postMessage", lambda c: c.args["channel"] == "D" + TR2)
    assert "#2" in block_texts(dm.args["blocks"])
    dm_message = fake.message(
        "D" + TR2, fake.calls_to("chat.postMessage", lambda c: c is dm)[0].response["ts"]
    )

    # Translations through the modal: from the card, and from the DM.
    await slack.click(TR, ui.TRANSLATE, await slack.card(1))
    form = await open_view(slack, ui.TRANSLATION_MODAL)
    assert "What a ride" in block_texts(form["blocks"])
    await submit(slack, TR, form, {"text": {"value": "最高の旅だ <!here> 見て"}})
    await slack.click(TR2, ui.TRANSLATE, dm_message)
    form = await open_view(slack, ui.TRANSLATION_MODAL, count=2)
    await submit(slack, TR2, form, {"text": {"value": "この列車で眠りたい"}})

    # Review: submitted, changes requested (reason modal), fixed, resubmitted, approved.
    assert "submitted for review" in await slack.say(MOD, "draft submit 1")
    await fake.wait_for("chat.postMessage", lambda c: c.args["channel"] == REVIEW)
    review = await review_message(slack, 1)
    assert "最高の旅だ" in block_texts(review["blocks"])
    await slack.click(MOD2, ui.REJECT, review)
    form = await open_view(slack, ui.REJECT_MODAL)
    await submit(slack, MOD2, form, {"reason": {"value": "Comment #2 reads too stiffly."}})
    assert (await slack.service.get_article(mod, 1)).state is ArticleState.TRANSLATING
    await fake.wait_for(
        "chat.postMessage", lambda c: "reads too stiffly" in block_texts(c.args["blocks"])
    )
    await slack.say(TR2, 'translate submit 2 "この寝台列車でぐっすり眠りたい"')
    await slack.say(MOD, "draft submit 1")
    await fake.wait_for("chat.postMessage", lambda c: c.args["channel"] == REVIEW, count=3)
    review = await review_message(slack, 1)
    await slack.click(MOD2, ui.APPROVE, review)
    await fake.wait_for_response(lambda p: "approved" in str(p.body))
    assert (await slack.service.get_article(mod, 1)).state is ArticleState.APPROVED

    # Publishing from the review message's button, then again by command: one copy only.
    await slack.front.drain()
    review = await review_message(slack, 1)
    await slack.click(MOD, ui.PUBLISH, review)
    await fake.wait_for_response(lambda p: "published" in str(p.body))
    posted = fake.channel_messages(PUBLISH)
    assert posted
    article_text = "\n".join(block_texts(m["blocks"]) for m in posted)
    for expected in (
        "Night trains are back.",
        "海外の反応",
        "最高の旅だ",
        "この寝台列車でぐっすり眠りたい",
        "Safe travels",
    ):
        assert expected in article_text
    assert "<!here>" not in article_text and "&lt;!here&gt;" in article_text
    # The credits: Slack display names from users.info, as text, never `<@U…>` mentions.
    assert article_text.rstrip().endswith("\n翻訳: tomo、rin / コメント選定: ann、bob")
    again = await slack.say(MOD, "publish 1")
    assert "already" in again
    assert len(fake.channel_messages(PUBLISH)) == len(posted)
    assert (await slack.service.get_article(mod, 1)).state is ArticleState.PUBLISHED


async def approved_article(slack: Slack, translation: str) -> None:
    await slack.say(MOD, 'article new "Autumn leaves"')
    await slack.say(ANN, 'comment add 1 "Stunning colours"')
    await slack.say(BOB, "vote 1 up")
    await slack.say(MOD, "article close 1")
    await slack.say(TR, f"translate submit 1 '{translation}'")
    await slack.say(MOD, "draft submit 1")
    await slack.say(MOD2, "draft approve 1")


# Faults on the publish channel's chat.postMessage, from the 3rd message on (2 parts posted):
# (fail() arguments, whether hanno gives up, how many messages land during the first run).
PUBLISH_FAULTS = {
    # Slack refuses outright: nothing is retried, the moderator is told.
    "refused": (dict(status=200, error="not_in_channel"), True),
    # A 500 that keeps coming: retried (after looking for the part), then given up.
    "500-forever": (dict(status=500, times=3), True),
    # A 500 *after* Slack posted: the retry finds the part in the channel, no second copy.
    "500-after-posting": (dict(status=500, landed=True), False),
    # Rate limited twice: slack_sdk waits out Retry-After and the publish completes.
    "429-retry-after": (dict(status=429, retry_after=0, times=2), False),
    # The answer is slower than the time limit but the part was posted: found, recorded.
    "slow-after-posting": (dict(status=200, landed=True, delay=1.0), False),
    # Hung without posting, every time: given up after the attempts.
    "timeout": (dict(status=500, delay=1.0, times=3), True),
}


def _part_texts(slack: Slack) -> list[str]:
    return [block_texts(m["blocks"]) for m in slack.fake.channel_messages(PUBLISH)]


@pytest.mark.parametrize("fault", list(PUBLISH_FAULTS), ids=list(PUBLISH_FAULTS))
async def test_a_publish_that_fails_midway_posts_only_the_rest_when_repeated(
    slack: Slack, tmp_path: Path, fault: str
) -> None:
    failure, gives_up = PUBLISH_FAULTS[fault]
    sentence = "紅葉がとても美しい。"
    await approved_article(slack, sentence * 60)
    poster = slack.front.poster
    poster.limit = 200  # several parts, to fail between them
    poster.timeout, poster.backoff = 0.4, 0.01
    slack.fake.fail("chat.postMessage", **failure, after=2)
    db = tmp_path / "slack.db"

    first = await slack.say(MOD, "publish 1")
    if gives_up:
        assert "stopped after 2 of" in first, first
        total = int(first.split("stopped after 2 of ")[1].split()[0])
        assert total >= 4
        article = await slack.service.get_article(slack.actor(MOD), 1)
        assert article.state is ArticleState.APPROVED
        assert [i for i, _ in _recorded(db)] == [0, 1]
        assert len(_part_texts(slack)) == 2
        told = await slack.fake.wait_for(
            "chat.postMessage",
            lambda c: c.args["channel"] == REVIEW and "tried to publish" in c.args["text"],
        )
        assert "stopped after 2 of" in told.args["text"]
        history = await slack.service.history(slack.actor(MOD), 1)
        assert history[-1].action == "publish_failed"
        slack.fake._failures.clear()  # Slack is back
        done = await slack.say(MOD, "publish 1")
    else:
        done = first
    assert "is published" in done, done
    posted = _part_texts(slack)
    assert _part_numbers(slack) == list(range(len(posted))), "each part once, in order"
    if fault == "500-after-posting":  # found in the channel: not posted a second time
        tries = [c for c in slack.fake.calls if c.method == "chat.postMessage"]
        assert len([c for c in tries if c.args.get("channel") == PUBLISH]) == len(posted)
    text = "".join(posted).replace("\n", "")
    assert text.count(sentence) == 60
    recorded = _recorded(db)
    assert [i for i, _ in recorded] == list(range(len(posted)))
    in_channel = [f"{m['channel']}/{m['ts']}" for m in slack.fake.channel_messages(PUBLISH)]
    assert [mid for _, mid in recorded] == in_channel, "recorded in the order posted"
    assert (await slack.service.get_article(slack.actor(MOD), 1)).state is ArticleState.PUBLISHED
    assert "already" in await slack.say(MOD, "publish 1")
    assert len(slack.fake.channel_messages(PUBLISH)) == len(posted)


async def test_a_part_posted_just_before_a_crash_is_found_not_posted_again(
    slack: Slack, tmp_path: Path
) -> None:
    """The part landed but its id was never recorded (the process died in between)."""
    await approved_article(slack, "紅葉がとても美しい。" * 60)
    poster = slack.front.poster
    poster.limit = 200
    parts = slack.service.renderer.chat_parts(
        await slack.service.document(slack.actor(MOD), 1), poster.limit
    )
    await poster.post(0, parts[0])  # posted, as by the process that died; not recorded
    assert "is published" in await slack.say(MOD, "publish 1")
    assert _part_numbers(slack) == list(range(len(parts))), "each part once, in order"
    assert [i for i, _ in _recorded(tmp_path / "slack.db")] == list(range(len(parts)))


async def test_a_published_article_never_ends_a_message_with_a_reaction_header(
    slack: Slack,
) -> None:
    """At Slack's 12,000 characters a message these eight `numbered` reactions were once cut
    after the 8th's header; its translation opened the next message."""
    await slack.say(MOD, 'article new "Autumn leaves"')
    for n in range(1, 9):
        await slack.say(ANN if n % 2 else BOB, f'comment add 1 "Stunning colours {n}"')
    await slack.say(MOD, "article set 1 min_score 0")
    await slack.say(MOD, "article set 1 max_reactions 8")
    await slack.say(MOD, "article set 1 style numbered")
    await slack.say(MOD, "article close 1")
    for n in range(1, 9):
        await slack.say(TR, f"translate submit {n} '{n}番目。{'長い翻訳の文です。' * 180}'")
    await slack.say(MOD, "draft submit 1")
    await slack.say(MOD2, "draft approve 1")
    assert "is published" in await slack.say(MOD, "publish 1")
    posts = _part_texts(slack)
    assert len(posts) == 2
    header = re.compile(r"^[0-9]+\. 海外の名無しさん")
    assert not [post for post in posts if header.match(post.split("\n")[-1])], posts
    for n in range(1, 9):  # each header and its translation, in one message
        assert sum(f"{n}. 海外の名無しさん\n{n}番目。" in post for post in posts) == 1
    document = await slack.service.document(slack.actor(MOD), 1)
    whole = slack.service.renderer.plain(document).rstrip("\n")
    assert "\n".join(posts).replace("\n\n", "\n") == whole.replace("\n\n", "\n")


def _part_numbers(slack: Slack) -> list[int]:
    """The part each message in the publish channel says it is (its Slack metadata)."""
    return [m["metadata"]["event_payload"]["part"] for m in slack.fake.channel_messages(PUBLISH)]


def _recorded(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT idx, message_id FROM published_parts ORDER BY idx").fetchall()


async def test_an_edit_after_approval_withdraws_it_on_the_review_message(slack: Slack) -> None:
    await approved_article(slack, "紅葉が美しい。")
    review = await review_message(slack, 1)
    assert find_action(review["blocks"], ui.PUBLISH)
    await slack.say(TR, "translate submit 1 '紅葉がとても美しい。'")
    announced = await slack.fake.wait_for(
        "chat.postMessage", lambda c: "withdrew the approvals" in c.args["text"]
    )
    assert announced.args["channel"] == REVIEW
    review = await review_message(slack, 1)
    assert find_action(review["blocks"], ui.APPROVE)
    assert "approvals 0 of 1" in block_texts(review["blocks"])
    assert "紅葉がとても美しい。" in block_texts(review["blocks"])
