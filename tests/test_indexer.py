import json

from timeline.indexer import index
from timeline.store import Filter

from .conftest import write_article


def test_seed_corpus_places_its_events(seed_store):
    rows = [(e.value, e.timex, e.text) for e, _ in seed_store.events(Filter(grouped=False), limit=1000)]
    by_text = {text: value for value, _, text in rows}
    spent = next(t for t in by_text if t.startswith("Last year, Google spent about $150 million"))
    assert by_text[spent] == "2024"
    planned = next(t for t in by_text if "Google had planned to spend around $200 million this year" in t)
    assert by_text[planned] == "2025"
    headlines = [t for v, x, t in rows if x is None]
    assert len(headlines) == 2 and all(by_text[t] == "2025-06-14" for t in headlines)
    for _, timex, _ in rows:
        assert timex is None or not any(ch in timex for ch in "$%")
        assert timex is None or timex.lower() != "may"


def test_seed_entities_include_the_companies(seed_store):
    names = {e.name for e in seed_store.entities(limit=500)}
    assert {"Google", "Meta", "Scale AI"} <= names
    assert "image" not in {n.lower() for n in names}


def test_reindexing_unchanged_changes_nothing(tmp_path, store):
    write_article(tmp_path, "a.md", "Headline\n\nIn 2020 Google grew.")
    first = index([tmp_path], store)
    before = list(store.db.execute("SELECT * FROM events ORDER BY id"))
    again = index([tmp_path], store)
    assert (first.indexed, again.indexed, again.unchanged) == (1, 0, 1)
    assert list(store.db.execute("SELECT * FROM events ORDER BY id")) == before


def test_a_changed_file_replaces_its_events_and_a_deleted_one_goes(tmp_path, store):
    write_article(tmp_path, "a.md", "Headline A\n\nIn 2020 Google grew.")
    write_article(tmp_path, "b.md", "Headline B\n\nIn 2021 Meta grew.")
    index([tmp_path], store)
    write_article(tmp_path, "a.md", "Headline A\n\nIn 2022 Google shrank.")
    (tmp_path / "b.md").unlink()
    report = index([tmp_path], store)
    assert (report.indexed, report.removed) == (1, 1)
    assert [e.value for e, _ in store.events()] == ["2022", "2025-06-14"]
    assert store.counts()["articles"] == 1


def test_a_file_that_cannot_be_read_keeps_its_old_events(tmp_path, store):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "1", "title": "T", "published": "2025-06-14", "text": "In 2020 x."}) + "\n")
    index([tmp_path], store)
    feed.write_bytes(b"\x00binary now")
    report = index([tmp_path], store)
    assert report.failures and report.removed == 0
    assert store.counts()["articles"] == 1


def test_problems_do_not_stop_the_run(tmp_path, store):
    write_article(tmp_path, "good.md", "Good\n\nIn 2020 it happened.")
    (tmp_path / "bad.jsonl").write_text("{broken\n" + json.dumps({"id": "j", "published": "2025-01-01", "text": "Fine."}) + "\n")
    report = index([tmp_path], store)
    assert report.indexed == 2
    assert [str(p) for p in report.failures] == [f"{tmp_path / 'bad.jsonl'}:1: not valid JSON (Expecting property name enclosed in double quotes)"]


def test_filters_by_entity_on_the_seed(seed_store):
    google = seed_store.find_entity("Google")
    texts = [e.text for e, _ in seed_store.events(Filter(entity_ids=(google.id,)), limit=1000)]
    assert texts and all("Google" in text for text in texts)


def test_seed_stories_told_by_both_articles_show_once(seed_store):
    grouped = seed_store.events(limit=1000)
    told_twice = {e.value: e for e, _ in grouped if e.sources == 2}
    assert set(told_twice) == {"2025", "2025-06-14"}  # the planned $200 million, and the headlines
    assert "$200 million" in told_twice["2025"].text
    every = seed_store.events(Filter(grouped=False), limit=1000)
    assert len(every) == len(grouped) + 2
    sources = seed_store.story(told_twice["2025"])
    assert len({source.article_id for _, source in sources}) == 2
    assert sources[0][0].id == told_twice["2025"].id
