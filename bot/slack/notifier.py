"""Core events as Slack posts: comment cards, the review message, DMs and announcements.

Cards are updated in place. Under a burst of votes the core announces one `ScoreChanged` per
vote, possibly out of order; sending one `chat.update` per vote would hit Slack's rate limits
and could leave a stale score on the card. Instead each card has at most one refresh in flight:
a vote marks the card dirty, and the refresher re-reads the comment from the core *after* the
last vote it saw, so the final update always shows the committed score.

Message ids are kept in the core's reference table (`service.get_ref/set_ref`), so cards and
review messages are still updated after a restart.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core import team_text
from bot.core.errors import DomainError
from bot.core.events import (
    ApprovalWithdrawn,
    ArticleCreated,
    ArticlePublished,
    CommentSubmitted,
    DraftApproved,
    DraftRejected,
    DraftSubmitted,
    Event,
    RemarkAdded,
    ScoreChanged,
    SelectionChanged,
    TranslationAssigned,
    TranslationReleased,
    TranslationSubmitted,
    VotingClosed,
    VotingReopened,
)
from bot.core.hints import HintWriter, text_command
from bot.core.import_replies import summary_text
from bot.core.messages import negotiate, speaking, t, tn
from bot.core.models import Actor, Article, ArticleState, Comment
from bot.core.service import HannoService
from bot.core.stats import PersonStats
from bot.core.team_events import DeadlinePassed, DigestDue, ReminderDue, ScheduleSet, TeamChanged
from bot.core.threads import CommentsImported
from bot.core.when import format_moment
from bot.slack import assist_blocks as assist_ui
from bot.slack import blocks as ui
from bot.slack.importing import import_button

log = logging.getLogger(__name__)

# At most this many people's App Homes are kept current per workspace.
HOME_WATCHERS = 200
CARD = "slack_comment_card"
# Seconds between the cards of an import: Slack's chat.postMessage allows about one message
# per second per channel, and a burst of 50 would be answered with 429s.
CARD_PACE = 1.0
REVIEW = "slack_review"
# Why a DM cannot reach someone, in Slack's words (conversations.open, chat.postMessage).
UNDELIVERABLE = frozenset(
    {"user_not_found", "user_disabled", "user_not_visible", "account_inactive", "cannot_dm_bot"}
)
# Answers worth trying again later (slack_sdk already retried 429s and 5xx a few times).
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


def transient(error: BaseException) -> bool:
    """Whether a later attempt may succeed: Slack was down, slow or rate limiting."""
    if isinstance(error, TimeoutError | aiohttp.ClientError):
        return True
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        return status == 429 or status >= 500 or error.response.get("error") in TRANSIENT_ERRORS
    return False


def slack_date(moment: datetime, fallback: str) -> str:
    """A moment as Slack's date markup: each reader sees it in their own timezone."""
    unix = int(moment.timestamp())
    return f"<!date^{unix}^{{date_short_pretty}} {{time}}|{fallback}>"


def slack_when(tz: tzinfo) -> Callable[[datetime], str]:
    """How Slack writes a moment: Slack's date markup, falling back to the team's timezone."""
    return lambda moment: slack_date(moment, format_moment(moment, tz))


def slack_person(person: PersonStats) -> str:
    """A person in a Slack text: a user mention Slack shows as their name."""
    if person.user_id.startswith(("U", "W")) and person.user_id.isalnum():
        return f"<@{person.user_id}>"
    return ui.inert(person.name or person.user_id)


# How Slack's people type a command the bot names, unless the app says otherwise: `/hanno …`.
SLACK_COMMAND = text_command("/hanno ")


def safe(
    render: Callable[[Callable[[datetime], str]], str], when: Callable[[datetime], str]
) -> str:
    """`render(when)` with every piece of people's text in it (titles, names) made inert,
    while the date markup `when` writes stays live."""
    stamps: list[str] = []

    def placeholder(moment: datetime) -> str:
        stamps.append(when(moment))
        return f"\x00{len(stamps) - 1}\x00"

    text = ui.inert(render(placeholder))
    return re.sub("\x00(\\d+)\x00", lambda match: stamps[int(match.group(1))], text)


@dataclass(frozen=True)
class Channels:
    """Where team-visible posts go (channel ids, or names for chat.postMessage)."""

    voting: str
    review: str
    publish: str


def system_actor(space: str) -> Actor:
    """Reading on the notifier's own behalf: a member, which may read everything it shows."""
    return Actor(space=space, user_id="hanno-slack", name="hanno")


class CardRefresher:
    """At most one `chat.update` in flight per card; the last one shows the latest state.

    A refresh that still fails after slack_sdk's own retries (a long rate-limit spell, a
    Slack outage) is tried again later, a few times, rather than leaving a stale score; and
    only `concurrency` cards are updated at once, so closing a vote with many comments does
    not fire a hundred updates into Slack's rate limit together.
    """

    def __init__(
        self,
        refresh: Callable[[str, int], Awaitable[None]],
        delay: float = 0.25,
        *,
        retry_delay: float = 5.0,
        max_failures: int = 3,
        concurrency: int = 4,
    ) -> None:
        self._refresh = refresh
        self.delay = delay
        self.retry_delay = retry_delay
        self.max_failures = max_failures
        self._slots = asyncio.Semaphore(concurrency)
        self._dirty: set[tuple[str, int]] = set()
        self._running: dict[tuple[str, int], asyncio.Task[None]] = {}

    def touch(self, space: str, number: int) -> None:
        key = (space, number)
        self._dirty.add(key)
        if key not in self._running:
            self._running[key] = asyncio.create_task(self._run(key))

    async def _run(self, key: tuple[str, int]) -> None:
        failures = 0
        try:
            while key in self._dirty:
                # Let a burst gather; after a failure, wait longer before trying again.
                await asyncio.sleep(self.retry_delay * failures if failures else self.delay)
                self._dirty.discard(key)
                try:
                    async with self._slots:
                        await self._refresh(*key)
                    failures = 0
                except Exception:  # a card is cosmetic: log, and try again a few times
                    failures += 1
                    log.exception("refreshing the card of comment %s failed (%s)", key, failures)
                    if failures <= self.max_failures:
                        self._dirty.add(key)
        finally:
            self._running.pop(key, None)

    async def drain(self) -> None:
        """Wait for pending refreshes (shutdown and tests)."""
        while self._running:
            await asyncio.gather(*list(self._running.values()), return_exceptions=True)


class SlackNotifier:
    """The core's `Notifier` for Slack."""

    def __init__(
        self,
        client: AsyncWebClient,
        channels: Channels,
        *,
        language: str = "en",
        locale_of: Callable[[str], Awaitable[str | None]] | None = None,
        retry_delays: tuple[float, ...] = (5.0, 30.0, 120.0),
        write_command: HintWriter = SLACK_COMMAND,
    ) -> None:
        """Channel posts are in the space's `language`; a direct message is in its reader's
        (`locale_of` a user id, when known). `write_command` writes a command a post names
        as people type it here."""
        self.client = client
        self.channels = channels
        self.write_command = write_command
        self.language = language
        self.locale_of = locale_of
        self.retry_delays = retry_delays
        # Republishes a person's App Home (set by the events listener), and who opened it.
        self.home: Callable[[str, str], Awaitable[None]] | None = None
        self.home_viewers: dict[str, set[str]] = {}
        # Writes a moment for Slack (build_app sets it from the team's timezone).
        self.when = slack_when(UTC)
        self.service: HannoService | None = None  # set by build_app (the service needs us first)
        self.cards = CardRefresher(self._refresh_card)
        self.card_pace = CARD_PACE
        self._pending: deque[Event] = deque()
        self._worker: asyncio.Future[None] | None = None

    def bind(self, service: HannoService) -> None:
        self.service = service
        service.notifier = self

    @property
    def _service(self) -> HannoService:
        if self.service is None:
            raise RuntimeError("SlackNotifier.bind(service) was not called")
        return self.service

    # -------------------------------------------------------------------- posting

    async def post(self, channel: str, text: str, blocks: list[dict[str, Any]]) -> tuple[str, str]:
        """Post to `channel`; returns the (channel id, ts) Slack answered with."""
        response = await self.client.chat_postMessage(
            channel=channel,
            text=ui.fallback(text),
            blocks=blocks,
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(response["channel"]), str(response["ts"])

    async def update(self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]) -> None:
        await self.client.chat_update(channel=channel, ts=ts, text=ui.fallback(text), blocks=blocks)

    async def reader_language(self, user_id: str) -> str:
        found = await self.locale_of(user_id) if self.locale_of else None
        return negotiate(found) if found else self.language

    async def dm(self, user_id: str, text: str, blocks: list[dict[str, Any]]) -> None:
        opened = await self.client.conversations_open(users=user_id)
        await self.post(str(opened["channel"]["id"]), text, blocks)

    async def announce(self, channel: str, text: str) -> None:
        await self.post(channel, text, ui.announcement(text))

    async def dm_or_report(
        self,
        space: str,
        user_id: str,
        name: str,
        *,
        about: str,
        notify: str,
        text: str,
        blocks: list[dict[str, Any]],
    ) -> bool:
        """DM `user_id`; if Slack cannot reach them (deactivated, unknown, a bot), the
        moderator `notify` — or the review channel — is told, once. Transient failures
        propagate, to be retried with the event."""
        deliveries = self._service.deliveries
        try:
            await self.dm(user_id, text, blocks)
        except SlackApiError as error:
            reason = str(error.response.get("error", ""))
            if reason not in UNDELIVERABLE:
                raise
            log.warning("cannot send %s a direct message: %s", user_id, reason)
            if await deliveries.undeliverable(space, user_id, notify=notify, reason=reason):
                notice = team_text.dm_failed(ui.inert(name), about)
                try:
                    if not notify.startswith(("U", "W")):
                        raise LookupError(notify)
                    await self.dm(notify, notice, ui.announcement(notice))
                except (SlackApiError, LookupError):
                    await self.announce(self.channels.review, notice)
            return False
        await deliveries.delivered(space, user_id)
        return True

    # -------------------------------------------------------------------- cards

    async def _card_blocks(self, comment: Comment) -> list[dict[str, Any]]:
        article = await self._service.get_article(
            system_actor(comment.space), comment.article_number
        )
        return ui.comment_card(comment, article)

    async def post_card(self, comment: Comment, article: Article) -> None:
        channel, ts = await self.post(
            self.channels.voting,
            t("slack.card.fallback", number=comment.number, text=comment.text),
            ui.comment_card(comment, article),
        )
        await self._service.set_ref(comment.space, CARD, str(comment.number), channel, ts)

    async def _refresh_card(self, space: str, number: int) -> None:
        ref = await self._service.get_ref(space, CARD, str(number))
        if ref is None:
            return
        comment = await self._service.get_comment(system_actor(space), number)
        with speaking(self.language):  # a refresh task may start in a person's request
            await self.update(
                ref[0],
                ref[1],
                t("slack.card.fallback", number=number, text=comment.text),
                await self._card_blocks(comment),
            )

    async def _refresh_cards_of(self, article: Article) -> None:
        try:
            comments = await self._service.list_comments(
                system_actor(article.space), article.number
            )
        except DomainError:
            return
        for comment in comments:
            self.cards.touch(article.space, comment.number)

    # -------------------------------------------------------------------- review message

    async def _review_status(self, article: Article) -> str:
        board = await self._service.status(system_actor(article.space), article.number)
        state = t(f"state_name.{article.state.value}")
        return t(
            "slack.review.status",
            state=state,
            count=board.fresh_approvals,
            required=board.approvals_required,
        )

    async def _preview(self, article: Article) -> str:
        """The draft's text as the renderer gives it, its reactions known (see `Units`): the
        preview an event carries is a plain string, which Slack's sections would cut anywhere."""
        document = await self._service.document(system_actor(article.space), article.number)
        return self._service.renderer.text(document)

    async def _update_review(self, article: Article) -> None:
        ref = await self._service.get_ref(article.space, REVIEW, str(article.number))
        if ref is None:
            return
        draft_text = await self._preview(article)
        status = await self._review_status(article)
        await self.update(
            ref[0],
            ref[1],
            t("slack.review.fallback", number=article.number, title=article.title),
            ui.review_message(
                article,
                draft_text,
                status,
                open_for_review=article.state is ArticleState.REVIEW,
                blogs=self._service.target_names(),
            ),
        )

    # -------------------------------------------------------------------- events

    async def notify(self, event: Event) -> None:
        """Queue the event and return at once: the core's change is committed, and Slack's
        latency (or a rate-limit wait) must not hold up the request that caused it, e.g. a
        modal submission that has to be answered within Slack's 3 seconds. One worker posts
        the events in order, so a review message exists before its approval updates it."""
        self._pending.append(event)
        if self._worker is None or self._worker.done():
            self._worker = asyncio.ensure_future(self._work())

    async def _work(self) -> None:
        while self._pending:
            await self._show_retrying(self._pending.popleft())

    async def _show_retrying(self, event: Event) -> None:
        """Show `event`, trying again after `retry_delays` when Slack failed on its side
        (as card refreshes are): an announcement, a DM or a review post is not lost to an
        outage, and the events behind it wait, so they still appear in order."""
        name = type(event).__name__
        for failures in range(len(self.retry_delays) + 1):
            try:
                with speaking(self.language):
                    await self.show(event)
                await self._refresh_homes(event)
                return
            except Exception as error:  # nobody to answer here: log it, keep posting the rest
                if not transient(error) or failures >= len(self.retry_delays):
                    log.exception("showing %s in Slack failed", name)
                    return
                delay = self.retry_delays[failures]
                log.warning("showing %s failed (%r); trying again in %gs", name, error, delay)
                await asyncio.sleep(delay)

    def watch_home(self, space: str, user_id: str) -> None:
        """`user_id` looked at their App Home: keep it current from now on."""
        viewers = self.home_viewers.setdefault(space, set())
        if len(viewers) < HOME_WATCHERS:
            viewers.add(user_id)

    async def _refresh_homes(self, event: Event) -> None:
        """Publish again the Homes that `event` changes: the person whose work changed, and
        everyone who opened Home when an article changes state. A failure here is logged,
        never a reason to show the event again."""
        if self.home is None:
            return
        match event:
            case TranslationAssigned(comment=c, assignee_id=uid):
                space, users = c.space, {uid}
            case TranslationReleased(comment=c, previous_id=uid):
                space, users = c.space, {uid}
            case TeamChanged(space=space, user_id=uid):
                users = {uid}
            case (
                ArticleCreated(article=a)
                | VotingClosed(article=a)
                | VotingReopened(article=a)
                | DraftSubmitted(article=a)
                | DraftApproved(article=a)
                | DraftRejected(article=a)
                | ArticlePublished(article=a)
            ):
                space, users = a.space, set()
            case _:
                return
        users |= self.home_viewers.get(space, set())
        for user_id in sorted(u for u in users if u.startswith(("U", "W"))):
            try:
                with speaking(await self.reader_language(user_id)):
                    await self.home(space, user_id)
            except Exception:
                log.exception("refreshing the App Home of %s failed", user_id)

    async def drain(self) -> None:
        """Wait until every queued event is shown and every card refreshed."""
        while self._worker is not None and not self._worker.done():
            await self._worker
        await self.cards.drain()

    async def show(self, event: Event) -> None:
        """Post or update what `event` changes in Slack."""
        ch = self.channels
        match event:
            case ArticleCreated(article=a):
                text = t("slack.ann.article_created", number=a.number, title=ui.inert(a.title))
                await self.post(
                    ch.voting,
                    text,
                    ui.announcement(
                        text,
                        ui.button(t("slack.button.new_comment"), ui.NEW_COMMENT, str(a.number)),
                        import_button(a.number),
                        block_id=f"hanno_article_{a.number}",
                    ),
                )
            case CommentSubmitted(article=a, comment=c):
                await self.post_card(c, a)
            case CommentsImported(summary=summary):
                await self.announce(ch.voting, summary_text(summary))
                for comment in summary.added:
                    # chat.postMessage allows about one message a second per channel
                    await asyncio.sleep(self.card_pace)
                    await self.post_card(comment, summary.article)
            case ScoreChanged(comment=c):
                self.cards.touch(c.space, c.number)
            case SelectionChanged(comment=c) | TranslationSubmitted(comment=c):
                self.cards.touch(c.space, c.number)
            case VotingClosed(article=a, selected=selected):
                numbers = ", ".join(f"#{c.number}" for c in selected) or t("word.none")
                text = t("slack.ann.closed", number=a.number, comments=numbers)
                note = safe(lambda when: team_text.closed_note(event, when), self.when)
                await self.announce(ch.voting, f"{text}\n{note}" if note else text)
                await self._refresh_cards_of(a)
            case VotingReopened(article=a):
                await self.announce(ch.voting, t("slack.ann.reopened", number=a.number))
                await self._refresh_cards_of(a)
            case TranslationAssigned(
                comment=c, assignee_id=uid, assignee_name=name, by_name=by, by_id=by_id
            ):
                self.cards.touch(c.space, c.number)
                if uid.startswith(("U", "W")):
                    with speaking(await self.reader_language(uid)):
                        text = t(
                            "slack.dm.assigned", number=c.number, article=c.article_number, by=by
                        )
                        blocks = ui.assignment_dm(c, by)
                    await self.dm_or_report(
                        c.space,
                        uid,
                        name,
                        about=team_text.about_comment(c.number, c.article_number),
                        notify=by_id,
                        text=text,
                        blocks=blocks,
                    )
            case RemarkAdded(comment=c, remark=r, translator_id=uid, translator_name=name):
                if uid.startswith(("U", "W")):
                    with speaking(await self.reader_language(uid)):
                        text = t(
                            "slack.dm.remark",
                            number=c.number,
                            article=c.article_number,
                            by=r.author_name,
                        )
                        blocks = assist_ui.remark_dm(c, r, text)
                    await self.dm_or_report(
                        c.space,
                        uid,
                        name,
                        about=team_text.about_comment(c.number, c.article_number),
                        notify=r.author_id,
                        text=text,
                        blocks=blocks,
                    )
            case TranslationReleased(comment=c, previous_id=uid):
                self.cards.touch(c.space, c.number)
                if uid.startswith(("U", "W")):
                    with speaking(await self.reader_language(uid)):
                        text = t("slack.dm.released", number=c.number)
                    await self.dm(uid, text, ui.announcement(text))
            case DraftSubmitted(article=a):
                status, preview = await self._review_status(a), await self._preview(a)
                channel, ts = await self.post(
                    ch.review,
                    t("slack.review.fallback", number=a.number, title=a.title),
                    ui.review_message(a, preview, status, open_for_review=True),
                )
                await self._service.set_ref(a.space, REVIEW, str(a.number), channel, ts)
            case DraftApproved(article=a, by_name=by, approvals=n, required=r, approved=ok):
                await self._update_review(a)
                key = "slack.ann.approved" if ok else "slack.ann.approval_counted"
                await self.announce(
                    ch.review, tn(key, r, number=a.number, by=ui.inert(by), count=n, required=r)
                )
            case DraftRejected(article=a, by_name=by, reason=reason):
                await self._update_review(a)
                await self.announce(
                    ch.review,
                    t(
                        "slack.ann.rejected",
                        number=a.number,
                        by=ui.inert(by),
                        reason=ui.inert(reason),
                    ),
                )
            case ApprovalWithdrawn(article=a, by_name=by):
                await self._update_review(a)
                await self.announce(
                    ch.review, t("slack.ann.withdrawn", number=a.number, by=ui.inert(by))
                )
            case ScheduleSet(kind=kind):
                text = safe(lambda when: team_text.schedule_set(event, when), self.when)
                await self.announce(ch.voting if kind == "close" else ch.review, text)
            case DeadlinePassed():
                text = safe(lambda when: team_text.deadline_passed(event, when), self.when)
                await self.announce(ch.review, text)
            case DigestDue():
                await self.announce(
                    ch.review,
                    safe(
                        lambda when: team_text.digest(event, when, command=self.write_command),
                        self.when,
                    ),
                )
            case ReminderDue(space=space, assignee_id=uid, assignee_name=name):
                with speaking(await self.reader_language(uid)):
                    text = safe(
                        lambda when: team_text.reminder(event, when, command=self.write_command),
                        self.when,
                    )
                await self.dm_or_report(
                    space,
                    uid,
                    name,
                    about=team_text.about_comment(event.comment_number, event.article_number),
                    notify=event.assigned_by or "",
                    text=text,
                    blocks=ui.announcement(text),
                )
            case ArticlePublished(article=a):
                await self._update_review(a)
                await self.announce(
                    ch.review,
                    t("slack.ann.published", number=a.number, title=ui.inert(a.title)),
                )


class PartNotPosted(Exception):
    """Slack did not confirm a part after every attempt; it was not found in the channel."""


class PublishPoster:
    """The core's publish target: one article part becomes one or more Slack messages.

    The core cuts the article into parts of `limit` characters and records each part's
    message id, so a part it recorded is never posted again. What the core cannot know is
    whether a post whose answer never came (a timeout, a 5xx after Slack had already posted,
    a crash before the id was recorded) landed, and Slack has no idempotency key for
    chat.postMessage. So each message carries metadata naming its part (a digest of the
    text), and before posting, and after any doubtful failure, the poster looks at the
    channel's latest messages: a message already there is recorded, not posted again.

    Rate limits (429) are waited out by slack_sdk (Slack did not post anything); 5xx answers,
    timeouts and dropped connections are retried here, after that look, `attempts` times in
    all, each bounded by `timeout` seconds; then the publish stops and the core keeps the
    article approved with the parts posted so far. A part is shown as sections of at most
    3,000 characters; should it need more than 50 blocks, it continues in a further message.
    Reading history needs the bot in the channel (channels:history / groups:history); without
    it the look is skipped and a doubtful post is not retried.
    """

    EVENT_TYPE = "hanno_article_part"
    HISTORY_LOOKBACK = 20

    def __init__(
        self,
        notifier: SlackNotifier,
        channel: str,
        limit: int = 12_000,
        *,
        client: AsyncWebClient | None = None,
        timeout: float = 20.0,
        attempts: int = 3,
        backoff: float = 1.0,
    ) -> None:
        self.notifier = notifier
        self.channel = channel
        self.limit = limit
        self.client = client or notifier.client
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self._channel_id = channel if channel[:1] in ("C", "G") and channel.isupper() else ""

    @property
    def channel_id(self) -> str:
        """The publish channel's id once known (configured by id, or after a post)."""
        return self._channel_id

    @property
    def mention(self) -> str:
        """A link to the channel (`<#C…>`) once its id is known (it is after a post), shown
        by Slack with the channel's current name; `#name` before that."""
        return f"<#{self._channel_id}>" if self._channel_id else f"#{self.channel.lstrip('#')}"

    async def post(self, index: int, text: str) -> str:
        ids = []
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        for number, chunk in enumerate(ui.messages_of(ui.text_sections(text))):
            if not chunk:
                continue
            marker = {"part": index, "chunk": number, "digest": digest}
            channel, ts = await self._post_once(text, chunk, marker)
            ids.append(f"{channel}/{ts}")
        return ",".join(ids)

    async def _post_once(
        self, text: str, blocks: list[dict[str, Any]], marker: dict[str, Any]
    ) -> tuple[str, str]:
        """Post one message unless it is already in the channel; retry doubtful failures."""
        readable, found = await self._find(marker)
        if found is not None:
            log.info("publish part %s was posted before (%s); recording it", marker, found[1])
            return found
        for attempt in range(1, self.attempts + 1):
            try:
                async with asyncio.timeout(self.timeout):
                    response = await self.client.chat_postMessage(
                        channel=self.channel,
                        text=ui.fallback(text),
                        blocks=blocks,
                        unfurl_links=False,
                        unfurl_media=False,
                        metadata={"event_type": self.EVENT_TYPE, "event_payload": marker},
                    )
                self._channel_id = str(response["channel"])
                return self._channel_id, str(response["ts"])
            except SlackApiError as exc:
                status = exc.response.status_code
                if status < 500:  # refused (not_in_channel, invalid_blocks…): nothing posted
                    raise
                reason: str = f"HTTP {status}"
            except (TimeoutError, aiohttp.ClientError) as exc:
                reason = type(exc).__name__
            log.warning(
                "publishing to %s: attempt %s of %s failed (%s)",
                self.channel,
                attempt,
                self.attempts,
                reason,
            )
            if not readable:
                break  # cannot tell whether it landed: never risk a second copy
            await asyncio.sleep(self.backoff * attempt)
            readable, found = await self._find(marker)
            if found is not None:
                return found
        raise PartNotPosted(f"part {marker['part'] + 1} was not confirmed by Slack")

    async def _find(self, marker: dict[str, Any]) -> tuple[bool, tuple[str, str] | None]:
        """(history readable, the message carrying `marker` among the channel's latest)."""
        if not self._channel_id:  # a channel name: history needs the id a post returns
            return False, None
        try:
            async with asyncio.timeout(self.timeout):
                response = await self.client.conversations_history(
                    channel=self._channel_id,
                    limit=self.HISTORY_LOOKBACK,
                    include_all_metadata=True,
                )
        except (SlackApiError, TimeoutError, aiohttp.ClientError) as exc:
            log.info("cannot read %s to check earlier posts: %r", self.channel, exc)
            return False, None
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            if (
                metadata.get("event_type") == self.EVENT_TYPE
                and metadata.get("event_payload") == marker
            ):
                return True, (self._channel_id, str(message["ts"]))
        return True, None
