"""Importing a thread on Slack: `/hanno comment import …` and the "Import a thread" button.

Typed, the import answers at once with an ephemeral "Reading the thread…" that is replaced
(the same ephemeral message, through the command's response_url) with the progress and then
the summary. From the button, a form asks for the link; on submit the form itself turns into
the progress and then the summary (`views.update`). The channel gets one summary post and the
cards, posted by the notifier at Slack's pace.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from bot.core import validation as check
from bot.core.errors import InvalidInput
from bot.core.messages import t
from bot.slack import blocks as ui

IMPORT = "hanno_import"  # the button on an article's announcement
IMPORT_MODAL = "hanno_import_modal"
# Seconds between two updates of the progress answer.
PROGRESS_EVERY = 1.0


def import_button(article: int) -> dict[str, Any]:
    return ui.button(t("slack.button.import"), IMPORT, str(article))


def import_modal(article: int) -> dict[str, Any]:
    return ui.modal(
        IMPORT_MODAL,
        t("slack.modal.import_title", number=article),
        [
            ui.text_input("url", t("slack.modal.import_url"), max_length=2000),
            ui.text_input("top", t("slack.modal.import_top"), optional=True, max_length=4),
            ui.text_input("lang", t("slack.modal.import_lang"), optional=True, max_length=40),
        ],
        metadata=str(article),
    )


def is_import(text: str) -> bool:
    return unicodedata.normalize("NFKC", text).lower().split()[:2] == ["comment", "import"]


def top_of(value: str) -> int | None:
    """The form's "how many" (empty: the default); anything but a number is refused."""
    value = unicodedata.normalize("NFKC", value).strip()
    if not value:
        return None
    if not value.isdecimal() or len(value) > 4:
        raise InvalidInput("import.bad_top", field="top", value=check.shown(value))
    return int(value)
