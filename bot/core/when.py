"""Times and durations as people type them, read in the team's timezone.

`--in 24h`, `--since 30d`, `--at "2026-12-05 18:00"`, `--at 18:00`: a team writes times in its
own timezone (config `team.timezone`), the store keeps them in UTC, and each person sees them
written in their own language. Input is read as a Japanese keyboard types it (full-width
digits and colons are understood).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.errors import InvalidInput
from bot.core.messages import active_language

DURATION_PART = re.compile(r"(\d+)\s*(w|d|h|m|min|mins|minutes?|hours?|days?|weeks?)")
UNIT_SECONDS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60}
MAX_DURATION = timedelta(days=366)
# Accepted moments: "2026-12-05 18:00", "2026/12/05 18:00", "12-05 18:00", "18:00", ISO with offset.
FULL = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2}):(\d{2})$")
MONTH_DAY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2}):(\d{2})$")
TIME_ONLY = re.compile(r"^(\d{1,2}):(\d{2})$")
WEEKDAYS_JA = "月火水木金土日"


def zone(name: str) -> tzinfo:
    """The timezone called `name` (an IANA name such as Asia/Tokyo), for config validation."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{name}' is not a timezone name such as Asia/Tokyo or UTC") from None


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def parse_duration(text: str, *, field: str = "in") -> timedelta:
    """`24h`, `30d`, `1d12h`, `90m`, `2w` as a positive duration of at most a year."""
    plain = _plain(text).replace(" ", "")
    total = 0
    position = 0
    for match in DURATION_PART.finditer(plain):
        if match.start() != position:
            break
        total += int(match.group(1)) * UNIT_SECONDS[match.group(2)[0]]
        position = match.end()
    if not plain or position != len(plain):
        raise InvalidInput("when.bad_duration", field=field, value=text[:40])
    duration = timedelta(seconds=total)
    if not timedelta(minutes=1) <= duration <= MAX_DURATION:
        raise InvalidInput("when.duration_range", field=field, value=text[:40])
    return duration


def parse_moment(text: str, *, tz: tzinfo, now: datetime, field: str = "at") -> datetime:
    """A future moment typed in the team's timezone `tz`, as UTC.

    A bare time (`18:00`) is its next occurrence; a month and day without a year is the
    next such day. A time with its own offset (`2026-12-05T18:00+09:00`) keeps it.
    """
    plain = _plain(text)
    local_now = now.astimezone(tz)
    moment: datetime | None = None
    try:
        if match := FULL.match(plain):
            y, mo, d, h, mi = (int(g) for g in match.groups())
            moment = datetime(y, mo, d, h, mi, tzinfo=tz)
        elif match := MONTH_DAY.match(plain):
            mo, d, h, mi = (int(g) for g in match.groups())
            moment = datetime(local_now.year, mo, d, h, mi, tzinfo=tz)
            if moment <= local_now:
                moment = moment.replace(year=local_now.year + 1)
        elif match := TIME_ONLY.match(plain):
            h, mi = (int(g) for g in match.groups())
            moment = local_now.replace(hour=h, minute=mi, second=0, microsecond=0)
            if moment <= local_now:
                moment += timedelta(days=1)
        else:
            parsed = datetime.fromisoformat(plain.upper())
            moment = parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    except ValueError:
        moment = None
    if moment is None:
        raise InvalidInput("when.bad_time", field=field, value=text[:40])
    moment = _normalised(moment).astimezone(UTC)
    if moment <= now:
        raise InvalidInput("when.past", field=field, value=text[:40])
    if moment - now > MAX_DURATION:
        raise InvalidInput("when.too_far", field=field, value=text[:40])
    return moment


def _normalised(moment: datetime) -> datetime:
    """A wall time that does not exist (inside a DST gap) moves forward like a clock does."""
    round_trip = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return round_trip if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None) else moment


def format_moment(moment: datetime, tz: tzinfo, language: str | None = None) -> str:
    """`moment` as a person reads it: their language, the team's timezone named."""
    local = moment.astimezone(tz)
    name = local.tzname() or ""
    if (language or active_language()) == "ja":
        weekday = WEEKDAYS_JA[local.weekday()]
        return f"{local.year}年{local.month}月{local.day}日({weekday}) {local:%H:%M} {name}".strip()
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M} {name}".strip()


def format_duration(delta: timedelta, language: str | None = None) -> str:
    """A rough length of time (`2 d 3 h`, `2日3時間`), for holding times and late notices."""
    language = language or active_language()
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    units = ("日", "時間", "分") if language == "ja" else (" d", " h", " min")
    parts = [f"{n}{u}" for n, u in zip((days, hours, mins), units, strict=True) if n]
    if days:
        parts = parts[:2]
    if not parts:
        return "0分" if language == "ja" else "0 min"
    return "".join(parts) if language == "ja" else " ".join(parts)
