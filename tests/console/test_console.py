"""Whole console sessions through the real `hanno` command line, on real SQLite files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

CONFIG = """
[storage]
path = "{db}"

[voting]
max_reactions = 2

[console]
people = [
  {{ name = "aiko", role = "moderator" }},
  {{ name = "kenji", role = "moderator" }},
  {{ name = "mei", role = "translator" }},
  {{ name = "sam", role = "member" }},
  {{ name = "lena", role = "member" }},
]
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG.format(db=(tmp_path / "hanno.db").as_posix()), encoding="utf-8")
    return path


def hanno(
    *args: str, stdin: str | None = None, cwd: Path | None = None, **options: Any
) -> subprocess.CompletedProcess[str]:
    """`hanno ARGS` in a process of its own (`options` go to subprocess.run: env, preexec_fn)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        check=False,
        timeout=120,
        **options,
    )


def play(config: Path, script: str) -> list[str]:
    path = config.parent / "script.txt"
    path.write_text(script, encoding="utf-8")
    result = hanno("console", "--config", str(config), "--script", str(path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout.splitlines()


def replies(lines: list[str]) -> list[str]:
    return [line[2:] for line in lines if line.startswith("→ ")]


STORY = """\
# a small story
aiko: /article new "Snow cat of Asahikawa"
aiko: /article set 1 lead "旭川で巨大な雪の猫が話題です。\\
その反応の数々をご紹介します。"
aiko: /article source 1 https://example.com/p/1 --text "雪の猫🐈" --author "北の便り" --handle kita --date "Jan 5, 2026"
sam: /comment add 1 "That cat is bigger than my flat" --author Ola --country NO --persona 👨🏼‍🔬
lena: /comment add 1 "Pure winter magic" --author Ines --country PT,ES
sam: /comment add 1 "Cold cat, warm hearts" --author Ola
lena: /vote 1 up
sam: /vote 2 up
aiko: /vote 2 up
aiko: /vote 3 down
aiko: /article close 1
mei: /translate claim 1
aiko: /translate assign 2 mei
mei: /translate submit 1 "あの猫、うちのアパートより大きいぞ"
mei: /translate submit 2 "まさに冬の魔法だね"
aiko: /draft submit 1
kenji: /draft approve 1
aiko: /publish 1
aiko: /publish 1
"""


def test_a_whole_article_from_empty_database_to_publication(config: Path) -> None:
    lines = play(config, STORY)
    said = replies(lines)
    assert said[0].startswith("Created article #1: Snow cat of Asahikawa")
    assert (
        "Voting on article #1 is closed: 2 comments selected (#1, #2)."
        in said[next(i for i, s in enumerate(said) if s.startswith("Voting on"))]
    )
    published = [line for line in lines if line.startswith("[#publish] ")]
    text = "\n".join(lines[lines.index(published[0]) :])
    assert published[0] == "[#publish] Snow cat of Asahikawa"
    assert (
        "Snow cat of Asahikawa\n\n旭川で巨大な雪の猫が話題です。\nその反応の数々をご紹介します。"
        in text
    )
    assert "— 北の便り (@kita) Jan 5, 2026" in text
    assert "海外の反応\n👨🏼‍🔬🇳🇴 あの猫、うちのアパートより大きいぞ\n\n🧑🏼\u200d🎨🇵🇹🇪🇸" in text
    assert "🇵🇹🇪🇸 まさに冬の魔法だね\nコメントは以上になります。" in text
    assert said[-2].startswith("Article #1 is published in #publish")
    assert said[-1] == "Article #1 is already published; it is never posted twice."
    assert len(published) == 1
    assert "[@mei] aiko assigned you comment #2" in "\n".join(lines)


def test_restarting_the_console_loses_nothing(config: Path) -> None:
    play(config, 'aiko: /article new "Kept"\nsam: /comment add 1 "still here"\nlena: /vote 1 up\n')
    lines = play(config, "aiko: /comment show 1\naiko: /article list\n")
    said = "\n".join(replies(lines))
    assert "#1" in said and "+1" in said and "still here" in said
    assert "#1 Kept [collecting comments]" in said


def test_export_writes_markdown_html_and_text(config: Path, tmp_path: Path) -> None:
    play(config, STORY)
    out = tmp_path / "article.html"
    result = hanno("export", "1", "--format", "html", "-o", str(out), "--config", str(config))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<title>Snow cat of Asahikawa</title>" in html
    assert "<h1>Snow cat of Asahikawa</h1>" in html and "<style>" in html
    assert "<blockquote" in html and "海外の反応" in html
    result = hanno("export", "1", "--format", "html", "--fragment", "--config", str(config))
    assert result.returncode == 0 and result.stdout.startswith('<article class="hanno-article">')
    assert "<h1>" not in result.stdout and "<!DOCTYPE" not in result.stdout
    result = hanno("export", "#1", "--config", str(config))  # md is the default format
    assert result.returncode == 0 and result.stdout.startswith("# Snow cat of Asahikawa\n")
    result = hanno("export", "1", "--format", "txt", "--config", str(config))
    assert result.stdout.startswith("Snow cat of Asahikawa\n\n旭川で巨大な雪の猫が話題です。")
    assert (
        "海外の反応\n👨🏼‍🔬🇳🇴 あの猫、うちのアパートより大きいぞ\n\n🧑🏼\u200d🎨🇵🇹🇪🇸"
        in result.stdout
    )
    # Every format ends with the credits line (translator, who submitted the comments).
    assert result.stdout.endswith(
        "コメントは以上になります。\n翻訳: mei / コメント選定: sam、lena\n"
    )
    assert '<p class="hanno-credits">翻訳: mei / コメント選定: sam、lena</p>\n</article>' in html
    markdown = hanno("export", "1", "--config", str(config)).stdout
    assert markdown.endswith("\n\n翻訳\\: mei / コメント選定\\: sam、lena\n")


@pytest.mark.parametrize(
    ("setting", "last_line"),
    [
        ('credits = "訳：{translators}（選：{pickers}）"', "訳：mei（選：sam、lena）"),
        ("credits = false", "コメントは以上になります。"),
    ],
)
def test_the_team_sets_its_own_credits_or_none(config: Path, setting: str, last_line: str) -> None:
    with config.open("a", encoding="utf-8") as file:
        file.write(f"\n[team]\n{setting}\n")
    play(config, STORY)
    result = hanno("export", "1", "--format", "txt", "--config", str(config))
    assert result.stdout.splitlines()[-1] == last_line


def test_db_backup_and_upgrade(config: Path, tmp_path: Path) -> None:
    play(config, 'aiko: /article new "Backed up"\n')
    backup = tmp_path / "copy.db"
    result = hanno("db", "backup", str(backup), "--config", str(config))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(backup) as db:
        assert db.execute("SELECT title FROM articles").fetchall() == [("Backed up",)]
    result = hanno("db", "upgrade", "--config", str(config))
    assert result.returncode == 0 and "up to date" in result.stdout


def test_demo_prints_the_published_article() -> None:
    result = hanno("demo")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    article = result.stdout.split("=" * 60)[-1]
    assert "海外の反応" in article and "コメントは以上になります。" in article


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("console", "--config", "missing.toml"), "does not exist"),
        (("export", "x1"), "not an article number"),
        (("run", "--platform", "discord"), "DISCORD_TOKEN is not set"),
        (("run", "--platform", "slack"), "SLACK_BOT_TOKEN is not set"),
    ],
)
def test_command_line_mistakes_get_one_plain_sentence(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = hanno(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_a_database_is_refused_plainly(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("not a database", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text('[storage]\npath = "notes.db"\n', encoding="utf-8")
    result = hanno("console", "--config", str(config), stdin="", cwd=tmp_path)
    assert result.returncode == 2
    assert "notes.db is not a hanno database" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_config_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text("[voting]\nmax_reactions = 0\n", encoding="utf-8")
    result = hanno("console", "--config", str(bad), stdin="")
    assert result.returncode == 2
    assert "voting.max_reactions" in result.stderr and "Traceback" not in result.stderr
    bad.write_text('discord_token = "abc"\n', encoding="utf-8")
    result = hanno("console", "--config", str(bad), stdin="")
    assert "DISCORD_TOKEN" in result.stderr and "abc" not in result.stderr


def test_every_command_has_help() -> None:
    for args in (
        ["--help"],
        ["run", "--help"],
        ["console", "--help"],
        ["demo", "--help"],
        ["export", "--help"],
        ["db", "backup", "--help"],
        ["db", "upgrade", "--help"],
        ["discord", "invite", "--help"],
    ):
        result = hanno(*args)
        assert result.returncode == 0 and "usage: hanno" in result.stdout


def test_the_example_config_documents_the_defaults() -> None:
    from bot.config import Settings, load_settings

    example = load_settings(ROOT / "config.example.toml")
    assert example.model_dump() == Settings().model_dump()
