"""The permission matrix through Discord: the core decides, whatever Discord's hint says.

The fake does not enforce `default_member_permissions` (a server admin can open a command to
everyone), so every refusal seen here comes from the core's role check.
"""

from __future__ import annotations

import pytest

from tests.discord.conftest import Team
from tests.fakes.discord_fake import DiscordFake, FakeUser

FORBIDDEN = "Only moderators can"
TRANSLATORS_ONLY = "Only translators and moderators can"


async def answer(fake: DiscordFake, user: FakeUser, /, *path: str, **options: object) -> str:
    reply = await (await fake.slash(user, *path, **options)).reply()
    assert reply["flags"] & 64, "answers to commands are ephemeral"
    return reply["content"]


async def _translating_article(fake: DiscordFake, team: Team, running) -> None:
    await answer(fake, team.mod, "article", "new", title="Matrix")
    await answer(fake, team.alice, "comment", "add", article=1, text="First!")
    await answer(fake, team.bob, "comment", "add", article=1, text="Second!")
    await answer(fake, team.bob, "vote", comment=1, choice="up")
    await answer(fake, team.alice, "vote", comment=2, choice="up")
    await answer(fake, team.mod, "article", "close", article=1)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("alice", False), ("translator", False), ("mod", True)],
)
async def test_only_moderators_run_moderator_commands(
    fake: DiscordFake, team: Team, start, who: str, allowed: bool
) -> None:
    running = await start()
    await _translating_article(fake, team, running)
    user = getattr(team, who)
    attempts = [
        (("article", "new"), {"title": "Another"}, "Article #2 created"),
        (("comment", "drop"), {"comment": 2}, "dropped"),
        (("translate", "assign"), {"comment": 1, "user": team.translator}, "assigned to mei"),
        (("article", "reopen"), {"article": 1}, "open again"),
    ]
    for path, options, success in attempts:
        text = await answer(fake, user, *path, **options)
        if allowed:
            assert success in text, (path, text)
        else:
            assert text.startswith(FORBIDDEN), (path, text)
    await running.settle()


async def test_claiming_needs_the_translator_role(fake: DiscordFake, team: Team, start) -> None:
    running = await start()
    await _translating_article(fake, team, running)
    assert (await answer(fake, team.alice, "translate", "claim", comment=1)).startswith(
        TRANSLATORS_ONLY
    )
    assert "yours to translate" in await answer(
        fake, team.translator, "translate", "claim", comment=1
    )
    # Someone else's translation: the holder is named, nothing changes.
    assert "mei already holds" in await answer(
        fake, team.translator2, "translate", "claim", comment=1
    )
    assert "yours to translate" in await answer(fake, team.mod, "translate", "claim", comment=2)
    await running.settle()


async def test_members_cannot_approve_or_publish_even_without_the_hint(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    commands = {c["name"]: c for c in fake.commands[fake.guild_id]}
    # Discord's hint is on the all-moderator commands...
    assert int(commands["draft"]["default_member_permissions"]) == 1 << 13
    assert int(commands["publish"]["default_member_permissions"]) == 1 << 13
    # ...but the check is the core's.
    await _translating_article(fake, team, running)
    for user in (team.alice, team.translator):
        assert (await answer(fake, user, "draft", "approve", article=1)).startswith(FORBIDDEN)
        assert (await answer(fake, user, "publish", article=1)).startswith(FORBIDDEN)
        assert (await answer(fake, user, "draft", "build", article=1)).startswith(FORBIDDEN)
    await running.settle()


async def test_roles_match_by_name_or_by_id(fake: DiscordFake, team: Team, start) -> None:
    # conftest configures moderators by role name and translators by role id.
    running = await start()
    await _translating_article(fake, team, running)
    assert "yours to translate" in await answer(
        fake, team.translator, "translate", "claim", comment=1
    )
    await running.settle()


async def test_own_comment_votes_are_refused_on_the_card(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    await answer(fake, team.mod, "article", "new", title="Own")
    await answer(fake, team.alice, "comment", "add", article=1, text="Mine")
    await running.settle()
    card = fake.latest("voting")
    reply = await (await fake.click(team.alice, card["id"], "hanno:vote:1:up")).reply()
    assert reply["flags"] & 64 and "your own comment" in reply["content"]
