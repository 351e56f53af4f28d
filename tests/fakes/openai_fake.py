"""A fake OpenAI-compatible chat-completions server on 127.0.0.1 for the real `openai` client.

`POST /v1/chat/completions` answers in the API's shape (`chat.completion`, `choices`, `usage`)
and its error objects (`{"error": {"message", "type", "param", "code"}}`). The "model" reads
the comments hanno sends as JSON and answers with the JSON hanno asks for, built from the
shared phrasebook with the glossary applied. Faults are scripted like the other fakes; a
fault's `kind` makes a *successful* answer go wrong the way models do: prose instead of JSON
("prose"), a comment left out ("missing"), a cut-off answer ("length"), another shape
("shape"), or JSON in a Markdown fence ("fenced", which hanno accepts).
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from aiohttp import web

from tests.fakes.local_service import Fault, LocalService, fake_translation

KEY = "sk-fake-openai-key"


def error(status: int, message: str, kind: str, code: str | None = None) -> Fault:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return Fault(status, body, headers={"retry-after-ms": "10"} if status == 429 else {})


def rate_limited() -> Fault:
    return error(429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded")


def quota_exceeded() -> Fault:
    return error(
        429, "You exceeded your current quota.", "insufficient_quota", "insufficient_quota"
    )


def misbehaving(kind: str) -> Fault:
    return Fault(200, kind=kind)


class OpenAIFake(LocalService):
    def __init__(self, *, latency: float = 0.0, key: str | None = KEY) -> None:
        super().__init__(latency=latency)
        self.key = key
        self._ids = itertools.count(1)

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v1/chat/completions", self._completions)

    def completion_calls(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests if r.path == "/v1/chat/completions"]

    async def _completions(self, request: web.Request) -> web.Response:
        seen, fault = await self.record(request)
        if fault is not None and not fault.kind:
            return self.answer(fault)
        if self.key is not None and request.headers.get("Authorization") != f"Bearer {self.key}":
            return self.answer(
                error(
                    401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"
                )
            )
        body = seen.body
        try:
            payload = json.loads(body["messages"][-1]["content"])
            comments = payload["comments"]
            glossary = {g["source"]: g["target"] for g in payload.get("glossary", [])}
        except (KeyError, IndexError, TypeError, ValueError):
            return self.answer(error(400, "Could not read the messages.", "invalid_request_error"))
        answer = {
            "translations": [
                {"id": c["id"], "text": fake_translation(c["text"], glossary)} for c in comments
            ]
        }
        kind = fault.kind if fault is not None else ""
        content, finish = self._content(answer, kind)
        return web.json_response(
            {
                "id": f"chatcmpl-{next(self._ids)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", ""),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content, "refusal": None},
                        "logprobs": None,
                        "finish_reason": finish,
                    }
                ],
                "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
            }
        )

    @staticmethod
    def _content(answer: dict[str, Any], kind: str) -> tuple[str, str]:
        text = json.dumps(answer, ensure_ascii=False)
        if kind == "prose":
            return "Sure! Here are the translations you asked for.", "stop"
        if kind == "missing":
            answer = {"translations": answer["translations"][:-1]}
            return json.dumps(answer, ensure_ascii=False), "stop"
        if kind == "length":
            return text[: len(text) // 2], "length"
        if kind == "shape":
            return json.dumps({"result": [t["text"] for t in answer["translations"]]}), "stop"
        if kind == "fenced":
            return f"```json\n{text}\n```", "stop"
        return text, "stop"


def slow(seconds: float) -> Fault:
    """A correct answer that takes `seconds` (a timeout, for a client that waits less)."""
    return Fault(200, kind="ok", delay=seconds)
