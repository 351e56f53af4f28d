"""Roles from chat: moderators grant and revoke the translator role without a restart.

The config (and, through it, Discord roles and Slack user groups) stays the floor: a grant
only ever adds to what the config gives, and what the config gives cannot be taken away from
chat. Grants live in the store; this keeps a copy per space so that checking a permission
stays a plain, synchronous look-up, refreshed at once on this process's own changes, on
another process's as soon as the store tells (`watch`: PostgreSQL's NOTIFY), and from the
store on every scheduler tick in any case.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol

from bot.core.clock import Clock
from bot.core.errors import Conflict, Forbidden, InvalidInput
from bot.core.models import Actor, Frozen, Role
from bot.core.policy import RolePolicy
from bot.core.teamwork import Grant, TeamChange

GRANTABLE = {"translator": Role.TRANSLATOR}
# What a grant or a revocation announces to the other bot processes on the store.
ROLES_TOPIC = "team_roles"


class TxStore(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[Any]: ...


class TeamList(Frozen):
    granted: tuple[Grant, ...]
    config_moderators: tuple[str, ...]
    config_translators: tuple[str, ...]
    changes: tuple[TeamChange, ...]


class TeamPolicy:
    """The config's `RolePolicy` plus the grants made from chat, per space."""

    def __init__(self, base: RolePolicy) -> None:
        self.base = base
        self._granted: dict[str, dict[str, Grant]] = {}

    @property
    def moderators(self) -> frozenset[str]:
        """The config's moderator tags (moderators are never granted from chat)."""
        return self.base.moderators

    @property
    def translators(self) -> frozenset[str]:
        """The config's translator tags; grants from chat are per space (`granted`)."""
        return self.base.translators

    def model_copy(self, *, update: dict[str, Any]) -> TeamPolicy:
        """A copy with other config roles (as `RolePolicy.model_copy`), keeping the grants."""
        copy = TeamPolicy(self.base.model_copy(update=update))
        copy._granted = self._granted
        return copy

    def role_of(self, actor: Actor) -> Role:
        role = self.base.role_of(actor)
        grant = self._granted.get(actor.space, {}).get(actor.user_id)
        if grant is not None:
            role = max(role, GRANTABLE[grant.role])
        return role

    def require(self, actor: Actor, role: Role, action: str) -> None:
        if self.role_of(actor) < role:
            raise Forbidden(f"forbidden.{role.name.lower()}", action=action)

    def granted(self, space: str) -> dict[str, Grant]:
        return self._granted.get(space, {})

    def replace(self, grants: Iterable[Grant]) -> None:
        fresh: dict[str, dict[str, Grant]] = {}
        for grant in grants:
            fresh.setdefault(grant.space, {})[grant.user_id] = grant
        self._granted = fresh


class TeamRoles:
    """`team add|remove|list`: who may change roles, what may change, and the audit."""

    def __init__(self, store: TxStore, clock: Clock, policy: TeamPolicy) -> None:
        self.store = store
        self.clock = clock
        self.policy = policy

    async def load(self) -> None:
        """Read every space's grants (at start, and on each scheduler tick)."""
        async with self.store.transaction() as tx:
            self.policy.replace(await tx.granted_roles())

    async def add(self, actor: Actor, user: Actor, role: str) -> Grant:
        self.policy.require(actor, Role.MODERATOR, "give people roles")
        wanted = _grantable(role)
        current = self.policy.base.role_of(user)
        if current >= Role.MODERATOR:
            raise Conflict("team.already_moderator", name=user.name)
        if current >= wanted:
            raise Conflict("team.already_by_config", name=user.name, role=role)

        async def grant(tx: Any, now: datetime) -> None:
            added = await tx.grant_role(
                actor.space,
                user_id=user.user_id,
                user_name=user.name,
                role=role,
                by_id=actor.user_id,
                by_name=actor.name,
                at=now,
            )
            if not added:
                raise Conflict("team.already_granted", name=user.name, role=role)

        await self._record_change(actor, "add", user, role, grant)
        return self.policy.granted(actor.space)[user.user_id]

    async def remove(self, actor: Actor, user: Actor, role: str) -> None:
        self.policy.require(actor, Role.MODERATOR, "take roles away")
        _grantable(role)
        base = self.policy.base.role_of(user)

        async def revoke(tx: Any, now: datetime) -> None:
            if await tx.revoke_role(actor.space, user_id=user.user_id, role=role):
                return
            if base >= Role.MODERATOR:
                raise Conflict("team.moderator_by_config", name=user.name)
            if base >= GRANTABLE[role]:
                raise Conflict("team.role_by_config", name=user.name, role=role)
            raise Conflict("team.not_granted", name=user.name, role=role)

        await self._record_change(actor, "remove", user, role, revoke)

    async def _record_change(
        self,
        actor: Actor,
        action: str,
        user: Actor,
        role: str,
        change: Callable[[Any, datetime], Awaitable[None]],
    ) -> None:
        """Make the change (which refuses by raising), audit it in the same transaction, and
        take the new grants at once: this process's checks must not wait for the next tick."""
        now = self.clock.now()
        async with self.store.transaction() as tx:
            await change(tx, now)
            await tx.add_team_change(
                actor.space,
                actor_id=actor.user_id,
                actor_name=actor.name,
                action=action,
                user_id=user.user_id,
                user_name=user.name,
                role=role,
                at=now,
            )
            await tx.announce_change(ROLES_TOPIC)
            grants = await tx.granted_roles()
        self.policy.replace(grants)

    async def list(self, actor: Actor) -> TeamList:
        async with self.store.transaction() as tx:
            granted = await tx.granted_roles(actor.space)
            changes = await tx.team_changes(actor.space, limit=10)
        return TeamList(
            granted=tuple(granted),
            config_moderators=tuple(sorted(self.policy.base.moderators)),
            config_translators=tuple(sorted(self.policy.base.translators)),
            changes=tuple(changes),
        )


def _grantable(role: str) -> Role:
    if role not in GRANTABLE:
        raise InvalidInput("team.bad_role", field="role", value=role[:40])
    return GRANTABLE[role]
