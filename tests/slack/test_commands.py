"""The slash command through Slack: replies, help, and the "payload" body that trips Bolt."""

from __future__ import annotations

from bot.core.messages import t
from tests.fakes.slack_fake import block_texts
from tests.slack.conftest import ANN, BOB, MOD, TR, TR2, VOTING, Slack


async def test_article_new_replies_ephemerally_and_announces_in_voting(slack: Slack) -> None:
    reply = await slack.say(MOD, 'article new "Lanterns over the Kamo river"')
    assert "Created article #1" in reply
    call = await slack.fake.wait_for("chat.postMessage", lambda c: c.args["channel"] == VOTING)
    assert "Lanterns over the Kamo river" in block_texts(call.args["blocks"])


async def test_help_and_help_for_one_command(slack: Slack) -> None:
    overview = await slack.say(ANN, "help")
    assert "comment add" in overview and t("role.member") in overview
    detail = await slack.say(ANN, "help comment add")
    assert "--country" in detail


async def test_empty_command_shows_help(slack: Slack) -> None:
    assert "article new" in await slack.say(ANN, "")


async def test_word_payload_in_command_text_reaches_the_core(slack: Slack) -> None:
    """Bolt reads any form body containing "payload" as an interactive payload; hanno repairs it."""
    await slack.say(MOD, "article new payload=42 and the payload bay")
    reply = await slack.say(ANN, 'comment add 1 "Open the payload bay doors" --country FI')
    assert "Added comment #1" in reply
    comment = await slack.comment(1)
    assert comment.text == "Open the payload bay doors"
    article = await slack.service.get_article(slack.actor(MOD), 1)
    assert article.title == "payload=42 and the payload bay"


async def test_slack_escaped_text_is_unescaped_before_the_core(slack: Slack) -> None:
    await slack.say(MOD, "article new Fish &amp; chips &lt;3")
    article = await slack.service.get_article(slack.actor(MOD), 1)
    assert article.title == "Fish & chips <3"


async def test_domain_error_is_an_ephemeral_sentence(slack: Slack) -> None:
    reply = await slack.say(ANN, "comment show 99")
    assert "#99" in reply
    assert "Something went wrong" not in reply


async def test_translate_assign_takes_a_slack_mention_or_a_known_name(slack: Slack) -> None:
    await slack.say(MOD, "article new Lanterns")
    await slack.say(ANN, "comment add 1 'Pretty'")
    await slack.say(BOB, "vote 1 up")
    await slack.say(MOD, "article close 1")
    # With should_escape (the manifest's setting), Slack sends a typed @tomo as <@UTR|tomo>.
    reply = await slack.say(MOD, "translate assign 1 <@UTR|tomo>")
    assert "assigned to tomo" in reply
    assert (await slack.comment(1)).assignee_id == TR
    await slack.say(MOD, "translate release 1")
    assert "assigned to rin" in await slack.say(MOD, f"translate assign 1 {TR2}")
    await slack.say(MOD, "translate release 1")
    assert "assigned to tomo" in await slack.say(MOD, "translate assign 1 @tomo")
    assert "don't know anyone" in await slack.say(MOD, "translate assign 1 nobody")
