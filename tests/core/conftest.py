"""These tests run on every store: SQLite and a real PostgreSQL server (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import any_store


@pytest.fixture
async def store(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> AsyncIterator[Any]:
    async with any_store(request, backend, tmp_path) as opened:
        yield opened
