"""How the browser feels on a large database: first paint, filters, search, paging, memory.

    python benchmarks/bench_app.py DB [--repeats 7]

Runs the app in this process with Textual's pilot, at 120x40, as tests/test_app.py
drives it. Each interaction is timed two ways:

- *update*: from the call until the screen's widgets have handled every message
  it caused and the timeline's visible rows are drawn (store queries included);
  this is the figure set against the targets;
- *with pause*: the same plus ``pilot.pause()``, which waits for Textual to look
  idle and so always adds at least 20 ms of sleeping.

PgDn runs the key's action (``page(1)`` on the timeline) as its binding does;
it is also timed through ``pilot.press``, whose own idle waits add ≥ 40 ms.

A search for a common word shows its first page at once (the *update* figure)
and counts its rows in a worker thread; "exact count shown" is from the call
until that count is on screen (the scrollbar and the filter bar's total).

Then the store calls alone (groups, a window of events at the top and deep in
the timeline, entities) show where the time goes. Medians over repeats.
Prints figures; asserts nothing. Make a database with make_events_db.py.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import time
from pathlib import Path

from timeline.app import TimelineApp  # noqa: E402
from timeline.store import Filter, Store  # noqa: E402

SIZE = (120, 40)
TARGETS_MS = {"first paint": 500, "entity filter": 50, "clear filter": 50, "search": 100, "PgDn": 20}
TARGET_RSS_MB = 150


def rss_mb() -> float:
    """Resident memory now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def draw_timeline(app) -> None:
    """What the compositor does for the timeline: render every visible row."""
    view = app.timeline
    for y in range(view.size.height):
        view.render_line(y)


async def settle(pilot, app) -> None:
    await pilot._wait_for_screen()  # every message the action caused is handled
    draw_timeline(app)


async def timed(pilot, app, action) -> tuple[float, float]:
    """(update, with pause) seconds for one interaction."""
    started = time.perf_counter()
    result = action()
    if asyncio.iscoroutine(result):
        await result
    await settle(pilot, app)
    update = time.perf_counter() - started
    await pilot.pause()
    return update, time.perf_counter() - started


async def timed_search(pilot, app, text: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """A search as timed(), and the time until its exact count is on screen: a common word's
    first page is shown at once and its rows counted in a worker thread meanwhile."""
    started = time.perf_counter()
    app.apply_filter(Filter(search=text))
    await settle(pilot, app)
    update = time.perf_counter() - started
    while app.timeline.counting:
        await asyncio.sleep(0.002)
    await settle(pilot, app)
    exact = time.perf_counter() - started
    await pilot.pause()
    return (update, time.perf_counter() - started), (exact, exact)


async def first_paint(store: Store) -> tuple[float, float]:
    app = TimelineApp(store)
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        update = time.perf_counter() - started
        await pilot.pause()
        paused = time.perf_counter() - started
        assert app.timeline.event_count > 0, "an empty timeline measures nothing"
    return update, paused


def pick_entities(store: Store) -> dict[str, object]:
    ranked = store.entities(limit=5000)
    top, middle = ranked[0], ranked[len(ranked) // 2]
    return {f"entity filter, most frequent ({top.name}, {top.count:,} events)": top,
            f"entity filter, mid-ranked ({middle.name}, {middle.count:,} events)": middle}


def date_range(store: Store) -> tuple[str, str]:
    """Five years from the heading in the middle of the timeline: a range holding a good share of it."""
    groups = store.groups()
    middle, seen = sum(group.count for group in groups) // 2, 0
    for group in groups:
        seen += group.count
        if seen >= middle:
            year = int(group.year)
            return f"{year:04d}-01-01", f"{year + 4:04d}-12-31"
    return "2000-01-01", "2004-12-31"


def entity_with_dates(store: Store) -> dict[str, Filter]:
    top = pick_entities(store)
    entity = next(iter(top.values()))
    date_from, date_to = date_range(store)
    flt = Filter(entity_ids=(entity.id,), date_from=date_from, date_to=date_to)
    label = f"entity filter + dates ({entity.name}, {date_from[:4]}-{date_to[:4]}, {store.count(flt):,} rows)"
    return {label: flt}


def search_word(store: Store) -> str:
    """A word on a good share of events, found from the first page of the timeline."""
    counts: dict[str, int] = {}
    for event, _ in store.events(Filter(), limit=500):
        for word in event.text.split():
            if word.isalpha() and word.islower() and len(word) > 4:
                counts[word] = counts.get(word, 0) + 1
    return max(counts, key=counts.get)


async def interactions(store: Store, repeats: int) -> dict[str, list[tuple[float, float]]]:
    figures: dict[str, list[tuple[float, float]]] = {}
    chosen = pick_entities(store)
    dated = entity_with_dates(store)
    word = search_word(store)
    middle = list(chosen.values())[1]
    searches = {f"search “{word}”, a common word": word, f"search “{middle.name}”, a selective one": middle.name}
    app = TimelineApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(repeats):
            for label, entity in chosen.items():
                figures.setdefault(label, []).append(
                    await timed(pilot, app, lambda e=entity: app.apply_filter(Filter(entity_ids=(e.id,)))))
                figures.setdefault("clear filter", []).append(
                    await timed(pilot, app, lambda: app.apply_filter(Filter())))
            for label, flt in dated.items():
                figures.setdefault(label, []).append(await timed(pilot, app, lambda f=flt: app.apply_filter(f)))
                await timed(pilot, app, lambda: app.apply_filter(Filter()))
            for label, text in searches.items():
                first_page, exact = await timed_search(pilot, app, text)
                figures.setdefault(label, []).append(first_page)
                figures.setdefault(f"  exact count shown ({label.split(',')[0]})", []).append(exact)
                await timed(pilot, app, lambda: app.apply_filter(Filter()))
            for _ in range(5):  # the pagedown binding's action; pilot.press adds two ≥20 ms idle waits
                figures.setdefault("PgDn", []).append(
                    await timed(pilot, app, lambda: app.run_action("page(1)", app.timeline)))
            for _ in range(5):
                figures.setdefault("PgDn via pilot.press (idle waits included)", []).append(
                    await timed(pilot, app, lambda: pilot.press("pagedown")))
        figures["_rss"] = [(rss_mb(), 0.0)]
    return figures


def store_calls(store: Store, repeats: int) -> None:
    chosen = list(pick_entities(store).values())
    dated = next(iter(entity_with_dates(store).values()))
    total = store.count()
    calls = {
        "groups()": lambda: store.groups(),
        "events(offset 0, 128)": lambda: store.events(Filter(), offset=0, limit=128),
        f"events(offset {total // 2:,}, 128)": lambda: store.events(Filter(), offset=total // 2, limit=128),
        "groups(top entity)": lambda: store.groups(Filter(entity_ids=(chosen[0].id,))),
        "events(top entity, 0, 128)": lambda: store.events(Filter(entity_ids=(chosen[0].id,)), limit=128),
        "groups(mid entity)": lambda: store.groups(Filter(entity_ids=(chosen[1].id,))),
        "groups(top entity, dates)": lambda: store.groups(dated),
        "events(top entity, dates, 0, 128)": lambda: store.events(dated, limit=128),
        "groups(search)": lambda: store.groups(Filter(search=search_word(store))),
        "entities()": lambda: store.entities(),
        "entities('an')": lambda: store.entities("an"),
    }
    print("\nstore calls alone (median ms):")
    for label, call in calls.items():
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        print(f"  {label:40} {statistics.median(times) * 1000:8.1f}")


def median_ms(call, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def proposed_queries(store: Store, repeats: int) -> None:
    """The store changes proposed for the slow calls, built in an attached in-memory database
    (the benchmark database is not touched) and checked to give the same headings."""
    from timeline.store import fts_query

    conn = store.db.conn
    conn.execute("ATTACH ':memory:' AS proposed")
    started = time.perf_counter()
    conn.execute("CREATE TABLE proposed.entity_buckets AS SELECT entity_id, bucket, count(*) AS stories "
                 "FROM story_entities GROUP BY entity_id, bucket")
    conn.execute("CREATE UNIQUE INDEX proposed.entity_buckets_key ON entity_buckets (entity_id, bucket)")
    built = time.perf_counter() - started
    top = pick_entities(store)
    print(f"\nproposed (median ms; entity_buckets built for every entity in {built:.1f} s):")
    for entity in top.values():
        flt = Filter(entity_ids=(entity.id,))
        now, expected = median_ms(lambda: store.groups(flt), repeats)
        new, found = median_ms(lambda: conn.execute(
            "SELECT bucket, stories FROM proposed.entity_buckets WHERE entity_id = ? ORDER BY bucket",
            [entity.id]).fetchall(), repeats)
        same = [(g.bucket, g.count) for g in expected] == [tuple(row) for row in found]
        print(f"  groups({entity.name}, {entity.count:,} events): {now:8.1f} -> {new:6.1f} "
              f"from entity_buckets{'' if same else ' (DIFFERENT headings)'}")
    conn.execute("CREATE TABLE proposed.keys (id INTEGER PRIMARY KEY, story INTEGER, bucket TEXT, pos INTEGER)")
    conn.execute("INSERT INTO proposed.keys SELECT id, story, bucket, pos FROM events")
    word = search_word(store)
    query = fts_query(word)
    now, expected = median_ms(lambda: store.groups(Filter(search=word)), repeats)
    new, found = median_ms(lambda: conn.execute(
        "SELECT e.bucket, count(*) FROM proposed.keys e WHERE e.pos IS NOT NULL AND e.id IN "
        "(SELECT m.story FROM events_fts f JOIN proposed.keys m ON m.id = f.rowid WHERE events_fts MATCH ?) "
        "GROUP BY e.bucket ORDER BY e.bucket", [query]).fetchall(), repeats)
    same = [(g.bucket, g.count) for g in expected] == [tuple(row) for row in found]
    print(f"  groups(search “{word}”): {now:8.1f} -> {new:6.1f} through a narrow (id, story, bucket, pos) "
          f"table{'' if same else ' (DIFFERENT headings)'}")


def report(label: str, samples: list[tuple[float, float]]) -> None:
    update = statistics.median(s[0] for s in samples) * 1000
    paused = statistics.median(s[1] for s in samples) * 1000
    target = next((ms for key, ms in TARGETS_MS.items() if label.startswith(key)), None)
    if "pilot.press" in label:
        target = None
    verdict = "" if target is None else f"target ≤ {target} ms: " + ("ok" if update <= target else f"over by {update / target:.1f}x")
    print(f"  {label:58} {update:8.1f} ms {paused:8.1f} ms   {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--proposed", action="store_true",
                        help="also time the proposed store changes (needs the stories schema)")
    args = parser.parse_args(argv)
    baseline = rss_mb()
    with Store(args.db, create=False) as store:
        print(f"{args.db}: {store.count():,} events, {store.counts()['entities']:,} entities; "
              f"medians of {args.repeats} runs, {SIZE[0]}x{SIZE[1]}\n")
        print(f"  {'':58} {'update':>11} {'with pause':>11}")
        paints = [asyncio.run(first_paint(store)) for _ in range(args.repeats)]
        report("first paint", paints)
        figures = asyncio.run(interactions(store, args.repeats))
        for label, samples in figures.items():
            if not label.startswith("_"):
                report(label, samples)
        resident = figures["_rss"][0][0]
        print(f"\nresident memory with the app open: {resident:.0f} MB (Python and imports alone: "
              f"{baseline:.0f} MB); target ≤ {TARGET_RSS_MB} MB: "
              + ("ok" if resident <= TARGET_RSS_MB else f"over by {resident / TARGET_RSS_MB:.1f}x"))
        store_calls(store, args.repeats)
        if args.proposed:
            proposed_queries(store, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
