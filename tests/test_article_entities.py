"""Entities an article names anywhere, dated sentence or not: listed, counted, filterable."""

import sqlite3

import pytest

from timeline.app import TimelineApp
from timeline.events import extract
from timeline.indexer import index
from timeline.model import Article
from timeline.store import SCHEMA_VERSION, Filter, Store, StoreError

from .conftest import DCT, as_version_2, write_article
from .test_app import bar, screen_text

SEED_NAMES = {"Google", "Meta", "Scale AI", "Alexandr Wang", "OpenAI", "Microsoft", "xAI", "Reuters", "TechCrunch"}


def test_extract_keeps_mentions_of_undated_sentences_but_not_of_furniture():
    text = ("Headline\n\nMicrosoft grew last year. Satya Nadella spoke to Reuters.\n\n"
            "Related Stories\nAmazon Opens New Office")
    events, mentions = extract(Article(id="a", title="Headline", text=text, published=DCT))
    assert {m.name for e in events for m in e.entities} == {"Microsoft"}
    names = {m.name for m in mentions}
    assert {"Microsoft", "Satya Nadella", "Reuters"} <= names
    assert "Amazon" not in names


def test_the_seed_entity_list_names_everyone_the_articles_name(seed_store):
    listed = {e.name: e for e in seed_store.entities(limit=100)}
    assert SEED_NAMES <= set(listed)
    assert listed["Alexandr Wang"].type == "PER" and listed["Alexandr Wang"].articles == 2
    assert listed["Google"].count > 0 and listed["Google"].articles == 2
    events_first = [e.count for e in seed_store.entities(limit=100)]
    assert events_first == sorted(events_first, reverse=True)


def test_an_entity_of_undated_sentences_filters_by_article(seed_store):
    wang = seed_store.find_entity("Alexandr Wang")
    assert seed_store.count(Filter(entity_ids=(wang.id,))) == wang.count == 0
    rows = seed_store.events(Filter(entity_ids=(wang.id,), in_article=True, grouped=False), limit=1000)
    assert {event.article_id for event, _ in rows} == {a for a, in seed_store.db.execute("SELECT id FROM articles")}


def test_in_article_filters_combine_and_exclude(store, tmp_path):
    write_article(tmp_path, "a.md", "Apple news\n\nApple sued Samsung last year. Tim Cook said nothing.")
    write_article(tmp_path, "b.md", "Samsung news\n\nSamsung grew in 2023. Analysts praised Tim Cook.")
    write_article(tmp_path, "c.md", "Other news\n\nShares of Nokia fell in 2022.")
    index([tmp_path], store, workers=1)
    cook, samsung = store.find_entity("Tim Cook"), store.find_entity("Samsung")
    assert cook.count == 0 and cook.articles == 2

    def texts(**kw):
        return sorted(e.text for e, _ in store.events(Filter(in_article=True, grouped=False, **kw), limit=100)
                      if e.timex)

    assert texts(entity_ids=(cook.id,)) == ["Apple sued Samsung last year.", "Samsung grew in 2023."]
    assert texts(entity_ids=(cook.id, samsung.id)) == texts(entity_ids=(cook.id,))
    assert texts(excluded_ids=(cook.id,)) == ["Shares of Nokia fell in 2022."]
    assert len(texts(entity_ids=(cook.id, store.find_entity("Nokia").id), match_all=False)) == 3


def test_removing_an_article_drops_entities_no_article_names(store, tmp_path):
    write_article(tmp_path, "a.md", "Headline\n\nShares of Google grew in 2020. Chief executive Sundar Pichai spoke.")
    path = write_article(tmp_path, "b.md", "Headline\n\nShares of Google fell in 2021. Finance chief Ruth Porat spoke.")
    index([tmp_path], store, workers=1)
    assert store.find_entity("Ruth Porat").articles == 1
    path.unlink()
    index([tmp_path], store, workers=1)
    assert store.find_entity("Ruth Porat") is None
    assert store.find_entity("Google").articles == 1
    assert store.db.execute("SELECT count(*) FROM article_entities").fetchone()[0] == 2


def test_a_version_1_database_is_upgraded_in_place(tmp_path):
    write_article(tmp_path, "a.md", "Headline\n\nShares of Google grew in 2020. Chief executive Sundar Pichai spoke.")
    path = tmp_path / "t.db"
    with Store(path) as store:
        index([tmp_path / "a.md"], store, workers=1)
        store.set_meta("ui.theme", "kept")
    conn = sqlite3.connect(path)
    with conn:  # what version 1 had
        as_version_2(conn)
        conn.execute("DROP TABLE article_entities")
        conn.execute("DROP TABLE files")
        conn.execute("DROP TABLE stale_entities")
        conn.execute("DROP INDEX entities_rank")
        conn.execute("ALTER TABLE entities DROP COLUMN article_count")
        conn.execute("DROP INDEX events_keys")
        conn.execute("DROP TRIGGER events_au")  # version 1 re-indexed a sentence on any update, and on insert
        conn.execute("CREATE TRIGGER events_au AFTER UPDATE ON events BEGIN "
                     "INSERT INTO events_fts (events_fts, rowid, text) VALUES ('delete', old.rowid, old.text); "
                     "INSERT INTO events_fts (rowid, text) VALUES (new.rowid, new.text); END")
        conn.execute("CREATE TRIGGER events_ai AFTER INSERT ON events BEGIN "
                     "INSERT INTO events_fts (rowid, text) VALUES (new.rowid, new.text); END")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(StoreError, match="schema version 1"):
        Store(path, read_only=True)
    with Store(path, create=False) as store:  # as the app opens it
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        triggers = dict(store.db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
        assert "events_ai" not in triggers and "UPDATE OF text" in triggers["events_au"]
        assert store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'events_keys'").fetchone()
        assert store.count(Filter(search="google")) == 1
        assert store.get_meta("ui.theme") == "kept"
        assert store.find_entity("Google").articles == 1
        assert store.find_entity("Sundar Pichai") is None  # named in no dated sentence: not in version 1
        assert index([tmp_path / "a.md"], store, workers=1).indexed == 1
        assert store.find_entity("Sundar Pichai").articles == 1


async def test_w_widens_an_entity_filter_to_the_whole_article(seed_store, tmp_path):
    app = TimelineApp(seed_store, export_dir=tmp_path, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e", *"alexandr")
        listing = app.screen.query_one("#entity-list")
        assert "0 events · 2 articles" in str(listing.get_option_at_index(listing.highlighted).prompt)
        await pilot.press("enter", "escape")
        assert app.timeline.event_count == 0
        assert "Press w" in screen_text(app)
        await pilot.press("w")
        assert app.filter.in_article and app.timeline.event_count > 0
        assert "whose article names Alexandr Wang" in bar(app) and "w: in the sentence" in bar(app)
        await pilot.press("w")
        assert not app.filter.in_article and app.timeline.event_count == 0
