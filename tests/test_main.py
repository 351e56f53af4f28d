"""The `hanno` command line when something around it is wrong: one sentence on stderr, a
non-zero exit, no traceback, and nothing changed."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from tests.console.test_console import ROOT, hanno


def closed_port() -> int:
    """A local port nothing listens on: connecting to it fails at once, like no network.

    The discard port, as tests/conftest.py's CLOSED: a port freed by a probe could be taken by
    a fake server of another test running in parallel before the child process connects.
    """
    return 9


def one_sentence(result: subprocess.CompletedProcess[str], sentence: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip().splitlines()[-1] == f"hanno: {sentence}"


def _configured(folder: Path) -> Path:
    config = folder / "config.toml"
    config.write_text(f'[storage]\npath = "{(folder / "hanno.db").as_posix()}"\n', "utf-8")
    return config


@pytest.fixture(scope="module")
def _one_article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose database holds one article, made once through the real command line."""
    folder = tmp_path_factory.mktemp("site")
    config = _configured(folder)
    result = hanno("console", "--config", str(config), stdin='aiko: /article new "Kept"\n')
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def site(tmp_path: Path, _one_article: Path) -> Path:
    """A folder with a config and a database holding one article (a copy of the module's)."""
    for made in _one_article.iterdir():
        if made.name != "config.toml":
            shutil.copy2(made, tmp_path / made.name)
    _configured(tmp_path)
    return tmp_path


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_export_into_a_missing_folder(site: Path) -> None:
    before = files(site)
    target = site / "missing" / "dir" / "x.html"
    result = hanno(
        "export", "1", "--format", "html", "-o", str(target), "--config", str(site / "config.toml")
    )
    one_sentence(
        result,
        f"The folder {target.parent} does not exist; create it or give another place for {target}.",
    )
    assert files(site) == before and not (site / "missing").exists()


def test_export_onto_a_folder(site: Path) -> None:
    result = hanno("export", "1", "-o", str(site), "--config", str(site / "config.toml"))
    one_sentence(result, f"{site} is a folder; give a file name inside it instead.")


def test_backup_into_a_missing_folder_names_the_backup_not_the_database(site: Path) -> None:
    before = files(site)
    target = site / "missing" / "x.db"
    result = hanno("db", "backup", str(target), "--config", str(site / "config.toml"))
    one_sentence(
        result,
        f"The folder {target.parent} does not exist; create it or give another place for {target}.",
    )
    assert files(site) == before and not target.parent.exists()


def test_a_damaged_database_is_refused_at_start(site: Path) -> None:
    db = site / "hanno.db"
    data = bytearray(db.read_bytes())
    data[4096 * 2 : 4096 * 2 + 100] = b"\xa5" * 100
    db.write_bytes(bytes(data))
    before = files(site)
    result = hanno("console", "--config", str(site / "config.toml"), stdin="aiko: /article list\n")
    one_sentence(
        result,
        f"The database {db} is damaged; restore your latest backup (`hanno db backup FILE` makes "
        "one) or move the file away to start a new database.",
    )
    assert files(site) == before


def without_root_powers() -> None:
    """Root may write any file; without CAP_DAC_OVERRIDE its file modes bind it like anyone.

    The capability is dropped from the bounding set, so the program exec'd next never has it.
    """
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE = 1
CAP_DAC_READ_SEARCH = 2


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_is_one_sentence(site: Path, what: str) -> None:
    db = site / "hanno.db"
    config = site / "config.toml"
    if what == "file":
        db.chmod(0o444)
        sentence = (
            f"The database {db} is read-only for hanno; let hanno write to it (or set [storage] "
            "path to a writable file) and try again."
        )
    else:
        site.chmod(0o555)
        sentence = (
            f"The folder {site} that holds the database {db} is read-only for hanno; let hanno "
            "write there (or set [storage] path to a writable place) and try again."
        )
    before = files(site)
    try:
        result = hanno(
            "console",
            "--config",
            str(config),
            stdin='aiko: /article new "Lost"\n',
            preexec_fn=without_root_powers,
        )
    finally:
        site.chmod(0o755)
        db.chmod(0o644)
    one_sentence(result, sentence)
    assert files(site) == before


def test_a_full_disk_during_a_command_is_one_sentence(site: Path) -> None:
    db = site / "hanno.db"

    def small_disk() -> None:
        import resource

        # No file may grow past 36 KiB: room for SQLite's 32 KiB shared-memory file, not for
        # the write-ahead log of a long lead (the OS refuses the write, as on a full disk).
        resource.setrlimit(resource.RLIMIT_FSIZE, (36 * 1024, 36 * 1024))

    lead = "長い前書きです。" * 1200
    result = hanno(
        "console",
        "--config",
        str(site / "config.toml"),
        stdin=f'aiko: /article set 1 lead "{lead}"\n',
        preexec_fn=small_disk,
    )
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == (
        f"→ The database {db} could not be written because the disk is full; free some space "
        "and try again (nothing was saved)."
    )
    shown = hanno("console", "--config", str(site / "config.toml"), stdin="aiko: /article show 1\n")
    assert "長い前書き" not in shown.stdout and "Kept" in shown.stdout


NO_NETWORK = """
import sys
from tests.discord.bot_process import point_at_fake
point_at_fake("http://127.0.0.1:{port}")
from bot.__main__ import main
sys.exit(main(["run", "--config", "{config}"]))
"""


def test_run_on_discord_without_network(site: Path) -> None:
    port = closed_port()
    env = {**os.environ, "DISCORD_TOKEN": "MTIzNDU2.abc.def", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK.format(port=port, config=site / "config.toml")],
        capture_output=True,
        text=True,
        cwd=site,
        env=env,
        check=False,
        timeout=120,
    )
    one_sentence(
        result,
        f"Could not reach Discord (Connect call failed ('127.0.0.1', {port})); check the "
        "network connection (and any proxy) and start again.",
    )


def test_run_on_slack_without_network(site: Path) -> None:
    port = closed_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_APP_TOKEN": "xapp-1",
        # Slack's client goes through the proxy in the environment; here it is unreachable.
        "HTTPS_PROXY": f"http://127.0.0.1:{port}",
    }
    env.pop("DISCORD_TOKEN", None)
    result = hanno("run", "--config", str(site / "config.toml"), env=env)
    one_sentence(
        result,
        f"Could not reach Slack (Connect call failed ('127.0.0.1', {port})); check the "
        "network connection (and any proxy) and start again.",
    )


SECRETS = [
    ('DISCORD_TOKEN = "abc"', "DISCORD_TOKEN", "DISCORD_TOKEN"),
    ('discord_token = "abc"', "discord_token", "DISCORD_TOKEN"),
    ('Discord-Token = "abc"', "Discord-Token", "DISCORD_TOKEN"),
    ('HANNO_DISCORD_TOKEN = "abc"', "HANNO_DISCORD_TOKEN", "DISCORD_TOKEN"),
    ('[discord]\ntoken = "abc"', "discord.token", "DISCORD_TOKEN"),
    ('[discord]\nDISCORD_TOKEN = "abc"', "discord.DISCORD_TOKEN", "DISCORD_TOKEN"),
    ('SLACK_BOT_TOKEN = "xoxb-abc"', "SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN"),
    ('[slack]\ntoken = "xoxb-abc"', "slack.token", "SLACK_BOT_TOKEN"),
    ('[slack]\nbot_token = "xoxb-abc"', "slack.bot_token", "SLACK_BOT_TOKEN"),
    ('[slack]\napp-token = "xapp-abc"', "slack.app-token", "SLACK_APP_TOKEN"),
    ('[slack]\nsigning_secret = "abc"', "slack.signing_secret", "SLACK_SIGNING_SECRET"),
    ('slack_signing_secret = "abc"', "slack_signing_secret", "SLACK_SIGNING_SECRET"),
]


@pytest.mark.parametrize(("body", "key", "variable"), SECRETS, ids=[s[1] for s in SECRETS])
def test_a_secret_in_the_config_is_refused_in_every_spelling(
    tmp_path: Path, body: str, key: str, variable: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(body + "\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(caught.value) == (
        f"{config} contains the secret '{key}'; remove it from the file and set the "
        f"environment variable {variable} instead."
    )
    assert "abc" not in str(caught.value)


def test_a_secret_in_the_config_stops_the_command_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[discord]\ntoken = "abc"\n', "utf-8")
    result = hanno("run", "--config", str(config), cwd=tmp_path)
    one_sentence(
        result,
        f"{config} contains the secret 'discord.token'; remove it from the file and set the "
        "environment variable DISCORD_TOKEN instead.",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_a_config_mistake_is_one_sentence_in_the_operators_language(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[voting]\nmin_score = 5000\n[reminders]\ntranslation_after = "soon"\n[article]\nstyel = 1\n',
        "utf-8",
    )
    english = hanno("run", "--config", str(config), cwd=tmp_path, env={**os.environ, "LANG": "C"})
    one_sentence(
        english,
        f"Problem in {config}: voting.min_score: must be at most 1000; "
        "article.styel: unknown key; check its spelling against config.example.toml; "
        "reminders.translation_after: soon is not a length of time such as 24h or 2d.",
    )
    japanese = hanno(
        "run", "--config", str(config), cwd=tmp_path, env={**os.environ, "LANG": "ja_JP.UTF-8"}
    )
    one_sentence(
        japanese,
        f"{config} に問題があります。voting.min_score: 1000 以下にしてください; "
        "article.styel: 知らないキーです（config.example.toml と綴りを見比べてください）; "
        "reminders.translation_after: soon は 24h や 2d のような時間の長さではありません。",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_a_missing_config_file_is_named_in_japanese_too(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.toml"
    result = hanno(
        "run", "--config", str(missing), cwd=tmp_path, env={**os.environ, "LANG": "ja_JP.UTF-8"}
    )
    one_sentence(
        result,
        f"設定ファイル {missing} がありません。config.example.toml をコピーして作成してください。",
    )
