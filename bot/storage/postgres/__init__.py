"""The PostgreSQL store (asyncpg): the same contract as the SQLite store, for several bot
processes on one database."""

from __future__ import annotations

from bot.storage.postgres.store import PostgresStore

__all__ = ["PostgresStore"]
