"""Versioned migrations, shared by both stores: one small SQL file per step, in the database's
own dialect, the version kept in the database itself.

SQLite's files live in `bot/storage/migrations/`, PostgreSQL's twins in
`bot/storage/postgres/migrations/` under the same name (`0002_comment_import.sql` in both):
a step exists on both stores or on neither, so one version number means one schema
everywhere, and `hanno db copy` can move a database between them.
"""

from __future__ import annotations

import re
from importlib import resources

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
Migration = tuple[int, str, str]


class DatabaseTooNew(RuntimeError):
    """The database was written by a newer hanno; opening it could corrupt what it added."""


def migrations(package: str = "bot.storage") -> list[Migration]:
    """(version, file name, sql) for every migration in `package`/migrations, in order."""
    found: list[Migration] = []
    for entry in resources.files(package).joinpath("migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


def too_new(where: str, version: int, latest: int) -> DatabaseTooNew:
    return DatabaseTooNew(
        f"{where} has schema version {version}, but this hanno knows only up to "
        f"{latest}; upgrade hanno before opening it."
    )


def statements(sql: str) -> list[str]:
    """Split a migration into statements (our migrations hold no semicolons inside strings)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]
