"""Indexing with a pool of workers gives the very database a single process gives."""

import datetime as dt
import json
import random
from dataclasses import replace

import pytest

from timeline import indexer
from timeline.events import extract
from timeline.indexer import index, pack_events, unpack_events
from timeline.model import Article
from timeline.store import Store

TABLES = {
    "articles": "id",
    "events": "id",
    "entities": "id",
    "event_entities": "event_id, entity_id",
}
PEOPLE = ["Alice Moreau", "Rahul Mehta", "Jane Okafor", "Tom Lindqvist"]
COMPANIES = ["Google", "Meta", "Scale AI", "Acme Corp", "Northwind Traders"]
PLACES = ["Paris", "Lagos", "Mumbai", "Chicago"]
WHEN = ["last year", "in March 2021", "next month", "on Tuesday", "in the second quarter", "this week",
        "in 2019", "yesterday", "in the summer of 2020", "now"]


def sentence(rng: random.Random) -> str:
    return (f"{rng.choice(PEOPLE)} of {rng.choice(COMPANIES)} said {rng.choice(WHEN)} that the office in "
            f"{rng.choice(PLACES)} would grow by {rng.randint(2, 90)} percent.")


def corpus_line(number: int, rng: random.Random) -> str:
    text = "\n\n".join(" ".join(sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(3))
    return json.dumps({
        "id": f"story-{number}",
        "title": f"{rng.choice(COMPANIES)} expands in {rng.choice(PLACES)}",
        "published": f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "text": text,
    })


def write_corpus(folder, articles: int = 50, seed: int = 7):
    rng = random.Random(seed)
    folder.mkdir(exist_ok=True)
    for part in range(3):  # several files, so reading order spans files
        lines = [corpus_line(n, rng) for n in range(part * articles // 3, (part + 1) * articles // 3)]
        (folder / f"part-{part}.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def contents(store: Store) -> dict[str, list[tuple]]:
    return {table: list(store.db.execute(f"SELECT * FROM [{table}] ORDER BY {order}"))
            for table, order in TABLES.items()}


@pytest.fixture
def small_pool(monkeypatch):
    """Small chunks and no lower bound, so 50 articles make many tasks through a real pool."""
    monkeypatch.setattr(indexer, "CHUNK_SIZE", 3)
    monkeypatch.setattr(indexer, "PARALLEL_FROM", 1)
    calls = []
    original = indexer._extract_in_pool
    monkeypatch.setattr(indexer, "_extract_in_pool", lambda *a: calls.append(a) or original(*a))
    return calls


def test_two_workers_write_the_same_database_as_one(tmp_path, small_pool):
    corpus = write_corpus(tmp_path / "corpus")
    with Store(tmp_path / "one.db") as one, Store(tmp_path / "two.db") as two:
        report_one = index([corpus], one, workers=1)
        report_two = index([corpus], two, workers=2)
        assert small_pool, "the pool was never used"
        assert report_one.indexed == report_two.indexed == 50
        assert report_one.events == report_two.events > 100
        assert contents(one) == contents(two)


def test_a_changed_article_reindexes_the_same_with_two_workers(tmp_path, small_pool):
    corpus = write_corpus(tmp_path / "corpus")
    with Store(tmp_path / "one.db") as one, Store(tmp_path / "two.db") as two:
        index([corpus], one, workers=1)
        index([corpus], two, workers=2)
        write_corpus(tmp_path / "corpus", seed=8)  # every article changes
        (corpus / "part-2.jsonl").unlink()  # and a third of them go
        assert index([corpus], one, workers=1).removed == index([corpus], two, workers=2).removed > 0
        assert contents(one) == contents(two)


def test_few_articles_are_extracted_without_a_pool(tmp_path, monkeypatch):
    monkeypatch.setattr(indexer, "_extract_in_pool", lambda *a: pytest.fail("a pool for 5 articles"))
    corpus = write_corpus(tmp_path / "corpus", articles=5)
    with Store(tmp_path / "t.db") as store:
        assert index([corpus], store, workers=2).indexed == 5


def test_packed_events_unpack_to_equal_events():
    rng = random.Random(3)
    record = json.loads(corpus_line(1, rng))
    article = Article(id=record["id"], title=record["title"], text=record["title"] + "\n\n" + record["text"],
                      published=dt.date.fromisoformat(record["published"]))
    events, mentions = extract(article)
    assert events and any(event.entities for event in events)
    assert unpack_events(article, pack_events(article, events, mentions)) == (events, mentions)
    odd = [replace(events[0], text="not a slice of the article")]
    assert unpack_events(article, pack_events(article, odd, mentions)) == (odd, mentions)
