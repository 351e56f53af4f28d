"""A Japanese team on Discord: commands synced with Japanese names and descriptions, each
person answered in their Discord client's language, channel posts in the space's."""

from __future__ import annotations

from typing import Any

from tests.discord.conftest import Team
from tests.fakes.discord_fake import DiscordFake, FakeUser, message_text


def _japanese(fake: DiscordFake, name: str) -> FakeUser:
    return fake.add_member(name, roles=[], locale="ja")


def _walk(command: dict[str, Any]) -> list[dict[str, Any]]:
    """The command and every option below it."""
    found = [command]
    for option in command.get("options", []):
        found += _walk(option)
    return found


async def test_synced_commands_carry_japanese_names_and_descriptions(
    fake: DiscordFake, team: Team, start
) -> None:
    await start()
    synced = {c["name"]: c for c in fake.commands[fake.guild_id]}
    for command in synced.values():
        for part in _walk(command):
            assert "ja" in (part.get("name_localizations") or {}), part["name"]
            if command.get("type", 1) == 1:
                assert "ja" in (part.get("description_localizations") or {}), part["name"]
            for choice in part.get("choices", []):
                assert "ja" in (choice.get("name_localizations") or {}), choice
    article = synced["article"]
    assert article["name_localizations"]["ja"] == "記事"
    new = next(o for o in article["options"] if o["name"] == "new")
    assert new["name_localizations"]["ja"] == "作成"
    assert new["description_localizations"]["ja"] == "新しい記事を始めます（モデレーター）。"
    title = new["options"][0]
    assert (title["name_localizations"]["ja"], title["description_localizations"]["ja"]) == (
        "タイトル",
        "記事の仮タイトル",
    )
    vote = synced["vote"]
    choice = next(o for o in vote["options"] if o["name"] == "choice")
    assert [c["name_localizations"]["ja"] for c in choice["choices"]] == [
        "いいね",
        "よくない",
        "取り消し",
    ]
    assert synced["Submit as reaction"]["name_localizations"]["ja"] == "反応として投稿"
    # English stays the declared default, with no English "translation" added.
    assert "en-US" not in article["name_localizations"]


async def test_a_japanese_client_is_answered_in_japanese_through_the_workflow(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start()
    aiko = fake.add_member("aiko-ja", roles=["Moderator"], locale="ja")
    mei = fake.add_member("mei-ja", roles=["Translator"], locale="ja")
    yuki = _japanese(fake, "yuki")

    reply = await (await fake.slash(aiko, "article", "new", title="雪まつり")).reply()
    voting = fake.channel_id("voting")
    expected = f"記事 #1 を作成しました: 雪まつり。コメントは <#{voting}> に集まります。"
    assert reply["content"] == expected
    await running.settle()
    # The card in the channel is in the space's language (English here).
    assert "Article #1" in message_text(fake.latest("voting"))

    added = await (
        await fake.slash(yuki, "comment", "add", article=1, text="Unreal ice.", country="FI")
    ).reply()
    assert added["content"].startswith("コメント #1 を記事 #1 に追加しました。")
    english = await (await fake.slash(team.bob, "comment", "add", article=1, text="Cold!")).reply()
    assert english["content"].startswith("Comment #2 added to article #1")
    await running.settle()
    card = next(m for m in fake.channel_messages("voting") if "Comment #1" in message_text(m))
    voted = await (await fake.click(team.bob, card["id"], "hanno:vote:1:up")).reply()
    assert voted["content"] == "You voted up on comment #1; its score is now +1."
    voted = await (await fake.click(aiko, card["id"], "hanno:vote:1:up")).reply()
    assert voted["content"] == "コメント #1 に「いいね」を投票しました。現在のスコアは +2 です。"
    refused = await (await fake.slash(yuki, "article", "close", article=1)).reply()
    assert refused["content"] == (
        "投票を締め切るのはモデレーターだけです。モデレーターに依頼してください。"
    )
    closed = await (await fake.slash(aiko, "article", "close", article=1)).reply()
    assert closed["content"] == (
        "記事 #1 の投票を締め切りました。翻訳するコメントが 1 件選ばれました。"
    )
    await running.settle()

    claim = await fake.click(mei, card["id"], "hanno:claim:1")
    assert (await claim.reply())["content"] == (
        "コメント #1 の翻訳はあなたの担当になりました。フォーム付きのメッセージを送りました。"
    )
    await running.settle()
    dm = fake.dm_messages(mei)[-1]
    # A DM is personal: in the language mei's client showed hanno (the claim, just now).
    assert (
        "mei-jaさんから、コメント #1（記事 #1）の翻訳を任されました。原文はこちらです:"
        in dm["content"]
    )
    assert [c["label"] for row in dm["components"] for c in row["components"]] == [
        "翻訳する",
        "機械翻訳の下訳",
    ]
    opener = await fake.click(mei, dm["id"], f"hanno:translate:{fake.guild_id}:1")
    form = await opener.modal()
    assert form["title"] == "コメント #1 を翻訳"
    done = await fake.answer_modal(opener, {"translation": "氷が非現実的。"})
    assert (await done.reply())["content"] == "コメント #1 の翻訳を保存しました（第 1 版）。"

    submitted = await (await fake.slash(aiko, "draft", "submit", article=1)).reply()
    assert submitted["content"].startswith("記事 #1 を <#")
    await running.settle()
    review = fake.latest("review")
    assert "Waiting for approval (0/1)" in message_text(review)
    approve = await fake.click(team.mod2, review["id"], "hanno:review:1:approve")
    assert "ready to publish" in (await approve.reply())["content"]
    published = await (await fake.slash(aiko, "publish", article=1)).reply()
    assert published["content"].startswith("記事 #1 を <#")
    assert published["content"].endswith("に公開しました（メッセージ 1 件）。")

    history = await (await fake.slash(aiko, "article", "history", article=1)).reply()
    text = message_text(history)
    assert "記事 #1 の履歴" in text
    assert "aiko-jaさんが記事を作成しました: 雪まつり" in text
    assert "mei-jaさんが #1 の翻訳を提出しました（第 1 版）。" in text
    assert "<t:" in text and "JST" not in text and "comment_added" not in text


async def test_a_japanese_space_posts_cards_in_japanese(
    fake: DiscordFake, team: Team, start
) -> None:
    running = await start(article={"interface_language": "ja"})
    reply = await (await fake.slash(team.mod, "article", "new", title="Lanterns")).reply()
    assert reply["content"].startswith("Article #1 created")  # an English client
    await (await fake.slash(team.alice, "comment", "add", article=1, text="Lovely")).reply()
    await running.settle()
    article_card = next(m for m in fake.channel_messages("voting") if "#1" in message_text(m))
    assert "📰 記事 #1: Lanterns" in message_text(article_card)
    card = fake.latest("voting")
    assert "コメント #1" in message_text(card)
    labels = [c["label"] for row in card["components"] for c in row["components"]]
    assert labels == ["いいね", "よくない", "取り消す"]
