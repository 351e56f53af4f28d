"""`[[publish.targets]]`: the example config's targets load, and mistakes are refused clearly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.core.messages import speaking
from bot.publish import build_targets

ROOT = Path(__file__).resolve().parents[2]
PASSWORD_IN_FILE = (
    '[[publish.targets]]\nname = "wp"\nkind = "wordpress"\nurl = "https://b.example"\n'
    'user = "ed"\npassword = "abcd efgh"\n'
)


def test_the_examples_targets_load_when_uncommented(tmp_path: Path) -> None:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    block = text[text.index("# [[publish.targets]]") :]
    enabled = re.sub(r"^# ?", "", block, flags=re.MULTILINE)
    (tmp_path / "config.toml").write_text(enabled, encoding="utf-8")
    settings = load_settings(tmp_path / "config.toml")
    targets = build_targets(settings.publish.targets)
    assert [(t.name, t.kind, t.auto) for t in targets] == [
        ("blog", "wordpress", True),
        ("hatena", "hatena", False),
        ("livedoor", "livedoor", False),
        ("site", "static", False),
    ]


def test_unknown_kind_and_duplicate_names_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[[publish.targets]]\nname = "x"\nkind = "tumblr"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"publish\.targets\.0"):
        load_settings(path)
    path.write_text(
        '[[publish.targets]]\nname = "a"\nkind = "static"\nfolder = "."\n'
        '[[publish.targets]]\nname = "a"\nkind = "static"\nfolder = "."\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="two publish targets are called a"):
        load_settings(path)


def test_a_password_in_the_config_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(PASSWORD_IN_FILE, encoding="utf-8")
    with pytest.raises(ConfigError, match="password does not belong in the config file") as caught:
        load_settings(path)
    assert "abcd" not in str(caught.value)


def test_target_mistakes_are_told_in_japanese_to_a_japanese_operator(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(PASSWORD_IN_FILE, encoding="utf-8")
    with speaking("ja"), pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value) == (
        f"{path} に問題があります。publish.targets.0.wordpress: password は設定ファイルに"
        "書けません。環境変数に入れ、その変数名を credential_env に書いてください。"
    )
    assert "abcd" not in str(caught.value)
