"""Every slash command answers through Discord (listings, curation, translation chores)."""

from __future__ import annotations

from bot.discord.identity import system_actor
from tests.discord.conftest import Team
from tests.fakes.discord_fake import DiscordFake, message_text


async def said(fake: DiscordFake, user, /, *path: str, **options: object) -> str:
    reply = await (await fake.slash(user, *path, **options)).reply()
    assert reply["flags"] & 64
    return message_text(reply)


async def test_listings_and_curation(fake: DiscordFake, team: Team, start) -> None:
    running = await start()
    assert "no articles yet" in await said(fake, team.alice, "article", "list")
    await said(fake, team.mod, "article", "new", title="Ramen")
    await said(fake, team.mod, "article", "set", article=1, field="closing", text="おわり")
    for i, user in enumerate((team.alice, team.bob, team.alice)):
        await said(fake, user, "comment", "add", article=1, text=f"Noodles {i}", author=f"u{i}")
    await said(fake, team.bob, "vote", comment=1, choice="up")
    await said(fake, team.bob, "vote", comment=3, choice="down")

    assert "#1 Ramen · collecting comments" in await said(fake, team.alice, "article", "list")
    shown = await said(fake, team.alice, "article", "show", article=1)
    assert "おわり" in shown and "score ≥ 1, at most 30" in shown
    listed = await said(fake, team.alice, "comment", "list", article=1)
    assert "#1 " in listed and "+1" in listed and "-1" in listed
    assert "Noodles 1" in await said(fake, team.bob, "comment", "show", comment=2)
    limits = await said(fake, team.mod, "article", "limits", article=1, max_reactions=2)
    assert "at most 2" in limits
    persona = await said(
        fake, team.alice, "comment", "persona", comment=1, emoji="👩🏻‍🍳", country="IT"
    )
    assert "👩🏻‍🍳🇮🇹" in persona
    assert "picked" in await said(fake, team.mod, "comment", "pick", comment=3)
    assert "dropped" in await said(fake, team.mod, "comment", "drop", comment=2)
    await said(fake, team.mod, "article", "close", article=1)
    selected = await said(fake, team.alice, "comment", "list", article=1, status="selected")
    assert "#3" in selected and "#1" in selected and "#2" not in selected
    assert "position 1" in await said(fake, team.mod, "comment", "move", comment=1, position=1)
    status = await said(fake, team.alice, "article", "status", article=1)
    assert "2 selected" in status and "Still missing" in status
    history = await said(fake, team.alice, "article", "history", article=1)
    assert "created" in history and "aiko" in history
    assert "open again" in await said(fake, team.mod, "article", "reopen", article=1)
    await running.settle()


async def test_translation_chores(fake: DiscordFake, team: Team, start) -> None:
    running = await start()
    await said(fake, team.mod, "article", "new", title="Tea")
    await said(fake, team.alice, "comment", "add", article=1, text="Matcha everything")
    await said(fake, team.bob, "vote", comment=1, choice="up")
    await said(fake, team.mod, "article", "close", article=1)
    assert "no translations" in await said(fake, team.translator, "translate", "mine")
    await said(fake, team.translator, "translate", "claim", comment=1)
    assert "Matcha everything" in await said(fake, team.translator, "translate", "mine")
    assert "free again" in await said(fake, team.translator, "translate", "release", comment=1)
    await said(fake, team.translator2, "translate", "claim", comment=1)
    await said(fake, team.translator2, "translate", "submit", comment=1, text="抹茶だらけ")

    # The form offered again is prefilled with the current translation.
    opener = await fake.slash(team.translator2, "translate", "submit", comment=1)
    modal = await opener.modal()
    assert modal["components"][0]["components"][0]["value"] == "抹茶だらけ"
    revised = await fake.answer_modal(opener, {"translation": "何でも抹茶"})
    assert "revision 2" in (await revised.reply())["content"]
    await running.settle()
    card = next(m for m in fake.channel_messages("voting") if "Comment #1" in message_text(m))
    assert "何でも抹茶" in message_text(card)


async def test_refusals_name_the_next_step_as_a_discord_command(
    fake: DiscordFake, team: Team, start
) -> None:
    await start()
    await said(fake, team.mod, "article", "new", title="Hints")
    await said(fake, team.alice, "comment", "add", article=1, text="Nice", author="u")
    refused = await said(fake, team.mod, "publish", article=1)
    assert "closes voting first with `/article close article:1`." in refused
    await said(fake, team.bob, "vote", comment=1, choice="up")
    await said(fake, team.mod, "article", "close", article=1)
    refused = await said(fake, team.mod, "draft", "approve", article=1)
    assert "sends the draft to review with `/draft submit article:1`." in refused
    missing = await said(fake, team.alice, "comment", "show", comment=9)
    assert "`/comment list article:…` shows" in missing


async def test_histories_show_times_as_discord_timestamps(
    fake: DiscordFake, team: Team, start
) -> None:
    """Each reader sees the times of `article history` and `translate history` in their own
    zone: `<t:…:f>` markup where Discord renders it, not the team's zone as text."""
    running = await start(article={"timezone": "Asia/Tokyo"})
    await said(fake, team.mod, "article", "new", title="Ramen")
    await said(fake, team.alice, "comment", "add", article=1, text="Noodles")
    await said(fake, team.bob, "vote", comment=1, choice="up")
    await said(fake, team.mod, "article", "close", article=1)
    await said(fake, team.translator, "translate", "claim", comment=1)
    await said(fake, team.translator, "translate", "submit", comment=1, text="麺")
    actor = system_actor(fake.guild_id)

    reply = await (await fake.slash(team.alice, "article", "history", article=1)).reply()
    entries = await running.service.history(actor, 1)
    lines = reply["embeds"][0]["description"].split("\n")
    assert len(lines) == len(entries) >= 4
    for line, entry in zip(lines, entries, strict=True):
        assert line.startswith(f"<t:{int(entry.at.timestamp())}:f> · "), line
    assert "created the article" in lines[0]
    assert "JST" not in message_text(reply) and "2026" not in message_text(reply)

    reply = await (await fake.slash(team.alice, "translate", "history", comment=1)).reply()
    (revision,) = await running.service.revisions(actor, 1)
    (field,) = reply["embeds"][0]["fields"]
    assert field["name"].startswith("r1 ") and ":" not in field["name"]
    unix = int(revision.translation.created_at.timestamp())
    assert field["value"].startswith(f"<t:{unix}:f>\n")
