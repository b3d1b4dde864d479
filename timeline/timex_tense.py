"""Cheap tense detection for the sentence around a temporal expression.

An underspecified date ("in August", "on Friday") means the last one before
the publication date in a past-tense sentence and the next one in a
future-tense sentence. The tense is taken from the verb cue nearest the
expression: future auxiliaries and intentions (will, 'll, would, going to,
plans to, expects to...) against past forms (was, said, had, -ed verbs and
common irregular pasts).
"""

from __future__ import annotations

import re

_WINDOW = 250
# Verb cues further than this (in characters) from the expression are ignored.
_CUE_REACH = 120

# A full stop after a title, "vs" or an initial ("Mr. Smith", "Roe vs. Wade", "U.S. Army") ends no sentence.
_ABBREVIATIONS = frozenset("vs Mr Mrs Ms Dr St Gen Sen Rep Gov Lt Col Sgt Rev Prof Adm Capt Maj Cmdr".split())
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]*[A-Z])|\n")
_WORD_BEFORE_STOP = re.compile(r"(?<![\w.])([A-Za-z]+)$")


def _sentence_breaks(text: str, start: int, end: int):
    """The sentence breaks in text[start:end], but not the stop after an abbreviation or initial."""
    for boundary in _SENTENCE_BREAK.finditer(text, start, end):
        if not _after_abbreviation(text, boundary):
            yield boundary


def _after_abbreviation(text: str, boundary: re.Match) -> bool:
    if text[boundary.start()] != ".":
        return False
    word = _WORD_BEFORE_STOP.search(text, max(0, boundary.start() - 6), boundary.start())
    return word is not None and (word[1] in _ABBREVIATIONS or (len(word[1]) == 1 and word[1].isupper()))

_PAST_WORDS = frozenset("""
was were had did said told spent sold bought paid made took came went became began rose fell grew left lost met
ran saw won wrote held led gave got brought thought found kept knew meant sent struck stood understood withdrew
drew broke chose flew fled forgot hid laid overtook sank shot slid spoke stole swore threw woke wore ago earlier
previously yesterday last wasn't weren't hadn't didn't built caught dealt drove ate fought felt froze heard hung
lent rode rang sat sought shook slept spun stuck swept swam taught tore wept arose awoke bled clung crept dug drank
fed flung forbade foresaw leapt mistook overcame oversaw sang sprang strove swung undertook upheld withheld
""".split())
_FUTURE_WORDS = frozenset("""
will won't shall 'll would wouldn't gonna next upcoming tomorrow must should scheduled
""".split())
# Verbs that announce the future when followed by "to": "plans to", "is going to".
_FUTURE_BEFORE_TO = frozenset("""
going plan plans planning planned intend intends expect expects expected set aim aims hope
hopes is are due projected
""".split())
_PAST_PLANS = frozenset({"expected", "due", "set", "scheduled", "projected", "supposed"})
# Words ending in -ed that are not past verbs.
_NOT_PAST = frozenset("""
need needs speed feed seed indeed hundred united limited red bed shed wed sacred naked wicked kindred based related
interested concerned supposed proceed exceed succeed agreed
""".split())
# Past words that are no participle: they mark the past whatever precedes them.
_PAST_MARKERS = frozenset("was were had did said ago earlier previously yesterday last".split())
# Before an -ed word, these make it a passive or an adjective ("is heard", "a still
# unspecified date"), not a past tense.
_NOT_BEFORE_PAST = frozenset("is are be being am a an the still very its their his her our this that".split())
_CUE_WORDS = _PAST_PLANS | _FUTURE_WORDS | _FUTURE_BEFORE_TO | _PAST_WORDS
# Words, and commas: a cue across a comma ("the plan, announced in January, will...") is
# one word further away.
_TOKEN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|'ll|’ll|,")


def _cue(token: str, next_token: str, previous_token: str) -> str | None:
    """The tense a word signals, given the words after and before it (lowercase)."""
    word = token.lower().replace("’", "'")
    if word not in _CUE_WORDS and not word.endswith(("ed", "'ll")):
        return None  # most words: none of the tests below can hold
    if word in _PAST_PLANS and next_token == "to" and previous_token in ("was", "were", "been"):
        return "past"  # "was expected to", "had been due to": a plan made in the past, for a time now past
    if (word in _FUTURE_WORDS and not (word == "next" and next_token == "to")) or word.endswith("'ll"):
        return "future"  # "next to the embassy" is a place
    if word in _FUTURE_BEFORE_TO and next_token == "to":
        return "future"
    if previous_token in _NOT_BEFORE_PAST and word not in _PAST_MARKERS:
        return None
    if word in _PAST_WORDS or (word.endswith("ed") and len(word) > 3 and word not in _NOT_PAST):
        return "past"
    return None


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence containing text[start:end], looked for within a window."""
    low = max(0, start - _WINDOW)
    high = min(len(text), end + _WINDOW)
    left = low
    # The break's look-ahead needs the expression's first character ("1994. In January").
    # Only the last break counts: the others are not checked for abbreviations.
    for boundary in reversed(list(_SENTENCE_BREAK.finditer(text, low, min(len(text), start + 1)))):
        if boundary.end() <= start and not _after_abbreviation(text, boundary):
            left = boundary.end()
            break
    boundary = next(_sentence_breaks(text, end, high), None)
    right = boundary.start() + 1 if boundary else high
    return left, right


def sentence_tense(text: str, start: int, end: int) -> str:
    """'past', 'future' or 'present' for the sentence around text[start:end]: the cue nearest the expression.

    Distance is counted in words; a cue before the expression wins a tie.
    """
    sentence_left, sentence_right = sentence_span(text, start, end)
    left, right = max(sentence_left, start - _CUE_REACH), min(sentence_right, end + _CUE_REACH)
    before = _TOKEN.findall(text, left, start)
    back_cue, back_distance = _first_cue_backwards(before)
    # An expression opening its sentence ("In September, it announced...") is followed by the
    # main clause, whose reporting verb is the event's own, however long the phrases between.
    opens_sentence = len([word for word in before if word != ","]) <= 1
    if opens_sentence:
        right = sentence_right
    ahead_cue, ahead_distance = _first_cue_forwards(_TOKEN.findall(text, end, right), opens_sentence=opens_sentence)
    if back_cue and (not ahead_cue or back_distance <= ahead_distance):
        return back_cue
    return ahead_cue or "present"


def _first_cue_backwards(tokens: list[str]) -> tuple[str | None, int]:
    following = ""
    for distance in range(len(tokens)):
        index = len(tokens) - 1 - distance
        token = tokens[index]
        if token != ",":
            previous = tokens[index - 1].lower() if index > 0 else ""
            cue = _cue(token, following, previous)
            if cue:
                return cue, distance
        following = token.lower()
    return None, 0


# After the expression, a reporting verb usually closes a quote ("... Thursday," he
# said): its tense is the report's, not the event's.
_REPORTING = frozenset("said told added stated explained noted announced reported".split())


def _first_cue_forwards(tokens: list[str], opens_sentence: bool = False) -> tuple[str | None, int]:
    previous = ""
    for distance, token in enumerate(tokens):
        lowered = token.lower()
        if token != "," and not (lowered in _REPORTING and not opens_sentence):
            following = tokens[distance + 1].lower() if distance + 1 < len(tokens) else ""
            cue = _cue(token, following, previous)
            if cue:
                return cue, distance
        previous = lowered
    return None, 0


# Words right before a date that point to the future whatever the verb tense:
# "payable Dec. 7", "extended to Nov. 20", "by Jan. 14", "as soon as Tuesday".
_FUTURE_LEAD = re.compile(
    r"(?:\b(?:by|until|till|through|payable|effective|expires?|record|starting|beginning|due|"
    r"(?:extended|postponed|delayed|moved|pushed\s+back)\s+(?:\w+\s+)?to|"
    r"as\s+(?:soon|early)\s+as|scheduled\s+for|set\s+for|expected\s+(?:in|on|by))\s+(?:on\s+|about\s+|around\s+)?)$",
    re.IGNORECASE,
)


_FUTURE_LEAD_FOR_DAYS = re.compile(
    r"(?:\b(?:as\s+(?:soon|early)\s+as|scheduled\s+for|set\s+for|expected\s+on)|(?<!up\s)\b(?:until|till))\s+$", re.IGNORECASE
)


# "since Oct. 23", "ever since Friday": a date the sentence looks back to, whatever its verb.
_PAST_LEAD = re.compile(r"\b(?:since|ever\s+since|(?:shortly|soon|just)\s+after\s+the)\s+$", re.IGNORECASE)


# "up 2% this year through August", "so far this year until June": a period running up to now.
_UP_TO_NOW_LEAD = re.compile(r"\b(?:this\s+year|so\s+far|year\s+to\s+date)\s+(?:through|until|till|to)\s+$", re.IGNORECASE)


def orientation(text: str, start: int, end: int) -> str:
    """Whether a date at text[start:end] points to the past, the future or the present."""
    if _PAST_LEAD.search(text, max(0, start - 24), start) or _UP_TO_NOW_LEAD.search(text, max(0, start - 32), start):
        return "past"
    lead = _FUTURE_LEAD.search(text, max(0, start - 24), start)
    if lead and not (lead[0].lower().startswith(("until", "till")) and _in_past_perfect(text, start, end)):
        return "future"
    return sentence_tense(text, start, end)


def weekday_orientation(text: str, start: int, end: int) -> str:
    """The same for a weekday: 'Friday's ruling' is past; 'until Friday' can be either."""
    if text.startswith(("'s", "’s"), end) or _PAST_LEAD.search(text, max(0, start - 24), start):
        return "past"
    lead = _FUTURE_LEAD_FOR_DAYS.search(text, max(0, start - 24), start)
    if lead and not (lead[0].lower().startswith(("until", "till")) and _in_past_perfect(text, start, end)):
        return "future"
    return sentence_tense(text, start, end)


_HAD = re.compile(r"\b(?:had|hadn't)\b", re.IGNORECASE)


def _in_past_perfect(text: str, start: int, end: int) -> bool:
    """'Until Thursday, they had not called him a suspect': the limit is in the past."""
    left, right = sentence_span(text, start, end)
    return _HAD.search(text, left, right) is not None
