"""TIMEX3 values as periods of the calendar: where a value starts, ends and how coarse it is.

A date on the timeline is a period, not a timestamp: ``2024`` is the whole year,
``2025-Q2`` April to June. ``end`` is inclusive.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

# Coarse first: the order rows of the same start take on the timeline.
GRANULARITIES = (
    "century", "decade", "year", "half", "quarter", "season", "month", "week", "day",
)
RANK = {name: rank for rank, name in enumerate(GRANULARITIES)}
FINE = frozenset({"month", "week", "day"})

_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11)}
_PATTERN = re.compile(
    r"""^(?:
        (?P<century>\d{2}) |
        (?P<decade>\d{3}) |
        (?P<year>\d{4})
        (?: -(?P<month>\d{2}) (?: -(?P<day>\d{2}) (?:T[\w:.+-]*)? )?
          | -W(?P<week>\d{2})(?P<weekend>-WE)?
          | -Q(?P<quarter>[1-4])
          | -H(?P<half>[12])
          | -(?P<season>SP|SU|FA|WI)
        )?
    )$""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    end: dt.date
    granularity: str

    @property
    def rank(self) -> int:
        return RANK[self.granularity]


def period_of(value: str) -> Period | None:
    """The calendar period a TIMEX3 value names, or None when it names none.

    ``PRESENT_REF``, ``PAST_REF``, durations, sets and values with unknown
    digits (``XXXX-06``) have no period of their own.
    """
    match = _PATTERN.match(value)
    if match is None:
        return None
    try:
        return _period(match)
    except ValueError:  # impossible dates such as 2025-02-30 or year 0
        return None


def _period(m: re.Match) -> Period | None:
    if m["century"]:
        first = int(m["century"]) * 100
        return _years(max(first, 1), first + 99, "century")
    if m["decade"]:
        first = int(m["decade"]) * 10
        return _years(max(first, 1), first + 9, "decade")
    year = int(m["year"])
    if m["day"]:
        day = dt.date(year, int(m["month"]), int(m["day"]))
        return Period(day, day, "day")
    if m["month"]:
        month = int(m["month"])
        return Period(dt.date(year, month, 1), _month_end(year, month), "month")
    if m["week"]:
        monday = dt.date.fromisocalendar(year, int(m["week"]), 1)
        if m["weekend"]:
            return Period(monday + dt.timedelta(days=5), monday + dt.timedelta(days=6), "week")
        return Period(monday, monday + dt.timedelta(days=6), "week")
    if m["quarter"]:
        first = 3 * int(m["quarter"]) - 2
        return Period(dt.date(year, first, 1), _month_end(year, first + 2), "quarter")
    if m["half"]:
        first = 6 * int(m["half"]) - 5
        return Period(dt.date(year, first, 1), _month_end(year, first + 5), "half")
    if m["season"]:
        return _season(year, m["season"])
    return _years(year, year, "year")


def _years(first: int, last: int, granularity: str) -> Period:
    return Period(dt.date(first, 1, 1), dt.date(min(last, 9999), 12, 31), granularity)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _season(year: int, code: str) -> Period:
    if code == "WI":  # the winter that holds January and February of that year
        start = dt.date(year - 1, 12, 1) if year > 1 else dt.date(1, 1, 1)
        return Period(start, _month_end(year, 2), "season")
    first, last = _SEASON_MONTHS[code]
    return Period(dt.date(year, first, 1), _month_end(year, last), "season")


def period_from_date(day: dt.date) -> Period:
    return Period(day, day, "day")


_MONTHS = ("January February March April May June July August September "
           "October November December").split()
_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}


def describe(value: str, granularity: str, start: str) -> str:
    """The period in words, as a reader would say it: ``14 June 2025``, ``Q2 2025``, ``the 1990s``."""
    date = dt.date.fromisoformat(start)
    match granularity:
        case "day":
            time = value.partition("T")[2]
            when = f"{date.day} {_MONTHS[date.month - 1]} {date.year}"
            return f"{when} {time}" if re.fullmatch(r"\d\d:\d\d(:\d\d)?", time) else when
        case "week":
            if value.endswith("-WE"):
                return f"the weekend of week {value[6:8]}, {value[:4]}"
            return f"week {value[6:8]} of {value[:4]}"
        case "month":
            return f"{_MONTHS[date.month - 1]} {date.year}"
        case "quarter":
            return f"Q{value[-1]} {value[:4]}"
        case "half":
            return f"H{value[-1]} {value[:4]}"
        case "season":
            return f"{_SEASON_NAMES[value[-2:]]} {value[:4]}"
        case "decade":
            return f"the {value}0s"
        case "century":
            return f"the {int(value) + 1}{_ordinal_suffix(int(value) + 1)} century"
        case _:
            return value[:4]


def _ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def parse_period(text: str, today: dt.date | None = None) -> Period | None:
    """The period a person means by a date typed in a prompt: ``2024``, ``June 2025``,
    ``2025-Q2``, ``last year`` (read against today), or a TIMEX3 value."""
    text = text.strip()
    if not text:
        return None
    period = period_of(text)
    if period is not None:
        return period
    from .timex import tag

    for found in tag(text, today or dt.date.today()):
        period = period_of(found.value)
        if period is not None:
            return period
    return None
