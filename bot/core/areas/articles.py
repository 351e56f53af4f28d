"""Articles and their source posts: creating and listing them, their title, lead, closing and
voting rules, the source posts, the status board and the audit history."""

from __future__ import annotations

from typing import Any, Literal

from bot.core import validation as check
from bot.core.area import EDITABLE, Area, S
from bot.core.errors import InvalidInput
from bot.core.events import ArticleCreated
from bot.core.models import Actor, Article, HistoryEntry, Role, StatusBoard

TextField = Literal["title", "lead", "closing"]
NumberField = Literal["min_score", "max_reactions"]


class ArticlesArea(Area):
    async def create_article(self, actor: Actor, title: str) -> Article:
        self._require(actor, Role.MODERATOR, "create articles")
        title = self._title(title)
        async with self.store.transaction() as tx:
            number = await tx.insert_article(
                space=actor.space,
                title=title,
                min_score=self.rules.min_score,
                max_reactions=self.rules.max_reactions,
                target_language=self.rules.target_language,
                created_by=actor.user_id,
                created_by_name=actor.name,
            )
            article_id = await tx.article_id(actor.space, number)
            await self._log_step(tx, article_id, actor, "created", title)
            article = await tx.get_article(actor.space, number)
        await self._announce(ArticleCreated(article=article))
        return article

    def _title(self, value: str) -> str:
        value = check.label(value, field="title", limit=self.rules.limits.title)
        if not check.visible(value):
            raise InvalidInput("invalid.empty", field="title", field_name="title")
        return value

    async def list_articles(self, actor: Actor) -> list[Article]:
        async with self.store.transaction() as tx:
            return await tx.list_articles(actor.space)

    async def get_article(self, actor: Actor, number: int) -> Article:
        async with self.store.transaction() as tx:
            return (await self._article(tx, actor, number))[1]

    async def set_article_text(
        self, actor: Actor, number: int, field: TextField, value: str
    ) -> Article:
        if field not in ("title", "lead", "closing"):
            raise InvalidInput(
                "invalid.article_field", field="field", value=check.shown(str(field))
            )
        self._require(actor, Role.MODERATOR, f"set an article's {field}")
        if field == "title":
            value = self._title(value)
        else:
            value = check.text(value, field=field, limit=getattr(self.rules.limits, field))
        async with self.store.transaction() as tx:
            article_id, article = await self._editable(tx, actor, number)
            withdrawn = await self._edited(tx, actor, article)
            await tx.update_article(actor.space, number, **{field: value})
            await self._log_step(tx, article_id, actor, f"set_{field}", check.excerpt(value))
            article = await tx.get_article(actor.space, number)
        await self._announce(withdrawn)
        return article

    async def article_text_form(self, actor: Actor, number: int, field: TextField) -> Article:
        """The article whose lead or closing a form is about to edit.

        Refused exactly as `set_article_text` would refuse it (role, state), so that nobody
        types a long text into a form that cannot be saved.
        """
        self._require(actor, Role.MODERATOR, f"set an article's {field}")
        async with self.store.transaction() as tx:
            return (await self._editable(tx, actor, number))[1]

    async def _editable(self, tx: Any, actor: Actor, number: int) -> tuple[int, Article]:
        """The article `number`, refused unless its texts may still change."""
        article_id, article = await self._article(tx, actor, number)
        self._state_in(article, EDITABLE, "edit")
        await self._guard_partial_publish(tx, article_id, article)
        return article_id, article

    async def set_article_number(
        self, actor: Actor, number: int, field: NumberField, value: int
    ) -> Article:
        if field not in ("min_score", "max_reactions"):
            raise InvalidInput(
                "invalid.article_field", field="field", value=check.shown(str(field))
            )
        self._require(actor, Role.MODERATOR, f"set an article's {field}")
        if field == "max_reactions":
            check.integer(value, field=field, minimum=1, maximum=1000)
        else:
            check.integer(value, field=field, minimum=-1000, maximum=1000)
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            self._state_in(article, {S.COLLECTING}, "change the voting rules")
            await tx.update_article(actor.space, number, **{field: value})
            await self._log_step(tx, article_id, actor, f"set_{field}", str(value))
            return await tx.get_article(actor.space, number)

    async def add_source(
        self,
        actor: Actor,
        number: int,
        url: str,
        text: str = "",
        author: str = "",
        handle: str = "",
        date: str = "",
    ) -> Article:
        self._require(actor, Role.MODERATOR, "add source posts")
        limits = self.rules.limits
        url = check.url(url, limit=limits.url, required=True)
        text = check.text(text, field="text", limit=limits.source_text, required=False)
        author = check.label(author, field="author", limit=limits.label)
        handle = check.label(handle, field="handle", limit=limits.label).lstrip("@")
        date = check.label(date, field="date", limit=limits.label)
        async with self.store.transaction() as tx:
            article_id, article = await self._editable(tx, actor, number)
            withdrawn = await self._edited(tx, actor, article)
            position = await tx.add_source(
                article_id, url=url, text=text, author=author, handle=handle, date=date
            )
            await self._log_step(tx, article_id, actor, "add_source", f"{position}: {url}")
            article = await tx.get_article(actor.space, number)
        await self._announce(withdrawn)
        return article

    async def status(self, actor: Actor, number: int) -> StatusBoard:
        async with self.store.transaction() as tx:
            article_id, article = await self._article(tx, actor, number)
            counts = await tx.status_counts(article_id)
            holders: dict[str, list[int]] = {}
            for row in await tx.holders(article_id):
                holders.setdefault(row["name"], []).append(row["number"])
            missing = [row["number"] for row in await tx.untranslated_selected(article_id)]
            approvals = await tx.approvals(article_id, article.edit_seq)
            parts = await tx.published_parts(article_id)
            machine = await tx.machine_latest(article_id)
            remarks = await tx.open_remarks(article_id)
            warnings = await self._glossary_warnings(tx, actor, article_id)
            blogs = await tx.publications(article_id)
        return StatusBoard(
            article=article,
            candidates=counts["candidates"],
            selected=counts["selected"],
            dropped=counts["dropped"],
            translated=counts["translated"],
            assigned_untranslated=counts["assigned"],
            unassigned=counts["unassigned"],
            holders=tuple((name, tuple(nums)) for name, nums in holders.items()),
            missing=tuple(missing),
            fresh_approvals=len(approvals),
            approvals_required=self.rules.approvals_required,
            published_parts=len(parts),
            machine_drafts=tuple(machine),
            remarks=tuple(remarks),
            glossary_warnings=tuple(warnings),
            blogs=tuple(blogs),
        )

    async def history(self, actor: Actor, number: int) -> list[HistoryEntry]:
        async with self.store.transaction() as tx:
            article_id, _ = await self._article(tx, actor, number)
            return await tx.history(article_id)
