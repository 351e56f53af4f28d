"""A Japanese team on Slack: each person is answered in the language they chose in Slack
(users.info's `locale`), channel posts are in the space's language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.slack import blocks as ui
from tests.fakes.slack_fake import SlackFake, block_texts
from tests.slack.conftest import (
    ANN,
    BOB,
    MOD,
    MOD2,
    NAMES,
    REVIEW,
    TOKEN,
    TR,
    VOTING,
    Slack,
    serving,
    slack_settings,
)
from tests.slack.test_workflow import open_view, review_message, submit

# mika (moderator), tomo (translator) and ann (member) use Slack in Japanese; bob in English.
JAPANESE = {MOD, TR, ANN}


async def _slack(fake: SlackFake, tmp_path: Path, language: str | None) -> AsyncIterator[Slack]:
    settings = slack_settings()
    settings.article.interface_language = language
    async with serving(fake, tmp_path / "slack.db", settings) as slack:
        yield slack


@pytest.fixture
async def japanese_fake() -> AsyncIterator[SlackFake]:
    async with SlackFake(tokens={TOKEN}) as server:
        for user_id, name in NAMES.items():
            server.add_user(user_id, name, locale="ja-JP" if user_id in JAPANESE else "en-US")
        server.add_usergroup("S0EDITORS", "editors", [MOD2])
        server.add_usergroup("S0TRANSLATORS", "translators", ["UTR2"])
        yield server


@pytest.fixture
async def english_space(japanese_fake: SlackFake, tmp_path: Path) -> AsyncIterator[Slack]:
    async for slack in _slack(japanese_fake, tmp_path, None):
        yield slack


@pytest.fixture
async def japanese_space(japanese_fake: SlackFake, tmp_path: Path) -> AsyncIterator[Slack]:
    async for slack in _slack(japanese_fake, tmp_path, "ja"):
        yield slack


async def test_japanese_people_are_answered_in_japanese_through_the_workflow(
    english_space: Slack,
) -> None:
    slack, fake = english_space, english_space.fake
    assert await slack.say(MOD, 'article new "北海道の夜行列車"') == (
        "記事 #1 を作成しました: 北海道の夜行列車。"
        "メンバーは `/hanno comment add 1 &lt;text&gt;` でコメントを追加できます。"
    )
    # The channel announcement is in the space's language (English here).
    announced = await fake.wait_for("chat.postMessage", lambda c: c.args["channel"] == VOTING)
    assert "New article *#1*" in announced.args["text"]
    assert await slack.say(ANN, 'comment add 1 "What a ride" --country FI') == (
        "コメント #1 を記事 #1 に追加しました。"
    )
    assert await slack.say(BOB, 'comment add 1 "Too slow for me"') == (
        "Added comment #2 to article #1."
    )
    assert await slack.say(BOB, "vote 1 up") == ("Your vote on comment #1: up. Score now +1.")
    assert await slack.say(MOD, "vote 1 up") == (
        "コメント #1 に投票しました: いいね。現在のスコアは +2 です。"
    )
    assert await slack.say(ANN, "article close 1") == (
        "投票を締め切るのはモデレーターだけです。モデレーターに依頼してください。"
    )
    assert await slack.say(MOD, "article close 1") == (
        "記事 #1 の投票を締め切りました。1 件のコメントが選ばれました（#1）。翻訳を始められます。"
    )

    # The translator claims on the card (an English card) and translates in a Japanese modal.
    await slack.click(TR, ui.CLAIM, await slack.card(1))
    claimed = await fake.wait_for_response(lambda p: "担当" in str(p.body))
    assert "コメント #1 の翻訳はあなたの担当です。" in claimed.text
    assert "selected for the article" in block_texts((await slack.card(1))["blocks"])
    await slack.click(TR, ui.TRANSLATE, await slack.card(1))
    form = await open_view(slack, ui.TRANSLATION_MODAL)
    assert form["title"]["text"] == "#1 を翻訳"
    assert "コメント #1 の原文" in block_texts(form["blocks"])
    await submit(slack, TR, form, {"text": {"value": "最高の旅だ"}})

    assert await slack.say(MOD, "draft submit 1") == (
        "記事 #1 をレビューに出しました。モデレーターが承認または修正依頼をします。"
    )
    review = await review_message(slack, 1)
    assert "Draft of article #1 for review" in block_texts(review["blocks"])
    assert await slack.say(MOD2, "draft approve 1") == (
        "Article #1 is approved; a moderator can publish it with `/hanno publish 1`."
    )
    published = await slack.say(MOD, "publish 1")
    assert published.startswith("記事 #1 を <#CPUBLISH> に公開しました")  # a channel link
    assert published.endswith("に公開しました（メッセージ 1 件）。")

    history = await slack.say(MOD, "article history 1")
    assert "mikaさんが記事を作成しました: 北海道の夜行列車" in history
    assert "tomoさんが #1 の翻訳を提出しました（第 1 版）。" in history
    assert "JST" in history and "comment_added" not in history
    help_text = await slack.say(MOD, "help")
    assert "hanno のコマンド" in help_text and "記事とその状態を一覧表示します。" in help_text


async def test_users_info_is_asked_for_the_locale_once_per_person(english_space: Slack) -> None:
    slack, fake = english_space, english_space.fake
    await slack.say(MOD, 'article new "One"')
    await slack.say(MOD, "article list")
    await slack.say(MOD, "article show 1")
    lookups = fake.calls_to("users.info", lambda c: c.args.get("user") == MOD)
    assert len(lookups) == 1
    assert str(lookups[0].args.get("include_locale")).lower() in ("1", "true")


async def test_a_refusal_is_in_the_persons_language(english_space: Slack) -> None:
    assert await english_space.say(ANN, "article show 9") == (
        "記事 #9 はありません。`/hanno article list` で記事の一覧を確認できます。"
    )
    assert await english_space.say(BOB, "article show 9") == (
        "There is no article #9 here; `/hanno article list` shows the articles."
    )


async def test_a_japanese_space_posts_in_japanese_and_dms_in_the_readers_language(
    japanese_space: Slack,
) -> None:
    slack, fake = japanese_space, japanese_space.fake
    assert await slack.say(BOB, 'article new "Snow"') == (
        "Only moderators can create articles; ask a moderator to do it."
    )
    await slack.say(MOD, 'article new "雪まつり"')
    announced = await fake.wait_for("chat.postMessage", lambda c: c.args["channel"] == VOTING)
    assert "新しい記事 *#1*: 雪まつり" in announced.args["text"]
    await slack.say(BOB, 'comment add 1 "Beautiful"')
    card = await slack.card(1)
    assert "スコア 0" in block_texts(card["blocks"])
    await slack.say(ANN, "vote 1 up")
    await slack.say(MOD, "article close 1")
    await slack.say(MOD2, f"translate assign 1 <@{TR}>")
    dm = await fake.wait_for("chat.postMessage", lambda c: c.args["channel"] == "D" + TR)
    assert "noaさんから記事 #1 のコメント #1 の翻訳を任されました。" in dm.args["text"]
    await slack.say(TR, 'translate submit 1 "きれい"')
    await slack.say(MOD, "draft submit 1")
    await fake.wait_for("chat.postMessage", lambda c: c.args["channel"] == REVIEW)
    review = await review_message(slack, 1)
    assert "レビュー待ちの記事 #1 の下書き" in block_texts(review["blocks"])


async def test_app_home_is_in_the_persons_language(english_space: Slack) -> None:
    slack, fake = english_space, english_space.fake
    await slack.say(MOD, 'article new "Home"')
    assert (await slack.events.app_home_opened(MOD)).status == 200
    await slack.front.drain()
    home = await fake.wait_for("views.publish", lambda c: c.args["user_id"] == MOD)
    text = block_texts(home.args["view"]["blocks"])
    assert "あなたはここではモデレーターです。" in text and "*進行中の記事*" in text
