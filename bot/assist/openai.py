"""Machine drafts from an OpenAI-compatible chat model, through the official `openai` package.

The same code serves OpenAI, a company gateway, or a model run locally (Ollama, llama.cpp's
server, vLLM): only `base_url` and `model` differ. Several comments (at most 8) go in one call
as JSON, and the answer must be JSON of a fixed shape, checked with pydantic; anything else is
a fault, so nothing half-parsed is stored. The prompt carries what makes a 海外の反応
translation good: the story's lead, each commenter's persona emoji as their voice, タメ口 or
です/ます as the team writes, slang rendered naturally, and the glossary's names.

Retries with back-off (429, 5xx, timeouts, honouring Retry-After) are the client's own
(`max_retries`), as is the timeout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

import openai
from pydantic import BaseModel, Field, ValidationError

from bot.core.assist import (
    AssistFailed,
    DraftContext,
    DraftRequest,
    MachineDraft,
    Register,
)

NAME = "OpenAI-compatible"
MAX_BATCH = 8
LEAD_LIMIT = 2000
FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)

SPEECH = {
    Register.CASUAL: (
        "Write casual spoken Japanese (タメ口) as people talk online: never です/ます, "
        "sentence endings like だ, だよ, じゃん, よな, わ, ね."
    ),
    Register.POLITE: (
        "Write polite Japanese in です/ます form throughout, friendly rather than stiff."
    ),
}

SYSTEM = """You translate foreign readers' comments for a Japanese "海外の反応" (overseas reactions) article.
Translate each comment into natural {language} the way a Japanese editor of such a blog would.
{speech}
Each comment has a persona emoji standing for the commenter (age, gender, job) and may have
country flags. Let the wording fit that person: an old man 👴🏼 does not talk like a young man 👱🏻‍♂️
or a businesswoman 👩🏻‍💼.
Render slang, memes and jokes with natural Japanese equivalents instead of word for word.
Keep emoji. Do not add notes, explanations or quotes around the translation.
{glossary}
The article is about this story:
{story}

The user sends {{"glossary": [...], "comments": [{{"id", "persona", "flags", "language", "text"}}]}}.
Answer only with JSON: {{"translations": [{{"id": <the comment's id>, "text": "<translation>"}}]}},
one entry for every comment."""

ANSWER_SCHEMA = {
    "type": "object",
    "properties": {
        "translations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "text": {"type": "string"}},
                "required": ["id", "text"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["translations"],
    "additionalProperties": False,
}

LANGUAGES = {"ja": "Japanese", "en": "English", "ko": "Korean", "zh": "Chinese"}


class AnswerItem(BaseModel):
    id: int
    text: str = Field(min_length=1)


class Answer(BaseModel):
    translations: list[AnswerItem]


class OpenAIProvider:
    """`bot.core.assist.TranslationProvider` on any chat-completions server."""

    name = NAME

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str,
        model: str,
        batch_size: int = MAX_BATCH,
        concurrency: int = 2,
        temperature: float = 0.3,
        response_format: str = "json_schema",
        timeout: float = 60.0,
        retries: int = 2,
    ) -> None:
        self.model = model
        self.batch_size = max(1, min(batch_size, MAX_BATCH))
        self.concurrency = max(1, concurrency)
        self.temperature = temperature
        self.response_format = response_format
        self.base_url = base_url
        self.service = urlsplit(base_url).netloc or base_url
        # Local servers need no key, but the client insists on one.
        self._client = openai.AsyncOpenAI(
            api_key=api_key or "not-set",
            base_url=base_url,
            timeout=timeout,
            max_retries=retries,
        )

    async def close(self) -> None:
        await self._client.close()

    def messages(
        self, requests: Sequence[DraftRequest], context: DraftContext
    ) -> list[dict[str, str]]:
        """The chat for one call: the instructions, then the comments as JSON."""
        glossary = ""
        if context.glossary:
            lines = "\n".join(
                f"- {e.source} → {e.target}" + (f" ({e.note})" if e.note else "")
                for e in context.glossary
            )
            glossary = f"Always write these names and terms exactly as given:\n{lines}"
        story = "\n\n".join(p for p in (context.title, context.lead[:LEAD_LIMIT]) if p.strip())
        system = SYSTEM.format(
            language=LANGUAGES.get(context.target_language, context.target_language),
            speech=SPEECH[context.speech],
            glossary=glossary,
            story=story or "(no lead yet)",
        )
        payload = {
            "glossary": [{"source": e.source, "target": e.target} for e in context.glossary],
            "comments": [
                {
                    "id": r.number,
                    "persona": r.persona,
                    "flags": r.flags,
                    "language": r.language,
                    "text": r.text,
                }
                for r in requests
            ],
        }
        return [
            {"role": "system", "content": system},
            {"role": "user", "content": json.dumps(payload, ensure_ascii=False)},
        ]

    async def translate(
        self, requests: Sequence[DraftRequest], context: DraftContext
    ) -> list[MachineDraft]:
        if self.response_format == "json_schema":
            response_format: dict[str, object] = {
                "type": "json_schema",
                "json_schema": {"name": "translations", "strict": True, "schema": ANSWER_SCHEMA},
            }
        else:
            response_format = {"type": "json_object"}
        try:
            completion = await self._client.chat.completions.create(
                model=self.model,
                messages=self.messages(requests, context),  # type: ignore[arg-type]
                temperature=self.temperature,
                response_format=response_format,  # type: ignore[arg-type]
            )
        except openai.APITimeoutError:
            raise AssistFailed("assist.fault.timeout", service=self.service) from None
        except openai.APIConnectionError:
            raise AssistFailed(
                "assist.fault.unreachable", service=self.service, url=self.base_url
            ) from None
        except openai.AuthenticationError:
            raise AssistFailed(
                "assist.fault.auth", service=self.service, variable="OPENAI_API_KEY"
            ) from None
        except openai.RateLimitError as exc:
            if exc.code == "insufficient_quota":
                raise AssistFailed("assist.fault.quota", service=self.service) from None
            raise AssistFailed("assist.fault.rate_limited", service=self.service) from None
        except openai.APIStatusError as exc:
            if exc.status_code >= 500:
                raise AssistFailed(
                    "assist.fault.unavailable", service=self.service, status=exc.status_code
                ) from None
            if exc.status_code == 403:
                raise AssistFailed(
                    "assist.fault.auth", service=self.service, variable="OPENAI_API_KEY"
                ) from None
            raise AssistFailed(
                "assist.fault.refused",
                service=self.service,
                status=exc.status_code,
                detail=_message(exc),
            ) from None
        return self._drafts(completion, requests)

    def _drafts(self, completion: object, requests: Sequence[DraftRequest]) -> list[MachineDraft]:
        """The answer's drafts, one per requested comment, or a fault naming the model."""
        malformed = AssistFailed("assist.fault.malformed", service=self.service, model=self.model)
        choices = getattr(completion, "choices", None) or []
        if not choices or choices[0].finish_reason == "length":
            raise malformed
        content = choices[0].message.content or ""
        fenced = FENCE.match(content)
        if fenced:
            content = fenced.group(1)
        try:
            answer = Answer.model_validate_json(content)
        except ValidationError:
            raise malformed from None
        texts = {item.id: item.text.strip() for item in answer.translations}
        wanted = [r.number for r in requests]
        if any(not texts.get(number) for number in wanted):
            raise malformed
        return [MachineDraft(number=number, text=texts[number]) for number in wanted]


def _message(exc: openai.APIStatusError) -> str:
    """The server's own words for a refusal (the client has unwrapped its error object)."""
    message = exc.body.get("message") if isinstance(exc.body, dict) else None
    return str(message or exc.message)[:120]
