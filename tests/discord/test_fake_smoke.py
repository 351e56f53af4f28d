"""The fake Discord is good enough for a real discord.py client: login, gateway, sync,
slash commands, autocomplete, persistent DynamicItem buttons, modals and context menus."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest
from discord import app_commands

from tests.fakes.discord_fake import DiscordFake, custom_ids, message_text


class CounterButton(discord.ui.DynamicItem[discord.ui.Button], template=r"counter:(?P<n>\d+)"):
    """A button whose state lives in its custom_id, so it survives a restart."""

    def __init__(self, n: int) -> None:
        super().__init__(discord.ui.Button(label=str(n), custom_id=f"counter:{n}"))
        self.n = n

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> CounterButton:
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(CounterButton(self.n + 1))
        await interaction.response.edit_message(content=f"count {self.n + 1}", view=view)


class TitleModal(discord.ui.Modal, title="New thing"):
    body = discord.ui.TextInput(label="Body", style=discord.TextStyle.long, custom_id="body")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"got {self.body.value}", ephemeral=True)


class SmokeClient(discord.Client):
    def __init__(self, guild_id: int) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)
        self.guild = discord.Object(guild_id)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(CounterButton)
        group = app_commands.Group(name="article", description="Articles")

        @group.command(name="new", description="Start an article")
        async def new(interaction: discord.Interaction, title: str, limit: int = 3) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(CounterButton(0))
            await interaction.response.send_message(f"created {title} ({limit})", view=view)

        @new.autocomplete("title")
        async def title_ac(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=f"{current}-x", value=f"{current}-x")]

        @group.command(name="slow", description="Deferred")
        async def slow(interaction: discord.Interaction, who: discord.Member) -> None:
            await interaction.response.defer(ephemeral=True)
            await interaction.followup.send(f"hello {who.display_name}", ephemeral=True)

        @group.command(name="form", description="Opens a modal")
        async def form(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(TitleModal())

        @app_commands.context_menu(name="Quote it")
        async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
            await interaction.response.send_message(f"quoted: {message.content}")

        self.tree.add_command(group, guild=self.guild)
        self.tree.add_command(quote, guild=self.guild)
        await self.tree.sync(guild=self.guild)


@pytest.fixture
async def client(fake: DiscordFake) -> AsyncIterator[SmokeClient]:
    bot = SmokeClient(int(fake.guild_id))
    task = asyncio.create_task(bot.start(fake.token))
    await asyncio.wait_for(bot.wait_until_ready(), 10)
    yield bot
    await bot.close()
    await asyncio.wait_for(task, 5)


async def test_client_logs_in_and_syncs_guild_commands(fake: DiscordFake, client: Any) -> None:
    assert fake.identified == 1
    assert {c["name"] for c in fake.commands[fake.guild_id]} == {"article", "Quote it"}
    assert client.get_guild(int(fake.guild_id)).get_role(int(fake.role_id("Moderator")))


async def test_slash_command_replies_and_dynamic_button_answers(
    fake: DiscordFake, client: Any
) -> None:
    alice = fake.add_member("alice", roles=["Moderator"])
    ix = await fake.slash(alice, "article", "new", title="Hello", limit=5)
    reply = await ix.reply()
    assert reply["content"] == "created Hello (5)"
    assert custom_ids(reply) == ["counter:0"]
    assert ix.latency is not None and ix.latency < 3

    click = await fake.click(alice, reply["id"], "counter:0")
    updated = await click.reply()
    assert updated["id"] == reply["id"]
    assert fake.messages[reply["id"]]["content"] == "count 1"
    assert custom_ids(fake.messages[reply["id"]]) == ["counter:1"]


async def test_autocomplete_deferred_followup_modal_and_context_menu(
    fake: DiscordFake, client: Any
) -> None:
    bob = fake.add_member("bob")
    choices = await (
        await fake.autocomplete(bob, "article", "new", focused="title", title="ab")
    ).choices()
    assert choices == [{"name": "ab-x", "value": "ab-x"}]

    slow = await fake.slash(bob, "article", "slow", who=bob)
    assert message_text(await slow.reply()) == "hello bob"

    opener = await fake.slash(bob, "article", "form")
    submitted = await fake.answer_modal(opener, {"body": "long text"})
    answer = await submitted.reply()
    assert answer["content"] == "got long text" and answer["flags"] & 64

    said = fake.user_message(bob, "general", "nice one")
    quoted = await fake.message_command(bob, "Quote it", said["id"])
    assert (await quoted.reply())["content"] == "quoted: nice one"


async def test_button_works_for_a_fresh_client(fake: DiscordFake, client: Any) -> None:
    alice = fake.add_member("alice")
    reply = await (await fake.slash(alice, "article", "new", title="x")).reply()
    await client.close()
    second = SmokeClient(int(fake.guild_id))
    task = asyncio.create_task(second.start(fake.token))
    try:
        await asyncio.wait_for(second.wait_until_ready(), 10)
        await (await fake.click(alice, reply["id"], "counter:0")).reply()
        assert fake.messages[reply["id"]]["content"] == "count 1"
    finally:
        await second.close()
        await asyncio.wait_for(task, 5)
