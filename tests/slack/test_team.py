"""The team on Slack: `/hanno team …` with the permission matrix, hidden voting on the cards,
Slack date markup for schedules, DMs that cannot be delivered, announcements retried after
Slack's 5xx, and an App Home that shows stats and refreshes when what it shows changes."""

from __future__ import annotations

from tests.fakes.slack_fake import block_texts
from tests.slack.conftest import ANN, BOB, MOD, MOD2, TR, VOTING, Slack


async def collecting(slack: Slack) -> None:
    await slack.say(MOD, 'article new "Snow lanterns"')
    await slack.say(ANN, "comment add 1 'So pretty'")
    await slack.say(ANN, "comment add 1 'Cold but lovely'")


async def test_roles_from_chat_with_the_permission_matrix(slack: Slack) -> None:
    await collecting(slack)
    assert "Only moderators can give people roles" in await slack.say(
        ANN, f"team add <@{BOB}> translator"
    )
    assert "Only moderators" in await slack.say(TR, f"team add <@{BOB}> translator")
    added = await slack.say(MOD, f"team add <@{BOB}> translator")
    assert "is now a translator" in added
    # The user group still counts, and chat cannot take it away.
    assert "through the config file" in await slack.say(MOD, "team remove <@UTR2> translator")
    assert "moderator through the config file" in await slack.say(
        MOD2, f"team remove <@{MOD}> translator"
    )
    await slack.say(BOB, "vote 1 up")
    await slack.say(MOD, "article close 1")
    assert "You hold the translation of comment #1" in await slack.say(BOB, "translate claim 1")
    await slack.say(MOD, f"team remove <@{BOB}> translator")
    assert "Only translators and moderators" in await slack.say(BOB, "translate release 1")
    listing = await slack.say(ANN, "team list")
    assert "added" in listing and "removed" in listing


async def test_hidden_voting_cards_show_only_the_count(slack: Slack) -> None:
    await collecting(slack)
    assert "now hidden" in await slack.say(MOD, "article set 1 voting hidden")
    voted = await slack.say(BOB, "vote 1 up")
    assert "Scores stay hidden" in voted
    card = block_texts((await slack.card(1))["blocks"])
    assert "1 vote so far" in card and "Score" not in card
    assert "+1" in await slack.say(MOD, "comment list 1")
    assert "+1" not in await slack.say(ANN, "comment list 1")
    await slack.say(MOD, "article close 1")
    assert "Score +1" in block_texts((await slack.card(1))["blocks"])


async def test_a_scheduled_close_is_written_in_slack_date_markup(slack: Slack) -> None:
    await collecting(slack)
    await slack.say(BOB, "vote 1 up")
    reply = await slack.say(MOD, "article close 1 --in 24h")
    assert "closes by itself at " in reply and "UTC" in reply  # the reply is plain text
    posted = slack.fake.calls_to("chat.postMessage", lambda c: c.args["channel"] == VOTING)
    assert any("<!date^" in block_texts(c.args["blocks"]) for c in posted)
    assert "not a time I can read" in await slack.say(MOD, "article close 1 --at soon")


async def test_an_undeliverable_dm_is_reported_to_the_moderator_once(slack: Slack) -> None:
    await collecting(slack)
    await slack.say(BOB, "vote 1 up")
    await slack.say(BOB, "vote 2 up")
    await slack.say(MOD, "article close 1")
    slack.fake.close_dm(TR, "user_disabled")
    await slack.say(MOD, f"translate assign 1 <@{TR}>")
    await slack.say(MOD, f"translate assign 2 <@{TR}>")
    await slack.front.drain()
    told = slack.fake.calls_to(
        "chat.postMessage",
        lambda c: c.args["channel"] == "D" + MOD and "couldn't send" in str(c.args.get("text")),
    )
    assert len(told) == 1
    assert "about comment #1 (article #1)" in told[0].args["text"]


async def test_announcements_are_retried_after_slack_server_errors(slack: Slack) -> None:
    await collecting(slack)
    await slack.say(BOB, "vote 1 up")
    slack.front.notifier.retry_delays = (0.05, 0.05, 0.05)
    # slack_sdk retries a 5xx three times itself; the fourth and fifth failures reach hanno.
    slack.fake.fail("chat.postMessage", times=5, status=500)
    await slack.say(MOD, "article close 1")
    posted = slack.fake.calls_to("chat.postMessage", lambda c: c.args["channel"] == VOTING)
    closed = [c for c in posted if "closed" in str(c.args.get("text"))]
    assert len(closed) == 1
    failed = [c for c in slack.fake.calls if c.method == "chat.postMessage" and c.status == 500]
    assert len(failed) == 5


async def test_app_home_shows_stats_and_refreshes_on_assignment(slack: Slack) -> None:
    await collecting(slack)
    await slack.say(BOB, "vote 1 up")
    await slack.events.app_home_opened(TR)
    first = await slack.fake.wait_for("views.publish", lambda c: c.args["user_id"] == TR)
    home = block_texts(first.args["view"]["blocks"])
    assert "Team stats since" in home and "comments 2" in home
    assert "translations 0, machine drafts accepted 0" in home
    assert "You hold no translations" in home
    await slack.events.app_home_opened(MOD)
    opened = await slack.fake.wait_for("views.publish", lambda c: c.args["user_id"] == MOD)
    assert "is collecting comments and votes" in block_texts(opened.args["view"]["blocks"])
    await slack.say(MOD, "article close 1")
    await slack.front.drain()
    # A state change: the Home of everyone who opened it is published again, unasked.
    latest = slack.fake.calls_to("views.publish", lambda c: c.args["user_id"] == MOD)[-1]
    assert "is collecting comments and votes" not in block_texts(latest.args["view"]["blocks"])
    assert "1 comment nobody is translating yet" in block_texts(latest.args["view"]["blocks"])
    await slack.say(MOD, f"translate assign 1 <@{TR}>")
    await slack.front.drain()
    latest = slack.fake.calls_to("views.publish", lambda c: c.args["user_id"] == TR)[-1]
    assert "So pretty" in block_texts(latest.args["view"]["blocks"]), "refreshed unopened"
