"""A fake DeepL API (v2) on 127.0.0.1 for the real `deepl` client.

It answers `/v2/translate` and `/v2/glossaries` in DeepL's documented JSON shapes and status
codes: 403 for a wrong key, 456 when the quota is used up, 429 under load, 400 for what DeepL
refuses (more than 50 texts, an unknown glossary), 5xx when it is down. Its "translation" is a
small phrasebook of our own, else the text marked `訳:`; a glossary's entries replace their
source terms, so a test can see the glossary was applied.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.fakes.local_service import Fault, LocalService, fake_translation

KEY = "fake-deepl-key:fx"
MAX_TEXTS = 50


def quota_exceeded() -> Fault:
    return Fault(456, {"message": "Quota Exceeded"})


def too_many_requests() -> Fault:
    return Fault(429, {"message": "Too many requests"})


def unavailable() -> Fault:
    return Fault(503, {"message": "Service unavailable"})


class DeeplFake(LocalService):
    def __init__(self, *, latency: float = 0.0, key: str = KEY) -> None:
        super().__init__(latency=latency)
        self.key = key
        self.glossaries: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v2/translate", self._translate)
        app.router.add_get("/v2/glossaries", self._list_glossaries)
        app.router.add_post("/v2/glossaries", self._create_glossary)
        app.router.add_get("/v2/glossaries/{id}", self._get_glossary)
        app.router.add_delete("/v2/glossaries/{id}", self._delete_glossary)
        app.router.add_get("/v2/glossaries/{id}/entries", self._entries)

    def translate_calls(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests if r.path == "/v2/translate"]

    async def _begin(self, request: web.Request) -> tuple[dict[str, Any], web.Response | None]:
        seen, fault = await self.record(request)
        if fault is not None:
            return seen.body, self.answer(fault)
        if request.headers.get("Authorization") != f"DeepL-Auth-Key {self.key}":
            return seen.body, web.json_response({"message": "Forbidden"}, status=403)
        return seen.body, None

    async def _translate(self, request: web.Request) -> web.Response:
        body, refused = await self._begin(request)
        if refused is not None:
            return refused
        texts = body.get("text")
        if isinstance(texts, str):
            texts = [texts]
        if not texts or not body.get("target_lang"):
            return web.json_response({"message": "Parameter 'text' not specified."}, status=400)
        if len(texts) > MAX_TEXTS:
            return web.json_response({"message": "Too many texts in request."}, status=400)
        entries: dict[str, str] = {}
        if body.get("glossary_id"):
            glossary = self.glossaries.get(body["glossary_id"])
            if glossary is None:
                return web.json_response({"message": "Invalid glossary_id."}, status=400)
            if glossary["source_lang"].upper() != str(body.get("source_lang", "")).upper():
                return web.json_response(
                    {"message": "Glossary does not match the language pair."}, status=400
                )
            entries = glossary["entries"]
        source = str(body.get("source_lang") or "EN").upper()
        return web.json_response(
            {
                "translations": [
                    {
                        "detected_source_language": source,
                        "text": fake_translation(text, entries),
                        "billed_characters": len(text),
                    }
                    for text in texts
                ]
            }
        )

    def _info(self, glossary: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in glossary.items() if k != "entries"}

    async def _list_glossaries(self, request: web.Request) -> web.Response:
        _, refused = await self._begin(request)
        if refused is not None:
            return refused
        return web.json_response({"glossaries": [self._info(g) for g in self.glossaries.values()]})

    async def _create_glossary(self, request: web.Request) -> web.Response:
        body, refused = await self._begin(request)
        if refused is not None:
            return refused
        if body.get("entries_format") != "tsv" or not body.get("name"):
            return web.json_response({"message": "Invalid glossary."}, status=400)
        entries = dict(
            line.split("\t", 1) for line in str(body.get("entries", "")).splitlines() if line
        )
        glossary_id = f"gl-{next(self._ids):04d}"
        self.glossaries[glossary_id] = {
            "glossary_id": glossary_id,
            "name": body["name"],
            "ready": True,
            "source_lang": str(body["source_lang"]).lower(),
            "target_lang": str(body["target_lang"]).lower(),
            "creation_time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "entry_count": len(entries),
            "entries": entries,
        }
        return web.json_response(self._info(self.glossaries[glossary_id]), status=201)

    async def _one_glossary(
        self, request: web.Request
    ) -> tuple[dict[str, Any] | None, web.Response | None]:
        """The glossary the path names, or the refusal to answer with instead."""
        _, refused = await self._begin(request)
        if refused is not None:
            return None, refused
        glossary = self.glossaries.get(request.match_info["id"])
        if glossary is None:
            return None, web.json_response({"message": "Glossary not found"}, status=404)
        return glossary, None

    async def _get_glossary(self, request: web.Request) -> web.Response:
        glossary, refused = await self._one_glossary(request)
        return refused or web.json_response(self._info(glossary or {}))

    async def _delete_glossary(self, request: web.Request) -> web.Response:
        glossary, refused = await self._one_glossary(request)
        if refused is not None or glossary is None:
            return refused or web.Response(status=500)
        del self.glossaries[glossary["glossary_id"]]
        return web.Response(status=204)

    async def _entries(self, request: web.Request) -> web.Response:
        glossary, refused = await self._one_glossary(request)
        if refused is not None or glossary is None:
            return refused or web.Response(status=500)
        tsv = "\n".join(f"{s}\t{t}" for s, t in glossary["entries"].items())
        return web.Response(text=tsv, content_type="text/tab-separated-values")
