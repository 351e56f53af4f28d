"""A Japanese team on the console: with `interface_language = "ja"` (or a Japanese $LANG)
every reply of a whole session, help included, is Japanese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.console.test_console import CONFIG, hanno, play, replies

JAPANESE = CONFIG.replace("[console]", '[article]\ninterface_language = "ja"\n\n[console]', 1)

SESSION = """\
aiko: /help
aiko: /help comment add
aiko: /article new "旭川の雪の猫"
aiko: /article set 1 lead "旭川で巨大な雪の猫が話題です。"
sam: /comment add 1 "That cat is bigger than my flat" --author Ola --country NO --persona 👨🏼‍🔬
lena: /comment add 1 "Pure winter magic" --author Ines --country PT,ES
sam: /comment add 1 "Cold cat, warm hearts"
lena: /vote 1 up
sam: /vote 2 up
sam: /vote 1 up
aiko: /vote 3 down
sam: /article close 1
aiko: /article close 1
mei: /translate claim 1
aiko: /translate assign 2 mei
mei: /translate submit 1 "あの猫、うちのアパートより大きいぞ"
aiko: /draft submit 1
mei: /translate submit 2 "まさに冬の魔法だね"
aiko: /article status 1
aiko: /draft submit 1
kenji: /draft approve 1
aiko: /article history 1
aiko: /publish 1
aiko: /publish 1
aiko: /bogus
"""

# What the bot says to each line above, in order (the help texts are checked separately).
EXPECTED = [
    "記事 #1 を作成しました: 旭川の雪の猫。メンバーは `/comment add 1 <text>` でコメントを追加できます。",
    "記事 #1: リードを保存しました。",
    "コメント #1 を記事 #1 に追加しました。",
    "コメント #2 を記事 #1 に追加しました。",
    "コメント #3 を記事 #1 に追加しました。",
    "コメント #1 に投票しました: いいね。現在のスコアは +1 です。",
    "コメント #2 に投票しました: いいね。現在のスコアは +1 です。",
    "自分のコメント #1 には投票できません。自分のコメントへの投票は数えられません。",
    "コメント #3 に投票しました: よくない。現在のスコアは -1 です。",
    "投票を締め切るのはモデレーターだけです。モデレーターに依頼してください。",
    "記事 #1 の投票を締め切りました。2 件のコメントが選ばれました（#1, #2）。翻訳を始められます。",
    "コメント #1 の翻訳はあなたの担当です。`/translate submit 1 <text>` で提出してください。",
    "コメント #2 の翻訳を meiさんに任せました。",
    "コメント #1 の翻訳を保存しました（第 1 版）。",
    "記事 #1 にはまだ 1 件の翻訳が必要です（#2）。担当者は `/article status 1` で確認できます。",
    "コメント #2 の翻訳を保存しました（第 1 版）。",
    None,  # the status board, below
    "記事 #1 をレビューに出しました。モデレーターが承認または修正依頼をします。",
    "記事 #1 が承認されました。モデレーターが `/publish 1` で公開できます。",
    None,  # the history, below
    "記事 #1 を #publish に公開しました（メッセージ 1 件）。",
    "記事 #1 はすでに公開されています。同じ記事が二度投稿されることはありません。",
    "「bogus」というコマンドはありません。help と入力するとコマンドの一覧が出ます。",
]


@pytest.fixture
def japanese_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(JAPANESE.format(db=(tmp_path / "hanno.db").as_posix()), encoding="utf-8")
    return path


def _play(config: Path, script: str) -> tuple[list[str], list[str]]:
    lines = play(config, script)
    return lines, replies(lines)


def _split(said: list[str], lines: list[str]) -> tuple[str, str, list[str]]:
    """The two help answers (multi-line) and the one-line replies after them."""
    text = "\n".join(lines)
    first = text.index("→ ", text.index("aiko: /help\n"))
    second = text.index("→ ", text.index("aiko: /help comment add"))
    third = text.index("aiko: /article new")
    return (
        text[first + 2 : text.index("aiko: /help comment add")],
        text[second + 2 : third],
        said[2:],
    )


def _answer(lines: list[str], typed: str) -> str:
    """The whole (multi-line) reply to the line `typed`, without channel posts."""
    start = lines.index(typed) + 1
    answer: list[str] = []
    for line in lines[start:]:
        if re.match(r"^[a-z]+: /", line):
            break
        if not line.startswith(("[#", "[@")):
            answer.append(line.removeprefix("→ "))
    return "\n".join(answer)


def test_a_whole_session_from_article_new_to_publish_is_japanese(japanese_config: Path) -> None:
    lines, said = _play(japanese_config, SESSION)
    overview, details, rest = _split(said, lines)

    assert overview.startswith(
        'hanno のコマンド（番号は #3 のように #N と書きます。文章を入力どおりに残すには "ダブルクォート" で囲んでください）:'
    )
    assert (
        "  article new <title> — 新しい記事を始めます。メンバーはそこにコメントを追加できるようになります。（モデレーター）"
        in overview
    )
    assert (
        "  vote <c> up|down|clear — コメントに「いいね」か「よくない」を投票するか、投票を取り消します。"
        in overview
    )
    assert "詳しくは help <command> と入力してください（例: help comment add）。" in overview
    assert overview.rstrip().endswith("あなたはここではモデレーターです。")
    assert "チームが投票する海外のコメントを投稿します。\n使える人: 全員。\nオプション:" in details
    assert (
        "  --country CC[,CC] — コメント投稿者の国コード（国旗で表示されます。例: KR,US）" in details
    )

    board = _answer(lines, "aiko: /article status 1")
    history = _answer(lines, "aiko: /article history 1")
    assert [r for r in rest if r not in (board.splitlines()[0], history.splitlines()[0])] == [
        e for e in EXPECTED if e is not None
    ]
    assert board.splitlines() == [
        "#1 旭川の雪の猫 [翻訳中]",
        "コメント: 選出 2 件、候補 1 件、除外 0 件。",
        "翻訳: 完了 2 件、担当者の作業待ち 0 件、未担当 0 件。",
        "meiさんの担当: #1, #2。",
        "選ばれたコメントはすべて翻訳済みです。`/draft submit 1` でレビューに出せます。",
    ]
    steps = [line.split(" JST — ", 1)[1] for line in history.splitlines()]
    assert steps == [
        "aikoさんが記事を作成しました: 旭川の雪の猫",
        "aikoさんがリードを変更しました: 旭川で巨大な雪の猫が話題です。",
        "samさんがコメント #1 を追加しました。",
        "lenaさんがコメント #2 を追加しました。",
        "samさんがコメント #3 を追加しました。",
        "aikoさんが投票を締め切りました（3 件中 2 件を選出）。",
        "meiさんがコメント #1 の翻訳を担当しました。",
        "aikoさんがコメント #2 の翻訳を meiさんに任せました。",
        "meiさんが #1 の翻訳を提出しました（第 1 版）。",
        "meiさんが #2 の翻訳を提出しました（第 1 版）。",
        "aikoさんが下書きをレビューに出しました。",
        "kenjiさんが下書きを承認しました（1/1）。",
    ]
    # Channel posts are in the space's language too.
    text = "\n".join(lines)
    assert "[#voting] 記事 #1 の投票を締め切りました。選ばれたコメント: #1, #2。" in text
    assert (
        "[@mei] aikoさんから記事 #1 のコメント #2 の翻訳を任されました: Pure winter magic" in text
    )
    assert "[#review] kenjiさんが記事 #1 を承認しました。公開できる状態です。" in text


def test_without_a_configured_language_the_console_follows_lang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(db=(tmp_path / "hanno.db").as_posix()), encoding="utf-8")
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    _, said = _play(config, 'aiko: /article new "猫"\n')
    assert said == [
        "記事 #1 を作成しました: 猫。メンバーは `/comment add 1 <text>` でコメントを追加できます。"
    ]
    monkeypatch.setenv("LANG", "C.UTF-8")
    _, said = _play(config, "aiko: /article show 1\n")
    assert said[0].startswith("#1 猫 [collecting comments]")


def test_a_times_zone_is_the_configured_one(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    text = JAPANESE.replace(
        'interface_language = "ja"', 'interface_language = "ja"\ntimezone = "Europe/Helsinki"'
    )
    config.write_text(text.format(db=(tmp_path / "hanno.db").as_posix()), encoding="utf-8")
    _, said = _play(config, 'aiko: /article new "猫"\naiko: /article history 1\n')
    # Helsinki is +0200 in winter and +0300 in summer; never UTC or Tokyo.
    assert re.fullmatch(
        r"1\. \d{4}/\d\d/\d\d \d\d:\d\d \+0[23]00 — aikoさんが記事を作成しました: 猫", said[1]
    )


def test_the_cli_speaks_the_configured_language(japanese_config: Path, tmp_path: Path) -> None:
    result = hanno("console", "--config", str(japanese_config), "--script", "missing.txt")
    assert result.returncode == 2
    assert result.stderr.strip() == "hanno: スクリプト missing.txt が見つかりません"
    result = hanno("export", "1", "--config", str(japanese_config))
    db = (tmp_path / "hanno.db").as_posix()
    assert result.stderr.strip() == f"hanno: {db} にはまだデータベースがありません"


def test_the_cli_help_follows_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    result = hanno("export", "--help")
    assert result.returncode == 0
    assert "記事を Markdown、HTML、またはプレーンテキストで書き出します。" in result.stdout
    assert "標準出力の代わりに FILE に書き出します" in result.stdout
