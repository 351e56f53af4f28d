"""Block Kit of translation help: the reply with a machine draft's buttons, the remark
form of the review post, and the remark DM."""

from __future__ import annotations

from typing import Any

from bot.core.messages import t
from bot.core.models import Article, Comment, Remark
from bot.slack.blocks import (
    BLOCKS_PER_MESSAGE,
    REMARK_MODAL,
    SECTION_LIMIT,
    TRANSLATE,
    Block,
    actions,
    button,
    inert,
    inert_excerpt,
    modal,
    section,
    text_input,
    text_sections,
    visible,
)


def remark_dm(comment: Comment, remark: Remark, text: str) -> list[Block]:
    """The DM to a translator about a reviewer's remark, with the form a click away."""
    n = str(comment.number)
    return [
        section(inert(text)),
        section("> " + inert_excerpt(remark.text, SECTION_LIMIT - 100)),
        actions(
            f"hanno_remark_dm_{n}",
            button(t("slack.button.translate"), TRANSLATE, n, style="primary"),
        ),
    ]


# ---------------------------------------------------------------------------- review


def remark_modal(article: Article) -> dict[str, Any]:
    """A reviewer's remark on one comment's translation, from the review post."""
    blocks = [
        section(t("slack.review.title", title=inert(article.title))),
        text_input("comment", t("slack.modal.remark_comment"), max_length=12),
        text_input("text", t("slack.modal.remark_text"), multiline=True, max_length=1000),
    ]
    return modal(
        REMARK_MODAL,
        t("slack.modal.remark_title", number=article.number),
        blocks,
        metadata=str(article.number),
    )


def with_buttons(text: str, block_id: str, *elements: dict[str, Any]) -> list[Block]:
    """A reply's sections followed by a row of buttons."""
    return [*text_sections(visible(text))[: BLOCKS_PER_MESSAGE - 1], actions(block_id, *elements)]
