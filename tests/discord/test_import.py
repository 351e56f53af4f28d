"""`/comment import` and the "Import a thread" button, through discord.py against the fakes."""

from __future__ import annotations

import asyncio

import pytest

from bot.discord import importing
from tests.discord.conftest import Team
from tests.fakes.discord_fake import DiscordFake, custom_ids, message_text
from tests.fakes.sources_fake import FakeComment, FakeThread, SourcesFake, comment_text


async def answered(fake: DiscordFake, ix) -> str:
    """The deferred answer once the import is over (before, it shows the progress)."""
    await ix.reply()
    for _ in range(200):
        text = message_text(fake.messages[ix.original_id or ""])
        if not text.startswith("Reading the thread"):
            return text
        await asyncio.sleep(0.05)
    raise AssertionError(f"the import did not finish: {text}")


def cards_in(fake: DiscordFake) -> list[str]:
    return [
        message_text(m) for m in fake.channel_messages("voting") if "Comment #" in message_text(m)
    ]


async def test_a_moderator_imports_with_progress_summary_and_cards(
    fake: DiscordFake, team: Team, start, sites_here: SourcesFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 0.0)  # every page edits the answer
    sites_here.reddit_page = 10
    thread = sites_here.add(
        FakeThread(
            [FakeComment(comment_text(i), author=f"user{i}", score=900 - i) for i in range(130)]
        )
    )
    running = await start(sources=sites_here.config(languages=["en", "fr"]))
    url = sites_here.link("reddit", thread)
    await (await fake.slash(team.mod, "article", "new", title="Sketchbook")).reply()

    refused = await (await fake.slash(team.alice, "comment", "import", article=1, url=url)).reply()
    assert message_text(refused) == "Only moderators can import comments; ask a moderator to do it."

    ix = await fake.slash(team.mod, "comment", "import", article=1, url=url, top=20)
    text = await answered(fake, ix)
    await running.settle()
    answer = fake.messages[ix.original_id or ""]
    assert answer["flags"] & 64
    assert text.startswith("Imported 20 comments from Reddit into article #1: #1–#20.")
    assert answer["_edits"] >= 2  # "Reading the thread… N comments so far." before the summary
    posted = [message_text(m) for m in fake.channel_messages("voting")]
    summary = next(i for i, text in enumerate(posted) if text.startswith("Imported 20"))
    cards = cards_in(fake)
    assert len(cards) == 20 and all(posted.index(c) > summary for c in cards)
    assert "▲ 900 on Reddit" in cards[0] and "https://www.reddit.com/r/japan/comments/" in cards[0]
    assert comment_text(0) in cards[0]

    again = await fake.slash(team.mod, "comment", "import", article=1, url=url, top=25, lang="en")
    assert "#21–#25. 20 already there." in await answered(fake, again)
    await running.settle()
    assert len(cards_in(fake)) == 25


async def test_the_article_button_opens_a_form_and_refuses_members_at_the_click(
    fake: DiscordFake, team: Team, start, sites_here: SourcesFake
) -> None:
    thread = sites_here.add(
        FakeThread([FakeComment(comment_text(i), score=10 - i) for i in range(3)])
    )
    running = await start(sources=sites_here.config(languages=["en", "fr"]))
    await (await fake.slash(team.mod, "article", "new", title="Sketchbook")).reply()
    await running.settle()
    card = next(m for m in fake.channel_messages("voting") if "hanno:import:1" in custom_ids(m))

    refused = await (await fake.click(team.alice, card["id"], "hanno:import:1")).reply()
    assert "Only moderators can import comments" in message_text(refused)

    opener = await fake.click(team.mod, card["id"], "hanno:import:1")
    modal = await opener.modal()
    assert [row["components"][0]["custom_id"] for row in modal["components"]] == [
        "url",
        "top",
        "lang",
    ]
    done = await fake.answer_modal(opener, {"url": sites_here.link("youtube", thread), "top": "2"})
    assert (await answered(fake, done)).startswith(
        "Imported 2 comments from YouTube into article #1"
    )
    await running.settle()
    assert len(cards_in(fake)) == 2


async def test_faults_answer_in_the_deferred_reply(
    fake: DiscordFake, team: Team, start, sites_here: SourcesFake
) -> None:
    thread = sites_here.add(FakeThread([FakeComment(comment_text(1))]))
    running = await start(sources=sites_here.config(languages=["en", "fr"]))
    await (await fake.slash(team.mod, "article", "new", title="Faults")).reply()
    sites_here.fail("hackernews", status=503)
    cases = [
        (sites_here.link("hackernews", thread), "Hacker News had a server error (HTTP 503)"),
        ("https://example.com/post", "hanno can't read comments from that address"),
        (sites_here.link("bluesky", FakeThread([], private=True)), "does not exist"),
    ]
    for url, phrase in cases:
        reply = await (await fake.slash(team.mod, "comment", "import", article=1, url=url)).reply()
        assert phrase in message_text(reply) and reply["flags"] & 64
    await running.settle()
    assert cards_in(fake) == []


async def test_a_source_post_whose_site_is_down_is_added_and_said(
    fake: DiscordFake, team: Team, start, sites_here: SourcesFake
) -> None:
    thread = sites_here.add(FakeThread([]))
    await start(sources=sites_here.config(languages=["en", "fr"]))
    await (await fake.slash(team.mod, "article", "new", title="Sketchbook")).reply()
    sites_here.fail("bluesky", status=503)
    link = sites_here.link("bluesky", thread)
    ix = await fake.slash(team.mod, "article", "source", article=1, url=link, author="Library")
    assert message_text(await ix.reply()).endswith(
        "\nBluesky could not be read just now, so source 1 was added with only the link and "
        "what you gave, and shows as a link."
    )
