"""The timeline as rows on a screen: headings and events, addressed by row number.

Only the headings are held in memory (a few per month of the timeline); an
event row is just a position in the filtered timeline, fetched when drawn.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Sequence

from .store import Group

MONTHS = ("January February March April May June July August September "
          "October November December").split()


@dataclass(frozen=True, slots=True)
class Heading:
    label: str
    level: int  # 1: a year, 2: a month
    bucket: str


class RowMap:
    """Row numbers for a timeline made of groups; each group is its headings then its events."""

    def __init__(self, groups: Sequence[Group]):
        self.groups = list(groups)
        self._headings: dict[int, Heading] = {}
        self._group_rows: list[int] = []  # the row of each group's first event
        self._group_events: list[int] = []  # the timeline position of each group's first event
        row = events = 0
        year = None
        for group in self.groups:
            if group.year != year:
                year = group.year
                self._headings[row] = Heading(year, 1, group.year)
                row += 1
            if group.month:
                self._headings[row] = Heading(f"{MONTHS[int(group.month) - 1]} {year}", 2, group.bucket)
                row += 1
            self._group_rows.append(row)
            self._group_events.append(events)
            row += group.count
            events += group.count
        self.rows = row
        self.events = events

    def __len__(self) -> int:
        return self.rows

    def at(self, row: int) -> Heading | int | None:
        """The heading at a row, or the timeline position of the event there."""
        if row in self._headings:
            return self._headings[row]
        index = bisect_right(self._group_rows, row) - 1
        if index < 0 or row >= self.rows:
            return None
        return self._group_events[index] + row - self._group_rows[index]

    def row_of(self, position: int) -> int:
        """The row showing the event at a timeline position."""
        index = bisect_right(self._group_events, position) - 1
        return self._group_rows[index] + position - self._group_events[index]

    def event_row_near(self, row: int, step: int = 1) -> int | None:
        """The first event row at or beyond row, moving by step (+1 down, -1 up)."""
        while 0 <= row < self.rows:
            if row not in self._headings:
                return row
            row += step
        return None

    def group_rows(self) -> list[int]:
        """The row of the first event under each heading."""
        return self._group_rows


def leading_groups(buckets: Sequence[str]) -> list[Group]:
    """The headings of a timeline's first rows, from the bucket of each row in order: exact but
    for the last, which may hold more rows than these."""
    groups: list[Group] = []
    for bucket in buckets:
        if groups and groups[-1].bucket == bucket:
            groups[-1] = Group(bucket, groups[-1].count + 1)
        else:
            groups.append(Group(bucket, 1))
    return groups


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the density strip: a span of the timeline and how many events it holds."""

    label: str
    count: int
    position: int  # timeline position of its first event


def density_cells(groups: Sequence[Group], most: int) -> list[Cell]:
    """The timeline in at most ``most`` cells of equal span: years, or months when it spans two
    years or fewer. Years with no events get empty cells, so the strip reads as a time axis."""
    if not groups or most < 1:
        return []
    by_month = len({g.year for g in groups}) <= 2
    spans: dict[str, list[int]] = {}
    position = 0
    for group in groups:
        key = (group.bucket if group.month else f"{group.year}-01") if by_month else group.year
        count_and_first = spans.setdefault(key, [0, position])
        count_and_first[0] += group.count
        position += group.count
    keys = _axis(min(spans), max(spans), by_month)
    per_cell = -(-len(keys) // most)  # ceiling division
    cells = []
    following = position  # an empty cell jumps to the first event after it
    for first in reversed(range(0, len(keys), per_cell)):
        chunk = keys[first : first + per_cell]
        count = sum(spans[k][0] for k in chunk if k in spans)
        starts = [spans[k][1] for k in chunk if k in spans]
        following = starts[0] if starts else following
        cells.append(Cell(chunk[0], count, following))
    return cells[::-1]


def _axis(first: str, last: str, by_month: bool) -> list[str]:
    if not by_month:
        return [str(year) for year in range(int(first), int(last) + 1)]
    keys, (year, month) = [], (int(first[:4]), int(first[5:7]))
    while f"{year:04d}-{month:02d}" <= last:
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys
