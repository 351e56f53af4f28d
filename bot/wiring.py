"""Putting the pieces together: store, renderer, rules and policy into one service.

Every front end (and the CLI's tools) builds its service here, so they all run the same
rules on the same kind of store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.assist import provider_for, style_checker
from bot.config import ConfigError, Settings
from bot.core.areas.importing import ImportRules
from bot.core.clock import Clock
from bot.core.events import Notifier
from bot.core.messages import t
from bot.core.policy import RolePolicy
from bot.core.service import HannoService
from bot.publish import build_targets
from bot.render import Renderer
from bot.render.writers import RenderOptions
from bot.sources import Credentials, DuplicateIndex, SourceRegistry
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


def sources_for(settings: Settings) -> SourceRegistry:
    """The sites comments are imported from, with the credentials the environment holds."""

    def secret(value: object) -> str | None:
        return value.get_secret_value() if value is not None else None  # type: ignore[attr-defined]

    credentials = Credentials(
        reddit_client_id=secret(settings.reddit_client_id),
        reddit_client_secret=secret(settings.reddit_client_secret),
        x_bearer_token=secret(settings.x_bearer_token),
        youtube_api_key=secret(settings.youtube_api_key),
    )
    try:
        return SourceRegistry(settings.sources, credentials)
    except ValueError as exc:  # a language code lingua does not know
        raise ConfigError(t("config.source_languages", detail=exc)) from None


def import_rules(settings: Settings) -> ImportRules:
    return ImportRules(
        members_may_import=settings.sources.members_may_import,
        top=settings.sources.top,
        max_comments=settings.sources.max_comments,
    )


@asynccontextmanager
async def open_service(
    settings: Settings,
    *,
    policy: RolePolicy,
    notifier: Notifier | None = None,
    db_path: Path | None = None,
    store: Any = None,
    clock: Clock | None = None,
) -> AsyncIterator[HannoService]:
    """A ready service on the configured database, closed again on exit.

    With `store`, the service runs on that open store and leaves it open: several front ends
    in one process (`hanno run --platform discord,slack`) share one store.

    Its scheduler is not running yet: each front end starts it (`service.scheduler` in a
    `SchedulerRunner`) once it can show what fires, so nothing due at start is announced
    to nobody.
    """
    sources = sources_for(settings)  # a bad language code is refused before the store opens
    own_store = store is None
    if own_store:
        store = await open_store(settings, db_path=db_path)
    provider = provider_for(settings)
    try:
        service = HannoService(
            store,
            rules=settings.rules(),
            policy=policy,
            renderer=renderer_for(settings),
            notifier=notifier,
            blog_targets=build_targets(settings.publish.targets),
            sources=sources,
            duplicates=DuplicateIndex,
            import_rules=import_rules(settings),
            provider=provider,
            style=style_checker(settings),
            clock=clock,
            team=settings.team_rules(),
        )
        await service.start()
        yield service
    finally:
        if provider is not None:
            await provider.close()
        if own_store:
            await store.close()
