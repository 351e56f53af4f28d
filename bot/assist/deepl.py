"""Machine drafts from DeepL, through the official `deepl` package.

One request carries up to 50 comments (DeepL's limit per request, and under its 128 KiB body
limit); comments of one source language share a request, since a glossary is bound to a
language pair. The team glossary becomes a DeepL glossary, named by a digest of its entries so
that an unchanged glossary is found again instead of created twice; the article's lead goes as
DeepL's `context` (not translated, not billed), and the team's register as `formality`.

The `deepl` client is synchronous (requests), so each call runs in a worker thread. Its retry
with back-off on 429 and 5xx, and its timeout, are module settings of `deepl.http_client`,
set from `[assist]` when the provider is made.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
from collections.abc import Sequence
from typing import Any

import deepl
import requests

from bot.core.assist import (
    AssistFailed,
    DraftContext,
    DraftRequest,
    GlossaryEntry,
    MachineDraft,
    Register,
)

log = logging.getLogger(__name__)

MAX_TEXTS = 50
MAX_BODY = 100_000  # bytes of text per request, under DeepL's 128 KiB with room for the rest
SERVICE = "DeepL"
FORMALITY = {Register.CASUAL: "prefer_less", Register.POLITE: "prefer_more"}
# DeepL wants a regional variant for these targets.
TARGETS = {"EN": "EN-US", "PT": "PT-BR", "ZH": "ZH-HANS"}


class DeeplProvider:
    """`bot.core.assist.TranslationProvider` on DeepL's text translation API."""

    name = SERVICE
    model = ""
    batch_size = MAX_TEXTS
    concurrency = 1

    def __init__(
        self,
        auth_key: str,
        *,
        server_url: str | None = None,
        formality: str | None = None,
        timeout: float = 30.0,
        retries: int = 2,
    ) -> None:
        deepl.http_client.max_network_retries = retries
        deepl.http_client.min_connection_timeout = timeout
        self.server_url = server_url
        self.formality = formality
        self._translator = deepl.Translator(
            auth_key, server_url=server_url, send_platform_info=False
        )
        self._translator.set_app_info("hanno", "0.1")
        self._glossaries: dict[str, str] = {}
        self._lock = threading.Lock()

    async def close(self) -> None:
        self._translator.close()

    async def translate(
        self, requests: Sequence[DraftRequest], context: DraftContext
    ) -> list[MachineDraft]:
        return await asyncio.to_thread(self._translate, list(requests), context)

    # in the worker thread ----------------------------------------------------------------------

    def _translate(self, items: list[DraftRequest], context: DraftContext) -> list[MachineDraft]:
        target = _target(context.target_language)
        by_language: dict[str, list[DraftRequest]] = {}
        for item in items:
            by_language.setdefault(_source(item.language), []).append(item)
        drafts: list[MachineDraft] = []
        for source, group in by_language.items():
            glossary = self._glossary(source, target, context.glossary) if source else None
            for batch in _batches(group):
                results = self._call(
                    self._translator.translate_text,
                    [item.text for item in batch],
                    source_lang=source or None,
                    target_lang=target,
                    formality=self.formality or FORMALITY[context.speech],
                    glossary=glossary,
                    context=_context(context),
                )
                drafts.extend(
                    MachineDraft(number=item.number, text=result.text)
                    for item, result in zip(batch, results, strict=True)
                )
        return drafts

    def _glossary(self, source: str, target: str, entries: Sequence[GlossaryEntry]) -> str | None:
        """The id of a DeepL glossary holding `entries` for source → target, made if needed."""
        wanted = {e.source.strip(): e.target.strip() for e in entries if e.source.strip()}
        if not wanted:
            return None
        base = target.split("-")[0]
        name = "hanno " + _digest(source, base, wanted)
        with self._lock:
            if name in self._glossaries:
                return self._glossaries[name]
            found = next(
                (
                    g
                    for g in self._call(self._translator.list_glossaries)
                    if g.name == name and g.ready
                ),
                None,
            )
            if found is None:
                try:
                    found = self._call(self._translator.create_glossary, name, source, base, wanted)
                except AssistFailed as exc:
                    if exc.params.get("status") != 400:
                        raise
                    # DeepL has no glossaries for this language pair: draft without one.
                    log.warning("DeepL refused a %s→%s glossary: %s", source, base, exc)
                    return None
            self._glossaries[name] = found.glossary_id
            return found.glossary_id

    def _call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """Call the client, turning its exceptions into one sentence for the user."""
        try:
            return function(*args, **kwargs)
        except deepl.QuotaExceededException:
            raise AssistFailed("assist.fault.quota", service=SERVICE) from None
        except deepl.AuthorizationException:
            raise AssistFailed(
                "assist.fault.auth", service=SERVICE, variable="DEEPL_AUTH_KEY"
            ) from None
        except deepl.TooManyRequestsException:
            raise AssistFailed("assist.fault.rate_limited", service=SERVICE) from None
        except deepl.ConnectionException as exc:
            if isinstance(exc.__cause__, requests.exceptions.Timeout):
                raise AssistFailed("assist.fault.timeout", service=SERVICE) from None
            raise AssistFailed(
                "assist.fault.unreachable", service=SERVICE, url=self.server_url or "DeepL"
            ) from None
        except deepl.DeepLException as exc:
            status = exc.http_status_code or 0
            if status == 401:
                raise AssistFailed(
                    "assist.fault.auth", service=SERVICE, variable="DEEPL_AUTH_KEY"
                ) from None
            if status >= 500:
                raise AssistFailed(
                    "assist.fault.unavailable", service=SERVICE, status=status
                ) from None
            raise AssistFailed(
                "assist.fault.refused", service=SERVICE, status=status, detail=_detail(exc)
            ) from None
        except ValueError as exc:
            raise AssistFailed(
                "assist.fault.refused", service=SERVICE, status=0, detail=str(exc)[:120]
            ) from None


def _source(language: str) -> str:
    """DeepL's source code for a comment's language tag ('en-US' → 'EN'); '' lets it detect."""
    return language.strip().split("-")[0].split("_")[0].upper()


def _target(language: str) -> str:
    code = language.strip().upper().replace("_", "-") or "JA"
    return TARGETS.get(code, code)


def _context(context: DraftContext) -> str | None:
    text = "\n\n".join(part for part in (context.title, context.lead) if part.strip())
    return text[:4000] or None


def _digest(source: str, target: str, entries: dict[str, str]) -> str:
    lines = "\n".join(f"{s}\t{t}" for s, t in sorted(entries.items()))
    return hashlib.sha256(f"{source}>{target}\n{lines}".encode()).hexdigest()[:16]


def _batches(items: list[DraftRequest]) -> list[list[DraftRequest]]:
    """At most 50 texts and about 100 kB of text per request."""
    batches: list[list[DraftRequest]] = [[]]
    size = 0
    for item in items:
        length = len(item.text.encode())
        if batches[-1] and (len(batches[-1]) >= MAX_TEXTS or size + length > MAX_BODY):
            batches.append([])
            size = 0
        batches[-1].append(item)
        size += length
    return [batch for batch in batches if batch]


def _detail(exc: Exception) -> str:
    text = str(exc)
    marker = "message: "
    if marker in text:
        text = text.split(marker, 1)[1]
    return text.strip()[:120]
