"""The credits line at the end of a published article: who translated it, who picked its comments.

Names are the display names the platforms gave when the work was done (the store keeps them
with each comment and revision), as plain text: a name is never a mention, so nobody is
pinged. The line's template is the team's (`[team] credits`), else the catalogue's
`article.credits` in the article's own language (the language it is written in, not the
interface language of whoever publishes it); an empty template turns the line off.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.messages import negotiate, t

PLACEHOLDERS = ("translators", "pickers")


People = Iterable[tuple[str | None, str | None]]  # (user id, display name), in article order


def credits_line(template: str | None, language: str, translators: People, pickers: People) -> str:
    """The line for an article in `language`; "" when the template is empty or nobody is named.

    `template` None means the catalogue's default. Each person is named once, by the name
    they had when first met in the article (a renamed member is still one person), joined
    the way the article's language lists names."""
    if template is not None and not template.strip():
        return ""
    language = negotiate(language)
    separator = t("article.credits.separator", language)
    names = {
        "translators": separator.join(_once(translators)),
        "pickers": separator.join(_once(pickers)),
    }
    if not any(names.values()):
        return ""
    if template is None:
        return t("article.credits", language, **names)
    return template.format(**names).strip()


def _once(people: People) -> list[str]:
    """Each person with a name once, in the order first met, the name on one line."""
    seen: dict[str, str] = {}
    for user_id, name in people:
        cleaned = " ".join((name or "").split())
        if cleaned:
            seen.setdefault(user_id or cleaned, cleaned)
    return list(dict.fromkeys(seen.values()))
