"""The one place that talks SQL: the timeline database, written through sqlite-utils.

The schema is a public interface (README, "The database"): ``articles``,
``events`` (with ``events_fts``), ``entities``, ``event_entities`` and ``meta``.
Writers replace an article's events in the same transaction as the article,
so a killed indexer leaves either the old article or the new one, never half.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from .model import Article, Event, Mention, Source
from .periods import FINE, RANK
from .stories import Candidate, assign_stories

if TYPE_CHECKING:
    import sqlite_utils

SCHEMA_VERSION = 3
# A search matching more events than this finds its windows by walking the timeline in
# order, and its heading counts are better left to another thread.
_WALK_ABOVE = 5000
_NEAR_TOP = 4096  # rows of the whole timeline a common search's first page is looked for in first
_BUSY_TIMEOUT_MS = 30_000
_EXPORT_BATCH = 500  # rows an export reads at a time (SQLite takes up to 999 parameters)
# An export walks the timeline in order through its positions rather than reading the whole table
# and sorting when a date range leaves under 1/_WALK_SHARE of it (a row found by position costs
# some 20 times a row read in storage order).
_WALK_SHARE = 20
_ORDER = "e.bucket, e.start, e.granularity_rank, e.article_id, e.char_start, e.id"
# What a search needs of each matching event, in an index narrow enough to read a hundred
# thousand of them quickly (the events table itself is wide: every sentence is in it).
_KEYS_INDEX = "CREATE INDEX IF NOT EXISTS events_keys ON events(id, story, bucket, pos, pos_all)"
_KEYS = "events k INDEXED BY events_keys"
_MARK_MATCH = "m.article_id = e.article_id AND m.char_start = e.char_start AND m.value = e.value"


class StoreError(Exception):
    """A database that cannot be used, with a one-line reason."""


class Cancelled(StoreError):
    """A read given up because its caller no longer wants the answer."""


@dataclass(frozen=True, slots=True)
class Filter:
    """What part of the timeline to show. The empty filter shows everything."""

    entity_ids: tuple[int, ...] = ()
    match_all: bool = True  # events naming every selected entity, else any of them
    search: str = ""
    date_from: str | None = None  # ISO dates; an event is kept if its period overlaps
    date_to: str | None = None
    excluded_ids: tuple[int, ...] = ()  # events naming any of these are left out
    marked_only: bool = False
    grouped: bool = True  # one row per story told by several sources
    in_article: bool = False  # entities may be named anywhere in an event's article, not only its sentence

    @property
    def is_empty(self) -> bool:
        return not (self.entity_ids or self.excluded_ids or fts_query(self.search) or self.date_from
                    or self.date_to or self.marked_only)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str | None) -> "Filter":
        try:
            data = json.loads(text or "{}")
            known = {f.name for f in fields(cls)}
            data = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
            return cls(**data)
        except (ValueError, TypeError):
            return cls()


@dataclass(frozen=True, slots=True)
class Group:
    """A run of consecutive events under one heading: a year (``2025``) or a month (``2025-06``)."""

    bucket: str
    count: int

    @property
    def year(self) -> str:
        return self.bucket[:4]

    @property
    def month(self) -> str | None:
        return self.bucket[5:7] or None


@dataclass(frozen=True, slots=True)
class EntityCount:
    id: int
    name: str
    type: str
    count: int  # events whose sentence names it
    articles: int = 0  # articles naming it anywhere


def bucket_of(start: str, granularity: str) -> str:
    """The heading an event sits under: its month for month-or-finer periods, else its year."""
    return start[:7] if granularity in FINE else start[:4]


def fts_query(text: str) -> str:
    """A user's search as an FTS5 query that cannot be a syntax error: every word must occur,
    the last may be a prefix. FTS operators and punctuation are taken as plain words."""
    words = re.findall(r"\w+", text)
    if not words:
        return ""
    quoted = [f'"{word}"' for word in words]
    if not text[-1:].isspace():
        quoted[-1] += "*"
    return " ".join(quoted)


def _finds(search: str) -> Callable[[str], bool]:
    """Whether the search (as ``fts_query`` reads it) finds a sentence: every word, the last as a prefix
    unless the search ends in a space; in any case."""
    words = re.findall(r"\w+", search)
    if not words:
        return lambda text: True
    last = len(words) - 1
    ends_word = search[-1:].isspace()
    patterns = [re.compile(rf"(?<!\w){re.escape(word)}" + (r"(?!\w)" if i < last or ends_word else ""), re.IGNORECASE)
                for i, word in enumerate(words)]
    return lambda text: all(pattern.search(text) for pattern in patterns)


class Store:
    """An open timeline database."""

    def __init__(self, path: str | Path, *, create: bool = True, read_only: bool = False):
        self.path = Path(path)
        self._check_path(create and not read_only)
        self._entity_ids: dict[str, int] = {}
        self._hits_state: tuple | None = None  # (FTS query, database state) temp.search_hits holds
        self._hit_count = 0
        self._anchors: tuple[tuple | None, dict[int, int]] = (None, {})  # (filter and matches, rows -> position)
        self._db = None
        try:
            target, uri = (f"{self.path.resolve().as_uri()}?mode=ro", True) if read_only else (self.path, False)
            self.conn = sqlite3.connect(target, uri=uri, timeout=_BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            self.conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA synchronous = NORMAL")  # in WAL mode: still never corrupt, fewer fsyncs
            self._prepare(create and not read_only, writable=not read_only)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a timeline database ({error})") from None

    @property
    def db(self) -> "sqlite_utils.Database":
        """The connection through sqlite-utils, for writing. Made when first needed: reads go
        straight to ``conn``, so a command that only reads (an export) never imports sqlite-utils."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- opening -------------------------------------------------------------

    def _check_path(self, create: bool) -> None:
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a database file")
        if not self.path.exists():
            if not create:
                raise StoreError(f"{self.path}: no such database (run 'timeline index' first)")
            if not self.path.parent.is_dir():
                raise StoreError(f"{self.path.parent}: folder does not exist")

    def _prepare(self, create: bool, writable: bool = True) -> None:
        tables = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" in tables:
            version = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            upgradable = version is not None and version[0] in ("1", "2")
            if upgradable and writable:
                if version[0] == "1":
                    self._migrate_from_1()
                self._migrate_from_2()
                return
            if version is None or int(version[0]) != SCHEMA_VERSION:
                found = version[0] if version else "none"
                remedy = ("open it once with 'timeline' or 'timeline index' to upgrade it" if upgradable
                          else "delete the file and index again")
                raise StoreError(f"{self.path}: schema version {found}, this timeline needs {SCHEMA_VERSION}; {remedy}")
            return
        if tables:
            raise StoreError(f"{self.path}: not a timeline database (it has other tables)")
        if not create:
            raise StoreError(f"{self.path}: empty database (run 'timeline index' first)")
        self._create_schema()

    def _create_schema(self) -> None:
        db = self.db
        db.enable_wal()
        with _atomic(self.conn):  # all of the schema or none of it, whoever opens the file meanwhile
            db["meta"].create({"key": str, "value": str}, pk="key")
            db["articles"].create(
                {
                    "id": str, "title": str, "source": str, "url": str, "published": str,
                    "published_guessed": int, "path": str, "text": str, "content_hash": str,
                },
                pk="id",
            )
            db["events"].create(
                {
                    "id": int, "article_id": str, "start": str, "end": str, "granularity": str,
                    "value": str, "text": str, "char_start": int, "char_end": int, "timex": str,
                    "bucket": str, "granularity_rank": int, "story": int, "pos": int, "pos_all": int,
                },
                pk="id",
                foreign_keys=[("article_id", "articles", "id")],
                not_null={"article_id", "start", "end", "granularity", "value", "bucket"},
            )
            db["entities"].create(
                {"id": int, "name": str, "type": str, "key": str, "event_count": int, "article_count": int},
                pk="id",
                not_null={"name", "type", "key"},
                defaults={"event_count": 0, "article_count": 0},
            )
            db["event_entities"].create(
                {"event_id": int, "entity_id": int, "type": str, "name": str},
                pk=("event_id", "entity_id"),
                foreign_keys=[("event_id", "events", "id"), ("entity_id", "entities", "id")],
            )
            db["events"].create_index(
                ["bucket", "start", "granularity_rank", "article_id", "char_start", "id"],
                index_name="events_order",
            )
            db["events"].create_index(["article_id"], index_name="events_article")
            db["events"].create_index(["story"], index_name="events_story")
            db.execute("CREATE UNIQUE INDEX events_pos ON events(pos) WHERE pos IS NOT NULL")
            db.execute("CREATE UNIQUE INDEX events_pos_all ON events(pos_all) WHERE pos_all IS NOT NULL")
            db.execute(
                "CREATE TABLE story_entities (entity_id INTEGER REFERENCES entities(id), pos INTEGER, bucket TEXT, "
                "start TEXT, [end] TEXT, PRIMARY KEY (entity_id, pos)) WITHOUT ROWID"
            )
            db["buckets"].create({"bucket": str, "stories": int, "events": int, "last_end": str}, pk="bucket")
            db.execute(
                "CREATE TABLE entity_buckets (entity_id INTEGER REFERENCES entities(id), bucket TEXT, stories INTEGER, "
                "PRIMARY KEY (entity_id, bucket)) WITHOUT ROWID"
            )
            db["events"].create_index(["value"], index_name="events_value")
            db.execute(_KEYS_INDEX)
            db["marks"].create({"article_id": str, "char_start": int, "value": str}, pk=("article_id", "char_start", "value"))
            db["stale_values"].create({"value": str}, pk="value")
            self._create_files()
            self._create_stale_entities()
            db["entities"].create_index(["key"], index_name="entities_key", unique=True)
            self._create_article_entities()
            db["event_entities"].create_index(
                ["entity_id", "event_id", "type", "name"], index_name="event_entities_entity"
            )
            db["events"].enable_fts(["text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")
            self._fts_follows_text_only()
            db["meta"].insert({"key": "schema_version", "value": str(SCHEMA_VERSION)})

    def _create_article_entities(self) -> None:
        self.db.execute(
            "CREATE TABLE article_entities (article_id TEXT REFERENCES articles(id), "
            "entity_id INTEGER REFERENCES entities(id), type TEXT, name TEXT, mentions INTEGER, "
            "PRIMARY KEY (article_id, entity_id)) WITHOUT ROWID"
        )
        self.db.execute("CREATE INDEX article_entities_entity ON article_entities(entity_id, article_id)")
        self.db.execute("CREATE INDEX entities_rank ON entities(event_count DESC, article_count DESC, name)")

    def _create_stale_entities(self) -> None:
        self.db.execute("CREATE TABLE stale_entities (entity_id INTEGER PRIMARY KEY)")

    def _create_files(self) -> None:
        self.db["files"].create({"path": str, "size": int, "mtime_ns": int, "version": str}, pk="path")

    def _fts_follows_text_only(self) -> None:
        """The search index is rewritten when an event's text changes, not when its story or
        position does: renumbering a timeline must not re-tokenise every sentence. New events
        are added by write() in one statement per batch, at half the cost of a trigger per row."""
        self.db.execute("DROP TRIGGER IF EXISTS events_ai")
        self.db.execute("DROP TRIGGER IF EXISTS events_au")
        self.db.execute(
            "CREATE TRIGGER events_au AFTER UPDATE OF text ON events BEGIN "
            "INSERT INTO events_fts (events_fts, rowid, text) VALUES ('delete', old.rowid, old.text); "
            "INSERT INTO events_fts (rowid, text) VALUES (new.rowid, new.text); END"
        )

    def _migrate_from_1(self) -> None:
        """Version 2 keeps every entity an article names, dated sentence or not. Until the next
        index run extracts every article again (the hashes are cleared for it), an article's
        entities are those of its events. Version 1 also re-indexed an event's sentence for
        search whenever any of its columns changed, leaving the search index several times
        its size and many times slower to query: it is compacted once."""
        with self._writing():
            if self.get_meta("schema_version") != "1":
                return  # another process migrated it meanwhile
            self.db.execute("ALTER TABLE entities ADD COLUMN article_count INTEGER DEFAULT 0")
            self.db.execute("DROP INDEX IF EXISTS entities_count")
            self._create_article_entities()
            self._fts_follows_text_only()
            self._create_files()
            self._create_stale_entities()
            self.db.execute("INSERT INTO stale_entities SELECT id FROM entities")
            self.db.execute(
                "INSERT INTO article_entities SELECT e.article_id, x.entity_id, min(x.type), min(x.name), count(*) "
                "FROM event_entities x JOIN events e ON e.id = x.event_id GROUP BY e.article_id, x.entity_id"
            )
            self.db.execute("UPDATE articles SET content_hash = NULL")
            self.db.execute("INSERT INTO events_fts (events_fts) VALUES ('optimize')")
            self.db.execute(_KEYS_INDEX)
            self.db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        self.refresh_entity_counts()

    def _migrate_from_2(self) -> None:
        """Version 3 keeps the latest end of each heading's events (``buckets.last_end``) and each
        story's period beside its entities (``story_entities.start``, ``end``), so an entity's
        stories in a date range are found without reading the events."""
        with self._writing():
            if self.get_meta("schema_version") != "2":
                return  # another process migrated it meanwhile
            self.db.execute("ALTER TABLE buckets ADD COLUMN last_end TEXT")
            self.db.execute("ALTER TABLE story_entities ADD COLUMN start TEXT")
            self.db.execute("ALTER TABLE story_entities ADD COLUMN [end] TEXT")
            self._count_buckets()
            self._link_story_entities()
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])

    # --- writing -------------------------------------------------------------

    def article_hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, content_hash FROM articles"))

    def file_fingerprints(self) -> dict[str, tuple[int, int, str]]:
        """(size, modification time, extraction version) of every file whose articles are all stored."""
        rows = self.db.execute("SELECT path, size, mtime_ns, version FROM files")
        return {path: (size, mtime_ns, version) for path, size, mtime_ns, version in rows}

    def article_ids_by_file(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for article_id, path in self.db.execute("SELECT id, path FROM articles WHERE path IS NOT NULL"):
            found.setdefault(path.split("#", 1)[0], []).append(article_id)
        return found

    def remember_files(self, files: Sequence[tuple[str, int, int]], version: str, *, roots: Sequence[str],
                       keep: set[str]) -> None:
        """Store the (path, size, mtime_ns) of files just read whole, and forget every other file
        under roots but those in keep: one that vanished or failed must be read again."""
        with self._writing():
            for root in roots:
                pattern = _escape_like(root.rstrip("/")) + "/%"
                stale = [(path,) for path, in self.db.execute(
                    "SELECT path FROM files WHERE path = ? OR path LIKE ? ESCAPE '\\'", [root, pattern]
                ) if path not in keep]
                self.db.conn.executemany("DELETE FROM files WHERE path = ?", stale)
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO files (path, size, mtime_ns, version) VALUES (?, ?, ?, ?)",
                [(path, size, mtime_ns, version) for path, size, mtime_ns in files],
            )

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._writing():
            self.db["meta"].upsert({"key": key, "value": value}, pk="key")

    def write(self, batch: Sequence[tuple]) -> int:
        """Store articles with their events in one transaction, replacing what each had before.
        Each item is (article, content hash, events) or (article, content hash, events, mentions),
        mentions being every entity mention of the article (without them: its events' mentions).
        Returns the number of events written.

        Rows go in with one executemany per table (a prepared statement each): several
        times faster than building dicts for sqlite-utils' insert_all, on the hot path."""
        conn = self.db.conn
        with self._writing():
            self._mark_counts_stale()
            self._delete_events([item[0].id for item in batch])
            conn.executemany(_UPSERT_ARTICLE, [_article_row(item[0], item[1]) for item in batch])
            named = [row for item in batch for row in self._article_entity_rows(item)]
            conn.executemany(_INSERT_ARTICLE_ENTITY, named)
            conn.executemany("INSERT OR IGNORE INTO stale_entities VALUES (?)", {(row[1],) for row in named})
            rows, links = self._event_rows([event for item in batch for event in item[2]])
            conn.executemany(_INSERT_EVENT, rows)
            if rows:
                conn.execute("INSERT INTO events_fts (rowid, text) SELECT id, text FROM events WHERE id >= ?",
                             [rows[0][0]])
            conn.executemany(
                "INSERT OR IGNORE INTO event_entities (event_id, entity_id, type, name) VALUES (?, ?, ?, ?)", links
            )
            conn.executemany("INSERT OR IGNORE INTO stale_values (value) VALUES (?)",
                             [(value,) for value in {row[5] for row in rows}])
        return len(rows)

    def _event_rows(self, events: Sequence[Event]) -> tuple[list[tuple], list[tuple[int, int]]]:
        first_id = (self.db.execute("SELECT max(id) FROM events").fetchone()[0] or 0) + 1
        rows, links = [], []
        for number, event in enumerate(events, start=first_id):
            rows.append(_event_row(number, event))
            named = {}
            for mention in event.entities:
                named.setdefault(self._entity_id(mention), mention)
            links.extend((number, entity_id, m.type, m.name) for entity_id, m in named.items())
        return rows, links

    def _article_entity_rows(self, item: tuple) -> list[tuple]:
        """One row per entity the article names: its most frequent name and type there, and how often."""
        article, _, events, *rest = item
        mentions = rest[0] if rest else {m for event in events for m in event.entities}
        forms_of: dict[int, list[tuple[str, str]]] = {}
        for mention in mentions:
            forms_of.setdefault(self._entity_id(mention), []).append((mention.type, mention.name))
        return [
            (article.id, entity_id, *(forms[0] if len(forms) == 1 else max(set(forms), key=lambda f: (forms.count(f), f))),
             len(forms))
            for entity_id, forms in forms_of.items()
        ]

    def _entity_id(self, mention: Mention) -> int:
        cached = self._entity_ids.get(mention.name)  # by name: cheaper than its canonical key
        if cached is not None:
            return cached
        from .entities import canonical_key  # the tagger loads only for writing

        key = canonical_key(mention.name)
        row = self.db.execute("SELECT id FROM entities WHERE key = ?", [key]).fetchone()
        if row is None:
            cursor = self.db.execute(
                "INSERT INTO entities (name, type, key, event_count) VALUES (?, ?, ?, 0)",
                [mention.name, mention.type, key],
            )
            entity_id = cursor.lastrowid
        else:
            entity_id = row[0]
        self._entity_ids[mention.name] = entity_id
        return entity_id

    def _delete_events(self, article_ids: Sequence[str]) -> None:
        marks = ",".join("?" * len(article_ids))
        self.db.execute(
            f"INSERT OR IGNORE INTO stale_values SELECT DISTINCT value FROM events WHERE article_id IN ({marks})",
            list(article_ids),
        )
        self.db.execute(
            f"DELETE FROM event_entities WHERE event_id IN "
            f"(SELECT id FROM events WHERE article_id IN ({marks}))",
            list(article_ids),
        )
        self.db.execute(
            f"INSERT OR IGNORE INTO stale_entities SELECT entity_id FROM article_entities WHERE article_id IN ({marks})",
            list(article_ids),
        )
        self.db.execute(f"DELETE FROM article_entities WHERE article_id IN ({marks})", list(article_ids))
        self.db.execute(f"DELETE FROM events WHERE article_id IN ({marks})", list(article_ids))

    def remove_articles(self, article_ids: Iterable[str]) -> int:
        ids = list(article_ids)
        with self._writing():
            self._mark_counts_stale()
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                self._delete_events(chunk)
                marks = ",".join("?" * len(chunk))
                self.db.execute(f"DELETE FROM articles WHERE id IN ({marks})", chunk)
        return len(ids)

    def articles_under(self, path: str) -> list[tuple[str, str]]:
        """(id, path) of stored articles read from the file or folder at path (absolute)."""
        pattern = _escape_like(path.rstrip("/"))
        rows = self.db.execute(
            "SELECT id, path FROM articles WHERE path = ? OR path LIKE ? ESCAPE '\\' OR path LIKE ? ESCAPE '\\'",
            [path, pattern + "/%", pattern + "#%"],
        )
        return [(row[0], row[1]) for row in rows]

    def mark_every_period_stale(self) -> None:
        """Have the next refresh find every period's stories again (the grouping rules changed)."""
        with self._writing():
            self._mark_counts_stale()
            self.db.execute("INSERT OR IGNORE INTO stale_values SELECT DISTINCT value FROM events")

    def _mark_counts_stale(self) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('counts_stale', '1')")

    @property
    def needs_refresh(self) -> bool:
        """Whether articles changed since entity counts and stories were last brought up to date
        (say, by an indexer killed in between)."""
        return self.get_meta("counts_stale") == "1"

    def refresh(self) -> None:
        """Bring what is derived from many articles up to date: stories, timeline positions,
        heading counts and entity counts."""
        self.regroup_stories()
        self.renumber()
        self.refresh_entity_counts()

    def renumber(self) -> None:
        """Give every row its place in the timeline (``pos`` among story rows, ``pos_all`` among
        all events), and count rows per heading and per entity, so the app reads any window of
        any size of timeline through an index instead of counting."""
        with self._writing():
            self.db.execute("DROP TABLE IF EXISTS temp.ranked")
            self.db.execute(
                f"""CREATE TEMP TABLE ranked AS
                    SELECT id, row_number() OVER timeline - 1 AS pos_all,
                           CASE WHEN id = story THEN count(*) FILTER (WHERE id = story) OVER timeline - 1 END AS pos
                    FROM events e WINDOW timeline AS (ORDER BY {_ORDER} ROWS UNBOUNDED PRECEDING)"""
            )
            # positions are unique: clear the ones that move before setting them anew
            self.db.execute(
                "UPDATE events SET pos = NULL, pos_all = NULL FROM ranked r "
                "WHERE r.id = events.id AND (events.pos IS NOT r.pos OR events.pos_all IS NOT r.pos_all)"
            )
            self.db.execute(
                "UPDATE events SET pos = r.pos, pos_all = r.pos_all FROM ranked r "
                "WHERE r.id = events.id AND events.pos_all IS NULL"
            )
            self.db.execute("DROP TABLE temp.ranked")
            self._count_buckets()
            self._link_story_entities()
            self.db.execute("DELETE FROM entity_buckets")
            self.db.execute(
                "INSERT INTO entity_buckets SELECT entity_id, bucket, count(*) FROM story_entities "
                "GROUP BY entity_id, bucket"
            )

    def _count_buckets(self) -> None:
        """Rows under each heading, and where its events' periods end at the latest."""
        self.db.execute("DELETE FROM buckets")
        self.db.execute(
            "INSERT INTO buckets (bucket, stories, events, last_end) "
            "SELECT bucket, count(pos), count(*), max([end]) FROM events GROUP BY bucket"
        )

    def _link_story_entities(self) -> None:
        """Each story (by position, with its heading and period) under every entity its events name."""
        self.db.execute("DELETE FROM story_entities")
        self.db.execute(
            "INSERT OR IGNORE INTO story_entities (entity_id, pos, bucket, start, [end]) "
            "SELECT x.entity_id, r.pos, r.bucket, r.start, r.[end] "
            "FROM event_entities x JOIN events m ON m.id = x.event_id JOIN events r ON r.id = m.story "
            "ORDER BY x.entity_id, r.pos"  # in key order: appended, not inserted all over the table
        )

    def regroup_stories(self) -> None:
        """Find again the stories of every period whose events changed. A period only one
        article names has no shared story: each of its events is its own, in one statement."""
        with self._writing():
            self.db.execute(
                "UPDATE events SET story = id WHERE story != id AND value IN (SELECT s.value FROM stale_values s "
                "JOIN events e ON e.value = s.value GROUP BY s.value HAVING count(DISTINCT e.article_id) < 2)"
            )
        stale = [row[0] for row in self.db.execute(
            "SELECT s.value FROM stale_values s JOIN events e ON e.value = s.value "
            "GROUP BY s.value HAVING count(DISTINCT e.article_id) > 1"
        )]
        named_by_article: dict[str, frozenset[int]] = {}  # read once per article, for every period
        for start in range(0, len(stale), 200):
            with self._writing():
                for value in stale[start : start + 200]:
                    self._regroup(value, named_by_article)
        with self._writing():  # last, so a run killed before here finds every period still stale
            self.db.execute("DELETE FROM stale_values")

    def _regroup(self, value: str, named_by_article: dict[str, frozenset[int]]) -> None:
        rows = self.db.execute(
            f"""SELECT e.id, e.article_id, e.text, e.story,
                       group_concat(n.id, ' '), group_concat(n.name, char(31))
                FROM events e LEFT JOIN event_entities x ON x.event_id = e.id
                LEFT JOIN entities n ON n.id = x.entity_id
                WHERE e.value = ? GROUP BY e.id ORDER BY {_ORDER}""",
            [value],
        ).fetchall()
        self._read_entities_named({row[1] for row in rows} - named_by_article.keys(), named_by_article)
        candidates = [
            Candidate(id, article_id, text, frozenset(int(i) for i in (ids or "").split()),
                      tuple((names or "").split("\x1f")), named_by_article[article_id])
            for id, article_id, text, _story, ids, names in rows
        ]
        stories = assign_stories(candidates)
        changed = [(stories[id], id) for id, _a, _t, story, _i, _n in rows if stories[id] != story]
        self.db.conn.executemany("UPDATE events SET story = ? WHERE id = ?", changed)

    def _read_entities_named(self, article_ids: set[str], named_by_article: dict[str, frozenset[int]]) -> None:
        """Put in named_by_article every entity each of article_ids names."""
        ids = list(article_ids)
        named_by_article.update(dict.fromkeys(ids, frozenset()))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.db.execute(
                f"SELECT article_id, group_concat(entity_id, ' ') FROM article_entities "
                f"WHERE article_id IN ({','.join('?' * len(chunk))}) GROUP BY article_id",
                chunk,
            )
            named_by_article.update((article_id, frozenset(map(int, named.split()))) for article_id, named in rows)

    @contextmanager
    def _writing(self):
        """One write transaction; a database we may not write to is named as such."""
        try:
            with _atomic(self.conn):
                yield
        except sqlite3.OperationalError as error:
            self._entity_ids.clear()
            if "readonly" in str(error) or "read-only" in str(error):
                raise StoreError(f"{self.path}: the database is read-only") from None
            raise
        except BaseException:
            self._entity_ids.clear()  # ids handed out in a rolled-back transaction are void
            raise

    def refresh_entity_counts(self) -> None:
        """Recount events and articles of each entity whose articles changed, give it the type and
        name most of its mentions have (so the result never depends on which article came first),
        and drop it if no article names it any more."""
        most = ("SELECT {0} FROM article_entities WHERE entity_id = entities.id "
                "GROUP BY {0} ORDER BY sum(mentions) DESC, {0} LIMIT 1")
        with self._writing():
            self.db.execute(
                "UPDATE entities SET event_count = "
                "(SELECT count(*) FROM event_entities WHERE entity_id = entities.id), "
                "article_count = (SELECT count(*) FROM article_entities WHERE entity_id = entities.id), "
                f"type = coalesce(({most.format('type')}), type), name = coalesce(({most.format('name')}), name) "
                "WHERE id IN (SELECT entity_id FROM stale_entities)"
            )
            self.db.execute("DELETE FROM entities WHERE article_count = 0")
            self.db.execute("DELETE FROM stale_entities")
            self.db.execute("DELETE FROM meta WHERE key = 'counts_stale'")
        self._entity_ids.clear()

    # --- reading -------------------------------------------------------------

    def data_version(self) -> int:
        """Changes whenever another connection (an indexer, say) commits to the database."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def counts(self) -> dict[str, int]:
        return {
            table: self.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
            for table in ("articles", "events", "entities")
        }

    def _where(self, flt: Filter, *, hits: bool | tuple[str, list] = False, walk: bool = False,
               story_dates: bool = False) -> tuple[str, list]:
        """The WHERE clause over ``events e`` for the rows of a filtered timeline.

        Grouped, the rows are stories (``pos`` set): a story is kept when any of its events
        passes the filter; its entities are every event's, in ``story_entities``. Its events
        all tell one period (stories are found among events of one value), so with story_dates
        its dates are tested on its own row: cheaper when the table is scanned (an export), but
        without it SQLite finds the stories from the events in range, or from a search's
        matches, which its plans for the app's windows and headings rely on.

        With hits, a search reads temp.search_hits (see _search_hits), which must hold its
        matches. With walk too, the clause is written to be tested row by row while walking
        the timeline in order (a search matching a good share of it), not from the matches up."""
        rank = _rank(flt)
        clauses, params = [f"e.{rank} IS NOT NULL"], []
        if flt.grouped:
            entity_clauses, entity_params = ([], []) if flt.in_article else _story_entity_clauses(flt)
            member_clauses, member_params = _member_clauses(flt, "m", entities=flt.in_article, hits=hits, walk=walk,
                                                            dates=not story_dates)
            clauses += entity_clauses
            params += entity_params
            date_clauses, date_params = _date_clauses(flt, "e") if story_dates else ([], [])
            clauses += date_clauses
            params += date_params
            if member_clauses and (walk or (entity_clauses and not fts_query(flt.search))):  # the entity drives
                clauses.append(f"EXISTS (SELECT 1 FROM events m WHERE m.story = e.id AND {' AND '.join(member_clauses)})")
                params += member_params
            elif member_clauses:
                clauses.append(f"e.id IN (SELECT m.story FROM events m WHERE {' AND '.join(member_clauses)})")
                params += member_params
        else:
            member_clauses, member_params = _member_clauses(flt, "e", entities=True, hits=hits, walk=walk)
            clauses += member_clauses
            params += member_params
        return " WHERE " + " AND ".join(clauses), params

    # --- searching -------------------------------------------------------------

    def _search_hits(self, flt: Filter) -> int:
        """Put the ids of the events a filter's search matches in temp.search_hits, once per
        search and state of the database, and say how many there are (0 without a search).

        FTS5 reads a word's matches in id order only, and a common word has hundreds of
        thousands: read once, they answer "does this event match?" by a rowid lookup for
        every window and heading count of the search after."""
        query = fts_query(flt.search)
        if not query:
            return 0
        state = (query, self.data_version(), self.conn.total_changes)
        if state != self._hits_state:
            with _atomic(self.conn):
                self.conn.execute("DROP TABLE IF EXISTS temp.search_hits")
                self.conn.execute("CREATE TEMP TABLE search_hits (id INTEGER PRIMARY KEY)")
                self._hit_count = self.conn.execute(
                    "INSERT INTO temp.search_hits SELECT rowid FROM events_fts WHERE events_fts MATCH ?", [query]
                ).rowcount
            self._hits_state = (query, self.data_version(), self.conn.total_changes)
        return self._hit_count

    def _walks(self, flt: Filter) -> bool:
        """Whether the filter's rows are best found by walking the timeline in order, testing
        each: a search matching so many events that collecting them all costs more."""
        return self._search_hits(flt) > _WALK_ABOVE

    def _near_top(self, flt: Filter, limit: int) -> list[tuple[Event, Source]] | None:
        """The first rows of a common search without copying its matches: the matches among
        the first _NEAR_TOP rows of the whole timeline, kept as the search index is read, are
        few enough to sort. None if those rows hold fewer than limit of them."""
        rank = _rank(flt)
        if flt.grouped:
            near = ("SELECT m.id FROM events t JOIN events m ON m.story = t.id "
                    f"WHERE t.pos >= 0 AND t.pos < {_NEAR_TOP}")
        else:
            near = f"SELECT t.id FROM events t WHERE t.pos_all >= 0 AND t.pos_all < {_NEAR_TOP}"
        matching = f"SELECT h.rowid FROM events_fts h WHERE events_fts MATCH ? AND +h.rowid IN ({near})"
        where, params = self._where(flt, hits=(matching, [fts_query(flt.search)]))
        rows = self._window(flt, f"e.id IN (SELECT e.id FROM events e{where} AND e.{rank} < {_NEAR_TOP} "
                                 f"ORDER BY e.{rank} LIMIT ?)", [*params, limit])
        return rows if len(rows) == limit else None

    def top(self, flt: Filter, limit: int) -> tuple[list[tuple[Event, Source]] | None, list[Group] | None]:
        """The first rows of a filtered timeline (None: not read, ask events() when needed), and
        its headings if they are a quick read. None when they are not (a search matching a
        large share of the timeline): a window is still quick, but count in another thread,
        with another Store."""
        if not fts_query(flt.search):
            return None, self.groups(flt)
        first = self._near_top(flt, limit)  # enough matches near the top: a common word
        if first is not None:
            return first, None
        walk = self._walks(flt)
        return self._search_window(flt, 0, limit, (), walk=walk), None if walk else self.groups(flt)

    def _walk_start(self, flt: Filter, offset: int, known: Sequence[Group]) -> tuple[int, int]:
        """Where to start walking the timeline for the row at offset of a filtered timeline:
        (unfiltered position, rows of the filtered timeline to skip from there). Known
        headings of the filtered timeline (a prefix of them will do) let the walk start at
        the heading holding offset rather than at the top."""
        first, bucket = 0, None
        for group in known:
            if first + group.count > offset or group is known[-1]:
                bucket = group.bucket
                break
            first += group.count
        start = 0
        if bucket is not None:
            column = "stories" if flt.grouped else "events"
            start = self.conn.execute(f"SELECT coalesce(sum({column}), 0) FROM buckets WHERE bucket < ?",
                                    [bucket]).fetchone()[0]
        # where the last windows read ended, if nearer: paging down walks one page, not a heading
        anchors = self._anchors[1] if self._anchors[0] == (flt, self._hits_state) else {}
        nearer = max((rows for rows in anchors if first < rows <= offset), default=None)
        if nearer is not None:
            first, start = nearer, anchors[nearer]
        return start, offset - first

    def _remember_walk(self, flt: Filter, offset: int, rows: list[tuple[Event, Source]]) -> None:
        """Note that offset + len(rows) rows of the filtered timeline come before the position
        after the last of rows, to start the next walk there."""
        if not rows:
            return
        if self._anchors[0] != (flt, self._hits_state):
            self._anchors = ((flt, self._hits_state), {})
        anchors = self._anchors[1]
        if len(anchors) >= 64:
            anchors.clear()
        after = self.conn.execute(f"SELECT {_rank(flt)} + 1 FROM events WHERE id = ?", [rows[-1][0].id]).fetchone()[0]
        anchors[offset + len(rows)] = after

    def groups(self, flt: Filter = Filter(), *, cancelled: Callable[[], bool] | None = None) -> list[Group]:
        """The headings of the filtered timeline in order, each with how many rows it holds.
        Raises Cancelled as soon as ``cancelled()`` says the answer is no longer wanted."""
        if cancelled is None:
            return self._groups(flt)
        if cancelled():
            raise Cancelled("counting given up")
        self.conn.set_progress_handler(cancelled, 5_000)  # a true answer interrupts the query
        try:
            return self._groups(flt)
        except sqlite3.OperationalError:
            if cancelled():
                raise Cancelled("counting given up") from None
            raise
        finally:
            self.conn.set_progress_handler(None, 0)

    def _groups(self, flt: Filter) -> list[Group]:
        if flt.is_empty:
            column = "stories" if flt.grouped else "events"
            rows = self.conn.execute(f"SELECT bucket, {column} FROM buckets WHERE {column} > 0 ORDER BY bucket")
        elif _single_entity(flt):
            rows = self.conn.execute(
                "SELECT bucket, stories FROM entity_buckets WHERE entity_id = ? ORDER BY bucket", [flt.entity_ids[0]]
            )
        elif _entity_dates(flt):
            return [Group(bucket, count) for bucket, count in self._entity_date_counts(flt, self._entity_date_spans(flt))]
        elif _search_only(flt):
            # a story's events all tell one period, so they sit under its heading: count the
            # stories the matching events belong to, heading by heading; straight from the
            # search index unless the matches are at hand already (a count in another thread,
            # with a Store of its own, need not copy them first)
            query = fts_query(flt.search)
            if self._hits_state is not None and self._hits_state[0] == query:
                self._search_hits(flt)  # brought up to date if the database changed
                matches, params = f"temp.search_hits h CROSS JOIN {_KEYS} ON k.id = h.id", []
            else:
                matches, params = f"events_fts h CROSS JOIN {_KEYS} ON k.id = h.rowid WHERE events_fts MATCH ?", [query]
            rows = self.conn.execute(
                f"SELECT k.bucket, count({'DISTINCT k.story' if flt.grouped else '*'}) "
                f"FROM {matches} GROUP BY k.bucket ORDER BY k.bucket", params
            )
        else:
            where, params = self._where(flt, hits=bool(self._search_hits(flt)))
            rows = self.conn.execute(
                f"SELECT bucket, count(*) FROM events e{where} GROUP BY bucket ORDER BY bucket", params
            )
        return [Group(bucket, count) for bucket, count in rows]

    def events(self, flt: Filter = Filter(), offset: int = 0, limit: int = 100,
               known: Sequence[Group] = ()) -> list[tuple[Event, Source]]:
        """A window of the filtered timeline, in timeline order. ``known``: headings of the
        filtered timeline known so far (a prefix of them will do), to find a search's window
        from the nearest heading rather than from the top."""
        if _entity_dates(flt) and 0 <= limit <= _EXPORT_BATCH:
            positions = self._entity_date_positions(flt, offset, limit, known)
            return self._window(flt, f"e.pos IN ({','.join('?' * len(positions))})", positions)
        if not fts_query(flt.search):
            return list(self.iter_events(flt, offset=offset, limit=limit))
        return self._search_window(flt, offset, limit, known, walk=self._walks(flt))

    # --- one entity in a date range ----------------------------------------------

    def _entity_date_spans(self, flt: Filter) -> list[tuple[str, int, int, int, bool]]:
        """The headings the entity's stories in the date range can sit under, in order, as
        (heading, first position, position after, the entity's stories there, whole): stories
        are numbered heading by heading, so a heading's are those between its two positions.
        Whole: the heading lies within the dates, so all of them are in the range. A heading
        after date_to holds none in it, nor one whose periods all end before date_from
        (``buckets.last_end``)."""
        clauses, params = [], [flt.entity_ids[0]]
        if flt.date_to:
            clauses.append("b.bucket <= ?")
            params.append(flt.date_to)
        if flt.date_from:
            clauses.append("b.last_end >= ?")
            params.append(flt.date_from)
        rows = self.conn.execute(
            "SELECT b.bucket, b.first, b.first + b.stories, x.stories FROM (SELECT bucket, stories, last_end, "
            "sum(stories) OVER (ORDER BY bucket ROWS UNBOUNDED PRECEDING) - stories AS first FROM buckets) b "
            "JOIN entity_buckets x ON x.entity_id = ? AND x.bucket = b.bucket"
            f"{' WHERE ' + ' AND '.join(clauses) if clauses else ''} ORDER BY b.bucket",
            params,
        )
        return [(*row, _heading_within(row[0], flt)) for row in rows]

    def _entity_date_counts(self, flt: Filter, spans: list[tuple], known: Sequence[Group] = ()) -> list[tuple[str, int]]:
        """(heading, rows) of the entity's stories in the date range, from its spans, headings with
        none left out. Known headings (of this filter) are taken as counted."""
        counted = {group.bucket: group.count for group in known}
        counts = []
        for bucket, first, after, stories, whole in spans:
            count = stories if whole else counted.get(bucket)
            if count is None:
                within, params = self._in_span(flt, first, after, whole)
                count = self.conn.execute(f"SELECT count(*) FROM {within}", params).fetchone()[0]
            if count:
                counts.append((bucket, count))
        return counts

    def _entity_date_positions(self, flt: Filter, offset: int, limit: int, known: Sequence[Group]) -> list[int]:
        """The positions of rows offset to offset + limit of the entity's stories in the date
        range, read heading by heading from the one holding offset."""
        spans = self._entity_date_spans(flt)
        by_bucket = {span[0]: span for span in spans}
        positions: list[int] = []
        before = 0
        for bucket, count in self._entity_date_counts(flt, spans, known):
            if before + count > offset and len(positions) < limit:
                _, first, after, _, whole = by_bucket[bucket]
                within, params = self._in_span(flt, first, after, whole)
                positions += [row[0] for row in self.conn.execute(
                    f"SELECT x.pos FROM {within} ORDER BY x.pos LIMIT ? OFFSET ?",
                    [*params, limit - len(positions), max(offset - before, 0)],
                )]
            before += count
        return positions

    def _entity_date_position(self, flt: Filter, bucket: str, start: str) -> int:
        """How many of the entity's stories in the date range come before (bucket, start): those
        under earlier headings, and those under this one starting earlier."""
        spans = self._entity_date_spans(flt)
        before = sum(count for heading, count in self._entity_date_counts(flt, spans) if heading < bucket)
        for heading, first, after, _, whole in spans:
            if heading == bucket:
                within, params = self._in_span(flt, first, after, whole)
                before += self.conn.execute(f"SELECT count(*) FROM {within} AND x.start < ?", [*params, start]).fetchone()[0]
        return before

    def _entity_date_all_positions(self, flt: Filter) -> Iterator[int]:
        """The positions of all the entity's stories in the date range, in order."""
        for _, first, after, _, whole in self._entity_date_spans(flt):
            within, params = self._in_span(flt, first, after, whole)
            yield from (row[0] for row in self.conn.execute(f"SELECT x.pos FROM {within} ORDER BY x.pos", params))

    def _in_span(self, flt: Filter, first: int, after: int, whole: bool) -> tuple[str, list]:
        """FROM and WHERE for the entity's stories (x) between two positions, in the date range."""
        params = [flt.entity_ids[0], first, after]
        span = "x.entity_id = ? AND x.pos >= ? AND x.pos < ?"
        if whole:
            return f"story_entities x WHERE {span}", params
        dates, date_params = _date_clauses(flt, "x")
        return f"story_entities x WHERE {span} AND {' AND '.join(dates)}", params + date_params

    def _search_window(self, flt: Filter, offset: int, limit: int, known: Sequence[Group], *,
                       walk: bool) -> list[tuple[Event, Source]]:
        rank = _rank(flt)
        self._search_hits(flt)
        if walk:
            start, skip = self._walk_start(flt, offset, known)
            where, params = self._where(flt, hits=True, walk=True)
            where += f" AND e.{rank} >= ?"
            window = f"SELECT e.id FROM events e{where} ORDER BY e.{rank} LIMIT ? OFFSET ?"
            rows = self._window(flt, f"e.id IN ({window})", [*params, start, limit, skip])
            self._remember_walk(flt, offset, rows)
            return rows
        elif _search_only(flt) and flt.grouped:  # few matches: sort their stories
            window, params = (f"SELECT k.id FROM {_KEYS} WHERE k.id IN (SELECT k.story FROM temp.search_hits h "
                              f"CROSS JOIN {_KEYS} ON k.id = h.id) ORDER BY k.pos LIMIT ? OFFSET ?"), [limit, offset]
        elif _search_only(flt):
            window, params = (f"SELECT k.id FROM temp.search_hits h CROSS JOIN {_KEYS} ON k.id = h.id "
                              "ORDER BY k.pos_all LIMIT ? OFFSET ?"), [limit, offset]
        else:
            where, params = self._where(flt, hits=True)
            window, params = f"SELECT e.id FROM events e{where} ORDER BY e.{rank} LIMIT ? OFFSET ?", [*params, limit, offset]
        return self._window(flt, f"e.id IN ({window})", params)

    def _window(self, flt: Filter, window: str, params: list) -> list[tuple[Event, Source]]:
        sources = "(SELECT count(DISTINCT s.article_id) FROM events s WHERE s.story = e.id)" if flt.grouped else "1"
        cursor = self.conn.execute(
            f"""SELECT {_EVENT_COLUMNS}, a.title, a.published, a.source, a.url,
                       (SELECT count(*) FROM marks m WHERE {_MARK_MATCH}), {sources}
                FROM events e JOIN articles a ON a.id = e.article_id
                WHERE {window} ORDER BY e.{_rank(flt)}""",
            params,
        )
        return [(_event_from_row(row), Source(row[1], *row[10:14])) for row in cursor]

    def iter_events(
        self, flt: Filter = Filter(), *, offset: int = 0, limit: int = -1
    ) -> Iterator[tuple[Event, Source]]:
        """The rows of the filtered timeline from offset on, streamed: each window is found
        through an index (positions, or an entity's story positions), never by counting."""
        rank = _rank(flt)
        if flt.is_empty:
            window, params = f"e.{rank} >= ?" + (" AND e.{rank} < ?".format(rank=rank) if limit >= 0 else ""), [offset]
            if limit >= 0:
                params.append(offset + limit)
        elif _single_entity(flt):
            window = ("e.pos IN (SELECT pos FROM story_entities WHERE entity_id = ? ORDER BY pos LIMIT ? OFFSET ?)")
            params = [flt.entity_ids[0], limit, offset]
        else:
            where, params = self._where(flt)
            window = f"e.id IN (SELECT e.id FROM events e{where} ORDER BY e.{rank} LIMIT ? OFFSET ?)"
            params += [limit, offset]
        sources = "(SELECT count(DISTINCT s.article_id) FROM events s WHERE s.story = e.id)" if flt.grouped else "1"
        cursor = self.conn.execute(
            f"""SELECT {_EVENT_COLUMNS}, a.title, a.published, a.source, a.url,
                       (SELECT count(*) FROM marks m WHERE {_MARK_MATCH}), {sources}
                FROM events e JOIN articles a ON a.id = e.article_id
                WHERE {window} ORDER BY e.{rank}""",
            params,
        )
        for row in cursor:
            yield _event_from_row(row), Source(row[1], *row[10:14])

    def export_rows(self, flt: Filter = Filter()) -> Iterator[tuple[tuple, Sequence[tuple]]]:
        """The whole filtered timeline in timeline order for an export, as plain tuples (no Event
        objects): ``(id, article, bucket, start, granularity, value, text, title, source, url)``
        per row, ``article`` being the article's row number (one number per article while the
        export reads), paired with the other tellings of its story in that layout, in ``story``
        order (none unless several articles tell it). Memory stays flat whatever the size."""
        for batch in self._export_batches(flt):
            yield from self._with_tellings(batch)

    def _export_batches(self, flt: Filter) -> Iterator[list[tuple]]:
        """The rows of the filtered timeline in order, _EXPORT_BATCH at a time, each ending in
        whether its story has other tellings."""
        others = "EXISTS (SELECT 1 FROM events s WHERE s.story = e.id AND s.id != e.id)" if flt.grouped else "0"
        if _entity_dates(flt):  # the entity's stories in range by position, then their rows
            positions = self._entity_date_all_positions(flt)
            while chunk := list(islice(positions, _EXPORT_BATCH)):
                yield self.conn.execute(
                    f"""SELECT {_EXPORT_COLUMNS}, {others} FROM events e JOIN articles a ON a.id = e.article_id
                        WHERE e.pos IN ({",".join("?" * len(chunk))}) ORDER BY e.pos""",
                    chunk,
                ).fetchall()
            return
        rank = _rank(flt)
        where, params = self._where(flt, story_dates=not fts_query(flt.search))  # a search drives better
        # Read the table in storage order and sort what passes, unless the filter is entities alone
        # (found by index): no index holds the dates, and walking every row through events_pos in
        # timeline order costs several times more; with entities and dates or words, SQLite would
        # probe events_pos with every pair of positions and ids the two IN lists give (seconds to
        # minutes on a large database) where a scan takes a fraction of a second.
        entities_alone = flt.entity_ids and not (flt.date_from or flt.date_to or fts_query(flt.search)
                                                 or flt.marked_only or flt.excluded_ids)
        scan = "" if entities_alone else " NOT INDEXED"
        spans = self._date_spans(flt) if not (flt.entity_ids or fts_query(flt.search)) else None
        if spans is None:
            spans, ranged = [()], ""
        else:  # short stretches of the timeline: walk them in order instead
            scan, ranged = f" INDEXED BY events_{rank}", f" AND e.{rank} >= ? AND e.{rank} < ?"
        for span in spans:
            cursor = self.conn.execute(
                f"""SELECT {_EXPORT_COLUMNS}, {others}
                    FROM events e{scan} JOIN articles a ON a.id = e.article_id{where}{ranged} ORDER BY e.{rank}""",
                [*params, *span],
            )
            while batch := cursor.fetchmany(_EXPORT_BATCH):
                yield batch

    def _date_spans(self, flt: Filter) -> list[tuple[int, int]] | None:
        """The stretches of the timeline (first position, position after) that can hold a date
        range's rows, if they are a small share of it: the headings up to date_to's whose periods
        reach date_from (``buckets.last_end``). None when walking them in order through the
        positions' index would cost more than reading the whole table (over 1/_WALK_SHARE of it)."""
        if not (flt.date_from or flt.date_to):
            return None
        column = "stories" if flt.grouped else "events"
        spans: list[tuple[int, int]] = []
        first = 0
        for bucket, rows, last_end in self.conn.execute(f"SELECT bucket, {column}, last_end FROM buckets ORDER BY bucket"):
            if (not flt.date_from or last_end >= flt.date_from) and (not flt.date_to or bucket <= flt.date_to):
                if spans and spans[-1][1] == first:
                    spans[-1] = (spans[-1][0], first + rows)
                else:
                    spans.append((first, first + rows))
            first += rows
        return spans if sum(after - start for start, after in spans) * _WALK_SHARE < first else None

    def _with_tellings(self, batch: list[tuple]) -> Iterator[tuple[tuple, Sequence[tuple]]]:
        """Each row of a batch with the other tellings of its story (read for the batch in one query)."""
        stories = [row[0] for row in batch if row[10]]
        tellings: dict[int, list[tuple]] = {story: [] for story in stories}
        if stories:
            for telling in self.conn.execute(
                f"""SELECT {_EXPORT_COLUMNS}, e.story
                    FROM events e JOIN articles a ON a.id = e.article_id
                    WHERE e.story IN ({",".join("?" * len(stories))}) AND e.id != e.story
                    ORDER BY e.story, {_ORDER}""",
                stories,
            ):
                tellings[telling[10]].append(telling)
        for row in batch:
            if row[10] and any(other[1] != row[1] for other in tellings[row[0]]):  # more than one article
                yield row, tellings[row[0]]
            else:
                yield row, ()

    def story(self, event: Event) -> list[tuple[Event, Source]]:
        """Every source's telling of the event's story, the event's own first."""
        cursor = self.conn.execute(
            f"""SELECT {_EVENT_COLUMNS}, a.title, a.published, a.source, a.url, 0, 1
                FROM events e JOIN articles a ON a.id = e.article_id
                WHERE e.story = (SELECT story FROM events WHERE id = ?) ORDER BY e.id = ? DESC, {_ORDER}""",
            [event.id, event.id],
        )
        return [(_event_from_row(row), Source(row[1], *row[10:14])) for row in cursor]

    def tellings_found(self, rows: Sequence[tuple[Event, Source]], search: str) -> list[tuple[Event, Source]]:
        """rows (a window of a grouped timeline), each story whose own sentence the search does not
        find shown by the first of its other tellings that it does find, with the story's count of sources."""
        finds = _finds(search)
        stories = [event.id for event, _ in rows if event.sources > 1 and not finds(event.text)]
        if not stories:
            return list(rows)
        found: dict[int, tuple[Event, Source]] = {}
        cursor = self.conn.execute(
            f"""SELECT {_EVENT_COLUMNS}, a.title, a.published, a.source, a.url,
                       (SELECT count(*) FROM marks m WHERE {_MARK_MATCH}), 0, e.story
                FROM events e JOIN articles a ON a.id = e.article_id
                WHERE e.story IN ({",".join("?" * len(stories))}) AND e.id != e.story ORDER BY {_ORDER}""",
            stories,
        )
        for row in cursor:
            if row[16] not in found and finds(row[6]):
                found[row[16]] = (_event_from_row(row), Source(row[1], *row[10:14]))
        return [
            (replace(found[event.id][0], sources=event.sources), found[event.id][1]) if event.id in found else (event, source)
            for event, source in rows
        ]

    def set_mark(self, event: Event, marked: bool) -> None:
        """Mark or unmark an event; marks outlive re-indexing while the sentence stays put."""
        key = [event.article_id, event.char_start, event.value]
        with self._writing():
            if marked:
                self.db.execute("INSERT OR IGNORE INTO marks (article_id, char_start, value) VALUES (?, ?, ?)", key)
            else:
                self.db.execute("DELETE FROM marks WHERE article_id = ? AND char_start = ? AND value = ?", key)

    def position_of(self, flt: Filter, bucket: str, start: str) -> int:
        """How many rows of the filtered timeline come before the first one at or after (bucket, start)."""
        if flt.is_empty:
            column = "stories" if flt.grouped else "events"
            row = self.conn.execute(
                f"SELECT (SELECT coalesce(sum({column}), 0) FROM buckets WHERE bucket < ?) + "
                f"(SELECT count(e.{_rank(flt)}) FROM events e WHERE e.bucket = ? AND e.start < ?)",
                [bucket, bucket, start],
            ).fetchone()
            return row[0]
        if _entity_dates(flt):
            return self._entity_date_position(flt, bucket, start)
        where, params = self._where(flt, hits=bool(self._search_hits(flt)))
        row = self.conn.execute(
            f"SELECT count(*) FROM events e{where} AND (e.bucket < ? OR (e.bucket = ? AND e.start < ?))",
            [*params, bucket, bucket, start],
        ).fetchone()
        return row[0]

    def count(self, flt: Filter = Filter()) -> int:
        return sum(group.count for group in self.groups(flt))

    def event_entities(self, event_id: int) -> list[EntityCount]:
        rows = self.conn.execute(
            "SELECT n.id, n.name, n.type, n.event_count, n.article_count FROM event_entities x "
            "JOIN entities n ON n.id = x.entity_id WHERE x.event_id = ? ORDER BY n.name",
            [event_id],
        )
        return [EntityCount(*row) for row in rows]

    def entities(self, narrow: str = "", limit: int = 200, types: Sequence[str] = ()) -> list[EntityCount]:
        """Entities with their event and article counts, most frequent first, narrowed to names
        containing ``narrow``."""
        clauses, params = ["article_count > 0"], []
        if narrow.strip():
            escaped = _escape_like(narrow.strip())
            clauses.append("name LIKE ? ESCAPE '\\'")
            params.append(f"%{escaped}%")
        if types:
            clauses.append(f"type IN ({','.join('?' * len(types))})")
            params.extend(types)
        rows = self.conn.execute(
            f"SELECT id, name, type, event_count, article_count FROM entities WHERE {' AND '.join(clauses)} "
            "ORDER BY event_count DESC, article_count DESC, name LIMIT ?",
            [*params, limit],
        )
        return [EntityCount(*row) for row in rows]

    def entities_by_id(self, ids: Iterable[int]) -> list[EntityCount]:
        ids = list(ids)
        if not ids:
            return []
        rows = self.conn.execute(
            f"SELECT id, name, type, event_count, article_count FROM entities WHERE id IN ({','.join('?' * len(ids))})",
            ids,
        )
        found = {row[0]: EntityCount(*row) for row in rows}
        return [found[i] for i in ids if i in found]

    def find_entity(self, name: str) -> EntityCount | None:
        """The entity a user means by a name: its canonical key first, then a case-blind name match."""
        from .entities import canonical_key  # loaded only when asked: a plain export needs no tagger

        row = self.conn.execute(
            "SELECT id, name, type, event_count, article_count FROM entities WHERE key = ? UNION ALL "
            "SELECT id, name, type, event_count, article_count FROM entities WHERE name = ? COLLATE NOCASE "
            "LIMIT 1",
            [canonical_key(name), name],
        ).fetchone()
        return EntityCount(*row) if row else None

    def article(self, article_id: str) -> dict | None:
        row = self.conn.execute(
            "SELECT id, title, source, url, published, published_guessed, path, text FROM articles WHERE id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            return None
        keys = ("id", "title", "source", "url", "published", "published_guessed", "path", "text")
        return dict(zip(keys, row))

    def excerpt(self, event: Event, reach: int = 1500) -> tuple[str, int, int]:
        """Text around an event without reading its whole article: (window, sentence start, end in window)."""
        first = max(event.char_start - reach, 0)
        length = (event.char_end - first) + reach
        row = self.conn.execute(
            "SELECT substr(text, ?, ?) FROM articles WHERE id = ?", [first + 1, length, event.article_id]
        ).fetchone()
        window = row[0] if row else ""
        return window, event.char_start - first, event.char_end - first

    def source_files(self) -> list[Path]:
        """The files the stored articles were read from."""
        rows = self.conn.execute("SELECT DISTINCT substr(path, 1, instr(path || '#', '#') - 1) FROM articles")
        return [Path(row[0]) for row in rows if row[0]]

    def article_event_spans(self, article_id: str) -> list[tuple[int, int]]:
        rows = self.conn.execute(
            "SELECT DISTINCT char_start, char_end FROM events WHERE article_id = ? ORDER BY char_start",
            [article_id],
        )
        return [tuple(row) for row in rows]


@contextmanager
def _atomic(conn: sqlite3.Connection):
    """One transaction on conn (a savepoint inside one already open), for every write of the store:
    kept here rather than sqlite-utils' atomic() so that reading (a search's temporary table) needs
    no sqlite-utils."""
    if conn.in_transaction:
        conn.execute("SAVEPOINT store_atomic")
        try:
            yield
            conn.execute("RELEASE SAVEPOINT store_atomic")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO SAVEPOINT store_atomic")
                conn.execute("RELEASE SAVEPOINT store_atomic")
            raise
        return
    conn.execute("BEGIN")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        conn.rollback()
        raise


def _escape_like(text: str) -> str:
    """Text matched literally by LIKE ... ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _rank(flt: Filter) -> str:
    return "pos" if flt.grouped else "pos_all"


def _single_entity(flt: Filter) -> bool:
    """One chosen entity and nothing else, on stories: read straight from story_entities."""
    return (flt.grouped and len(flt.entity_ids) == 1 and not flt.in_article and not flt.excluded_ids
            and not fts_query(flt.search)
            and not flt.date_from and not flt.date_to and not flt.marked_only)


def _entity_dates(flt: Filter) -> bool:
    """One chosen entity and a date range, on stories: read from story_entities heading by heading."""
    return (flt.grouped and len(flt.entity_ids) == 1 and not flt.in_article and not flt.excluded_ids
            and not fts_query(flt.search) and bool(flt.date_from or flt.date_to) and not flt.marked_only)


def _heading_within(bucket: str, flt: Filter) -> bool:
    """Whether every period starting under a heading overlaps the filter's dates: the heading
    starts on or after date_from (a period ends after it starts) and ends by date_to."""
    if len(bucket) > 4:
        days = calendar.monthrange(int(bucket[:4]), int(bucket[5:7]))[1]
        first, last = f"{bucket}-01", f"{bucket}-{days:02d}"
    else:
        first, last = f"{bucket}-01-01", f"{bucket}-12-31"
    return (not flt.date_from or first >= flt.date_from) and (not flt.date_to or last <= flt.date_to)


def _search_only(flt: Filter) -> bool:
    """A search and nothing else."""
    return bool(fts_query(flt.search)) and not (flt.entity_ids or flt.excluded_ids or flt.date_from
                                                 or flt.date_to or flt.marked_only)


def _story_entity_clauses(flt: Filter) -> tuple[list[str], list]:
    """Conditions on story rows (alias e) whose events name the chosen entities."""
    return _entity_clauses(flt, "e.pos", "SELECT pos FROM story_entities WHERE entity_id")


def _article_entity_clauses(flt: Filter, e: str) -> tuple[list[str], list]:
    """Conditions on events (alias e) whose article names the chosen entities anywhere."""
    return _entity_clauses(flt, f"{e}.article_id", "SELECT article_id FROM article_entities WHERE entity_id")


def _entity_clauses(flt: Filter, column: str, named_by: str) -> tuple[list[str], list]:
    """column must be among those named_by (a SELECT ending in "entity_id") gives for each chosen entity
    (all of them, or any), and among none of those for the excluded ones."""
    clauses, params = [], []
    if flt.entity_ids:
        if flt.match_all:
            clauses += [f"{column} IN ({named_by} = ?)" for _ in flt.entity_ids]
        else:
            clauses.append(f"{column} IN ({named_by} IN ({','.join('?' * len(flt.entity_ids))}))")
        params += flt.entity_ids
    if flt.excluded_ids:
        clauses.append(f"{column} NOT IN ({named_by} IN ({','.join('?' * len(flt.excluded_ids))}))")
        params += flt.excluded_ids
    return clauses, params


def _member_clauses(flt: Filter, alias: str, *, entities: bool, hits: bool | tuple[str, list] = False,
                    walk: bool = False, dates: bool = True) -> tuple[list[str], list]:
    """Conditions on single events (table alias ``alias``) for a filter. With hits, a search
    is looked up in temp.search_hits (or in the ids hits selects, if it is (SQL, params)),
    from each event when walking (``+`` keeps SQLite from driving the query from all the
    matches instead)."""
    e = alias
    clauses, params = [], []
    if entities and flt.in_article:
        clauses_, params_ = _article_entity_clauses(flt, e)
        clauses += clauses_
        params += params_
    if entities and flt.entity_ids and not flt.in_article:
        marks = ",".join("?" * len(flt.entity_ids))
        if flt.match_all and len(flt.entity_ids) > 1:
            clauses.append(
                f"{e}.id IN (SELECT event_id FROM event_entities WHERE entity_id IN ({marks}) "
                f"GROUP BY event_id HAVING count(*) = {len(flt.entity_ids)})"
            )
        else:
            clauses.append(f"{e}.id IN (SELECT event_id FROM event_entities WHERE entity_id IN ({marks}))")
        params.extend(flt.entity_ids)
    if entities and flt.excluded_ids and not flt.in_article:
        marks = ",".join("?" * len(flt.excluded_ids))
        clauses.append(f"{e}.id NOT IN (SELECT event_id FROM event_entities WHERE entity_id IN ({marks}))")
        params.extend(flt.excluded_ids)
    query = fts_query(flt.search)
    if query and hits:
        matching, matching_params = hits if isinstance(hits, tuple) else ("SELECT id FROM temp.search_hits", [])
        clauses.append(f"{'+' if walk else ''}{e}.id IN ({matching})")
        params.extend(matching_params)
    elif query:
        clauses.append(f"{e}.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
        params.append(query)
    if dates:
        date_clauses, date_params = _date_clauses(flt, e)
        clauses += date_clauses
        params += date_params
    if flt.marked_only:
        clauses.append(
            f"EXISTS (SELECT 1 FROM marks mk WHERE mk.article_id = {e}.article_id "
            f"AND mk.char_start = {e}.char_start AND mk.value = {e}.value)"
        )
    return clauses, params


def _date_clauses(flt: Filter, alias: str) -> tuple[list[str], list]:
    """Conditions on events (table alias ``alias``) whose period overlaps the filter's dates."""
    clauses, params = [], []
    if flt.date_from:
        clauses.append(f"{alias}.[end] >= ?")
        params.append(flt.date_from)
    if flt.date_to:
        clauses.append(f"{alias}.start <= ?")
        params.append(flt.date_to)
    return clauses, params


def content_hash(article: Article, version: str) -> str:
    """What an article's events depend on; equal hashes mean re-indexing would change nothing."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (version, article.title, article.text, str(article.published), article.source or "",
                 article.url or "", article.path or "", str(article.published_guessed)):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


_ARTICLE_COLUMNS = ("id", "title", "source", "url", "published", "published_guessed", "path", "text", "content_hash")
_EVENT_INSERT_COLUMNS = ("id", "article_id", "start", "end", "granularity", "value", "text", "char_start",
                         "char_end", "timex", "bucket", "granularity_rank", "story")
_UPSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))}) "
    "ON CONFLICT(id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in _ARTICLE_COLUMNS[1:])
)
_INSERT_ARTICLE_ENTITY = (
    "INSERT INTO article_entities (article_id, entity_id, type, name, mentions) VALUES (?, ?, ?, ?, ?)"
)
_INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(f'[{c}]' for c in _EVENT_INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_EVENT_INSERT_COLUMNS))})"
)


def _article_row(article: Article, content_hash: str) -> tuple:
    published = article.published.isoformat() if article.published else None
    return (article.id, article.title, article.source, article.url, published, int(article.published_guessed),
            article.path, article.text, content_hash)


def _event_row(number: int, event: Event) -> tuple:
    """An events row in _EVENT_INSERT_COLUMNS order; index 5 is the value."""
    return (number, event.article_id, event.start, event.end, event.granularity, event.value, event.text,
            event.char_start, event.char_end, event.timex, bucket_of(event.start, event.granularity),
            RANK[event.granularity], number)


_EXPORT_COLUMNS = "e.id, a.rowid, e.bucket, e.start, e.granularity, e.value, e.text, a.title, a.source, a.url"
_EVENT_COLUMNS = "e.id, e.article_id, e.start, e.[end], e.granularity, e.value, e.text, e.char_start, e.char_end, e.timex"


def _event_from_row(row) -> Event:
    return Event(
        id=row[0], article_id=row[1], start=row[2], end=row[3], granularity=row[4], value=row[5],
        text=row[6], char_start=row[7], char_end=row[8], timex=row[9], marked=bool(row[14]), sources=row[15],
    )
