"""A big article for items 5 and 6: N comments and 10 votes per comment, loaded in bulk.

Adding 10,000 comments one command at a time would measure the loading, not the board, so
the rows are written straight into the file with the schema's own columns; the article, the
selection and the translation work then go through the service like any other command.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bench.common import SPACE, actor
from bot.core.policy import RolePolicy
from bot.core.rules import Rules
from bot.core.service import HannoService
from bot.render import Renderer
from bot.storage.database import SqliteStore

VOTES_PER_COMMENT = 10
POLICY = RolePolicy.of(moderators=["editor"], translators=["tr1", "tr2", "tr3"])


def service_for(store: SqliteStore) -> HannoService:
    return HannoService(
        store, rules=Rules(min_score=1, max_reactions=200), policy=POLICY, renderer=Renderer()
    )


async def build(path: Path, comments: int, *, seed: int = 6) -> int:
    """Write an article with `comments` comments, voted, closed and half translated; its number."""
    store = await SqliteStore.open(path)
    try:
        article = await service_for(store).create_article(actor("editor"), "A big article")
    finally:
        await store.close()
    _bulk_load(path, article.number, comments, seed)
    store = await SqliteStore.open(path)
    try:
        service = service_for(store)
        editor = actor("editor")
        _, selected = await service.close_voting(editor, article.number)
        translators = [actor(name) for name in ("tr1", "tr2", "tr3")]
        for index, comment in enumerate(selected[:60]):
            who = translators[index % 3]
            await service.claim(who, comment.number)
            if index % 2:
                await service.submit_translation(who, comment.number, f"翻訳 {index}")
    finally:
        await store.close()
    return article.number


def _bulk_load(path: Path, article: int, comments: int, seed: int) -> None:
    rnd = random.Random(seed)
    stamp = datetime.now(UTC).isoformat(timespec="microseconds")
    with sqlite3.connect(path) as db:
        (article_id,) = db.execute(
            "SELECT id FROM articles WHERE space = ? AND number = ?", (SPACE, article)
        ).fetchone()
        rows = []
        votes = []
        for number in range(1, comments + 1):
            values = [rnd.choice((1, 1, -1)) for _ in range(VOTES_PER_COMMENT)]
            rows.append(
                (
                    SPACE,
                    number,
                    article_id,
                    f"Comment {number}: the library should stay open all night, every night.",
                    "🙂",
                    f"u-p{number % 500}",
                    f"p{number % 500}",
                    stamp,
                    values.count(1),
                    values.count(-1),
                )
            )
            voters = rnd.sample(range(500), VOTES_PER_COMMENT)
            votes.extend(
                (number, f"u-v{v}", value) for v, value in zip(voters, values, strict=True)
            )
        db.executemany(
            "INSERT INTO comments (space, number, article_id, text, persona, submitted_by, "
            "submitted_by_name, submitted_at, up, down) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.executemany(
            "INSERT INTO votes (comment_id, user_id, value, updated_at) "
            "SELECT id, ?, ?, ? FROM comments WHERE space = ? AND number = ?",
            [(user, value, stamp, SPACE, number) for number, user, value in votes],
        )
        db.execute(
            "INSERT INTO counters (space, kind, value) VALUES (?, 'comment', ?) "
            "ON CONFLICT (space, kind) DO UPDATE SET value = excluded.value",
            (SPACE, comments),
        )
