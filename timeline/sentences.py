"""Sentences and paragraphs of plain article text, as character spans.

Hand-written because the job is narrow and hot: news prose, offsets kept, no
model to load. A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes
or brackets) before white space and a capital, digit or opening quote, unless
the word before the stop is a known abbreviation or an initial; a line break
always ends a sentence.
"""

from __future__ import annotations

import re
from typing import Iterator

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm st jr sr
    co corp inc ltd llc plc bros dept univ assn est approx vs etc al fig no
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun
    ft mt pt ave blvd rd hon rev messrs mme mssrs
    u.s u.k u.n e.u a.m p.m i.e e.g""".split()
)
_LINE = re.compile(r"[^\n]+")
_BOUNDARY = re.compile(r"""[.!?]+['"’”)\]]*(?=\s+['"‘“(\[]?[A-Z0-9])""")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in text, stripped of surrounding white space."""
    for line in _LINE.finditer(text):
        yield from _line_spans(text, line.start(), line.end())


def _line_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    begin = start
    for stop in _BOUNDARY.finditer(text, start, end):
        if _is_abbreviation(text, begin, stop.start()):
            continue
        yield from _stripped(text, begin, stop.end())
        begin = stop.end()
    yield from _stripped(text, begin, end)


def _is_abbreviation(text: str, begin: int, stop: int) -> bool:
    if text[stop] != ".":
        return False
    word = _WORD_BEFORE.search(text, begin, stop)
    if word is None:
        return False
    token = word.group(1).lower()
    return len(token) == 1 and token.isalpha() or token in _ABBREVIATIONS


def _stripped(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the line (paragraph) holding text[start:end]."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return first, len(text) if last == -1 else last
