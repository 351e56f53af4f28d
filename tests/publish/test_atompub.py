"""Hatena (Basic auth with the API key) and livedoor (WSSE) through the one AtomPub client."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from bot.core.targets import PostGone, Publication, PublicationStatus, TargetFault
from bot.publish.atompub import APP, ATOM, SCAN_PAGES, AtomPubTarget, entry_xml, wsse
from tests.fakes.blog_fakes import BlogFakes, Fault
from tests.publish.conftest import hatena_settings, livedoor_settings, railway_post

KINDS = ("hatena", "livedoor")


def _target(blogs: BlogFakes, kind: str, **extra: object) -> AtomPubTarget:
    settings = hatena_settings if kind == "hatena" else livedoor_settings
    return AtomPubTarget(settings(blogs, **extra))


def _record(remote_edit: str, kind: str) -> Publication:
    return Publication(
        target=kind, kind=kind, status=PublicationStatus.DRAFT, remote_id="x", edit_uri=remote_edit
    )


@pytest.mark.parametrize("kind", KINDS)
async def test_posts_a_draft_entry_and_records_its_edit_uri(blogs: BlogFakes, kind: str) -> None:
    remote = await _target(blogs, kind, categories=["海外の反応"]).create(railway_post())
    [(entry_id, entry)] = blogs.entries[kind].items()
    assert remote.edit_uri.endswith(f"/{entry_id}") and remote.edit_uri.startswith(blogs.url)
    assert remote.status is PublicationStatus.DRAFT and entry["draft"] is True
    assert remote.remote_id == f"tag:blog.example,2026:entry-{entry_id}"
    assert entry["title"] == "元運転士が裏庭に作ったミニ鉄道、子どもたちの人気者に"
    assert entry["categories"] == ["海外の反応"] and entry["content_type"] == "text/html"
    assert '<blockquote class="twitter-tweet">' in entry["content"]
    assert entry["content"].endswith("</p>\n<!-- hanno-s-1 -->\n")  # unseen by readers


@pytest.mark.parametrize("kind", KINDS)
async def test_update_puts_to_the_same_entry_and_keeps_its_draft_state(
    blogs: BlogFakes, kind: str
) -> None:
    target = _target(blogs, kind)
    remote = await target.create(railway_post())
    [entry_id] = blogs.entries[kind]
    blogs.entries[kind][entry_id]["draft"] = False  # the owner published it on the blog
    again = await target.update(
        railway_post("bilingual", title="改題"), _record(remote.edit_uri, kind)
    )
    entry = blogs.entries[kind][entry_id]
    assert len(blogs.entries[kind]) == 1 and entry["revisions"] == 1
    assert entry["title"] == "改題" and entry["draft"] is False
    assert again.status is PublicationStatus.PUBLISHED and again.edit_uri == remote.edit_uri
    # The collection read for an earlier entry, the post, then the entry read and replaced.
    assert [r.method for r in blogs.calls(kind)] == ["GET", "POST", "GET", "PUT"]


@pytest.mark.parametrize("kind", KINDS)
async def test_deleted_entry_is_reported_not_recreated(blogs: BlogFakes, kind: str) -> None:
    target = _target(blogs, kind)
    remote = await target.create(railway_post())
    blogs.entries[kind].clear()
    with pytest.raises(PostGone, match=f"^The post on {kind} was deleted on the blog"):
        await target.update(railway_post(), _record(remote.edit_uri, kind))
    assert blogs.entries[kind] == {}
    assert [r.method for r in blogs.calls(kind)] == ["GET", "POST", "GET"]


@pytest.mark.parametrize("kind", KINDS)
async def test_wrong_api_key(blogs: BlogFakes, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    env = "HANNO_HATENA_API_KEY" if kind == "hatena" else "HANNO_LIVEDOOR_API_KEY"
    monkeypatch.setenv(env, "not-the-key")
    with pytest.raises(TargetFault) as caught:
        await _target(blogs, kind).create(railway_post())
    assert caught.value.message == (
        f"{kind} refused the sign-in (HTTP 401); check the user name in the config and the "
        f"password or API key in the environment variable {env}."
    )


@pytest.mark.parametrize("kind", KINDS)
async def test_wrong_blog_id(blogs: BlogFakes, kind: str) -> None:
    with pytest.raises(TargetFault, match=r"answered 404 Not Found at http://127\.0\.0\.1:\d+/"):
        await _target(blogs, kind, blog_id="nosuchblog").create(railway_post())


def test_wsse_digest_is_base64_sha1_of_nonce_created_and_password() -> None:
    header = wsse("user", "secret", nonce=b"0123456789abcdef", created="2026-05-05T01:00:00Z")
    assert header == (
        'UsernameToken Username="user", PasswordDigest="MA1MEA1hj0jPSb+eEEoglDvQdo0=", '
        'Nonce="MDEyMzQ1Njc4OWFiY2RlZg==", Created="2026-05-05T01:00:00Z"'
    )


def test_entry_document_escapes_the_html_as_text() -> None:
    root = ElementTree.fromstring(
        entry_xml(railway_post(), draft=True, categories=["A&B"], author="hanno_team")
    )
    assert root.find(f"{{{ATOM}}}content").text.startswith("<p>鳥取県")  # type: ignore[union-attr]
    assert root.findtext(f"{{{APP}}}control/{{{APP}}}draft") == "yes"
    assert root.find(f"{{{ATOM}}}category").get("term") == "A&B"  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", KINDS)
async def test_an_entry_whose_answer_was_lost_is_found_in_the_collection_not_doubled(
    blogs: BlogFakes, kind: str
) -> None:
    target = _target(blogs, kind)
    blogs.fail(kind, Fault(lost=True, method="POST"))
    with pytest.raises(TargetFault, match=f"^{kind} could not be reached at "):
        await target.create(railway_post())
    [lost_id] = blogs.entries[kind]  # the blog made the entry; hanno never heard
    blogs.entries[kind][lost_id]["draft"] = False  # and the owner published it meanwhile
    for number in range(4):  # newer entries by others push it to the third page
        other = railway_post(title=f"別の記事 {number}").model_copy(update={"key": f"s-1{number}"})
        await target.create(other)
    blogs.page_size = 2
    again = await target.create(railway_post(title="改題"))
    entry = blogs.entries[kind][lost_id]
    assert len(blogs.entries[kind]) == 5 and entry["title"] == "改題" and entry["revisions"] == 1
    assert again.edit_uri.endswith(f"/{lost_id}") and again.url.endswith(lost_id)
    assert again.status is PublicationStatus.PUBLISHED and entry["draft"] is False
    assert [r.method for r in blogs.calls(kind)][-4:] == ["GET", "GET", "GET", "PUT"]


async def test_an_earlier_entry_deleted_before_it_is_updated_is_posted_anew(
    blogs: BlogFakes,
) -> None:
    target = _target(blogs, "hatena")
    blogs.fail("hatena", Fault(lost=True, method="POST"))
    with pytest.raises(TargetFault):
        await target.create(railway_post())
    blogs.fail("hatena", Fault(status=404, method="PUT"))  # deleted just after the feed was read
    blogs.requests.clear()
    again = await target.create(railway_post())
    assert [r.method for r in blogs.calls("hatena")] == ["GET", "PUT", "POST"]
    assert again.edit_uri.endswith("/" + max(blogs.entries["hatena"], key=int))


async def test_the_collection_is_read_no_further_than_its_newest_pages(blogs: BlogFakes) -> None:
    target = _target(blogs, "hatena")
    await target.create(railway_post())
    [ours] = blogs.entries["hatena"]
    for number in range(SCAN_PAGES):  # as many newer entries (by others) as pages are read
        blogs.entries["hatena"][str(1000 + number)] = {
            **blogs.entries["hatena"][ours],
            "content": f"<p>別の記事 {number}</p>",
        }
    blogs.page_size = 1
    blogs.requests.clear()
    await target.create(railway_post())  # ours is one page past the bound: posted anew
    assert [r.method for r in blogs.calls("hatena")] == ["GET"] * SCAN_PAGES + ["POST"]
    assert len(blogs.entries["hatena"]) == SCAN_PAGES + 2


@pytest.mark.parametrize("method", ["GET", "PUT"])
async def test_a_dropped_livedoor_request_is_resent_signed_afresh_or_told_as_unreachable(
    blogs: BlogFakes, method: str
) -> None:
    # aiohttp sends a GET or PUT again once when its connection drops; livedoor accepts a WSSE
    # nonce only once, so the second attempt needs a token of its own, or the user reads
    # "refused the sign-in" for what was a lost connection.
    target = _target(blogs, "livedoor")
    remote = await target.create(railway_post())
    [entry_id] = blogs.entries["livedoor"]
    previous = _record(remote.edit_uri, "livedoor")
    blogs.fail("livedoor", Fault(lost=True, method=method), times=2)  # lost, and lost again
    with pytest.raises(TargetFault, match=r"^livedoor could not be reached at "):
        await target.update(railway_post(title="改題"), previous)
    blogs.requests.clear()
    blogs.fail("livedoor", Fault(lost=True, method=method))  # lost once: the resend goes through
    again = await target.update(railway_post(title="改題"), previous)
    assert again.edit_uri == remote.edit_uri
    assert blogs.entries["livedoor"][entry_id]["title"] == "改題"
    sent = blogs.calls("livedoor", method)
    assert len(sent) == 2 and sent[0].wsse["Nonce"] != sent[1].wsse["Nonce"]
