"""What SQLite's failures mean for the person running hanno, in one sentence each.

A read-only, locked, damaged or full database is not a bug: the operator can fix it, so it
becomes a `StoreUnavailable` naming the file and what to do, never a traceback. Errors that
mean a bug in hanno (a constraint, bad SQL) are not explained here and stay as they are.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from bot.core.errors import StoreUnavailable

# SQLite's primary result codes (the low byte of an extended code) and the sentence for each.
_KEYS = {
    sqlite3.SQLITE_READONLY: "storage.read_only",
    sqlite3.SQLITE_PERM: "storage.read_only",
    sqlite3.SQLITE_BUSY: "storage.locked",
    sqlite3.SQLITE_LOCKED: "storage.locked",
    sqlite3.SQLITE_CORRUPT: "storage.corrupt",
    sqlite3.SQLITE_NOTADB: "storage.not_a_database",
    sqlite3.SQLITE_FULL: "storage.full",
    sqlite3.SQLITE_CANTOPEN: "storage.cannot_open",
    sqlite3.SQLITE_IOERR: "storage.io",
}
# A failed write or sync is what a full disk looks like when the OS says so in other words.
_FULL_IO = {sqlite3.SQLITE_IOERR_WRITE, sqlite3.SQLITE_IOERR_FSYNC, sqlite3.SQLITE_IOERR_TRUNCATE}


def explain(error: BaseException, path: Path) -> StoreUnavailable | None:
    """The operator's sentence for a SQLite failure, or None when it is not theirs to fix."""
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(error, sqlite3.Error) or code is None:
        return None
    key = "storage.full" if code in _FULL_IO else _KEYS.get(code & 0xFF)
    return StoreUnavailable(key, path=path) if key else None


def check_access(path: Path) -> None:
    """Refuse a database file or folder hanno may not write, before SQLite half-opens it.

    SQLite opens such a file read-only and fails later, on the first write, in words that
    name neither the file nor the cause.
    """
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StoreUnavailable("storage.read_only", path=path)
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise StoreUnavailable("storage.read_only_folder", path=path, folder=folder)


def quick_check(rows: list[str], path: Path) -> None:
    """PRAGMA quick_check's answer: "ok", or a damaged file that must not be used."""
    if rows != ["ok"]:
        raise StoreUnavailable("storage.corrupt", path=path)
