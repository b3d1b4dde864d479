"""The timeline as Markdown: a heading per year and month, a bullet per event.

Article text is data, never markup: everything Markdown (CommonMark or GFM)
would read as structure is escaped, so no article can add a heading, link,
image, HTML or code to the output.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, TextIO
from urllib.parse import quote, urlsplit

from .model import Event, Source
from .periods import describe
from .store import Filter, Store, bucket_of

_MONTHS = ("January February March April May June July August September "
           "October November December").split()
_SPECIAL = re.compile(r"([\\`*_\[\]<>&#!|~{}])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LINE_START = re.compile(r"^(\d*)([-+=.)])")  # list markers, setext underlines
_BARE_LINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)")


_NEEDS_WORK = re.compile(_SPECIAL.pattern + "|" + _CONTROL.pattern + r"|://|(?i:www)\.")


def escape(text: str) -> str:
    """Text that Markdown renders as exactly these characters, as one paragraph line."""
    text = " ".join(text.split())
    if _NEEDS_WORK.search(text):  # most sentences need none of this
        text = _CONTROL.sub("", text)
        text = _SPECIAL.sub(r"\\\1", text)
        text = _BARE_LINK.sub(lambda m: "\\" + (m.group(1) or m.group(2)), text)
    return _LINE_START.sub(r"\1\\\2", text, count=1)


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


def cite(source: Source) -> str:
    title = escape(source.title or "untitled")
    url = safe_url(source.url)
    cited = f"[{title}](<{url}>)" if url else f"*{title}*"
    if source.source:
        cited += f", {escape(source.source)}"
    return cited


def event_line(event: Event, source: Source) -> str:
    when = escape(describe(event.value, event.granularity, event.start))
    return f"- **{when}**: {escape(event.text)} ({cite(source)})\n"


def write_markdown(rows: Iterable[tuple[Event, Source]], out: TextIO, *, title: str = "Timeline",
                   description: str = "", story_of: Callable[[Event], list[tuple[Event, Source]]] | None = None) -> int:
    """Write rows (in timeline order) as a Markdown document; returns how many events were written.
    A row told by several sources lists every other source's sentence under its bullet."""
    out.write(f"# {escape(title)}\n\n")
    if description:
        out.write(f"{escape(description)}\n\n")
    year = bucket = None
    written = 0
    for event, source in rows:
        this_bucket = bucket_of(event.start, event.granularity)
        if this_bucket[:4] != year:
            year = this_bucket[:4]
            out.write(f"\n## {year}\n\n")
        if this_bucket != bucket and len(this_bucket) > 4:
            out.write(f"\n### {_MONTHS[int(this_bucket[5:7]) - 1]} {year}\n\n")
        bucket = this_bucket
        out.write(event_line(event, source))
        if event.sources > 1 and story_of is not None:
            for other, other_source in story_of(event)[1:]:
                out.write(f"  - also: {escape(other.text)} ({cite(other_source)})\n")
        written += 1
    if not written:
        out.write("No events.\n")
    return written


def describe_filter(store: Store, flt: Filter) -> str:
    """The filter in words, for the top of an export and the app's filter bar."""
    parts = []
    if flt.entity_ids:
        names = [entity.name for entity in store.entities_by_id(flt.entity_ids)]
        joiner = " and " if flt.match_all else " or "
        parts.append(("whose article names " if flt.in_article else "naming ") + joiner.join(names))
    if flt.search.strip():
        parts.append(f"matching “{flt.search.strip()}”")
    if flt.date_from:
        parts.append(f"from {flt.date_from}")
    if flt.date_to:
        parts.append(f"to {flt.date_to}")
    return ("Events " + ", ".join(parts)) if parts else "All events"


def export(store: Store, flt: Filter, out: TextIO) -> int:
    return write_markdown(store.iter_events(flt), out, description=describe_filter(store, flt) + ".",
                          story_of=store.story)
