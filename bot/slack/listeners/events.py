"""Events API: the App Home tab (my assignments, articles in progress, what waits for me,
the team's stats), published when opened and again when what it shows changes."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.core.messages import t, tn
from bot.core.models import Actor, ArticleState, Role
from bot.core.replies import role_name
from bot.core.stats import stats_text
from bot.slack import blocks as ui
from bot.slack.front import SlackFrontEnd
from bot.slack.notifier import slack_person

IN_PROGRESS_SHOWN = 15
HOME_STATS_LINES = 8


async def home_for(front: SlackFrontEnd, actor: Actor) -> dict[str, Any]:
    """The Home view for `actor`; what waits depends on the role the core gives them."""
    service = front.service
    role = service.role_of(actor)
    work = await service.my_work(actor)
    articles = [a for a in await service.list_articles(actor) if a.in_progress][-IN_PROGRESS_SHOWN:]
    waiting: list[str] = []
    for article in articles:
        n, title = article.number, ui.inert(article.title)
        if article.state is ArticleState.COLLECTING:
            waiting.append(t("slack.home.wait.vote", number=n, title=title))
            continue
        board = await service.status(actor, n)
        if article.state is ArticleState.TRANSLATING:
            if role >= Role.TRANSLATOR and board.unassigned:
                waiting.append(
                    t("slack.home.wait.claim", number=n, title=title, count=board.unassigned)
                )
            if role >= Role.MODERATOR and board.selected and not board.missing:
                waiting.append(t("slack.home.wait.submit", number=n, title=title))
        elif article.state is ArticleState.REVIEW and role >= Role.MODERATOR:
            waiting.append(
                tn(
                    "slack.home.wait.review",
                    board.approvals_required,
                    number=n,
                    title=title,
                    count=board.fresh_approvals,
                    required=board.approvals_required,
                )
            )
        elif article.state is ArticleState.APPROVED and role >= Role.MODERATOR:
            waiting.append(t("slack.home.wait.publish", number=n, title=title))
    stats = stats_text(
        await service.team_stats(actor), front.notifier.when, slack_person
    ).splitlines()
    shown = "\n".join(stats[: HOME_STATS_LINES + 1])
    return ui.home_view(
        role=role_name(role), work=work, articles=articles, waiting=waiting, stats=shown
    )


def register(app: AsyncApp, front: SlackFrontEnd) -> None:
    async def refresh(space: str, user_id: str) -> None:
        actor = await front.directory.actor(space, user_id)
        await front.client.views_publish(user_id=user_id, view=await home_for(front, actor))

    front.notifier.home = refresh

    @app.event("app_home_opened")
    async def on_home_opened(
        body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        if event.get("tab", "home") == "home":
            front.after_ack(body, None, publish_home(front, context))


async def publish_home(front: SlackFrontEnd, context: AsyncBoltContext) -> None:
    actor = await front.actor(context)
    front.notifier.watch_home(actor.space, actor.user_id)
    await front.client.views_publish(user_id=actor.user_id, view=await home_for(front, actor))
