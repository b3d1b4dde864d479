"""Indexing: read articles, extract their events, store them; skip what has not changed.

Extraction is a pure function per article (``events.extract_events``); this
module only decides what to extract and hands the results to the store in
batches, one transaction each.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import articles as reader
from .events import extract_events
from .model import Article
from .store import Store, content_hash

BATCH_SIZE = 200
_EXTRACTION_MODULES = ("events.py", "sentences.py", "periods.py", "timex.py", "entities.py", "model.py")


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
    digest = hashlib.blake2b(digest_size=8)
    package = Path(__file__).parent
    for path in sorted(package.glob("entity_*")) + [package / name for name in _EXTRACTION_MODULES]:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def index(
    paths: Iterable[str | Path],
    store: Store,
    *,
    on_article: Callable[[Article | reader.Problem], None] | None = None,
) -> Report:
    """Index the articles under paths into store; remove stored articles whose files are gone."""
    paths = [Path(p) for p in paths]
    version = extraction_version()
    known = store.article_hashes()
    report = Report()
    seen: set[str] = set()
    failed_files: set[str] = set()
    batch: list = []

    for item in reader.read(paths):
        if on_article:
            on_article(item)
        if isinstance(item, reader.Problem):
            report.problems.append(item)
            if item.fatal:
                failed_files.add(str(Path(item.path).resolve()))
            continue
        seen.add(item.id)
        digest = content_hash(item, version)
        if known.get(item.id) == digest:
            report.unchanged += 1
            continue
        batch.append((item, digest, extract_events(item)))
        if len(batch) >= BATCH_SIZE:
            _flush(store, batch, report)
    _flush(store, batch, report)

    gone = _vanished(store, paths, seen, failed_files)
    if gone:
        report.removed = store.remove_articles(gone)
    if report.indexed or report.removed or store.counts_stale:
        store.refresh_entity_counts()
    return report


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
        for article_id, article_path in store.articles_under(str(path.resolve())):
            source_file = article_path.split("#", 1)[0]
            if article_id not in seen and source_file not in failed_files:
                gone.append(article_id)
    return gone
