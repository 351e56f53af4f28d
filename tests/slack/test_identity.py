"""Who is who: user ids and group handles become Actor tags; look-ups are cached."""

from __future__ import annotations

import asyncio

from bot.config import SlackConfig
from bot.core.models import Role
from bot.slack.app import make_client
from bot.slack.identity import Directory, slack_policy
from tests.fakes.slack_fake import SlackFake
from tests.slack.conftest import TOKEN


async def test_concurrent_asks_for_one_person_make_one_lookup(fake: SlackFake) -> None:
    directory = Directory(make_client(TOKEN, fake.api_url), SlackConfig())
    actors = await asyncio.gather(*(directory.actor("T1", "UANN") for _ in range(20)))
    assert {a.name for a in actors} == {"ann"}
    assert len(fake.calls_to("users.info")) == 1
    assert fake.calls_to("usergroups.list") == []  # no groups configured: never asked


async def test_group_handles_become_tags_and_roles(fake: SlackFake) -> None:
    config = SlackConfig(moderator_groups=["@Editors"], translators=["UTR"])
    directory = Directory(make_client(TOKEN, fake.api_url), config)
    policy = slack_policy(config)
    editor = await directory.actor("T1", "UMOD2")
    assert "editors" in editor.tags and policy.role_of(editor) is Role.MODERATOR
    assert policy.role_of(await directory.actor("T1", "UTR")) is Role.TRANSLATOR
    assert policy.role_of(await directory.actor("T1", "UANN")) is Role.MEMBER
    assert len(fake.calls_to("usergroups.list")) == 1  # cached for the next asks


async def test_a_failed_name_lookup_falls_back_to_the_payload_name(fake: SlackFake) -> None:
    directory = Directory(make_client(TOKEN, fake.api_url), SlackConfig())
    fake.fail("users.info", status=200, error="user_not_found")
    actor = await directory.actor("T1", "UNEW", fallback_name="newbie")
    assert (actor.user_id, actor.name) == ("UNEW", "newbie")
