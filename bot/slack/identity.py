"""Who is acting: Slack user ids (and their user-group handles) turned into core Actors.

The core decides roles from `Actor.tags`; this module only gathers the stable identifiers
Slack gives us: the user id, and the handles of the user groups the person belongs to. Names
are for display only, so a failed lookup falls back to what the payload said.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import SlackConfig
from bot.core.models import Actor
from bot.core.policy import RolePolicy

log = logging.getLogger(__name__)

_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def _handle(value: str) -> str:
    return value.strip().lstrip("@").lower()


def slack_policy(config: SlackConfig) -> RolePolicy:
    """Moderators and translators by user id and/or user-group handle (with or without @)."""
    return RolePolicy.of(
        moderators=[*config.moderators, *(_handle(g) for g in config.moderator_groups)],
        translators=[*config.translators, *(_handle(g) for g in config.translator_groups)],
    )


class Directory:
    """Cached look-ups of user names and group memberships, per workspace."""

    def __init__(
        self,
        client: AsyncWebClient,
        config: SlackConfig,
        *,
        ttl: float = 60.0,
    ) -> None:
        self.client = client
        self.groups_matter = bool(config.moderator_groups or config.translator_groups)
        self.ttl = ttl
        self._names: dict[str, str] = {}
        self._locales: dict[str, str | None] = {}
        self._name_lookups: dict[str, asyncio.Task[str | None]] = {}
        self._groups: dict[str, tuple[float, dict[str, frozenset[str]]]] = {}
        self._group_lock = asyncio.Lock()

    async def actor(
        self, space: str, user_id: str, fallback_name: str = "", *, wait_for_name: bool = True
    ) -> Actor:
        """The person acting. `wait_for_name=False` is for actions that record no name (a
        vote): the payload's name serves, and no users.info is spent on a burst of clicks."""
        if wait_for_name or user_id in self._names or not fallback_name:
            name = await self.name(user_id) or fallback_name or user_id
        else:
            name = fallback_name
        tags = {user_id, *await self.handles_of(space, user_id)}
        return Actor(space=space, user_id=user_id, name=name, tags=frozenset(tags))

    def known_locale(self, user_id: str) -> str | None:
        """The person's locale if already looked up; never calls Slack."""
        return self._locales.get(user_id)

    async def locale(self, user_id: str) -> str | None:
        """The language the person set in Slack ("ja-JP"), from the same cached users.info."""
        if user_id not in self._locales and user_id:
            await self.name(user_id)
        return self._locales.get(user_id)

    async def name(self, user_id: str) -> str | None:
        """The display name people know; one users.info per person, shared by concurrent asks."""
        if user_id in self._names and user_id in self._locales:
            return self._names[user_id]
        task = self._name_lookups.get(user_id)
        if task is None:
            task = asyncio.ensure_future(self._lookup_name(user_id))
            self._name_lookups[user_id] = task
        try:
            return await asyncio.shield(task)
        finally:
            if task.done():
                self._name_lookups.pop(user_id, None)

    async def _lookup_name(self, user_id: str) -> str | None:
        try:
            response = await self.client.users_info(user=user_id, include_locale=True)
        except SlackApiError as exc:
            log.warning("users.info %s failed: %s", user_id, exc.response.get("error"))
            return None
        user = response.get("user") or {}
        self._locales[user_id] = user.get("locale") or None
        profile = user.get("profile") or {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
        )
        if name:
            self._names[user_id] = str(name)
        return name

    async def handles_of(self, space: str, user_id: str) -> frozenset[str]:
        if not self.groups_matter:
            return frozenset()
        members = await self._memberships(space)
        return members.get(user_id, frozenset())

    async def _memberships(self, space: str) -> dict[str, frozenset[str]]:
        cached = self._groups.get(space)
        if cached is not None and time.monotonic() - cached[0] < self.ttl:
            return cached[1]
        async with self._group_lock:
            cached = self._groups.get(space)
            if cached is not None and time.monotonic() - cached[0] < self.ttl:
                return cached[1]
            try:
                response = await self.client.usergroups_list(include_users=True)
            except SlackApiError as exc:
                log.warning("usergroups.list failed: %s", exc.response.get("error"))
                return cached[1] if cached else {}
            by_user: dict[str, set[str]] = {}
            for group in response.get("usergroups") or []:
                handle = _handle(str(group.get("handle", "")))
                users: Iterable[str] = group.get("users") or []
                if not users and group.get("id"):
                    listed = await self.client.usergroups_users_list(usergroup=group["id"])
                    users = listed.get("users") or []
                for user in users:
                    by_user.setdefault(user, set()).add(handle)
            result = {user: frozenset(handles) for user, handles in by_user.items()}
            self._groups[space] = (time.monotonic(), result)
            return result

    async def resolve(self, space: str, text: str) -> Actor | None:
        """A user as typed in a command: `<@U123>`, `<@U123|name>`, `U123`, or a known name."""
        text = text.strip()
        match = _MENTION.match(text)
        user_id = match.group(1) if match else (text if _USER_ID.match(text) else None)
        if user_id is None:
            wanted = text.lstrip("@").casefold()
            user_id = next(
                (uid for uid, name in self._names.items() if name.casefold() == wanted), None
            )
        if user_id is None:
            return None
        return await self.actor(space, user_id)
