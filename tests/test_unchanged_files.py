"""Re-indexing skips files whose size and modification time are those last stored."""

import os
import time

import pytest

from timeline import articles, indexer
from timeline.indexer import index

from .conftest import write_article

HOUR_AGO = time.time() - 3600


@pytest.fixture
def opened(monkeypatch):
    """The files the reader opens, by name."""
    names: list[str] = []
    real_open = articles._open_regular_file

    def counting(path):
        names.append(os.path.basename(path))
        return real_open(path)

    monkeypatch.setattr(articles, "_open_regular_file", counting)
    return names


def settled(path, when=HOUR_AGO):
    os.utime(path, (when, when))
    return path


def test_an_unchanged_file_is_not_read_again(store, tmp_path, opened):
    settled(write_article(tmp_path, "a.md", "Headline\n\nShares of Google rose in 2020."))
    settled(write_article(tmp_path, "b.md", "Headline\n\nShares of Meta fell in 2021."))
    first = index([tmp_path], store, workers=1)
    events = store.db.execute("SELECT count(*) FROM events").fetchone()[0]
    opened.clear()
    again = index([tmp_path], store, workers=1)
    assert opened == []
    assert (again.indexed, again.unchanged, again.removed) == (0, first.indexed, 0)
    assert store.db.execute("SELECT count(*) FROM events").fetchone()[0] == events


def test_a_changed_file_is_read_even_at_the_same_size(store, tmp_path, opened):
    path = settled(write_article(tmp_path, "a.md", "Headline\n\nShares of Google rose in 2020."))
    index([tmp_path], store, workers=1)
    path.write_text(path.read_text().replace("2020", "2019"))
    settled(path, HOUR_AGO + 60)
    opened.clear()
    report = index([tmp_path], store, workers=1)
    assert opened == ["a.md"] and report.indexed == 1
    assert [v for v, in store.db.execute("SELECT value FROM events WHERE timex IS NOT NULL")] == ["2019"]


def test_a_file_just_written_is_read_again_until_it_settles(store, tmp_path, opened):
    write_article(tmp_path, "a.md", "Headline\n\nShares of Google rose in 2020.")  # modified now
    index([tmp_path], store, workers=1)
    opened.clear()
    assert index([tmp_path], store, workers=1).unchanged == 1
    assert opened == ["a.md"]  # read, found unchanged by its content hash


def test_a_deleted_file_restored_with_its_old_time_is_indexed_again(store, tmp_path):
    path = settled(write_article(tmp_path, "a.md", "Headline\n\nShares of Google rose in 2020."))
    settled(write_article(tmp_path, "b.md", "Headline\n\nShares of Meta fell in 2021."))
    index([tmp_path], store, workers=1)
    text = path.read_text()
    path.unlink()
    assert index([tmp_path], store, workers=1).removed == 1
    settled(write_article(tmp_path, "a.md", text.split("---\n", 2)[2]))
    assert index([tmp_path], store, workers=1).indexed == 1
    assert store.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_new_extraction_reads_everything_again(store, tmp_path, opened, monkeypatch):
    settled(write_article(tmp_path, "a.md", "Headline\n\nShares of Google rose in 2020."))
    index([tmp_path], store, workers=1)
    monkeypatch.setattr(indexer, "extraction_version", lambda: "a newer tagger")
    opened.clear()
    assert index([tmp_path], store, workers=1).indexed == 1
    assert opened == ["a.md"]


def test_new_grouping_rules_regroup_every_period_without_reading_anything(store, tmp_path, opened, monkeypatch):
    settled(write_article(tmp_path, "a.md", "Headline\n\nGoogle plans to end its partnership with Scale AI in 2020."))
    settled(write_article(tmp_path, "b.md", "Other\n\nGoogle plans to end its partnership with Scale AI in 2020, sources say."))
    index([tmp_path], store, workers=1)
    grouped = list(store.db.execute("SELECT id, story FROM events ORDER BY id"))
    assert any(event != story for event, story in grouped)
    store.db.execute("UPDATE events SET story = id")  # as rules that grouped nothing would have left it
    opened.clear()
    assert index([tmp_path], store, workers=1).unchanged == 2
    assert all(event == story for event, story in store.db.execute("SELECT id, story FROM events"))
    monkeypatch.setattr(indexer, "grouping_version", lambda: "newer rules")
    assert index([tmp_path], store, workers=1).indexed == 0
    assert opened == [] and list(store.db.execute("SELECT id, story FROM events ORDER BY id")) == grouped


def test_a_file_that_failed_is_read_again(store, tmp_path, opened):
    settled(write_article(tmp_path, "a.md", "Headline\n\nShares of Google rose in 2020."))
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    settled(bad)
    index([tmp_path], store, workers=1)
    opened.clear()
    report = index([tmp_path], store, workers=1)
    assert opened == ["bad.jsonl"] and len(report.failures) == 1


def test_an_unchanged_file_still_claims_its_ids(store, tmp_path):
    (tmp_path / "a.jsonl").write_text(
        '{"id": "x1", "title": "T", "text": "Shares of Google rose in 2020.", "published": "2025-06-14"}\n')
    settled(tmp_path / "a.jsonl")
    index([tmp_path], store, workers=1)
    (tmp_path / "b.jsonl").write_text(
        '{"id": "x1", "title": "T", "text": "Shares of Meta fell in 2021.", "published": "2025-06-14"}\n')
    report = index([tmp_path], store, workers=1)
    assert any("duplicate article id" in str(p) for p in report.problems)
    assert store.article("x1")["text"].endswith("Shares of Google rose in 2020.")
