import sqlite3

import pytest

from timeline.model import Article, Event, Mention
from timeline.store import SCHEMA_VERSION, Filter, Group, Store, StoreError, fts_query

from .conftest import DCT


def write(store, batch):
    """Write as the indexer does: the batch, then what is derived from it."""
    written = store.write(batch)
    store.refresh()
    return written


def article(article_id="a1", text="Headline\n\nGoogle did a thing last year."):
    return Article(id=article_id, title="Headline", text=text, published=DCT, path=f"/x/{article_id}.md")


def event(article_id="a1", start="2024-01-01", end="2024-12-31", granularity="year", value="2024",
          text="Google did a thing last year.", entities=("Google",)):
    mentions = tuple(Mention(0, len(name), name, "ORG", name) for name in entities)
    return Event(article_id, start, end, granularity, value, text, 10, 10 + len(text), "last year", mentions)


def test_schema_is_created_with_fts_and_version(store):
    tables = set(store.db.table_names())
    assert {"articles", "events", "entities", "event_entities", "meta", "events_fts"} <= tables
    assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_write_replaces_an_articles_events(store):
    write(store, [(article(), "h1", [event(), event(value="2025", start="2025-01-01", end="2025-12-31")])])
    assert store.counts()["events"] == 2
    write(store, [(article(), "h2", [event(entities=("Meta",))])])
    store.refresh_entity_counts()
    assert store.counts() == {"articles": 1, "events": 1, "entities": 1}
    assert [e.name for e in store.entities()] == ["Meta"]


def test_timeline_order_groups_and_windows(store):
    write(store, [(article(), "h", [
        event(start="2025-06-14", end="2025-06-14", granularity="day", value="2025-06-14"),
        event(start="2024-01-01", end="2024-12-31", granularity="year", value="2024"),
        event(start="2025-01-01", end="2025-12-31", granularity="year", value="2025"),
        event(start="2025-04-01", end="2025-06-30", granularity="quarter", value="2025-Q2"),
        event(start="2025-06-01", end="2025-06-30", granularity="month", value="2025-06"),
    ])])
    assert [(g.bucket, g.count) for g in store.groups()] == [("2024", 1), ("2025", 2), ("2025-06", 2)]
    values = [e.value for e, _ in store.events()]
    assert values == ["2024", "2025", "2025-Q2", "2025-06", "2025-06-14"]
    assert [e.value for e, _ in store.events(offset=1, limit=2)] == ["2025", "2025-Q2"]
    assert store.count() == 5


def test_filters(store):
    write(store, [(article(), "h", [
        event(entities=("Google",), text="Google spent money."),
        event(entities=("Google", "Meta"), text="Google and Meta met.", value="2025", start="2025-01-01", end="2025-12-31"),
        event(entities=("Meta",), text="Meta bought a stake.", value="2023", start="2023-01-01", end="2023-12-31"),
    ])])
    store.refresh_entity_counts()
    google, meta = store.find_entity("google"), store.find_entity("Meta")
    assert (google.count, meta.count) == (2, 2)

    def texts(**kwargs):
        return [e.text for e, _ in store.events(Filter(**kwargs))]

    assert texts(entity_ids=(google.id,)) == ["Google spent money.", "Google and Meta met."]
    assert texts(entity_ids=(google.id, meta.id)) == ["Google and Meta met."]
    assert len(texts(entity_ids=(google.id, meta.id), match_all=False)) == 3
    assert texts(search="stake") == ["Meta bought a stake."]
    assert texts(search="boug") == ["Meta bought a stake."]
    assert texts(date_from="2024-06-01", date_to="2024-06-30") == ["Google spent money."]


@pytest.mark.parametrize("query", ['"unbalanced', "AND", "*", "NEAR(", "a OR", "-x", "col:thing", "()", "'"])
def test_search_syntax_never_errors(store, query):
    write(store, [(article(), "h", [event()])])
    store.events(Filter(search=query))
    assert fts_query(query) == "" or fts_query(query).startswith('"')


def test_entity_list_narrows_and_types(store):
    write(store, [(article(), "h", [event(entities=("Google", "Meta", "Scale AI"))])])
    store.refresh_entity_counts()
    assert [e.name for e in store.entities("sca")] == ["Scale AI"]
    assert store.entities("%") == []
    assert [e.name for e in store.entities(types=("ORG",))] == ["Google", "Meta", "Scale AI"]


def test_excerpt_reads_a_window(store):
    text = "Headline\n\n" + "x " * 2000 + "Google did a thing last year. More."
    start = text.index("Google")
    stored = Event("a1", "2024-01-01", "2024-12-31", "year", "2024", "Google did a thing last year.",
                   start, start + 29, "last year")
    write(store, [(article(text=text), "h", [stored])])
    window, begin, end = store.excerpt(store.events()[0][0], reach=100)
    assert window[begin:end] == "Google did a thing last year."
    assert len(window) < 300


def test_rejects_what_is_not_a_timeline_database(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        Store(tmp_path)
    with pytest.raises(StoreError, match="folder does not exist"):
        Store(tmp_path / "nope" / "t.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a timeline database"):
        Store(junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE people (name TEXT)").connection.commit()
    with pytest.raises(StoreError, match="not a timeline database"):
        Store(other)
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "absent.db", create=False)


def test_other_schema_versions_are_named(tmp_path):
    with Store(tmp_path / "t.db") as store:
        store.set_meta("schema_version", "0")
    with pytest.raises(StoreError, match="schema version 0"):
        Store(tmp_path / "t.db")


def fts_pages(store) -> int:
    return store.db.execute("SELECT count(*) FROM events_fts_data").fetchone()[0]


def test_renumbering_leaves_the_search_index_alone(store):
    write(store, [(article(), "h1", [event(), event(value="2025", start="2025-01-01", end="2025-12-31")])])
    store.refresh()
    before = fts_pages(store)
    store.write([(article("a0"), "h0", [event("a0", value="2020", start="2020-01-01", end="2020-12-31")])])
    written = fts_pages(store)
    store.refresh()  # every older event moves down one place, and none is re-indexed
    assert fts_pages(store) == written > before
    assert [e.text for e, _ in store.events(Filter(search="google"))] == ["Google did a thing last year."] * 3


def test_counts_left_stale_by_a_killed_run_are_refreshed(tmp_path, store):
    from timeline.indexer import index

    from .conftest import write_article

    write_article(tmp_path, "a.md", "Headline\n\nShares of Google grew in 2020.")
    index([tmp_path], store)
    store.write([(article("b"), "h", [event("b")])])  # as if killed between writing and recounting
    assert store.needs_refresh
    index([tmp_path], store)
    assert not store.needs_refresh
    assert all(entity.count > 0 for entity in store.entities())
    assert store.find_entity("Google").articles == 2


def test_a_read_only_database_is_named(tmp_path):
    path = tmp_path / "t.db"
    with Store(path) as store:
        write(store, [(article(), "h", [event()])])
    with Store(path, read_only=True) as store:
        assert store.count() == 1  # reading still works
        with pytest.raises(StoreError, match="read-only"):
            write(store, [(article(), "h2", [event()])])


def test_marks_survive_reindexing_and_filter(store):
    first = event(text="Google did a thing last year.")
    write(store, [(article(), "h", [first, event(value="2025", start="2025-01-01", end="2025-12-31")])])
    stored = store.events()[0][0]
    store.set_mark(stored, True)
    write(store, [(article(), "h2", [first, event(value="2025", start="2025-01-01", end="2025-12-31")])])
    marked = store.events(Filter(marked_only=True))
    assert [(e.value, e.marked) for e, _ in marked] == [("2024", True)]
    store.set_mark(marked[0][0], False)
    assert store.events(Filter(marked_only=True)) == []


def test_excluding_an_entity(store):
    write(store, [(article(), "h", [event(entities=("Google",)), event(entities=("Meta",), value="2023",
                                                                        start="2023-01-01", end="2023-12-31")])])
    store.refresh()
    meta = store.find_entity("Meta")
    assert [e.value for e, _ in store.events(Filter(excluded_ids=(meta.id,)))] == ["2024"]


def test_position_of_a_date(store):
    write(store, [(article(), "h", [
        event(value="2023", start="2023-01-01", end="2023-12-31"),
        event(value="2024", start="2024-01-01", end="2024-12-31"),
        event(value="2024-06-01", start="2024-06-01", end="2024-06-01", granularity="day"),
        event(value="2024-07-09", start="2024-07-09", end="2024-07-09", granularity="day"),
    ])])
    assert store.position_of(Filter(), "2024", "2024-01-01") == 1
    assert store.position_of(Filter(), "2024-07", "2024-07-01") == 3
    assert store.position_of(Filter(), "2030", "2030-01-01") == 4


def test_a_story_row_is_kept_when_any_of_its_events_passes_the_filter(store):
    def told(article_id, names):
        return Article(id=article_id, title="T", text="T\n\nx", published=DCT, path=f"/x/{article_id}"), names

    a, _ = told("a", ())
    b, _ = told("b", ())
    write(store, [
        (a, "h", [event(article_id="a", text="Google plans to end its partnership deal.", entities=("Google",))]),
        (b, "h", [event(article_id="b", text="Google plans to end its partnership, Meta says.",
                        entities=("Google", "Meta"))]),
    ])
    store.refresh()
    [(row, _)] = store.events()
    assert row.sources == 2 and row.article_id == "a"
    meta = store.find_entity("Meta")
    [(filtered, _)] = store.events(Filter(entity_ids=(meta.id,)))
    assert filtered.id == row.id
    assert len(store.events(Filter(grouped=False))) == 2


def test_filters_round_trip_through_json():
    flt = Filter(entity_ids=(3, 4), match_all=False, search="x", excluded_ids=(9,), marked_only=True)
    assert Filter.from_json(flt.to_json()) == flt
    assert Filter.from_json("{not json") == Filter()
    assert Filter.from_json('{"entity_ids": [1], "unknown": 2}') == Filter(entity_ids=(1,))


def test_positions_number_the_timeline_without_gaps(store):
    def told(article_id, text, value="2024", entities=("Google",)):
        start = {"2024": "2024-01-01", "2023": "2023-01-01"}[value]
        return event(article_id=article_id, text=text, value=value, start=start, end=start[:4] + "-12-31",
                     entities=entities)

    def art(article_id):
        return Article(id=article_id, title="T", text="T\n\nx", published=DCT, path=f"/x/{article_id}")

    write(store, [
        (art("a"), "h", [told("a", "Google plans to end its partnership deal."), told("a", "Other 2023 news.", "2023")]),
        (art("b"), "h", [told("b", "Google plans to end its partnership, Meta says.", entities=("Google", "Meta"))]),
    ])
    rows = list(store.db.execute("SELECT pos, pos_all, id = story FROM events ORDER BY pos_all"))
    assert [r[1] for r in rows] == [0, 1, 2]
    assert sorted(r[0] for r in rows if r[2]) == [0, 1]
    assert all(r[0] is None for r in rows if not r[2])
    assert list(store.db.execute("SELECT bucket, stories, events FROM buckets ORDER BY bucket")) == [
        ("2023", 1, 1), ("2024", 1, 2)]
    meta = store.find_entity("Meta")
    assert [e.text for e, _ in store.events(Filter(entity_ids=(meta.id,)))] == ["Google plans to end its partnership deal."]
    assert store.groups(Filter(entity_ids=(meta.id,))) == [Group("2024", 1)]
    # an earlier event moves every later row: positions follow
    write(store, [(art("c"), "h", [told("c", "Long ago in 2023 too.", "2023", entities=())])])
    assert [r[0] for r in store.db.execute("SELECT pos_all FROM events ORDER BY pos_all")] == [0, 1, 2, 3]
    assert [e.text for e, _ in store.events(Filter(grouped=False), offset=2, limit=1)] == [
        "Google plans to end its partnership deal."]


def test_search_index_follows_text_but_not_positions(store):
    write(store, [(article(), "h", [event()])])
    [row] = store.events(Filter(search="thing"))
    store.db.execute("UPDATE events SET pos = pos + 7, story = story")
    assert store.db.execute("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'thing'").fetchone()[0] == 1
    store.db.execute("UPDATE events SET text = 'Google sold a widget.'")
    assert store.db.execute("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'thing'").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'widget'").fetchone()[0] == 1
    store.db.execute("INSERT INTO events_fts (events_fts) VALUES ('integrity-check')")
