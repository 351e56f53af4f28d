"""Rows as the core's models, where a table's columns carry the model's field names.

Columns the model does not name are left out; times, stored as ISO-8601 text on both stores,
are read by pydantic. Rows are whatever the store returns (sqlite3.Row, asyncpg Record or a
dict): anything with keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def as_models(model: type[M], rows: Iterable[Any]) -> list[M]:
    return [model.model_validate(dict(row)) for row in rows]
