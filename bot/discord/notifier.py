"""The core's events turned into Discord posts: cards, review posts, announcements, DMs.

Why it works in the background with coalescing: a burst of votes produces a burst of
ScoreChanged events, and one message edit per click would hit Discord's rate limits and
could land out of order. Instead every card is redrawn by one job per card that re-reads the
truth from the core; clicks arriving while it runs only mark the card dirty, so the card
ends on the true score with a handful of edits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Protocol

import aiohttp
import discord

from bot.core import events as ev
from bot.core import team_events as tev
from bot.core import team_text
from bot.core.import_replies import summary_text
from bot.core.messages import speaking, t
from bot.core.threads import CommentsImported
from bot.discord import cards
from bot.discord.base import NO_MENTIONS, ChannelKind, HannoClient
from bot.discord.cards import timestamp
from bot.discord.dms import guild_name
from bot.discord.errors import discord_command, incident
from bot.discord.identity import system_actor
from bot.discord.items import article_view, comment_view, review_message, translate_view

log = logging.getLogger("bot.discord.notifier")

Job = Callable[[], Awaitable[None]]


# Failures on Discord's side that a later attempt may not meet. A card job re-reads the truth
# and edits in place, so running it again is always safe.
TRANSIENT = (discord.DiscordServerError, discord.RateLimited, aiohttp.ClientError, TimeoutError)


class Coalescer:
    """At most one running job per key; requests during a run cause exactly one more run.

    A job that fails on Discord's side (5xx, a rate limit discord.py would not wait out, a
    lost connection) is run again after `retry_delays`, unless a newer request for the same
    key has come in meanwhile: a card must not stay on an old score because its last edit
    met a hiccup.
    """

    def __init__(
        self, delay: float = 0.0, retry_delays: tuple[float, ...] = (1.0, 5.0, 30.0)
    ) -> None:
        self.delay = delay
        self.retry_delays = retry_delays
        self._closing = asyncio.Event()
        self._pending: dict[Hashable, Job] = {}
        self._running: dict[Hashable, asyncio.Task[None]] = {}

    def request(self, key: Hashable, job: Job) -> None:
        self._pending[key] = job
        if key not in self._running:
            self._running[key] = asyncio.get_running_loop().create_task(self._run(key))

    async def _run(self, key: Hashable) -> None:
        failures = 0
        try:
            while True:
                if self.delay:
                    await asyncio.sleep(self.delay)
                job = self._pending.pop(key, None)
                if job is None:
                    return
                try:
                    await job()
                    failures = 0
                except TRANSIENT as error:
                    if failures >= len(self.retry_delays) or self._closing.is_set():
                        log.warning("gave up on %s after %d attempts: %r", key, failures + 1, error)
                        failures = 0
                        continue
                    delay = self.retry_delays[failures]
                    log.warning("%s failed (%r); trying again in %gs", key, error, delay)
                    with contextlib.suppress(TimeoutError):  # closing cuts the wait short
                        await asyncio.wait_for(self._closing.wait(), delay)
                    failures += 1
                    self._pending.setdefault(key, job)
                except Exception as error:
                    incident(error, f"background job {key}")
        finally:
            del self._running[key]

    async def wait(self, key: Hashable) -> None:
        """Until no job for `key` is running or pending."""
        while (task := self._running.get(key)) is not None:
            await asyncio.gather(task, return_exceptions=True)

    def close(self) -> None:
        """From now on a failed job is not retried (shutdown must not wait out an outage)."""
        self._closing.set()

    async def drain(self) -> None:
        """Wait until no job is running or pending (tests, shutdown)."""
        while self._running:
            await asyncio.gather(*self._running.values(), return_exceptions=True)


class Serial:
    """Jobs run one after another in the order they were pushed (announcements, posts, DMs).

    A job that fails on Discord's side is run again after `retry_delays`, as card redraws
    are, before the jobs behind it: an announcement must not be lost to a 503, and a review
    post must exist before its approval is announced. After the last delay it is given up
    (logged), and the queue goes on.
    """

    def __init__(self, retry_delays: tuple[float, ...] = (1.0, 5.0, 30.0)) -> None:
        self.retry_delays = retry_delays
        self._closing = asyncio.Event()
        self._jobs: deque[Job] = deque()
        self._task: asyncio.Task[None] | None = None

    def push(self, job: Job) -> None:
        self._jobs.append(job)
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        try:
            while self._jobs:
                await self._attempt(self._jobs.popleft())
        finally:
            self._task = None

    async def _attempt(self, job: Job) -> None:
        for failures in range(len(self.retry_delays) + 1):
            try:
                await job()
                return
            except TRANSIENT as error:
                if failures >= len(self.retry_delays) or self._closing.is_set():
                    log.warning("gave up on a post after %d attempts: %r", failures + 1, error)
                    return
                delay = self.retry_delays[failures]
                log.warning("a post failed (%r); trying again in %gs", error, delay)
                with contextlib.suppress(TimeoutError):  # closing cuts the wait short
                    await asyncio.wait_for(self._closing.wait(), delay)
            except Exception as error:
                incident(error, "background post")
                return

    def close(self) -> None:
        self._closing.set()

    async def drain(self) -> None:
        while self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)


class NotifierClient(HannoClient, Protocol):
    """What the notifier needs of the running bot (which builds it and hands itself in): the
    core and the configured channels, plus the discord.py lookups for messages, users and
    guilds. The client module imports this one, never the other way round."""

    def get_partial_messageable(self, id: int, /) -> discord.PartialMessageable: ...

    def get_user(self, id: int, /) -> discord.User | None: ...

    async def fetch_user(self, user_id: int, /) -> discord.User: ...

    def get_guild(self, id: int, /) -> discord.Guild | None: ...


class DiscordNotifier:
    """Implements the core's Notifier protocol for one bot."""

    def __init__(self, bot: NotifierClient, *, coalesce_delay: float = 0.2) -> None:
        self.bot = bot
        self.cards = Coalescer(delay=coalesce_delay)
        self.posts = Serial()

    async def close(self) -> None:
        """Finish what is queued, without retrying what fails (the bot is shutting down)."""
        self.cards.close()
        self.posts.close()
        await self.drain()

    async def drain(self) -> None:
        for _ in range(3):  # a job may schedule another (announce after a redraw)
            await self.cards.drain()
            await self.posts.drain()

    async def notify(self, event: ev.Event) -> None:
        """Cards, announcements and DMs are in the space's language, whoever caused them (the
        jobs scheduled here copy it, as asyncio tasks copy the active language)."""
        handler = getattr(self, f"_on_{type(event).__name__}", None)
        if handler is not None:
            with speaking(self.bot.language):
                await handler(event)

    # --- events ----------------------------------------------------------------------------

    async def _on_ArticleCreated(self, event: ev.ArticleCreated) -> None:
        self._article_card(event.article.space, event.article.number)

    async def _on_CommentSubmitted(self, event: ev.CommentSubmitted) -> None:
        self._comment_card(event.comment.space, event.comment.number)

    async def _on_CommentsImported(self, event: CommentsImported) -> None:
        """One summary, then the cards one after the other: discord.py waits out the
        channel's bucket between them, instead of 50 posts racing for it at once."""
        summary = event.summary
        space = summary.article.space
        self._announce(space, "voting", summary_text(summary))
        for comment in summary.added:
            self._post(lambda n=comment.number: self._card_in_turn(space, n))

    async def _on_ScoreChanged(self, event: ev.ScoreChanged) -> None:
        self._comment_card(event.comment.space, event.comment.number)

    async def _on_SelectionChanged(self, event: ev.SelectionChanged) -> None:
        self._comment_card(event.comment.space, event.comment.number)

    async def _on_TranslationReleased(self, event: ev.TranslationReleased) -> None:
        self._comment_card(event.comment.space, event.comment.number)

    async def _on_TranslationSubmitted(self, event: ev.TranslationSubmitted) -> None:
        self._comment_card(event.comment.space, event.comment.number)

    async def _on_TranslationAssigned(self, event: ev.TranslationAssigned) -> None:
        comment = event.comment
        self._comment_card(comment.space, comment.number)
        self._post(lambda: self._dm_assignee(event))

    async def _on_VotingClosed(self, event: ev.VotingClosed) -> None:
        article = event.article
        self._redraw_article(article.space, article.number)
        numbers = ", ".join(f"#{c.number}" for c in event.selected)
        text = t(
            "discord.card.closed_summary",
            number=article.number,
            count=len(event.selected),
            comments=numbers or t("discord.card.nothing_selected"),
        )
        note = team_text.closed_note(event, timestamp)
        self._announce(article.space, "voting", f"{text}\n{note}" if note else text)

    async def _on_VotingReopened(self, event: ev.VotingReopened) -> None:
        article = event.article
        self._redraw_article(article.space, article.number)
        self._announce(article.space, "voting", t("discord.card.reopened", number=article.number))

    async def _on_DraftSubmitted(self, event: ev.DraftSubmitted) -> None:
        article = event.article
        self._post(lambda: self._post_review(article.space, article.number))

    async def _on_DraftApproved(self, event: ev.DraftApproved) -> None:
        article = event.article
        self._review_card(article.space, article.number)
        key = (
            "discord.review.announce_ready"
            if event.approved
            else "discord.review.announce_approved"
        )
        text = t(
            key,
            name=event.by_name,
            number=article.number,
            approvals=event.approvals,
            required=event.required,
        )
        self._announce(article.space, "review", text)

    async def _on_DraftRejected(self, event: ev.DraftRejected) -> None:
        article = event.article
        self._review_card(article.space, article.number)
        self._redraw_article(article.space, article.number)
        text = t(
            "discord.review.announce_rejected",
            name=event.by_name,
            number=article.number,
            reason=event.reason,
        )
        self._announce(article.space, "review", text)

    async def _on_ApprovalWithdrawn(self, event: ev.ApprovalWithdrawn) -> None:
        article = event.article
        self._review_card(article.space, article.number)
        text = t("discord.review.announce_withdrawn", name=event.by_name, number=article.number)
        self._announce(article.space, "review", text)

    async def _on_ArticlePublished(self, event: ev.ArticlePublished) -> None:
        article = event.article
        self._review_card(article.space, article.number)
        self._article_card(article.space, article.number)
        channel = self.bot.channel_mention(article.space, "publish")
        text = t("discord.review.announce_published", number=article.number, channel=channel)
        self._announce(article.space, "review", text)

    async def _on_ScheduleSet(self, event: tev.ScheduleSet) -> None:
        kind: ChannelKind = "voting" if event.kind == "close" else "review"
        self._announce(event.article.space, kind, team_text.schedule_set(event, timestamp))
        self._article_card(event.article.space, event.article.number)

    async def _on_DeadlinePassed(self, event: tev.DeadlinePassed) -> None:
        self._announce(event.article.space, "review", team_text.deadline_passed(event, timestamp))

    async def _on_DigestDue(self, event: tev.DigestDue) -> None:
        self._announce(
            event.space, "review", team_text.digest(event, timestamp, command=discord_command)
        )

    async def _on_ReminderDue(self, event: tev.ReminderDue) -> None:
        """A DM in the language the translator's client last showed hanno."""
        about = team_text.about_comment(event.comment_number, event.article_number)
        reader = self.bot.locales.get(int(event.assignee_id), self.bot.language)
        with speaking(reader):
            text = team_text.reminder(event, timestamp, command=discord_command)

        async def job() -> None:
            await self._dm(
                event.space,
                event.assignee_id,
                event.assignee_name,
                about=about,
                notify=event.assigned_by or "",
                content=text,
            )

        self._post(job)

    # --- scheduling --------------------------------------------------------------------------

    def _comment_card(self, space: str, number: int) -> None:
        self.cards.request(("comment", space, number), lambda: self._sync_comment(space, number))

    async def _card_in_turn(self, space: str, number: int) -> None:
        """Post (or redraw) a comment's card through its own job and wait for it, so that a
        vote meanwhile cannot post the same card twice."""
        key = ("comment", space, number)
        self._comment_card(space, number)
        await self.cards.wait(key)

    def _article_card(self, space: str, number: int) -> None:
        self.cards.request(("article", space, number), lambda: self._sync_article(space, number))

    def _review_card(self, space: str, number: int) -> None:
        self.cards.request(("review", space, number), lambda: self._sync_review(space, number))

    def _redraw_article(self, space: str, number: int) -> None:
        """Every card of an article: after close/reopen/reject their buttons change."""
        self._article_card(space, number)
        self._post(lambda: self._redraw_comments(space, number))

    def _post(self, job: Job) -> None:
        self.posts.push(job)

    def _announce(self, space: str, kind: ChannelKind, text: str) -> None:
        async def job() -> None:
            channel = self.bot.channel_for(space, kind)
            if channel is not None:
                await channel.send(text, allowed_mentions=NO_MENTIONS)

        self._post(job)

    # --- jobs ----------------------------------------------------------------------------------

    async def _redraw_comments(self, space: str, number: int) -> None:
        for comment in await self.bot.service.list_comments(system_actor(space), number):
            self._comment_card(space, comment.number)

    async def _sync_comment(self, space: str, number: int) -> None:
        svc = self.bot.service
        actor = system_actor(space)
        comment = await svc.get_comment(actor, number)
        article = await svc.get_article(actor, comment.article_number)
        await self._upsert(
            space,
            "comment",
            str(number),
            "voting",
            embed=cards.comment_embed(comment, article),
            view=comment_view(comment, article, space),
        )

    async def _sync_article(self, space: str, number: int) -> None:
        article = await self.bot.service.get_article(system_actor(space), number)
        await self._upsert(
            space,
            "article",
            str(number),
            "voting",
            embed=cards.article_embed(article),
            view=article_view(article),
        )

    async def _sync_review(self, space: str, number: int) -> None:
        if await self.bot.service.get_ref(space, "review", str(number)) is None:
            return
        embed, view = await review_message(self.bot.service, space, number)
        await self._upsert(space, "review", str(number), "review", embed=embed, view=view)

    async def _post_review(self, space: str, number: int) -> None:
        """A fresh review post for each submitted draft; the old one loses its buttons."""
        svc = self.bot.service
        old = await svc.get_ref(space, "review", str(number))
        if old is not None:
            message = self.bot.get_partial_messageable(int(old[0])).get_partial_message(int(old[1]))
            try:
                await message.edit(view=None, allowed_mentions=NO_MENTIONS)
            except discord.NotFound:
                pass
        embed, view = await review_message(svc, space, number)
        await self._upsert(space, "review", str(number), "review", embed=embed, view=view, new=True)

    async def _on_RemarkAdded(self, event: ev.RemarkAdded) -> None:
        self._post(lambda: self._dm_remark(event))

    async def _dm_remark(self, event: ev.RemarkAdded) -> None:
        """The translator hears of a reviewer's remark, with the form a click away."""
        comment = event.comment
        if not event.translator_id.isdigit():
            return
        with speaking(self._language_of(event.translator_id)):
            text = t(
                "discord.dm.remark",
                number=comment.number,
                article=comment.article_number,
                guild=guild_name(self.bot, comment.space),
                by=event.remark.author_name,
            )
            embed = discord.Embed(
                description=cards.clip(cards.quoted(event.remark.text), cards.DESCRIPTION_LIMIT),
                colour=cards.COLOUR,
            )
            embed.set_footer(text=t("discord.dm.remark_footer"))
        await self._dm(
            comment.space,
            event.translator_id,
            event.translator_name,
            about=team_text.about_comment(comment.number, comment.article_number),
            notify=event.remark.author_id,
            content=text,
            embed=embed,
            view=translate_view(comment.space, comment.number),
        )

    async def _dm_assignee(self, event: ev.TranslationAssigned) -> None:
        comment = event.comment
        user_id = int(event.assignee_id)
        user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
        guild = self.bot.get_guild(int(comment.space))
        with speaking(self.bot.locales.get(user_id, self.bot.language)):
            await self._send_assignment(user, event, guild)

    async def _send_assignment(
        self, user: discord.User, event: ev.TranslationAssigned, guild: discord.Guild | None
    ) -> None:
        """The DM to the translator, in the language their client last showed hanno."""
        comment = event.comment
        text = t(
            "discord.dm.assigned",
            number=comment.number,
            article=comment.article_number,
            guild=guild.name if guild else comment.space,
            by=event.by_name,
        )
        embed = discord.Embed(
            description=cards.clip(cards.quoted(comment.text), cards.DESCRIPTION_LIMIT),
            colour=cards.COLOUR,
        )
        embed.set_footer(text=t("discord.dm.open_form"))
        await self._dm(
            comment.space,
            event.assignee_id,
            event.assignee_name,
            about=team_text.about_comment(comment.number, comment.article_number),
            notify=event.by_id,
            user=user,
            content=text,
            embed=embed,
            view=translate_view(comment.space, comment.number),
        )

    async def _dm(
        self,
        space: str,
        user_id: str,
        name: str,
        *,
        about: str,
        notify: str,
        user: discord.abc.User | None = None,
        **content: Any,
    ) -> bool:
        """DM `user_id`; if Discord refuses it (their DMs are closed, code 50007), the
        moderator `notify` — or the review channel — is told, once. Transient failures
        propagate, for the post queue to retry."""
        deliveries = self.bot.service.deliveries
        if user is None:
            user = self.bot.get_user(int(user_id)) or await self.bot.fetch_user(int(user_id))
        try:
            await user.send(**content, allowed_mentions=NO_MENTIONS)
        except discord.Forbidden as error:
            log.warning(t("discord.error.dm_closed", name=name))
            if await deliveries.undeliverable(space, user_id, notify=notify, reason=str(error)):
                await self._tell_undeliverable(space, name, about, notify)
            return False
        await deliveries.delivered(space, user_id)
        return True

    async def _tell_undeliverable(self, space: str, name: str, about: str, notify: str) -> None:
        """The moderator hears it in their client's language; the review channel in the
        space's."""
        if notify.isdigit():
            with speaking(self.bot.locales.get(int(notify), self.bot.language)):
                text = team_text.dm_failed(name, about)
            try:
                moderator = self.bot.get_user(int(notify)) or await self.bot.fetch_user(int(notify))
                await moderator.send(text, allowed_mentions=NO_MENTIONS)
                return
            except (discord.Forbidden, discord.NotFound, ValueError):
                pass  # the moderator cannot be reached either: the review channel hears it
        channel = self.bot.channel_for(space, "review")
        if channel is not None:
            with speaking(self.bot.language):
                text = team_text.dm_failed(name, about)
            await channel.send(text, allowed_mentions=NO_MENTIONS)

    def _language_of(self, user_id: str) -> str:
        """The language the person's client last showed hanno (the space's until then)."""
        return self.bot.locales.get(int(user_id), self.bot.language)

    async def _upsert(
        self,
        space: str,
        kind: str,
        key: str,
        channel_kind: ChannelKind,
        *,
        new: bool = False,
        **content: Any,
    ) -> None:
        """Edit the message recorded for (kind, key), or post it and record it."""
        svc = self.bot.service
        ref = None if new else await svc.get_ref(space, kind, key)
        if ref is not None:
            message = self.bot.get_partial_messageable(int(ref[0])).get_partial_message(int(ref[1]))
            try:
                await message.edit(**content, allowed_mentions=NO_MENTIONS)
                return
            except discord.NotFound:
                log.info("%s card %s was deleted; posting it again", kind, key)
        channel = self.bot.channel_for(space, channel_kind)
        if channel is None:
            log.warning(
                "no %s channel in guild %s; %s %s not shown", channel_kind, space, kind, key
            )
            return
        if content.get("view") is None:
            content.pop("view", None)
        sent = await channel.send(**content, allowed_mentions=NO_MENTIONS)
        await svc.set_ref(space, kind, key, str(channel.id), str(sent.id))
