"""Issue 5 through Slack: hostile and broken input, at least 100 cases.

Each case reaches hanno's real Bolt app as Slack (or someone replaying Slack's requests with
a valid signature) could send it: `/hanno` texts, raw form bodies with broken UTF-8, button
clicks with forged values, unknown action ids, modal submissions with forged
`private_metadata` or odd values, and requests from another workspace. Each must get a clear
answer (an ephemeral reply, or an error shown in the modal), never silence or an incident
ref, and the database must be exactly as it was (compared as a full SQL dump). Hostile text
that is *valid* (mentions, mrkdwn, links) is accepted and shown inert: the last tests check
that nothing the bot posted to a channel can ping anyone.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from bot.core.models import Actor
from bot.slack import blocks as ui
from tests.fakes.slack_fake import Reply, block_texts
from tests.slack.conftest import ANN, BOB, MOD, TR, VOTING, Slack
from tests.slack.test_workflow import open_view

OTHER_TEAM = "T0OTHER"
HUGE = "長" * 5000
CONTROL = ["\x00", "a\x07b", "\x1b[31mred", "x\x7fy", "bad\u0085line"]
BIDI = ["\u202egnp.exe", "a\u2066b\u2069c", "\u202dforce"]
ZERO_WIDTH = ["\u200b", "\u200b\u200c\u200d", "\ufeff", "\u2060 \u200b"]
BLANK = ["", " ", "\t \t"]
MENTIONS = ["<!everyone>", "<!channel>", "<!here>", "<@U123>", "<!subteam^S1>", "<@W0ABC|boss>"]
BAD_NUMBERS = ["abc", "", "-1", "0", "1.5", "99999999999999999999", "²", "１", "1 ", "0x1"]


@dataclass
class World:
    slack: Slack
    db: Path
    card: dict  # comment #1's card (article #1 collecting)
    work_card: dict  # comment #2's card (article #2 translating, #2 selected and unclaimed)
    announcement: dict  # article #1's announcement with "Submit a comment"


@dataclass
class Answer:
    """What the person saw: the HTTP ack and anything said to them afterwards."""

    reply: Reply
    texts: list[str]
    modal_errors: dict[str, str]


Case = Callable[[World], Awaitable[Reply]]
CASES: list[tuple[str, Case]] = []


def case(name: str, run: Case) -> None:
    CASES.append((name, run))


def cmd(user: str, text: str, *, team: str | None = None) -> Case:
    async def run(w: World) -> Reply:
        fields = w.slack.events.command_fields(user, text)
        if team is not None:
            fields["team_id"] = team
        return await w.slack.events.post_form(fields)

    return run


def raw_cmd(user: str, encoded_text: str) -> Case:
    """A slash command whose text is already percent-encoded (possibly not UTF-8)."""

    async def run(w: World) -> Reply:
        fields = w.slack.events.command_fields(user, "")
        body = "&".join(f"{k}={quote(v)}" for k, v in fields.items() if k != "text")
        return await w.slack.events.post_raw(
            f"{body}&text={encoded_text}", "application/x-www-form-urlencoded"
        )

    return run


def click(
    user: str,
    action_id: str,
    value: str,
    *,
    on: str = "card",
    block_id: str | None = None,
    team: str | None = None,
    **kwargs: Any,
) -> Case:
    async def run(w: World) -> Reply:
        message = getattr(w, on)
        events = w.slack.events
        if team is None:
            return await events.block_action(
                user,
                action_id,
                value,
                message=message,
                block_id=block_id or message["blocks"][-1].get("block_id", "b"),
                **kwargs,
            )
        return await _other_team_click(w, user, action_id, value, message, team)

    return run


async def _other_team_click(
    w: World, user: str, action_id: str, value: str, message: dict, team: str
) -> Reply:
    events = w.slack.events
    payload = {
        "type": "block_actions",
        "team": {"id": team, "domain": "elsewhere"},
        "user": {"id": user, "username": "far", "name": "far", "team_id": team},
        "api_app_id": "AHANNO",
        "token": "legacy-verification-token",
        "trigger_id": w.slack.fake.new_trigger_id(),
        "response_url": w.slack.fake.new_response_url(),
        "channel": {"id": VOTING, "name": "voting"},
        "message": message,
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": VOTING},
        "actions": [{"action_id": action_id, "block_id": "b", "type": "button", "value": value}],
    }
    return await events.post_payload(payload)


def view(
    user: str,
    callback_id: str,
    metadata: str,
    values: dict[str, dict[str, Any]],
    *,
    team: str | None = None,
) -> Case:
    """A modal submission built by hand (a forged or replayed one)."""

    async def run(w: World) -> Reply:
        blocks = [
            {"type": "input", "block_id": block_id, "element": {"action_id": "value"}}
            for block_id in values
        ]
        forged = {
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": metadata,
            "blocks": blocks,
        }
        if team is None:
            return await w.slack.events.view_submission(user, forged, values)
        payload = {
            "type": "view_submission",
            "team": {"id": team, "domain": "elsewhere"},
            "user": {"id": user, "username": "far", "name": "far", "team_id": team},
            "api_app_id": "AHANNO",
            "trigger_id": w.slack.fake.new_trigger_id(),
            "view": {**forged, "id": "VFORGED", "state": {"values": _state(values)}},
            "response_urls": [],
        }
        return await w.slack.events.post_payload(payload)

    return run


def _state(values: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        block: {
            k: v if isinstance(v, dict) else {"type": "plain_text_input", "value": v}
            for k, v in elements.items()
        }
        for block, elements in values.items()
    }


def opened_form(user: str, opener: str, callback_id: str, values: dict[str, Any]) -> Case:
    """Open a real modal with the command `opener`, then submit it with `values`."""

    async def run(w: World) -> Reply:
        fake = w.slack.fake
        count = len(
            fake.calls_to("views.open", lambda c: c.args["view"]["callback_id"] == callback_id)
        )
        await w.slack.events.command(user, opener)
        form = await open_view(w.slack, callback_id, count=count + 1)
        return await w.slack.events.view_submission(user, form, values)

    return run


def picked(article: str) -> dict[str, Any]:
    return {"value": {"type": "static_select", "selected_option": {"value": article}}}


def comment_form(**fields: str) -> dict[str, Any]:
    values: dict[str, Any] = {"article": picked("1")}
    for name, value in fields.items():
        values[name] = {"value": value}
    return values


def quoted(text: str) -> str:
    """`text` as one shell-style word, its characters as they are (no JSON escapes)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- slash command texts: refused values ---------------------------------------------------
for i, bad in enumerate(BLANK[1:] + CONTROL + BIDI + ZERO_WIDTH + [HUGE]):
    case(f"comment-text-{i}", cmd(ANN, f"comment add 1 {quoted(bad)}"))
for i, bad in enumerate(CONTROL[:3] + BIDI[:1] + ["t" * 201, "", " "]):
    case(f"article-title-{i}", cmd(MOD, f"article new {quoted(bad)}"))
for i, bad in enumerate(["javascript:alert(1)", "http://", "<!everyone>", "example.com"]):
    case(f"comment-url-{i}", cmd(ANN, f"comment add 1 ok --url '{bad}'"))
for i, bad in enumerate(["ZZ", "USA", "\u202eUS", "<!here>", "1,2"]):
    case(f"comment-country-{i}", cmd(ANN, f"comment add 1 ok --country '{bad}'"))
for i, bad in enumerate(["abc", "<!channel>", "\u200d", "@here"]):
    case(f"persona-{i}", cmd(MOD, f"comment persona 1 '{bad}'"))
for i, bad in enumerate(MENTIONS[:3]):
    case(f"assign-mention-{i}", cmd(MOD, f"translate assign 2 {bad}"))
case("assign-unknown-name", cmd(MOD, "translate assign 2 nobody-at-all"))
case("assign-other-team-user", cmd(MOD, "translate assign 2 <@UNOBODY|x> extra"))
for i, bad in enumerate(BAD_NUMBERS[:7]):
    case(f"vote-number-{i}", cmd(BOB, f"vote '{bad}' up"))
case("vote-unknown-comment", cmd(BOB, "vote 999999 up"))
case("vote-sideways", cmd(BOB, "vote 1 sideways"))
case("vote-no-args", cmd(BOB, "vote"))
case("unknown-command", cmd(BOB, "explode everything"))
case("unclosed-quote", cmd(BOB, 'comment add 1 "never closed'))
case("unknown-option", cmd(ANN, "comment add 1 ok --evil yes"))
case("limit-huge", cmd(MOD, "article set 1 max_reactions 99999999999999999999"))
case("limit-negative", cmd(MOD, "article set 1 max_reactions -5"))
case("payload-word", cmd(BOB, "article new payload"))
case("payload-equals", cmd(BOB, "vote payload=1 up"))
case("payload-json", cmd(BOB, 'payload={"type":"block_actions"}'))
case("huge-command", cmd(BOB, "x" * 8000))
case("control-command", cmd(BOB, "\x00\x01\x02"))
case("bidi-command", cmd(BOB, "\u202evote 1 up"))
case("broken-utf8", raw_cmd(BOB, "vote%20%ED%A0%80%20up"))
case("broken-utf8-ff", raw_cmd(BOB, "%FF%FE"))
# wrong state
case("vote-after-close", cmd(BOB, "vote 2 up"))
case("close-twice", cmd(MOD, "article close 2"))
case("approve-collecting", cmd(MOD, "draft approve 1"))
case("reject-collecting", cmd(MOD, "draft reject 1 no"))
case("publish-collecting", cmd(MOD, "publish 1"))
case("submit-untranslated", cmd(MOD, "draft submit 2"))
case("claim-collecting", cmd(TR, "translate claim 1"))
case("release-unheld", cmd(TR, "translate release 2"))
case("own-vote", cmd(ANN, "vote 1 up"))
case("reopen-collecting", cmd(MOD, "article reopen 1"))
# wrong role
case("member-new-article", cmd(BOB, "article new Mine"))
case("member-pick", cmd(BOB, "comment pick 1"))
case("translator-close", cmd(TR, "article close 1"))
case("member-claim", cmd(BOB, "translate claim 2"))
case("translator-assign", cmd(TR, "translate assign 2 <@UTR>"))
case("member-publish", cmd(BOB, "publish 2"))
# other workspaces: their ids, and requests that claim to come from there
case("other-team-comment", cmd(BOB, "comment show 3"))
case("other-team-article", cmd(BOB, "article show 3"))
case("other-team-vote", cmd(BOB, "vote 3 up"))
case("request-from-other-team", cmd(MOD, "article close 1", team=OTHER_TEAM))
case("vote-from-other-team", cmd(BOB, "vote 1 up", team=OTHER_TEAM))

# --- buttons: forged and malformed values, unknown actions --------------------------------
for i, bad in enumerate(BAD_NUMBERS):
    case(f"vote-value-{i}", click(BOB, ui.VOTE_UP, bad))
case("vote-value-unknown", click(BOB, ui.VOTE_UP, "999999"))
case("vote-value-other-team", click(BOB, ui.VOTE_UP, "3"))
case("vote-value-translating", click(BOB, ui.VOTE_DOWN, "2"))
case("vote-value-mention", click(BOB, ui.VOTE_UP, "<!everyone>"))
case("vote-own-comment", click(ANN, ui.VOTE_UP, "1"))
case("vote-other-team-request", click(BOB, ui.VOTE_UP, "1", team=OTHER_TEAM))
case("claim-value-collecting", click(TR, ui.CLAIM, "1"))
case("claim-value-bad", click(TR, ui.CLAIM, "x"))
case("claim-value-unknown", click(TR, ui.CLAIM, "999999", on="work_card"))
case("approve-value-collecting", click(MOD, ui.APPROVE, "1"))
case("approve-value-unknown", click(MOD, ui.APPROVE, "999999"))
case("publish-value-translating", click(MOD, ui.PUBLISH, "2"))
case("publish-value-huge", click(MOD, ui.PUBLISH, "9" * 40))
case("translate-value-unknown", click(TR, ui.TRANSLATE, "999999"))
case("translate-value-bad", click(TR, ui.TRANSLATE, "\u202e2"))
case("reject-value-unknown", click(MOD, ui.REJECT, "999999"))
case("new-comment-value-bad", click(BOB, ui.NEW_COMMENT, "abc", on="announcement"))
case("new-comment-value-unknown", click(BOB, ui.NEW_COMMENT, "999999", on="announcement"))
case("assign-bad-block", click(MOD, ui.ASSIGN, "", block_id="hanno_work_x", selected_user=TR))
case(
    "assign-unknown-comment",
    click(MOD, ui.ASSIGN, "", block_id="hanno_work_999999", selected_user=TR),
)
case("assign-no-user", click(MOD, ui.ASSIGN, "", block_id="hanno_work_2", selected_user=""))
case(
    "assign-mention-user",
    click(MOD, ui.ASSIGN, "", block_id="hanno_work_2", selected_user="<!everyone>"),
)
for i, unknown in enumerate(["hanno_nope", "", "hanno_vote_sideways", "x" * 255, "<!here>"]):
    case(f"unknown-action-{i}", click(BOB, unknown, "1"))
# wrong role on real buttons
case("member-claims", click(BOB, ui.CLAIM, "2", on="work_card"))
case(
    "member-assigns",
    click(BOB, ui.ASSIGN, "", on="work_card", block_id="hanno_work_2", selected_user=TR),
)
case(
    "translator-assigns",
    click(TR, ui.ASSIGN, "", on="work_card", block_id="hanno_work_2", selected_user=TR),
)

# --- modal submissions: forged metadata, odd values, unknown callbacks ---------------------
for i, metadata in enumerate(["", "abc", "999999", "-1", "3", "1:lead", "9" * 40, "\u202e2"]):
    case(
        f"translation-metadata-{i}",
        view(TR, ui.TRANSLATION_MODAL, metadata, {"text": {"value": "訳"}}),
    )
for i, metadata in enumerate(["", "x", "999999", "1", "3", "2:1"]):
    case(f"reject-metadata-{i}", view(MOD, ui.REJECT_MODAL, metadata, {"reason": {"value": "no"}}))
for i, metadata in enumerate(["", "1", "1:title", "1:state", "x:lead", "999999:lead", "3:lead"]):
    case(
        f"article-text-metadata-{i}",
        view(MOD, ui.ARTICLE_TEXT_MODAL, metadata, {"text": {"value": "Lead"}}),
    )
case("member-sets-lead", view(BOB, ui.ARTICLE_TEXT_MODAL, "1:lead", {"text": {"value": "Mine"}}))
for i, article in enumerate(["abc", "999999", "3", "2", "", "9" * 40]):
    case(
        f"comment-modal-article-{i}",
        view(BOB, ui.COMMENT_MODAL, "", {"article": picked(article), "text": {"value": "hi"}}),
    )
case("comment-modal-no-article", view(BOB, ui.COMMENT_MODAL, "", {"text": {"value": "hi"}}))
for i, fields in enumerate(
    [
        {"text": ""},
        {"text": "\x00"},
        {"text": "\u202eabc"},
        {"text": "\u200b"},
        {"text": "ok", "url": "javascript:alert(1)"},
        {"text": "ok", "country": "XX"},
        {"text": "ok", "persona": "<!here>"},
        {"text": "ok", "author": "two\nlines"},
        {"text": "\ud800"},  # a lone surrogate: JSON can carry it
    ]
):
    case(
        f"comment-modal-{i}",
        opened_form(BOB, "comment add 1", ui.COMMENT_MODAL, comment_form(**fields)),
    )
# wrong types: Slack sends strings; a replayed payload may not
for i, wrong in enumerate([1, None, [1], {"n": 1}, True, 1.0]):
    case(f"vote-value-type-{i}", click(BOB, ui.VOTE_UP, wrong))  # type: ignore[arg-type]
case("assign-user-type", click(MOD, ui.ASSIGN, "", block_id="hanno_work_2", selected_user=[TR]))  # type: ignore[arg-type]
for i, wrong in enumerate([["訳"], 5, None, {"type": "plain_text_input", "value": {"x": "訳"}}]):
    case(
        f"translation-value-type-{i}",
        view(TR, ui.TRANSLATION_MODAL, "2", {"text": {"value": wrong}}),
    )
case("translation-metadata-type", view(TR, ui.TRANSLATION_MODAL, 2, {"text": {"value": "訳"}}))  # type: ignore[arg-type]
case(
    "comment-modal-option-type",
    view(BOB, ui.COMMENT_MODAL, "", {"article": picked(1), "text": {"value": "hi"}}),
)  # type: ignore[arg-type]
case(
    "comment-modal-part-block",
    view(
        BOB,
        ui.COMMENT_MODAL,
        "",
        {"article": picked("1"), "text": {"value": ""}, "text__partX": {"value": "hi"}},
    ),
)
case("unknown-modal", view(BOB, "hanno_nope_modal", "", {"text": {"value": "x"}}))
case(
    "translation-from-other-team",
    view(TR, ui.TRANSLATION_MODAL, "2", {"text": {"value": "訳"}}, team=OTHER_TEAM),
)


def dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


@pytest.fixture
async def world(slack: Slack, tmp_path: Path) -> World:
    await slack.say(MOD, "article new Snow")
    await slack.say(MOD, "article new Rain")
    await slack.say(ANN, "comment add 1 Lovely")
    await slack.say(ANN, "comment add 2 Wet")
    await slack.say(BOB, "vote 2 up")
    await slack.say(MOD, "article close 2")
    # Another workspace in the same database: its article #3 and comment #3 exist only there.
    other = Actor(space=OTHER_TEAM, user_id=MOD, name="far", tags=frozenset({MOD}))
    for title in ("a", "b", "c"):
        await slack.service.create_article(other, title)
    for _ in range(3):
        await slack.service.add_comment(other, 1, "secret text of another workspace")
    await slack.front.drain()
    announcement = next(
        m
        for m in slack.fake.channel_messages(VOTING)
        if "hanno_article_1" in json.dumps(m["blocks"])
    )
    return World(
        slack, tmp_path / "slack.db", await slack.card(1), await slack.card(2), announcement
    )


async def answer_to(w: World, run: Case) -> Answer:
    """Run one case; gather the ack, and what was then said to the person."""
    fake = w.slack.fake
    posts, dms = len(fake.response_posts), len(fake.calls)
    reply = await run(w)
    await w.slack.front.drain()
    errors: dict[str, str] = {}
    if reply.text.startswith("{"):
        body = reply.json()
        if body.get("response_action") == "errors":
            errors = body["errors"]
        elif body.get("response_action") == "update":
            errors = {"(view)": block_texts(body["view"]["blocks"])}
        elif body.get("text"):
            errors = {"(ack)": body["text"]}
    new_posts = fake.response_posts[posts:]
    texts = [p.text for p in new_posts if p.text]
    texts += [block_texts(p.body["blocks"]) for p in new_posts if p.body.get("blocks")]
    if any(not p.ephemeral for p in new_posts):
        texts.append("(answered in the channel)")
    for call in fake.calls[dms:]:
        if call.method in ("chat.postMessage", "chat.postEphemeral") and str(
            call.args.get("channel", "")
        ).startswith(("D", "U")):
            texts.append(str(call.args.get("text", "")))
            if call.args.get("blocks"):
                texts.append(block_texts(call.args["blocks"]))
    if reply.text and not errors and not reply.text.startswith("{"):  # a plain-text ack
        texts.append(reply.text)
    return Answer(reply, texts, errors)


SHOW_ANSWERS = False  # set True and run with -s to read every answer


def test_the_table_has_at_least_100_cases() -> None:
    assert len(CASES) >= 100, len(CASES)
    assert len({name for name, _ in CASES}) == len(CASES)


async def test_every_bad_input_gets_a_clear_answer_and_changes_nothing(world: World) -> None:
    before = dump(world.db)
    problems: list[str] = []
    for name, run in CASES:
        answer = await answer_to(world, run)
        said = answer.texts + list(answer.modal_errors.values())
        if answer.reply.status != 200:
            problems.append(f"{name}: HTTP {answer.reply.status} {answer.reply.text[:80]!r}")
        if not said:
            problems.append(f"{name}: no answer")
        for text in said:
            if not text.strip() or "Something went wrong" in text:
                problems.append(f"{name}: unclear answer {text!r}")
            if re.search("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\ud800-\udfff]", text):
                problems.append(f"{name}: the answer repeats control or direction characters")
            if "secret text of another workspace" in text:
                problems.append(f"{name}: leaked another workspace's text")
        if "(answered in the channel)" in said:
            problems.append(f"{name}: answered in the channel")
        if SHOW_ANSWERS:
            print(f"{name}: {said[:1]}")
        after = dump(world.db)
        if after != before:
            changed = sorted(set(after) ^ set(before))[:3]
            problems.append(f"{name}: changed the database: {changed}")
            before = after
    assert not problems, "\n".join(problems)


INJECTION = (
    "<!everyone> <!channel> <!here> <@U123> <@W0ABC|boss> <!subteam^S1> @here @channel "
    "*bold* _it_ ~strike~ `code` <https://evil.example|click here> <#C0GENERAL>"
)
LIVE = re.compile(r"<[!@#][^>]*>|<https?://[^>]*>|(?<!\u200b)@(everyone|channel|here)\b")


def posted_texts(slack: Slack) -> list[str]:
    """Everything the bot put in front of people in channels (and DMs), with its fallback."""
    out: list[str] = []
    for call in slack.fake.calls:
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            out.append(str(call.args.get("text", "")))
            out.append(block_texts(call.args.get("blocks") or []))
    for post in slack.fake.response_posts:
        out.append(post.text)
        out.append(block_texts(post.body.get("blocks") or []))
    return out


async def test_mentions_and_mrkdwn_are_stored_as_typed_and_shown_inert(world: World) -> None:
    slack = world.slack
    reply = await slack.say(BOB, f"comment add 1 {quoted(INJECTION)} --author '<!here>'")
    assert "Added comment #3" in reply, reply
    comment = await slack.comment(3)
    assert comment.text == INJECTION and comment.author == "<!here>", "stored as typed"
    await slack.say(ANN, "article show 1")
    await slack.say(ANN, "comment show 3")
    await slack.say(ANN, "comment list 1")
    shown = block_texts((await slack.card(3))["blocks"])
    assert "&lt;!everyone&gt;" in shown and "@\u200bhere" in shown
    for text in posted_texts(slack):
        assert not LIVE.search(text), text[:300]


async def test_hostile_titles_reasons_and_translations_reach_channels_inert(
    world: World,
) -> None:
    slack = world.slack
    await slack.say(MOD, f"article new {quoted('<!channel> big news <@U123>')}")
    await slack.say(MOD, "translate assign 2 <@UTR>")
    await slack.say(TR, f"translate submit 2 {quoted(INJECTION)}")
    await slack.say(MOD, "draft submit 2")
    await slack.say(MOD, f"draft reject 2 {quoted('<!here> redo <@U123> <!subteam^S1>')}")
    await slack.front.drain()
    texts = posted_texts(slack)
    assert any("&lt;!here&gt; redo" in t for t in texts)
    for text in texts:
        assert not LIVE.search(text), text[:300]


async def test_a_zero_width_only_title_is_refused(world: World) -> None:
    before = dump(world.db)
    reply = await world.slack.say(MOD, f"article new {quoted(ZERO_WIDTH[0])}")
    assert "empty" in reply, reply
    assert dump(world.db) == before


async def test_zero_width_only_text_is_refused_as_empty(world: World) -> None:
    before = dump(world.db)
    for invisible in ZERO_WIDTH:
        reply = await world.slack.say(BOB, f"comment add 1 {quoted(invisible)}")
        assert "empty" in reply, (invisible, reply)
    assert dump(world.db) == before
