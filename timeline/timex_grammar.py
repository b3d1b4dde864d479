"""The grammar of temporal expressions: word lists, number and year parsing, and the rules.

``RULES`` is an ordered list of (rule name, regex). The tagger tries them in
order, so at a given position an earlier rule wins over a later one:
longer, more specific forms come first. Named groups may repeat across the
alternatives of one rule with a numeric suffix (``unit``, ``unit2``); the
normalisers read them with ``group()`` below. Matching is case-insensitive
except for month and weekday names, which must be capitalised (so the modal
"may", the verb "march" or "sun" never start a date).
"""

from __future__ import annotations

import datetime as dt
import re

# ---------------------------------------------------------------------------
# Word lists

_MONTH_PREFIXES = {name[:3]: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}


def month_number(name: str) -> int:
    """1..12 for a month name or abbreviation in any case ('Sept.', 'JUNE', 'Jun')."""
    return _MONTH_PREFIXES[name[:3].lower()]


WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "tues.": 1, "wed.": 2, "thurs.": 3, "thu.": 3, "fri.": 4,
}
SEASONS = {"spring": 0, "summer": 1, "fall": 2, "autumn": 2, "winter": 3}
DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
UNIT_CODES = {
    "second": "S", "seconds": "S", "minute": "MIN", "minutes": "MIN", "hour": "H", "hours": "H",
    "day": "D", "days": "D", "week": "W", "weeks": "W", "month": "M", "months": "M",
    "quarter": "Q", "quarters": "Q", "year": "Y", "years": "Y", "decade": "DE", "decades": "DE",
    "century": "CE", "centuries": "CE", "fiscal year": "Y",
}
_SMALL_NUMBERS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS = {word: value for value, word in enumerate(_SMALL_NUMBERS)} | _TENS
_ORDINAL_SMALL = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
]
ORDINALS = {word: value for value, word in enumerate(_ORDINAL_SMALL, start=1)}
ORDINALS |= {"twentieth": 20, "thirtieth": 30}
for _unit_value, _unit_word in enumerate(_ORDINAL_SMALL[:9], start=1):
    ORDINALS[f"twenty-{_unit_word}"] = ORDINALS[f"twenty {_unit_word}"] = 20 + _unit_value
ORDINALS["thirty-first"] = ORDINALS["thirty first"] = 31
ORDINALS |= {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7, "eighties": 8, "nineties": 9}
VAGUE_AMOUNTS = {"a few", "few", "several", "many", "some", "a number of", "numerous", "countless", "dozens of", "hundreds of"}


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th weekday (0=Monday) of a month; n=-1 is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def easter(year: int) -> dt.date:
    """Easter Sunday of a Gregorian year (the computus: the Sunday after the Paschal full moon)."""
    golden = year % 19
    century, rest = divmod(year, 100)
    lag = (century - (century + 8) // 25 + 1) // 3
    moon = (19 * golden + century - century // 4 - lag + 15) % 30
    sunday_gap = (32 + 2 * (century % 4) + 2 * (rest // 4) - moon - rest % 4) % 7
    correction = (golden + 11 * moon + 22 * sunday_gap) // 451
    month, day = divmod(moon + sunday_gap - 7 * correction + 114, 31)
    return dt.date(year, month, day + 1)


HOLIDAYS = {
    "christmas": lambda y: dt.date(y, 12, 25), "christmas day": lambda y: dt.date(y, 12, 25),
    "christmas eve": lambda y: dt.date(y, 12, 24), "new year's day": lambda y: dt.date(y, 1, 1),
    "new year's eve": lambda y: dt.date(y, 12, 31), "independence day": lambda y: dt.date(y, 7, 4),
    "halloween": lambda y: dt.date(y, 10, 31), "valentine's day": lambda y: dt.date(y, 2, 14),
    "veterans day": lambda y: dt.date(y, 11, 11), "boxing day": lambda y: dt.date(y, 12, 26),
    "thanksgiving": lambda y: nth_weekday(y, 11, 3, 4), "thanksgiving day": lambda y: nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: nth_weekday(y, 9, 0, 1), "memorial day": lambda y: nth_weekday(y, 5, 0, -1),
    "election day": lambda y: nth_weekday(y, 11, 0, 1) + dt.timedelta(days=1),
    "easter": easter, "easter sunday": easter, "easter day": easter,
    "easter monday": lambda y: easter(y) + dt.timedelta(days=1),
    "good friday": lambda y: easter(y) - dt.timedelta(days=2),
    "palm sunday": lambda y: easter(y) - dt.timedelta(days=7),
}

# ---------------------------------------------------------------------------
# Parsing numbers and years


def group(match: re.Match, name: str) -> str | None:
    """The first matched group called name, name2, name3..."""
    for key, value in match.groupdict().items():
        if value is not None and key.rstrip("0123456789") == name:
            return value
    return None


def _words(text: str) -> list[str]:
    return re.sub(r"[\s-]+", " ", text.lower().replace(",", "")).split()


def _small_number(tokens: list[str]) -> int | None:
    """0..99 written as words or digits ('ninety six', 'twelve', '42')."""
    if len(tokens) == 1 and tokens[0].isdigit():
        return int(tokens[0])
    if len(tokens) == 1:
        return NUMBER_WORDS.get(tokens[0])
    if len(tokens) == 2 and tokens[0] in _TENS and tokens[1] in NUMBER_WORDS and NUMBER_WORDS[tokens[1]] < 10:
        return _TENS[tokens[0]] + NUMBER_WORDS[tokens[1]]
    return None


def parse_number(text: str | None) -> float | None:
    """The amount a number phrase stands for; None for vague amounts ('several', 'a few')."""
    if text is None:
        return None
    phrase = " ".join(_words(text))
    if phrase in VAGUE_AMOUNTS:
        return None
    half = 0.0
    for ending in (" and a half", " 1/2", " ½"):
        if phrase.endswith(ending):
            phrase, half = phrase[: -len(ending)], 0.5
    if phrase in ("a half", "half a", "half an", "half"):
        return 0.5
    if phrase in ("a", "an", "one", "a single", "single"):
        return 1 + half
    if phrase in ("a couple of", "couple of", "a couple", "a pair of"):
        return 2 + half
    if phrase in ("a dozen", "dozen"):
        return 12 + half
    if re.fullmatch(r"\d+(?:\.\d+)?", phrase):
        return float(phrase) + half if "." in phrase else int(phrase) + half
    tokens = phrase.split()
    if tokens and tokens[0] == "a" and tokens[-1] == "hundred":
        return 100 + half
    if tokens and tokens[-1] == "hundred":
        base = _small_number(tokens[:-1])
        return None if base is None else base * 100 + half
    value = _small_number(tokens)
    return None if value is None else value + half


def parse_year(text: str | None) -> int | None:
    """A year written in digits or words ('1998', 'nineteen ninety-six', 'two thousand')."""
    if text is None:
        return None
    tokens = _words(text)
    if len(tokens) == 1 and tokens[0].isdigit():
        return int(tokens[0])
    if tokens[:2] == ["two", "thousand"]:
        rest = [t for t in tokens[2:] if t != "and"]
        return 2000 + (_small_number(rest) or 0 if rest else 0)
    head = NUMBER_WORDS.get(tokens[0]) if tokens else None
    if head is None or len(tokens) < 2:
        return None
    if tokens[1:] == ["hundred"]:
        return head * 100
    if tokens[1] == "oh" and len(tokens) == 3:
        rest = _small_number(tokens[2:])
    else:
        rest = _small_number(tokens[1:])
    return None if rest is None else head * 100 + rest


# ---------------------------------------------------------------------------
# Building blocks (plain regex text)


def trie_regex(words: list[str], ignore_case: bool = True, tails: dict[str, str] | None = None) -> str:
    """A regex matching exactly these words, as a trie: each branch starts with one character class.

    With ignore_case, lowercase letters also match their capitals. tails maps words to a regex
    that must match after them (where the trie reaches their end, so one pass tests both).
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = (tails or {}).get(word, "")
    return _trie_node(trie, ignore_case)


def _trie_node(node: dict, ignore_case: bool) -> str:
    branches = []
    for char in sorted(k for k in node if k):
        variants = {char, char.upper()} if ignore_case and char.islower() else {char}
        head = re.escape(char) if len(variants) == 1 else "[" + "".join(sorted(variants)) + "]"
        branches.append(head + _trie_node(node[char], ignore_case))
    tail = node.get("")
    if tail:  # tried after the longer words, as the `?` below would
        branches.append(tail)
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if tail == "" else body

def _alternation(words) -> str:
    """Any of the words (a space in one stands for any whitespace), as a trie: where several
    match, the longest is tried first, as a list sorted by length would, but a word is ruled
    out at its first wrong character instead of trying every word in turn."""
    return "(?:" + trie_regex(list(set(words)), ignore_case=False).replace(r"\ ", r"\s+") + ")"


MONTH_NAME = (
    r"(?-i:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.?|Apr(?:il|\.)?|May|June?\.?|July?\.?|Aug(?:ust|\.)?"
    r"|Sep(?:tember|t\.|t|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?"
    r"|JANUARY|FEBRUARY|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER"
    # lowercase only where no verb or modal shares the name ('march', 'may')
    r"|january|february|april|june|july|august|september|october|november|december)"
)
# A month named alone: "May" and "March" only after a word that makes them a date.
_MONTH_CONTEXT = "|".join(
    f"(?<={word} )" for word in (
        "in", "In", "since", "Since", "until", "by", "of", "last", "Last", "next", "this", "early", "late",
        "Early", "Late", "through", "from", "From", "to", "before", "after", "during", "and", "or", "mid", "that",
        "between", "Between", "end", "around", "past", "coming", "until", "till", "for", "of", "in early", "in late",
    )
)
MONTH_ALONE = (
    r"(?:(?-i:Jan(?:uary|\.)|Feb(?:ruary|\.)|Apr(?:il|\.)|June|Jun\.|July|Jul\.|Aug(?:ust|\.)"
    r"|Sep(?:tember|t\.|\.)|Oct(?:ober|\.)|Nov(?:ember|\.)|Dec(?:ember|\.))"
    # a look-ahead for the month first, so the many look-behinds run only before a May or March
    rf"|(?=(?-i:Ma[ry]))(?:{_MONTH_CONTEXT}|(?<=mid-))(?-i:May|March|Mar\.))"
)
WEEKDAY = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Tues\.|Wed\.|Thurs\.|Thu\.|Fri\.)"
SEASON = r"(?:spring|summer|autumn|winter|fall)"
YEAR4 = r"(?:1[6-9]\d\d|20\d\d)(?!\d)"
_UNIT_WORD = _alternation(w for w in NUMBER_WORDS if NUMBER_WORDS[w] < 10 and w != "zero")
_TEEN_WORD = _alternation(w for w in NUMBER_WORDS if 10 <= NUMBER_WORDS[w] < 20)
_TENS_WORD = _alternation(_TENS)
_WORD_0_99 = rf"(?:{_TENS_WORD}(?:[\s-]{_UNIT_WORD})?|{_TEEN_WORD}|{_UNIT_WORD})"
SPELLED_YEAR = (
    rf"(?:(?:nineteen|eighteen)\s+(?:hundred|oh[\s-]{_UNIT_WORD}|{_TENS_WORD}(?:[\s-]{_UNIT_WORD})?|{_TEEN_WORD})"
    rf"|twenty\s+(?:{_TENS_WORD}(?:[\s-]{_UNIT_WORD})?|{_TEEN_WORD}))"
)
SPELLED_2000S = rf"two\s+thousand(?:\s+(?:and\s+)?{_WORD_0_99})?"
NUMBER = (
    r"(?:(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+1/2|\s*½)?"
    rf"|(?:a|one|two|three|four|five|six|seven|eight|nine)\s+hundred|{_WORD_0_99}(?:[\s-]+and[\s-]+a[\s-]+half)?"
    r"|a\s+couple(?:\s+of)?|couple\s+of|a\s+dozen|dozens\s+of|hundreds\s+of|a\s+pair\s+of|half\s+an?|a\s+half|an?|a\s+single)"
)
# Lists of words below are tries (_alternation): a word is ruled out at its first wrong
# character. No two words of a list can both lead to a match (where one is the start of another,
# the rule needs a space or the end of a word after it), so their order does not matter.
VAGUE = _alternation(["a few", "few", "several", "many", "some", "a number of", "numerous"])
_PLURAL_UNIT_WORDS = ["seconds", "minutes", "hours", "days", "weeks", "months", "quarters", "years", "decades", "centuries"]
UNITS = _alternation(_PLURAL_UNIT_WORDS + [w[:-1] for w in _PLURAL_UNIT_WORDS[:-1]] + ["century"])
PLURAL_UNITS = _alternation(_PLURAL_UNIT_WORDS)
_AMOUNT_MODIFIER = _alternation(
    "more additional full straight consecutive long short trading business calendar working".split()
)
PART = r"(?:morning|afternoon|evening|night)"
QUANTIFIER = "(?:" + _alternation(
    "about around approximately nearly almost roughly some just only barely".split()
    + ["more than", "less than", "fewer than", "at least", "at most", "up to", "no more than", "no less than",
       "upwards of", "the last", "the past", "the next", "the first", "the final"]
) + r"|over(?!\s+the\b)|under(?!\s+the\b))"
EDGE = (
    r"(?:(?:the\s+)?(?:very\s+)?" + _alternation(
        "end beginning start middle close turn rest remainder balance bulk spring summer fall autumn winter".split()
        + ["first half", "second half", "last half", "early part", "latter part", "later part"]
    ) + r"\s+of\s+"
    rf"|{_alternation(['early', 'late', 'mid', 'earlier', 'later'])}(?:\s+in)?\s+|{_alternation(['early', 'late', 'mid', 'end'])}-)"
)
RELATIVE = _alternation(
    ["this past", "this coming", "this", "last", "next", "the past", "the last", "the previous", "the next", "the coming",
     "the following", "the current", "current", "the prior", "prior", "coming"]
)
# A number after these labels is an identifier: "Room 1998", "Page 2010", "Flight 2019".
_LABELS = ("room", "page", "no.", "number", "flight", "route", "gate", "section", "chapter", "article", "form",
           "part", "issue", "vol.", "version", "model", "highway", "interstate", "suite", "box", "code")
LABELLED = "".join(f"(?<!{re.escape(label)} )(?<!{re.escape(label.capitalize())} )" for label in _LABELS)
NUMERIC_NOUN = (
    r"(?!\s*(?:%|percent|per\s*cent|hours?\b|GMT|UTC|feet|foot|miles|meters|metres|km|kilometers|tons|tonnes|"
    r"acres|barrels|shares|people|workers|employees|troops|soldiers|points|units|votes|members|students|cases|"
    r"deaths|copies|times|rooms|customers|companies|cars|vehicles|jobs|pounds|yen|dollars|euros|[-/]\d))"
)

HOLIDAY = (
    r"(?-i:Christmas(?:\s+Day|\s+Eve)?|New\s+Year['’]s(?:\s+Day|\s+Eve)?|Thanksgiving(?:\s+Day)?|Independence\s+Day|"
    r"Labor\s+Day|Memorial\s+Day|Halloween|Valentine['’]s\s+Day|Veterans\s+Day|Election\s+Day|Boxing\s+Day|"
    r"Easter(?:\s+(?:Sunday|Day|Monday))?|Good\s+Friday|Palm\s+Sunday)"
)

FUZZY = _alternation([
    "now", "right now", "currently", "at present", "presently", "nowadays", "these days", "at the moment",
    "recently", "lately", "more recently", "the future", "the near future", "the near term",
    "the short term", "the long term", "the longer term", "the foreseeable future", "the distant future",
    "someday", "coming months", "the coming months", "a later date", "a future date",
]) + r"|(?:then\s+)?current(?=\s+(?!account|assets|liabilities|ratio|affairs|yield|flows?|events)[a-z])"
# "at the time" (not "at the time of..."): back then.
FUZZY += r"|(?<=at\s)the\s+time(?!\s+(?:of|when|to|for)\b)"
FUZZY += r"|(?<!as\s)soon(?!\s+as\b|\s+after\b|-)|(?<=in\s)the\s+past(?!\s+(?:\d|few|several))|(?<=In\s)the\s+past"

SET_ADVERB = _alternation(["daily", "weekly", "monthly", "annually", "yearly", "hourly", "nightly",
                           "biweekly", "semiannually", "every day", "each day"])

# ---------------------------------------------------------------------------
# The rules, most specific first

# Wire copy writes clock times as four digits before a time zone: "at 1600 EDT", "1400 est/2100 gmt".
WIRE_TIME_ZONE = r"(?i:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST|JST|HKT|SGT|AEST|local\s+time|hrs)\b"
# ... or the first of two such times: "from 1700 to 2100 local time"
WIRE_TIME_FOLLOWS = rf"\s*{WIRE_TIME_ZONE}|\s*(?:to|and|-|–)\s*(?:[01]\d|2[0-3])[0-5]\d\s*{WIRE_TIME_ZONE}"

_DURATION_MODIFIER = _alternation(
    "the another additional past last next first final previous coming following latest remaining ensuing preceding "
    "initial subsequent entire full whole".split() + ["an additional"]
)

RULES: list[tuple[str, str]] = [
    ("iso", r"(?P<y>\d{4})-(?P<mo>\d\d)-(?P<d>\d\d)(?:T(?P<h>\d\d):(?P<mi>\d\d)(?::\d\d)?)?"),
    ("numeric", r"(?P<mo>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})(?![/\d])"),
    ("clock",
     r"(?:(?:around|about|approximately)\s+)?"
     r"(?:(?P<hour>\d{1,2})(?:[:.](?P<minute>\d\d))?\s*(?:(?P<ampm>[ap]\.\s?m\.?|[ap]m\b)|\s*o['’]clock|(?=\s+in\s+the\s+(?:morning|afternoon|evening)))"
     r"|(?P<hour24>[01]?\d|2[0-3]):(?P<minute24>[0-5]\d)(?=\s*(?-i:GMT|UTC|[ECMP][SD]T|ET|PT|BST|CET)\b)"
     rf"|(?<![\d.,$])(?P<wire_hour>[01]\d|2[0-3])(?P<wire_minute>[0-5]\d)(?={WIRE_TIME_FOLLOWS})"
     r"|(?<!high\s)(?P<special>noon|midnight|midday))"
     r"(?:\s+in\s+the\s+(?P<partword>morning|afternoon|evening))?"
     r"(?:\s+(?-i:[ECMP][SD]T|GMT|UTC|ET|PT|BST|CET))?"
     rf"(?:(?:\s*\([^()\n]{{1,20}}\))?,?\s+(?:on\s+)?(?P<weekday>{WEEKDAY})|\s+(?P<relday>today|tonight|yesterday|tomorrow)"
     rf"|,?\s+(?:on\s+)?(?P<month>{MONTH_NAME})\s+(?P<day>[0-3]?\d)(?!\d))?"),
    ("month_day",
     rf"(?:(?P<weekday>{WEEKDAY}),?\s+)?(?P<month>{MONTH_NAME})\s+"
     rf"(?:(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:.,]\d)|(?:the\s+)?(?P<dayword>{_alternation(ORDINALS)}))"
     rf"(?:,?\s+(?P<year>{YEAR4}))?"),
    ("week_of", rf"the\s+week\s+of\s+(?P<month>{MONTH_NAME})\s+(?P<day>[0-3]?\d)(?!\d)(?:,?\s+(?P<year>{YEAR4}))?"),
    ("nth_weekday", (
        rf"the\s+(?P<ordinal>first|second|third|fourth|last|final)\s+(?P<weekday>{WEEKDAY})\s+(?:in|of)\s+"
        rf"(?P<month>{MONTH_ALONE}|{MONTH_NAME}(?=,?\s+{YEAR4}))(?:,?\s+(?P<year>{YEAR4}))?"
    )),
    ("week_of_month",
     r"the\s+(?P<ordinal>first|second|third|fourth|last|final)\s+week\s+of\s+"
     rf"(?:(?P<month>{MONTH_ALONE})(?:,?\s+(?P<year>{YEAR4}))?|(?P<whole_year>{YEAR4}))"),
    ("day_month",
     rf"(?:(?P<weekday>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<month>{MONTH_NAME})"
     rf"(?:,?\s+(?P<year>{YEAR4}))?"),
    ("month_year", rf"(?:{EDGE})?(?P<month>{MONTH_NAME})(?:\s+of|,)?\s+(?P<year>{YEAR4}|{SPELLED_YEAR})"),
    ("holiday",
     rf"(?:(?P<rel>last|next|this)\s+)?(?P<name>{HOLIDAY})(?:\s+(?P<week>week)(?![\w-]))?(?:,?\s+(?P<year>{YEAR4}))?"),
    ("quarter",
     r"(?:(?P<yearrel>this|last|next)\s+year['’]s\s+|(?:the|this)\s+(?![^-\s]+-quarter))?"
     rf"(?:(?P<year>{YEAR4})\s+)?(?:(?:fiscal|calendar)[\s-]+|(?P<ago>year-(?:ago|earlier))\s+)?"
     r"(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?(?P<period>quarter|half)"
     rf"(?:\s+(?:of\s+)?(?:(?:fiscal|calendar)\s+)?(?:year\s+)?(?P<year2>{YEAR4}))?"
     r"(?:\s+(?P<yearrel2>last|next|this)\s+year|\s+of\s+(?P<yearrel3>the|this|last|next)\s+(?:fiscal\s+)?year(?![\w-]))?"
     rf"|(?P<qnum>Q[1-4]|[1-4]Q|H[12])(?:\s+(?:of\s+)?(?:FY\s?)?(?P<year3>{YEAR4}))?"),
    ("year_ago",
     r"(?:the\s+)?(?:(?:comparable|corresponding|same)\s+)?year-(?:ago|earlier)(?:\s+(?:quarter|period)(?!s))?"
     r"|(?:the\s+)?(?:(?:comparable|corresponding|same)\s+)?(?:quarter|period)\s+(?:of\s+)?"
     r"(?:last\s+year|a\s+year\s+(?:ago|earlier)|the\s+(?:previous|prior)\s+year)"
     r"|last\s+year['’]s\s+(?:quarter|period)(?!s)"),
    ("anaphoric_quarter",
     r"(?P<rel>the(?:\s+(?:latest|most\s+recent|current|just[\s-]ended|recent|past|same))?|this|last|next|its(?:\s+latest)?)"
     r"\s+(?:fiscal\s+)?quarter(?!s)|(?P<rel2>the\s+(?:latest|most\s+recent))\s+period"),
    ("year_period", rf"the\s+(?P<year>{YEAR4})\s+(?:quarter|period)(?!s)"),
    ("anaphoric_period",
     rf"(?:{EDGE})?(?:(?P<rel>that|the\s+following|the\s+previous|the\s+prior)\s+(?:same\s+)?)(?P<unit>day|month|year|quarter)(?![\w-])"
     r"|(?P<rel2>the\s+next|the\s+same)\s+(?P<unit2>day)(?![\w-])"
     rf"|(?:(?:early|late)\s+)?(?P<rel3>that|the\s+next|the\s+following|the\s+previous|the\s+same)\s+(?:same\s+)?(?P<part>{PART})(?![\w-])"
     r"|(?:(?<=until\s)|(?<=by\s)|(?<=before\s)|(?<=till\s))(?P<then>then)(?![\w-])"
     # 'in the morning', 'by mid afternoon': that part of the day just spoken of
     r"|(?:(?<=in\s)|(?<=by\s)|(?<=during\s)|(?<=until\s)|(?<=In\s)|(?<=By\s)|(?<=During\s))"
     rf"(?:the\s+(?:(?:early|late)\s+)?(?:mid[\s-]?)?|mid[\s-]?)(?P<day_part>{PART})(?![\w-])"
     r"(?!\s+(?:of|hours|edition|session|papers?|news|shows?)\b)"),
    ("relative_day",
     r"(?:(?:early|late|earlier|later)\s+)?(?P<before>the\s+day\s+(?:before|after)\s+)?"
     rf"(?:(?:mid[\s-]?)?(?P<part_first>{PART})\s+(?=(?:today|yesterday|tomorrow)\b))?"
     rf"(?P<word>today|tonight|yesterday|tomorrow)(?:\s+(?P<part>{PART}))?"),
    ("part_of_day", rf"(?P<rel>this|last|early\s+this|late\s+last|late\s+this|later\s+this)\s+(?P<part>{PART})"),
    ("weekday_set",
     rf"(?:(?:every|each)\s+(?P<weekday>{WEEKDAY})|(?P<weekday2>{WEEKDAY})s)(?:\s+(?P<part>{PART})s?)?"
     rf"|(?P<weekday3>{WEEKDAY})\s+(?P<part2>{PART})s(?![\w'’])"),
    ("weekday",
     r"(?:(?P<rel>this\s+past|this\s+coming|this|last|next|the\s+previous|the\s+following|coming|past|early|late|earlier|later)\s+)?"
     rf"(?P<weekday>{WEEKDAY})(?:\s+(?P<part>{PART}))?"),
    ("duration",
     rf"(?:{QUANTIFIER}\s+)?(?:{_DURATION_MODIFIER}\s+){{0,2}}"
     rf"(?P<num>{NUMBER}|{VAGUE})(?:[\s-]+{_AMOUNT_MODIFIER})?"
     rf"[\s-]+(?P<unit>{UNITS})(?P<half>\s+and\s+a\s+half)?(?:[\s-](?:old|long))?(?:\s+or\s+so)?"
     r"(?:\s+(?P<dir>ago|earlier|later|from\s+now|hence|back))?"),
    ("vague_period",
     r"(?:(?P<mod>recent|the\s+coming|coming|upcoming|the\s+past|past|the\s+last|the\s+next|the\s+ensuing|"
     rf"the\s+following|the\s+previous|previous|the\s+early|the\s+later)\s+(?P<unit>{PLURAL_UNITS})"
     rf"|(?P<unit2>{PLURAL_UNITS})\s+(?P<dir>ago|earlier)|(?:(?<=for\s)|(?<=within\s)|(?<=in\s))(?P<unit3>years|decades|months|weeks|centuries|days|hours)"
     r"|(?P<unit4>years|decades|months|weeks|centuries|days)-(?:long|old)"
     r"|(?P<single>hour|day|week|month|year|decade|century)-long"
     r"|(?:(?<=over\s)|(?<=through\s)|(?<=throughout\s)|(?<=Over\s))the\s+(?P<unit7>years|decades|centuries)(?![\w-])"
     rf"|(?<=the\s)(?P<unit5>{PLURAL_UNITS})(?=\s+(?:ahead|before|after|following|that\s+followed|since|to\s+come|of\b))(?:\s+ahead|\s+to\s+come)?)"),
    ("edge_of_period",
     rf"(?P<edge>{EDGE})(?P<rel>this|last|next|the\s+current|the)\s+(?:fiscal\s+)?(?P<unit>year|month|week|quarter|decade|century)"
     r"|(?P<unit2>year|month|quarter)(?:-|\s+|['’]s\s+)end"),
    ("season",
     rf"(?P<edge>{EDGE})?(?:(?P<rel>{RELATIVE}|the)\s+)?(?P<season>{SEASON})(?:\s+(?:of\s+)?(?P<year>{YEAR4}|{SPELLED_YEAR}))?"),
    ("relative_period",
     rf"(?P<rel>{RELATIVE})\s+(?:fiscal\s+)?(?P<unit>year|month|week|decade|century|quarter)(?![\w-])"
     rf"|(?P<rel2>this|last|next|the|this\s+past|this\s+coming)\s+(?P<weekend>weekend)"
     r"|the\s+(?P<mod>full|fiscal|current\s+fiscal|current|entire|whole|latest\s+fiscal)?\s*(?P<year>year)(?![\w-])"
     r"(?!\s+(?:two\s+thousand|\d))(?=(?P<ended>\s+(?:that\s+)?(?:ended|ending|ends|through))?)"
     r"|the\s+(?P<week>week)(?![\w-])"),
    ("month",
     rf"(?P<edge>{EDGE})?(?:(?P<rel>last|next|this|this\s+past|this\s+coming|past|coming)\s+)?(?P<month>{MONTH_ALONE})"
     r"(?:\s+(?P<yearrel>last|next|this)\s+year)?(?!\s+[0-3]?\d(?:st|nd|rd|th)?\b(?![,.]\d))"),  # 'last Oct. 23': a day
    ("century",
     rf"(?:the\s+)?(?:{EDGE})?(?:(?P<num>\d{{1,2}})(?:st|nd|rd|th)|(?P<word>{_alternation(ORDINALS)}))[\s-]+century"),
    ("decade",
     rf"(?:{EDGE})?(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?"
     rf"(?:(?P<decade>1\d\d0|20\d0)['’]?s|['’](?P<short>\d0)['’]?s|(?<=the\s)(?P<short2>\d0)['’]?s|(?<=the\s)(?P<word>{_alternation(DECADE_WORDS)}))"),
    ("short_fiscal_year", r"(?-i:FY\s?|fiscal\s+)['’]?(?P<fy>\d{4}|\d\d)(?!\d)"),
    # (?=[12]): the look-behinds for labels ("Room 1998") run only before what can be a year
    ("year",
     rf"(?:{EDGE})?(?:(?:fiscal|calendar)\s+(?:year\s+)?|(?:the\s+)?year\s+)?(?:(?=[12]){LABELLED}(?P<year>{YEAR4}){NUMERIC_NOUN}|(?P<year2>{SPELLED_YEAR}))"
     rf"|(?:the\s+)?year\s+(?P<year3>{SPELLED_2000S})"
     rf"|(?-i:[Pp]ost|[Pp]re)-(?P<year4>{YEAR4})"),  # 'post-1959 politics': the year it counts from
    ("set",
     rf"(?P<adverb>{SET_ADVERB})|(?:every|each|per)\s+(?:(?P<other>other)\s+)?(?:(?P<num>{NUMBER})\s+)?(?P<unit>{UNITS})"
     rf"|(?:every|each)\s+(?P<month>{MONTH_NAME})|(?:every|each)\s+(?P<season>{SEASON})"
     r"|(?:every|each)\s+(?P<any_season>season)"),
    ("fuzzy", FUZZY),
]

# ---------------------------------------------------------------------------
# First words: the words each rule can start with. The tagger looks for these
# first (through a character trie) and tries only the rules that can start
# with the word it found.
# DIGIT stands for any digit, APOSTROPHE for a quote before a digit ('80s).

_MONTH_WORDS = (
    "January Jan February Feb March Mar April Apr May June Jun July Jul August Aug September Sept Sep October Oct "
    "November Nov December Dec JANUARY FEBRUARY APRIL JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER"
)
_LOWER_MONTH_WORDS = "january february april june july august september october november december"
_WEEKDAY_WORDS = "Monday Tuesday Tues Wednesday Wed Thursday Thurs Thu Friday Fri Saturday Sunday"
_HOLIDAY_WORDS = (
    "Christmas New Thanksgiving Independence Labor Memorial Halloween Valentine Veterans Election Boxing Easter Good Palm"
)
_EDGE_WORDS = (
    "the very end beginning start middle close turn rest remainder balance first second last early latter later "
    "bulk spring summer fall autumn winter late mid earlier"
)
_NUMBER_WORDS = (
    "DIGIT a an one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety couple dozen dozens "
    "hundreds pair half single few several many some numerous"
)
RULE_FIRST_WORDS = {
    "iso": "DIGIT",
    "numeric": "DIGIT",
    "clock": "DIGIT around about approximately noon midnight midday",
    "month_day": f"{_MONTH_WORDS} {_LOWER_MONTH_WORDS} {_WEEKDAY_WORDS}",
    "day_month": f"DIGIT the {_WEEKDAY_WORDS}",
    "week_of": "the",
    "week_of_month": "the",
    "nth_weekday": "the",
    "month_year": f"{_EDGE_WORDS} {_MONTH_WORDS} {_LOWER_MONTH_WORDS}",
    "holiday": f"last next this {_HOLIDAY_WORDS}",
    "quarter": "this last next the DIGIT fiscal calendar year first second third fourth q1 q2 q3 q4 h1 h2",
    "anaphoric_quarter": "the this last next its",
    "year_ago": "the comparable corresponding same year quarter period last",
    "year_period": "the",
    "anaphoric_period": f"{_EDGE_WORDS} that the then mid",
    "relative_day": "early late earlier later the today tonight yesterday tomorrow mid morning afternoon evening night",
    "part_of_day": "this last early late later",
    "weekday_set": f"every each {_WEEKDAY_WORDS} " + " ".join(f"{day}s" for day in _WEEKDAY_WORDS.split() if day.endswith("day")),
    "weekday": f"this last next the coming past early late earlier later {_WEEKDAY_WORDS}",
    "duration": (
        "about around approximately nearly almost roughly some more less fewer at up no over under just only "
        "barely upwards the another additional past last next first final previous coming following "
        f"latest remaining ensuing preceding initial subsequent entire full whole {_NUMBER_WORDS}"
    ),
    "vague_period": (
        "recent the coming upcoming past previous days seconds minutes hours days weeks months quarters years decades "
        "centuries hour day week month year decade century"
    ),
    "edge_of_period": f"{_EDGE_WORDS} year month quarter",
    "season": f"{_EDGE_WORDS} this last next the current prior coming spring summer autumn winter fall",
    "relative_period": "this last next the current prior coming",
    "month": f"{_EDGE_WORDS} last next this past coming {_MONTH_WORDS}",
    "century": f"{_EDGE_WORDS} the DIGIT " + " ".join(w for w in ORDINALS if not w[0].isdigit()) + " twenty",
    "decade": f"{_EDGE_WORDS} the DIGIT APOSTROPHE",
    "short_fiscal_year": "FY fiscal",
    "year": f"{_EDGE_WORDS} fiscal calendar the year DIGIT nineteen eighteen twenty post pre",
    "set": "daily weekly monthly annually yearly hourly nightly biweekly semiannually every each per",
    "fuzzy": "now right currently current then at presently nowadays these recently lately more the someday coming soon a",
}


# A number starts an expression only as a year, a clock time, a day before a
# month, a date in digits, an amount of time units, an ordinal century or 1Q.
DIGIT_START = (
    r"(?=(?:1[6-9]\d\d|20\d\d)(?!\d)"
    rf"|\d+(?:[.,]\d+)*(?:\s+1/2|\s*½)?[\s-]+(?i:{_AMOUNT_MODIFIER}[\s-]+)?(?i:{UNITS}|and\s+a\s+half)(?![a-z])"
    rf"|[0-3]?\d(?:st|nd|rd|th)?(?:\s+of)?\s+{MONTH_NAME}"
    r"|\d{1,2}(?:[:.]\d\d)?\s*(?:[apAP]\.?\s?[mM]|o['’]clock|in\s+the\s)|\d{1,2}:\d\d\s*(?:GMT|UTC|[ECMP][SD]T|ET|PT|BST|CET)\b"
    rf"|(?:[01]\d|2[0-3])[0-5]\d(?:{WIRE_TIME_FOLLOWS})"
    r"|\d{1,2}/\d{1,2}/\d|\d{4}-\d\d-\d\d|\d{1,2}(?:st|nd|rd|th)[\s-]+[Cc]entury|[1-4]Q"
    r"|[1-4](?:st|nd|rd|th)[\s-]+(?:[Ff]iscal[\s-]+)?(?:[Qq]uarter|[Hh]alf))"
)

# Frequent function words start an expression only before certain words; the
# tagger checks the next word too before trying any rule at them. Each list holds
# every word that can follow the key in a rule that starts with it.
_THE_FOLLOWERS = (
    "very end beginning start middle close turn rest remainder balance first second third fourth last early latter "
    "later bulk spring summer fall autumn winter late mid earlier past next previous coming following current prior "
    "latest most just recent same comparable corresponding prior day days week weeks months decades centuries time morning afternoon evening hours minutes year years weekend future near short long longer foreseeable distant quarter "
    "fiscal calendar twenties thirties forties fifties sixties seventies eighties nineties another additional final "
    "remaining ensuing preceding initial subsequent entire full whole few several many "
    + " ".join(w for w in ORDINALS if not w[0].isdigit()) + " " + " ".join(NUMBER_WORDS)
    + " couple dozen hundreds dozens half"
)
_A_FOLLOWERS = (
    "few couple dozen half single hundred number pair full straight consecutive calendar business trading working "
    "year month week day decade century hour "
    "minute quarter second long short later future"
)
FOLLOWERS = {
    "the": _THE_FOLLOWERS,
    "a": _A_FOLLOWERS,
    "an": "hour additional extra",
    "at": "least most present the noon midnight midday about around",
    "that": "same day month year quarter morning afternoon evening night",
    "its": "latest fiscal quarter",
    "more": "than recently",
    "up": "to",
    "no": "more less",
    "less": "than",
    "fewer": "than",
} | dict.fromkeys(
    # a quantifier before an amount of time ('about two years', 'nearly a decade', 'around noon')
    ["about", "around", "approximately", "nearly", "almost", "roughly", "just", "only", "barely", "over", "under"],
    f"{_NUMBER_WORDS} noon midnight midday another additional past last next first final previous coming following "
    "latest remaining ensuing preceding initial subsequent entire full whole the",
)
