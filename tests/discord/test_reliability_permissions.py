"""Issue 5 through Discord: buttons, menus and forms used by someone without the role.

The buttons are on every card for everyone to see, and Discord's default-permission hint
on /draft and /publish can be lifted by any server admin; neither matters, because the
core checks the role on every call. Each refusal is private and changes nothing.
(The slash-command half of the matrix is in test_permissions.py.)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.discord.conftest import Team
from tests.fakes.discord_fake import DiscordFake, FakeInteraction, custom_ids, message_text

MODERATORS_ONLY = "Only moderators can"
TRANSLATORS_ONLY = "Only translators and moderators can"


def _dump(db: Path) -> list:
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in sorted(tables)]


async def _in_review(fake: DiscordFake, team: Team, running) -> tuple[dict, dict]:
    """Article #1 in review (comment #1 translated), article #2 translating (comment #2 not)."""
    for title in ("Review me", "Translate me"):
        await (await fake.slash(team.mod, "article", "new", title=title)).reply()
    for article in (1, 2):
        await (
            await fake.slash(team.alice, "comment", "add", article=article, text=f"Text {article}")
        ).reply()
        await (await fake.slash(team.bob, "vote", comment=article, choice="up")).reply()
        await (await fake.slash(team.mod, "article", "close", article=article)).reply()
    await (await fake.slash(team.translator, "translate", "claim", comment=1)).reply()
    await (await fake.slash(team.translator, "translate", "submit", comment=1, text="訳")).reply()
    await (await fake.slash(team.mod, "draft", "submit", article=1)).reply()
    await running.settle()
    review = fake.latest("review")
    card = next(m for m in fake.channel_messages("voting") if "Comment #2" in message_text(m))
    return review, card


@pytest.mark.parametrize("who", ["alice", "translator"])
async def test_review_buttons_refuse_everyone_but_moderators(
    fake: DiscordFake, team: Team, start, tmp_path: Path, who: str
) -> None:
    running = await start()
    review, _ = await _in_review(fake, team, running)
    user = getattr(team, who)
    before = _dump(tmp_path / "hanno.db")
    shown = message_text(review)

    approve = await (await fake.click(user, review["id"], "hanno:review:1:approve")).reply()
    assert approve["flags"] & 64 and approve["content"].startswith(MODERATORS_ONLY)
    # Request changes answers at once: no form opens for a reason that could not be saved.
    answer = await (await fake.click(user, review["id"], "hanno:review:1:reject")).reply()
    assert answer["flags"] & 64 and answer["content"].startswith(MODERATORS_ONLY)
    # The same through /draft, as if an admin had opened the command to everyone.
    for path, options in ((("draft", "approve"), {}), (("draft", "reject"), {"reason": "x"})):
        reply = await (await fake.slash(user, *path, article=1, **options)).reply()
        assert reply["content"].startswith(MODERATORS_ONLY)
    reply = await (await fake.slash(user, "publish", article=1)).reply()
    assert reply["content"].startswith(MODERATORS_ONLY)

    await running.settle()
    assert _dump(tmp_path / "hanno.db") == before
    assert message_text(fake.messages[review["id"]]) == shown
    assert custom_ids(fake.messages[review["id"]]) == [
        "hanno:review:1:approve",
        "hanno:review:1:reject",
        "hanno:remark:1",
    ]
    assert not [m for m in fake.channel_messages("review") if m["id"] != review["id"]]


async def test_card_buttons_and_menus_check_the_role_of_whoever_clicks(
    fake: DiscordFake, team: Team, start, tmp_path: Path
) -> None:
    running = await start()
    _, card = await _in_review(fake, team, running)
    db = tmp_path / "hanno.db"
    before = _dump(db)

    async def text(ix: FakeInteraction) -> str:
        reply = await ix.reply()
        assert reply["flags"] & 64
        return reply["content"]

    assert (await text(await fake.click(team.alice, card["id"], "hanno:claim:2"))).startswith(
        TRANSLATORS_ONLY
    )
    for user in (team.alice, team.translator):
        chosen = await fake.select(user, card["id"], "hanno:assign:2", [team.translator2])
        assert (await text(chosen)).startswith(MODERATORS_ONLY)
    # The Translate button answers at once, before anyone types into a form that can't be saved.
    for user in (team.alice, team.bob):
        clicked = await fake.click(user, card["id"], f"hanno:translate:{fake.guild_id}:2")
        assert (await text(clicked)).startswith(TRANSLATORS_ONLY)
    # A translator who does not hold the comment is told who does, and gets no form either.
    await (await fake.slash(team.translator, "translate", "claim", comment=2)).reply()
    await running.settle()
    before = _dump(db)
    clicked = await fake.click(team.translator2, card["id"], f"hanno:translate:{fake.guild_id}:2")
    assert "mei" in await text(clicked)
    await running.settle()
    assert _dump(db) == before
