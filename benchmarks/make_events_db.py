"""A timeline database of a million events, made through the product's own store.

    python benchmarks/make_events_db.py OUT.db [--events 1000000] [--seed 1] [--resume]

Generated articles go through ``Store.write`` exactly as the indexer sends
them (Article, content hash, Events with their Mentions), then ``refresh``.
What is generated, so the app and export have realistic work to do:

- publication dates spread over 1950-2025, more of them in recent years;
- each event at a period near its article's date, of mixed granularity (days
  most often, then months, years, quarters, weeks, seasons, decades);
- ~5,000 entities (PER, ORG, LOC, MISC) named with a Zipf-like skew, so a few
  are on a large share of events and most on a handful; ~3 per event;
- sentences of ~20 words from a news word list, so search has words to match.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from itertools import accumulate
from pathlib import Path


from timeline.model import Article, Event, Mention  # noqa: E402
from timeline.periods import period_of  # noqa: E402
from timeline.store import Store  # noqa: E402

EVENTS_PER_ARTICLE = 10
ENTITIES = 5000
ZIPF_EXPONENT = 1.05
BATCH = 100  # articles per Store.write, as the indexer's BATCH_SIZE order of magnitude

WORDS = """
market shares prices oil bank government minister company talks trade deal rates growth
budget election vote court ruling police border troops army ceasefire summit agreement
profit losses revenue sales exports imports tariffs inflation unemployment jobs workers
strike union factory plant output production demand supply shortage harvest drought flood
storm earthquake fire rescue hospital vaccine health schools students teachers university
research study scientists climate emissions energy power grid coal gas solar wind nuclear
pipeline refinery shipping port airline airport flights passengers railway bridge road
housing rents mortgage loans debt bonds currency dollar euro yen investors merger takeover
acquisition bid offer stake chief executive board chairman director resigned appointed
launched announced unveiled expanded cut raised lowered warned rejected approved signed
agreed blocked delayed cancelled reopened closed protest rally crowd campaign party
parliament senate congress law bill reform tax subsidy aid loan fund program contract
lawsuit inquiry investigation charges trial verdict sentence prison fraud scandal
software chips phones network data privacy security hackers satellite rocket launch
mission space telescope discovery drug trial approval patients doctors nurses virus
outbreak cases season championship final match league team coach players record title
festival film music album tour gallery museum exhibition book prize award winner
coffee cocoa sugar wheat corn soybeans cattle gold silver copper steel aluminium
""".split()
FIRST = "Anna Ben Carla David Elena Farid Grace Hiro Ivan Julia Kofi Lena Marco Nadia Omar Priya Quinn Rosa Sam Tara".split()
LAST = "Abbott Bauer Castillo Dubois Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Larsen Moreau Nakamura Okafor Petrov Quispe Rossi Singh Tanaka".split()
ORG_WORDS = "Atlas Beacon Cobalt Delta Ember Falcon Granite Harbor Iris Juniper Keystone Lumen Meridian Nova Orion Pioneer Quartz Redwood Summit Titan".split()
ORG_KINDS = "Corp Bank Group Holdings Energy Airlines Motors Foods Pharma Mining".split()
PLACES = "Aran Borea Calder Dunmore Esk Fairhaven Glen Hollis Inver Jura Kells Lorne Moray Nairn Oban Perth Quarry Ross Skye Tain".split()
PLACE_KINDS = "City Valley Province Bay Island Port Hills Coast".split()
MISC = "Cup Prize Accord Treaty Festival Games Index Act Fund Summit".split()

GRANULARITY_WEIGHTS = {"day": 50, "month": 18, "year": 18, "quarter": 5, "week": 4, "season": 3, "decade": 2}


def entity_pool(rng: random.Random, size: int) -> list[tuple[str, str]]:
    """(name, type) of size distinct entities."""
    makers = {
        "PER": lambda: f"{rng.choice(FIRST)} {rng.choice(LAST)}" + (f" {rng.choice(LAST)}" if rng.random() < 0.6 else ""),
        "ORG": lambda: f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_WORDS)} {rng.choice(ORG_KINDS)}",
        "LOC": lambda: f"{rng.choice(PLACES)} {rng.choice(PLACES)} {rng.choice(PLACE_KINDS)}",
        "MISC": lambda: f"{rng.choice(ORG_WORDS)} {rng.choice(PLACES)} {rng.choice(MISC)}",
    }
    seen: dict[str, str] = {}
    types = ["PER"] * 4 + ["ORG"] * 3 + ["LOC"] * 2 + ["MISC"]
    while len(seen) < size:
        kind = rng.choice(types)
        seen.setdefault(makers[kind](), kind)
    return list(seen.items())


def publication_date(rng: random.Random) -> dt.date:
    year = 2025 - int(rng.triangular(0, 76, 0))  # more news of recent years
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def period_value(rng: random.Random, published: dt.date, granularity: str) -> str:
    """A TIMEX3 value of the granularity, within a few years of the publication date."""
    day = published + dt.timedelta(days=int(rng.gauss(0, 400)))
    if granularity == "day":
        return day.isoformat()
    if granularity == "month":
        return day.isoformat()[:7]
    if granularity == "year":
        return str(day.year)
    if granularity == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if granularity == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if granularity == "season":
        return f"{day.year}-{rng.choice(['SP', 'SU', 'FA', 'WI'])}"
    return str(day.year)[:3]


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.entities = entity_pool(self.rng, ENTITIES)
        weights = [1 / rank ** ZIPF_EXPONENT for rank in range(1, len(self.entities) + 1)]
        self.cumulative = list(accumulate(weights))
        self.granularities = list(GRANULARITY_WEIGHTS)
        self.granularity_cumulative = list(accumulate(GRANULARITY_WEIGHTS.values()))

    def sentence(self) -> tuple[str, list[tuple[int, int, str, str]]]:
        """A sentence and its mentions as (start, end, name, type), offsets within the sentence."""
        rng = self.rng
        named = {name: kind for name, kind in rng.choices(self.entities, cum_weights=self.cumulative,
                                                          k=rng.choice((2, 3, 3, 4)))}
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 22))]
        slots = sorted(rng.sample(range(1, len(words)), len(named)))
        parts, mentions, length = [], [], 0
        pieces = iter(named.items())
        for index, word in enumerate(words):
            if slots and index == slots[0]:
                slots.pop(0)
                name, kind = next(pieces)
                mentions.append((length, length + len(name), name, kind))
                parts.append(name)
                length += len(name) + 1
            parts.append(word)
            length += len(word) + 1
        text = " ".join(parts)
        return text[0].upper() + text[1:] + ".", mentions

    def article(self, number: int) -> tuple[Article, list[Event]]:
        rng = self.rng
        published = publication_date(rng)
        title = " ".join(rng.choice(WORDS) for _ in range(7)).title()
        text, events, article_id = title, [], f"generated-{number}"
        for _ in range(EVENTS_PER_ARTICLE):
            sentence, found = self.sentence()
            start = len(text) + 2
            text += "\n\n" + sentence
            granularity = rng.choices(self.granularities, cum_weights=self.granularity_cumulative)[0]
            value = period_value(rng, published, granularity)
            period = period_of(value)
            mentions = tuple(Mention(start + s, start + e, name, kind, name) for s, e, name, kind in found)
            events.append(Event(
                article_id=article_id, start=period.start.isoformat(), end=period.end.isoformat(),
                granularity=period.granularity, value=value, text=sentence, char_start=start,
                char_end=start + len(sentence), timex=value, entities=mentions,
            ))
        article = Article(id=article_id, title=title, text=text, published=published, source="Generated",
                          path=f"/generated/{number}.md")
        return article, events


def make(path: Path, events: int, seed: int, *, resume: bool = False) -> None:
    generator = Generator(seed)
    articles = -(-events // EVENTS_PER_ARTICLE)
    started = time.perf_counter()
    with Store(path, create=not resume) as store:
        done = skip_written(store, generator) if resume else 0
        for first in range(done, articles, BATCH):
            batch = []
            for number in range(first, min(first + BATCH, articles)):
                article, found = generator.article(number)
                batch.append((article, f"generated-{seed}", found))
            store.write(batch)
            if (first // BATCH) % 100 == 0:
                done = min(first + BATCH, articles) * EVENTS_PER_ARTICLE
                print(f"  {done:>10,} events  {time.perf_counter() - started:7.1f} s", flush=True)
        written = time.perf_counter() - started
        store.refresh()
        refreshed = time.perf_counter() - started - written
        counts = store.counts()
    print(f"{counts['events']:,} events, {counts['articles']:,} articles, {counts['entities']:,} entities "
          f"in {path} ({path.stat().st_size / 2**20:,.0f} MB): written in {written:.0f} s, "
          f"refreshed (counts, stories) in {refreshed:.0f} s")


def skip_written(store: Store, generator: Generator) -> int:
    """How many articles an interrupted run wrote; the generator is moved past them, so the
    database goes on exactly as one uninterrupted run would have made it."""
    written = store.db.execute("SELECT count(*) FROM articles").fetchone()[0]
    for number in range(written):
        article, _ = generator.article(number)
    if written:
        stored = store.article(f"generated-{written - 1}")
        if stored is None or stored["title"] != article.title:
            raise SystemExit(f"{store.path}: not made by this generator with this seed; cannot resume")
    print(f"  resuming after {written:,} articles", flush=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--resume", action="store_true",
                        help="go on with a database an interrupted run left (same --seed), then refresh it")
    args = parser.parse_args(argv)
    if args.target.exists() and not args.resume:
        print(f"{args.target} exists; remove it first, or --resume an interrupted run", file=sys.stderr)
        return 1
    make(args.target, args.events, args.seed, resume=args.resume)
    return 0


if __name__ == "__main__":
    sys.exit(main())
