"""Shared fixtures: a real service on a real SQLite file (and, where a test asks for every
store, on a real PostgreSQL server started for the session), and people with roles."""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import sqlite3
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from bot.core.events import RecordingNotifier
from bot.core.models import Actor
from bot.core.policy import RolePolicy
from bot.core.rules import Rules
from bot.core.service import HannoService
from bot.render import Renderer
from bot.storage.database import SqliteStore
from bot.storage.postgres import PostgresStore
from tests import pgcluster
from tests.fakes.deepl_fake import DeeplFake
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.slack_fake import clear_proxy_env
from tests.fakes.sources_fake import SourcesFake

# Tests talk to 127.0.0.1 only; a proxy in the environment must not capture loopback calls.
clear_proxy_env()
# The console and the CLI speak the language of $LANG unless the config names one; the tests
# (and the `hanno` processes they start) must not depend on the machine's locale.
for _name in ("LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"

SPACE = "test-space"
POLICY = RolePolicy.of(moderators=["mod", "mod2"], translators=["tr", "tr2"])


def person(name: str, space: str = SPACE) -> Actor:
    return Actor(space=space, user_id=f"u-{name}", name=name, tags=frozenset({name}))


# Every site a comment import or a source post could reach, pointed at a closed local port:
# a test that does not set up the site fakes must never reach the real sites.
CLOSED = "http://127.0.0.1:9"
SITE_URL_KEYS = (
    "REDDIT_OAUTH_URL",
    "REDDIT_URL",
    "X_API_URL",
    "X_OEMBED_URL",
    "HACKERNEWS_URL",
    "YOUTUBE_API_URL",
    "YOUTUBE_OEMBED_URL",
    "BLUESKY_URL",
    "MASTODON_URL",
)


@pytest.fixture(autouse=True)
def _no_real_sites(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in SITE_URL_KEYS:
        monkeypatch.setenv(f"HANNO_SOURCES__{key}", CLOSED)


@pytest.fixture(autouse=True)
def _garbage_collector_as_found() -> Iterator[None]:
    """Tests that run the real runners in this process get their GC tuning
    (`bot.runtime.settle_heap`), which is meant for a bot's process, not for the tests after."""
    threshold = gc.get_threshold()
    yield
    if gc.get_freeze_count():
        gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.fixture
def people() -> dict[str, Actor]:
    return {n: person(n) for n in ("mod", "mod2", "tr", "tr2", "ann", "bob", "cat")}


@pytest.fixture
async def store(tmp_path) -> AsyncIterator[SqliteStore]:
    db = await SqliteStore.open(tmp_path / "hanno.db")
    yield db
    await db.close()


# Every store the contract and workflow tests run on (as Red-DiscordBot runs one suite on
# every driver): tests/storage and tests/core override `store` with `any_store`.
BACKENDS = ("sqlite", "postgres")
NO_POSTGRES = (
    "PostgreSQL half skipped: no PostgreSQL server binary (initdb, pg_ctl) was found on PATH "
    "or under /usr/lib/postgresql; install the distribution's postgresql package (.ci/run does)."
)
NO_POSTGRES_IN_CI = (
    "CI must run the PostgreSQL half, but no PostgreSQL server binary (initdb, pg_ctl) was "
    "found on PATH, in $HANNO_PG_BIN or under /usr/lib/postgresql; .ci/run installs the "
    "distribution's postgresql package."
)


def in_ci() -> bool:
    """CI (CI=true, as GitHub Actions, GitLab and most others set it) never skips PostgreSQL."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


_databases = itertools.count(1)
# What a statement that breaks a constraint of the schema raises, on either store.
INTEGRITY_ERRORS = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pgcluster.Cluster]:
    """One throw-away PostgreSQL server for the whole session, with a migrated template."""
    if not pgcluster.available():
        if in_ci():
            pytest.fail(NO_POSTGRES_IN_CI, pytrace=False)
        pytest.skip(NO_POSTGRES)
    cluster = pgcluster.Cluster().start()
    try:
        # Started lazily, perhaps from inside a test's event loop: migrate on a loop of its own.
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, cluster.prepare_template()).result()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
async def pg_url(pg_cluster: pgcluster.Cluster) -> str:
    """A fresh database of its own for one test, copied from the migrated template."""
    return await pg_cluster.create_database(f"t{next(_databases)}")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@dataclass(frozen=True)
class Database:
    """One test's own database on `backend`: a SQLite file or a PostgreSQL database. Each
    `open()` is a new store on it, as a restarted (or a second) bot process would open it."""

    backend: str
    where: Path | str

    async def open(self, kind: type | None = None, **options: Any) -> Any:
        """A store on this database; `kind` a subclass of the backend's store class."""
        if self.backend == "sqlite":
            return await (kind or SqliteStore).open(self.where, **options)
        return await (kind or PostgresStore).open(self.where, **options)


async def new_database(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Database:
    if backend == "sqlite":
        return Database(backend, tmp_path / "hanno.db")
    cluster = request.getfixturevalue("pg_cluster")
    return Database(backend, await cluster.create_database(f"t{next(_databases)}"))


@pytest.fixture
async def database(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Database:
    """A fresh database of the test's backend (which parametrises the test over every store)."""
    return await new_database(request, backend, tmp_path)


@asynccontextmanager
async def any_store(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, **options: Any
) -> AsyncIterator[Any]:
    """An open store of `backend` kind on a fresh database of its own."""
    store = await (await new_database(request, backend, tmp_path)).open(**options)
    try:
        yield store
    finally:
        await store.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say it plainly when the PostgreSQL half could not run (CI must never see this)."""
    if not pgcluster.available():
        if in_ci():
            terminalreporter.write_line(NO_POSTGRES_IN_CI, red=True, bold=True)
        else:
            terminalreporter.write_line(NO_POSTGRES, yellow=True)


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def service(store: SqliteStore, notifier: RecordingNotifier) -> HannoService:
    return HannoService(
        store,
        rules=Rules(min_score=1, max_reactions=3),
        policy=POLICY,
        renderer=Renderer(),
        notifier=notifier,
    )


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def sites() -> AsyncIterator[SourcesFake]:
    """Fake Reddit, X, HN, YouTube, Bluesky and Mastodon for a whole test module (whose tests
    then run in the module's event loop: `pytestmark = pytest.mark.asyncio(loop_scope="module")`)."""
    fake = await SourcesFake().start()
    yield fake
    await fake.stop()


@pytest.fixture
def site_fake(sites: SourcesFake) -> SourcesFake:
    """The module's site fakes with no faults scripted and no requests recorded yet."""
    sites.clear()
    return sites


@pytest.fixture
async def sites_here() -> AsyncIterator[SourcesFake]:
    """The site fakes in the test's own event loop (front-end tests, whose fakes are per test)."""
    fake = await SourcesFake().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def deepl_fake() -> AsyncIterator[DeeplFake]:
    """A fake DeepL for one test (tests/assist shares one per module instead)."""
    async with DeeplFake() as fake:
        yield fake


@pytest.fixture
async def model_fake() -> AsyncIterator[OpenAIFake]:
    """A fake OpenAI-compatible model server for one test."""
    async with OpenAIFake() as fake:
        yield fake
