"""Hidden voting: while it is open, members see how many voted, not which way.

Poll bots offer this so that early votes do not steer later ones. The core hands out the
masked copy (`as_seen`), so no front end can show a score it should not; moderators keep
seeing scores, and everyone sees them once voting closes.
"""

from __future__ import annotations

from bot.core.messages import t
from bot.core.models import Article, Comment, Role


def as_seen(comment: Comment, article: Article, role: Role | None = None) -> Comment:
    """`comment` as someone with `role` may see it (None: a public card, seen by all)."""
    if not article.votes_hidden or (role is not None and role >= Role.MODERATOR):
        return comment
    return comment.model_copy(
        update={"up": 0, "down": 0, "hidden_votes": comment.up + comment.down}
    )


def as_seen_hidden(comment: Comment, role: Role | None) -> Comment:
    """`comment` of an article whose hidden vote is open, as someone with `role` sees it."""
    if role is not None and role >= Role.MODERATOR:
        return comment
    return comment.model_copy(
        update={"up": 0, "down": 0, "hidden_votes": comment.up + comment.down}
    )


def vote_count(comment: Comment, language: str | None = None) -> str:
    """What a masked comment shows in place of its score."""
    return t("hidden.votes", language, count=comment.hidden_votes or 0)


def vote_reply(comment: Comment, choice: str, language: str | None = None) -> str:
    """The answer to a vote on a masked comment: counted, and no score."""
    key = "hidden.vote_cleared" if choice == "clear" else "hidden.voted"
    return t(key, language, number=comment.number, choice=choice)
