"""What the store keeps per article and blog target: one row each, replaced, never doubled."""

from __future__ import annotations

from typing import Any

from bot.core.targets import Publication, PublicationStatus
from tests.storage.test_database import new_article


async def test_publication_is_recorded_updated_and_read_back(store: Any) -> None:
    async with store.transaction() as tx:
        number = await new_article(tx, "ミニ鉄道")
        article_id = await tx.article_id("s", number)
        assert await tx.publications(article_id) == []
        await tx.update_article("s", number, style="numbered")
        first = Publication(
            target="blog",
            kind="wordpress",
            status=PublicationStatus.DRAFT,
            remote_id="41",
            url="https://blog.example/?p=41",
            style="numbered",
            revision=1,
        )
        await tx.save_publication(article_id, first)
        await tx.save_publication(
            article_id,
            first.model_copy(update={"revision": 2, "status": PublicationStatus.PUBLISHED}),
        )
        await tx.save_publication(
            article_id,
            Publication(
                target="hatena",
                kind="atompub",
                status=PublicationStatus.FAILED,
                error="HTTP 401",
            ),
        )
    async with store.transaction() as tx:
        article = await tx.get_article("s", number)
        assert article is not None and article.style == "numbered"
        rows = await tx.publications(article_id)
        assert [(p.target, p.status, p.revision, p.remote_id) for p in rows] == [
            ("blog", PublicationStatus.PUBLISHED, 2, "41"),
            ("hatena", PublicationStatus.FAILED, 0, ""),
        ]
        assert rows[0].exists and not rows[1].exists
        assert await tx.publication(article_id, "nowhere") is None
        (count,) = await tx._all("SELECT COUNT(*) FROM publications")
        assert count[0] == 2
