"""Tests of the tagger's values: the rules added to raise value F1 on TimeML news (issue #3)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from timeline.periods import period_of
from timeline.timex import tag
from timeline.timex_grammar import easter

from .test_timex import found, value_of

DCT = dt.date(2025, 6, 14)  # a Saturday


# ---------------------------------------------------------------------------
# Dates without a year: "since" looks back


@pytest.mark.parametrize(
    "text, expression, dct, expected",
    [
        ("Police have been searching for him since shortly after the Oct. 23 slaying.", "Oct. 23",
         dt.date(1999, 5, 6), "1998-10-23"),
        ("Prices have doubled since Nov. 30.", "Nov. 30", dt.date(2025, 6, 14), "2024-11-30"),
        ("He has been in custody since Friday.", "Friday", dt.date(2025, 6, 14), "2025-06-13"),
        # without such a word, the nearest date
        ("The option ends on Nov. 30.", "Nov. 30", dt.date(2025, 6, 14), "2025-11-30"),
    ],
)
def test_since_looks_back(text, expression, dct, expected):
    assert value_of(text, expression, dct) == ("DATE", expected)


def test_next_to_is_a_place_not_the_future():
    text = "Many people were killed in the blasts next to the U.S. embassies in Kenya and Tanzania on Friday."
    # Friday before the DCT (a Saturday), not the coming one
    assert value_of(text, "Friday", dt.date(1998, 8, 8)) == ("DATE", "1998-08-07")


# ---------------------------------------------------------------------------
# Holidays: Easter and the days that hang on it


@pytest.mark.parametrize(
    "year, expected",
    [(2000, "2000-04-23"), (2013, "2013-03-31"), (2019, "2019-04-21"), (2024, "2024-03-31"), (2025, "2025-04-20"),
     (1818, "1818-03-22"), (2038, "2038-04-25"), (1998, "1998-04-12")],
)
def test_easter_sunday(year, expected):
    assert easter(year).isoformat() == expected


@pytest.mark.parametrize(
    "text, expression, dct, expected",
    [
        ("Protesters prayed as Easter week began.", "Easter week", dt.date(2000, 4, 17), "2000-W16"),
        ("He will be home for Easter.", "Easter", dt.date(2000, 4, 17), "2000-04-23"),
        ("The shops were shut on Good Friday, 2024.", "Good Friday, 2024", DCT, "2024-03-29"),
        ("Easter Monday 1998 saw the deal signed.", "Easter Monday 1998", DCT, "1998-04-13"),
        ("The talks ended on Easter Sunday.", "Easter Sunday", DCT, "2025-04-20"),
    ],
)
def test_easter_holidays(text, expression, dct, expected):
    assert value_of(text, expression, dct) == ("DATE", expected)


# ---------------------------------------------------------------------------
# Years with a prefix, parts of the day just spoken of


def test_post_and_pre_a_year_is_that_year():
    assert value_of("But the post-1959 politics have split families.", "post-1959") == ("DATE", "1959")
    assert value_of("Its pre-2008 peak was never regained.", "pre-2008") == ("DATE", "2008")


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("Shares fell on Friday, Oct. 27. Dealers placed heavy orders in the morning.", "the morning",
         ("TIME", "2022-10-27TMO")),
        ("By mid afternoon, officials said the operation was over.", "mid afternoon", ("TIME", "2023-03-06TAF")),
        ("In mid-afternoon trading the shares were up.", "mid-afternoon", ("TIME", "2023-03-06TAF")),
    ],
)
def test_part_of_the_day_just_spoken_of(text, expression, expected):
    assert value_of(text, expression, dt.date(2023, 3, 6)) == expected


@pytest.mark.parametrize(
    "text", ["He read it in the morning papers.", "She hosts a show in the evening news slot.", "He was formerly a judge."]
)
def test_no_part_of_the_day_in_a_name(text):
    assert found(text) == []


def test_new_values_are_understood_by_periods():
    for text in ("Protesters prayed as Easter week began.", "Dealers placed heavy orders in the morning.",
                 "the post-1959 politics"):
        for timex in tag(text, DCT):
            assert period_of(timex.value) is not None, timex


# ---------------------------------------------------------------------------
# Ranges of years, lowercase months, parts of a named day, seasons of a relative year


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The 2012-13 season was long.", [("2012", "DATE", "2012"), ("13", "DATE", "2013")]),
        ("The war lasted from 1939-45.", [("1939", "DATE", "1939"), ("45", "DATE", "1945")]),
        ("The plan covers 2013–2015.", [("2013", "DATE", "2013"), ("2015", "DATE", "2015")]),
        ("It ran in 1999-00 and stopped.", [("1999", "DATE", "1999"), ("00", "DATE", "2000")]),
        ("Call 1800-1234 for help.", []),
        ("Windows 2000-2003 servers failed.", []),
        ("Output rose 2010-12% in all.", []),
        ("The count went from 2001-1999 down.", []),
    ],
)
def test_ranges_of_years(text, expected):
    assert found(text, dt.date(2013, 3, 22)) == expected


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("he was born on june 5, 1990 in a village", "june 5, 1990", "1990-06-05"),
        ("prices rose in august 2012", "august 2012", "2012-08"),
    ],
)
def test_lowercase_month_names(text, expression, expected):
    assert value_of(text, expression, dt.date(2013, 3, 22)) == ("DATE", expected)


@pytest.mark.parametrize("text", ["an august body of 12 men", "they may 5 times refuse", "troops march 2013 miles"])
def test_lowercase_words_that_are_no_months(text):
    assert found(text, dt.date(2013, 3, 22)) == []


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        # TimeBank tags the day alone in 'the night of Oct. 23'
        ("He was shot on the night of Oct. 23.", "Oct. 23", "2012-10-23"),
        ("It happened in the spring of last year.", "the spring of last year", "2012-SP"),
        ("It will open in the autumn of next year.", "the autumn of next year", "2014-FA"),
    ],
)
def test_night_of_a_day_and_season_of_a_relative_year(text, expression, expected):
    assert value_of(text, expression, dt.date(2013, 3, 22)) == ("DATE", expected)


# ---------------------------------------------------------------------------
# Month abbreviations without a full stop; "in two weeks" in a future sentence


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("The deal was signed on Jan 5.", "Jan 5", "2013-01-05"),
        ("Shares fell on Dec 3, 2012.", "Dec 3, 2012", "2012-12-03"),
        ("Output peaked in Mar 2012.", "Mar 2012", "2012-03"),
    ],
)
def test_abbreviated_months_without_a_stop(text, expression, expected):
    assert value_of(text, expression, dt.date(2013, 3, 22)) == ("DATE", expected)


def test_a_bare_abbreviation_alone_is_no_month():
    assert found("Jan Smith and Dec Jones won.", dt.date(2013, 3, 22)) == []


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("The vote will be held in two weeks.", "two weeks", ("DATE", "2013-W14")),
        ("The stock would be redeemed in five years, subject to its debt.", "five years", ("DATE", "2018")),
        ("He will be back in a few weeks.", "a few weeks", ("DATE", "FUTURE_REF")),
        # a length, not a point
        ("The company will post its first profit in five years.", "five years", ("DURATION", "P5Y")),
        ("It will be the biggest rise in two years.", "two years", ("DURATION", "P2Y")),
        ("The court will rule within 30 days.", "30 days", ("DURATION", "P30D")),
        ("Prices fell 5% in three days.", "three days", ("DURATION", "P3D")),
        ("The talks will resume in the next two weeks.", "the next two weeks", ("DURATION", "P2W")),
    ],
)
def test_in_an_amount_of_time_ahead_is_a_point(text, expression, expected):
    assert value_of(text, expression, dt.date(2013, 3, 22)) == expected


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("They emerged from their third day-long meeting.", "day-long", "P1D"),
        ("The decade-long war ended.", "decade-long", "P10Y"),
        ("a year-long inquiry", "a year-long", "P1Y"),
    ],
)
def test_unit_long_is_a_duration_of_one_unit(text, expression, expected):
    assert value_of(text, expression) == ("DURATION", expected)


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("Over the years many more patients died.", "the years", ("DURATION", "PXY")),
        ("Over the decades, the town grew.", "the decades", ("DURATION", "PXDE")),
        ("It will raise the money at a later date.", "a later date", ("DATE", "FUTURE_REF")),
    ],
)
def test_vague_spans_of_time(text, expression, expected):
    assert value_of(text, expression) == expected


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("Elections are held on the first Tuesday in November, 2024.", "the first Tuesday in November, 2024",
         "2024-11-05"),
        ("The fair opens on the last Friday of June 2024.", "the last Friday of June 2024", "2024-06-28"),
        ("The board will meet the second Tuesday of March.", "the second Tuesday of March", "2026-03-10"),
    ],
)
def test_nth_weekday_of_a_month(text, expression, expected):
    assert value_of(text, expression) == ("DATE", expected)


@pytest.mark.parametrize("text", ["She skied at the winter Olympics.", "They drove to the summer Palace."])
def test_a_season_before_a_name_is_no_date(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("The day before last Tuesday's court hearing, he went home.", "The day before last Tuesday", "2000-02-21"),
        ("He left the day after Christmas.", "the day after Christmas", "1999-12-26"),
        ("It ended on the day after Oct. 5, 2012.", "the day after Oct. 5, 2012", "2012-10-06"),
    ],
)
def test_the_day_before_or_after_a_date(text, expression, expected):
    assert value_of(text, expression, dt.date(2000, 2, 24)) == ("DATE", expected)


def test_the_day_before_never_overlaps_a_duration():
    spans = [(t.start, t.end) for t in tag("It took a day before March 3 to agree.", dt.date(2000, 2, 24))]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Flights leave Bombay on Monday and Tuesday nights.",
         [("Monday", "SET", "XXXX-WXX-1TNI"), ("Tuesday nights", "SET", "XXXX-WXX-2TNI")]),
        ("The market opens every Monday and Thursday.",
         [("every Monday", "SET", "XXXX-WXX-1"), ("Thursday", "SET", "XXXX-WXX-4")]),
        ("He met them Monday and Tuesday.", [("Monday", "DATE", "1998-02-09"), ("Tuesday", "DATE", "1998-02-10")]),
    ],
)
def test_weekdays_joined_to_a_recurring_weekday_recur(text, expected):
    assert found(text, dt.date(1998, 2, 13)) == expected


@pytest.mark.parametrize("verb", ["fought", "caught", "heard", "drove", "upheld", "sought"])
def test_irregular_past_verbs_look_back(verb):
    # DCT a Saturday in June: "in August" in a past sentence is last August
    assert value_of(f"The court {verb} the case in August.", "August") == ("DATE", "2024-08")


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("The vote will be held in two weeks' time.", "two weeks", ("DATE", "2013-W14")),
        ("He gave three months' notice.", "three months", ("DURATION", "P3M")),
        ("''I am talking about three days'' more or less, he said.", "about three days", ("DURATION", "P3D")),
    ],
)
def test_a_plural_possessive_or_closing_quote_ends_an_expression(text, expression, expected):
    assert value_of(text, expression, dt.date(2013, 3, 22)) == expected


def test_a_date_opening_a_long_sentence_takes_the_main_verb_however_far():
    text = ("In January, a week after the 25th anniversary of the Roe vs. Wade Supreme Court decision, "
            "a clinic bombing in Birmingham, Ala., killed a security guard.")
    assert value_of(text, "January", dt.date(1998, 10, 25)) == ("DATE", "1998-01")


def test_this_year_through_a_month_runs_up_to_now():
    text = "The fund's sales changed little this year through August."
    assert value_of(text, "August", dt.date(1989, 10, 27)) == ("DATE", "1989-08")
    # without it, 'through' still looks ahead
    assert value_of("The offer runs through August.", "August", dt.date(1989, 10, 27)) == ("DATE", "1990-08")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The offer was extended to Nov. 16. It had been due to expire Friday.", "1989-10-27"),
        ("The offer previously had been scheduled to expire Friday.", "1989-10-27"),
        ("The offer is due to expire Friday.", "1989-11-03"),
        ("Protesters were planning to drive around the airport on Friday.", "1989-11-03"),
    ],
)
def test_a_plan_made_in_the_past_points_to_a_past_day(text, expected):
    assert value_of(text, "Friday", dt.date(1989, 10, 30)) == ("DATE", expected)


@pytest.mark.parametrize(
    "text, expression",
    [
        ("It lasted more than two years.", "more than two years"),
        ("Troops may stay up to 180 days.", "up to 180 days"),
        ("It takes no more than three weeks.", "no more than three weeks"),
        ("It took less than a decade.", "less than a decade"),
        ("It took fewer than 10 days.", "fewer than 10 days"),
        ("More recently, he quit.", "More recently"),
        ("He was shot on Oct. 23. That same day, police came.", "That same day"),
        ("Sales rose in its latest quarter.", "its latest quarter"),
        ("It lasted about two years.", "about two years"),
        ("It took nearly a decade.", "nearly a decade"),
        ("They met at around noon.", "around noon"),
        ("It ended in just a few minutes.", "just a few minutes"),
        ("He stayed only three days.", "only three days"),
        ("It ran over 10 years.", "over 10 years"),
        ("It took under two hours.", "under two hours"),
        ("He served barely a week.", "barely a week"),
        ("He worked there for almost the entire year.", "the entire year"),
    ],
)
def test_guarded_function_words_still_start_expressions(text, expression):
    assert any(t.text == expression for t in tag(text, DCT)), found(text)


def test_a_count_before_a_singular_unit_is_not_how_long_ago():
    dct = dt.date(1987, 3, 5)
    assert [t.text for t in tag("About 126,000 head versus 6,000 week ago and 133,000 a year ago.", dct)] == ["a year ago"]
    assert [(t.text, t.value) for t in tag("He left 3 weeks ago.", dct)] == [("3 weeks ago", "1987-W07")]
    assert [t.text for t in tag("A minute and a half later, it landed.", dct)] == ["A minute and a half later"]


# ---------------------------------------------------------------------------
# Two-digit years: the century nearest the publication date, at most ten years ahead


@pytest.mark.parametrize(
    "text, expression, dct, expected",
    [
        ("Record 03/09/87.", "03/09/87", dt.date(1987, 3, 20), "1987-03-09"),
        ("Record 03/09/87.", "03/09/87", dt.date(2025, 6, 14), "1987-03-09"),
        ("Due 01/02/30.", "01/02/30", dt.date(2025, 6, 14), "2030-01-02"),
        ("Due 01/02/30.", "01/02/30", dt.date(1987, 3, 20), "1930-01-02"),
        ("Paid 12/31/99.", "12/31/99", dt.date(2001, 1, 5), "1999-12-31"),
        ("Paid 12/31/01.", "12/31/01", dt.date(1999, 6, 1), "2001-12-31"),
    ],
)
def test_two_digit_years_take_the_nearest_century(text, expression, dct, expected):
    assert value_of(text, expression, dct) == ("DATE", expected)


# ---------------------------------------------------------------------------
# A fiscal quarter named by its last day is the calendar quarter most of it lies in


@pytest.mark.parametrize(
    "text, dct, expected",
    [
        ("In the quarter ended July 31, Jayark had an average of 5.6 million shares.", dt.date(1989, 10, 30), "1989-Q2"),
        ("For the quarter ended Sept. 30, Delta posted net income.", dt.date(1989, 10, 26), "1989-Q3"),
        ("Net for the quarter ended February 28, 1987 rose.", dt.date(1987, 4, 1), "1987-Q1"),
        ("Net for the latest quarter ended Dec. 31 fell.", dt.date(1987, 2, 20), "1986-Q4"),
        ("Sales for the quarter ending January 31 slipped.", dt.date(1987, 3, 2), "1986-Q4"),
    ],
)
def test_a_quarter_ended_on_a_date_is_the_quarter_most_of_it_lies_in(text, dct, expected):
    quarter = next(t for t in tag(text, dct) if "quarter" in t.text)
    assert quarter.value == expected


def test_a_part_of_day_before_yesterday_is_that_part_of_yesterday():
    dct = dt.date(1989, 11, 2)
    assert value_of("In London at mid-afternoon yesterday, shares were up.", "mid-afternoon yesterday", dct) == (
        "DATE", "1989-11-01TAF")
    assert value_of("The storm hit overnight; the morning yesterday was calm.", "morning yesterday", dct) == (
        "DATE", "1989-11-01TMO")
