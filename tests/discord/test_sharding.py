"""Discord sharding: two bot processes, each running one shard of two (AutoShardedClient),
on one PostgreSQL store. Discord sends a guild's events only to the shard that owns it (the
fake does the same), so each click is answered exactly once, by the owning shard's process,
and lands in the shared database."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import asyncpg
from discord.ext import commands

from bot.discord.client import discord_policy, make_bot
from bot.storage.postgres import PostgresStore
from bot.wiring import open_service
from tests.discord.conftest import settings_for
from tests.fakes.discord_fake import DiscordFake, message_text


async def test_two_shard_processes_on_one_postgres_answer_each_click_once(
    fake: DiscordFake, team, pg_url: str, tmp_path
) -> None:
    async with AsyncExitStack() as stack:
        bots = []
        for shard in (0, 1):
            settings = settings_for(fake, tmp_path / "unused.db", shard_count=2, shard_ids=[shard])
            bot = make_bot(settings, guild_ready_timeout=0.05, coalesce_delay=0.05)
            assert isinstance(bot, commands.AutoShardedBot)
            store = await PostgresStore.open(pg_url)
            stack.push_async_callback(store.close)
            bot.service = await stack.enter_async_context(
                open_service(
                    settings, policy=discord_policy(settings), notifier=bot.notifier, store=store
                )
            )
            task = asyncio.create_task(bot.start(fake.token))
            stack.push_async_callback(_stopped, bot, task)
            bots.append(bot)
        await asyncio.wait_for(asyncio.gather(*(b.wait_until_ready() for b in bots)), 20)
        assert sorted(fake.shards.values()) == [(0, 2), (1, 2)]
        owner = (int(fake.guild_id) >> 22) % 2
        assert [len(b.guilds) for b in bots] == [int(owner == 0), int(owner == 1)]

        reply = await (await fake.slash(team.mod, "article", "new", title="Sharded")).reply()
        assert "#1" in reply["content"]
        added = await fake.slash(team.alice, "comment", "add", article=1, text="From shard land")
        assert "Comment #1 added" in (await added.reply())["content"]
        await bots[owner].notifier.drain()
        card = next(m for m in fake.channel_messages("voting") if "Comment #1" in message_text(m))
        for voter in (team.bob, team.mod, team.translator):
            await (await fake.click(voter, card["id"], "hanno:vote:1:up")).reply()
        await bots[owner].notifier.drain()
        assert "+3 (▲ 3 ▼ 0)" in message_text(fake.messages[card["id"]])
    conn = await asyncpg.connect(pg_url)
    try:
        assert await conn.fetchval("SELECT up FROM comments WHERE number = 1") == 3
        assert await conn.fetchval("SELECT COUNT(*) FROM articles") == 1
    finally:
        await conn.close()


async def _stopped(bot, task: asyncio.Task) -> None:
    await bot.close()
    await asyncio.wait_for(task, 10)
