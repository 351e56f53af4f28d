"""Where the tests find PostgreSQL, and that CI never skips the PostgreSQL half."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import pgcluster

ROOT = Path(__file__).resolve().parents[1]


def program(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_the_newest_distribution_server_is_found_when_none_is_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HANNO_PG_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    lib = tmp_path / "usr/lib/postgresql"
    for version in ("9", "13", "15"):
        program(lib / version / "bin", "pg_ctl")
    newest = program(lib / "16" / "bin", "initdb")  # 16 has no pg_ctl: each program on its own
    dirs = (f"{lib}/*/bin",)
    assert pgcluster.server_bin("initdb", dirs) == newest
    assert pgcluster.server_bin("pg_ctl", dirs) == lib / "15" / "bin" / "pg_ctl"
    assert pgcluster.server_bin("postgres", dirs) is None


def test_a_server_on_path_wins_and_hanno_pg_bin_wins_over_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_path = program(tmp_path / "bin", "initdb")
    lib = tmp_path / "lib/postgresql"
    program(lib / "17" / "bin", "initdb")
    monkeypatch.delenv("HANNO_PG_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert pgcluster.server_bin("initdb", (f"{lib}/*/bin",)) == on_path
    chosen = program(tmp_path / "chosen", "initdb")
    monkeypatch.setenv("HANNO_PG_BIN", str(tmp_path / "chosen"))
    assert pgcluster.server_bin("initdb", (f"{lib}/*/bin",)) == chosen
    monkeypatch.setenv("HANNO_PG_BIN", str(tmp_path / "nowhere"))
    assert pgcluster.server_bin("initdb", (f"{lib}/*/bin",)) is None


def run_postgres_test(ci: str) -> subprocess.CompletedProcess[str]:
    """One PostgreSQL contract test in a pytest of its own, with no server to be found."""
    env = {**os.environ, "CI": ci, "HANNO_PG_BIN": "/nonexistent-postgresql/bin"}
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "tests/storage/test_contract.py::test_a_failed_transaction_leaves_nothing_behind",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_without_a_server_ci_fails_loudly_and_a_workstation_skips_saying_so() -> None:
    ci = run_postgres_test("true")
    assert ci.returncode != 0, ci.stdout
    assert "CI must run the PostgreSQL half" in ci.stdout
    assert "1 passed" in ci.stdout and "1 error" in ci.stdout  # SQLite ran, PostgreSQL failed
    local = run_postgres_test("")
    assert local.returncode == 0, local.stdout
    assert "1 passed, 1 skipped" in local.stdout
    assert "PostgreSQL half skipped" in local.stdout
