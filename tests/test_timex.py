"""Tests of the temporal tagger: examples with a fixed DCT, and properties over any text."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.timex import tag

DCT = dt.date(2025, 6, 14)  # a Saturday, the seed articles' publication date
MARCH_DCT = dt.date(2013, 3, 22)  # a Friday

# A TIMEX3 value: dates down to minutes with week, quarter, half, season and
# part-of-day forms, decades and centuries, the fuzzy references, durations.
_DATE = (
    r"(?:\d{4}|X{4})"
    r"(?:-(?:\d\d|XX)(?:-(?:\d\d|XX))?|-W(?:\d\d?|XX)(?:-(?:\d|WE))?|-Q[1-4X]|-H[12]|-(?:SP|SU|FA|WI))?"
)
_TIME = r"(?:T(?:\d\d(?::\d\d(?::\d\d)?)?|MO|AF|EV|NI|DT))?"
_DURATION = r"P(?:(?:X|\d+(?:\.\d+)?)(?:Y|M|W|D|Q|DE|CE|ML|L|E|C))*(?:T(?:(?:X|\d+(?:\.\d+)?)[HMS])+)?"
TIMEX3_VALUE = re.compile(
    rf"^(?:{_DATE}{_TIME}|\d{{3}}X?|\d{{2}}X?|\d{{3}}|PRESENT_REF|PAST_REF|FUTURE_REF|{_DURATION})$"
)
TIMEX3_TYPES = {"DATE", "TIME", "DURATION", "SET"}


def found(text: str, dct=DCT) -> list[tuple[str, str, str]]:
    return [(t.text, t.type, t.value) for t in tag(text, dct)]


def value_of(text: str, expression: str, dct=DCT) -> tuple[str, str]:
    """(type, value) of the expression tagged exactly as written."""
    for timex in tag(text, dct):
        if timex.text == expression:
            return timex.type, timex.value
    raise AssertionError(f"{expression!r} not tagged in {text!r}: {found(text, dct)}")


# --- the seed articles -------------------------------------------------------


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("after planning $200 million in financial commitments this year.", "this year", ("DATE", "2025")),
        ("Last year, Google spent about $150 million on Scale AI's services.", "Last year", ("DATE", "2024")),
        ("the startup's total revenue of $870 million in 2024.", "2024", ("DATE", "2024")),
        ("Google had planned to spend around $200 million this year on it.", "this year", ("DATE", "2025")),
        ("Google had been looking to spread its work over the past year.", "the past year", ("DURATION", "P1Y")),
    ],
)
def test_seed_expressions(text, expression, expected):
    assert value_of(text, expression) == expected


def test_seed_months_ago_is_past():
    ((_, timex_type, value),) = found("OpenAI had already reduced its reliance on Scale AI months ago.")
    assert (timex_type, value) in {("DURATION", "PXM"), ("DATE", "PAST_REF")}


@pytest.mark.parametrize(
    "text",
    [
        "Google is reconsidering its $200M partnership with Scale AI after Meta's $14.3B investment.",
        "Meta's recent $14.3 billion investment in Scale AI.",
        "Meta's investment has increased Scale AI's value to $29 billion.",
        "Meta announced it was buying a 49% stake in Scale AI.",
        "If Google follows through, Scale AI may need to find new customers.",
        "some annotations costing as much as $100 each.",
        "a 49 percent stake, 1,998 shares, version 2.1, a 3-2 win, call 555-1234.",
        "They march on. The second round. The sun will fall on the field.",
        "He finished first and scored 2010 points.",
        "Room 1998 is on page 12; see Section 2001 of the code.",
        "The Spring Street office and the Summer Palace.",
        "The fall of the Berlin Wall changed Europe.",
        "Call 1-800-555-0199 about the 9/11 attacks and a 50/50 split.",
    ],
)
def test_never_a_date(text):
    assert found(text) == []


# --- absolute dates ----------------------------------------------------------


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("June 14, 2025", "2025-06-14"),
        ("14 June 2025", "2025-06-14"),
        ("2025-06-14", "2025-06-14"),
        ("6/14/2025", "2025-06-14"),
        ("Saturday, June 14, 2025", "2025-06-14"),
        ("Aug. 7, 1998", "1998-08-07"),
        ("Sept. 30", "2025-09-30"),
        ("July 1997", "1997-07"),
        ("May 2024", "2024-05"),
        ("1998", "1998"),
        ("the 1990s", "199"),
        ("mid-1990s", "199"),
        ("the 20th century", "19"),
        ("fiscal 1998", "1998"),
        ("the third quarter of 2024", "2024-Q3"),
        ("Christmas 2020", "2020-12-25"),
    ],
)
def test_absolute_dates(expression, expected):
    assert value_of(f"Date: {expression}", expression)[1] == expected


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("The meeting starts at 3 p.m. on the lawn.", "3 p.m.", ("TIME", "2025-06-14T15:00")),
        ("It opened at 10:35 a.m. sharp.", "10:35 a.m.", ("TIME", "2025-06-14T10:35")),
        ("They met at noon in the hall.", "noon", ("TIME", "2025-06-14T12:00")),
        ("The minister spoke this morning to reporters.", "this morning", ("TIME", "2025-06-14TMO")),
        ("Talks broke down last night in Geneva.", "last night", ("TIME", "2025-06-13TNI")),
    ],
)
def test_times_of_day(text, expression, expected):
    assert value_of(text, expression) == expected


# --- relative to the DCT -----------------------------------------------------


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("Shares fell yesterday in Tokyo.", "yesterday", ("DATE", "2025-06-13")),
        ("The vote is tomorrow.", "tomorrow", ("DATE", "2025-06-15")),
        ("Prices rose last week.", "last week", ("DATE", "2025-W23")),
        ("Profit doubled this year.", "this year", ("DATE", "2025")),
        ("Profit doubled last year.", "last year", ("DATE", "2024")),
        ("It launches next month.", "next month", ("DATE", "2025-07")),
        ("The firm was founded two years ago.", "two years ago", ("DATE", "2023")),
        ("Sales had been lower a year earlier.", "a year earlier", ("DATE", "2024")),
        ("He resigned earlier this month.", "earlier this month", ("DATE", "2025-06")),
        ("They merged late last July.", "late last July", ("DATE", "2024-07")),
        ("Sales grew over the past six months.", "the past six months", ("DURATION", "P6M")),
        ("It should close by the end of the year.", "the end of the year", ("DATE", "2025")),
        ("The plant will reopen this summer.", "this summer", ("DATE", "2025-SU")),
        ("Profit rose in the first quarter.", "the first quarter", ("DATE", "2025-Q1")),
        ("It happened last fall.", "last fall", ("DATE", "2024-FA")),
        ("The new model will ship next Friday.", "next Friday", ("DATE", "2025-06-20")),
    ],
)
def test_relative_to_dct(text, expression, expected):
    assert value_of(text, expression) == expected


# --- underspecified dates resolved by tense ----------------------------------


def test_month_in_past_sentence_is_last_year():
    assert value_of("Sales fell sharply in August.", "August", MARCH_DCT) == ("DATE", "2012-08")


def test_month_in_future_sentence_is_this_year():
    assert value_of("The company will report results in August.", "August", MARCH_DCT) == ("DATE", "2013-08")


def test_earlier_month_in_future_sentence_is_next_year():
    assert value_of("The plant will reopen in February.", "February", MARCH_DCT) == ("DATE", "2014-02")


def test_weekday_in_future_sentence_is_the_coming_one():
    assert value_of("The board will meet on Tuesday.", "Tuesday", MARCH_DCT) == ("DATE", "2013-03-26")


def test_weekday_in_past_sentence_is_the_last_one():
    assert value_of("The board met on Tuesday.", "Tuesday", MARCH_DCT) == ("DATE", "2013-03-19")


def test_weekday_said_on_publication_day():
    assert value_of("The company said Friday that profit rose.", "Friday", MARCH_DCT) == ("DATE", "2013-03-22")


# --- fuzzy references, durations, sets ---------------------------------------


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("The company is now profitable.", "now", ("DATE", "PRESENT_REF")),
        ("It currently employs 300 people.", "currently", ("DATE", "PRESENT_REF")),
        ("He will travel with his current wife.", "current", ("DATE", "PRESENT_REF")),
        ("Holders may buy shares at the then current price.", "then current", ("DATE", "PAST_REF")),
        ("He said at the time that he would resign.", "the time", ("DATE", "PAST_REF")),
        ("Sales have slowed recently.", "recently", ("DATE", "PAST_REF")),
        ("Such deals failed in the past.", "the past", ("DATE", "PAST_REF")),
        ("It may grow in the future.", "the future", ("DATE", "FUTURE_REF")),
        ("It took a decade to build.", "a decade", ("DURATION", "P10Y")),
        ("Talks lasted several days.", "several days", ("DURATION", "PXD")),
        ("The offer expires in 90 days.", "90 days", ("DURATION", "P90D")),
        ("It took 2 1/2 years.", "2 1/2 years", ("DURATION", "P2Y6M")),
        ("The meeting lasted three hours.", "three hours", ("DURATION", "PT3H")),
        ("It signed a five-year contract.", "five-year", ("DURATION", "P5Y")),
        ("Prices change each season.", "each season", ("SET", "P3M")),
        ("The festival returns every summer.", "every summer", ("SET", "XXXX-SU")),
        ("The club meets every Monday.", "every Monday", ("SET", "XXXX-WXX-1")),
        ("Dividends are paid annually.", "annually", ("SET", "P1Y")),
        ("The paper is published daily.", "daily", ("SET", "P1D")),
        ("Fees rise every year.", "every year", ("SET", "P1Y")),
    ],
)
def test_fuzzy_durations_sets(text, expression, expected):
    assert value_of(text, expression) == expected


def test_decade_of_the_nineties():
    assert value_of("Growth was strong in the 1990s.", "the 1990s") == ("DATE", "199")


def test_year_ago_in_quarterly_report_is_that_quarter():
    text = "Third-quarter profit rose 10% from $5 million a year ago."
    assert value_of(text, "a year ago", dt.date(1989, 10, 27)) == ("DATE", "1988-Q3")


def test_later_that_year_follows_the_last_date():
    text = "He fled to Florida in June 1998 and returned to Cuba later that year."
    assert value_of(text, "later that year", dt.date(2000, 1, 28)) == ("DATE", "1998")


def test_the_following_month_after_a_month():
    text = "The offer came in March 2011. The following month, the board accepted it."
    assert value_of(text, "The following month") == ("DATE", "2011-04")


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("The dividend is payable Jan. 2 to holders of record.", "Jan. 2", ("DATE", "2026-01-02")),
        ("The board said it would extend the offer to Nov. 20.", "Nov. 20", ("DATE", "2025-11-20")),
        ("He was shot on Oct. 23 at his home.", "Oct. 23", ("DATE", "2024-10-23")),
        ("The deal closed on June 2.", "June 2", ("DATE", "2025-06-02")),
        ("They signed it on July 3, officials said.", "July 3", ("DATE", "2025-07-03")),
        ("He was shot to death last Oct. 23 at his home.", "Oct. 23", ("DATE", "2024-10-23")),
    ],
)
def test_day_without_year(text, expression, expected):
    assert value_of(text, expression) == expected


@pytest.mark.parametrize(
    "text",
    ["a 44-year-old protester", "Mr. Reupke, 52 years old, resigned", "Iraq imports about three-quarters of its food"],
)
def test_ages_and_fractions_are_not_durations(text):
    assert found(text) == []


def test_rate_after_an_amount_is_a_set():
    assert value_of("It would save $500 million a year in costs.", "a year") == ("SET", "P1Y")
    assert value_of("Over fifty thousand CDs a year are sold.", "a year") == ("SET", "P1Y")


def test_dateline_is_a_date():
    assert found("WASHINGTON, August 11 (Xinhua) -- The minister spoke.", dt.date(1998, 8, 12)) == [
        ("August 11", "DATE", "1998-08-11")
    ]


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("Revenue rose in Q1 2025.", "Q1 2025", ("DATE", "2025-Q1")),
        ("Sales grew in H1 2025.", "H1 2025", ("DATE", "2025-H1")),
        ("Sales grew in the first half of 2024.", "the first half of 2024", ("DATE", "2024-H1")),
        ("It reported FY2024 results.", "FY2024", ("DATE", "2024")),
        ("The company grew in the 2010s.", "the 2010s", ("DATE", "201")),
        ("Prices peaked in late 2024.", "late 2024", ("DATE", "2024")),
        ("It will ship early next year.", "early next year", ("DATE", "2026")),
        ("The strike lasted two-and-a-half years.", "two-and-a-half years", ("DURATION", "P2Y6M")),
        ("The talks took a year and a half.", "a year and a half", ("DURATION", "P1Y6M")),
        ("Shares fell in recent weeks.", "recent weeks", ("DURATION", "PXW")),
        ("It was founded in 2015. Two years later it raised money.", "Two years later", ("DATE", "2017")),
        ("Trading halts at 9:30 a.m. ET on Wednesday.", "9:30 a.m. ET on Wednesday", ("TIME", "2025-06-11T09:30")),
        ("The offer expires at 5 p.m. EST, Nov. 6.", "5 p.m. EST, Nov. 6", ("TIME", "2025-11-06T17:00")),
        ("Trading resumed at 14:30 GMT on the exchange.", "14:30 GMT", ("TIME", "2025-06-14T14:30")),
        ("They met in the spring of 2024.", "the spring of 2024", ("DATE", "2024-SP")),
        ("The election is on Nov. 4, 2025.", "Nov. 4, 2025", ("DATE", "2025-11-04")),
        ("He was born on 3 March 1990.", "3 March 1990", ("DATE", "1990-03-03")),
        ("It rose the year-earlier quarter.", "the year-earlier quarter", ("DATE", "2024")),
        ("Third-quarter profit fell from the year-earlier quarter.", "the year-earlier quarter", ("DATE", "2024-Q3")),
    ],
)
def test_modern_news_forms(text, expression, expected):
    assert value_of(text, expression) == expected


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("Shares rose on Jun 5.", "Jun 5", ("DATE", "2025-06-05")),
        ("They meet Sept 3 in Paris.", "Sept 3", ("DATE", "2025-09-03")),
        ("The reunion falls on Thanksgiving.", "Thanksgiving", ("DATE", "2025-11-27")),
        ("The family met last Thanksgiving.", "last Thanksgiving", ("DATE", "2024-11-28")),
        ("Stores will close on Christmas Day.", "Christmas Day", ("DATE", "2025-12-25")),
        ("Growth was fast in the nineties.", "the nineties", ("DATE", "199")),
        ("Rates peaked in the '80s.", "the '80s", ("DATE", "198")),
        ("It was built in the 19th century.", "the 19th century", ("DATE", "18")),
        ("He spoke in nineteen ninety-six.", "nineteen ninety-six", ("DATE", "1996")),
        ("Results for FY25 beat forecasts.", "FY25", ("DATE", "2025")),
        ("Sales were flat in the fiscal year ended June 30.", "the fiscal year", ("DURATION", "P1Y")),
        ("Profit fell in the latest quarter.", "the latest quarter", ("DATE", "2025-Q1")),
        ("The plant reopened late last year.", "late last year", ("DATE", "2024")),
        ("The deal closes by the end of the month.", "the end of the month", ("DATE", "2025-06")),
        ("Prices jumped over the weekend.", "the weekend", ("DATE", "2025-W24-WE")),
        ("The index fell 3% for the week.", "the week", ("DATE", "2025-W24")),
        ("Oil fell the previous day.", "the previous day", ("DATE", "2025-06-13")),
        ("Talks resumed Friday night in Geneva.", "Friday night", ("DATE", "2025-06-13TNI")),
        ("Markets open tomorrow morning.", "tomorrow morning", ("DATE", "2025-06-15TMO")),
        ("The debt will be repaid in 10 years.", "10 years", ("DATE", "2035")),  # a point ahead, as TimeBank has it
        ("The debt will be repaid over 10 years.", "over 10 years", ("DURATION", "P10Y")),
        ("The launch was set for 20 years from now.", "20 years from now", ("DATE", "2045")),
        ("Output rose in recent years.", "recent years", ("DATE", "PAST_REF")),
        ("Costs will fall in the coming weeks.", "the coming weeks", ("DURATION", "PXW")),
        ("The fund has lost money for decades.", "decades", ("DURATION", "PXDE")),
        ("Inspections happen every other week.", "every other week", ("SET", "P2W")),
        ("The shop opens on Mondays.", "Mondays", ("SET", "XXXX-WXX-1")),
        ("Flights leave Bombay on Tuesday nights.", "Tuesday nights", ("SET", "XXXX-WXX-2TNI")),
        ("A hearing is set for the week of June 23.", "the week of June 23", ("DATE", "2025-W26")),
        ("Then, a week or so ago, the general chose the date.", "a week or so ago", ("DATE", "2025-W23")),
        ("The results are due in the next three quarters.", "the next three quarters", ("DURATION", "P9M")),
    ],
)
def test_more_forms(text, expression, expected):
    assert value_of(text, expression) == expected


def test_datetime_dct_is_accepted():
    assert value_of("Prices rose yesterday.", "yesterday", dt.datetime(2025, 6, 14, 9, 30)) == ("DATE", "2025-06-13")


# --- properties --------------------------------------------------------------

_WORDS = st.sampled_from(
    "the a last next this year years month week day ago earlier late early mid- in on of 1998 2025 14 3 "
    "June May March Friday Monday summer fall quarter third fiscal now recently $200M 49% 1990s '80s "
    "p.m. a.m. noon every each daily two several decade century 20th / - , . : ' 's \n".split(" ")
)
_TEXTS = st.one_of(st.text(), st.lists(_WORDS, max_size=40).map(" ".join), st.lists(_WORDS, max_size=40).map("".join))
_DCTS = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


def check_well_formed(text: str, timexes) -> None:
    previous_end = 0
    for timex in timexes:
        assert 0 <= timex.start < timex.end <= len(text)
        assert text[timex.start:timex.end] == timex.text
        assert timex.start >= previous_end
        previous_end = timex.end
        assert timex.type in TIMEX3_TYPES
        assert TIMEX3_VALUE.match(timex.value), timex


@settings(max_examples=300, deadline=None)
@given(_TEXTS, _DCTS)
def test_any_text_and_date_give_well_formed_timexes(text, dct):
    check_well_formed(text, tag(text, dct))


@settings(max_examples=100, deadline=None)
@given(_TEXTS, st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1, 6, 30), dt.date(9999, 1, 1)]))
def test_extreme_dates_never_raise(text, dct):
    check_well_formed(text, tag(text, dct))


@pytest.mark.parametrize("dct", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_extreme_dates_with_relative_expressions(dct):
    text = (
        "Yesterday, last year, next month, last week, tomorrow, the 1990s, next Friday, in the 20th century, two years ago, "
        "in 10000 years, the third quarter, last winter, the previous Friday, the following Friday, the next day, that night, "
        "June 30-July 2, the first week of December."
    )
    check_well_formed(text, tag(text, dct))


def test_is_pure():
    text = "On Friday, sales fell 3% from a year earlier; next year will be better."
    assert tag(text, DCT) == tag(text, DCT)


# --- anaphora: dates placed relative to the last date the text gave -----------


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("Fire broke out on Oct. 23. The next day, crews were still there.", "The next day", ("DATE", "2024-10-24")),
        ("Fire broke out on Oct. 23. That night, crews were still there.", "That night", ("DATE", "2024-10-23TNI")),
        ("Fire broke out on Oct. 23. The following morning, it rained.", "The following morning", ("DATE", "2024-10-24TMO")),
        ("The plant opened on May 2 and closed the same day.", "the same day", ("DATE", "2025-05-02")),
        ("The option ends on Nov. 30. Until then, holders may convert.", "then", ("DATE", "2025-11-30")),
        ("It earned $5 million in the second quarter of 2024. Results for that quarter included a charge.",
         "that quarter", ("DATE", "2024-Q2")),
        ("Sales rose in the fourth quarter of 2024 and again the following quarter.", "the following quarter",
         ("DATE", "2025-Q1")),
        # an anchor coarser than the expression is kept, not moved: still 2019
        ("The strike ended in 2019. The next day, talks began.", "The next day", ("DATE", "2019")),
        ("The strike ended in 2019. Three days later, talks began.", "Three days later", ("DATE", "2019")),
    ],
)
def test_anaphoric_dates(text, expression, expected):
    assert value_of(text, expression) == expected


@pytest.mark.parametrize("text", ["He said then that it was over.", "Since then, sales have doubled."])
def test_then_alone_is_no_date(text):
    assert found(text) == []


# --- quarterly reports: comparisons with the year before mean the same quarter --


REPORT_DCT = dt.date(1989, 10, 26)


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("Third-quarter profit rose to $5 million from $3 million in the same period last year.",
         "the same period last year", ("DATE", "1988-Q3")),
        ("Third-quarter sales were $2 million. For the quarter a year ago, sales were $1 million.",
         "the quarter a year ago", ("DATE", "1988-Q3")),
        ("Third-quarter sales were $2 million; last year's quarter had $1 million.", "last year's quarter", ("DATE", "1988-Q3")),
        ("Third-quarter net was $24 million, compared with a loss of $3 million last year.", "last year", ("DATE", "1988-Q3")),
        ("Third-quarter sales rose 13% from last year's $1.5 billion.", "last year", ("DATE", "1988-Q3")),
        # no comparison: the year itself
        ("Third-quarter sales rose. The company was sold last year to a rival.", "last year", ("DATE", "1988")),
        # no quarter reported: the year before
        ("Sales in the same period last year were lower.", "the same period last year", ("DATE", "1988")),
    ],
)
def test_year_before_in_quarterly_reports(text, expression, expected):
    assert value_of(text, expression, REPORT_DCT) == expected


# --- tense: the sentence around the expression --------------------------------


def test_expression_opening_a_sentence_takes_the_main_verb_even_a_reporting_one():
    text = "Profits have doubled since 1980. In September, it announced plans to buy a rival."
    assert value_of(text, "September", dt.date(1989, 10, 30)) == ("DATE", "1989-09")


def test_a_title_or_initial_ends_no_sentence():
    from timeline.timex_tense import sentence_span

    text = "It rained. On Friday, Gen. Smith met U.S. officials after Roe vs. Wade was cited. Then he left."
    start = text.index("Friday")
    left, right = sentence_span(text, start, start + len("Friday"))
    assert text[left:right] == "On Friday, Gen. Smith met U.S. officials after Roe vs. Wade was cited."


# --- ranges of days: each end is a date of its own, as in TimeML ---------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The festival runs June 3-5 in Paris.", [("June 3", "DATE", "2025-06-03"), ("5", "DATE", "2025-06-05")]),
        ("The summit is on April 24 and 25.", [("April 24", "DATE", "2025-04-24"), ("25", "DATE", "2025-04-25")]),
        ("Talks ran from June 30-July 2 in Geneva.", [("June 30", "DATE", "2025-06-30"), ("July 2", "DATE", "2025-07-02")]),
        ("The fair ran Oct. 3 to 5, 2024.", [("Oct. 3", "DATE", "2024-10-03"), ("5, 2024", "DATE", "2024-10-05")]),
        ("The June 3rd-5th meeting was long.", [("June 3rd", "DATE", "2025-06-03"), ("5th", "DATE", "2025-06-05")]),
        # not ranges: a year, a count, a time, a smaller number
        ("He was born June 3, 1990-5 others died.", [("June 3, 1990", "DATE", "1990-06-03")]),
        ("On June 3 - 5 people died.", [("June 3", "DATE", "2025-06-03")]),
        ("It rose on June 3 and 4 percent on June 5.", [("June 3", "DATE", "2025-06-03"), ("June 5", "DATE", "2025-06-05")]),
        ("Polls closed June 20 and 8 p.m. was the deadline.", [("June 20", "DATE", "2025-06-20"), ("8 p.m.", "TIME", "2025-06-20T20:00")]),
    ],
)
def test_ranges_of_days(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He bought Office 2010 and Windows 2000 last year.", [("last year", "DATE", "2024")]),
        ("A venture called Orion 1980 makes parts.", []),
        ("In 2019 the firm grew. A 1996 law helped. Results for FY 2024 rose.",
         [("2019", "DATE", "2019"), ("1996", "DATE", "1996"), ("FY 2024", "DATE", "2024")]),
    ],
)
def test_a_year_in_a_name_is_no_date(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text, expression",
    [("The machines were removed a few years ago.", "a few years ago"), ("It peaked several weeks earlier.", "several weeks earlier")],
)
def test_vague_amount_ago_is_a_past_point(text, expression):
    assert value_of(text, expression) == ("DATE", "PAST_REF")


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("Sales were strong in the first week of June.", "the first week of June", ("DATE", "2025-W23")),
        ("Prices rose in the last week of March 2024.", "the last week of March 2024", ("DATE", "2024-W13")),
        ("It will open in the second week of January.", "the second week of January", ("DATE", "2026-W02")),
        ("The index fell in the first week of 2025.", "the first week of 2025", ("DATE", "2025-W01")),
        ("The first half of the year was strong.", "The first half of the year", ("DATE", "2025-H1")),
        ("Sales rose in the second half of last year.", "the second half of last year", ("DATE", "2024-H2")),
        ("Sales rose in the first quarter of this year.", "the first quarter of this year", ("DATE", "2025-Q1")),
    ],
)
def test_week_of_a_month(text, expression, expected):
    assert value_of(text, expression) == expected


@pytest.mark.parametrize(
    "text, dct, expected",
    [
        # winter is named by the year of its January, as timeline.periods reads 2025-WI (Dec 2024 - Feb 2025)
        ("It was cold last winter.", dt.date(2025, 3, 10), "2025-WI"),
        ("It was cold last winter.", dt.date(2025, 12, 20), "2025-WI"),
        ("It will be cold this winter.", dt.date(2025, 12, 20), "2026-WI"),
        ("It will be cold this winter.", dt.date(2025, 7, 1), "2026-WI"),
        ("It was a mild winter this winter.", dt.date(2025, 7, 1), "2025-WI"),
        ("It will be cold this winter.", dt.date(2025, 1, 15), "2025-WI"),
        ("Sales fell last fall.", dt.date(2025, 1, 15), "2024-FA"),
        ("It will open in the spring.", dt.date(2025, 12, 20), "2026-SP"),
    ],
)
def test_seasons_around_the_new_year(text, dct, expected):
    ((_, _, value),) = found(text, dct)
    assert value == expected


def test_current_in_a_financial_term_is_no_date():
    assert found("The current account deficit and current assets grew.") == []


def test_the_time_of_an_event_is_no_date():
    assert found("At the time of the attack, it took a while to react.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("This is VOA Today. He read USA Today yesterday.", [("yesterday", "DATE", "2025-06-13")]),
        ('Baker, speaking on ABC News "This Week," said so.', []),
        ('"Today is a great day," he said. Today, the market rose.',
         [("Today", "DATE", "2025-06-14"), ("Today", "DATE", "2025-06-14")]),
    ],
)
def test_names_of_papers_and_programmes_are_no_dates(text, expected):
    assert found(text) == expected


def test_a_verb_across_a_comma_is_a_weaker_cue_than_one_beside_the_date():
    text = "Officials said the plan, announced in January, will take effect next month."
    assert value_of(text, "January", MARCH_DCT) == ("DATE", "2013-01")


def test_high_noon_is_an_idiom():
    assert found('In "High Noon," and at high noon, they met at noon.') == [("noon", "TIME", "2025-06-14T12:00")]


@pytest.mark.parametrize(
    "text, expression, expected",
    [
        ("Until Thursday, they had not called him a suspect.", "Thursday", ("DATE", "2013-03-21")),
        ("Until January, the company had refused to sell.", "January", ("DATE", "2013-01")),
        ("The offer is open until Thursday.", "Thursday", ("DATE", "2013-03-28")),
    ],
)
def test_until_in_the_past_perfect_looks_back(text, expression, expected):
    assert value_of(text, expression, MARCH_DCT) == expected


def test_the_previous_weekday_counts_from_the_day_just_mentioned():
    text = "On Oct. 27 the index fell 5% from the previous Friday and rose the following Monday."
    assert found(text, dt.date(1989, 10, 30)) == [
        ("Oct. 27", "DATE", "1989-10-27"),
        ("the previous Friday", "DATE", "1989-10-20"),
        ("the following Monday", "DATE", "1989-10-30"),
    ]
    assert value_of("Shares fell from the previous Friday.", "the previous Friday") == ("DATE", "2025-06-13")


# Wire copy (numbers that look like years but are not)

WIRE_DCT = dt.date(1987, 4, 21)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Senate votes at 1600 est/2100 gmt on aid.", [("1600", "TIME", "1987-04-21T16:00")]),
        ("It opens at 0930 local time.", [("0930", "TIME", "1987-04-21T09:30")]),
        ("The company paid a dividend of 1.1646 dlrs per share.", []),
        ("At one point about 1700 lawsuits had been filed.", []),
        ("It cost $1990 to fix.", []),
        ("The house was built in 1700.", [("1700", "DATE", "1700")]),
        ("The Dow fell 508 points to 1738.", []),
        ("Trading runs from 1700 to 2100 local time.",
         [("1700", "TIME", "1987-04-21T17:00"), ("2100", "TIME", "1987-04-21T21:00")]),
        ("Sales rose in 1986 and 1987 profits fell.", [("1986", "DATE", "1986"), ("1987", "DATE", "1987")]),
    ],
)
def test_wire_numbers(text, expected):
    assert [(t.text, t.type, t.value) for t in tag(text, WIRE_DCT)] == expected
