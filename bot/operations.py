"""What an operator runs beside the bot: `hanno db copy`, `hanno db upgrade` on PostgreSQL,
and `hanno health` — kept out of bot/__main__.py, which only parses and dispatches."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.config import POSTGRES_SCHEMES, Settings
from bot.core.messages import t
from bot.storage.copy import CopyRefused, copy_database
from bot.storage.database import SqliteStore
from bot.storage.postgres import PostgresStore
from bot.storage.postgres.store import latest_version, redacted


class OperationRefused(Exception):
    """Printed as one line by the CLI; nothing was changed."""


def is_postgres(location: str) -> bool:
    return urlsplit(location).scheme in POSTGRES_SCHEMES


def shown(location: str) -> str:
    return redacted(location) if is_postgres(location) else location


async def open_location(location: str, *, upgrade: bool) -> Any:
    """A store on a SQLite file or a PostgreSQL URL, as `hanno db copy` names them."""
    if is_postgres(location):
        return await PostgresStore.open(location, upgrade=upgrade)
    if not upgrade and not Path(location).exists():
        raise OperationRefused(t("cli.db.no_source", path=location))
    return await SqliteStore.open(location, upgrade=upgrade)


async def copy_command(source: str, target: str) -> int:
    if source == target:
        raise OperationRefused(t("cli.db.same"))
    if not is_postgres(target) and Path(target).exists():
        raise OperationRefused(t("cli.db.target_exists", target=target))
    src = await open_location(source, upgrade=False)
    try:
        dst = await open_location(target, upgrade=True)
        try:
            copied = await copy_database(src, dst)
        except CopyRefused as refused:
            raise OperationRefused(t(f"cli.db.{refused.reason}", **refused.params)) from None
        finally:
            await dst.close()
    finally:
        await src.close()
    print(t("cli.db.copied", source=shown(source), target=shown(target), rows=sum(copied.values())))
    return 0


async def postgres_db_command(args: argparse.Namespace, settings: Settings) -> int:
    url = settings.postgres_url()
    assert url is not None
    if args.db_command == "backup":
        raise OperationRefused(t("cli.db.backup_postgres"))
    store = await PostgresStore.open(url, upgrade=False)
    try:
        applied = await store.upgrade()
    finally:
        await store.close()
    if applied:
        print(t("cli.upgraded", path=redacted(url), version=applied[-1]))
    else:
        print(t("cli.up_to_date", path=redacted(url), version=latest_version()))
    return 0


async def health_command(settings: Settings) -> int:
    """`hanno health`: the store checked from here, the platforms from the bot's report."""
    from bot.health import read_report
    from bot.wiring import open_store

    lines: list[str] = []
    ok = True
    try:
        store = await asyncio.wait_for(open_store(settings, upgrade=False), 10)
        try:
            await store.health()
        finally:
            await store.close()
        lines.append(t("cli.health.up", part="store"))
    except Exception as error:
        ok = False
        lines.append(t("cli.health.store_down", problem=f"{type(error).__name__}: {error}"))
    platforms = settings.platforms or [settings.default_platform()]
    if platforms != ["console"]:
        report, problem = read_report(settings.health.file, 3 * settings.health.interval)
        if report is None:
            ok = False
            lines.append(t(f"cli.health.{problem[0]}", path=settings.health.file, **problem[1]))
        else:
            for name, up in report["parts"].items():
                if name != "store":
                    lines.append(
                        t("cli.health.up", part=name) if up else t("cli.health.down", part=name)
                    )
                    ok = ok and bool(up)
    print("\n".join(lines))
    return 0 if ok else 1
