"""What a Slack team notices: line breaks typed in `/hanno …` are kept, and the publish
channel is named by a link rather than by its raw id."""

from __future__ import annotations

from tests.fakes.slack_fake import block_texts
from tests.slack.conftest import MOD, MOD2, PUBLISH, Slack
from tests.slack.test_workflow import approved_article


async def test_line_breaks_typed_in_a_command_are_published(slack: Slack) -> None:
    await approved_article(slack, "紅葉がきれい")
    lead = "First paragraph of the lead.\n\nSecond paragraph,\nits second line."
    assert "saved" in await slack.say(MOD, f"article set 1 lead {lead}")
    assert "saved" in await slack.say(MOD, "article set 1 closing See you\nnext time.")
    await slack.say(MOD2, "draft approve 1")  # the edits withdrew the approval
    assert "is published" in await slack.say(MOD, "publish 1")
    text = "\n".join(block_texts(m["blocks"]) for m in slack.fake.channel_messages(PUBLISH))
    assert "First paragraph of the lead.\nSecond paragraph,\nits second line." in text
    assert "See you\nnext time." in text


async def test_publish_names_the_channel_by_a_link(slack: Slack) -> None:
    await approved_article(slack, "紅葉がきれい")
    reply = await slack.say(MOD, "publish 1")
    assert reply == f"Article #1 is published in <#{PUBLISH}> (1 message)."


async def test_refusals_name_the_next_step_as_a_slack_command(slack: Slack) -> None:
    await slack.say(MOD, 'article new "Hints"')
    refused = await slack.say(MOD, "publish 1")
    assert "closes voting first with `/hanno article close 1`." in refused
    # (Slack shows the escaped `&lt;article&gt;` as `<article>`)
    missing = await slack.say(MOD, "comment show 9")
    assert "`/hanno comment list &lt;article&gt;` shows" in missing
