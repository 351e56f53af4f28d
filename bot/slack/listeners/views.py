"""Modal submissions. The core validates; its refusal is shown in place, beside the field it
names (`response_action: errors`), so nobody retypes a long text because of one bad value."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.core.assist_text import warning_lines
from bot.core.errors import DomainError, InvalidInput
from bot.core.messages import t
from bot.core.models import Actor
from bot.slack import blocks as ui
from bot.slack.front import SlackFrontEnd

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
    long input (`text`, `text__part2`, …) are joined back in order.

    Slack sends strings; anything else (a forged or replayed submission) counts as not
    filled in, so the core sees a missing value and says so, rather than `str()` of a list.
    """
    found: dict[str, str] = {}
    parts: dict[str, list[tuple[int, str]]] = {}
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    for block_id, elements in (values if isinstance(values, dict) else {}).items():
        if not isinstance(elements, dict):
            continue
        for element in elements.values():
            if not isinstance(element, dict):
                continue
            option = element.get("selected_option")
            value = option.get("value") if isinstance(option, dict) else element.get("value")
            base, _, index = str(block_id).partition(ui.CONTINUED)
            if not isinstance(value, str) or not (index == "" or index.isdecimal()):
                continue
            parts.setdefault(base, []).append((int(index or 1), value))
    for base, pieces in parts.items():
        found[base] = "".join(value for _, value in sorted(pieces))
    return found


def metadata_of(view: dict[str, Any]) -> str:
    value = view.get("private_metadata", "")
    return value if isinstance(value, str) else ""


async def carry_out(
    ack: Any,
    call: Callable[[], Awaitable[Any]],
    *,
    fields: dict[str, str],
    default_block: str,
    present: set[str],
    then: Callable[[], Awaitable[str]] | None = None,
    write: Callable[[Any], str] | None = None,
) -> bool:
    """Run the core call; on a refusal (or a forged form), show it on the field it concerns.

    Everything that can refuse, reading `private_metadata` included, runs inside `call`, so
    a submission is always answered within Slack's 3 seconds and never with a bare error.
    `then` may give a sentence to show in the modal once the change is made (warnings).
    """
    try:
        await call()
    except DomainError as exc:
        if not present:
            await ack(response_action="update", view=ui.notice_modal(exc.message_for(write)))
            return False
        field = exc.field if isinstance(exc, InvalidInput) else None
        block = fields.get(field or "", default_block)
        if block not in present:
            block = default_block if default_block in present else next(iter(sorted(present)), "")
        await ack(response_action="errors", errors={block: ui.visible(exc.message_for(write))})
        return False
    notice = await then() if then is not None else ""
    if notice:
        await ack(response_action="update", view=ui.notice_modal(notice))
    else:
        await ack()
    return True


def number_of(text: str) -> int:
    """The id a modal was opened for (its `private_metadata`); a forged one is refused."""
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or int(text) < 1:
        raise InvalidInput("slack.error.stale_button")
    return int(text)


def _blocks(view: dict[str, Any]) -> set[str]:
    blocks = view.get("blocks")
    return {
        str(b.get("block_id", ""))
        for b in (blocks if isinstance(blocks, list) else [])
        if isinstance(b, dict) and b.get("type") == "input"
    }


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
        article = values.get("article", "")
        if not (article.isascii() and article.isdigit() and len(article) <= 9):
            await ack(
                response_action="errors",
                errors={
                    "article" if "article" in present else "text": t("slack.modal.pick_article")
                },
            )
            return

        async def call() -> None:
            actor = await front.actor(context, _user_name(body))
            await service.add_comment(
                actor,
                int(article),
                values.get("text", ""),
                url=values.get("url", ""),
                author=values.get("author", ""),
                language=values.get("lang", ""),
                persona=values.get("persona") or None,
                countries=values.get("country", ""),
            )

        await carry_out(
            ack,
            call,
            fields=COMMENT_FIELDS,
            default_block="article" if "article" in present else "text",
            present=present,
            write=front.write_command,
        )

    @app.view(ui.TRANSLATION_MODAL)
    async def on_translation(
        ack: Any, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        actor: list[Actor] = []

        async def call() -> None:
            number = number_of(metadata_of(view))
            actor.append(await front.actor(context, _user_name(body)))
            await service.submit_translation(actor[0], number, values_of(view).get("text", ""))

        async def warnings() -> str:
            """Style and glossary warnings on what was just saved, shown in the modal."""
            number = number_of(metadata_of(view))
            found = await service.translation_warnings(actor[0], number)
            if not found:
                return ""
            lines = warning_lines(found.style, found.glossary)
            return t("slack.modal.saved_with_warnings", number=number) + "\n" + "\n".join(lines)

        await carry_out(
            ack,
            call,
            fields={},
            default_block="text",
            present=_blocks(view),
            then=warnings,
            write=front.write_command,
        )

    @app.view(ui.REMARK_MODAL)
    async def on_remark(
        ack: Any, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        async def call() -> None:
            number_of(metadata_of(view))  # a forged form is refused
            typed = unicodedata.normalize("NFKC", values_of(view).get("comment", "")).strip()
            if not (typed.lstrip("#").isascii() and typed.lstrip("#").isdigit()):
                raise InvalidInput("slack.error.remark_comment", field="comment")
            actor = await front.actor(context, _user_name(body))
            await service.remark(
                actor, number_of(typed.lstrip("#")), values_of(view).get("text", "")
            )

        await carry_out(
            ack,
            call,
            fields={"comment": "comment", "text": "text"},
            default_block="text",
            present=_blocks(view),
            write=front.write_command,
        )

    @app.view(ui.ARTICLE_TEXT_MODAL)
    async def on_article_text(
        ack: Any, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        async def call() -> None:
            number, _, field = metadata_of(view).partition(":")
            if field not in ("lead", "closing"):
                raise InvalidInput("slack.error.stale_button")
            actor = await front.actor(context, _user_name(body))
            text = values_of(view).get("text", "")
            await service.set_article_text(actor, number_of(number), field, text)  # type: ignore[arg-type]

        await carry_out(
            ack,
            call,
            fields={},
            default_block="text",
            present=_blocks(view),
            write=front.write_command,
        )

    @app.view(ui.REJECT_MODAL)
    async def on_reject(
        ack: Any, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        async def call() -> None:
            number = number_of(metadata_of(view))
            actor = await front.actor(context, _user_name(body))
            await service.reject(actor, number, values_of(view).get("reason", ""))

        await carry_out(
            ack,
            call,
            fields={},
            default_block="reason",
            present=_blocks(view),
            write=front.write_command,
        )

    @app.view(re.compile(".*"))
    async def on_unknown(ack: Any, view: dict[str, Any]) -> None:
        """A form no listener above knows (an old version's modal, a forged callback id)."""

        async def call() -> None:
            raise InvalidInput("slack.error.stale_button")

        await carry_out(
            ack, call, fields={}, default_block="", present=_blocks(view), write=front.write_command
        )
