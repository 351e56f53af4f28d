"""Machine translation services and the Japanese tokenizer, behind the core's interfaces.

One module per service (`deepl`, `openai`); `provider_for` builds the one `[assist]` names,
or None when none is configured (the core then says how to configure one).
"""

from __future__ import annotations

from bot.assist.deepl import DeeplProvider
from bot.assist.openai import OpenAIProvider
from bot.assist.tokenizer import japanese_tokenizer
from bot.config import AssistConfig, Settings
from bot.core.assist import Register
from bot.core.style import StyleChecker, StyleSettings

ClosableProvider = DeeplProvider | OpenAIProvider


def provider_for(settings: Settings) -> ClosableProvider | None:
    config = settings.assist
    if config.provider == "deepl":
        if settings.deepl_auth_key is None:
            return None
        return DeeplProvider(
            settings.deepl_auth_key.get_secret_value(),
            server_url=config.deepl.server_url,
            formality=config.deepl.formality,
            timeout=config.timeout,
            retries=config.retries,
        )
    if config.provider == "openai":
        key = settings.openai_api_key
        return OpenAIProvider(
            api_key=key.get_secret_value() if key is not None else None,
            base_url=config.openai.base_url,
            model=config.openai.model,
            batch_size=config.openai.batch_size,
            concurrency=config.openai.concurrency,
            temperature=config.openai.temperature,
            response_format=config.openai.response_format,
            timeout=config.timeout,
            retries=config.retries,
        )
    return None


def style_checker(settings: Settings) -> StyleChecker:
    """The style checks with the Japanese tokenizer and the team's settings from `[assist]`."""
    return StyleChecker(japanese_tokenizer(), style_settings(settings.assist))


def style_settings(config: AssistConfig) -> StyleSettings:
    """The style checks' expectations from `[assist]` (`speech = "article"` follows the draft)."""
    return StyleSettings(
        speech=None if config.speech == "article" else Register(config.speech),
        min_ratio=config.style.min_ratio,
        max_ratio=config.style.max_ratio,
        min_original=config.style.min_original,
        latin_run_words=config.style.latin_run_words,
    )
