"""One fake of every site for a whole test module, and a registry pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.config import SourcesConfig
from bot.sources import Credentials, SourceRegistry
from bot.sources.language import Detector
from tests.fakes.sources_fake import (
    CLIENT_ID,
    CLIENT_SECRET,
    X_TOKEN,
    YOUTUBE_KEY,
    SourcesFake,
)

CREDENTIALS = Credentials(
    reddit_client_id=CLIENT_ID,
    reddit_client_secret=CLIENT_SECRET,
    x_bearer_token=X_TOKEN,
    youtube_api_key=YOUTUBE_KEY,
)
# A small set keeps the detector quick to build; it is built once per process.
DETECTOR = Detector(["en", "fr", "de", "es", "ja", "ko"])


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def sites() -> AsyncIterator[SourcesFake]:
    fake = await SourcesFake().start()
    yield fake
    await fake.stop()


@pytest.fixture
def fake(sites: SourcesFake) -> SourcesFake:
    sites.clear()
    return sites


def registry_for(
    fake: SourcesFake, credentials: Credentials = CREDENTIALS, **overrides: object
) -> SourceRegistry:
    config = SourcesConfig(**fake.config(max_retry_wait=2.0, **overrides))
    return SourceRegistry(config, credentials, DETECTOR)
