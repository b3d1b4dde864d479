"""Tests of TimeML reading and writing."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.model import Timex
from timeline.timeml import read_timeml, to_timeml
from timeline.timex import tag

DOCUMENT = """<?xml version="1.0" ?>
<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<DOCID>T1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" temporalFunction="false" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>
It was a bad <TIMEX3 tid="t1" type="DURATION" value="P1W">week</TIMEX3> for <EVENT eid="e1" class="OCCURRENCE">Asia</EVENT> &amp; Europe.
<TIMEX3 tid="t2" type="DATE" value="PRESENT_REF">Now</TIMEX3> prices &lt; costs.
</TEXT>
</TimeML>
"""


def test_read_timeml_text_dct_and_offsets():
    text, dct, timexes = read_timeml(DOCUMENT)
    assert dct == dt.date(1998, 1, 8)
    assert "Asia & Europe" in text and "prices < costs" in text
    assert [(t.text, t.type, t.value) for t in timexes] == [("week", "DURATION", "P1W"), ("Now", "DATE", "PRESENT_REF")]
    assert all(text[t.start:t.end] == t.text for t in timexes)


def test_read_timeml_from_path(tmp_path):
    path = tmp_path / "doc.tml"
    path.write_text(DOCUMENT, encoding="utf-8")
    assert read_timeml(path) == read_timeml(str(path)) == read_timeml(DOCUMENT)


def test_round_trip_escapes_markup_characters():
    text = 'Q&A <draft> "quoted" on June 14, 2025 & yesterday > today'
    dct = dt.date(2025, 6, 14)
    timexes = tag(text, dct)
    assert {t.text for t in timexes} >= {"June 14, 2025", "yesterday", "today"}
    document = to_timeml(text, timexes, dct)
    assert "<draft>" not in document and "&lt;draft&gt;" in document and "Q&amp;A" in document
    assert read_timeml(document) == (text, dct, timexes)


def test_round_trip_with_datetime_dct_and_attribute_escaping():
    text = "x now y"
    timexes = [Timex(2, 5, "now", "DATE", 'A"<&>')]
    document = to_timeml(text, timexes, dt.datetime(2020, 2, 29, 8, 0))
    assert read_timeml(document) == (text, dt.date(2020, 2, 29), timexes)


def test_to_timeml_has_tempeval_layout():
    document = to_timeml("now", [Timex(0, 3, "now", "DATE", "PRESENT_REF")], dt.date(2025, 6, 14))
    assert 'functionInDocument="CREATION_TIME"' in document
    assert '<TIMEX3 tid="t1" type="DATE" value="PRESENT_REF">now</TIMEX3>' in document
    assert document.count("<TEXT>") == 1 and document.count("</TEXT>") == 1


def test_overlapping_timexes_are_not_nested():
    text = "last year"
    timexes = [Timex(0, 9, "last year", "DATE", "2024"), Timex(5, 9, "year", "DURATION", "P1Y")]
    _, _, read_back = read_timeml(to_timeml(text, timexes, dt.date(2025, 6, 14)))
    assert read_back == [timexes[0]]


def test_empty_text():
    assert read_timeml(to_timeml("", [], dt.date(2025, 1, 1))) == ("", dt.date(2025, 1, 1), [])


def test_carriage_returns_and_tabs_survive():
    text = "line one\r\nyesterday\tand\rtoday"
    dct = dt.date(2025, 6, 14)
    timexes = tag(text, dct)
    assert read_timeml(to_timeml(text, timexes, dct)) == (text, dct, timexes)


def test_characters_xml_cannot_hold_keep_offsets():
    text = "a\x00b\x1fc yesterday"
    dct = dt.date(2025, 6, 14)
    timexes = tag(text, dct)
    read_text, _, read_timexes = read_timeml(to_timeml(text, timexes, dct))
    assert read_text == "a\ufffdb\ufffdc yesterday"
    assert [(t.start, t.end, t.value) for t in read_timexes] == [(t.start, t.end, t.value) for t in timexes]


_XML_SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff")
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_XML_SAFE_TEXT, st.sampled_from(["<a & b> yesterday", "last year & next week", "Q&A: June 1, 2020"])),
       st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_round_trip_any_text(text, dct):
    timexes = tag(text, dct)
    assert read_timeml(to_timeml(text, timexes, dct)) == (text, dct, timexes)
