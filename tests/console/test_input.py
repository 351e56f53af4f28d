"""What people feed the console: Japanese names and keyboards, bare help, scripts in any
encoding their editor saves, and no input at all."""

from __future__ import annotations

import codecs
import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, ConsoleConfig, Person, Settings, StorageConfig, load_settings
from bot.console.runner import console_session
from tests.console.test_console import ROOT, hanno, replies


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        storage=StorageConfig(path=tmp_path / "ime.db"),
        console=ConsoleConfig(
            people=[
                Person(name="愛子", role="moderator"),
                Person(name="aiko", role="moderator"),
                Person(name="sam", role="member"),
                Person(name="Ólafur", role="member"),
            ]
        ),
    )


async def _said(settings: Settings, lines: list[str]) -> list[str]:
    out = io.StringIO()
    async with console_session(settings, out) as session:
        for line in lines:
            await session.handle(line)
    return replies(out.getvalue().splitlines())


async def test_a_japanese_keyboards_lines_are_understood(settings: Settings) -> None:
    said = await _said(
        settings,
        [
            "愛子：／article　new　駅員さんの　スケッチブック",
            "ｓａｍ：／comment　add　＃１　Ｗｏｗ　ｔｈａｔ’ｓ　ｋｉｎｄ　－－country　ｆｉ",
            "Ólafur: /vote ＃１ ＵＰ",
            "ＡＩＫＯ： ／comment show １",
        ],
    )
    assert said[0].startswith("Created article #1: 駅員さんの　スケッチブック.")
    assert said[1] == "Added comment #1 to article #1."
    assert "Voted" in said[2] or "+1" in said[2]
    assert "🇫🇮" in said[3]
    # the comment's text is stored exactly as typed, full-width letters and spaces included
    assert stored(settings) == [("Ｗｏｗ　ｔｈａｔ’ｓ　ｋｉｎｄ", "FI")]


async def test_text_with_dashes_is_stored_as_typed(settings: Settings) -> None:
    said = await _said(
        settings,
        [
            "aiko: /article new T",
            "sam: /comment add 1 I love this -- really",
            "sam: /comment add 1 Wonderful —country FI",
        ],
    )
    assert said[1:] == ["Added comment #1 to article #1.", "Added comment #2 to article #1."]
    assert stored(settings) == [("I love this -- really", ""), ("Wonderful", "FI")]


def stored(settings: Settings) -> list[tuple[str, str]]:
    with sqlite3.connect(settings.storage.path) as db:
        return db.execute("SELECT text, countries FROM comments ORDER BY number").fetchall()


async def test_bare_help_prints_help(settings: Settings) -> None:
    out = io.StringIO()
    async with console_session(settings, out) as session:
        await session.handle("help")
        await session.handle("ｈｅｌｐ　vote")
        await session.handle("/help comment add")
        await session.handle("help frobnicate")
        assert session.failures == 0
    text = out.getvalue()
    assert "Start the line with who is speaking" not in text
    assert "article new <title>" in text
    assert "vote <c> up|down|clear" in text
    assert "comment add <a> <text>" in text
    assert "In the console, start each command with who says it, e.g. 愛子: /article list" in text
    assert "frobnicate" in text


@pytest.mark.parametrize("name", ["愛子", "Ólafur", "mei-chan", "o'brien", "🐱"])
def test_any_printable_name_without_spaces_or_colons_is_a_console_name(name: str) -> None:
    assert Person(name=name).name == name


@pytest.mark.parametrize("name", ["ai ko", "ai:ko", "愛子：", "ai\u3000ko", "bell\\u0007", ""])
def test_names_with_spaces_colons_or_controls_are_refused(tmp_path: Path, name: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[console]\npeople = [{{ name = "{name}" }}]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"console\.people\.0\.name"):
        load_settings(config)


def plain_config(folder: Path) -> Path:
    """A config with only a database path, the default people, in `folder`."""
    path = folder / "config.toml"
    path.write_text(f'[storage]\npath = "{(folder / "s.db").as_posix()}"\n', encoding="utf-8")
    return path


SCRIPT = 'aiko: /article new "駅員さんとスケッチブック"\naiko: /article list\n'


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + SCRIPT.encode("utf-8"),
        SCRIPT.encode("shift_jis"),
        SCRIPT.encode("cp932").replace(b"\n", b"\r\n"),
        SCRIPT.encode("utf-16"),  # with its BOM
    ],
    ids=["utf-8 with BOM", "shift_jis", "cp932 with CRLF", "utf-16"],
)
def test_scripts_in_the_encodings_editors_save_are_read(tmp_path: Path, data: bytes) -> None:
    plain_config(tmp_path)
    script = tmp_path / "script.txt"
    script.write_bytes(data)
    result = hanno("console", "--config", str(tmp_path / "config.toml"), "--script", str(script))
    assert result.returncode == 0, result.stderr
    assert "#1 駅員さんとスケッチブック [collecting comments]" in result.stdout


def test_a_script_in_another_encoding_is_refused_in_one_sentence(tmp_path: Path) -> None:
    plain_config(tmp_path)
    script = tmp_path / "script.txt"
    script.write_bytes("aiko: /article new Größe\x81\xff".encode("latin-1"))
    result = hanno("console", "--config", str(tmp_path / "config.toml"), "--script", str(script))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"hanno: {script} is neither UTF-8 nor Shift_JIS text; save it as UTF-8 and run it again."
    )
    assert not (tmp_path / "s.db").exists()


def test_piped_shift_jis_and_bad_bytes(tmp_path: Path) -> None:
    plain_config(tmp_path)
    data = (
        codecs.BOM_UTF8
        + "aiko: /article new 雪\n".encode()
        + "aiko: /article list\n".encode("shift_jis")
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--config", str(tmp_path / "config.toml")],
        input=data + b"aiko: /article new \xff\xfe\x81\n",
        capture_output=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert "#1 雪 [collecting comments]" in result.stdout.decode()
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "hanno: The input on line 3 is neither UTF-8 nor Shift_JIS text; send UTF-8 and try again."
    )


def test_no_standard_input_at_all_is_an_empty_session(tmp_path: Path) -> None:
    plain_config(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--config", str(tmp_path / "config.toml")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0 and result.stderr == b""
    closed = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--config", str(tmp_path / "config.toml")],
        capture_output=True,
        cwd=ROOT,
        check=False,
        timeout=120,
        preexec_fn=lambda: __import__("os").close(0),
    )
    assert closed.returncode == 0, closed.stderr
