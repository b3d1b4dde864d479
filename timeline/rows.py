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
