"""The timeline as Markdown: a heading per year and month, a bullet per event.

Article text is data, never markup: everything Markdown (CommonMark or GFM)
would read as structure is escaped, so no article can add a heading, link,
image, HTML or code to the output.

An export is streamed: rows come from the store as plain tuples and go out
in chunks, so a hundred thousand events cost no more memory than a hundred.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO
from urllib.parse import quote, urlsplit

from .model import Event, Source
from .periods import describe
from .store import Filter, Store, bucket_of

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# Markdown's punctuation that can open or close structure: each gets a backslash.
_SPECIAL = "\\`*_[]<>&#!|~{}"
# Invisible characters (C0 and C1 controls but tab and newline, zero-width and bidi marks, BOM):
# dropped, so nothing hides between characters or reorders what a reader sees.
_INVISIBLE = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069),
              (0xFEFF, 0xFEFF))
_ESCAPES = str.maketrans({
    **{code: None for first, last in _INVISIBLE for code in range(first, last + 1)},
    **{ord(char): "\\" + char for char in _SPECIAL},
})
_NEEDS_TRANSLATE = re.compile("[" + re.escape(_SPECIAL) + "".join(
    f"\\U{first:08x}-\\U{last:08x}" for first, last in _INVISIBLE) + "]")
# Printable ASCII but Markdown's punctuation and ":" (of "://"): text of these alone, with single
# spaces inside, needs none of the work above. Deleting them from its bytes leaves nothing.
_PLAIN = bytes(range(0x20, 0x7F)).translate(None, (_SPECIAL + ":").encode())
# Bare addresses GFM would autolink: break "http://" and "www." with a backslash.
_BARE_LINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)")
_LINE_START = re.compile(r"^(\d*)([-+=.)])")  # list markers, setext underlines
_LINE_START_CHARS = frozenset("-+=.)")
_CHUNK_LINES = 1000  # lines gathered per write


def escape(text: str) -> str:
    """Text that Markdown renders as exactly these characters, as one paragraph line."""
    # the regexes only where they can match: "://", "www." (any case), a digit or marker first
    if (text.isascii() and not text.encode("ascii").translate(None, _PLAIN)  # most sentences: no ":" either
            and "  " not in text and text[:1] != " " and text[-1:] != " "):
        if "w." in text or "W." in text:
            text = _BARE_LINK.sub(_backslash, text)
    else:
        text = " ".join(text.split())
        if _NEEDS_TRANSLATE.search(text):
            text = text.translate(_ESCAPES)
        if "://" in text or "w." in text or "W." in text:
            text = _BARE_LINK.sub(_backslash, text)
    first = text[:1]
    if first in _LINE_START_CHARS or first.isdigit():
        text = _LINE_START.sub(r"\1\\\2", text, count=1)
    return text


def _backslash(match: re.Match) -> str:
    return "\\" + match.group(match.lastindex)


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit for a Markdown link destination, or None."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%-._~")


def cite(title: str | None, name: str | None, url: str | None) -> str:
    """Where a sentence comes from: the article's title (a link when it has a web address) and its source."""
    cited = escape(title or "untitled")
    address = safe_url(url)
    cited = f"[{cited}](<{address}>)" if address else f"*{cited}*"
    if name:
        cited += f", {escape(name)}"
    return cited


# A row as Store.export_rows streams it: (id, article, bucket, start, granularity, value, text, title, source,
# url), maybe more after; article stands for the citation (title, source, url): the same article, the same citation.
Row = tuple
_ARTICLE, _BUCKET, _START, _GRANULARITY, _VALUE, _TEXT, _TITLE, _SOURCE, _URL = range(1, 10)
_CITATIONS_KEPT = 10_000  # citations remembered at most, so memory stays flat however many articles


def write_rows(rows: Iterable[tuple[Row, Sequence[Row]]], out: TextIO, *, title: str = "Timeline",
               description: str = "") -> int:
    """Write rows (in timeline order, as Store.export_rows gives them) as a Markdown document;
    returns how many rows were written. A row told by several sources lists every other
    source's sentence under its bullet."""
    out.write(f"# {escape(title)}\n\n")
    if description:
        out.write(f"{escape(description)}\n\n")
    year = bucket = period = when = None
    citations: dict = {}  # an article's citation, made once while it recurs
    lines: list[str] = []
    written = 0
    for row, others in rows:
        if row[_BUCKET] != bucket:
            bucket = row[_BUCKET]
            if bucket[:4] != year:
                year = bucket[:4]
                lines.append(f"\n## {year}\n\n")
            if len(bucket) > 4:
                lines.append(f"\n### {_MONTHS[int(bucket[5:7]) - 1]} {year}\n\n")
        if row[_START:_TEXT] != period:  # (start, granularity, value): runs of rows share it
            period = row[_START:_TEXT]
            when = escape(describe(row[_VALUE], row[_GRANULARITY], row[_START]))
        cited = citations.get(row[_ARTICLE]) or _remember(citations, row)
        line = f"{escape(row[_TEXT])} ({cited})"
        lines.append(f"- **{when}**: {line}\n")
        if others:
            lines += _other_tellings(others, citations, line)
        written += 1
        if len(lines) >= _CHUNK_LINES:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))
    if not written:
        out.write("No events.\n")
    return written


def _other_tellings(others: Sequence[Row], citations: dict, first: str) -> list[str]:
    """The "also" lines of a story, each told once: a wire service that sends the same story
    twice (Reuters did, 272 times) would otherwise show the same sentence and title twice."""
    told = {first}
    lines = []
    for other in others:
        cited = citations.get(other[_ARTICLE]) or _remember(citations, other)
        line = f"{escape(other[_TEXT])} ({cited})"
        if line not in told:
            told.add(line)
            lines.append(f"  - also: {line}\n")
    return lines


def _remember(citations: dict, row: Row) -> str:
    if len(citations) >= _CITATIONS_KEPT:
        citations.clear()
    cited = citations[row[_ARTICLE]] = cite(row[_TITLE], row[_SOURCE], row[_URL])
    return cited


def write_markdown(rows: Iterable[tuple[Event, Source]], out: TextIO, *, title: str = "Timeline",
                   description: str = "", story_of: Callable[[Event], list[tuple[Event, Source]]] | None = None) -> int:
    """Write (event, source) rows (in timeline order) as a Markdown document; returns how many
    events were written. A row told by several sources (``story_of`` gives every telling, its
    own first) lists every other source's sentence under its bullet."""
    def as_rows():
        for event, source in rows:
            tellings = story_of(event)[1:] if event.sources > 1 and story_of is not None else []
            yield _row(event, source), [_row(*telling) for telling in tellings]

    return write_rows(as_rows(), out, title=title, description=description)


def _row(event: Event, source: Source) -> Row:
    citation = (source.title, source.source, source.url)  # what the citation is made of: rows may share an article id
    return (event.id, citation, bucket_of(event.start, event.granularity), event.start, event.granularity,
            event.value, event.text, *citation)


def describe_filter(store: Store, flt: Filter) -> str:
    """The filter in words, for the top of an export and the app's filter bar."""
    parts = []
    if flt.entity_ids:
        names = [entity.name for entity in store.entities_by_id(flt.entity_ids)]
        joiner = " and " if flt.match_all else " or "
        parts.append(("whose article names " if flt.in_article else "naming ") + joiner.join(names))
    if flt.excluded_ids:
        parts.append("not naming " + " or ".join(entity.name for entity in store.entities_by_id(flt.excluded_ids)))
    if flt.search.strip():
        parts.append(f"matching “{flt.search.strip()}”")
    if flt.date_from:
        parts.append(f"from {flt.date_from}")
    if flt.date_to:
        parts.append(f"to {flt.date_to}")
    kind = "Marked events" if flt.marked_only else "Events"
    return f"{kind} " + ", ".join(parts) if parts else "Marked events" if flt.marked_only else "All events"


def export(store: Store, flt: Filter, out: TextIO) -> int:
    return write_rows(store.export_rows(flt), out, description=describe_filter(store, flt) + ".")
