"""Putting the pieces together: store, renderer, rules and policy into one service.

Every front end (and the CLI's tools) builds its service here, so they all run the same
rules on the same kind of store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.core.events import Notifier
from bot.core.policy import RolePolicy
from bot.core.service import HannoService
from bot.publish import build_targets
from bot.render import Renderer
from bot.render.writers import RenderOptions
from bot.storage.database import SqliteStore


def renderer_for(settings: Settings) -> Renderer:
    article = settings.article
    return Renderer(
        article.template,
        templates=article.templates,
        default_style=article.style,
        options=RenderOptions(
            anonymous_name=article.anonymous_name,
            country_language=article.target_language,
            twitter_script=article.twitter_script,
            youtube_nocookie=article.youtube_nocookie,
        ),
    )


async def open_store(
    settings: Settings, *, db_path: Path | None = None, upgrade: bool = True
) -> Any:
    """The configured store: PostgreSQL when a URL is configured, else the SQLite file."""
    url = None if db_path is not None else settings.postgres_url()
    if url is not None:
        from bot.storage.postgres import PostgresStore

        return await PostgresStore.open(url, upgrade=upgrade, max_size=settings.storage.pool_size)
    return await SqliteStore.open(
        db_path or settings.storage.path,
        upgrade=upgrade,
        synchronous=settings.storage.synchronous,
    )


@asynccontextmanager
async def open_service(
    settings: Settings,
    *,
    policy: RolePolicy,
    notifier: Notifier | None = None,
    db_path: Path | None = None,
    store: Any = None,
) -> AsyncIterator[HannoService]:
    """A ready service on the configured database, closed again on exit.

    With `store`, the service runs on that open store and leaves it open: several front ends
    in one process (`hanno run --platform discord,slack`) share one store.
    """
    if store is not None:
        yield HannoService(
            store,
            rules=settings.rules(),
            policy=policy,
            renderer=renderer_for(settings),
            notifier=notifier,
        )
        return
    store = await open_store(settings, db_path=db_path)
    try:
        yield HannoService(
            store,
            rules=settings.rules(),
            policy=policy,
            renderer=renderer_for(settings),
            notifier=notifier,
            blog_targets=build_targets(settings.publish.targets),
        )
    finally:
        await store.close()
