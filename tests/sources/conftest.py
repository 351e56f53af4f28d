"""The sites' fake for a whole test module (the `sites` fixture of tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.fakes.sources_fake import SourcesFake


@pytest.fixture
def fake(site_fake: SourcesFake) -> SourcesFake:
    return site_fake
