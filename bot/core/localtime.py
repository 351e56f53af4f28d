"""Times as a reader of the interface language expects them, with Babel.

Times are stored in UTC; people read them in the configured `timezone`, which defaults to
Asia/Tokyo for a Japanese interface (the teams are in Japan) and UTC otherwise, and the zone is
always shown, so "09:30" is never ambiguous.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime

from bot.core.messages import active_language, t

DEFAULT_ZONES = {"ja": "Asia/Tokyo"}


def known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@cache
def zone_for(language: str, configured: str | None = None) -> ZoneInfo:
    """The configured zone, else the usual one for readers of `language`."""
    return ZoneInfo(configured or DEFAULT_ZONES.get(language, "UTC"))


def format_when(moment: datetime, language: str | None = None, timezone: str | None = None) -> str:
    """`moment` in the reader's zone and date style, zone named ("2026/03/02 18:30 JST")."""
    language = language or active_language()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    zone = zone_for(language, timezone)
    # The pattern is part of the catalogue, so each language writes dates its own way.
    return format_datetime(moment, t("format.datetime", language), tzinfo=zone, locale=language)
