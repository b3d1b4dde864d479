"""Reading TimeML documents and writing text with inline TIMEX3 annotations.

``read_timeml`` returns the plain content of ``<TEXT>`` (every tag removed,
entities decoded), the document creation time and the gold TIMEX3s with
offsets into that plain text. ``to_timeml`` writes the reverse: a TimeML
document in the TempEval-3 layout (DOCID, DCT, TEXT) that the official
TempEval-3 evaluation tools read.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape as _escape_markup
from xml.sax.saxutils import quoteattr as _quote_markup

from timeline.model import Timex

_TIMEML_HEADER = (
    '<?xml version="1.0" ?>\n'
    '<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:noNamespaceSchemaLocation="http://timeml.org/timeMLdocs/TimeML_1.2.1.xsd">\n'
)


def read_timeml(path_or_text) -> tuple[str, dt.date, list[Timex]]:
    """Plain TEXT content, DCT and gold TIMEX3s of one TimeML document.

    Accepts a path (str or PathLike) or the document itself as a string.
    """
    root = ET.fromstring(_load(path_or_text))
    dct = _read_dct(root)
    text_element = root.find("TEXT")
    if text_element is None:
        return "", dct, []
    pieces: list[str] = []
    timexes: list[Timex] = []
    _flatten(text_element, pieces, timexes, offset=0)
    return "".join(pieces), dct, timexes


def to_timeml(text: str, timexes: list[Timex], dct) -> str:
    """A TimeML document with ``timexes`` inline in ``text`` (XML-escaped).

    Overlapping expressions cannot be nested in TIMEX3, so an expression that
    overlaps an earlier one is left out. Characters XML cannot hold become U+FFFD.
    """
    dct_value = _date_of(dct).isoformat()
    parts = [
        _TIMEML_HEADER,
        "\n<DOCID>timeline</DOCID>\n\n",
        f'<DCT><TIMEX3 tid="t0" type="DATE" value="{dct_value}" temporalFunction="false" '
        f'functionInDocument="CREATION_TIME">{dct_value}</TIMEX3></DCT>\n\n',
        "<TEXT>",
    ]
    position = number = 0
    for timex in sorted(timexes, key=lambda t: (t.start, -t.end)):
        if timex.start < position or timex.end > len(text) or timex.start >= timex.end:
            continue
        number += 1
        parts.append(escape(text[position:timex.start]))
        parts.append(
            f"<TIMEX3 tid=\"t{number}\" type={quoteattr(timex.type)} value={quoteattr(timex.value)}>"
            f"{escape(text[timex.start:timex.end])}</TIMEX3>"
        )
        position = timex.end
    parts.append(escape(text[position:]))
    parts.append("</TEXT>\n\n</TimeML>\n")
    return "".join(parts)


# Characters XML 1.0 cannot hold (C0 controls, lone surrogates, U+FFFE/U+FFFF):
# written as U+FFFD so that offsets into the text stay the same.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """Text as XML character data; a carriage return is kept as a reference (parsers drop it)."""
    return _escape_markup(_NOT_XML.sub("\ufffd", text)).replace("\r", "&#13;")


def quoteattr(value: str) -> str:
    return _quote_markup(_NOT_XML.sub("\ufffd", value))


def _load(path_or_text) -> str:
    if isinstance(path_or_text, os.PathLike):
        path_or_text = os.fspath(path_or_text)
    if isinstance(path_or_text, bytes):
        return path_or_text.decode("utf-8")
    if path_or_text.lstrip().startswith("<"):
        return path_or_text
    with open(path_or_text, encoding="utf-8") as handle:
        return handle.read()


def _read_dct(root: ET.Element) -> dt.date:
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            return _parse_dct_value(timex.get("value", ""))
    raise ValueError("TimeML document without a CREATION_TIME TIMEX3")


def _parse_dct_value(value: str) -> dt.date:
    digits = value.replace("-", "")[:8]
    return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def _flatten(element: ET.Element, pieces: list[str], timexes: list[Timex], offset: int) -> int:
    """Append the element's text to pieces, record TIMEX3 spans; return the new offset."""
    if element.text:
        pieces.append(element.text)
        offset += len(element.text)
    for child in element:
        start = offset
        offset = _flatten(child, pieces, timexes, offset)
        if child.tag == "TIMEX3":
            covered = _tail_text(pieces, offset - start)
            timexes.append(Timex(start, offset, covered, child.get("type", ""), child.get("value", "")))
        if child.tail:
            pieces.append(child.tail)
            offset += len(child.tail)
    return offset


def _tail_text(pieces: list[str], length: int) -> str:
    """The last ``length`` characters of the concatenated pieces."""
    collected: list[str] = []
    remaining = length
    for piece in reversed(pieces):
        if remaining <= 0:
            break
        collected.append(piece[-remaining:] if len(piece) > remaining else piece)
        remaining -= len(piece)
    return "".join(reversed(collected))


def _date_of(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _parse_dct_value(str(value))
