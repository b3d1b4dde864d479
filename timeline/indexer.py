"""Indexing: read articles, extract their events, store them; skip what has not changed.

Extraction is a pure function per article (``events.extract``); this
module only decides what to extract and hands the results to the store in
batches, one transaction each.

With several workers, extraction runs in a process pool while this process
reads, hashes and writes. Articles go to the pool in chunks, a bounded number
of chunks at a time (memory stays flat however large the corpus), and their
events come back in reading order, packed as plain tuples that refer to the
article's text rather than copying it. The database is therefore the same,
id for id, as a single-process run.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import articles as reader
from .model import Article, Event, Mention
from .store import Store, content_hash

BATCH_SIZE = 200
CHUNK_SIZE = 16  # articles per task sent to a worker
CHUNKS_PER_WORKER = 4  # tasks in flight per worker: enough to keep it busy, few enough to bound memory
RACY_SECONDS = 2  # files modified more recently than this are read again next time
PARALLEL_FROM = 48  # fewer articles to extract than this: starting a pool would cost more than it saves
# The files whose code or data decide what an article's events are, and how events group into stories.
_EXTRACTION_FILES = ("entit*", "timex*.py", "events.py", "sentences.py", "periods.py", "model.py")
_GROUPING_FILES = ("stories.py",)


@dataclass
class Report:
    """What a run of the indexer did."""

    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    events: int = 0
    problems: list[reader.Problem] = field(default_factory=list)

    @property
    def failures(self) -> list[reader.Problem]:
        return [p for p in self.problems if p.fatal]

    @property
    def warnings(self) -> list[reader.Problem]:
        return [p for p in self.problems if not p.fatal]

    def summary(self) -> str:
        parts = [f"{self.indexed} article(s) indexed", f"{self.events} event(s)"]
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        if self.removed:
            parts.append(f"{self.removed} removed")
        if self.failures:
            parts.append(f"{len(self.failures)} skipped")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning(s)")
        return ", ".join(parts)


def extraction_version() -> str:
    """Changes whenever the code or data that turn an article into events change,
    so an upgraded tagger re-indexes everything once."""
    return _version_of(_EXTRACTION_FILES)


def grouping_version() -> str:
    """Changes whenever the way events group into stories changes, so an upgrade regroups every period once."""
    return _version_of(_GROUPING_FILES)


def _version_of(patterns: tuple[str, ...]) -> str:
    digest = hashlib.blake2b(digest_size=8)
    package = Path(__file__).parent
    for path in sorted({path for pattern in patterns for path in package.glob(pattern)}):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def index(
    paths: Iterable[str | Path],
    store: Store,
    *,
    on_article: Callable[[Article | reader.Problem], None] | None = None,
    workers: int | None = None,
) -> Report:
    """Index the articles under paths into store; remove stored articles whose files are gone.

    workers: processes extracting events (default: one per CPU; 1 extracts in this process).
    """
    run = _Run(paths=[Path(p) for p in paths], version=extraction_version())
    report = run.report
    grouping = grouping_version()
    if store.get_meta("grouping") != grouping:
        store.mark_every_period_stale()
    changed = _changed_articles(run, store, on_article)
    batch: list = []
    for item in extract_in_order(changed, workers or os.cpu_count() or 1):
        batch.append(item)
        if len(batch) >= BATCH_SIZE:
            _flush(store, batch, report)
    _flush(store, batch, report)

    gone = _vanished(store, run.paths, run.seen, run.failed_files)
    if gone:
        report.removed = store.remove_articles(gone)
    _remember_files(store, run)
    if report.indexed or report.removed or store.needs_refresh:
        store.refresh()
    if store.get_meta("grouping") != grouping:
        store.set_meta("grouping", grouping)  # after the refresh: a run killed before it regroups again
    return report


@dataclass
class _Run:
    """What one indexing run has found so far."""

    paths: list[Path]
    version: str
    report: Report = field(default_factory=Report)
    seen: set[str] = field(default_factory=set)  # ids of the articles found, read or not
    failed_files: set[str] = field(default_factory=set)
    files_read: list[reader.FileRead] = field(default_factory=list)
    files_unchanged: set[str] = field(default_factory=set)


def _changed_articles(
    run: _Run, store: Store, on_article: Callable[[Article | reader.Problem], None] | None,
) -> Iterator[tuple[Article, str]]:
    """(article, content hash) for every article read that is new or changed; notes the rest in the run.
    A file whose size and modification time are those stored, under the same extraction, is not read."""
    report, seen, failed_files, version = run.report, run.seen, run.failed_files, run.version
    known = store.article_hashes()
    for item in reader.read(run.paths, unchanged=_unchanged_check(store, version)):
        if isinstance(item, reader.FileRead):
            run.files_read.append(item)
            continue
        if on_article:
            on_article(item)
        if isinstance(item, reader.FileUnchanged):
            run.files_unchanged.add(item.path)
            seen.update(item.article_ids)
            report.unchanged += len(item.article_ids)
            continue
        if isinstance(item, reader.Problem):
            report.problems.append(item)
            if item.fatal:
                failed_files.add(os.path.realpath(item.path))  # resolve() raises on a symlink loop
            continue
        seen.add(item.id)
        digest = content_hash(item, version)
        if known.get(item.id) == digest:
            report.unchanged += 1
            continue
        yield item, digest


def _unchanged_check(store: Store, version: str) -> reader.UnchangedCheck:
    fingerprints = store.file_fingerprints()
    ids_by_file: dict[str, list[str]] | None = None

    def unchanged(path: str, status: os.stat_result) -> list[str] | None:
        nonlocal ids_by_file
        if fingerprints.get(path) != (status.st_size, status.st_mtime_ns, version):
            return None
        if ids_by_file is None:
            ids_by_file = store.article_ids_by_file()
        return ids_by_file.get(path, [])

    return unchanged


def _remember_files(store: Store, run: _Run) -> None:
    """Fingerprint the files read to the end without a failure; forget those not found whole.
    A file changed in the last seconds is not fingerprinted: a second change within the
    file system's clock tick would keep its time and, with the same size, go unseen."""
    recent = time.time_ns() - RACY_SECONDS * 1_000_000_000
    settled = [f for f in run.files_read if f.path not in run.failed_files and f.mtime_ns < recent]
    keep = run.files_unchanged | {f.path for f in settled}
    roots = [os.path.realpath(path) for path in run.paths if path.exists()]
    store.remember_files([(f.path, f.size, f.mtime_ns) for f in settled], run.version, roots=roots, keep=keep)


def _flush(store: Store, batch: list, report: Report) -> None:
    if batch:
        report.events += store.write(batch)
        report.indexed += len(batch)
        batch.clear()


def _vanished(store: Store, paths: list[Path], seen: set[str], failed_files: set[str]) -> list[str]:
    """Stored articles from the given paths that this run no longer found (their file was
    deleted, or the line left its JSON Lines file). Files that failed to read keep theirs."""
    gone = []
    for path in paths:
        if not path.exists():
            continue  # a mistyped path must not wipe anything
        for article_id, article_path in store.articles_under(os.path.realpath(path)):
            source_file = article_path.split("#", 1)[0]
            if article_id not in seen and source_file not in failed_files:
                gone.append(article_id)
    return gone


# --- extraction, in this process or a pool ----------------------------------------


def extract_in_order(
    items: Iterator[tuple[Article, str]], workers: int
) -> Iterator[tuple[Article, str, list[Event], list[Mention]]]:
    """(article, hash, events, mentions) for each (article, hash), in the order given.

    A pool starts only for workers > 1 and at least PARALLEL_FROM articles, so
    re-indexing a few changed files does not pay for starting processes.
    """
    items = iter(items)
    head = list(islice(items, PARALLEL_FROM if workers > 1 else 1))
    if not head:
        return  # nothing changed: the models are never loaded
    from .events import extract  # here, not at the top, for that reason

    if workers <= 1 or len(head) < PARALLEL_FROM:
        for article, digest in chain(head, items):
            yield article, digest, *extract(article)
        return
    yield from _extract_in_pool(chain(head, items), workers)


def _extract_in_pool(
    items: Iterator[tuple[Article, str]], workers: int
) -> Iterator[tuple[Article, str, list[Event], list[Mention]]]:
    in_flight: deque = deque()
    with _interrupts_at_safe_points() as check, \
            multiprocessing.get_context().Pool(workers, initializer=_ignore_interrupts) as pool:
        for chunk in _chunks(items, CHUNK_SIZE):
            check()
            task = pool.apply_async(_extract_chunk, ([article for article, _ in chunk],))
            in_flight.append((chunk, task))
            if len(in_flight) >= workers * CHUNKS_PER_WORKER:
                yield from _unpacked(*in_flight.popleft(), check)
        while in_flight:
            yield from _unpacked(*in_flight.popleft(), check)
        check()  # a Ctrl-C while the last results were written


@contextmanager
def _interrupts_at_safe_points() -> Iterator[Callable[[], None]]:
    """Ctrl-C noted, and raised as KeyboardInterrupt only where the yielded check is called.
    Raised anywhere, it can land inside the pool's own bookkeeping (starting a worker, taking
    a lock), and the pool then hangs as it shuts down instead of ending the run."""
    pending: list[int] = []

    def check() -> None:
        if pending:
            raise KeyboardInterrupt

    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield check  # Ctrl-C ignored (a background job) or handled by someone else: leave it so
        return
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: pending.append(signum))
    except ValueError:  # not the main thread (the app re-indexes in a worker): nothing to defer
        yield check
        return
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous)


def _ignore_interrupts() -> None:
    """Ctrl-C is the writer's to handle: it stops the pool, so workers print no tracebacks of their own.
    And a worker dies with the writer: orphaned, it would finish its chunk and complain of a broken pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            return
        except (OSError, AttributeError):
            pass
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(items, size)):
        yield chunk


def _unpacked(
    chunk: list[tuple[Article, str]], task, check: Callable[[], None]
) -> Iterator[tuple[Article, str, list[Event], list[Mention]]]:
    while not task.ready():
        check()
        task.wait(0.05)
    for (article, digest), packed in zip(chunk, task.get(), strict=True):
        yield article, digest, *unpack_events(article, packed)


def _extract_chunk(chunk: list[Article]) -> list:
    """Runs in a worker: the packed events and mentions of each article of a chunk."""
    from .events import extract

    return [pack_events(article, *extract(article)) for article in chunk]


# A packed article is ("packed", mentions, events): each mention a plain tuple, each event
# (start, end, granularity, value, char_start, char_end, timex, mention numbers), its text
# being the article's text[char_start:char_end]. Events that do not fit that shape travel
# as they are: ("events", [Event, ...], [Mention, ...]).


def pack_events(article: Article, events: list[Event], mentions: list[Mention]) -> tuple:
    """Events and mentions in a compact, cheap-to-pickle form that unpack_events turns back
    into equal ones."""
    numbers = {mention: number for number, mention in enumerate(mentions)}
    packed = []
    for event in events:
        if event.article_id != article.id or event.id is not None or \
                event.text != article.text[event.char_start:event.char_end] or \
                any(mention not in numbers for mention in event.entities):
            return ("events", events, mentions)
        packed.append((event.start, event.end, event.granularity, event.value, event.char_start,
                       event.char_end, event.timex, tuple(numbers[m] for m in event.entities)))
    return ("packed", [(m.start, m.end, m.text, m.type, m.name) for m in mentions], packed)


def unpack_events(article: Article, packed: tuple) -> tuple[list[Event], list[Mention]]:
    if packed[0] == "events":
        return packed[1], packed[2]
    _, mention_rows, event_rows = packed
    mentions = [Mention(*row) for row in mention_rows]
    text = article.text
    events = [
        Event(article_id=article.id, start=start, end=end, granularity=granularity, value=value,
              text=text[char_start:char_end], char_start=char_start, char_end=char_end, timex=timex,
              entities=tuple(mentions[n] for n in numbers))
        for start, end, granularity, value, char_start, char_end, timex, numbers in event_rows
    ]
    return events, mentions
