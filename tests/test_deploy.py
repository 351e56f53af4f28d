"""The documented ways to run hanno on a server — Dockerfile, compose.yaml and the systemd
unit — agree with the config: every secret comes from the environment and none is written
down, the database URL is one the config accepts and points at the compose database, and
the health check is `hanno health` everywhere."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.config import SECRET_KEYS, Settings, load_settings
from bot.publish.settings import HatenaSettings, LivedoorSettings, WordPressSettings

ROOT = Path(__file__).resolve().parents[1]
# The environment variables that carry secrets (the config's aliases, and libpq's password).
SECRET_VARIABLES = {
    "DISCORD_TOKEN",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "HANNO_DATABASE_URL",
    "PGPASSWORD",
    "POSTGRES_PASSWORD",
    "REDDIT_CLIENT_ID",
    "REDDIT_CLIENT_SECRET",
    "X_BEARER_TOKEN",
    "YOUTUBE_API_KEY",
    "DEEPL_AUTH_KEY",
    "OPENAI_API_KEY",
}
# The blog targets' secrets: each target names its variable, these are the defaults.
BLOG_VARIABLES = {
    field.default
    for model in (WordPressSettings, HatenaSettings, LivedoorSettings)
    for name, field in model.model_fields.items()
    if name == "credential_env"
}
PASSWORD_IN_URL = re.compile(r"postgres(?:ql)?://[^/@\s]*:[^/@\s]*@")


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def exec_form(arguments: str) -> list[str]:
    return yaml.safe_load(arguments) if arguments.startswith("[") else shlex.split(arguments)


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_the_secret_variables_are_the_configs() -> None:
    aliases = {
        alias.upper()
        for key in SECRET_KEYS
        for alias in Settings.model_fields[key].validation_alias.choices  # type: ignore[union-attr]
        if not alias.upper().startswith("HANNO_") or key == "database_url"
    }
    assert aliases | {"PGPASSWORD", "POSTGRES_PASSWORD"} == SECRET_VARIABLES


def test_the_image_installs_as_the_readme_says_and_runs_unprivileged() -> None:
    steps = dockerfile()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = "python3 -m venv .venv && .venv/bin/pip install -e ."
    assert install in readme
    assert ("RUN", install) in steps
    users = [args for op, args in steps if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    last_user = max(i for i, (op, _) in enumerate(steps) if op == "USER")
    entry = max(i for i, (op, _) in enumerate(steps) if op == "ENTRYPOINT")
    assert last_user < entry
    assert exec_form(steps[entry][1]) == ["hanno", "run"]
    health = next(args for op, args in steps if op == "HEALTHCHECK")
    assert exec_form(health.split("CMD", 1)[1].strip()) == ["hanno", "health"]


def test_no_secret_is_baked_into_the_image() -> None:
    for op, args in dockerfile():
        if op in ("ENV", "ARG"):
            assert not SECRET_VARIABLES & set(re.findall(r"[A-Z_]+", args)), args
        assert not PASSWORD_IN_URL.search(args)


def test_compose_passes_every_secret_from_the_environment() -> None:
    services = compose()["services"]
    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if key in SECRET_VARIABLES:
                assert re.fullmatch(r"\$\{[A-Z_]+(:[?-][^}]*)?\}", str(value)), (name, key)
            assert not PASSWORD_IN_URL.search(str(value)), (name, key)
    bot = services["hanno"]["environment"]
    passed = SECRET_VARIABLES - {"HANNO_DATABASE_URL", "PGPASSWORD", "POSTGRES_PASSWORD"}
    for variable in passed | BLOG_VARIABLES:
        assert bot.get(variable) == f"${{{variable}:-}}", variable
    # the bot's password is the one the database was given
    assert bot["PGPASSWORD"] == services["postgres"]["environment"]["POSTGRES_PASSWORD"]


def test_compose_database_url_is_accepted_and_points_at_the_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = compose()["services"]
    database = services["postgres"]["environment"]
    bot = services["hanno"]["environment"]
    for key, value in bot.items():  # as the container would see it, secrets filled in
        monkeypatch.setenv(key, "dummy" if str(value).startswith("${") else str(value))
    settings = load_settings(ROOT / "config.example.toml")
    url = settings.postgres_url()
    assert url == "postgresql://hanno@postgres:5432/hanno"
    user_host, dbname = url.split("://", 1)[1].split("/", 1)
    user, host = user_host.split("@")
    assert host.split(":")[0] in services
    assert (user, dbname) == (database["POSTGRES_USER"], database["POSTGRES_DB"])
    assert "postgres" in services["hanno"]["depends_on"]


def test_the_health_checks_agree() -> None:
    services = compose()["services"]
    health = next(args for op, args in dockerfile() if op == "HEALTHCHECK")
    image_check = exec_form(health.split("CMD", 1)[1].strip())
    assert services["hanno"]["healthcheck"]["test"] == ["CMD", *image_check]
    port = int(services["hanno"]["ports"][0].split(":")[-1])
    assert port == Settings().slack.port  # /healthz of Slack's HTTP mode
    assert f"EXPOSE {port}" in (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_the_systemd_unit_runs_hanno_as_a_user_with_secrets_from_a_file() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / "deploy" / "hanno.service", encoding="utf-8")
    service = unit["Service"]
    program, *arguments = service["ExecStart"].split()
    assert (Path(program).name, arguments) == ("hanno", ["run"])
    assert service["User"] not in ("root", "0")
    assert service["EnvironmentFile"].startswith("/etc/")
    text = (ROOT / "deploy" / "hanno.service").read_text(encoding="utf-8")
    assigned = re.findall(r"^Environment=(\w+)=", text, re.M)
    assert not SECRET_VARIABLES & set(assigned)
    assert not PASSWORD_IN_URL.search(text)


def _engine_running() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _engine_running(), reason="no container engine is running here")
def test_the_image_builds_and_its_health_check_runs() -> None:
    subprocess.run(["docker", "build", "-t", "hanno-test", str(ROOT)], check=True)
    done = subprocess.run(
        ["docker", "run", "--rm", "--entrypoint", "hanno", "hanno-test", "health"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "store: up" in done.stdout  # a fresh SQLite file; no bot is running: exit 1
    assert done.returncode == 1
