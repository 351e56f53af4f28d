"""Block Kit rendering: what hanno's cards, modals and Home tab look like in Slack.

Everything a person typed (comments, translations, titles, reasons) passes through `inert()`
before it reaches a mrkdwn field, so `<!everyone>`, `<!channel>`, `<!here>`, `<@U…>` and
`<!subteam^…>` are shown, never triggered. Slack reads mentions only inside `<…>`, so escaping
`&`, `<` and `>` (Slack's own rule for message text) is enough for the bracket forms; bare
`@here`-style words get a zero-width space so a client that links names still cannot ping.
Sections are kept within Slack's limits: 3,000 characters a section, 50 blocks a message.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from bot.core.hidden import vote_count
from bot.core.import_replies import source_line
from bot.core.messages import t
from bot.core.models import Article, ArticleState, Comment, CommentStatus
from bot.core.replies import signed
from bot.render.chat import split_for_chat, split_text
from bot.render.graphemes import boundaries

Block = dict[str, Any]

SECTION_LIMIT = 3000
BLOCKS_PER_MESSAGE = 50
PLAIN_LIMIT = 150  # plain_text in buttons, titles and options is short
INPUT_LIMIT = 3000  # a plain_text_input holds at most 3,000 characters
FALLBACK_LIMIT = 300  # the notification text beside the blocks

# Action and callback ids: the state a button needs lives in its value, so buttons keep
# working after a restart (the Slack equivalent of discord.py's DynamicItem).
VOTE_UP = "hanno_vote_up"
VOTE_DOWN = "hanno_vote_down"
VOTE_CLEAR = "hanno_vote_clear"
VOTE_ACTIONS = frozenset({VOTE_UP, VOTE_DOWN, VOTE_CLEAR})
CLAIM = "hanno_claim"
ASSIGN = "hanno_assign"
TRANSLATE = "hanno_translate"
APPROVE = "hanno_approve"
REJECT = "hanno_reject"
PUBLISH = "hanno_publish"
PUBLISH_TO = "hanno_blog:"  # + a blog target's name; the value is the article's number
NEW_COMMENT = "hanno_new_comment"
COMMENT_MODAL = "hanno_comment_modal"
TRANSLATION_MODAL = "hanno_translation_modal"
ARTICLE_TEXT_MODAL = "hanno_article_text_modal"
REJECT_MODAL = "hanno_reject_modal"
SUBMIT_AS_REACTION = "hanno_submit_as_reaction"
MACHINE_DRAFT = "hanno_machine_draft"
ACCEPT = "hanno_accept"
REMARK = "hanno_remark"
REMARK_MODAL = "hanno_remark_modal"

_BARE_BROADCAST = re.compile(r"@(everyone|channel|here)\b", re.IGNORECASE)
# Control characters (but tab and newline), direction overrides/isolates and lone surrogates.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def visible(text: str) -> str:
    """An answer that may quote what someone typed, with no character in it that could
    hide or reorder the rest (a right-to-left override, a terminal escape, a NUL): each is
    shown as U+FFFD instead."""
    return _INVISIBLE.sub("\ufffd", text)


def inert(text: str) -> str:
    """User text made safe for mrkdwn: shown as typed, never a mention or a broadcast."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BARE_BROADCAST.sub("@\u200b\\1", escaped)


def with_channel_links(block: Block, channels: Collection[str]) -> Block:
    """A section in which the escaped links (`&lt;#C…&gt;`) to `channels` are links again.

    A reply that names the publish channel by a link has it escaped by `inert` with the rest;
    only the channels the bot itself named are restored, so a link someone typed into their
    text stays shown as typed.
    """
    text = block.get("text")
    if not channels or not isinstance(text, dict) or text.get("type") != "mrkdwn":
        return block
    linked = text["text"]
    for channel in channels:
        linked = linked.replace(f"&lt;#{channel}&gt;", f"<#{channel}>")
    return {**block, "text": {**text, "text": linked}}


def plain(text: str, limit: int = PLAIN_LIMIT) -> dict[str, Any]:
    """A plain_text object (never parsed for mentions), cut to `limit` characters."""
    return {"type": "plain_text", "text": _cut(text, limit) or " ", "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": _cut(text, SECTION_LIMIT) or " "}


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut between grapheme clusters (never inside an emoji)."""
    if len(text) <= limit:
        return text
    end = max((b for b in boundaries(text[:limit]) if b <= limit - 1), default=0)
    return text[:end] + "…"


def inert_excerpt(text: str, limit: int) -> str:
    """`inert(text)` in at most `limit` characters, cut before escaping so that neither an
    entity such as `&amp;` nor an emoji is ever split."""
    parts = split_for_chat(text, limit - 1, measure=lambda piece: len(inert(piece)))
    if len(parts) <= 1 and len(inert(text)) <= limit:
        return inert(text)
    return inert(parts[0]) + "…" if parts else ""


def section(text: str) -> Block:
    """One mrkdwn section; `text` must already be inert where it holds user text."""
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def button(
    label: str, action_id: str, value: str, style: str | None = None, url: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(label, 75),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    if url:
        element["url"] = url
    return element


def actions(block_id: str, *elements: dict[str, Any]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def fallback(text: str) -> str:
    """The notification text shown beside blocks (and in notifications): short and inert.

    It may be given text that is already escaped, so it unescapes first: escaping twice would
    show `&amp;lt;` to people.
    """
    flat = " ".join(text.split())
    flat = flat.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return inert(_cut(flat, FALLBACK_LIMIT))


def text_sections(text: str, *, limit: int = SECTION_LIMIT) -> list[Block]:
    """User text as sections of at most `limit` characters after escaping, cut between lines
    (then words, then grapheme clusters), so no emoji or escape sequence is ever split; an
    article's text (or part) between whole reactions, as its messages are (`split_text`)."""
    if not text.strip():
        return []
    parts = split_text(text, limit, measure=lambda piece: len(inert(piece)))
    return [section(inert(part)) for part in parts]


def messages_of(
    blocks: Sequence[Block], per_message: int = BLOCKS_PER_MESSAGE
) -> list[list[Block]]:
    """Blocks grouped into messages of at most `per_message` blocks, order kept."""
    return [list(blocks[i : i + per_message]) for i in range(0, len(blocks), per_message)] or [[]]


# ---------------------------------------------------------------------------- comment cards


def _face(comment: Comment) -> str:
    return comment.persona + comment.flags


def comment_card(comment: Comment, article: Article | None = None) -> list[Block]:
    """The card in the voting channel: the comment, its live score and what can be done now."""
    voting = article is None or article.open_for_comments
    blocks: list[Block] = [
        section(
            t("slack.card.heading", number=comment.number, face=_face(comment))
            + "\n"
            + inert_excerpt(comment.text, SECTION_LIMIT - 200)
        )
    ]
    meta = [t("slack.card.article", article=comment.article_number)]
    if comment.author:
        meta.append(t("slack.card.author", author=inert(comment.author)))
    if comment.language:
        meta.append(t("slack.card.language", lang=inert(comment.language)))
    if comment.source_kind:
        meta.append(source_line(comment))
    if comment.url:
        meta.append(inert(comment.url))
    meta.append(t("slack.card.by", name=inert(comment.submitted_by_name or comment.submitted_by)))
    blocks.append(context(" · ".join(meta)))
    score = (
        vote_count(comment)
        if comment.hidden_votes is not None
        else t("slack.card.score", score=signed(comment.score), up=comment.up, down=comment.down)
    )
    n = str(comment.number)
    if voting:
        blocks.append(context(score))
        blocks.append(
            actions(
                f"hanno_vote_{n}",
                button(t("slack.button.up"), VOTE_UP, n),
                button(t("slack.button.down"), VOTE_DOWN, n),
                button(t("slack.button.clear"), VOTE_CLEAR, n),
            )
        )
        return blocks
    blocks.append(context(score + " · " + t(f"slack.card.status.{comment.status.value}")))
    if comment.status is not CommentStatus.SELECTED:
        return blocks
    if comment.translation is not None:
        latest = comment.translation
        heading = (
            t("slack.card.machine_draft", service=latest.provider, revision=latest.revision)
            if latest.is_machine
            else t(
                "slack.card.translated",
                name=inert(latest.translator_name),
                revision=latest.revision,
            )
        )
        blocks.append(section(heading + "\n" + inert_excerpt(latest.text, SECTION_LIMIT - 200)))
    elif comment.assignee_name:
        blocks.append(context(t("slack.card.held", name=inert(comment.assignee_name))))
    if article is not None and article.translation_open(comment):
        elements = [
            button(t("slack.button.translate"), TRANSLATE, n, style="primary"),
            button(t("slack.button.machine_draft"), MACHINE_DRAFT, n),
        ]
        if comment.assignee_id is None:
            elements.append(button(t("slack.button.claim"), CLAIM, n))
        elements.append(
            {
                "type": "users_select",
                "action_id": ASSIGN,
                "placeholder": plain(t("slack.button.assign")),
            }
        )
        blocks.append(actions(f"hanno_work_{n}", *elements))
    return blocks


def assignment_dm(comment: Comment, by_name: str) -> list[Block]:
    """The DM to an assignee, with the button that opens the translation form."""
    n = str(comment.number)
    return [
        section(
            t(
                "slack.dm.assigned",
                number=comment.number,
                article=comment.article_number,
                by=inert(by_name),
            )
        ),
        section(_face(comment) + " " + inert_excerpt(comment.text, SECTION_LIMIT - 100)),
        actions(
            f"hanno_dm_{n}",
            button(t("slack.button.translate"), TRANSLATE, n, style="primary"),
            button(t("slack.button.machine_draft"), MACHINE_DRAFT, n),
        ),
    ]


def review_message(
    article: Article,
    preview: str,
    status: str,
    *,
    open_for_review: bool,
    blogs: Sequence[str] = (),
) -> list[Block]:
    """The draft preview in the review channel with Approve / Request changes / Publish, and
    once approved a "Publish to …" button per blog target (again after publishing: an update)."""
    a = str(article.number)
    head = [
        {"type": "header", "text": plain(t("slack.review.header", number=article.number))},
        section(t("slack.review.title", title=inert(article.title))),
    ]
    tail: list[Block] = [context(status)]
    if open_for_review and article.state is ArticleState.REVIEW:
        tail.append(
            actions(
                f"hanno_review_{a}",
                button(t("slack.button.approve"), APPROVE, a, style="primary"),
                button(t("slack.button.reject"), REJECT, a, style="danger"),
                button(t("slack.button.remark"), REMARK, a),
            )
        )
    elif article.state is ArticleState.APPROVED:
        tail.append(
            actions(
                f"hanno_review_{a}",
                button(t("slack.button.publish"), PUBLISH, a, style="primary"),
                button(t("slack.button.reject"), REJECT, a, style="danger"),
            )
        )
    if blogs and article.state in (ArticleState.APPROVED, ArticleState.PUBLISHED):
        tail.append(
            actions(
                f"hanno_blogs_{a}",
                *(
                    button(t("slack.button.publish_to", target=name), PUBLISH_TO + name, a)
                    for name in blogs[:25]  # Slack's limit of elements in one actions block
                ),
            )
        )
    room = BLOCKS_PER_MESSAGE - len(head) - len(tail) - 2
    body = text_sections(preview)
    if len(body) > room:
        body = [*body[: room - 1], context(t("slack.review.truncated"))]
    return [*head, {"type": "divider"}, *body, {"type": "divider"}, *tail]


# ---------------------------------------------------------------------------- modals


def _input(
    block_id: str,
    label: str,
    *,
    initial: str = "",
    multiline: bool = False,
    optional: bool = False,
    hint: str | None = None,
    max_length: int = INPUT_LIMIT,
) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


CONTINUED = "__part"


def chunks(text: str, size: int = INPUT_LIMIT) -> list[str]:
    """`text` in pieces of at most `size` characters, cut between grapheme clusters."""
    pieces: list[str] = []
    while len(text) > size:
        end = max(b for b in boundaries(text[:size]) if b > 0)
        pieces.append(text[:end])
        text = text[end:]
    return [*pieces, text]


def long_input(block_id: str, label: str, *, initial: str = "") -> list[Block]:
    """A text input that can hold existing text longer than Slack's 3,000 characters.

    Slack caps an input at 3,000 characters, but a lead or a translation set by command can
    be longer; prefilling a truncated value would lose the rest on submit. So the value is
    spread over as many inputs as it needs (`values_of` joins them back), and a short value
    gets the usual single input.
    """
    pieces = chunks(initial)
    blocks = [_input(block_id, label, initial=pieces[0], multiline=True)]
    for index, piece in enumerate(pieces[1:], start=2):
        blocks.append(
            _input(
                f"{block_id}{CONTINUED}{index}",
                t("slack.modal.continued", part=index),
                initial=piece,
                multiline=True,
                optional=True,
            )
        )
    return blocks


def _modal(callback_id: str, title: str, blocks: list[Block], metadata: str = "") -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "submit": plain(t("slack.modal.submit"), 24),
        "close": plain(t("slack.modal.cancel"), 24),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def _option(article: Article) -> dict[str, Any]:
    return {
        "text": plain(
            t("slack.modal.article_option", number=article.number, title=article.title), 75
        ),
        "value": str(article.number),
    }


def comment_modal(
    articles: Iterable[Article],
    *,
    article: int | None = None,
    text: str = "",
    url: str = "",
    author: str = "",
) -> dict[str, Any]:
    """The form for submitting a comment; `articles` are those still collecting comments."""
    options = [_option(a) for a in articles][:100]
    blocks: list[Block] = []
    if options:
        select: dict[str, Any] = {
            "type": "static_select",
            "action_id": "value",
            "placeholder": plain(t("slack.modal.article_placeholder")),
            "options": options,
        }
        chosen = next((o for o in options if o["value"] == str(article)), None)
        if chosen is not None:
            select["initial_option"] = chosen
        blocks.append(
            {
                "type": "input",
                "block_id": "article",
                "label": plain(t("slack.modal.article")),
                "element": select,
            }
        )
    else:
        blocks.append(section(t("slack.modal.no_articles")))
    blocks += [
        *long_input("text", t("slack.modal.comment_text"), initial=text),
        _input("url", t("slack.modal.url"), initial=url, optional=True),
        _input("author", t("slack.modal.author"), initial=author, optional=True, max_length=100),
        _input("lang", t("slack.modal.language"), optional=True, max_length=20),
        _input("persona", t("slack.modal.persona"), optional=True, max_length=40),
        _input(
            "country",
            t("slack.modal.country"),
            optional=True,
            hint=t("slack.modal.country_hint"),
            max_length=20,
        ),
    ]
    return _modal(COMMENT_MODAL, t("slack.modal.comment_title"), blocks)


def translation_modal(comment: Comment) -> dict[str, Any]:
    """The original read-only above the input; the latest revision prefilled (a machine
    draft labelled as one)."""
    latest = comment.translation
    current = latest.text if latest else ""
    label = (
        t("slack.modal.machine_draft", service=latest.provider)
        if latest and latest.is_machine
        else t("slack.modal.translation")
    )
    blocks: list[Block] = [
        section(t("slack.modal.original", number=comment.number, face=_face(comment))),
        *text_sections(comment.text)[:20],
        *long_input("text", label, initial=current),
    ]
    return _modal(
        TRANSLATION_MODAL,
        t("slack.modal.translation_title", number=comment.number),
        blocks,
        metadata=str(comment.number),
    )


def article_text_modal(article: Article, field: str) -> dict[str, Any]:
    current = str(getattr(article, field, ""))
    blocks = [
        section(t("slack.review.title", title=inert(article.title))),
        *long_input("text", t(f"slack.modal.field.{field}"), initial=current),
    ]
    return _modal(
        ARTICLE_TEXT_MODAL,
        t("slack.modal.article_text_title", number=article.number),
        blocks,
        metadata=f"{article.number}:{field}",
    )


def reject_modal(article: Article) -> dict[str, Any]:
    blocks = [
        section(t("slack.review.title", title=inert(article.title))),
        _input("reason", t("slack.modal.reason"), multiline=True, max_length=1000),
    ]
    return _modal(
        REJECT_MODAL,
        t("slack.modal.reject_title", number=article.number),
        blocks,
        metadata=str(article.number),
    )


def notice_modal(text: str) -> dict[str, Any]:
    """A modal that only says something (the answer to a form that has no field to mark)."""
    return {
        "type": "modal",
        "title": plain("hanno", 24),
        "close": plain(t("slack.modal.cancel"), 24),
        "blocks": [section(inert(visible(text)))],
    }


# ---------------------------------------------------------------------------- announcements


def announcement(text: str, *elements: dict[str, Any], block_id: str = "hanno_ann") -> list[Block]:
    blocks: list[Block] = [section(text)]
    if elements:
        blocks.append(actions(block_id, *elements))
    return blocks


# ---------------------------------------------------------------------------- App Home


def home_view(
    *,
    role: str,
    work: Sequence[Comment],
    articles: Sequence[Article],
    waiting: Sequence[str],
    stats: str = "",
) -> dict[str, Any]:
    """The Home tab: my assignments, articles in progress, what is waiting for me, and the
    team's stats."""
    blocks: list[Block] = [
        {"type": "header", "text": plain(t("slack.home.header"))},
        context(t("slack.home.role", role=role)),
        {"type": "divider"},
        section(t("slack.home.work")),
    ]
    if work:
        for comment in work[:15]:
            latest = comment.translation
            done = (
                t("slack.home.todo")
                if latest is None
                else t("work.machine", revision=latest.revision)
                if latest.is_machine
                else t("slack.home.done", revision=latest.revision)
            )
            blocks.append(
                {
                    **section(
                        t(
                            "slack.home.work_line",
                            number=comment.number,
                            article=comment.article_number,
                            state=done,
                        )
                        + "\n"
                        + inert_excerpt(" ".join(comment.text.split()), 200)
                    ),
                    "accessory": button(
                        t("slack.button.translate"), TRANSLATE, str(comment.number)
                    ),
                }
            )
    else:
        blocks.append(context(t("slack.home.no_work")))
    blocks += [{"type": "divider"}, section(t("slack.home.articles"))]
    if articles:
        for article in articles[:15]:
            line = section(
                t(
                    "slack.home.article_line",
                    number=article.number,
                    title=inert(article.title),
                    state=t(f"state_name.{article.state.value}"),
                )
            )
            if article.open_for_comments:
                line["accessory"] = button(
                    t("slack.button.new_comment"), NEW_COMMENT, str(article.number)
                )
            blocks.append(line)
    else:
        blocks.append(context(t("slack.home.no_articles")))
    blocks += [{"type": "divider"}, section(t("slack.home.waiting"))]
    if waiting:
        blocks += [section(line) for line in waiting[:10]]
    else:
        blocks.append(context(t("slack.home.nothing_waiting")))
    if stats:
        blocks += [{"type": "divider"}, section(stats)]
    return {"type": "home", "blocks": blocks[:100]}


# Public names for the forms other modules build (the import form).
modal = _modal
text_input = _input
