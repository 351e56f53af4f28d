"""Who may do what: roles from stable platform identifiers, resolved once, in the core."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.errors import Forbidden
from bot.core.models import Actor, Frozen, Role


class RolePolicy(Frozen):
    """Matches an actor's tags (user id, role ids/names, group handles) against config.

    Matching is case-insensitive for names, exact for ids, which keeps a typo in a role name
    from silently granting nothing while ids stay unambiguous.
    """

    moderators: frozenset[str] = frozenset()
    translators: frozenset[str] = frozenset()

    @classmethod
    def of(cls, moderators: Iterable[str], translators: Iterable[str]) -> RolePolicy:
        return cls(
            moderators=frozenset(_norm(m) for m in moderators),
            translators=frozenset(_norm(t) for t in translators),
        )

    def role_of(self, actor: Actor) -> Role:
        tags = {_norm(tag) for tag in actor.tags} | {_norm(actor.user_id)}
        if tags & self.moderators:
            return Role.MODERATOR
        if tags & self.translators:
            return Role.TRANSLATOR
        return Role.MEMBER

    def require(self, actor: Actor, role: Role, action: str) -> None:
        if self.role_of(actor) < role:
            raise Forbidden(f"forbidden.{role.name.lower()}", action=action)


def _norm(tag: str) -> str:
    return tag.strip().lower()
