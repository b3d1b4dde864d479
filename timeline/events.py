"""From an article to its events: a pure function, one article at a time.

An event is a sentence placed at a period. The headline sits on the
publication date; every other sentence sits at each distinct period its
temporal expressions name. Page furniture (``image`` lines, trailing lists of
other headlines) is never an event.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from . import entities, sentences, timex
from .model import Article, Event, Mention, Timex
from .periods import period_of

_FURNITURE_WORDS = frozenset(
    "image images photo photos picture video advertisement advert ad sponsored "
    "share related menu".split()
)
_SENTENCE_END = re.compile(r"""[.!?:;]['"’”)\]]*$""")
_SMALL_WORDS = frozenset("a an and as at but by for from in of on or the to vs with".split())


def extract_events(article: Article) -> list[Event]:
    """Every event of an article, in text order."""
    return extract(article)[0]


def extract(article: Article) -> tuple[list[Event], list[Mention]]:
    """Every event of an article, in text order, and every entity mention of its prose
    (page furniture left out), dated sentence or not: the article is about all of them."""
    text = article.text
    spans = [span for span in sentences.spans(text) if not _in_furniture(text, span)]
    if not spans:
        return [], []
    mentions = entities.find_mentions(text)
    mention_starts = [m.start for m in mentions]
    in_prose: list[Mention] = []
    timexes = timex.tag(text, article.published) if article.published else []
    timex_starts = [t.start for t in timexes]
    events: list[Event] = []
    for index, (start, end) in enumerate(spans):
        found = _inside(timexes, timex_starts, start, end)
        inside = tuple(_inside(mentions, mention_starts, start, end))
        in_prose += inside
        headline = [_headline_event(article, start, end, inside)] if index == 0 and article.published else []
        events += headline
        events += _dated_events(article, found, start, end, inside, taken={e.value for e in headline})
    return events, in_prose


def _headline_event(article: Article, start: int, end: int, mentions: tuple[Mention, ...]) -> Event:
    day = article.published.isoformat()
    return Event(
        article_id=article.id, start=day, end=day, granularity="day", value=day,
        text=article.text[start:end], char_start=start, char_end=end, timex=None,
        entities=mentions,
    )


def _dated_events(
    article: Article, found: list[Timex], start: int, end: int, mentions: tuple[Mention, ...], taken: set[str]
) -> list[Event]:
    """One event per distinct period named in the sentence text[start:end], but those already taken."""
    events = []
    for tx in found:
        period = period_of(tx.value) if tx.type in ("DATE", "TIME") else None
        if tx.value == "PRESENT_REF" and article.published:
            period = period_of(article.published.isoformat())
            value = article.published.isoformat()
        else:
            value = tx.value
        if period is None or value in taken:
            continue
        taken.add(value)
        events.append(Event(
            article_id=article.id, start=period.start.isoformat(), end=period.end.isoformat(),
            granularity=period.granularity, value=value, text=article.text[start:end],
            char_start=start, char_end=end, timex=tx.text, entities=mentions,
        ))
    return events


def _inside(items, starts: list[int], start: int, end: int) -> list:
    """The items (sorted by start) lying wholly within [start, end)."""
    first = bisect_right(starts, start - 1)
    found = []
    for item in items[first:]:
        if item.start >= end:
            break
        if item.end <= end:
            found.append(item)
    return found


def _in_furniture(text: str, span: tuple[int, int]) -> bool:
    first, last = sentences.paragraph_around(text, *span)
    if first == 0:
        return False  # the headline
    return is_furniture(text[first:last], after=text[last:])


def is_furniture(line: str, after: str = "") -> bool:
    """Whether a line is page furniture rather than prose.

    Furniture is a lone word like ``image``, or a headline-like line (no closing
    punctuation, most words capitalised) when only furniture follows it: the
    "related stories" block that scraped pages end with.
    """
    words = line.split()
    if not words:
        return True
    if len(words) <= 2 and words[0].strip("[]():").lower() in _FURNITURE_WORDS:
        return True
    if not _looks_like_headline(line, words):
        return False
    rest = [part for part in after.split("\n") if part.strip()]
    return all(_looks_like_headline(part, part.split()) or is_furniture(part) for part in rest)


def _looks_like_headline(line: str, words: list[str]) -> bool:
    if _SENTENCE_END.search(line.rstrip()) or len(words) > 20:
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    capitalised = sum(1 for w in content if w[:1].isupper() or w[:1] in "$'\"‘“" or w[:1].isdigit())
    return len(content) > 0 and capitalised / len(content) >= 0.8
