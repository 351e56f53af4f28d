"""The OpenAI-compatible provider with the real `openai` client against the local fake."""

from __future__ import annotations

import json

import pytest

from bot.assist.openai import OpenAIProvider
from bot.core.assist import AssistFailed, DraftContext, DraftRequest, GlossaryEntry, Register
from tests.fakes.local_service import Fault
from tests.fakes.openai_fake import (
    KEY,
    OpenAIFake,
    error,
    misbehaving,
    quota_exceeded,
    rate_limited,
    slow,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

LEAD = "駅員さんが、落とし物のスケッチブックを届けるために20km自転車をこいだ話。"
CONTEXT = DraftContext(
    title="Lost sketchbook",
    lead=LEAD,
    glossary=(GlossaryEntry(source="Kuroda", target="黒田", note="the station clerk"),),
)


def provider(server: OpenAIFake, *, retries: int = 0, key: str | None = KEY, **kwargs):
    return OpenAIProvider(
        api_key=key, base_url=f"{server.url}/v1", model="local-llm", retries=retries, **kwargs
    )


def comments(count: int) -> list[DraftRequest]:
    personas = ["👴🏼", "👱🏻‍♂️", "👩🏻‍💼"]
    return [
        DraftRequest(
            number=n, text=f"Kuroda is a legend {n}.", language="en", persona=personas[n % 3]
        )
        for n in range(1, count + 1)
    ]


@pytest.fixture(autouse=True)
def _fresh(model_server: OpenAIFake) -> None:
    model_server.reset()


async def test_eight_comments_in_one_call_with_lead_voices_and_glossary(model_server):
    drafts = await provider(model_server).translate(comments(8), CONTEXT)
    assert [d.number for d in drafts] == list(range(1, 9))
    assert drafts[0].text == "訳: 黒田 is a legend 1."
    [call] = model_server.completion_calls()
    assert call["model"] == "local-llm"
    assert call["response_format"]["type"] == "json_schema"
    system, user = call["messages"]
    assert LEAD in system["content"]
    assert "タメ口" in system["content"]
    assert "Kuroda → 黒田 (the station clerk)" in system["content"]
    sent = json.loads(user["content"])
    assert [c["persona"] for c in sent["comments"][:3]] == ["👱🏻‍♂️", "👩🏻‍💼", "👴🏼"]
    assert sent["glossary"] == [{"source": "Kuroda", "target": "黒田"}]


async def test_polite_teams_ask_for_desu_masu(model_server):
    polite = CONTEXT.model_copy(update={"speech": Register.POLITE})
    await provider(model_server, response_format="json_object").translate(comments(1), polite)
    [call] = model_server.completion_calls()
    assert "です/ます form" in call["messages"][0]["content"]
    assert call["response_format"] == {"type": "json_object"}


async def test_an_answer_in_a_markdown_fence_is_accepted(model_server):
    model_server.fail(misbehaving("fenced"))
    drafts = await provider(model_server).translate(comments(2), CONTEXT)
    assert [d.number for d in drafts] == [1, 2]


@pytest.mark.parametrize("kind", ["prose", "missing", "length", "shape"])
async def test_a_malformed_answer_is_one_sentence(model_server, kind):
    model_server.fail(misbehaving(kind))
    with pytest.raises(AssistFailed) as failed:
        await provider(model_server).translate(comments(3), CONTEXT)
    assert failed.value.message == (
        f"The model local-llm at 127.0.0.1:{model_server.port} did not answer with the "
        "translations in the expected form; try again, or configure another model."
    )


@pytest.mark.parametrize(
    ("fault", "sentence"),
    [
        (
            error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
            "refused the API key; check OPENAI_API_KEY",
        ),
        (error(403, "Country not supported.", "permission_error"), "refused the API key"),
        (quota_exceeded(), "quota is used up for now"),
        (rate_limited(), "is getting too many requests"),
        (error(500, "The server had an error.", "server_error"), "(error 500)"),
        (
            error(404, "The model `local-llm` does not exist.", "invalid_request_error"),
            "refused the request (error 404: The model `local-llm` does not exist.)",
        ),
    ],
)
async def test_each_fault_is_one_sentence(model_server, fault, sentence):
    model_server.fail(fault)
    with pytest.raises(AssistFailed) as failed:
        await provider(model_server).translate(comments(1), CONTEXT)
    assert sentence in failed.value.message


async def test_a_wrong_key_is_refused(model_server):
    with pytest.raises(AssistFailed, match="refused the API key"):
        await provider(model_server, key="sk-wrong").translate(comments(1), CONTEXT)


async def test_rate_limits_and_server_errors_are_retried(model_server):
    model_server.fail(rate_limited())
    overloaded = {"error": {"message": "overloaded", "type": "server_error"}}
    model_server.fail(Fault(503, overloaded, headers={"retry-after-ms": "10"}))
    drafts = await provider(model_server, retries=2).translate(comments(2), CONTEXT)
    assert len(drafts) == 2
    assert len(model_server.completion_calls()) == 3


async def test_a_slow_model_times_out(model_server):
    model_server.fail(slow(2.0))
    with pytest.raises(AssistFailed, match="did not answer in time"):
        await provider(model_server, timeout=0.3).translate(comments(1), CONTEXT)


async def test_a_local_server_needs_no_key():
    async with OpenAIFake(key=None) as server:
        drafts = await provider(server, key=None).translate(comments(1), CONTEXT)
    assert drafts[0].text.startswith("訳:")
