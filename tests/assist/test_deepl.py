"""The DeepL provider with the real `deepl` client against the local fake DeepL."""

from __future__ import annotations

import asyncio
import socket

import deepl
import pytest

from bot.assist.deepl import DeeplProvider
from bot.core.assist import AssistFailed, DraftContext, DraftRequest, GlossaryEntry, Register
from tests.fakes.deepl_fake import KEY, DeeplFake, quota_exceeded, too_many_requests, unavailable
from tests.fakes.local_service import Fault

pytestmark = pytest.mark.asyncio(loop_scope="module")

LEAD = "駅員さんが、落とし物のスケッチブックを届けるために20km自転車をこいだ話。"
CONTEXT = DraftContext(title="Lost sketchbook", lead=LEAD)


def provider(server: DeeplFake, *, key: str = KEY, retries: int = 0, **kwargs) -> DeeplProvider:
    return DeeplProvider(key, server_url=server.url, retries=retries, **kwargs)


def comment(number: int, text: str, language: str = "en") -> DraftRequest:
    return DraftRequest(number=number, text=text, language=language, persona="👴🏼")


def team_context(team: str, *entries: tuple[str, str]) -> DraftContext:
    glossary = tuple(GlossaryEntry(source=s, target=t) for s, t in entries)
    return CONTEXT.model_copy(update={"team": team, "glossary": glossary})


async def owners_glossary(server: DeeplFake, name: str, source: str, entries: dict) -> str:
    """A glossary the account's owner made themselves, with the real client."""
    owner = deepl.Translator(KEY, server_url=server.url, send_platform_info=False)
    made = await asyncio.to_thread(owner.create_glossary, name, source, "JA", entries)
    return made.glossary_id


@pytest.fixture(autouse=True)
def _fresh(deepl_server: DeeplFake) -> None:
    deepl_server.reset()
    deepl_server.glossaries.clear()


async def test_comments_go_in_one_request_with_the_lead_and_casual_formality(deepl_server):
    drafts = await provider(deepl_server).translate(
        [
            comment(1, "This is the Japan I fell in love with."),
            comment(2, "Respect to the clerk, honestly."),
            comment(3, "Give that man a medal."),
        ],
        CONTEXT,
    )
    assert [(d.number, d.text) for d in drafts] == [
        (1, "これこそ俺が惚れた日本だよ。"),
        (2, "その駅員さんには素直に敬意を表するよ。"),
        (3, "訳: Give that man a medal."),
    ]
    [call] = deepl_server.translate_calls()
    assert call["target_lang"] == "JA"
    assert call["source_lang"] == "EN"
    assert call["formality"] == "prefer_less"
    assert LEAD in call["context"]


async def test_polite_teams_ask_for_more_formality(deepl_server):
    polite = CONTEXT.model_copy(update={"speech": Register.POLITE})
    await provider(deepl_server).translate([comment(1, "Nice.")], polite)
    assert deepl_server.translate_calls()[0]["formality"] == "prefer_more"


async def test_sixty_comments_take_two_requests(deepl_server):
    items = [comment(n, f"Comment number {n}.") for n in range(1, 61)]
    translator = provider(deepl_server)
    drafts = [
        d for batch in (items[:50], items[50:]) for d in await translator.translate(batch, CONTEXT)
    ]
    assert len(drafts) == 60
    assert [len(call["text"]) for call in deepl_server.translate_calls()] == [50, 10]


async def test_the_glossary_becomes_a_deepl_glossary_made_once(deepl_server):
    context = CONTEXT.model_copy(
        update={"glossary": (GlossaryEntry(source="Kuroda", target="黒田"),)}
    )
    translator = provider(deepl_server)
    [draft] = await translator.translate([comment(1, "Minister Kuroda rode a bike.")], context)
    assert draft.text == "訳: Minister 黒田 rode a bike."
    await translator.translate([comment(2, "Kuroda again.")], context)
    assert deepl_server.paths("POST").count("/v2/glossaries") == 1
    assert deepl_server.paths("GET").count("/v2/glossaries") == 1
    [glossary] = deepl_server.glossaries.values()
    assert glossary["entries"] == {"Kuroda": "黒田"}
    assert glossary["source_lang"] == "en" and glossary["target_lang"] == "ja"

    # A bot restarted with the same glossary finds it again instead of making a second one.
    deepl_server.reset()
    await provider(deepl_server).translate([comment(3, "Kuroda!")], context)
    assert deepl_server.paths("POST") == ["/v2/translate"]
    assert deepl_server.translate_calls()[0]["glossary_id"] == glossary["glossary_id"]


async def test_comments_of_unknown_language_are_detected_and_drafted_without_a_glossary(
    deepl_server,
):
    context = CONTEXT.model_copy(
        update={"glossary": (GlossaryEntry(source="Kuroda", target="黒田"),)}
    )
    drafts = await provider(deepl_server).translate(
        [comment(1, "Kuroda is cool."), comment(2, "Kuroda est cool.", language="")], context
    )
    assert {d.number for d in drafts} == {1, 2}
    calls = deepl_server.translate_calls()
    assert [c.get("source_lang") for c in calls] == ["EN", None]
    assert "glossary_id" in calls[0] and "glossary_id" not in calls[1]


@pytest.mark.parametrize(
    ("fault", "sentence"),
    [
        (Fault(403, {"message": "Forbidden"}), "DeepL refused the API key; check DEEPL_AUTH_KEY"),
        (Fault(401, {"message": "Unauthorized"}), "DeepL refused the API key"),
        (quota_exceeded(), "DeepL's quota is used up for now"),
        (too_many_requests(), "DeepL is getting too many requests; wait a minute"),
        (unavailable(), "DeepL is having trouble right now (error 503)"),
        (Fault(400, {"message": "Value for 'target_lang' not supported."}), "target_lang"),
    ],
)
async def test_each_fault_is_one_sentence(deepl_server, fault, sentence):
    deepl_server.fail(fault)
    with pytest.raises(AssistFailed) as failed:
        await provider(deepl_server).translate([comment(1, "Hello.")], CONTEXT)
    assert sentence in failed.value.message
    assert "\n" not in failed.value.message


async def test_a_wrong_key_is_refused_by_the_service(deepl_server):
    with pytest.raises(AssistFailed, match="refused the API key"):
        await provider(deepl_server, key="wrong:fx").translate([comment(1, "Hi.")], CONTEXT)


async def test_a_busy_service_is_retried_with_back_off(deepl_server):
    deepl_server.fail(too_many_requests())
    [draft] = await provider(deepl_server, retries=1).translate([comment(1, "Hi.")], CONTEXT)
    assert draft.text == "訳: Hi."
    assert deepl_server.paths("POST") == ["/v2/translate", "/v2/translate"]


async def test_a_slow_service_times_out(deepl_server):
    # The client waits at least until its first back-off deadline (about a second).
    deepl_server.fail(Fault(200, {}, delay=2.5))
    with pytest.raises(AssistFailed, match="did not answer in time"):
        await provider(deepl_server, timeout=0.2).translate([comment(1, "Hi.")], CONTEXT)


async def test_an_unreachable_service_names_its_address():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(AssistFailed, match=f"could not be reached at {url}"):
        await DeeplProvider(KEY, server_url=url, retries=0).translate([comment(1, "Hi.")], CONTEXT)


async def test_a_changed_glossary_replaces_the_teams_old_one_and_no_one_elses(deepl_server):
    mine = await owners_glossary(deepl_server, "My terms", "EN", {"Tokyo": "東京"})
    hannos = await owners_glossary(deepl_server, "hanno 0123456789abcdef", "EN", {"a": "b"})
    other_pair = await owners_glossary(deepl_server, "hanno fedcba9876543210", "DE", {"a": "b"})
    translator = provider(deepl_server)
    await translator.translate([comment(1, "Kuroda.")], team_context("T2", ("Kuroda", "黒田")))
    for entries in (
        [("Kuroda", "黒田")],
        [("Kuroda", "黒田大臣")],  # changed once
        [("Kuroda", "黒田大臣"), ("Sato", "佐藤")],  # and twice
    ):
        [draft] = await translator.translate(
            [comment(1, "Kuroda met Sato.")], team_context("T1", *entries)
        )
    assert draft.text == "訳: 黒田大臣 met 佐藤."
    left = {g["glossary_id"]: g for g in deepl_server.glossaries.values()}
    assert set(left) >= {mine, other_pair} and hannos not in left  # hanno's old naming
    teams = [g for g in left.values() if g["name"].startswith("hanno ") and "EN>JA" in g["name"]]
    assert [g["entries"] for g in teams] == [  # one for T2, one for T1
        {"Kuroda": "黒田"},
        {"Kuroda": "黒田大臣", "Sato": "佐藤"},
    ]
    assert len(left) == 4 and len(deepl_server.paths("DELETE")) == 3


async def test_a_replaced_glossary_already_gone_is_no_fault(deepl_server):
    translator = provider(deepl_server)
    await translator.translate([comment(1, "Kuroda.")], team_context("T1", ("Kuroda", "黒田")))
    [first] = deepl_server.glossaries
    deepl_server.fail(Fault(404, {"message": "Glossary not found"}, method="DELETE"))
    [draft] = await translator.translate(
        [comment(2, "Kuroda.")], team_context("T1", ("Kuroda", "黒田大臣"))
    )
    assert draft.text == "訳: 黒田大臣."
    assert deepl_server.paths("DELETE") == [f"/v2/glossaries/{first}"]


async def test_a_glossary_another_process_replaced_is_looked_up_again(deepl_server):
    one, two = provider(deepl_server), provider(deepl_server)  # two bot processes, one account
    before, after = (
        team_context("T1", ("Kuroda", "黒田")),
        team_context("T1", ("Kuroda", "黒田大臣")),
    )
    await one.translate([comment(1, "Kuroda.")], before)
    await two.translate([comment(2, "Kuroda.")], after)  # deletes the one `one` remembers
    [draft] = await one.translate([comment(3, "Kuroda.")], before)  # the change undone
    assert draft.text == "訳: 黒田."
    [glossary] = deepl_server.glossaries.values()
    assert glossary["entries"] == {"Kuroda": "黒田"}


async def test_an_emptied_glossary_takes_the_teams_deepl_glossaries_with_it(deepl_server):
    mine = await owners_glossary(deepl_server, "My terms", "EN", {"Tokyo": "東京"})
    translator = provider(deepl_server)
    await translator.translate([comment(1, "Kuroda.")], team_context("T1", ("Kuroda", "黒田")))
    await translator.translate(
        [comment(1, "Kuroda.", "de")], team_context("T1", ("Kuroda", "黒田"))
    )
    await translator.translate([comment(1, "Sato.")], team_context("T2", ("Sato", "佐藤")))
    [t2] = [i for i, g in deepl_server.glossaries.items() if g["entries"] == {"Sato": "佐藤"}]

    # T1 removed its last term: its next draft goes without a glossary, and DeepL keeps none
    # of T1's (either pair), but the owner's own and T2's stay.
    [draft] = await translator.translate([comment(2, "Kuroda.")], team_context("T1"))
    assert draft.text == "訳: Kuroda."
    assert "glossary_id" not in deepl_server.translate_calls()[-1]
    assert set(deepl_server.glossaries) == {mine, t2}

    # Once is enough: the next drafts of a team without a glossary ask DeepL nothing more.
    deepl_server.reset()
    await translator.translate([comment(3, "Kuroda.")], team_context("T1"))
    assert deepl_server.paths() == ["/v2/translate"]


async def test_an_emptied_glossary_is_cleared_by_a_restarted_bot_too(deepl_server):
    await provider(deepl_server).translate(
        [comment(1, "Kuroda.")], team_context("T1", ("Kuroda", "黒田"))
    )
    [draft] = await provider(deepl_server).translate([comment(2, "Kuroda.")], team_context("T1"))
    assert draft.text == "訳: Kuroda."
    assert deepl_server.glossaries == {}


@pytest.mark.parametrize(
    "fault",
    [
        Fault(404, {"message": "Glossary not found"}, method="DELETE"),
        Fault(500, {"message": "Internal error"}, method="DELETE"),
        Fault(500, {"message": "Internal error"}, method="GET"),
    ],
)
async def test_a_failed_clearing_never_blocks_the_draft(deepl_server, fault, caplog):
    translator = provider(deepl_server)
    await translator.translate([comment(1, "Kuroda.")], team_context("T1", ("Kuroda", "黒田")))
    deepl_server.fail(fault)
    [draft] = await translator.translate([comment(2, "Kuroda.")], team_context("T1"))
    assert draft.text == "訳: Kuroda."
    if fault.status == 404:  # gone already: as good as deleted, nothing to try again
        deepl_server.reset()
        await translator.translate([comment(3, "Kuroda.")], team_context("T1"))
        assert deepl_server.paths() == ["/v2/translate"]
    else:  # logged, and tried again at the next draft
        assert "not" in caplog.text and deepl_server.glossaries
        await translator.translate([comment(3, "Kuroda.")], team_context("T1"))
        assert deepl_server.glossaries == {}
