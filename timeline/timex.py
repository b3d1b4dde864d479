"""Temporal tagger: finds TIMEX3 expressions in English news and normalises them.

The grammar (``timex_grammar``) is an ordered list of regex rules. One pass of a
cheap regex finds the words an expression can start with; at each, the rules
that can start with that word are tried in order, and the first that matches
wins. Each rule has a normaliser that turns the words into a
TIMEX3 type and value, resolving relative and underspecified expressions
against the document creation time (DCT): months, weekdays, seasons and
quarters without a year get it from the tense of their sentence
(``timex_tense``). A last pass resolves what depends on other expressions:
"a year ago" next to a reported quarter, "later that year", "at 10 p.m.".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

from timeline.model import Timex
from timeline.timex_grammar import (
    DAY_PARTS,
    DECADE_WORDS,
    DIGIT_START,
    FOLLOWERS,
    HOLIDAYS,
    MONTH_NAME,
    ORDINALS,
    RULE_FIRST_WORDS,
    RULES,
    SEASONS,
    UNIT_CODES,
    WEEKDAYS,
    group,
    month_number,
    nth_weekday,
    parse_number,
    parse_year,
    trie_regex,
)
from timeline.timex_tense import orientation, weekday_orientation

__all__ = ["tag"]

MIN_YEAR, MAX_YEAR = 1, 9999


@dataclass
class Context:
    """What a normaliser needs besides the match: the text, the DCT, and the sentence tense."""

    text: str
    dct: dt.date
    start: int
    end: int
    _tense: str | None = None

    @property
    def weekday_tense(self) -> str:
        """Past or future for a weekday, which fewer prepositions orient than a date."""
        return weekday_orientation(self.text, self.start, self.end)

    @property
    def tense(self) -> str:
        if self._tense is None:
            self._tense = orientation(self.text, self.start, self.end)
        return self._tense


Normaliser = Callable[[re.Match, Context], "tuple[str, str] | None"]


def tag(text: str, dct: dt.date | dt.datetime) -> list[Timex]:
    """All temporal expressions in text, sorted by start, non-overlapping, values resolved against dct (publication date)."""
    if not isinstance(text, str) or not text:
        return []
    anchor = dct.date() if isinstance(dct, dt.datetime) else dct
    found: list[Timex] = []
    position = 0
    for candidate in _CANDIDATES.finditer(text):
        start = candidate.start()
        if start < position:
            continue
        word = candidate["word"]
        is_digit, rules = _RULES_BY_WORD.get(word) or _rules_for(word)
        if is_digit and text[start + 4:start + 5] in ("-", "–") and (years := _year_range(text, start, anchor)):
            found.extend(years)
            position = years[-1].end
            continue
        for rule, match_at in rules:  # the first rule to match wins
            if (match := match_at(text, start)) is not None:
                break
        else:
            continue
        try:
            result = _normalise((rule, match), text, start, anchor)
        except (ArithmeticError, AttributeError, LookupError, ValueError, TypeError):
            result = None  # a date out of the calendar's range, a day 31 in June...
        if result is None:
            continue
        timex_type, value, end = result
        if (title := _IN_A_TITLE.match(text, start)) and _TITLE_BEFORE.search(text, max(0, start - 40), start) and (
            title[1] or text[start - 1] not in "\"“"
        ):
            position = end
            continue  # "VOA Today", ABC's "This Week": the name of a programme
        is_day = _DAY_VALUE.match(value) is not None
        if is_day and (before := _DAY_BEFORE_OR_AFTER.search(text, max(position, start - 24), start)):
            shift = -1 if before[1].lower() == "before" else 1
            try:
                value = _iso_date(dt.date.fromisoformat(value) + dt.timedelta(days=shift))
                start = before.start()  # 'the day before last Tuesday': the Monday
            except (OverflowError, ValueError):
                pass
        found.append(Timex(start, end, text[start:end], timex_type, value))
        position = end
        if is_day and _ENDS_WITH_DAY.search(text, start, end):
            position = _range_end(text, found, anchor)
    return _resolve_anaphora(_resolve_year_ago(_coordinated_sets(found, text), text), anchor)


_WEEKDAY_SET = re.compile(r"^XXXX-WXX-\d(T\w+)?$")
_BARE_WEEKDAY = re.compile(r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)$")
_AND_BETWEEN = re.compile(r"\s*(?:,\s*)?(?:and|or|,)\s*$")


def _coordinated_sets(found: list[Timex], text: str) -> list[Timex]:
    """'on Monday and Tuesday nights', 'every Monday and Thursday': both weekdays recur."""
    for index in range(len(found) - 1):
        first, second = found[index], found[index + 1]
        if "SET" not in (first.type, second.type) or not _AND_BETWEEN.fullmatch(text, first.end, second.start):
            continue
        if (recurring := _WEEKDAY_SET.match(second.value)) and _BARE_WEEKDAY.match(first.text):
            part = recurring[1] or ""
            found[index] = Timex(first.start, first.end, first.text, "SET", f"XXXX-WXX-{WEEKDAYS[first.text.lower()] + 1}{part}")
        elif _WEEKDAY_SET.match(first.value) and _BARE_WEEKDAY.match(second.text):
            found[index + 1] = Timex(second.start, second.end, second.text, "SET", f"XXXX-WXX-{WEEKDAYS[second.text.lower()] + 1}")
    return found


# Words that are lowercase in running text but capitalised in names of papers and programmes.
_IN_A_TITLE = re.compile(r"(?:Today|Tonight|Tomorrow|This(\s+)(?:Week|Morning))\b")
# A capitalised word just before (not opening a sentence: "On Friday" is no name), or an opening quote.
_TITLE_BEFORE = re.compile(r"(?:(?<![.!?\"“”'‘’:])\s(?!(?:A|An|The|In|On|At|By|For|And|But|Or|From|Until|Since|Of|To)\s)[A-Z][\w&.-]*|[\"“])\s?$")


# "1939-45", "2013-2015", "the 2012-13 season": two years, tagged as a date each, as TimeML does with ranges.
_YEAR_RANGE = re.compile(r"((?:1[6-9]|20)\d\d)[-–]((?:1[6-9]|20)\d\d|\d\d)(?![\w%$€£'’]|[-–/.,:]\d|\s*(?:percent|per\s*cent)\b)")


def _year_range(text: str, start: int, dct: dt.date) -> list[Timex]:
    """Both ends of a range of years starting at start, or nothing."""
    match = _YEAR_RANGE.match(text, start)
    if match is None or _is_part_of_a_name(text, start) or _is_part_of_a_number(text, start):
        return []
    first = int(match[1])
    last = int(match[2]) if len(match[2]) == 4 else first // 100 * 100 + int(match[2])
    if len(match[2]) == 2 and last <= first:
        last += 100  # '1999-00'
    context = Context(text, dct, start, match.end())
    if not first < last <= first + 100 or not (_plausible_bare_year(first, context) or _plausible_bare_year(last, context)):
        return []
    return [
        Timex(start, match.end(1), match[1], "DATE", _iso_year(first)),
        Timex(match.start(2), match.end(), match[2], "DATE", _iso_year(last)),
    ]


_DAY_VALUE = re.compile(r"^\d{4}-\d\d-\d\d$")
_DAY_BEFORE_OR_AFTER = re.compile(r"(?<![\w-])(?:[Tt]he\s+)?day\s+(before|after)\s+$")
# After a day: the other end of a range, in the same month ("June 3-5", "April 24 and 25") or in
# another ("June 30-July 2"), tagged as a date of its own as TimeML does.
_RANGE_TAIL = re.compile(
    r"(?:[-–]|\s+–\s+|\s+(?:and|to|through|until)\s+)"
    r"(?:(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\w%]|[.,:/]\d|-\w|\s*(?:[ap]\.?m\b|o['’]clock|percent))(?:,?\s+(?P<year>(?:1[6-9]|20)\d\d)(?!\d))?"
    r"|(?=(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)))",
)
_ENDS_WITH_DAY = re.compile(r"(?<!\d)[0-3]?\d(?:st|nd|rd|th)?$")


def _range_end(text: str, found: list[Timex], dct: dt.date) -> int:
    """Tag the far end of a range of days after found[-1]; the position scanning resumes from."""
    first = found[-1]
    tail = _RANGE_TAIL.match(text, first.end)
    if tail is None:
        return first.end
    if tail["day"]:
        day = int(tail["day"])
        year = int(tail["year"]) if tail["year"] else int(first.value[:4])
        try:
            date = dt.date(year, int(first.value[5:7]), day)
            first_date = dt.date(year, int(first.value[5:7]), int(first.value[8:10]))
        except ValueError:
            return first.end
        if date <= first_date:
            return first.end
        found[-1] = Timex(first.start, first.end, first.text, first.type, _iso_date(first_date))  # 'Oct. 3 to 5, 2024'
        start, end = tail.start("day"), tail.end()
        found.append(Timex(start, end, text[start:end], "DATE", _iso_date(date)))
        return end
    try:
        match = _RULE_PATTERNS["month_day"].match(text, tail.end())
        result = _normalise(("month_day", match), text, tail.end(), dct) if match else None
    except (ArithmeticError, AttributeError, LookupError, ValueError, TypeError):
        result = None
    if result is None:
        return first.end
    timex_type, value, end = result
    found.append(Timex(tail.end(), end, text[tail.end():end], timex_type, value))
    return end


# ---------------------------------------------------------------------------
# Matching
#
# A first, cheap pass finds the words an expression can start with; at each
# one, only the rules that can start with that word are tried, in RULES order so
# earlier rules win; the winning match goes to the normaliser as it is.

_BEFORE = r"(?<![\w$€£¥#@/&'’-])"
# A hyphen may lead on only to the end of a range of days ("June 3-5", "June 30-July 2"); a quote
# only to a possessive ("Friday's", "two weeks' time") or the end of a quotation ('... Friday'').
_AFTER = r"(?![\w%$€£]|['’](?![sS]\b|['’])(?<![sS]['’])|-(?![0-3]?\d(?:st|nd|rd|th)?(?![\w:/-]|[.,]\d)|(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))\w|[.,]\d)"
_SPECIAL_FIRST = {"DIGIT": DIGIT_START + r"\d", "APOSTROPHE": r"['’]\d"}

_RULES_BY_FIRST_WORD: dict[str, tuple[str, ...]] = {}
for _name, _ in RULES:
    for _word in set(RULE_FIRST_WORDS[_name].split()):
        _RULES_BY_FIRST_WORD[_word] = _RULES_BY_FIRST_WORD.get(_word, ()) + (_name,)
_CAPITALISED_FIRST = frozenset(w for w in _RULES_BY_FIRST_WORD if not w.islower() and w not in _SPECIAL_FIRST)
_LOWERCASE_FIRST = [w for w in _RULES_BY_FIRST_WORD if w.islower() and w not in FOLLOWERS]
_WORDS_BY_FOLLOWERS: dict[str, list[str]] = {}
for _word, _followers in FOLLOWERS.items():
    _WORDS_BY_FOLLOWERS.setdefault(_followers, []).append(_word)


def _followed_by(followers: str) -> str:
    return f"(?=\\s+(?:\\d|['’]\\d|{trie_regex(followers.split())}(?![a-zA-Z])))"


# A guarded word ends in the trie of the lowercase first words with its own guard, so most words
# go through one trie, not a look-ahead trie of the guarded words and then another (the scan is a
# sixth faster). The many words sharing one long list of followers share a branch after it
# instead (the regex stays small). A word can match only one branch, so their order is free.
_SHARED_GUARD = [(followers, words) for followers, words in _WORDS_BY_FOLLOWERS.items() if len(words) > 2]
_OWN_GUARD = {word: _followed_by(f) for f, words in _WORDS_BY_FOLLOWERS.items() if len(words) <= 2 for word in words}
_WORD_END = "(?![a-zA-Z])"
_LOWERCASE_TRIE = trie_regex(
    _LOWERCASE_FIRST + list(_OWN_GUARD), tails={**dict.fromkeys(_LOWERCASE_FIRST, _WORD_END), **_OWN_GUARD}
)
# Each branch opens with a cheap test of its first character, so the many alternatives are
# tried only where they can match: a quarter faster.
_CANDIDATES = re.compile(
    _BEFORE + "(?P<word>(?=[\\d'’])(?:" + "|".join(_SPECIAL_FIRST.values()) + ")"
    + f"|(?=[A-Za-z])(?:{_LOWERCASE_TRIE}"
    + "".join(f"|{trie_regex(words)}{_followed_by(followers)}" for followers, words in _SHARED_GUARD)
    + f"|{trie_regex(_CAPITALISED_FIRST, ignore_case=False)}{_WORD_END}))"
)
_RULE_PATTERNS = {name: re.compile(f"(?:{pattern}){_AFTER}", re.IGNORECASE) for name, pattern in RULES}


def _first_word_key(word: str) -> str:
    if word[0].isdigit():
        return "DIGIT"
    if word[0] in "'’":
        return "APOSTROPHE"
    return word if word in _CAPITALISED_FIRST else word.lower()


# Per first word as written ("The", "THE", "7"): whether it is a digit, and the rules to try
# there in RULES order with their matchers. One look-up per candidate instead of several calls.
_RULES_BY_WORD: dict[str, tuple[bool, tuple[tuple[str, Callable], ...]]] = {}


def _rules_for(word: str) -> tuple[bool, tuple[tuple[str, Callable], ...]]:
    key = _first_word_key(word)
    rules = key == "DIGIT", tuple((name, _RULE_PATTERNS[name].match) for name in _RULES_BY_FIRST_WORD.get(key, ()))
    if len(_RULES_BY_WORD) < 10_000:  # the odd casings of long texts cannot grow it without end
        _RULES_BY_WORD[word] = rules
    return rules


def _normalise(rule_match: tuple[str, re.Match], text: str, start: int, dct: dt.date):
    rule, match = rule_match
    context = Context(text, dct, start, match.end())
    result = _NORMALISERS[rule](match, context)
    if result is None:
        return None
    timex_type, value = result
    return timex_type, value, match.end()


# ---------------------------------------------------------------------------
# Calendar helpers


def _iso_date(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _iso_month(year: int, month: int) -> str:
    _check_year(year)
    return f"{year:04d}-{month:02d}"


def _iso_year(year: int) -> str:
    _check_year(year)
    return f"{year:04d}"


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} out of range")


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def _season_of(day: dt.date) -> tuple[int, int]:
    """(year, position) of the season the day is in; positions 0..3 = WI, SP, SU, FA in calendar order.

    Winter is the year's first season, December to February, named by the year of
    its January (2025-WI is December 2024 to February 2025, as timeline.periods reads it).
    """
    if day.month == 12:
        return day.year + 1, 0
    return day.year, (day.month % 12) // 3


_SEASON_CODES = ("WI", "SP", "SU", "FA")


def _season_position(season_index: int) -> int:
    """Calendar position of a season given as a timex_grammar.SEASONS index (spring 0 ... winter 3)."""
    return (season_index + 1) % 4


def _year_by_tense(target, current, year: int, tense: str) -> int:
    """Year of an underspecified period at ``target`` (a season, a (month, day)...) said in ``tense``.

    Past tense: the latest such period not after the DCT's one; future: the first
    not before it; otherwise the DCT's year.
    """
    if tense == "past":
        return year if target <= current else year - 1
    if tense == "future":
        return year if target >= current else year + 1
    return year


_DAY_TOLERANCE = 60


def _year_of_day(month: int, day: int, c: Context) -> int:
    """Year of a month and day written without one.

    News gives the year of dates outside the current one, so the DCT's year is the
    default; a past-tense sentence moves a date more than two months ahead back a
    year, a future one moves a date more than two months behind forward a year,
    and without tense the nearest date wins.
    """
    year = c.dct.year
    day = min(day, 28) if month == 2 else day
    gap = (dt.date(year, month, day) - c.dct).days
    if c.tense == "past":
        return year - 1 if gap > _DAY_TOLERANCE else year
    if c.tense == "future":
        return year + 1 if gap < -_DAY_TOLERANCE else year
    if gap > 182:
        return year - 1
    if gap < -182:
        return year + 1
    return year


def _weekday_date(weekday: int, dct: dt.date, direction: str) -> dt.date:
    """The weekday (0=Monday) nearest the DCT in direction past/future/this/last/next."""
    delta = weekday - dct.weekday()
    if direction == "this":
        return dct + dt.timedelta(days=delta)
    if direction in ("future", "next"):
        ahead = delta % 7
        if ahead == 0 and direction == "next":
            ahead = 7
        return dct + dt.timedelta(days=ahead)
    back = (-delta) % 7
    if back == 0 and direction == "last":
        back = 7
    return dct - dt.timedelta(days=back)


def _shift(dct: dt.date, unit: str, amount: int) -> str:
    """The DCT moved by amount units, at the granularity of the unit."""
    if unit == "D":
        return _iso_date(dct + dt.timedelta(days=amount))
    if unit == "W":
        return _iso_week(dct + dt.timedelta(weeks=amount))
    if unit == "M":
        return _iso_month(*_add_months(dct.year, dct.month, amount))
    if unit == "Q":
        year, month = _add_months(dct.year, dct.month, 3 * amount)
        _check_year(year)
        return f"{year:04d}-Q{_quarter_of(month)}"
    if unit == "Y":
        return _iso_year(dct.year + amount)
    if unit == "DE":
        decade = dct.year // 10 + amount
        _check_year(max(decade * 10, MIN_YEAR) if decade >= 0 else -1)
        return f"{decade:03d}"
    if unit == "CE":
        century = dct.year // 100 + amount
        _check_year(max(century * 100, MIN_YEAR) if century >= 0 else -1)
        return f"{century:02d}"
    if unit in ("H", "MIN", "S"):
        return _iso_date(dct)
    raise ValueError(unit)


# ---------------------------------------------------------------------------
# Normalisers, one per rule (names match RULES in timex_grammar)


def _norm_iso(m: re.Match, c: Context):
    day = dt.date(int(m["y"]), int(m["mo"]), int(m["d"]))
    if m["h"]:
        hour, minute = int(m["h"]), int(m["mi"])
        if hour > 24 or minute > 59:
            return None
        return "TIME", f"{_iso_date(day)}T{hour:02d}:{minute:02d}"
    return "DATE", _iso_date(day)


def _norm_numeric(m: re.Match, c: Context):
    year = int(m["y"]) if len(m["y"]) == 4 else _full_year(int(m["y"]), c.dct)
    return "DATE", _iso_date(dt.date(year, int(m["mo"]), int(m["d"])))


def _full_year(two_digits: int, dct: dt.date) -> int:
    """The year a two-digit year means: at most ten years after the publication date, else earlier
    ('03/09/87' in 1987 is 1987, in 2025 it is 1987 too; '30' in 2025 is 2030)."""
    year = dct.year // 100 * 100 + two_digits
    if year > dct.year + 10:
        return year - 100
    return year + 100 if year <= dct.year - 90 else year


def _norm_month_day(m: re.Match, c: Context):
    month = month_number(m["month"])
    day = int(m["day"]) if m["day"] else ORDINALS[_key(group(m, "dayword"))]
    if m["year"]:
        year = parse_year(m["year"])
    else:
        year = _year_of_day(month, day, c)
    return "DATE", _iso_date(dt.date(year, month, day))


_norm_day_month = _norm_month_day


def _norm_week_of(m: re.Match, c: Context):
    """'the week of March 6': the ISO week holding that day."""
    _, value = _norm_month_day(m, c)
    return "DATE", _iso_week(dt.date.fromisoformat(value))


def _norm_nth_weekday(m: re.Match, c: Context):
    """'the first Monday in October', 'the last Friday of June 2024'."""
    month = month_number(m["month"])
    year = parse_year(m["year"]) if m["year"] else _year_of_month(month, c)
    ordinal = _key(m["ordinal"])
    n = -1 if ordinal in ("last", "final") else ORDINALS[ordinal]
    return "DATE", _iso_date(nth_weekday(year, month, WEEKDAYS[_key(m["weekday"])], n))


def _norm_week_of_month(m: re.Match, c: Context):
    """'the first week of June': the ISO week holding the middle of the month's first seven days
    ('the first week of 2025': of the year's)."""
    if m["whole_year"]:
        year = int(m["whole_year"])
        ordinal = _key(m["ordinal"])
        if ordinal in ("last", "final"):
            return "DATE", _iso_week(dt.date(year, 12, 28))
        return "DATE", _iso_week(dt.date(year, 1, 7 * ORDINALS[ordinal] - 3))
    month = month_number(m["month"])
    year = parse_year(m["year"]) if m["year"] else _year_of_month(month, c)
    ordinal = _key(m["ordinal"])
    if ordinal in ("last", "final"):
        year_after, month_after = _add_months(year, month, 1)
        middle = dt.date(year_after, month_after, 1) - dt.timedelta(days=4)
    else:
        middle = dt.date(year, month, 7 * ORDINALS[ordinal] - 3)
    return "DATE", _iso_week(middle)


def _norm_month_year(m: re.Match, c: Context):
    return "DATE", _iso_month(parse_year(m["year"]), month_number(m["month"]))


def _norm_month(m: re.Match, c: Context):
    month = month_number(m["month"])
    relation = _key(m["rel"])
    year = c.dct.year
    if m["yearrel"]:
        year += {"last": -1, "next": 1, "this": 0}[_key(m["yearrel"])]
    elif relation in ("last", "this past", "past"):
        year = year if month < c.dct.month else year - 1
    elif relation in ("next", "this coming", "coming"):
        year = year if month > c.dct.month else year + 1
    elif relation != "this":
        year = _year_of_month(month, c)
    return "DATE", _iso_month(year, month)


def _year_of_month(month: int, c: Context) -> int:
    """Year of a month named alone: the last one in a past-tense sentence (the next
    month counts as this year's), the next one in a future one, else the nearest."""
    ahead = month - c.dct.month
    if c.tense == "past":
        return c.dct.year - 1 if ahead > 1 else c.dct.year
    if c.tense == "future":
        return c.dct.year + 1 if ahead < 0 else c.dct.year
    if ahead > 6:
        return c.dct.year - 1
    if ahead < -6:
        return c.dct.year + 1
    return c.dct.year


def _norm_weekday(m: re.Match, c: Context):
    weekday = WEEKDAYS[_key(m["weekday"])]
    relation = _key(m["rel"])
    if relation in ("the previous", "the following") and not m["part"]:
        # "down 4.5% from the previous Friday": before the day just mentioned
        return "DATE", f"{_ANAPHORA} WD {weekday} {-1 if relation == 'the previous' else 1}"
    if relation in ("last", "this past", "the previous", "past"):
        direction = "last"
    elif relation in ("next", "this coming", "the following", "coming"):
        direction = "next"
    elif relation == "this":
        direction = "this"
    else:
        direction = "future" if c.weekday_tense == "future" else "past"
    day = _weekday_date(weekday, c.dct, direction)
    return _with_part_of_day(_iso_date(day), m["part"])


_DAY_OFFSETS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def _norm_relative_day(m: re.Match, c: Context):
    word = _key(m["word"])
    offset = _DAY_OFFSETS[word]
    if m["before"]:
        offset += -1 if "before" in m["before"].lower() else 1
    value = _iso_date(c.dct + dt.timedelta(days=offset))
    part = m["part"] or m["part_first"] or ("night" if word == "tonight" else None)
    return _with_part_of_day(value, part)


def _norm_part_of_day(m: re.Match, c: Context):
    day = c.dct - dt.timedelta(days=1) if "last" in _key(m["rel"]) else c.dct
    return "TIME", f"{_iso_date(day)}T{DAY_PARTS[_key(m['part'])]}"


def _norm_clock(m: re.Match, c: Context):
    if m["special"]:
        hour, minute = (12, 0) if _key(m["special"]) in ("noon", "midday") else (24, 0)
    elif m["hour24"]:
        hour, minute = int(m["hour24"]), int(m["minute24"])
    elif m["wire_hour"]:
        hour, minute = int(m["wire_hour"]), int(m["wire_minute"])
    else:
        hour = int(m["hour"])
        minute = int(m["minute"] or 0)
        meridiem = _key(m["ampm"]).replace(".", "").replace(" ", "")
        if (meridiem and not 1 <= hour <= 12) or hour > 23 or minute > 59:
            return None
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
        elif _key(m["partword"]) in ("afternoon", "evening") and hour < 12:
            hour += 12
    day = c.dct
    if m["weekday"]:
        direction = "future" if c.weekday_tense == "future" else "past"
        day = _weekday_date(WEEKDAYS[_key(m["weekday"])], c.dct, direction)
    elif m["month"]:
        month = month_number(m["month"])
        day = dt.date(_year_of_day(month, int(m["day"]), c), month, int(m["day"]))
    elif m["relday"]:
        day = c.dct + dt.timedelta(days=_DAY_OFFSETS[_key(m["relday"])])
    else:
        return "TIME", f"{_ANAPHORA} TIME {hour:02d}:{minute:02d}"  # on the day just mentioned, if any
    return "TIME", f"{_iso_date(day)}T{hour:02d}:{minute:02d}"


_OFFSETS = {
    "this": 0, "the current": 0, "current": 0, "this past": -1, "last": -1, "the last": -1, "the past": -1,
    "the previous": -1, "past": -1, "the prior": -1, "prior": -1, "next": 1, "the next": 1, "the coming": 1,
    "the following": 1, "coming": 1, "this coming": 1,
}


def _norm_relative_period(m: re.Match, c: Context):
    if m["weekend"]:
        return _weekend(_key(m["rel2"]), c)
    if m["year"]:
        return _the_year(m, c)
    if m["week"]:
        return "DATE", _iso_week(c.dct)
    relation = _key(m["rel"])
    unit = UNIT_CODES[_key(m["unit"])]
    if relation in ("the past", "the last", "the next", "the coming"):
        return "DURATION", _duration_value(1, unit)
    return "DATE", _shift(c.dct, unit, _OFFSETS[relation])


def _the_year(m: re.Match, c: Context):
    """'the year ended June 30' is a duration; 'the year', 'the current fiscal year' this year."""
    if m["ended"]:
        return "DURATION", "P1Y"
    return "DATE", _iso_year(c.dct.year - 1 if "latest" in _key(m["mod"]) else c.dct.year)


def _weekend(relation: str, c: Context):
    saturday = _weekday_date(5, c.dct, "this")
    if relation in ("last", "this past") or (relation == "the" and c.tense != "future"):
        if c.dct.weekday() < 5 or relation != "the":
            saturday -= dt.timedelta(days=7)
    elif relation in ("next", "this coming") and c.dct.weekday() >= 5:
        saturday += dt.timedelta(days=7)
    return "DATE", _iso_week(saturday) + "-WE"


def _season_relative(season_index: int, relation: str, c: Context):
    season = _season_position(season_index)
    year, current = _season_of(c.dct)
    offset = _OFFSETS.get(relation)
    if offset == -1:
        year = year if season < current else year - 1
    elif offset == 1:
        year = year if season > current else year + 1
    elif offset is None:
        year = _year_by_tense(season, current, year, c.tense)
    elif season == 0 and current > 0 and c.tense != "past":
        year += 1  # 'this winter', said in July: the one starting in December
    _check_year(year)
    return "DATE", f"{year:04d}-{_SEASON_CODES[season]}"


_SEASON_CUE = re.compile(r"(?:\b(?:in|during|by|until|since|through|for|this|last|next|of|early|late|mid)[\s-]+)$", re.IGNORECASE)


def _norm_season(m: re.Match, c: Context):
    word = _key(m["season"])
    season = SEASONS[word]
    if m["year"]:
        year = parse_year(m["year"])
        _check_year(year)
        return "DATE", f"{year:04d}-{_SEASON_CODES[_season_position(season)]}"
    relation = _key(m["rel"])
    if not (relation or m["edge"]) and not _SEASON_CUE.search(c.text, max(0, c.start - 12), c.start):
        return None
    if re.match(r"\s+[A-Z][a-z]", c.text[c.end:c.end + 3]) and (m["season"][0].isupper() or not m["year"]):
        return None  # a name: "Spring Street", "Summer Palace", "the winter Olympics"
    if word == "fall" and relation in ("", "the") and re.match(r"\s+of\b", c.text[c.end:c.end + 4]):
        return None
    return _season_relative(season, "" if relation == "the" else relation, c)


def _norm_edge_of_period(m: re.Match, c: Context):
    """'the end of the year', 'earlier this month', 'late last year', 'year-end'."""
    unit = UNIT_CODES[_key(group(m, "unit"))]
    relation = _key(m["rel"])
    offset = {"last": -1, "next": 1}.get(relation, 0)
    season = _EDGE_SEASON.search(m["edge"] or "")
    if season and unit == "Y":  # 'the spring of last year': that season of that year
        year = c.dct.year + offset
        _check_year(year)
        return "DATE", f"{year:04d}-{_SEASON_CODES[_season_position(SEASONS[season[0].lower()])]}"
    return "DATE", _shift(c.dct, unit, offset)


_EDGE_SEASON = re.compile(r"spring|summer|fall|autumn|winter", re.IGNORECASE)


def _norm_quarter(m: re.Match, c: Context):
    half = _key(m["period"]) == "half"
    if m["qnum"]:
        half = m["qnum"].upper().startswith("H")
        quarter = int(m["qnum"].upper().strip("QH"))
    else:
        quarter = ORDINALS[_key(m["ordinal"])]
    year_text = group(m, "year")
    relation = _key(group(m, "yearrel"))
    if half and quarter > 2:
        return None
    if year_text:
        year = parse_year(year_text)
    elif relation:
        year = c.dct.year + {"last": -1, "next": 1, "this": 0, "the": 0}[relation]
    elif half:
        return None
    elif m["ago"]:
        year = c.dct.year - 1
    else:
        year = _year_of_quarter(quarter, c)
    _check_year(year)
    return "DATE", f"{year:04d}-{'H' if half else 'Q'}{quarter}"


def _year_of_quarter(quarter: int, c: Context) -> int:
    """Year of a quarter named without one: quarters up to the DCT's are this year's
    (reports look back), later ones last year's unless the sentence looks ahead."""
    current = _quarter_of(c.dct.month)
    if c.tense == "present":
        return c.dct.year - 1 if quarter - current > 1 else c.dct.year
    if quarter <= current:
        return c.dct.year + 1 if c.tense == "future" and quarter < current - 1 else c.dct.year
    return c.dct.year if c.tense == "future" else c.dct.year - 1


_QUARTER_ENDED = re.compile(
    rf"\s+(?:that\s+)?(?:ended|ending)\s+(?P<month>{MONTH_NAME})\s+(?P<day>\d{{1,2}})(?!\d)(?:,?\s+(?P<year>\d{{4}})(?!\d))?"
)


def _norm_anaphoric_quarter(m: re.Match, c: Context):
    """'the quarter', 'the latest quarter', 'the current quarter', 'last quarter'."""
    relation = _key(group(m, "rel"))
    ended = _QUARTER_ENDED.match(c.text, c.end) if relation != "next" else None
    if ended:
        return "DATE", _quarter_ended(ended, c.dct)
    if relation in ("the current", "this", "the same"):
        offset = 0
    elif relation == "next":
        offset = 1
    else:
        offset = 0 if c.tense == "future" else -1
    return "DATE", _shift(c.dct, "Q", offset)


def _quarter_ended(ended: re.Match, dct: dt.date) -> str:
    """The calendar quarter most of a fiscal quarter ending on a date lies in: the quarter of the
    month before its last ('the quarter ended July 31' is May to July: the second quarter).
    Without a year, the date is the last such one up to the DCT."""
    month, day = month_number(ended["month"]), int(ended["day"])
    year = int(ended["year"]) if ended["year"] else dct.year - ((month, day) > (dct.month, dct.day))
    year, middle = _add_months(year, month, -1)
    return f"{year:04d}-Q{_quarter_of(middle)}"


def _norm_year(m: re.Match, c: Context):
    year = parse_year(group(m, "year"))
    if year is None:
        return None
    if m.group(0)[0].isdigit():
        if _is_part_of_a_name(c.text, c.start) or _is_part_of_a_number(c.text, c.start):
            return None
        if not _plausible_bare_year(year, c):
            return None
    half = _HALF_OF.match(m.group(0))
    if half:
        return "DATE", f"{_iso_year(year)}-H{1 if half[1].lower() == 'first' else 2}"
    return "DATE", _iso_year(year)


# A capitalised word right before a year makes it part of a name ("Windows 2000", "Office 2010",
# "Expo 2020"), which TimeML does not tag, unless the word is a function or time word ("In 2019").
_WORD_BEFORE = re.compile(r"(?<![\w.'’-])([A-Z][A-Za-z]*)[ \t]$")
_WORDS_BEFORE_A_YEAR = frozenset("""
a an in on at by for from since until till through before after during between and or but of to as than that this
these those the its their his her our my your about around circa only even also then last next early late mid end every each
year years fiscal calendar fy q1 q2 q3 q4 h1 h2 class summer spring fall autumn winter christmas easter
""".split())


def _is_part_of_a_name(text: str, start: int) -> bool:
    word = _WORD_BEFORE.search(text, max(0, start - 20), start)
    return word is not None and word[1].lower() not in _WORDS_BEFORE_A_YEAR


_HALF_OF = re.compile(r"(?:the\s+)?(first|second|last)\s+half\s+of", re.IGNORECASE)

def _is_part_of_a_number(text: str, start: int) -> bool:
    """'1.1646 dlrs', '$1990', '21987': the digits of a larger number or an amount, not a year."""
    before = text[max(0, start - 2) : start]
    return bool(before) and (before[-1] in "$£€¥" or (len(before) == 2 and before[0].isdigit() and before[1] in ".,"))


# A year far from the text's own time is rare enough that it needs a word that can only
# introduce a time ("in 1700", "since 1600"); without one, "about 1700 lawsuits" is a count and
# "fell 508 points to 1738" an index level.
_YEAR_INTRODUCERS = frozenset("in since until till during circa c. early late mid".split())
_WORD_JUST_BEFORE = re.compile(r"([A-Za-z.]+)[\s-]*$")


def _plausible_bare_year(year: int, c: Context) -> bool:
    if c.dct.year - 100 <= year <= c.dct.year + 30:
        return True
    word = _WORD_JUST_BEFORE.search(c.text, max(0, c.start - 12), c.start)
    return word is not None and word[1].lower() in _YEAR_INTRODUCERS


def _norm_short_fiscal_year(m: re.Match, c: Context):
    digits = m["fy"]
    if len(digits) == 4:
        year = int(digits)
    else:
        year = _full_year(int(digits), c.dct)
    return "DATE", _iso_year(year)


def _norm_decade(m: re.Match, c: Context):
    if m["decade"]:
        return "DATE", m["decade"][:3]
    short = group(m, "short")
    tens = int(short) // 10 if short else DECADE_WORDS[_key(m["word"])]
    century = c.dct.year // 100
    if tens > (c.dct.year % 100) // 10:
        century -= 1
    if century < 0:
        return None
    return "DATE", f"{century * 10 + tens:03d}"


def _norm_century(m: re.Match, c: Context):
    number = int(m["num"]) if m["num"] else ORDINALS[_key(m["word"])]
    if not 1 <= number <= 99:
        return None
    return "DATE", f"{number - 1:02d}"


def _norm_duration(m: re.Match, c: Context):
    unit = UNIT_CODES[_key(m["unit"])]
    number_text = _key(m["num"])
    if number_text in ("a", "an", "a single") and unit in ("Q", "S"):
        return None  # "a quarter of", "a second term"
    if m.group(0).lower().endswith("old"):
        return None  # ages: "a 44-year-old protester"
    if unit == "Q" and _is_fraction(number_text, m.group(0), c):
        return None  # "three-quarters of its food"
    amount = parse_number(number_text)
    if amount is not None and m["half"]:
        amount += 0.5
    direction = _key(m["dir"])
    if direction and amount is not None and amount > 1 and not m["half"] and _singular_after_space(m):
        return None  # "6,000 week ago": the number counts something else ("versus 6,000 [a] week ago")
    if not direction:
        if number_text in ("a", "an") and _AFTER_AN_AMOUNT.search(c.text, max(0, c.start - 40), c.start):
            return "SET", _duration_value(1, unit)  # "$1.76 a year", "700 seats a week"
        if _is_point_ahead(m, unit, amount, c):
            if amount is None:
                return "DATE", "FUTURE_REF"  # "will be back in a few weeks"
            return "DATE", _shift(c.dct, unit, int(amount))  # "will be redeemed in five years"
        return "DURATION", _duration_value(amount, unit)
    if amount is None:
        if direction in ("ago", "earlier", "back"):
            return "DATE", "PAST_REF"  # "a few years ago": some time in the past, a point not a length
        return "DURATION", _duration_value(None, unit)
    whole = int(amount)
    if whole == 0:
        return None
    sign = -1 if direction in ("ago", "earlier", "back") else 1
    if direction == "later":
        return "DATE", f"{_ANAPHORA} {unit} {whole}"  # "two years later": after the last date given
    if unit in ("DE", "CE"):
        return "DATE", _iso_year(c.dct.year + sign * whole * (10 if unit == "DE" else 100))
    return "DATE", _shift(c.dct, unit, sign * whole)


def _singular_after_space(m: re.Match) -> bool:
    """A unit in the singular, set apart from its number by a space: "3 week", not "3-week" or "3 weeks"."""
    return not m["unit"].lower().endswith("s") and not m.string[m.end("num"):m.start("unit")].strip(" \t\n")


# "in two weeks" in a future sentence is a point two weeks ahead; after "the first time",
# "the biggest rise"... it is the length looked back over ("the first rise in 12 years").
_IN_BEFORE = re.compile(r"((?:[\w'’-]+\s+){0,4})\bin\s+$", re.IGNORECASE)
_LENGTH_BEFORE_IN = re.compile(
    r"\b(?:time|times|first|once|only|ever|since|most|least|(?!(?:inter|re|te|pro|ar|sugg|inv|requ|har|gu|cont|for)est\b)\w{2,}est)\b",
    re.IGNORECASE,
)


def _is_point_ahead(m: re.Match, unit: str, amount: float | None, c: Context) -> bool:
    if unit not in ("D", "W", "M", "Q", "Y", "DE") or m.group(0)[:4].lower() == "the ":
        return False
    if amount is not None and amount != int(amount):
        return False
    before = _IN_BEFORE.search(c.text, max(0, c.start - 60), c.start)
    if before is None or _LENGTH_BEFORE_IN.search(before[1]):
        return False
    return c.tense == "future"


def _is_fraction(number_text: str, matched: str, c: Context) -> bool:
    """'a quarter of', 'three-quarters of': a share, not a time; 'several quarters of losses' is time."""
    if not re.match(r"\s+of\b", c.text[c.end:c.end + 4]):
        return False
    return "-quarter" in matched.lower() or parse_number(number_text) in (1, 2, 3)


# One to three words before "a year" that make it a rate: an amount, "times", "twice".
_AFTER_AN_AMOUNT = re.compile(
    r"(?:\d\S*|\btimes|\btwice|\bonce|\b(?:hundred|thousand|million|billion|dozen))(?:\s+(?!(?:in|for|within|over|than|of|about|after|before|nearly|almost|"
    r"just|only|barely|least|under|in)\b)[\w'’-]+){0,2}\s+$",
    re.IGNORECASE,
)


def _norm_vague_period(m: re.Match, c: Context):
    """'recent years', 'the coming weeks', 'months ago', 'for years'; 'a day-long meeting' lasts a day."""
    if m["single"]:
        return "DURATION", _duration_value(1, UNIT_CODES[_key(m["single"])])
    unit_word = _key(group(m, "unit"))
    if unit_word.endswith("-long") or unit_word.endswith("-old"):
        unit_word = unit_word.rsplit("-", 1)[0]
    if _key(m["mod"]) == "recent" and unit_word == "years":
        return "DATE", "PAST_REF"
    return "DURATION", _duration_value(None, UNIT_CODES[unit_word])


def _norm_fuzzy(m: re.Match, c: Context):
    return "DATE", FUZZY_VALUES[_key(m.group(0))]


def _norm_set(m: re.Match, c: Context):
    if m["adverb"]:
        return "SET", SET_ADVERBS[_key(m["adverb"])]
    if m["month"]:
        return "SET", f"XXXX-{month_number(m['month']):02d}"
    if m["season"]:
        return "SET", f"XXXX-{_SEASON_CODES[_season_position(SEASONS[_key(m['season'])])]}"
    if m["any_season"]:
        return "SET", "P3M"
    amount = parse_number(m["num"]) if m["num"] else 1
    if amount is None:
        return None
    if m["other"]:
        amount *= 2
    return "SET", _duration_value(amount, UNIT_CODES[_key(m["unit"])])


def _norm_weekday_set(m: re.Match, c: Context):
    value = f"XXXX-WXX-{WEEKDAYS[_key(group(m, 'weekday'))] + 1}"
    if group(m, "part"):
        value += "T" + DAY_PARTS[_key(group(m, "part"))]
    return "SET", value


def _norm_holiday(m: re.Match, c: Context):
    """'Christmas', 'last Thanksgiving', 'Easter 2024'; 'Easter week' is the ISO week holding Easter Sunday."""
    name = _key(m["name"])
    holiday = HOLIDAYS[name]
    iso = _iso_week if m["week"] else _iso_date
    if m["year"]:
        return "DATE", iso(holiday(parse_year(m["year"])))
    this_year = holiday(c.dct.year)
    if m["week"]:  # a week that has begun is not in the future
        this_year -= dt.timedelta(days=this_year.weekday())
    tense = {"last": "past", "next": "future", "this": "present"}.get(_key(m["rel"]), c.tense)
    year = _year_by_tense((this_year.month, this_year.day), (c.dct.month, c.dct.day), c.dct.year, tense)
    return "DATE", iso(holiday(year))


_NORMALISERS: dict[str, Normaliser] = {}


def _register() -> None:
    for name, _ in RULES:
        function = globals().get(f"_norm_{name}")
        if function is None:
            raise RuntimeError(f"rule {name} has no normaliser")
        _NORMALISERS[name] = function


# ---------------------------------------------------------------------------
# Small helpers


def _key(word: str | None) -> str:
    return " ".join((word or "").lower().replace("’", "'").split())


def _duration_value(amount: float | None, unit: str) -> str:
    """TIMEX3 duration: P3M, PT2H, PXY, P2Y6M for 2 1/2 years; quarters in months (ISO has no Q)."""
    if unit == "Q":
        amount, unit = (None if amount is None else amount * 3), "M"
    time_unit = unit in ("H", "MIN", "S")
    letter = {"MIN": "M", "DE": "DE", "CE": "CE"}.get(unit, unit)
    prefix = "PT" if time_unit else "P"
    if amount is None:
        return f"{prefix}X{letter}"
    whole = int(amount)
    fraction = amount - whole
    if fraction == 0:
        if unit == "DE":
            return f"P{whole * 10}Y"
        if unit == "CE":
            return f"P{whole * 100}Y"
        return f"{prefix}{whole}{letter}"
    smaller = {"Y": (12, "M", False), "D": (24, "H", True), "H": (60, "M", True), "MIN": (60, "S", True), "W": (7, "D", False)}
    if unit in smaller:
        factor, small_letter, small_is_time = smaller[unit]
        rest = round(fraction * factor)
        head = f"{prefix}{whole}{letter}" if whole else prefix
        if small_is_time and not time_unit:
            return f"{head}T{rest}{small_letter}"
        return f"{head}{rest}{small_letter}"
    return f"{prefix}{amount:g}{letter}"


def _with_part_of_day(date_value: str, part: str | None):
    """'Friday night' is typed DATE in TimeBank, with the part of day in the value."""
    if part:
        return "DATE", f"{date_value}T{DAY_PARTS[_key(part)]}"
    return "DATE", date_value


FUZZY_VALUES = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF", "at present": "PRESENT_REF",
    "presently": "PRESENT_REF", "nowadays": "PRESENT_REF", "current": "PRESENT_REF", "then current": "PAST_REF", "these days": "PRESENT_REF", "at the moment": "PRESENT_REF",
    "recently": "PAST_REF", "lately": "PAST_REF", "more recently": "PAST_REF",
    "the time": "PAST_REF",
    "the past": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF", "the near term": "FUTURE_REF",
    "the short term": "FUTURE_REF", "the long term": "FUTURE_REF", "the longer term": "FUTURE_REF",
    "the foreseeable future": "FUTURE_REF", "the distant future": "FUTURE_REF", "someday": "FUTURE_REF",
    "soon": "FUTURE_REF", "coming months": "FUTURE_REF", "the coming months": "FUTURE_REF",
    "a later date": "FUTURE_REF", "a future date": "FUTURE_REF",
}

SET_ADVERBS = {
    "daily": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M", "annually": "P1Y", "yearly": "P1Y",
    "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W", "biannually": "P6M", "semiannually": "P6M",
    "every day": "P1D", "each day": "P1D",
}


# ---------------------------------------------------------------------------
# Document-level resolution


_QUARTER_VALUE = re.compile(r"^(\d{4})-Q(\d)$")
# Comparisons that mean "the same quarter" when a quarter is being reported.
_NEEDS_QUARTER = re.compile(
    r"(?i)^(?:the\s+)?(?:a\s+year\s+(?:ago|earlier)|(?:\w+\s+)?year-(?:ago|earlier)|\d{4}\s+(?:quarter|period)"
    r"|(?:\w+\s+)?(?:quarter|period)\s+(?:of\s+)?(?:last|a|the)\s|last\s+year['’]s\s)"
)
_QUARTER_REACH = 400


# "compared with $3 million last year", "up from last year's $2.3 billion": a comparison.
_COMPARISON_BEFORE = re.compile(r"(?i)(?:\b(?:compared\s+(?:with|to)|versus|vs\.)\s[^.;:]{0,50}|\bfrom\s+)$")


def _needs_quarter(timex: Timex, text: str) -> bool:
    if _NEEDS_QUARTER.match(timex.text):
        return True
    return timex.text.lower() == "last year" and bool(_COMPARISON_BEFORE.search(text, max(0, timex.start - 60), timex.start))


def _resolve_year_ago(found: list[Timex], text: str) -> list[Timex]:
    """Financial convention: 'a year ago', 'the 1988 period' or a comparison with 'last year' next to a
    reported quarter means that quarter."""
    quarters = [
        (timex.start, timex.end, match)
        for timex in found
        if (match := _QUARTER_VALUE.match(timex.value)) and not _NEEDS_QUARTER.match(timex.text)
    ]
    if not quarters:
        return found
    resolved = []
    for timex in found:
        if _needs_quarter(timex, text):
            quarter = _nearest_quarter(quarters, timex)
            if quarter is not None:
                year = int(timex.value[:4]) if re.fullmatch(r"\d{4}", timex.value) else int(quarter[1]) - 1
                if year >= MIN_YEAR:
                    timex = Timex(timex.start, timex.end, timex.text, "DATE", f"{year:04d}-Q{quarter[2]}")
        resolved.append(timex)
    return resolved


def _nearest_quarter(quarters: list[tuple[int, int, re.Match]], timex: Timex) -> re.Match | None:
    """The quarter mentioned last before the expression, or else soon after it."""
    before = [match for start, end, match in quarters if end <= timex.start and timex.start - end < _QUARTER_REACH]
    if before:
        return before[-1]
    after = [match for start, end, match in quarters if start >= timex.end and start - timex.end < _QUARTER_REACH // 2]
    return after[0] if after else None


_ANAPHORA = "ANAPHORA"
_ANAPHORIC_SHIFT = {"that": 0, "the following": 1, "the next": 1, "the previous": -1, "the prior": -1, "the same": 0}
_GRANULARITY = {"D": 10, "W": 10, "M": 7, "Q": 7, "Y": 4, "DE": 4, "CE": 4, "H": 10, "MIN": 10, "S": 10}


def _norm_anaphoric_period(m: re.Match, c: Context):
    """'later that year', 'the following month', 'that night', 'until then': placed at or after the
    date the text last gave ('then' is that date itself)."""
    if m["then"]:
        return "DATE", f"{_ANAPHORA} D 0"
    if m["day_part"]:
        return "TIME", f"{_ANAPHORA} PART {DAY_PARTS[_key(m['day_part'])]}"
    if m["part"]:
        shift = _ANAPHORIC_SHIFT[_key(m["rel3"])]
        return "DATE", f"{_ANAPHORA} D {shift} {DAY_PARTS[_key(m['part'])]}"
    unit = UNIT_CODES[_key(group(m, "unit"))]
    return "DATE", f"{_ANAPHORA} {unit} {_ANAPHORIC_SHIFT[_key(group(m, 'rel'))]}"


_ANCHOR_VALUE = re.compile(r"^\d{4}(?:-\d\d(?:-\d\d)?)?")


_CLOCK_REACH = 300


def _resolve_anaphora(found: list[Timex], dct: dt.date) -> list[Timex]:
    """Give 'that year', 'the following month'... the value of the last date before them, shifted.

    A clock time without a day ('at 10 p.m.') is on the day mentioned just before
    it, if one was (within a few sentences), else on the DCT.
    """
    anchor, anchor_end = _iso_date(dct), 0
    quarter = None  # the last quarter named: 'that quarter', 'the following quarter' count from it
    resolved = []
    for timex in found:
        if timex.value.startswith(_ANAPHORA):
            _, unit, shift, *part = timex.value.split()
            if unit == "WD":  # "ANAPHORA WD <weekday> <-1|1>"
                weekday, direction = int(shift), "last" if part[0] == "-1" else "next"
                day = dt.date.fromisoformat(anchor) if len(anchor) == 10 else dct
                try:
                    value = _iso_date(_weekday_date(weekday, day, direction))
                except OverflowError:  # past the calendar's ends
                    value = _iso_date(day)
            elif unit == "Q" and quarter is not None:
                year, number = quarter
                value = _shift(dt.date(year, 3 * number - 2, 1), "Q", int(shift)) if year >= MIN_YEAR else anchor
            elif unit in ("TIME", "PART"):  # a clock time or part of the day: the day just named, or the DCT
                near = len(anchor) == 10 and timex.start - anchor_end < _CLOCK_REACH and anchor_end
                value = f"{anchor if near else _iso_date(dct)}T{shift}"
            else:
                value = _shift_anchor(anchor, dct, unit, int(shift))
                if part and len(value) == 10:
                    value += f"T{part[0]}"  # 'that night': the day's night
            timex = Timex(timex.start, timex.end, timex.text, timex.type, value)
        elif timex.type in ("DATE", "TIME") and (match := _ANCHOR_VALUE.match(timex.value)):
            anchor, anchor_end = match.group(0), timex.end
            if quarter_match := _QUARTER_VALUE.match(timex.value):
                quarter = int(quarter_match[1]), int(quarter_match[2])
        resolved.append(timex)
    return resolved


def _shift_anchor(anchor: str, dct: dt.date, unit: str, shift: int) -> str:
    """The anchor moved by shift units; an anchor coarser than the unit keeps its own granularity
    and is not moved ('the next day' after 'in 2019' is most likely still in 2019)."""
    granularity = {4: "Y", 7: "M", 10: "D"}[len(anchor)]
    if unit in ("DE", "CE"):
        unit, shift = "Y", shift * (10 if unit == "DE" else 100)
    if len(anchor) < _GRANULARITY[unit]:
        unit, shift = granularity, 0
    year = int(anchor[:4])
    month = int(anchor[5:7]) if len(anchor) >= 7 else 1
    day = int(anchor[8:10]) if len(anchor) >= 10 else 1
    try:
        return _shift(dt.date(year, month, day), unit, shift)
    except (ValueError, OverflowError):
        return _iso_year(dct.year)


def _norm_year_ago(m: re.Match, c: Context):
    """'year-earlier', 'the year-ago period': the year before (a quarter in quarterly reports)."""
    return "DATE", _iso_year(c.dct.year - 1)


def _norm_year_period(m: re.Match, c: Context):
    """'the 1988 period': that year (that year's quarter in quarterly reports)."""
    return "DATE", _iso_year(parse_year(m["year"]))


_register()
