"""A throw-away PostgreSQL cluster for the tests and the benchmark: `initdb` and `pg_ctl` in a
temporary folder, listening on 127.0.0.1 on a free port, removed again at the end.

PostgreSQL refuses to run as root; under root the server commands run as the `postgres`
user (`runuser`), which owns the cluster's folder. Each pytest-xdist worker starts a cluster of
its own (the fixture is session-scoped, and a session is per worker): its own folder and port. A password is set (scram-sha-256), so the
clients are tested the way a server is really reached.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PASSWORD = "hanno-test-password"
USER = "hanno"
TEMPLATE = "hanno_template"
# Tests need no crash safety from their own throw-away server; the benchmark keeps it on.
FAST = ("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")


# Where distributions put the server programs, newest version last: Debian/Ubuntu's
# postgresql package (/usr/lib/postgresql/15/bin) and the PGDG packages for Fedora/RHEL.
SERVER_DIRS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin")


def _version(directory: str) -> int:
    digits = "".join(c for c in Path(directory).parent.name if c.isdigit())
    return int(digits or 0)


def server_bin(name: str, dirs: tuple[str, ...] = SERVER_DIRS) -> Path | None:
    """A PostgreSQL server program: from $HANNO_PG_BIN if set (and only there), else on PATH,
    else the newest installed under the distributions' folders."""
    chosen = os.environ.get("HANNO_PG_BIN")
    if chosen:
        path = Path(chosen) / name
        return path if os.access(path, os.X_OK) else None
    found = shutil.which(name)
    if found:
        return Path(found)
    candidates = sorted((d for pattern in dirs for d in glob.glob(pattern)), key=_version)
    for directory in reversed(candidates):
        path = Path(directory) / name
        if os.access(path, os.X_OK):
            return path
    return None


def available() -> bool:
    return server_bin("initdb") is not None and server_bin("pg_ctl") is not None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """One server with its data in `root`; `start()`, `url(db)`, `stop()`."""

    def __init__(self, *, durable: bool = False, settings: tuple[str, ...] = ()) -> None:
        # initdb refuses to run as root: then the server runs as the `postgres` user that the
        # distribution's package creates (.ci/run makes one where it is missing).
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "the tests run as root, and PostgreSQL's initdb refuses root: create a "
                    "'postgres' user (useradd --system postgres) or run the tests as another user"
                ) from None
        self.root = Path(tempfile.mkdtemp(prefix="hanno-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.durable = durable
        self.settings = settings

    def _run(self, *args: str) -> None:
        command = list(args)
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {done.stderr or done.stdout}\n{tail}")

    def start(self) -> Cluster:
        initdb, pg_ctl = server_bin("initdb"), server_bin("pg_ctl")
        if initdb is None or pg_ctl is None:
            raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) were found")
        password_file = self.root / "pw"
        password_file.write_text(PASSWORD)
        if self._as_postgres:
            shutil.chown(self.root, "postgres")
            shutil.chown(password_file, "postgres")
        self._run(
            str(initdb),
            "-D",
            str(self.data),
            "-U",
            USER,
            "-A",
            "scram-sha-256",
            f"--pwfile={password_file}",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        # Several test workers (pytest-xdist) each start a cluster of their own: a port that
        # another worker took between `free_port()` and the server's bind is tried again.
        for attempt in range(5):
            try:
                self._start_server(str(pg_ctl))
                return self
            except RuntimeError as error:
                if attempt == 4 or "could not bind" not in str(error).lower():
                    raise
                self.port = free_port()
        return self

    def _start_server(self, pg_ctl: str) -> None:
        options = [
            "-c listen_addresses=127.0.0.1",
            f"-c port={self.port}",
            f"-c unix_socket_directories={self.root}",
            "-c max_connections=200",
            *(" ".join(FAST[i : i + 2]) for i in range(0, len(FAST), 2) if not self.durable),
            *self.settings,
        ]
        self._run(
            pg_ctl,
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-o",
            " ".join(options),
            "-w",
            "start",
        )

    def url(self, database: str = "postgres", *, password: bool = True) -> str:
        secret = f":{PASSWORD}" if password else ""
        return f"postgresql://{USER}{secret}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        pg_ctl = server_bin("pg_ctl")
        try:
            if pg_ctl is not None and self.data.exists():
                self._run(str(pg_ctl), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    async def create_database(self, name: str, template: str | None = TEMPLATE) -> str:
        """A new database (a copy of the migrated template by default); its URL."""
        import asyncpg

        conn = await asyncpg.connect(self.url())
        try:
            suffix = f" TEMPLATE {template}" if template else ""
            await conn.execute(f'CREATE DATABASE "{name}"{suffix}')
        finally:
            await conn.close()
        return self.url(name)

    async def prepare_template(self) -> None:
        """The template every test database copies: the schema migrated once."""
        from bot.storage.postgres import PostgresStore

        url = await self.create_database(TEMPLATE, template=None)
        store = await PostgresStore.open(url)
        await store.close()
