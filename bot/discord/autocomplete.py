"""Autocomplete for article and comment ids: people pick "#3 Title", the command gets 3."""

from __future__ import annotations

from collections.abc import Iterable

from discord import Interaction, app_commands

from bot.discord import cards
from bot.discord.base import service
from bot.discord.identity import actor_of

MAX_CHOICES = 25


def _matches(number: int, text: str, current: str) -> bool:
    wanted = current.strip().lstrip("#").lower()
    return not wanted or str(number).startswith(wanted) or wanted in text.lower()


async def article_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
    articles = await service(interaction).list_articles(actor_of(interaction))
    choices = []
    for article in sorted(articles, key=lambda a: -a.number):
        if _matches(article.number, article.title, current):
            name = f"#{article.number} {article.title} · {cards.state_name(article)}"
            choices.append(app_commands.Choice(name=cards.clip(name, 100), value=article.number))
    return choices[:MAX_CHOICES]


async def comment_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
    """Comments of the chosen article, or of the articles still in progress."""
    svc = service(interaction)
    actor = actor_of(interaction)
    chosen = getattr(interaction.namespace, "article", None)
    if isinstance(chosen, int):
        numbers = [chosen]
    else:
        articles = await svc.list_articles(actor)
        active = [a for a in articles if a.in_progress]
        numbers = [a.number for a in sorted(active, key=lambda a: -a.number)[:5]]
    choices: list[app_commands.Choice[int]] = []
    for number in numbers:
        for comment in await svc.list_comments(actor, number):
            if _matches(comment.number, comment.text, current):
                name = f"#{comment.number} {comment.persona} {cards.excerpt(comment.text, 80)}"
                choices.append(
                    app_commands.Choice(name=cards.clip(name, 100), value=comment.number)
                )
    choices.sort(key=lambda c: -c.value)
    return choices[:MAX_CHOICES]


async def blog_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The configured blog targets whose name contains what was typed."""
    return _named(service(interaction).target_names(), current)


async def style_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The reaction styles: the built-in ones, then the team's templates."""
    return _named(service(interaction).styles(), current)


def _named(names: Iterable[str], current: str) -> list[app_commands.Choice[str]]:
    wanted = current.strip().lower()
    return [app_commands.Choice(name=n, value=n) for n in names if wanted in n.lower()][
        :MAX_CHOICES
    ]
