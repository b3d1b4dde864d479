import datetime as dt

import pytest

from timeline.periods import describe, parse_period, period_of

D = dt.date


@pytest.mark.parametrize(
    "value, start, end, granularity",
    [
        ("2024", D(2024, 1, 1), D(2024, 12, 31), "year"),
        ("2025-06", D(2025, 6, 1), D(2025, 6, 30), "month"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month"),
        ("2025-06-14", D(2025, 6, 14), D(2025, 6, 14), "day"),
        ("2025-06-14T09:30", D(2025, 6, 14), D(2025, 6, 14), "day"),
        ("2025-06-14TMO", D(2025, 6, 14), D(2025, 6, 14), "day"),
        ("2025-Q2", D(2025, 4, 1), D(2025, 6, 30), "quarter"),
        ("2025-H2", D(2025, 7, 1), D(2025, 12, 31), "half"),
        ("2025-W24", D(2025, 6, 9), D(2025, 6, 15), "week"),
        ("2025-W24-WE", D(2025, 6, 14), D(2025, 6, 15), "week"),
        ("2025-SU", D(2025, 6, 1), D(2025, 8, 31), "season"),
        ("2025-WI", D(2024, 12, 1), D(2025, 2, 28), "season"),
        ("199", D(1990, 1, 1), D(1999, 12, 31), "decade"),
        ("19", D(1900, 1, 1), D(1999, 12, 31), "century"),
    ],
)
def test_values_name_periods(value, start, end, granularity):
    period = period_of(value)
    assert (period.start, period.end, period.granularity) == (start, end, granularity)


@pytest.mark.parametrize(
    "value", ["PAST_REF", "PRESENT_REF", "P1Y", "XXXX-06", "2025-02-30", "2025-13", "0000", "2025-W54", "", "20250"]
)
def test_values_without_a_period(value):
    assert period_of(value) is None


@pytest.mark.parametrize(
    "value, expected",
    [("2024", "2024"), ("2025-06", "June 2025"), ("2025-06-14", "14 June 2025"), ("2025-Q2", "Q2 2025"),
     ("199", "the 1990s"), ("20", "the 21st century"), ("2025-SU", "summer 2025"), ("2025-06-14T09:30", "14 June 2025 09:30")],
)
def test_periods_in_words(value, expected):
    period = period_of(value)
    assert describe(value, period.granularity, period.start.isoformat()) == expected


def test_typed_periods_read_relative_to_today():
    today = D(2025, 6, 14)
    assert parse_period("2024", today).start == D(2024, 1, 1)
    assert parse_period("2025-06", today).end == D(2025, 6, 30)
    assert parse_period("last year", today).start == D(2024, 1, 1)
    assert parse_period("nonsense", today) is None
