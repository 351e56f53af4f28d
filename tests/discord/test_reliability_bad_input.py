"""Issue 5 through Discord: hostile and broken input, at least 100 cases.

Each case goes through the fake Discord exactly as a (possibly modified) client could send
it: slash options of every kind, wrong types, forged and malformed custom ids, forms. Each
must get a clear, private answer (never silence, never an incident ref) and leave the
database exactly as it was. Hostile text that is *valid* (mentions, markdown) is accepted
and shown inert: the last tests check that nothing the bot posted can ping anyone.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.core.models import Actor
from bot.discord.identity import system_actor
from tests.discord.conftest import Team
from tests.fakes.discord_fake import (
    INTEGER,
    STRING,
    DiscordFake,
    FakeInteraction,
    FakeUser,
    custom_ids,
    message_text,
)

OTHER_GUILD = "990000000000000001"
HUGE = "長" * 4500
CONTROL = ["\x00", "a\x07b", "\x1b[31mred", "x\x7fy", "bad\u0085line"]
SURROGATES = ["\ud800", "ok \udfff"]
BIDI = ["\u202egnp.exe", "a\u2066b\u2069c", "\u202dforce"]
BLANK = ["", " ", "\n\n", "\t \t"]
BAD_URLS = [
    "javascript:alert(1)",
    "ftp://example.com/x",
    "http://",
    "https://exa mple.com",
    "<@123456789012345678>",
    "@everyone",
    "example.com",
    "https://example.com/\x00",
]
BAD_COUNTRIES = ["ZZ", "U", "USA", "🇺🇸", "\u202eUS", "US,FI,KR,JP,DE", "1,2"]
BAD_PERSONAS = ["abc", "😀😀", "<:custom:123456789012345678>", "\u200d", "@here"]


@dataclass
class World:
    fake: DiscordFake
    team: Team
    running: Any
    db: Path
    card: dict  # comment #1's card (article #1, collecting)
    selected_card: dict  # comment #2's card (article #2, translating)
    article_card: dict


Case = Callable[[World], Awaitable[FakeInteraction]]


def slash(who: str, /, *path: str, **options: Any) -> Case:
    async def run(w: World) -> FakeInteraction:
        if isinstance(options.get("user"), str):  # a member of the team, by attribute name
            options["user"] = getattr(w.team, options["user"])
        return await w.fake.slash(getattr(w.team, who), *path, **options)

    return run


def raw(user: str, *path: str, options: list[dict[str, Any]], **kw: Any) -> Case:
    async def run(w: World) -> FakeInteraction:
        return await w.fake.raw_slash(getattr(w.team, user), *path, options=options, **kw)

    return run


def forged(user: str, custom_id: str, *, on: str = "card", **kw: Any) -> Case:
    async def run(w: World) -> FakeInteraction:
        message = getattr(w, on)
        return await w.fake.forged_click(getattr(w.team, user), message["id"], custom_id, **kw)

    return run


def form(user: str, opener: Case, values: dict[str, str]) -> Case:
    """Open a real form, type `values` into it, submit; the answer to the submit counts."""

    async def run(w: World) -> FakeInteraction:
        ix = await opener(w)
        return await w.fake.answer_modal(ix, values, user=getattr(w.team, user))

    return run


def forged_form(user: str, custom_id: str, values: dict[str, str]) -> Case:
    async def run(w: World) -> FakeInteraction:
        return await w.fake.submit_modal(getattr(w.team, user), custom_id, values)

    return run


def click(user: str, custom_id: str, on: str = "card") -> Case:
    async def run(w: World) -> FakeInteraction:
        return await w.fake.click(getattr(w.team, user), getattr(w, on)["id"], custom_id)

    return run


def pick(who: str, custom_id: str, chosen: str, *, on: str) -> Case:
    async def run(w: World) -> FakeInteraction:
        user, target = getattr(w.team, who), getattr(w.team, chosen)
        return await w.fake.select(user, getattr(w, on)["id"], custom_id, [target])

    return run


def _opt(name: str, kind: int, value: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "value": value}


CASES: list[tuple[str, Case]] = []


def case(name: str, run: Case) -> None:
    CASES.append((name, run))


# --- text through slash options ---------------------------------------------------------
for i, bad in enumerate(BLANK + CONTROL + SURROGATES + BIDI + [HUGE]):
    case(f"comment-text-{i}", slash("alice", "comment", "add", article=1, text=bad))
for i, bad in enumerate(BLANK[1:] + CONTROL[:2] + SURROGATES[:1] + BIDI[:1] + ["t" * 201]):
    case(f"article-title-{i}", slash("mod", "article", "new", title=bad))
for i, bad in enumerate(BLANK[1:] + CONTROL[:2] + BIDI[:1] + ["長" * 10_001]):
    case(f"lead-{i}", slash("mod", "article", "set", article=1, field="lead", text=bad))
for i, bad in enumerate(BAD_URLS):
    case(f"source-url-{i}", slash("mod", "article", "source", article=1, url=bad))
case(
    "source-author-newline",
    slash("mod", "article", "source", article=1, url="https://e.com", author="a\nb"),
)
for i, bad in enumerate(BAD_URLS[:5]):
    case(f"comment-url-{i}", slash("alice", "comment", "add", article=1, text="fine", url=bad))
for i, bad in enumerate(BAD_COUNTRIES):
    case(
        f"comment-country-{i}", slash("alice", "comment", "add", article=1, text="ok", country=bad)
    )
for i, bad in enumerate(BAD_PERSONAS):
    case(f"persona-{i}", slash("mod", "comment", "persona", comment=1, emoji=bad))
for i, bad in enumerate(BLANK[1:] + CONTROL[:1] + BIDI[:1]):
    case(f"translation-{i}", slash("translator", "translate", "submit", comment=2, text=bad))

# --- numbers, wrong types, unknown options --------------------------------------------------
for n in (0, -1, -(2**53)):
    case(f"vote-range-{n}", slash("bob", "vote", comment=n, choice="up"))
for n in (999_999, 2**53):
    case(f"vote-unknown-{n}", slash("bob", "vote", comment=n, choice="up"))
for i, value in enumerate(["abc", "1.5", "", "１"]):
    case(
        f"int-as-string-{i}",
        raw("bob", "vote", options=[_opt("comment", INTEGER, value), _opt("choice", STRING, "up")]),
    )
case(
    "int-as-float",
    raw("bob", "vote", options=[_opt("comment", INTEGER, 1.5), _opt("choice", STRING, "up")]),
)
case(
    "int-as-bool",
    raw("bob", "vote", options=[_opt("comment", INTEGER, True), _opt("choice", STRING, "up")]),
)
case(
    "int-as-null",
    raw("bob", "vote", options=[_opt("comment", INTEGER, None), _opt("choice", STRING, "up")]),
)
case(
    "int-as-list",
    raw("bob", "vote", options=[_opt("comment", INTEGER, [1]), _opt("choice", STRING, "up")]),
)
case(
    "choice-not-offered",
    raw("bob", "vote", options=[_opt("comment", INTEGER, 1), _opt("choice", STRING, "sideways")]),
)
case(
    "choice-wrong-type",
    raw("bob", "vote", options=[_opt("comment", INTEGER, 1), _opt("choice", INTEGER, 1)]),
)
case("missing-required", raw("bob", "vote", options=[_opt("comment", INTEGER, 1)]))
case("no-options", raw("bob", "vote", options=[]))
case(
    "unknown-option",
    raw(
        "bob",
        "vote",
        options=[
            _opt("comment", INTEGER, 1),
            _opt("choice", STRING, "up"),
            _opt("evil", STRING, "x"),
        ],
    ),
)
case(
    "field-not-offered",
    raw(
        "mod",
        "article",
        "set",
        options=[
            _opt("article", INTEGER, 1),
            _opt("field", STRING, "state"),
            _opt("text", STRING, "published"),
        ],
    ),
)
case("limits-huge", slash("mod", "article", "limits", article=1, min_score=2**53))
case("limits-negative-max", slash("mod", "article", "limits", article=1, max_reactions=-5))
case("move-past-end", slash("mod", "comment", "move", comment=2, position=999))
case(
    "user-not-in-guild",
    raw(
        "mod",
        "translate",
        "assign",
        options=[_opt("comment", INTEGER, 2), _opt("user", 6, "123456789012345678")],
    ),
)

# --- wrong state --------------------------------------------------------------------------
case("vote-after-close", slash("bob", "vote", comment=2, choice="up"))
case("close-twice", slash("mod", "article", "close", article=2))
case("approve-collecting", slash("mod", "draft", "approve", article=1))
case("reject-collecting", slash("mod", "draft", "reject", article=1, reason="no"))
case("publish-collecting", slash("mod", "publish", article=1))
case("submit-draft-untranslated", slash("mod", "draft", "submit", article=2))
case("claim-while-collecting", slash("translator", "translate", "claim", comment=1))
case("move-while-collecting", slash("mod", "comment", "move", comment=1, position=1))
case("reopen-collecting", slash("mod", "article", "reopen", article=1))
case("release-unheld", slash("translator", "translate", "release", comment=2))
case("own-vote", slash("alice", "vote", comment=1, choice="up"))

# --- wrong role ---------------------------------------------------------------------------
case("member-new-article", slash("alice", "article", "new", title="Mine"))
case("member-pick", slash("alice", "comment", "pick", comment=1))
case("member-drop", slash("alice", "comment", "drop", comment=1))
case("translator-close", slash("translator", "article", "close", article=1))
case("translator-assign", slash("translator", "translate", "assign", comment=2, user="translator2"))
case("member-claim", slash("alice", "translate", "claim", comment=2))
case("member-lead", slash("alice", "article", "set", article=1, field="lead", text="x"))
case("member-publish", slash("bob", "publish", article=2))
case("translator-draft-submit", slash("translator", "draft", "submit", article=2))
case("member-limits", slash("bob", "article", "limits", article=1, min_score=-100))

# --- other guilds -------------------------------------------------------------------------
case("other-guild-comment", slash("bob", "comment", "show", comment=3))
case("other-guild-article", slash("bob", "article", "show", article=3))
case("other-guild-vote", slash("bob", "vote", comment=3, choice="up"))

# --- forged, malformed and unknown custom ids ----------------------------------------------
FORGED_IDS = [
    "hanno:vote:999999:up",
    "hanno:vote:3:up",
    "hanno:vote:1:sideways",
    "hanno:vote:x:up",
    "hanno:vote::up",
    "hanno:vote:1",
    "hanno:vote:1:up\n",
    "hanno:vote:99999999999999999999:up",
    "hanno:vote:-1:up",
    "hanno:claim:2",
    "hanno:claim:1",
    f"hanno:translate:{OTHER_GUILD}:1",
    "hanno:translate:1:1",
    "hanno:review:1:approve",
    "hanno:review:1:publish",
    "hanno:page:1:999999:n",
    "hanno:submit:1",
    "hanno:assign:2",
    "unknown",
    "x" * 100,
    "",
    "<@&456> @everyone",
]
for i, custom_id in enumerate(FORGED_IDS):
    case(f"forged-{i}", forged("bob", custom_id))
case("forged-select-type", forged("bob", "hanno:vote:1:up", component_type=3, values=["1"]))
case("forged-button-type", forged("mod", "hanno:assign:2", on="selected_card"))
case(
    "forged-select-no-values",
    forged("mod", "hanno:assign:2", on="selected_card", component_type=5, values=[]),
)
case("approve-from-a-card", forged("mod", "hanno:review:2:approve", on="selected_card"))

# --- buttons that exist, clicked by the wrong person or in the wrong state ------------------
case("member-claims-by-button", click("alice", "hanno:claim:2", on="selected_card"))
case("member-assigns-by-select", pick("bob", "hanno:assign:2", "translator", on="selected_card"))
case(
    "translator-assigns-by-select",
    pick("translator", "hanno:assign:2", "translator2", on="selected_card"),
)
case(  # refused at the click: no form to type a translation into
    "member-translate-button", click("alice", "hanno:translate:{guild}:2", on="selected_card")
)
case(
    "member-translate-form-by-command",
    slash("alice", "translate", "submit", comment=2),
)
case(
    "member-article-text-form-by-command",
    slash("alice", "article", "set", article=1, field="lead"),
)

# --- forms: real ones with bad values, and forged ones ---------------------------------------
for i, values in enumerate(
    [
        {"text": ""},
        {"text": "\x00"},
        {"text": "\u202eabc"},
        {"text": "ok", "url": "javascript:alert(1)"},
        {"text": "ok", "country": "XX"},
        {"text": "ok", "persona": "not an emoji"},
        {"text": "ok", "author": "two\nlines"},
        {"text": "\ud800"},
    ]
):
    case(
        f"comment-form-{i}", form("bob", click("bob", "hanno:submit:1", on="article_card"), values)
    )
case("forged-form", forged_form("bob", "no-such-form", {"text": "my long comment"}))
case("forged-form-empty", forged_form("bob", "", {}))
case(
    "lead-form-control",
    form("mod", slash("mod", "article", "set", article=1, field="lead"), {"text": "\x00"}),
)


def _dump(db: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [(t, conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in sorted(tables)]


@pytest.fixture
async def world(fake: DiscordFake, team: Team, start, tmp_path: Path) -> World:
    running = await start()
    for title in ("Snow", "Rain"):
        await (await fake.slash(team.mod, "article", "new", title=title)).reply()
    await (await fake.slash(team.alice, "comment", "add", article=1, text="Lovely")).reply()
    await (await fake.slash(team.alice, "comment", "add", article=2, text="Wet")).reply()
    await (await fake.slash(team.bob, "vote", comment=2, choice="up")).reply()
    await (await fake.slash(team.mod, "article", "close", article=2)).reply()
    # Another guild in the same database: its article #3 and comment #3 exist only there.
    other = Actor(space=OTHER_GUILD, user_id="1", name="far", tags=frozenset({"Moderator"}))
    svc = running.service
    for title in ("a", "b", "c"):
        await svc.create_article(other, title)
    for _ in range(3):
        await svc.add_comment(other, 1, "secret text of another server")
    await running.settle()
    cards = {message_text(m).split("\n")[0]: m for m in fake.channel_messages("voting")}
    card = next(m for m in fake.channel_messages("voting") if "Comment #1" in message_text(m))
    selected = next(m for m in fake.channel_messages("voting") if "Comment #2" in message_text(m))
    article_card = next(
        m for m in fake.channel_messages("voting") if "hanno:submit:1" in custom_ids(m)
    )
    assert cards
    return World(fake, team, running, tmp_path / "hanno.db", card, selected, article_card)


def test_the_table_has_at_least_100_cases() -> None:
    assert len(CASES) >= 100, len(CASES)


async def test_every_bad_input_gets_a_clear_private_answer_and_changes_nothing(
    world: World,
) -> None:
    fake = world.fake
    await world.running.settle()
    before = _dump(world.db)
    problems: list[str] = []
    for name, run in CASES:
        ix = await run(_Guild(world))
        try:
            reply = await ix.reply(timeout=5)
        except AssertionError as exc:
            problems.append(f"{name}: no answer ({exc})")
            continue
        text = reply.get("content") or message_text(reply)
        if not reply["flags"] & 64:
            problems.append(f"{name}: answer is not ephemeral: {text!r}")
        if not text.strip() or "Something went wrong" in text:
            problems.append(f"{name}: unclear answer {text!r}")
        if re.search("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\ud800-\udfff]", text):
            problems.append(f"{name}: the answer repeats control or direction characters")
        if "secret text of another server" in text:
            problems.append(f"{name}: leaked another guild's text")
        if ix.callback and ix.callback["type"] == 9:
            problems.append(f"{name}: answered with a form")
        await world.running.settle()
        after = _dump(world.db)
        if after != before:
            changed = [t for (t, rows), (_, old) in zip(after, before, strict=True) if rows != old]
            problems.append(f"{name}: changed {changed}")
            before = after
    assert not problems, "\n".join(problems)
    assert not fake.errors


class _Guild:
    """Fills `{guild}` in custom ids with the fake's guild id."""

    def __init__(self, world: World) -> None:
        self.__dict__.update(world.__dict__)
        guild = world.fake.guild_id
        original = world.fake.click

        async def click(user: FakeUser, message_id: str, custom_id: str | None = None):
            return await original(user, message_id, (custom_id or "").replace("{guild}", guild))

        self.fake = _Proxy(world.fake, click=click)


class _Proxy:
    def __init__(self, target: Any, **overrides: Any) -> None:
        self._target = target
        self._overrides = overrides

    def __getattr__(self, name: str) -> Any:
        return self._overrides.get(name) or getattr(self._target, name)


INJECTION = (
    "@everyone @here <@123456789012345678> <@!123456789012345678> <@&456456456456456456> "
    "**bold** __under__ ||spoiler|| `code` [click](https://evil.example) > quote"
)


def assert_nothing_pings(fake: DiscordFake) -> None:
    bodies = fake.message_bodies()
    assert bodies
    for path, body in bodies:
        assert body.get("allowed_mentions") == {"parse": []}, (path, body)


async def test_mentions_and_markdown_are_stored_as_typed_and_shown_inert(
    world: World,
) -> None:
    fake, team = world.fake, world.team
    reply = await (
        await fake.slash(team.bob, "comment", "add", article=1, text=INJECTION, author="@here")
    ).reply()
    assert "Comment #3 added" in reply["content"]
    await world.running.settle()
    comment = await world.running.service.get_comment(system_actor(fake.guild_id), 3)
    assert comment.text == INJECTION, "stored exactly as typed"
    card = next(m for m in fake.channel_messages("voting") if "Comment #3" in message_text(m))
    shown = message_text(card)
    # No live mention syntax and no markdown left: every one is broken up or escaped.
    for live in ("@everyone", "@here", "<@1", "<@!1", "<@&4", "**bold**", "||spoiler||"):
        assert live not in shown, (live, shown)
    assert "\\*\\*bold\\*\\*" in shown and "@\u200beveryone" in shown
    listed = await (await fake.slash(team.alice, "comment", "list", article=1)).reply()
    assert "@everyone" not in message_text(listed)
    assert_nothing_pings(fake)


async def test_every_message_of_the_bad_input_run_pings_nobody(world: World) -> None:
    for _, run in CASES[::7]:
        await (await run(_Guild(world))).reply()
    await world.running.settle()
    assert_nothing_pings(world.fake)


async def test_zero_width_only_text_is_refused_as_empty(world: World) -> None:
    fake = world.fake
    before = _dump(world.db)
    for invisible in ("\u200b", "\u200b\u200c\u200d", "\ufeff", "\u2060 \u200b"):
        reply = await (
            await fake.slash(world.team.bob, "comment", "add", article=1, text=invisible)
        ).reply()
        assert "empty" in reply["content"], (invisible, reply["content"])
    assert _dump(world.db) == before


async def test_a_dm_button_does_nothing_for_someone_who_left_the_server(world: World) -> None:
    fake, team = world.fake, world.team
    reply = await (
        await fake.slash(team.mod, "translate", "assign", comment=2, user=team.translator)
    ).reply()
    assert "assigned to mei" in reply["content"]
    await world.running.settle()
    dm = fake.dm_messages(team.translator)[-1]
    del fake.members[team.translator.id]  # removed from the server afterwards
    before = _dump(world.db)
    opened = await fake.click(team.translator, dm["id"], f"hanno:translate:{fake.guild_id}:2")
    answer = await opened.reply()
    assert answer["flags"] & 64 and "not a member" in answer["content"]
    assert "Wet" not in message_text(answer)
    assert _dump(world.db) == before
