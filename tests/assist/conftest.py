"""The fake DeepL and model servers, one of each per test module."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.fakes.deepl_fake import DeeplFake
from tests.fakes.openai_fake import OpenAIFake


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def deepl_server() -> AsyncIterator[DeeplFake]:
    async with DeeplFake() as fake:
        yield fake


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def model_server() -> AsyncIterator[OpenAIFake]:
    async with OpenAIFake() as fake:
        yield fake
