"""The permission matrix: every text command × every role, through the dispatcher."""

from __future__ import annotations

import pytest

from bot.core.dispatch import Dispatcher
from bot.core.errors import DomainError, Forbidden
from bot.core.grammar import COMMANDS
from bot.core.models import Actor, Role
from bot.core.service import HannoService
from tests.conftest import person

ROLE_OF = {"member": "ann", "translator": "tr", "moderator": "mod"}

# command line -> the lowest role that may run it
MATRIX: dict[str, Role] = {
    "article new T": Role.MODERATOR,
    "article list": Role.MEMBER,
    "article show 1": Role.MEMBER,
    "article set 1 title New": Role.MODERATOR,
    "article set 1 lead Lead": Role.MODERATOR,
    "article set 1 closing Bye": Role.MODERATOR,
    "article set 1 min_score 0": Role.MODERATOR,
    "article set 1 max_reactions 5": Role.MODERATOR,
    "article source 1 https://example.com/x": Role.MODERATOR,
    "article set 1 voting hidden": Role.MODERATOR,
    "article set 1 deadline off": Role.MODERATOR,
    "article close 1 --in 24h": Role.MODERATOR,
    "article close 1": Role.MODERATOR,
    "article reopen 1": Role.MODERATOR,
    "article status 1": Role.MEMBER,
    "article history 1": Role.MEMBER,
    "comment add 1 hello": Role.MEMBER,
    "comment import 1 https://example.com/x": Role.MODERATOR,  # or anyone, if configured
    "comment list 1": Role.MEMBER,
    "comment show 1": Role.MEMBER,
    "comment pick 1": Role.MODERATOR,
    "comment drop 1": Role.MODERATOR,
    "comment move 1 1": Role.MODERATOR,
    "comment persona 1 🙂": Role.MODERATOR,  # or the comment's own submitter
    "vote 1 up": Role.MEMBER,
    "translate assign 1 tr": Role.MODERATOR,
    "translate claim 1": Role.TRANSLATOR,
    "translate release 1": Role.TRANSLATOR,
    "translate submit 1 訳": Role.TRANSLATOR,
    "translate mine": Role.MEMBER,
    "translate suggest 1": Role.TRANSLATOR,
    "translate suggest 1 --all": Role.TRANSLATOR,
    "translate accept 1": Role.TRANSLATOR,
    "translate history 1": Role.MEMBER,
    "translate restore 1 1": Role.TRANSLATOR,
    "translate remark 1 硬い": Role.MODERATOR,
    "translate resolve 1": Role.TRANSLATOR,
    "glossary add Kuroda 黒田": Role.TRANSLATOR,
    "glossary list": Role.MEMBER,
    "glossary remove Kuroda": Role.TRANSLATOR,
    "glossary dismiss 1": Role.TRANSLATOR,
    "draft build 1": Role.MODERATOR,
    "draft submit 1": Role.MODERATOR,
    "draft approve 1": Role.MODERATOR,
    "draft reject 1 because": Role.MODERATOR,
    "publish 1": Role.MODERATOR,
    "team add bob translator": Role.MODERATOR,
    "team remove bob translator": Role.MODERATOR,
    "team list": Role.MEMBER,
    "stats --since 7d": Role.MEMBER,
    "help": Role.MEMBER,
}


def test_the_matrix_covers_every_command() -> None:
    covered = {
        line.split()[0] if line.split()[0] in COMMANDS else " ".join(line.split()[:2])
        for line in MATRIX
    }
    assert covered == set(COMMANDS)


async def resolve(space: str, text: str) -> Actor | None:
    return person(text, space)


class Channel:
    limit = 2000
    channel = "publish"
    mention = "#publish"

    async def post(self, index: int, text: str) -> str:
        return f"m{index}"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.TRANSLATOR, Role.MODERATOR])
async def test_each_role_may_run_exactly_its_commands(service: HannoService, role: Role) -> None:
    mod = person("mod")
    article = await service.create_article(mod, "Matrix")
    await service.add_comment(person("bob"), article.number, "by bob")
    dispatcher = Dispatcher(service, resolve_user=resolve, publish_target=Channel())
    actor = person(ROLE_OF[role.name.lower()])
    for line, lowest in MATRIX.items():
        try:
            await dispatcher.run(actor, line)
            refused = False
        except Forbidden:
            refused = True
        except DomainError:
            refused = False  # allowed past the permission check, stopped by state or input
        assert refused == (role < lowest), (role.name, line)
