"""Times and durations as people type them, in the team's timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.errors import InvalidInput
from bot.core.when import format_duration, format_moment, parse_duration, parse_moment, zone

TOKYO = zone("Asia/Tokyo")
FRIDAY_NOON_TOKYO = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)  # Fri 4 Dec 2026, 12:00 JST


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("24h", timedelta(hours=24)),
        ("30d", timedelta(days=30)),
        ("90m", timedelta(minutes=90)),
        ("1d12h", timedelta(hours=36)),
        ("2w", timedelta(days=14)),
        ("２４ｈ", timedelta(hours=24)),  # typed on a Japanese keyboard
        ("1h 30m", timedelta(minutes=90)),
    ],
)
def test_durations_people_type(typed: str, expected: timedelta) -> None:
    assert parse_duration(typed) == expected


@pytest.mark.parametrize("typed", ["", "soon", "24", "h", "0m", "400d", "24h!"])
def test_what_is_not_a_duration_is_refused_with_a_sentence(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_duration(typed)
    assert "length of time" in refused.value.message


def test_a_full_time_is_read_in_the_team_timezone() -> None:
    moment = parse_moment("2026-12-05 18:00", tz=TOKYO, now=FRIDAY_NOON_TOKYO)
    assert moment == datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    assert parse_moment("2026/12/05 18:00", tz=TOKYO, now=FRIDAY_NOON_TOKYO) == moment
    assert (
        parse_moment("２０２６－１２－０５　１８：００", tz=TOKYO, now=FRIDAY_NOON_TOKYO) == moment
    )


def test_a_bare_time_is_its_next_occurrence() -> None:
    assert parse_moment("18:00", tz=TOKYO, now=FRIDAY_NOON_TOKYO) == datetime(
        2026, 12, 4, 9, 0, tzinfo=UTC
    )
    assert parse_moment("09:00", tz=TOKYO, now=FRIDAY_NOON_TOKYO) == datetime(
        2026, 12, 5, 0, 0, tzinfo=UTC
    )


def test_an_explicit_offset_wins_over_the_team_timezone() -> None:
    moment = parse_moment("2026-12-05T18:00+01:00", tz=TOKYO, now=FRIDAY_NOON_TOKYO)
    assert moment == datetime(2026, 12, 5, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("2026-12-01 10:00", "already passed"),
        ("tomorrow", "not a time"),
        ("2030-01-01 10:00", "a year"),
    ],
)
def test_bad_times_are_refused_with_a_sentence(typed: str, says: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_moment(typed, tz=TOKYO, now=FRIDAY_NOON_TOKYO)
    assert says in refused.value.message


def test_a_moment_is_shown_in_the_readers_language() -> None:
    moment = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    assert format_moment(moment, TOKYO, "en") == "Sat 5 Dec 2026, 18:00 JST"
    assert format_moment(moment, TOKYO, "ja") == "2026年12月5日(土) 18:00 JST"
    assert format_duration(timedelta(hours=27, minutes=5), "ja") == "1日3時間"
    assert format_duration(timedelta(minutes=90)) == "1 h 30 min"


def test_an_unknown_timezone_is_a_config_error() -> None:
    with pytest.raises(ValueError, match="Asia/Tokyo"):
        zone("Mars/Olympus")
