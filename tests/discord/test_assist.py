"""Translation help on Discord: the Machine draft button in the DM and on the card, the
labelled prefilled form, accepting, batched drafts with progress, history and restore, the
glossary, warnings, remarks from the review post — hanno's real bot against the fake Discord,
its provider against the fake DeepL."""

from __future__ import annotations

import pytest

from bot.core.models import Actor
from tests.assist.workflow import COMMENTS, LEAD
from tests.discord.conftest import Team
from tests.fakes.deepl_fake import KEY, DeeplFake, quota_exceeded
from tests.fakes.discord_fake import DiscordFake, custom_ids, message_text


@pytest.fixture
async def deepl_server(monkeypatch):
    async with DeeplFake() as server:
        monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
        monkeypatch.setenv("HANNO_ASSIST__PROVIDER", "deepl")
        monkeypatch.setenv("HANNO_ASSIST__RETRIES", "0")
        monkeypatch.setenv("HANNO_ASSIST__DEEPL__SERVER_URL", server.url)
        yield server


async def _translating(fake: DiscordFake, team: Team, running) -> None:
    """Article #1 in translation with COMMENTS selected as #1-#3."""
    mod = team.mod
    await (await fake.slash(mod, "article", "new", title="Sketchbook returned")).reply()
    await (await fake.slash(mod, "article", "set", article=1, field="lead", text=LEAD)).reply()
    for text in COMMENTS:
        await (
            await fake.slash(team.alice, "comment", "add", article=1, text=text, lang="en")
        ).reply()
    for n in (1, 2, 3):
        await (await fake.slash(mod, "comment", "pick", comment=n)).reply()
    await (await fake.slash(mod, "article", "close", article=1)).reply()
    await running.settle()


async def test_machine_draft_from_the_dm_to_an_edited_submission(
    fake: DiscordFake, team: Team, start, deepl_server
) -> None:
    running = await start()
    await _translating(fake, team, running)
    await (
        await fake.slash(team.mod, "translate", "assign", comment=1, user=team.translator)
    ).reply()
    await running.settle()
    dm = fake.dm_messages(team.translator)[-1]
    guild = fake.guild_id
    assert custom_ids(dm) == [f"hanno:translate:{guild}:1", f"hanno:mdraft:{guild}:1"]

    drafted = await (await fake.click(team.translator, dm["id"], f"hanno:mdraft:{guild}:1")).reply()
    assert drafted["flags"] & 64
    assert "Machine draft for #1 from DeepL" in drafted["content"]
    assert "これこそ俺が惚れた日本だよ。" in drafted["content"]
    assert custom_ids(drafted) == [f"hanno:translate:{guild}:1", f"hanno:accept:{guild}:1"]
    await running.settle()
    card = next(m for m in fake.channel_messages("voting") if "Comment #1" in message_text(m))
    assert "Machine draft (DeepL), not reviewed yet" in message_text(card)
    assert f"hanno:mdraft:{guild}:1" in custom_ids(card)

    # The form opens prefilled with the draft and says it is one.
    opener = await fake.click(team.translator, drafted["id"], f"hanno:translate:{guild}:1")
    modal = await opener.modal()
    [field] = [c["components"][0] for c in modal["components"]]
    assert field["value"] == "これこそ俺が惚れた日本だよ。"
    assert field["label"] == "Machine draft (DeepL): edit, then submit"
    done = await fake.answer_modal(opener, {"translation": "これぞ俺が惚れた日本なんだよな。"})
    assert "revision 2" in (await done.reply())["content"]
    revisions = await running.service.revisions(reader(fake), 1)
    assert [r.translation.kind for r in revisions] == ["machine", "human"]


def reader(fake: DiscordFake) -> Actor:
    return Actor(space=fake.guild_id, user_id="reader", name="reader")


async def test_batched_drafts_accept_build_history_restore_and_glossary(
    fake: DiscordFake, team: Team, start, deepl_server
) -> None:
    running = await start()
    await _translating(fake, team, running)
    mod = team.mod
    added = await fake.slash(team.translator, "glossary", "add", source="Kuroda", target="黒田")
    assert "“Kuroda” → “黒田” added" in (await added.reply())["content"]
    listing = await (await fake.slash(team.alice, "glossary", "list")).reply()
    assert "Kuroda → 黒田" in message_text(listing)

    batch = await fake.slash(mod, "translate", "suggest_all", article=1)
    await fake.wait_until(lambda: bool(batch.followup_ids), 10)
    [final] = [fake.messages[i] for i in batch.followup_ids]
    assert "3 machine drafts for article #1 from DeepL" in final["content"]
    assert "Drafting article #1: 3/3 comments done" in fake.messages[batch.original_id]["content"]
    assert len(deepl_server.translate_calls()) == 1
    assert deepl_server.translate_calls()[0]["glossary_id"]

    refused = await (await fake.slash(mod, "draft", "build", article=1)).reply()
    assert "still has 3 machine drafts nobody has reviewed: #1, #2, #3" in refused["content"]
    accepted = await (await fake.slash(team.translator, "translate", "accept", comment=1)).reply()
    assert "accepted as it is (revision 2)" in accepted["content"]
    await (await fake.slash(team.translator, "translate", "accept", comment=2)).reply()
    submitted = await fake.slash(
        team.translator, "translate", "submit", comment=3, text="クロダ大臣は勲章をあげるべきです。"
    )
    reply = (await submitted.reply())["content"]
    assert "Warnings (not blocking):" in reply
    assert "the original has “Kuroda”, the translation lacks “黒田”" in reply
    assert "Written in です/ます, while the article speaks in タメ口." in reply

    status = await (await fake.slash(mod, "article", "status", article=1)).reply()
    assert "Glossary warnings" in message_text(status)
    dismissed = await fake.slash(team.translator, "glossary", "dismiss", comment=3)
    assert "Glossary warning on #3 dismissed: Kuroda." in (await dismissed.reply())["content"]
    status = await (await fake.slash(mod, "article", "status", article=1)).reply()
    assert "Glossary warnings" not in message_text(status)
    built = await fake.slash(mod, "draft", "build", article=1)
    await fake.wait_until(lambda: len(built.followup_ids) >= 2, 10)
    warnings = fake.messages[built.followup_ids[-1]]
    assert "Warnings per comment (you can build anyway):" in message_text(warnings)
    assert "#3" in message_text(warnings)

    history = await (await fake.slash(team.alice, "translate", "history", comment=3)).reply()
    text = message_text(history)
    assert "Revisions of comment #3" in text and "machine draft, DeepL" in text
    assert "{+クロダ大臣は勲章をあげるべきです。+}" in text
    restored = await fake.slash(team.translator, "translate", "restore", comment=3, revision=1)
    assert "revision 1 is the latest again, as revision 3" in (await restored.reply())["content"]


async def test_remarks_from_the_review_post_reach_the_translator(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    await _translating(fake, team, running)
    for n in (1, 2, 3):
        await (await fake.slash(team.translator, "translate", "claim", comment=n)).reply()
        await (
            await fake.slash(
                team.translator, "translate", "submit", comment=n, text=f"訳その{n}だよ"
            )
        ).reply()
    await (await fake.slash(team.mod, "draft", "submit", article=1)).reply()
    await running.settle()
    review = fake.latest("review")
    refused = await (await fake.click(team.alice, review["id"], "hanno:remark:1")).reply()
    assert refused["content"].startswith("Only moderators can leave review remarks")
    opener = await fake.click(team.mod2, review["id"], "hanno:remark:1")
    done = await fake.answer_modal(opener, {"comment": "#2", "text": "「その」は要らないかも"})
    assert "Remark on #2 (revision 1) saved" in (await done.reply())["content"]
    await running.settle()
    dm = fake.dm_messages(team.translator)[-1]
    assert "kenji left a remark on your translation of comment #2" in message_text(dm)
    assert "「その」は要らないかも" in message_text(dm)
    status = await (await fake.slash(team.mod, "article", "status", article=1)).reply()
    assert "#2 r1 kenji: 「その」は要らないかも" in message_text(status)
    bad = await fake.answer_modal(
        await fake.click(team.mod2, review["id"], "hanno:remark:1"), {"comment": "two", "text": "x"}
    )
    assert "is not a comment number" in (await bad.reply())["content"]
    resolved = await (await fake.slash(team.translator, "translate", "resolve", comment=2)).reply()
    assert "1 remark on #2 resolved" in resolved["content"]


async def test_a_provider_fault_and_a_missing_provider_are_one_sentence(
    fake: DiscordFake, team: Team, start, deepl_server, monkeypatch
) -> None:
    running = await start()
    await _translating(fake, team, running)
    deepl_server.fail(quota_exceeded())
    answer = await (await fake.slash(team.translator, "translate", "suggest", comment=1)).reply()
    assert answer["content"] == (
        "DeepL's quota is used up for now; wait until it renews or raise the limit, then try again."
    )
    board = await running.service.status(reader(fake), 1)
    assert board.machine_drafts == ()
    await running.stop()
    monkeypatch.setenv("HANNO_ASSIST__PROVIDER", "none")
    running = await start()
    answer = await (await fake.slash(team.translator, "translate", "suggest", comment=1)).reply()
    assert answer["content"].startswith("No machine translation is set up.")
