"""Stories: the same dated fact told by several articles, found so the timeline shows it once.

Two events are one story when they come from different articles, name the
same period (callers only ever compare events of one TIMEX3 value), share an
entity, and share enough wording: at least two content
words, making up at least 30% of the shorter sentence's content words. Names,
time words and function words are not content; case is ignored, so a Title
Case headline compares with a sentence. A story is an event and the later
events that match it.

An event that names no one is about what its article is about: it takes the
entities its article names ("Record April 3" in two dividend notices is two
companies' news, not one story). An article that names no one tells no story
with another: wording alone pairs boilerplate ("4TH QTR NET").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain
from typing import Sequence

MIN_SHARED = 2
MIN_OVERLAP = 0.3
TOO_COMMON = 200  # a word in more events than this of one period says nothing about any pair

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*|\d[\d.,]*")
_NOT_CONTENT = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more most
    my no nor not now of off on once only or other our out over own same she should so some such than
    that the their them then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your said says say according
    told reported report reports per cent percent
    year years month months week weeks day days today yesterday tomorrow ago last next earlier later
    recent recently january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday quarter season spring summer
    autumn fall winter""".split()
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One event as the grouping sees it."""

    id: int
    article_id: str
    text: str
    entity_ids: frozenset[int]
    entity_names: tuple[str, ...] = ()
    article_entity_ids: frozenset[int] = frozenset()  # every entity its article names

    @property
    def about(self) -> frozenset[int]:
        """The entities the event is about: its own, or else its article's."""
        return self.entity_ids or self.article_entity_ids


def content_words(text: str, names: Sequence[str] = ()) -> frozenset[str]:
    """The words that carry a sentence's content, stemmed to five letters, and its numbers;
    never the words of the entities' names, which the entity test already compares."""
    named = set(_WORD.findall(" ".join(names).lower())) if names else ()
    found = set()
    for word in _WORD.findall(text.lower()):
        if word[0].isdigit():
            found.add(word.rstrip(".,"))
        elif len(word) > 2:
            word = word.removesuffix("'s").removesuffix("’s")
            if word not in _NOT_CONTENT and word not in named:
                found.add(word[:5])
    return frozenset(found)


def assign_stories(events: Sequence[Candidate]) -> dict[int, int]:
    """Each event's story: the id of the first event (in the order given) of its group.

    An event joins the story of the earliest story-opening event it matches, never a
    story through one of its other members: a chain of pairwise resemblances
    (A like B, B like C) does not make A and C one story. Only story openers are
    indexed by word, so an event is compared with the few openers that share
    telling words with it, not with every event of the period."""
    head = list(range(len(events)))
    words_of = {j: content_words(event.text, event.entity_names)
                for j, (event, able) in enumerate(zip(events, _pairable(events))) if able}
    events_with = Counter(word for words in words_of.values() for word in words)
    openers: dict[str, list[int]] = defaultdict(list)  # telling word -> story openers using it
    for j, words in words_of.items():  # events that share no entity with another article are left alone
        event = events[j]
        telling = [word for word in words if events_with[word] <= TOO_COMMON]
        shared = Counter(chain.from_iterable([openers[word] for word in telling if word in openers]))
        for i in sorted(i for i, count in shared.items() if count >= MIN_SHARED):
            if _same_story(events[i], event, words_of[i], words):
                head[j] = i
                break
        else:
            for word in telling:
                openers[word].append(j)
    return {event.id: events[head[index]].id for index, event in enumerate(events)}


def _pairable(events: Sequence[Candidate]) -> list[bool]:
    """Whether each event shares an entity with an event of another article:
    a cheap test that spares reading the words of events that can pair with nothing."""
    articles_by_entity: dict[int, set[str]] = defaultdict(set)
    for event in events:
        for entity in event.about:
            articles_by_entity[entity].add(event.article_id)
    return [any(len(articles_by_entity[entity]) > 1 for entity in event.about) for event in events]


def _same_story(a: Candidate, b: Candidate, words_a: frozenset[str], words_b: frozenset[str]) -> bool:
    if a.article_id == b.article_id:
        return False
    if not a.about & b.about:
        return False
    common = len(words_a & words_b)
    return common >= MIN_SHARED and common >= MIN_OVERLAP * min(len(words_a), len(words_b))
