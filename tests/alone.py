"""Tests that time what a user waits for run with no other test of the suite beside them.

The suite runs in parallel (pytest-xdist, see pyproject's addopts), and its workers share the
machine's cores. A test marked `alone` asserts a wait a user would see (each of 300 clicks
acknowledged within Discord's or Slack's 3 seconds), so while it runs no other test may: every
test holds a lock shared, an `alone` test holds it exclusively. The `alone` tests are collected
first, so they run at the start one after another while the other workers wait, and the worker
that ran one keeps the lock until its next test, so consecutive `alone` tests run back to back.
(They are also one xdist group; pytest-xdist 3.8's `loadgroup` no longer groups on pytest 9.2,
pytest-xdist#1386, and the order above does not depend on it.)

The lock is two files in the folder the workers share (the run's base temp folder): a waiting
`alone` test holds the gate, so no other test starts, and takes the room once the tests still
running have left it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

GROUP = "alone"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "alone: times what a user waits for; no other test of the suite runs beside it",
    )


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups into the test ids
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`alone` tests first (every worker collects the same order, as xdist requires)."""
    for item in items:
        if item.get_closest_marker("alone"):
            item.add_marker(pytest.mark.xdist_group(GROUP))
    items.sort(key=lambda item: item.get_closest_marker("alone") is None)


class SuiteLock:
    """Shared for ordinary tests, exclusive for `alone` ones, across the xdist workers."""

    def __init__(self, folder: Path) -> None:
        self._gate: IO[str] = (folder / "alone.gate").open("a")
        self._room: IO[str] = (folder / "alone.room").open("a")
        self._alone = False

    def share(self) -> None:
        """Enter beside the other ordinary tests, once no `alone` test waits or runs."""
        self._leave_alone()
        fcntl.flock(self._gate, fcntl.LOCK_SH)
        fcntl.flock(self._room, fcntl.LOCK_SH)
        fcntl.flock(self._gate, fcntl.LOCK_UN)

    def unshare(self) -> None:
        fcntl.flock(self._room, fcntl.LOCK_UN)

    def enter_alone(self) -> None:
        """Wait until every other worker's running test has ended; kept for the next `alone`."""
        if self._alone:
            return
        fcntl.flock(self._gate, fcntl.LOCK_EX)
        fcntl.flock(self._room, fcntl.LOCK_EX)
        self._alone = True

    def _leave_alone(self) -> None:
        if self._alone:
            fcntl.flock(self._room, fcntl.LOCK_UN)
            fcntl.flock(self._gate, fcntl.LOCK_UN)
            self._alone = False

    def close(self) -> None:
        self._leave_alone()
        self._gate.close()
        self._room.close()


@pytest.fixture(scope="session")
def _suite_lock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SuiteLock | None]:
    """The lock when the suite runs on several workers; None in a single process."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield None
        return
    lock = SuiteLock(tmp_path_factory.getbasetemp().parent)
    yield lock
    lock.close()


@pytest.fixture(autouse=True)
def _alone_or_together(
    request: pytest.FixtureRequest, _suite_lock: SuiteLock | None
) -> Iterator[None]:
    if _suite_lock is None:
        yield
    elif request.node.get_closest_marker("alone"):
        _suite_lock.enter_alone()
        yield
    else:
        _suite_lock.share()
        try:
            yield
        finally:
            _suite_lock.unshare()
