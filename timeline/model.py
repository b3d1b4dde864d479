"""The data the core passes around: articles, temporal expressions, entity mentions, events.

Everything here is plain, immutable data. Offsets are Python string indices
(``text[start:end]``) into the text they were found in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Timex:
    """A temporal expression as TimeML's TIMEX3 describes it.

    ``type`` is DATE, TIME, DURATION or SET; ``value`` is the normalised TIMEX3
    value (``2025-06-14``, ``2024``, ``2025-Q2``, ``PAST_REF``, ``P3M``...).
    """

    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A named entity found in text.

    ``type`` is PER, ORG, LOC or MISC; ``name`` is the canonical name the mention
    stands for (``Meta's`` -> ``Meta``, ``Wang`` -> ``Alexandr Wang``).
    """

    start: int
    end: int
    text: str
    type: str
    name: str


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from a file, before indexing.

    ``text`` is plain text (Markdown already rendered to text) that begins with
    the headline; ``published`` anchors every relative date in it.
    """

    id: str
    title: str
    text: str
    published: dt.date | None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    published_guessed: bool = False


@dataclass(frozen=True, slots=True)
class Event:
    """A dated statement: one sentence placed on the timeline at one period.

    ``start``/``end`` are ISO dates, ``end`` inclusive. ``timex`` is the
    expression as written (None for headline events, which sit on the
    publication date).
    """

    article_id: str
    start: str
    end: str
    granularity: str
    value: str
    text: str
    char_start: int
    char_end: int
    timex: str | None
    entities: tuple[Mention, ...] = field(default=())
    id: int | None = None  # set once stored
    marked: bool = False  # the reader marked it (stored events only)
    sources: int = 1  # how many articles tell this event's story (stored events only)


@dataclass(frozen=True, slots=True)
class Source:
    """Where an event comes from, as a reader cites it."""

    article_id: str
    title: str
    published: str
    source: str | None = None
    url: str | None = None
