"""Which command a sentence suggests, kept apart from how a platform writes it.

The core knows what comes next (`publish 5`, `article close 5`); only the front end knows how
its people type it: `/publish 1` on the console, `/hanno publish 1` on Slack, `/publish
article:1` on Discord. A sentence carries a `CommandHint` as a parameter; `str()` gives the
neutral form, and `DomainError.message_for(writer)` lets a front end write each hint its way.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass

from bot.core.models import ArticleState


@dataclass(frozen=True)
class CommandHint:
    """A command of the grammar (`name`) with its arguments by parameter key, in usage order.

    A value in angle brackets (`<text>`) is a placeholder the person fills in.
    """

    name: str
    args: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, name: str, **args: object) -> CommandHint:
        return cls(name, tuple((key, str(value)) for key, value in args.items()))

    def words(self) -> str:
        """The grammar's own form: `article close 5`."""
        return " ".join([self.name, *(value for _, value in self.args)])

    def __str__(self) -> str:
        return f"`{self.words()}`"


HintWriter = Callable[[CommandHint], str]


def text_command(prefix: str) -> HintWriter:
    """The writer of a text front end whose commands start with `prefix` (`/`, `/hanno `)."""
    return lambda hint: f"`{prefix}{hint.words()}`"


# The workflow in order: what moves an article one step forward, and one step back.
_ORDER = (
    ArticleState.COLLECTING,
    ArticleState.TRANSLATING,
    ArticleState.REVIEW,
    ArticleState.APPROVED,
    ArticleState.PUBLISHED,
)
_FORWARD = {
    ArticleState.COLLECTING: ("close", "article close"),
    ArticleState.TRANSLATING: ("submit", "draft submit"),
    ArticleState.REVIEW: ("approve", "draft approve"),
}
_BACK = {
    ArticleState.TRANSLATING: ("reopen", "article reopen"),
    ArticleState.REVIEW: ("reject", "draft reject"),
    ArticleState.APPROVED: ("reject", "draft reject"),
}


def next_step(
    state: ArticleState, allowed: Set[ArticleState], number: int
) -> tuple[str, CommandHint]:
    """The refusal's catalogue key and the command that moves the article toward `allowed`.

    Forward when the action needs a later state (approving a draft still being translated:
    submit it first), back when it needs an earlier one (adding a comment in review: send the
    draft back), and a new article once this one is published.
    """
    if state is ArticleState.PUBLISHED or state not in _ORDER:
        return "next.published", CommandHint.of("article new", title="<title>")
    here = _ORDER.index(state)
    ahead = any(_ORDER.index(s) > here for s in allowed if s in _ORDER)
    if ahead and state in _FORWARD:
        step, name = _FORWARD[state]
    else:
        step, name = _BACK[state]
    args: dict[str, object] = {"article": number}
    if name == "draft reject":
        args["reason"] = "<reason>"
    return f"next.{state.value}.{step}", CommandHint.of(name, **args)
