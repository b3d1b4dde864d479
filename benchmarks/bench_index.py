"""How fast the indexer turns the Reuters-21578 archive (19,043 stories) into a timeline.

    python benchmarks/bench_index.py [--data /work/shared/data/reuters21578] [--workers N]

Converts the SGML to JSON Lines once (cached in the temp folder), then times:
a full index into a fresh database, a re-index of the unchanged corpus, and a
re-index after one article changed; the peak resident memory of the indexer
and its workers; where the time goes (read, sentences, timex, entities, the
rest of extraction, write) on a sample run in one process; and, beside our
per-story cost, the cost of ``dateparser.search.search_dates`` (the obvious
off-the-shelf way to find dates in text) on 200 stories, extrapolated.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import queue
import resource
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reuters_to_jsonl  # noqa: E402

from timeline import articles as reader  # noqa: E402
from timeline import entities, sentences, timex  # noqa: E402
from timeline.events import extract  # noqa: E402
from timeline.indexer import extraction_version, index  # noqa: E402
from timeline.store import Store  # noqa: E402

TARGET_FULL_S = 10.0
TARGET_REINDEX_S = 1.0
CACHE = Path(tempfile.gettempdir()) / "timeline-bench"


def cached_corpus(data: Path) -> Path:
    """The archive as JSON Lines, converted once and reused while the SGML is unchanged."""
    CACHE.mkdir(exist_ok=True)
    target = CACHE / "reuters.jsonl"
    newest_source = max(p.stat().st_mtime for p in data.glob("reut2-*.sgm"))
    if not target.exists() or target.stat().st_mtime < newest_source:
        started = time.perf_counter()
        counts = reuters_to_jsonl.convert(data, target)
        print(f"converted {counts['articles']:,} stories to {target} in {time.perf_counter() - started:.1f} s")
    else:
        print(f"reusing {target}")
    return target


@contextmanager
def stopwatch(figures: dict, name: str):
    started = time.perf_counter()
    yield
    figures[name] = figures.get(name, 0.0) + time.perf_counter() - started


def peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else f"over target by {value / target:.1f}x"


def time_index(corpus: Path, db: Path, workers: int) -> dict:
    """Index in a fresh (spawned) process, so its peak memory is the indexer's own."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_index_child, args=(str(corpus), str(db), workers, results))
    child.start()
    while True:
        try:
            figures = results.get(timeout=1)
            break
        except queue.Empty:
            if not child.is_alive():
                raise RuntimeError(f"the indexing process died (exit code {child.exitcode})") from None
    child.join()
    return figures


def _index_child(corpus: str, db: str, workers: int, results) -> None:
    with Store(db) as store:
        started = time.perf_counter()
        report = index([corpus], store, workers=workers)
        seconds = time.perf_counter() - started
    writer, workers_cpu = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    results.put({"seconds": seconds, "summary": report.summary(), "indexed": report.indexed,
                 "writer_cpu": writer.ru_utime + writer.ru_stime,
                 "workers_cpu": workers_cpu.ru_utime + workers_cpu.ru_stime,
                 "unchanged": report.unchanged, "writer_mb": peak_rss_mb(resource.RUSAGE_SELF),
                 "worker_mb": peak_rss_mb(resource.RUSAGE_CHILDREN)})


def change_one_article(corpus: Path) -> None:
    """Give one story (the middle line) one more sentence, leaving every other line as it was."""
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    middle = len(lines) // 2
    record = json.loads(lines[middle])
    record["text"] += f"\n\nThe benchmark touched this story on {time.strftime('%d %B %Y')}."
    lines[middle] = json.dumps(record, ensure_ascii=False) + "\n"
    corpus.write_text("".join(lines), encoding="utf-8")
    del lines


def index_runs(corpus: Path, workers: int, folder: Path) -> int:
    """Full index, unchanged re-index, one-article re-index; returns the number of stories."""
    working = folder / "reuters.jsonl"
    shutil.copyfile(corpus, working)
    db = folder / "bench.db"
    version = extraction_version()
    full = time_index(working, db, workers)
    print(f"full index         {full['seconds']:7.2f} s  {full['summary']}  "
          f"({full['indexed'] / full['seconds']:,.0f} stories/s; target ≤ {TARGET_FULL_S:.0f} s: "
          f"{verdict(full['seconds'], TARGET_FULL_S)})")
    if extraction_version() != version:
        print("  the extraction code changed during the run, so the re-index below re-extracts everything;"
              " run from a snapshot: cp -r timeline /tmp/snap/ && PYTHONPATH=/tmp/snap python ...")
    again = time_index(working, db, workers)
    print(f"unchanged re-index {again['seconds']:7.2f} s  {again['summary']}  "
          f"(target ≤ {TARGET_REINDEX_S:.0f} s: {verdict(again['seconds'], TARGET_REINDEX_S)})")
    change_one_article(working)
    one = time_index(working, db, workers)
    print(f"one story changed  {one['seconds']:7.2f} s  {one['summary']}")
    writer_cpu, workers_cpu, cores = full["writer_cpu"], full["workers_cpu"], os.cpu_count() or 1
    idle = max(writer_cpu, workers_cpu / workers, (writer_cpu + workers_cpu) / cores)
    print(f"CPU of the full index: {writer_cpu:.1f} s in the writer (read, hash, write, refresh), "
          f"{workers_cpu:.1f} s in the workers; with {cores} idle core(s) the wall time would be about "
          f"{idle:.0f} s (the load average is {os.getloadavg()[0]:.1f} now)")
    for label, run in (("full index", full), ("unchanged re-index", again), ("one story changed", one)):
        print(f"peak RSS, {label:18} {run['writer_mb']:5.0f} MB writer, {run['worker_mb']:5.0f} MB largest worker")
    print(f"database {sum(p.stat().st_size for p in folder.glob('bench.db*')) / 2**20:.0f} MB")
    return one["indexed"] + one["unchanged"]


def sample_articles(corpus: Path, size: int) -> list:
    return [item for item in islice(reader.read([corpus]), size) if isinstance(item, reader.Article)]


def breakdown(corpus: Path, size: int, total: int, folder: Path) -> float:
    """Stage by stage, in one process, on the first `size` stories; returns extraction s/story."""
    figures: dict[str, float] = {}
    with stopwatch(figures, "read (whole corpus)"):
        stories = sum(1 for item in reader.read([corpus]) if isinstance(item, reader.Article))
    sample = sample_articles(corpus, size)
    extract(sample[0])  # models load once, outside the figures
    for article in sample:
        with stopwatch(figures, "sentences"):
            list(sentences.spans(article.text))
        with stopwatch(figures, "tag timex"):
            timex.tag(article.text, article.published)
        with stopwatch(figures, "entities"):
            entities.find_mentions(article.text)
    extracted = []
    with stopwatch(figures, "extract (all)"):
        for article in sample:
            extracted.append((article, "sample", *extract(article)))
    with Store(folder / "sample.db") as store:
        with stopwatch(figures, "write (Store.write)"):
            for start in range(0, len(extracted), 200):
                store.write(extracted[start:start + 200])
        with stopwatch(figures, "refresh (counts, stories)"):
            store.refresh()
    parts = figures["sentences"] + figures["tag timex"] + figures["entities"]
    figures["rest of extraction"] = max(figures["extract (all)"] - parts, 0.0)
    scale = stories / len(sample)
    print(f"\nwhere the time goes, one process, {len(sample):,} stories "
          f"(per story, and extrapolated to {stories:,} stories):")
    for name in ("read (whole corpus)", "sentences", "tag timex", "entities", "rest of extraction",
                 "extract (all)", "write (Store.write)", "refresh (counts, stories)"):
        seconds = figures[name]
        if name.startswith("read"):
            print(f"  {name:30} {seconds / stories * 1000:6.2f} ms  {seconds:7.1f} s")
        else:
            print(f"  {name:30} {seconds / len(sample) * 1000:6.2f} ms  {seconds * scale:7.1f} s")
    return figures["extract (all)"] / len(sample)


def dateparser_baseline(corpus: Path, ours_per_story: float, total: int, size: int = 200) -> None:
    from dateparser.search import search_dates

    sample = sample_articles(corpus, size)
    search_dates("warm up on 1 March 1987", languages=["en"])
    costs = []
    for article in sample:
        started = time.perf_counter()
        search_dates(article.text, languages=["en"],
                     settings={"RELATIVE_BASE": _as_datetime(article.published)})
        costs.append(time.perf_counter() - started)
    mean = statistics.fmean(costs)
    print(f"\ndateparser.search.search_dates, {len(sample)} stories (dates only, no entities, no events):")
    print(f"  {mean * 1000:8.1f} ms/story (median {statistics.median(costs) * 1000:.1f} ms), "
          f"{mean * total:8.0f} s for {total:,} stories, one process")
    print(f"  timeline extract (dates, entities, events): {ours_per_story * 1000:.1f} ms/story, "
          f"{ours_per_story * total:.0f} s one process ({mean / ours_per_story:.0f}x less per story)")


def _as_datetime(day):
    import datetime as dt

    return dt.datetime(day.year, day.month, day.day)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data/reuters21578"))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sample", type=int, default=2000, help="stories in the stage-by-stage breakdown")
    parser.add_argument("--skip-baseline", action="store_true", help="leave out the dateparser comparison")
    parser.add_argument("--index-only", action="store_true", help="only the three index runs")
    args = parser.parse_args(argv)
    corpus = cached_corpus(args.data)
    print(f"{os.cpu_count()} CPU(s), {args.workers} worker(s)\n")
    with tempfile.TemporaryDirectory(prefix="timeline-bench-") as folder:
        total = index_runs(corpus, args.workers, Path(folder))
        if args.index_only:
            return 0
        ours = breakdown(corpus, args.sample, total, Path(folder))
    if not args.skip_baseline:
        dateparser_baseline(corpus, ours, total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
