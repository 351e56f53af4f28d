"""The `hanno` command line: wires config, store, core and the chosen front end together."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import secrets
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import asyncpg

from bot.config import ConfigError, Settings, language_of_environment, load_settings
from bot.console.scripts import UnreadableInput, read_script
from bot.core.errors import DomainError
from bot.core.messages import t, use_language
from bot.core.models import Actor
from bot.operations import OperationRefused, health_command
from bot.runtime import Unreachable
from bot.storage.database import DatabaseTooNew, SqliteStore, latest_version

log = logging.getLogger("hanno")

EXPORT_FORMATS = ("md", "html", "txt")


class CliError(Exception):
    """A problem the person at the terminal can fix; printed without a traceback."""


def _writable_target(path: Path) -> None:
    """Refuse a file to write (an export, a backup) whose folder is missing, before any work."""
    folder = path.parent
    if not folder.is_dir():
        raise CliError(t("cli.no_folder", folder=folder, file=path))
    if path.is_dir():
        raise CliError(t("cli.target_is_folder", file=path))


def build_parser() -> argparse.ArgumentParser:
    config = argparse.ArgumentParser(add_help=False)
    config.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        default=None,
        help=t("cli.help.config"),
    )
    parser = argparse.ArgumentParser(
        prog="hanno",
        description=t("cli.help.hanno"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = sub.add_parser(
        "run",
        parents=[config],
        help=t("cli.help.run"),
        description=t("cli.help.run_details"),
    )
    run.add_argument(
        "--platform",
        type=_platforms,
        default=None,
        metavar="console|discord|slack[,…]",
        help="what to serve; discord,slack serves both from one process (default: "
        "`platforms` in the config, else the platform whose token is set, else the console)",
    )

    console = sub.add_parser(
        "console",
        parents=[config],
        help=t("cli.help.console"),
        description=t("cli.help.console_details"),
    )
    console.add_argument(
        "--script",
        metavar="FILE",
        type=Path,
        default=None,
        help=t("cli.help.script"),
    )

    sub.add_parser(
        "demo",
        parents=[config],
        help=t("cli.help.demo"),
        description=t("cli.help.demo_details"),
    )

    export = sub.add_parser(
        "export",
        parents=[config],
        help=t("cli.help.export"),
        description=t("cli.help.export_details"),
    )
    export.add_argument(
        "article", type=_article_number, metavar="ARTICLE", help=t("cli.help.article")
    )
    export.add_argument("--format", choices=EXPORT_FORMATS, default="md", help=t("cli.help.format"))
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        default=None,
        help=t("cli.help.output"),
    )
    export.add_argument("--space", default=None, help=t("cli.help.space"))
    export.add_argument("--fragment", action="store_true", help=t("cli.help.fragment"))

    db = sub.add_parser("db", help=t("cli.help.db"), description=t("cli.help.db_details"))
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser(
        "upgrade",
        parents=[config],
        help=t("cli.help.upgrade"),
        description=t("cli.help.upgrade_details"),
    )
    backup = db_sub.add_parser(
        "backup",
        parents=[config],
        help=t("cli.help.backup"),
        description=t("cli.help.backup_details"),
    )
    backup.add_argument("file", type=Path, metavar="FILE")
    copy = db_sub.add_parser(
        "copy",
        help="copy a whole database between SQLite and PostgreSQL",
        description="Copy every row from one database to another, empty one, and check the "
        "copy row for row. Each side is a SQLite file or a postgresql://user@host/db URL "
        "(the password from PGPASSWORD).",
    )
    copy.add_argument("--from", dest="source", required=True, metavar="FILE|URL")
    copy.add_argument("--to", dest="target", required=True, metavar="FILE|URL")

    sub.add_parser(
        "health",
        parents=[config],
        help="say whether the running bot is up",
        description="Check the store and read the running bot's report on its platform "
        "connections; exit status 0 when everything is up (for a supervisor or a container "
        "health check), 1 otherwise.",
    )

    discord = sub.add_parser(
        "discord",
        help=t("cli.help.discord"),
        description=t("cli.help.discord_details"),
    )
    discord_sub = discord.add_subparsers(dest="discord_command", metavar="ACTION", required=True)
    discord_sub.add_parser(
        "invite",
        parents=[config],
        help=t("cli.help.invite"),
        description=t("cli.help.invite_details"),
    )
    discord_sub.add_parser(
        "sync",
        parents=[config],
        help=t("cli.help.sync"),
        description=t("cli.help.sync_details"),
    )
    return parser


def _platforms(value: str) -> list[str]:
    names = [part.strip() for part in value.split(",") if part.strip()]
    wrong = [n for n in names if n not in ("console", "discord", "slack")]
    if not names or wrong or len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(
            f"'{value}' is not console, discord, slack or a list such as discord,slack"
        )
    if "console" in names and len(names) > 1:
        raise argparse.ArgumentTypeError("the console runs on its own, not beside discord/slack")
    return names


def _article_number(value: str) -> int:
    text = value.lstrip("#")
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(t("cli.bad_article_number", value=value))
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    use_language(language_of_environment())
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config) if hasattr(args, "config") else load_settings()
        use_language(settings.local_language())
        _configure_logging(args, settings)
        handler: Callable[[argparse.Namespace, Settings], Any] = COMMANDS[args.command]
        result = handler(args, settings)
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
        return int(result or 0)
    except (
        ConfigError,
        CliError,
        DatabaseTooNew,
        DomainError,
        UnreadableInput,
        Unreachable,
        OperationRefused,
    ) as error:
        print(t("cli.failed", problem=error), file=sys.stderr)
        return 2
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        print(t("cli.failed", problem=t("cli.postgres_unusable", problem=error)), file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as error:
        print(t("cli.failed", problem=t("cli.database_unusable", problem=error)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:
        ref = secrets.token_hex(2)
        log.exception("hanno %s failed (ref %s)", args.command, ref)
        print(t("cli.failed", problem=t("cli.unexpected", ref=ref)), file=sys.stderr)
        return 1


def _configure_logging(args: argparse.Namespace, settings: Settings) -> None:
    """Platforms log their progress; the console keeps the terminal for the conversation."""
    platform = getattr(args, "platform", None) or settings.default_platform()
    chatty = args.command == "run" and platform != "console"
    logging.basicConfig(
        level=logging.INFO if chatty else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


# commands ------------------------------------------------------------------------------------


async def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console.runner import run_console

    if args.script is not None:
        if not args.script.exists():
            raise CliError(t("cli.no_script", path=args.script))
        return await run_console(settings, lines=read_script(args.script))
    return await run_console(settings, lines=None)


def cmd_run(args: argparse.Namespace, settings: Settings) -> Any:
    platforms = args.platform or settings.platforms or [settings.default_platform()]
    if platforms == ["console"]:
        args.script = None
        return cmd_console(args, settings)
    if "discord" in platforms and settings.discord_token is None:
        raise CliError(t("cli.no_discord_token"))
    if "slack" in platforms and settings.slack_bot_token is None:
        raise CliError(t("cli.no_slack_token"))
    if "slack" in platforms:
        _front_end("bot.slack.runner", "check_settings")(settings)
    return _front_end("bot.platforms", "run_platforms")(settings, platforms)


def _front_end(module: str, name: str) -> Callable[..., Any]:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise CliError(
            t("cli.front_end_missing", front_end=module.split(".")[-1], problem=exc)
        ) from None


async def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console.runner import run_console

    script = resources.files("bot.console").joinpath("demo.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="hanno-demo-") as folder:
        demo = settings.model_copy(
            update={
                "storage": settings.storage.model_copy(update={"path": Path(folder) / "demo.db"})
            }
        )
        demo.console = demo.console.model_copy(update={"space": "demo"})
        status = await run_console(demo, lines=script.splitlines(), echo=True)
        await _export(demo, 1, "txt", None, space="demo", header=True)
    return status


async def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    await _export(
        settings,
        args.article,
        args.format,
        args.output,
        space=args.space,
        fragment=args.fragment,
    )
    return 0


async def _export(
    settings: Settings,
    number: int,
    fmt: str,
    output: Path | None,
    *,
    space: str | None,
    header: bool = False,
    fragment: bool = False,
) -> None:
    from bot.wiring import open_service

    if settings.postgres_url() is None and not Path(settings.storage.path).exists():
        raise CliError(t("cli.no_database", path=settings.storage.path))
    if output is not None:
        _writable_target(output)
    async with open_service(settings, policy=settings.console_policy()) as service:
        reader = Actor(space=space or settings.console.space, user_id="export", name="export")
        doc = await service.document(reader, number)
        renderer = service.renderer
        if fmt == "html":
            text = renderer.html(doc, full=not fragment)
        else:
            text = {"md": renderer.markdown, "txt": renderer.plain}[fmt](doc)
    if output is None:
        if header:
            print("\n" + "=" * 60 + "\n")
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CliError(t("cli.cannot_write", file=output, reason=error.strerror)) from None
        print(t("cli.exported", number=number, format=fmt, path=output))


async def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    from bot.operations import copy_command, postgres_db_command

    if args.db_command == "copy":
        return await copy_command(args.source, args.target)
    if settings.postgres_url() is not None:
        return await postgres_db_command(args, settings)
    path = Path(settings.storage.path)
    if args.db_command == "upgrade":
        store = await SqliteStore.open(path, upgrade=False)
        try:
            applied = await store.upgrade()
        finally:
            await store.close()
        if applied:
            print(t("cli.upgraded", path=path, version=applied[-1]))
        else:
            print(t("cli.up_to_date", path=path, version=latest_version()))
        return 0
    if not path.exists():
        raise CliError(t("cli.nothing_to_back_up", path=path))
    if args.file.exists():
        raise CliError(t("cli.backup_exists", path=args.file))
    _writable_target(args.file)
    store = await SqliteStore.open(path)
    try:
        await store.backup(args.file)
    finally:
        await store.close()
    print(t("cli.backed_up", path=path, backup=args.file))
    return 0


def cmd_discord(args: argparse.Namespace, settings: Settings) -> Any:
    if args.discord_command == "invite":
        print(_front_end("bot.discord", "invite_url")(settings))
        return 0
    if settings.discord_token is None:
        raise CliError(t("cli.no_discord_token"))
    return _front_end("bot.discord", "sync_commands")(settings)


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], Any]] = {
    "run": cmd_run,
    "console": cmd_console,
    "demo": cmd_demo,
    "export": cmd_export,
    "db": cmd_db,
    "discord": cmd_discord,
    "health": lambda args, settings: health_command(settings),
}


if __name__ == "__main__":
    sys.exit(main())
