"""An answer for clicks and forms that nothing in hanno will handle.

discord.py silently drops a component interaction that no persistent item or live view
claims (a forged or malformed custom_id, a menu from before a restart) and a modal submit
whose form it no longer knows; the user would see "This interaction failed" after three
seconds. This module decides, at dispatch time, whether anything will answer, and if not
answers with a plain sentence (giving back what was typed into a lost form).
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.core.messages import t
from bot.discord import cards
from bot.discord.base import NO_MENTIONS, speak_to
from bot.discord.items import DYNAMIC_ITEMS

log = logging.getLogger("bot.discord")

_TEMPLATES = [item.__discord_ui_compiled_template__ for item in DYNAMIC_ITEMS]


def _message_has(message: discord.Message | None, component_type: int, custom_id: str) -> bool:
    """discord.py calls a dynamic item only if the clicked message carries that component."""
    pending: list[Any] = list(message.components) if message is not None else []
    while pending:
        component = pending.pop()
        if component.type.value == component_type and getattr(component, "custom_id", None) == (
            custom_id
        ):
            return True
        pending.extend(getattr(component, "children", None) or [])
        accessory = getattr(component, "accessory", None)
        if accessory is not None:
            pending.append(accessory)
    return False


def _live_view_has(
    client: discord.Client, message: discord.Message | None, key: tuple[int, str]
) -> bool:
    # discord.py has no public lookup for live (non-persistent) views; this mirrors
    # ViewStore.dispatch_view. Unknown internals count as "handled", i.e. no answer from us.
    store: Any = getattr(getattr(client, "_connection", None), "_view_store", None)
    views = getattr(store, "_views", None)
    if not isinstance(views, dict):
        return True
    message_id = message.id if message is not None else None
    return key in views.get(message_id, {}) or key in views.get(None, {})


def _live_modal(client: discord.Client, custom_id: str) -> bool:
    store: Any = getattr(getattr(client, "_connection", None), "_view_store", None)
    modals = getattr(store, "_modals", None)
    return True if not isinstance(modals, dict) else custom_id in modals


def will_be_handled(interaction: discord.Interaction) -> bool:
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    if interaction.type is discord.InteractionType.component:
        component_type = int(data.get("component_type") or 0)
        if any(p.fullmatch(custom_id) for p in _TEMPLATES) and _message_has(
            interaction.message, component_type, custom_id
        ):
            return True
        return _live_view_has(interaction.client, interaction.message, (component_type, custom_id))
    if interaction.type is discord.InteractionType.modal_submit:
        return _live_modal(interaction.client, custom_id)
    return True


def _typed(data: dict[str, Any]) -> str:
    """What was typed into a lost form, as inert text."""
    values: list[str] = []

    def walk(items: Any) -> None:
        for item in items or []:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("value"), str) and item["value"].strip():
                values.append(item["value"])
            walk(item.get("components"))
            if isinstance(item.get("component"), dict):
                walk([item["component"]])

    walk(data.get("components"))
    return "\n\n".join(values)


async def answer_if_unhandled(interaction: discord.Interaction) -> None:
    """Answer a click or form submission nothing else will answer (called for every one)."""
    if interaction.type not in (
        discord.InteractionType.component,
        discord.InteractionType.modal_submit,
    ):
        return
    if will_be_handled(interaction):
        return
    speak_to(interaction)
    data: dict[str, Any] = dict(interaction.data or {})
    log.info("unhandled %s %r", interaction.type.name, str(data.get("custom_id", ""))[:100])
    if interaction.type is discord.InteractionType.modal_submit:
        text = t("discord.error.stale_form")
        typed = _typed(data)
        if typed:
            text += " " + t("discord.error.stale_form_typed")
            text += "\n" + cards.clip(cards.quoted(typed), 1900 - len(text))
    else:
        text = t("discord.error.stale_button")
    try:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        log.warning("could not answer an unhandled interaction: %r", exc)
