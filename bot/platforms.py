"""`hanno run` on Discord, Slack or both in one process, on one store.

Each front end runs under a supervisor: if it crashes, the crash is logged and the front end
is started again after a pause that grows with repeated crashes, while the other front end
goes on serving. A configuration problem (a refused token) is not retried, nor is a platform
that cannot be reached at the very first start (no network: `hanno run` says so in one
sentence and a supervisor such as systemd decides when to try again): that front end stops
with a plain message, the others keep running. The process keeps a health report
(bot/health.py) for `hanno health` and Slack's `/healthz`.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.config import ConfigError, Settings
from bot.core.messages import t
from bot.health import Health
from bot.runtime import Unreachable

log = logging.getLogger(__name__)

RUNNERS = {"discord": ("bot.discord", "run_discord"), "slack": ("bot.slack", "run_slack")}
RESTART_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)
# A front end that ran this long before crashing starts again at the shortest pause.
STABLE_AFTER = 60.0


def runner(platform: str) -> Callable[..., Awaitable[None]]:
    module, name = RUNNERS[platform]
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


async def supervise(
    name: str,
    start: Callable[[], Awaitable[None]],
    *,
    health: Health,
    delays: Sequence[float] = RESTART_DELAYS,
) -> Exception:
    """Run `start()` again whenever it ends or crashes, until cancelled or misconfigured;
    returns what stopped it for good."""
    failures = 0
    started = 0
    loop = asyncio.get_running_loop()
    while True:
        began = loop.time()
        started += 1
        try:
            await start()
            log.warning("the %s front end stopped; starting it again", name)
        except asyncio.CancelledError:
            raise
        except (ConfigError, Unreachable) as error:
            if isinstance(error, ConfigError) or started == 1:
                log.error("the %s front end cannot run: %s", name, error)
                health.unregister(name)
                return error
            log.error("the %s front end lost its platform: %s", name, error)
        except Exception:
            log.exception("the %s front end crashed; the other front ends go on", name)
        health.unregister(name)
        failures = 0 if loop.time() - began > STABLE_AFTER else failures + 1
        delay = delays[min(failures, len(delays) - 1)]
        log.info("starting the %s front end again in %.0f s", name, delay)
        await asyncio.sleep(delay)


async def run_platforms(
    settings: Settings,
    platforms: Sequence[str],
    *,
    store: Any = None,
    restart_delays: Sequence[float] = RESTART_DELAYS,
    **options: Any,
) -> None:
    """Serve every platform in `platforms` from this process on one store until cancelled."""
    from bot.wiring import open_store

    own_store = store is None
    if own_store:
        store = await open_store(settings)
    health = Health(store)
    for name in platforms:
        health.expect(name)
    writer = asyncio.create_task(
        health.keep_writing(settings.health.file, settings.health.interval),
        name="hanno-health",
    )
    try:
        stopped = await asyncio.gather(
            *(
                supervise(
                    name,
                    lambda name=name: runner(name)(
                        settings, store=store, health=health, **options.get(name, {})
                    ),
                    health=health,
                    delays=restart_delays,
                )
                for name in platforms
            )
        )
        if len(stopped) == 1:
            raise stopped[0]  # one front end: its own sentence is the process's
        raise ConfigError(t("cli.no_front_end"))
    finally:
        writer.cancel()
        if own_store:
            await store.close()
