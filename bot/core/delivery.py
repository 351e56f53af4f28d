"""Direct messages that could not be delivered: who is told, and that they are told once.

A translator with DMs closed (Discord) or a deactivated account (Slack) never sees the
assignment or the reminder. The moderator who assigned the work is told, once — not on every
later DM to the same person — and told again only after a DM to that person got through.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from bot.core.clock import Clock


class TxStore(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[Any]: ...


# Told in the review channel instead of a moderator's DMs (no assigner known, or their DMs
# are closed too).
REVIEW_CHANNEL = ""


class Deliveries:
    def __init__(self, store: TxStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def undeliverable(
        self, space: str, recipient_id: str, *, notify: str = REVIEW_CHANNEL, reason: str = ""
    ) -> bool:
        """Record that DMs to `recipient_id` fail; True when `notify` must be told now."""
        async with self.store.transaction() as tx:
            return await tx.record_dm_failure(
                space,
                recipient_id=recipient_id,
                notified_id=notify,
                reason=reason[:200],
                at=self.clock.now(),
            )

    async def delivered(self, space: str, recipient_id: str) -> None:
        """A DM got through: a later failure is worth telling again."""
        async with self.store.transaction() as tx:
            await tx.clear_dm_failures(space, recipient_id)
