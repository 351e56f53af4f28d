"""A target's secret, read from the environment variable its config names, when it is needed."""

from __future__ import annotations

import os

from bot.core.targets import TargetFault


def credential(target: str, env: str) -> str:
    """The secret in `env`; a missing or empty variable is a fault naming it."""
    value = os.environ.get(env, "").strip()
    if not value:
        raise TargetFault("target.missing_secret", target=target, env=env)
    return value
