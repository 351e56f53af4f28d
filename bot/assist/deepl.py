"""Machine drafts from DeepL, through the official `deepl` package.

One request carries up to 50 comments (DeepL's limit per request, and under its 128 KiB body
limit); comments of one source language share a request, since a glossary is bound to a
language pair. The team glossary becomes a DeepL glossary, named for the team, the pair and a
digest of its entries (`hanno <team> EN>JA <digest>`) so that an unchanged glossary is found
again instead of created twice; once a changed glossary is in place, the team's earlier ones
for the pair are deleted (DeepL limits glossaries per account), and only those: a glossary
named otherwise is the account owner's own and is left alone. A team whose glossary is empty
makes none, so nothing would retire its last one: its first draft in a process then deletes
the team's glossaries (of every pair, as none has entries now). The article's lead goes as
DeepL's `context` (not translated, not billed), and the team's register as `formality`.

The `deepl` client is synchronous (requests), so each call runs in a worker thread. Its retry
with back-off on 429 and 5xx, and its timeout, are module settings of `deepl.http_client`,
set from `[assist]` when the provider is made.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
from collections.abc import Sequence
from typing import Any

import deepl
import requests

from bot.core.assist import (
    AssistFailed,
    DraftContext,
    DraftRequest,
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
# How hanno named its glossaries before they carried the team: superseded by any of today's.
LEGACY_NAME = re.compile(r"hanno [0-9a-f]{16}")


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
        self._cleared: set[str] = set()  # tags of teams with no glossary left on DeepL
        self._lock = threading.RLock()  # _forget takes it, inside _glossary or not

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
            glossary = self._glossary(source, target, context) if source else None
            for batch in _batches(group):
                try:
                    results = self._drafts(batch, source, target, glossary, context)
                except AssistFailed as exc:
                    if glossary is None or exc.params.get("status") not in (400, 404):
                        raise
                    # Another bot process may have replaced the glossary this one remembers
                    # (the team's changed, then changed back): look it up afresh, once.
                    self._forget(glossary)
                    glossary = self._glossary(source, target, context)
                    results = self._drafts(batch, source, target, glossary, context)
                drafts.extend(
                    MachineDraft(number=item.number, text=result.text)
                    for item, result in zip(batch, results, strict=True)
                )
        if not _entries(context):  # after the drafts: a fault in them is the one to tell
            self._clear(context.team)
        return drafts

    def _drafts(
        self,
        batch: list[DraftRequest],
        source: str,
        target: str,
        glossary: str | None,
        context: DraftContext,
    ) -> list[Any]:
        return self._call(
            self._translator.translate_text,
            [item.text for item in batch],
            source_lang=source or None,
            target_lang=target,
            formality=self.formality or FORMALITY[context.speech],
            glossary=glossary,
            context=_context(context),
        )

    def _glossary(self, source: str, target: str, context: DraftContext) -> str | None:
        """The id of a DeepL glossary holding the team's entries for source → target, made
        if needed; the team's earlier glossaries for the pair are deleted once it is there."""
        wanted = _entries(context)
        if not wanted:
            return None
        base = target.split("-")[0]
        tag = _team_tag(context.team)
        family = f"hanno {tag} {source}>{base} "
        name = family + _digest(source, base, wanted)
        with self._lock:
            if name in self._glossaries:
                return self._glossaries[name]
            listed = self._call(self._translator.list_glossaries)
            found = next((g for g in listed if g.name == name and g.ready), None)
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
            self._cleared.discard(tag)
            for old in listed:
                if old.glossary_id != found.glossary_id and _superseded(old, family, source, base):
                    self._delete(old.glossary_id)
            return found.glossary_id

    def _clear(self, team: str) -> None:
        """Delete the glossaries hanno made for a team whose glossary is now empty. Done once
        per team and process while it stays empty; a failure is logged and tried again at the
        team's next draft, never raised (the drafts matter more)."""
        tag = _team_tag(team)
        with self._lock:
            if tag in self._cleared:
                return
            try:
                listed = self._call(self._translator.list_glossaries)
            except AssistFailed as exc:
                log.warning("DeepL glossaries of team %s not listed: %s", tag, exc.message)
                return
            team_name = re.compile(rf"hanno {tag} [A-Z]+>[A-Z]+ [0-9a-f]{{16}}")
            deleted = [self._delete(g.glossary_id) for g in listed if team_name.fullmatch(g.name)]
            if all(deleted):
                self._cleared.add(tag)

    def _delete(self, glossary_id: str) -> bool:
        """Delete a glossary hanno no longer uses, and say whether it is gone: one already gone
        is as good, and a failure only leaves it for later (the drafts matter more)."""
        self._forget(glossary_id)
        try:
            self._translator.delete_glossary(glossary_id)
        except deepl.GlossaryNotFoundException:
            pass
        except deepl.DeepLException as exc:
            log.warning("DeepL glossary %s not deleted: %s", glossary_id, exc)
            return False
        return True

    def _forget(self, glossary_id: str) -> None:
        with self._lock:
            for name in [n for n, i in self._glossaries.items() if i == glossary_id]:
                del self._glossaries[name]

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


def _entries(context: DraftContext) -> dict[str, str]:
    """The team glossary as DeepL takes it: source term → target term, blank terms left out."""
    return {e.source.strip(): e.target.strip() for e in context.glossary if e.source.strip()}


def _team_tag(team: str) -> str:
    """A short tag that stands for the team (its id may be long or hold any character)."""
    return hashlib.sha256(team.encode()).hexdigest()[:8]


def _superseded(glossary: Any, family: str, source: str, target: str) -> bool:
    """Whether `glossary` is an earlier one of hanno's for this team and pair (or one named
    the way hanno named them before they carried the team)."""
    if glossary.name.startswith(family):
        return True
    pair = (str(glossary.source_lang).upper(), str(glossary.target_lang).upper())
    return bool(LEGACY_NAME.fullmatch(glossary.name)) and pair == (source, target)


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
