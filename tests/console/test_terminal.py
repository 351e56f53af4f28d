"""The console at a real (pseudo-)terminal: line editing, history, a long paste, Ctrl-C, Ctrl-D."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from tests.console.test_console import CONFIG, ROOT

LEFT = "\x1b[D"
UP = "\x1b[A"
CTRL_C = "\x03"
CTRL_D = "\x04"


@pytest.fixture
def console(tmp_path: Path) -> Iterator[pexpect.spawn]:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(db=(tmp_path / "hanno.db").as_posix()), encoding="utf-8")
    env = {**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "200"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bot", "console", "--config", str(config)],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 200),
    )
    child.expect_exact("hanno>")
    yield child
    if child.isalive():
        child.terminate(force=True)


def test_arrow_keys_edit_the_line_and_up_recalls_it(console: pexpect.spawn) -> None:
    console.send("aiko: /article new Tet")
    console.send(LEFT)
    console.send("s\r")
    console.expect_exact("Created article #1: Test.")
    console.expect_exact("hanno>")
    console.send(UP)
    console.send("\r")
    console.expect_exact("Created article #2: Test.")


def test_tab_completes_the_speaker_and_the_command(console: pexpect.spawn) -> None:
    # Completion runs beside the keyboard; the expects wait until each has been drawn.
    console.send("ai\t")
    console.expect_exact("ko: /")
    console.send("article li\t")
    console.expect_exact("st")
    console.send("\r")
    console.expect_exact("There are no articles yet")


def test_a_pasted_five_thousand_character_comment_reaches_the_length_check(
    console: pexpect.spawn,
) -> None:
    console.send('aiko: /article new "Long"\r')
    console.expect_exact("Created article #1")
    console.expect_exact("hanno>")
    line = "sam: /comment add 1 " + "x" * 5000
    for start in range(0, len(line), 500):
        console.send(line[start : start + 500])
    console.send("\r")
    console.expect_exact("is 5000 characters long, over the limit of 4000", timeout=60)


def test_ctrl_c_cancels_the_line_and_the_console_keeps_listening(console: pexpect.spawn) -> None:
    console.send("aiko: /article new Never")
    console.send(CTRL_C)
    console.expect_exact("line cancelled")
    console.expect_exact("hanno>")
    console.send(CTRL_C)
    console.expect_exact("hanno>")
    console.send("aiko: /article new Kept\r")
    console.expect_exact("Created article #1: Kept.")
    console.expect_exact("hanno>")
    console.send("aiko: /article list\r")
    console.expect_exact("#1 Kept")
    assert "Never" not in console.before


def test_ctrl_d_quits(console: pexpect.spawn) -> None:
    console.send(CTRL_D)
    console.expect_exact("Bye.")
    console.expect(pexpect.EOF)
    console.close()
    assert console.exitstatus == 0


def test_a_line_ending_in_a_backslash_continues(console: pexpect.spawn) -> None:
    console.send("aiko: /article new T\r")
    console.expect_exact("Created article #1")
    console.expect_exact("hanno>")
    console.send('sam: /comment add 1 "Two\\\r')
    console.expect_exact("...>")
    console.send('lines"\r')
    console.expect_exact("Added comment #1 to article #1.")
    console.expect_exact("hanno>")
    console.send("sam: /comment show 1\r")
    console.expect_exact("Two\r\nlines")
