"""The "Import a thread" form's submission (the button is in `actions`, the typed command in
`commands`): the form turns into the import's progress and then its summary."""

from __future__ import annotations

import time
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.core import validation as check
from bot.core.errors import DomainError, InvalidInput
from bot.core.import_replies import progress_text, summary_text
from bot.slack import blocks as ui
from bot.slack.front import SlackFrontEnd
from bot.slack.importing import IMPORT_MODAL, PROGRESS_EVERY, top_of
from bot.slack.listeners.views import metadata_of, number_of, values_of


def register(app: AsyncApp, front: SlackFrontEnd) -> None:
    @app.view(IMPORT_MODAL)
    async def on_submit(
        ack: Any, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        values = values_of(view)
        try:
            article = number_of(metadata_of(view))
            top = top_of(values.get("top", ""))
            url = check.url(values.get("url", ""), limit=2000, required=True)
        except InvalidInput as error:
            block = {"top": "top"}.get(error.field or "", "url")
            await ack(response_action="errors", errors={block: ui.visible(error.message)})
            return
        await ack(response_action="update", view=ui.notice_modal(progress_text(0)))
        view_id = str(view.get("id", ""))
        name = str((body.get("user") or {}).get("name") or "")
        space, user_id = front.space_of(context), context.user_id or ""
        last = time.monotonic()

        async def update(text: str) -> None:
            await front.client.views_update(view_id=view_id, view=ui.notice_modal(text))

        async def progress(count: int) -> None:
            nonlocal last
            if count and time.monotonic() - last >= PROGRESS_EVERY:
                last = time.monotonic()
                await update(progress_text(count))

        async def work() -> None:
            try:
                actor = await front.directory.actor(space, user_id, name)
                summary = await front.service.import_comments(
                    actor,
                    article,
                    url,
                    top=top,
                    langs=values.get("lang", "").replace(",", " ").split(),
                    progress=progress,
                )
            except DomainError as error:
                await update(error.message)
                return
            await update(summary_text(summary))

        front.after_ack({"type": "view_submission", "user": body.get("user")}, None, work())
