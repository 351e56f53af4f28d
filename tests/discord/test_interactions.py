"""Autocomplete, the context menu, modals, review pages, and the one error path."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest

from bot.core.service import HannoService
from tests.discord.conftest import Team
from tests.fakes.discord_fake import DiscordFake, custom_ids, message_text


async def test_autocomplete_shows_titles_and_excerpts(fake: DiscordFake, team: Team, start) -> None:
    await start()
    for title in ("Cherry blossoms", "Bullet trains"):
        await (await fake.slash(team.mod, "article", "new", title=title)).reply()
    await (
        await fake.slash(team.alice, "comment", "add", article=2, text="Fast and always on time")
    ).reply()

    choices = await (
        await fake.autocomplete(team.alice, "article", "show", focused="article")
    ).choices()
    assert choices == [
        {"name": "#2 Bullet trains · collecting comments", "value": 2},
        {"name": "#1 Cherry blossoms · collecting comments", "value": 1},
    ]
    typed = await (
        await fake.autocomplete(team.alice, "article", "show", focused="article", article="cher")
    ).choices()
    assert [c["value"] for c in typed] == [1]

    comments = await (
        await fake.autocomplete(team.bob, "vote", focused="comment", comment="time")
    ).choices()
    assert comments[0]["value"] == 1 and "Fast and always on time" in comments[0]["name"]


async def test_submit_as_reaction_prefills_the_form_with_the_message(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    await (await fake.slash(team.mod, "article", "new", title="Festival")).reply()
    said = fake.user_message(team.bob, "general", "Saw this in Sapporo, amazing!")

    menu = await fake.message_command(team.alice, "Submit as reaction", said["id"])
    picker = await menu.reply()
    assert picker["flags"] & 64
    (select_id,) = custom_ids(picker)
    chosen = await fake.select(team.alice, picker["id"], select_id, ["1"])
    modal = await chosen.modal()
    fields = {
        c["components"][0]["custom_id"]: c["components"][0].get("value")
        for c in modal["components"]
    }
    assert fields["text"] == "Saw this in Sapporo, amazing!"
    jump = f"/channels/{fake.guild_id}/{said['channel_id']}/{said['id']}"
    assert fields["url"].endswith(jump)

    submitted = await fake.answer_modal(chosen, {"country": "JP"})
    assert "Comment #1 added" in (await submitted.reply())["content"]
    comment = await running.service.get_comment(_actor(fake), 1)
    assert comment.text == "Saw this in Sapporo, amazing!" and comment.url.endswith(jump)
    assert comment.submitted_by == str(team.alice.id)


async def test_long_text_goes_through_prefilled_modals(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    await (await fake.slash(team.mod, "article", "new", title="Modal")).reply()
    await (
        await fake.slash(team.mod, "article", "set", article=1, field="lead", text="Old")
    ).reply()
    opener = await fake.slash(team.mod, "article", "set", article=1, field="lead")
    modal = await opener.modal()
    assert modal["components"][0]["components"][0]["value"] == "Old"
    lead = "一段落目。\n\n二段落目。"
    await (await fake.answer_modal(opener, {"text": lead})).reply()
    assert (await running.service.get_article(_actor(fake), 1)).lead == lead


async def test_refusals_in_a_modal_are_ephemeral_sentences(
    fake: DiscordFake, team: Team, start
) -> None:
    await start()
    await (await fake.slash(team.mod, "article", "new", title="Bad URL")).reply()
    opener = await fake.slash(team.alice, "comment", "add", article=1)
    answered = await fake.answer_modal(opener, {"text": "Nice", "url": "not a link"})
    reply = await answered.reply()
    assert reply["flags"] & 64 and "is not a web address" in reply["content"]


async def test_unexpected_errors_show_an_incident_ref_and_are_logged(
    fake: DiscordFake, team: Team, start, caplog: pytest.LogCaptureFixture, monkeypatch
) -> None:
    await start()

    async def broken(self: HannoService, actor: object) -> list:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(HannoService, "list_articles", broken)
    reply = await (await fake.slash(team.alice, "article", "list")).reply()
    match = re.fullmatch(r"Something went wrong \(ref ([0-9a-f]{4})\).*", reply["content"])
    assert match and reply["flags"] & 64
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(
        match[1] in r.getMessage() and "database on fire" in (r.exc_text or "") for r in logged
    )
    caplog.clear()


async def test_reject_with_a_reason_and_resubmit_posts_a_fresh_review(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    await (await fake.slash(team.mod, "article", "new", title="Review")).reply()
    for i in range(12):
        text = f"Comment number {i}: " + "a long and thoughtful remark. " * 12
        user = team.alice if i % 2 else team.bob
        await (await fake.slash(user, "comment", "add", article=1, text=text)).reply()
    await (await fake.slash(team.mod, "article", "limits", article=1, min_score=0)).reply()
    await (await fake.slash(team.mod, "article", "close", article=1)).reply()
    for n in range(1, 13):
        await (await fake.slash(team.mod, "translate", "claim", comment=n)).reply()
        translation = f"{n}番目のコメント。" + "とても考え深い意見です。" * 30
        await (
            await fake.slash(team.mod, "translate", "submit", comment=n, text=translation)
        ).reply()
    await (await fake.slash(team.mod, "draft", "submit", article=1)).reply()
    await running.settle()
    review = fake.latest("review")
    assert "Page 1 of" in message_text(review)
    ids = custom_ids(review)
    assert "hanno:page:1:2:n" in ids

    flipped = await fake.click(team.alice, review["id"], "hanno:page:1:2:n")
    page2 = await flipped.reply()
    assert page2["id"] == review["id"] and "Page 2 of" in message_text(page2)

    opener = await fake.click(team.mod2, review["id"], "hanno:review:1:reject")
    rejected = await fake.answer_modal(opener, {"reason": "Comment 3 needs a softer tone."})
    assert "goes back to translation" in (await rejected.reply())["content"]
    await running.settle()
    assert "Sent back for changes" in message_text(fake.messages[review["id"]])
    assert not any("hanno:review" in c for c in custom_ids(fake.messages[review["id"]]))
    assert any("softer tone" in m["content"] for m in fake.channel_messages("review"))

    await (await fake.slash(team.mod, "draft", "submit", article=1)).reply()
    await running.settle()
    fresh = fake.latest("review")
    assert fresh["id"] != review["id"] and "hanno:review:1:approve" in custom_ids(fresh)


async def test_everything_the_bot_posts_pings_nobody(fake: DiscordFake, team: Team, start) -> None:
    running = await start()
    await (await fake.slash(team.mod, "article", "new", title="@everyone look")).reply()
    await (
        await fake.slash(team.alice, "comment", "add", article=1, text="<@&123> @here hi")
    ).reply()
    await running.settle()
    posts = [c for c in fake.calls if c.method in ("POST", "PATCH") and "/messages" in c.path]
    posts += [c for c in fake.calls if c.path.endswith("/callback") and c.json.get("type") == 4]
    assert posts
    for call in posts:
        body = call.json.get("data", call.json) if call.path.endswith("/callback") else call.json
        assert body.get("allowed_mentions") == {"parse": []}, call


def _actor(fake: DiscordFake):
    from bot.discord.identity import system_actor

    return system_actor(fake.guild_id)


async def test_a_failing_autocomplete_offers_nothing_and_is_logged(
    fake: DiscordFake, team: Team, start, caplog: pytest.LogCaptureFixture, monkeypatch
) -> None:
    await start()

    async def broken(self: HannoService, actor: object) -> list:
        raise RuntimeError("index lost")

    monkeypatch.setattr(HannoService, "list_articles", broken)
    ix = await fake.autocomplete(team.alice, "article", "show", focused="article")
    for _ in range(100):
        if any("index lost" in (r.exc_text or "") for r in caplog.records):
            break
        await asyncio.sleep(0.02)
    else:
        pytest.fail("the autocomplete failure was not logged")
    # No answer at all: Discord shows "loading options failed", never a wrong suggestion.
    assert ix.callback is None
    caplog.clear()
