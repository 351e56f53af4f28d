"""Modal submissions. The core validates; its refusal is shown in place, beside the field it
names (`response_action: errors`), so nobody retypes a long text because of one bad value."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.core.errors import DomainError, InvalidInput
from bot.core.messages import t
from bot.slack import blocks as ui
from bot.slack.app import SlackFrontEnd

# The core's field names -> the modal's block ids.
COMMENT_FIELDS = {
    "text": "text",
    "url": "url",
    "author": "author",
    "lang": "lang",
    "persona": "persona",
    "country": "country",
}


def values_of(view: dict[str, Any]) -> dict[str, str]:
    """Each input's value by block id (selects give their option's value); the parts of a
    long input (`text`, `text__part2`, …) are joined back in order."""
    found: dict[str, str] = {}
    parts: dict[str, list[tuple[int, str]]] = {}
    for block_id, elements in (view.get("state") or {}).get("values", {}).items():
        for element in elements.values():
            option = element.get("selected_option")
            value = str(option.get("value", "")) if option else element.get("value")
            if value is None:
                continue
            base, _, index = block_id.partition(ui.CONTINUED)
            parts.setdefault(base, []).append((int(index or 1), str(value)))
    for base, pieces in parts.items():
        found[base] = "".join(value for _, value in sorted(pieces))
    return found


async def carry_out(
    ack: Any, call: Awaitable[Any], *, fields: dict[str, str], default_block: str, present: set[str]
) -> bool:
    """Await the core call; on a refusal, show it on the modal field it concerns."""
    try:
        await call
    except DomainError as exc:
        field = exc.field if isinstance(exc, InvalidInput) else None
        block = fields.get(field or "", default_block)
        if block not in present:
            block = default_block
        await ack(response_action="errors", errors={block: exc.message})
        return False
    await ack()
    return True


def _blocks(view: dict[str, Any]) -> set[str]:
    return {b.get("block_id", "") for b in view.get("blocks", []) if b.get("type") == "input"}


def _user_name(body: dict[str, Any]) -> str:
    user = body.get("user") or {}
    return str(user.get("name") or user.get("username") or "")


def register(app: AsyncApp, front: SlackFrontEnd) -> None:
    service = front.service

    @app.view(ui.COMMENT_MODAL)
    async def on_comment(
        ack: Any, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        present = _blocks(view)
        values = values_of(view)
        if not values.get("article", "").isdigit():
            await ack(
                response_action="errors",
                errors={
                    "article" if "article" in present else "text": t("slack.modal.pick_article")
                },
            )
            return
        actor = await front.actor(context, _user_name(body))
        await carry_out(
            ack,
            service.add_comment(
                actor,
                int(values["article"]),
                values.get("text", ""),
                url=values.get("url", ""),
                author=values.get("author", ""),
                language=values.get("lang", ""),
                persona=values.get("persona") or None,
                countries=values.get("country", ""),
            ),
            fields=COMMENT_FIELDS,
            default_block="article" if "article" in present else "text",
            present=present,
        )

    @app.view(ui.TRANSLATION_MODAL)
    async def on_translation(
        ack: Any, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        actor = await front.actor(context, _user_name(body))
        number = int(view.get("private_metadata") or 0)
        await carry_out(
            ack,
            service.submit_translation(actor, number, values_of(view).get("text", "")),
            fields={},
            default_block="text",
            present=_blocks(view),
        )

    @app.view(ui.ARTICLE_TEXT_MODAL)
    async def on_article_text(
        ack: Any, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        actor = await front.actor(context, _user_name(body))
        number, _, field = str(view.get("private_metadata", "")).partition(":")
        if field not in ("lead", "closing") or not number.isdigit():
            raise InvalidInput("slack.error.stale_button")
        await carry_out(
            ack,
            service.set_article_text(actor, int(number), field, values_of(view).get("text", "")),  # type: ignore[arg-type]
            fields={},
            default_block="text",
            present=_blocks(view),
        )

    @app.view(ui.REJECT_MODAL)
    async def on_reject(
        ack: Any, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        actor = await front.actor(context, _user_name(body))
        number = int(view.get("private_metadata") or 0)
        await carry_out(
            ack,
            service.reject(actor, number, values_of(view).get("reason", "")),
            fields={},
            default_block="reason",
            present=_blocks(view),
        )
