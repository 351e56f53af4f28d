"""`comment import` and the auto-filled `article source` in the core, against the site fakes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.core.areas.importing import ImportRules
from bot.core.errors import DomainError
from bot.core.events import RecordingNotifier
from bot.core.import_replies import summary_text
from bot.core.models import CommentStatus
from bot.core.rules import Limits, Rules
from bot.core.service import HannoService
from bot.core.threads import CommentsImported
from bot.render import Renderer
from bot.sources import DuplicateIndex
from bot.storage.database import SqliteStore
from bot.storage.postgres import PostgresStore
from tests.conftest import POLICY, new_database, person
from tests.fakes.sources_fake import (
    FakeComment,
    FakeThread,
    SourcesFake,
    comment_text,
    registry_for,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

MOD, MEMBER = person("mod"), person("ann")


class Counting:
    """Counts the transactions the real stores open."""

    transactions = 0

    def transaction(self):  # type: ignore[no-untyped-def]
        Counting.transactions += 1
        return super().transaction()  # type: ignore[misc]


class CountingSqlite(Counting, SqliteStore):
    pass


class CountingPostgres(Counting, PostgresStore):
    pass


@pytest_asyncio.fixture(loop_scope="module")
async def store(request, backend, tmp_path) -> AsyncIterator[SqliteStore]:
    database = await new_database(request, backend, tmp_path)
    db = await database.open(CountingSqlite if backend == "sqlite" else CountingPostgres)
    yield db
    await db.close()


def make_service(
    store: SqliteStore, fake: SourcesFake, notifier: RecordingNotifier, **rules: object
) -> HannoService:
    return HannoService(
        store,
        rules=Rules(limits=Limits(comment=200)),
        policy=POLICY,
        renderer=Renderer(),
        notifier=notifier,
        sources=registry_for(fake),
        duplicates=DuplicateIndex,
        import_rules=ImportRules(**rules),
    )


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def service(
    store: SqliteStore, site_fake: SourcesFake, notifier: RecordingNotifier
) -> HannoService:
    return make_service(store, site_fake, notifier)


def distinct(i: int) -> str:
    """A sentence of its own for each i (templated texts would be near-duplicates)."""
    return comment_text(i)


def thread_of(count: int) -> FakeThread:
    return FakeThread(
        [FakeComment(distinct(i), author=f"user{i}", score=count - i) for i in range(count)]
    )


async def article(service: HannoService) -> int:
    return (await service.create_article(MOD, "Lost sketchbook")).number


async def test_top_fifty_by_score_become_candidates_in_one_transaction(
    service: HannoService, site_fake: SourcesFake, notifier: RecordingNotifier
) -> None:
    site_fake.reddit_page = 40
    thread = site_fake.add(thread_of(120))
    number = await article(service)
    Counting.transactions = 0
    summary = await service.import_comments(MOD, number, site_fake.link("reddit", thread))
    assert Counting.transactions == 2  # the article's check before fetching, then the import
    assert len(summary.added) == 50 and summary.beyond_top == 70  # 40 + a stub of 100 read
    comments = await service.list_comments(MOD, number)
    assert list(summary.added) == comments  # handed back exactly as a fresh read shows them
    assert [c.source_score for c in comments[:3]] == [120, 119, 118]
    first = comments[0]
    assert first.status is CommentStatus.CANDIDATE and first.source_kind == "reddit"
    assert first.url == first.permalink and first.permalink.startswith("https://www.reddit.com/r/")
    assert first.language == "en" and first.author == "user0" and first.posted_at is not None
    assert first.submitted_by == MOD.user_id and first.persona
    event = notifier.events[-1]
    assert isinstance(event, CommentsImported) and len(event.summary.added) == 50
    assert summary_text(summary).startswith(
        f"Imported 50 comments from Reddit into article #{number}: #1–#50."
    )
    history = await service.history(MOD, number)
    assert history[-1].action == "comments_imported"


async def test_reimport_adds_only_new_comments_and_merges_near_duplicates(
    service: HannoService, site_fake: SourcesFake
) -> None:
    thread = site_fake.add(thread_of(5))
    number = await article(service)
    await service.add_comment(MEMBER, number, distinct(0).upper().replace(" ", "  ") + "!")
    first = await service.import_comments(MOD, number, site_fake.link("hackernews", thread))
    assert (len(first.added), first.duplicates, first.already) == (4, 1, 0)
    thread.comments.append(FakeComment("A brand new comment arrived later today"))
    thread.comments.append(FakeComment(distinct(1) + "s"))  # a copy, one letter off
    site_fake.add(thread)
    again = await service.import_comments(MOD, number, site_fake.link("hackernews", thread))
    assert [c.text for c in again.added] == ["A brand new comment arrived later today"]
    assert (again.already, again.duplicates) == (4, 2)
    assert "4 already there, 2 duplicates merged." in summary_text(again)
    assert "4 件は取り込み済み、2 件は重複としてまとめました。" in summary_text(again, "ja")
    assert len(await service.list_comments(MOD, number)) == 6


async def test_a_comment_typed_while_the_thread_is_read_is_merged_not_added_twice(
    service: HannoService, site_fake: SourcesFake
) -> None:
    """The duplicate check runs against the article as it was when the import began; what a
    member added meanwhile is checked again in the import's own transaction."""
    thread = site_fake.add(thread_of(3))
    number = await article(service)
    site_fake.held = asyncio.Event()
    importing = asyncio.create_task(
        service.import_comments(MOD, number, site_fake.link("hackernews", thread))
    )
    await site_fake.holding.wait()  # the site is slow to answer
    await service.add_comment(MEMBER, number, distinct(1).upper() + "!!")
    site_fake.held.set()
    summary = await importing
    assert (len(summary.added), summary.duplicates) == (2, 1)
    assert [c.text for c in summary.added] == [distinct(0), distinct(2)]
    assert len(await service.list_comments(MOD, number)) == 3


async def test_filters_top_min_score_language_and_replies(
    service: HannoService, site_fake: SourcesFake
) -> None:
    thread = site_fake.add(
        FakeThread(
            [
                FakeComment("C'est exactement pour ça que j'adore ce pays.", score=40),
                FakeComment("Das ist genau der Grund, warum ich Japan liebe.", score=30),
                FakeComment(
                    "This is the Japan I fell in love with, honestly.",
                    score=20,
                    replies=[FakeComment("Same here, what a wonderful clerk he is.", score=25)],
                ),
                FakeComment("Nobody would do that where I live, sadly.", score=2),
                FakeComment("x" * 300, score=99),
            ]
        )
    )
    url = site_fake.link("youtube", thread)
    number = await article(service)
    summary = await service.import_comments(
        MOD, number, url, top=1, min_score=10, langs=["en", "fr"], replies=True
    )
    assert [c.text[:7] for c in summary.added] == ["C'est e"]
    assert (summary.too_long, summary.low_score, summary.other_language, summary.beyond_top) == (
        1,
        1,
        1,
        2,
    )
    text = summary_text(summary)
    assert (
        "Left out: 1 over the length limit of 200 characters, 1 under the minimum score, 1 in other languages, 2 past the top 1."
        in text
    )
    again = await service.import_comments(MOD, number, url, replies=True, langs=["en"])
    reply = next(c for c in again.added if c.text.startswith("Same here"))
    parent = next(c for c in again.added if c.text.startswith("This is the Japan"))
    assert reply.parent == parent.permalink


async def test_only_moderators_import_unless_members_may(
    store: SqliteStore, site_fake: SourcesFake, notifier: RecordingNotifier, service: HannoService
) -> None:
    thread = site_fake.add(thread_of(3))
    number = await article(service)
    with pytest.raises(DomainError, match="Only moderators can import comments"):
        await service.import_comments(MEMBER, number, site_fake.link("reddit", thread))
    assert not site_fake.requests  # refused before anything was fetched
    open_to_all = make_service(store, site_fake, notifier, members_may_import=True)
    summary = await open_to_all.import_comments(MEMBER, number, site_fake.link("reddit", thread))
    assert len(summary.added) == 3


async def test_faults_and_refusals_change_nothing(
    service: HannoService, site_fake: SourcesFake
) -> None:
    thread = site_fake.add(thread_of(3))
    empty = site_fake.add(FakeThread([]))
    number = await article(service)
    cases = [
        ("https://example.com/news/1", "hanno can't read comments from that address"),
        (site_fake.link("mastodon", empty), "has no comments yet"),
        ("not a link", "is not a web address"),
    ]
    for url, phrase in cases:
        with pytest.raises(DomainError, match=phrase):
            await service.import_comments(MOD, number, url)
    site_fake.fail("youtube", status=429, retry_after="600")
    with pytest.raises(
        DomainError, match="limiting requests right now; try again in about 600 seconds"
    ):
        await service.import_comments(MOD, number, site_fake.link("youtube", thread))
    with pytest.raises(DomainError, match="not a language code"):
        await service.import_comments(MOD, number, site_fake.link("x", thread), langs=["english"])
    assert await service.list_comments(MOD, number) == []
    picked = await service.add_comment(MEMBER, number, "Added by hand so that voting can close.")
    await service.pick(MOD, picked.number)
    await service.close_voting(MOD, number)
    with pytest.raises(DomainError, match="being translated, so you can't import comments"):
        await service.import_comments(MOD, number, site_fake.link("x", thread))


async def test_source_posts_fill_themselves_in_and_hand_given_fields_win(
    service: HannoService, site_fake: SourcesFake
) -> None:
    thread = site_fake.add(thread_of(1))
    number = await article(service)
    await service.add_source(MOD, number, site_fake.link("x", thread))
    await service.add_source(MOD, number, site_fake.link("mastodon", thread), author="北の便り")
    await service.add_source(MOD, number, "https://example.com/news/1")
    await service.add_source(MOD, number, site_fake.link("bluesky", thread), text="given by hand")
    found = (await service.get_article(MOD, number)).sources
    assert found[0].text.startswith("The clerk found it on the last train.")
    assert (found[0].author, found[0].handle) == ("Poster", "poster")
    assert found[0].date.endswith(", 2026")
    assert found[1].author == "北の便り" and found[1].handle == "poster"
    assert found[2].text == "" and found[2].url == "https://example.com/news/1"
    assert found[3].text == "given by hand" and found[3].author == ""
    site_fake.fail("youtube", status=500)  # a site that is down: the link alone is kept
    down = await service.add_source(MOD, number, site_fake.link("youtube", thread), author="A")
    assert (down.sources[4].text, down.sources[4].author) == ("", "A")
    gone = site_fake.link("mastodon", FakeThread([], removed=True))
    with pytest.raises(DomainError, match="Mastodon says that thread does not exist"):
        await service.add_source(MOD, number, gone)  # a wrong link is said
    with pytest.raises(DomainError, match="Only moderators can add source posts"):
        await service.add_source(MEMBER, number, site_fake.link("youtube", thread))
    assert len((await service.get_article(MOD, number)).sources) == 5
