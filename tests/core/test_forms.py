"""Forms are refused before they open, by the same rules as the change they would make."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from bot.core.errors import DomainError
from bot.core.models import Actor, ArticleState
from bot.core.service import HannoService
from tests.conftest import person

Attempt = Callable[[], Awaitable[object]]


async def refusal(attempt: Attempt) -> str | None:
    try:
        await attempt()
    except DomainError as error:
        return error.message
    return None


async def agree(form: Attempt, change: Attempt) -> bool:
    """Whether the form opens; the change then answers exactly as the form did (the same
    refusal, or success)."""
    refused = await refusal(form)
    assert await refusal(change) == refused
    return refused is None


async def test_each_form_refuses_exactly_what_its_change_would(service: HannoService) -> None:
    mod, ann, bob, tr, tr2 = (person(n) for n in ("mod", "ann", "bob", "tr", "tr2"))
    await service.create_article(mod, "Forms")
    await service.add_comment(ann, 1, "First")
    await service.add_comment(ann, 1, "Second")
    await service.vote(bob, 1, "up")
    await service.vote(bob, 2, "up")
    people: list[Actor] = [ann, tr2, tr, mod]

    async def round_of_checks() -> list[str]:
        allowed = []
        for who in people:
            if await agree(
                partial(service.translation_form, who, 1),
                partial(service.submit_translation, who, 1, f"訳 by {who.name}"),
            ):
                allowed.append(f"translate:{who.name}")
            if await agree(
                partial(service.article_text_form, who, 1, "lead"),
                partial(service.set_article_text, who, 1, "lead", f"Lead by {who.name}"),
            ):
                allowed.append(f"lead:{who.name}")
        return allowed

    assert await round_of_checks() == ["lead:mod"]  # collecting: nothing to translate yet
    await service.close_voting(mod, 1)
    await service.claim(tr, 1)
    # #1 is tr's now: tr2 is told who holds it; a moderator may still step in
    assert await round_of_checks() == ["translate:tr", "translate:mod", "lead:mod"]

    for who in (ann, mod):  # a member by role, a moderator by state: nothing is in review
        assert not await agree(
            partial(service.reject_form, who, 1), partial(service.reject, who, 1, "No")
        )
    await service.submit_translation(tr, 2, "二番")
    await service.submit_draft(mod, 1)
    for who in (ann, tr):
        assert not await agree(
            partial(service.reject_form, who, 1), partial(service.reject, who, 1, "No")
        )
    assert await agree(partial(service.reject_form, mod, 1), partial(service.reject, mod, 1, "No"))
    assert (await service.get_article(mod, 1)).state is ArticleState.TRANSLATING
