"""Slack shows a message as sections of at most 3,000 characters: they are cut between whole
reactions, as the messages are, so no section ends with a reaction's numbered header."""

from __future__ import annotations

import re
from typing import Any

from tests.slack.conftest import ANN, BOB, MOD, MOD2, PUBLISH, TR, Slack
from tests.slack.test_workflow import review_message

HEADER = re.compile(r"^[0-9]+\. 海外の名無しさん")


def _sections(message: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


def _flat(text: str) -> str:
    """Text with its blank lines dropped: cuts leave out only line breaks and blank lines."""
    return "\n".join(line for line in text.split("\n") if line.strip())


async def test_no_section_ends_with_a_reaction_header(slack: Slack) -> None:
    """Eight reactions of about 900 characters: three fill a section, and the fourth's header
    once closed it, its translation opening the next section (in the review preview too)."""
    await slack.say(MOD, 'article new "Autumn leaves"')
    for n in range(1, 9):
        await slack.say(ANN if n % 2 else BOB, f'comment add 1 "Stunning colours {n}"')
    for setting in ("min_score 0", "max_reactions 8", "style numbered"):
        await slack.say(MOD, f"article set 1 {setting}")
    await slack.say(MOD, "article close 1")
    for n in range(1, 9):
        await slack.say(TR, f"translate submit {n} '{n}番目。{'長い翻訳の文です。' * 100}'")
    await slack.say(MOD, "draft submit 1")
    document = await slack.service.document(slack.actor(MOD), 1)
    whole = _flat(slack.service.renderer.plain(document))

    preview = _sections(await review_message(slack, 1))[1:]  # after the title
    await slack.say(MOD2, "draft approve 1")
    assert "is published" in await slack.say(MOD, "publish 1")
    published = [s for m in slack.fake.channel_messages(PUBLISH) for s in _sections(m)]

    for shown in (preview, published):
        assert len(shown) >= 3
        assert all(len(section) <= 3000 for section in shown)
        assert not [s for s in shown if HEADER.match(s.split("\n")[-1])], shown
        assert _flat("\n".join(shown)) == whole
