"""The team glossary (add, list, remove, dismiss a warning) and the warnings on translations:
style checks and glossary misses, per submitted translation and for a whole draft."""

from __future__ import annotations

from bot.core import validation as check
from bot.core.area import Area
from bot.core.assist import GlossaryEntry
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.core.glossary import glossary_misses, term_key
from bot.core.hints import CommandHint
from bot.core.models import Actor, CommentStatus, Frozen, GlossaryWarning, Role
from bot.core.style import StyleWarning


class TranslationWarnings(Frozen):
    number: int
    style: tuple[StyleWarning, ...] = ()
    glossary: tuple[GlossaryWarning, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.style or self.glossary)


class GlossaryArea(Area):
    # glossary --------------------------------------------------------------------------------

    async def glossary_add(
        self, actor: Actor, source: str, target: str, note: str = ""
    ) -> tuple[GlossaryEntry, bool]:
        """Add or replace a term; True when it is new."""
        self._require(actor, Role.TRANSLATOR, "edit the glossary")
        limit = self.rules.limits.label
        source = check.label(source, field="source", limit=limit)
        target = check.label(target, field="target", limit=limit)
        note = check.label(note, field="note", limit=self.rules.limits.note)
        for field, value in (("source", source), ("target", target)):
            if not check.visible(value):
                raise InvalidInput("invalid.empty", field=field, field_name=field)
        async with self.store.transaction() as tx:
            new = await tx.put_glossary_entry(
                actor.space,
                source=source,
                target=target,
                note=note,
                by_id=actor.user_id,
                by_name=actor.name,
            )
        return GlossaryEntry(source=source, target=target, note=note), new

    async def glossary(self, actor: Actor) -> list[GlossaryEntry]:
        async with self.store.transaction() as tx:
            return await tx.glossary_entries(actor.space)

    async def glossary_remove(self, actor: Actor, source: str) -> GlossaryEntry:
        self._require(actor, Role.TRANSLATOR, "edit the glossary")
        removed = None
        if not check.CONTROL.search(source):  # such a term cannot be in the glossary
            async with self.store.transaction() as tx:
                removed = await tx.remove_glossary_entry(actor.space, source)
        if removed is None:
            raise NotFound(
                "assist.no_term", term=check.shown(source), command=CommandHint.of("glossary list")
            )
        return removed

    async def glossary_dismiss(
        self, actor: Actor, number: int, source: str | None = None
    ) -> list[GlossaryWarning]:
        """Dismiss a comment's glossary warnings (all, or the one for `source`)."""
        self._require(actor, Role.TRANSLATOR, "dismiss glossary warnings")
        async with self.store.transaction() as tx:
            comment_id, comment = await self._comment(tx, actor, number)
            article_id, _ = await self._article(tx, actor, comment.article_number)
            current = [
                w
                for w in await self._glossary_warnings(tx, actor, article_id)
                if w.number == number
            ]
            if source is not None:
                current = [w for w in current if term_key(w.source) == term_key(source)]
            if not current:
                raise Conflict("assist.no_glossary_warning", number=number)
            await tx.dismiss_glossary_terms(
                comment_id, [w.source for w in current], by_id=actor.user_id, by_name=actor.name
            )
            terms = ", ".join(w.source for w in current)
            await self._log_step(tx, article_id, actor, "glossary_dismiss", f"#{number}: {terms}")
        return current

    # warnings --------------------------------------------------------------------------------

    async def translation_warnings(self, actor: Actor, number: int) -> TranslationWarnings:
        """Style and glossary warnings on a comment's current translation (never a refusal)."""
        async with self.store.transaction() as tx:
            _, comment = await self._comment(tx, actor, number)
            article_id, _ = await self._article(tx, actor, comment.article_number)
            if comment.translation is None:
                return TranslationWarnings(number=number)
            glossary = await tx.glossary_entries(actor.space)
            others = [
                c.translation.text
                for c in await tx.list_comments(article_id, CommentStatus.SELECTED)
                if c.translation and c.number != number
            ]
            dismissed = {k for n, k in await tx.dismissed_terms(article_id) if n == number}
        text = comment.translation.text
        return TranslationWarnings(
            number=number,
            style=tuple(self.style.translation(comment.text, text, glossary, others)),
            glossary=tuple(glossary_misses(number, comment.text, text, glossary, dismissed)),
        )

    async def draft_warnings(self, actor: Actor, number: int) -> list[TranslationWarnings]:
        """Every warning of article `number`'s draft, per comment in article order."""
        async with self.store.transaction() as tx:
            article_id, _ = await self._article(tx, actor, number)
            selected = await tx.list_comments(
                article_id, CommentStatus.SELECTED, article_order=True
            )
            glossary = await tx.glossary_entries(actor.space)
            misses = await self._glossary_warnings(tx, actor, article_id)
        translated = [(c.number, c.text, c.translation.text) for c in selected if c.translation]
        style = self.style.draft(translated, glossary)
        found = []
        for number_, _, _ in translated:
            warnings = TranslationWarnings(
                number=number_,
                style=tuple(style.get(number_, ())),
                glossary=tuple(w for w in misses if w.number == number_),
            )
            if warnings:
                found.append(warnings)
        return found
