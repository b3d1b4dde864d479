"""One entity in a date range: its headings, windows and export, read heading by heading
from story_entities, are those of the general query; a version 2 database is upgraded for it."""

import io
import random
import sqlite3

import pytest

from timeline import store as store_module
from timeline.export import write_markdown, write_rows
from timeline.model import Article, Event, Mention
from timeline.periods import period_of
from timeline.store import SCHEMA_VERSION, Filter, Group, Store, StoreError

from .conftest import DCT, as_version_2

# Periods of every granularity around two year ends, some reaching far past their heading.
VALUES = ["20", "201", "2019", "2019-H2", "2019-Q4", "2019-FA", "2019-WI", "2019-11", "2019-12", "2019-W48",
          "2019-W52", "2019-12-30", "2019-12-31", "200", "2020", "2020-Q1", "2020-01", "2020-01-01", "2020-W01",
          "2020-02-29", "2020-06", "2021", "2021-03-15"]
NAMES = ["Google", "Meta", "Nokia"]
RANGES = [("2019-12-01", "2020-01-31"), ("2020-01-01", "2020-12-31"), ("2019-12-31", "2019-12-31"),
          ("2020-01-01", None), (None, "2019-12-31"), ("2019-11-15", None), (None, "2020-01-01"),
          ("2015-01-01", "2015-06-30"), ("2020-02-01", "2020-02-29")]


def articles(count: int = 40) -> list[tuple]:
    """Articles telling the same periods in like words, so that some stories have several sources."""
    chosen = random.Random(5)
    batch = []
    for number in range(count):
        events = []
        for value in chosen.sample(VALUES, 6):
            period = period_of(value)
            names = chosen.sample(NAMES, chosen.randint(1, 2))
            text = f"{' and '.join(names)} agreed on the merger in {value}."
            mentions = tuple(Mention(0, len(name), name, "ORG", name) for name in names)
            events.append(Event(f"a{number}", period.start.isoformat(), period.end.isoformat(), period.granularity,
                                value, text, 10, 10 + len(text), value, mentions))
        batch.append((Article(id=f"a{number}", title=f"News {number}", text="Headline\n\n" + "x" * 200,
                              published=DCT, path=f"/x/a{number}.md"), f"h{number}", events))
    return batch


@pytest.fixture
def filled(store):
    store.write(articles())
    store.refresh()
    return store


def general_groups(store: Store, flt: Filter) -> list[Group]:
    where, params = store._where(flt)
    rows = store.conn.execute(f"SELECT bucket, count(*) FROM events e{where} GROUP BY bucket ORDER BY bucket", params)
    return [Group(*row) for row in rows]


def exported(store: Store, flt: Filter) -> str:
    out = io.StringIO()
    write_rows(store.export_rows(flt), out)
    return out.getvalue()


def exported_per_row(store: Store, flt: Filter) -> str:
    """The export as the general query finds it, a row and its story at a time."""
    out = io.StringIO()
    write_markdown(store.iter_events(flt), out, story_of=store.story)
    return out.getvalue()


def general_position(store: Store, flt: Filter, bucket: str, start: str) -> int:
    where, params = store._where(flt)
    return store.conn.execute(
        f"SELECT count(*) FROM events e{where} AND (e.bucket < ? OR (e.bucket = ? AND e.start < ?))",
        [*params, bucket, bucket, start],
    ).fetchone()[0]


def check_like_the_general_query(store: Store) -> None:
    assert store.conn.execute("SELECT count(*) FROM events WHERE story != id").fetchone()[0] > 0
    for name in NAMES:
        entity = store.find_entity(name)
        for date_from, date_to in RANGES:
            flt = Filter(entity_ids=(entity.id,), date_from=date_from, date_to=date_to)
            groups = store.groups(flt)
            assert groups == general_groups(store, flt)
            total = sum(group.count for group in groups)
            for offset in (0, 1, total // 2, max(total - 3, 0), total):
                expected = list(store.iter_events(flt, offset=offset, limit=7))
                assert store.events(flt, offset=offset, limit=7) == expected
                assert store.events(flt, offset=offset, limit=7, known=groups) == expected
            assert exported(store, flt) == exported_per_row(store, flt)
            for bucket, start in (("2019", "2019-07-01"), ("2019-12", "2019-12-30"), ("2020", "2020-01-01"),
                                  ("2020-01", "2020-01-02"), ("2015", "2015-01-01"), ("2030", "2030-01-01")):
                assert store.position_of(flt, bucket, start) == general_position(store, flt, bucket, start)


def test_one_entity_in_a_date_range_is_read_like_the_general_query(filled):
    check_like_the_general_query(filled)


@pytest.mark.parametrize("walk_share", [20, 0])  # as on a large database, and always walking
def test_a_date_range_exports_what_the_general_query_finds(filled, monkeypatch, walk_share):
    monkeypatch.setattr(store_module, "_WALK_SHARE", walk_share)
    for grouped in (True, False):
        for date_from, date_to in RANGES:
            flt = Filter(date_from=date_from, date_to=date_to, grouped=grouped)
            assert exported(filled, flt) == exported_per_row(filled, flt)


def test_a_version_2_database_is_upgraded_in_place(filled, tmp_path):
    filled.set_meta("ui.theme", "kept")
    filled.close()
    path = tmp_path / "t.db"
    with sqlite3.connect(path) as conn:
        as_version_2(conn)
    conn.close()
    with pytest.raises(StoreError, match="schema version 2, this timeline needs 3; open it once with 'timeline'"):
        Store(path, read_only=True)
    with Store(path, create=False) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION) == "3"
        assert store.get_meta("ui.theme") == "kept"
        check_like_the_general_query(store)
