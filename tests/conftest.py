import datetime as dt
import shutil
from pathlib import Path

import pytest

from timeline.indexer import index
from timeline.store import Store

CORPUS = Path(__file__).parent.parent / "corpus"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.db") as opened:
        yield opened


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory):
    """A database of the bundled corpus, indexed once for every test that only reads it."""
    folder = tmp_path_factory.mktemp("seed")
    corpus = folder / "corpus"
    shutil.copytree(CORPUS, corpus)
    path = folder / "seed.db"
    with Store(path) as opened:
        index([corpus], opened)
    return path


@pytest.fixture
def seed_store(seed_db):
    with Store(seed_db, create=False) as opened:
        yield opened


def write_article(folder: Path, name: str, text: str, published: str = "2025-06-14", title: str | None = None) -> Path:
    front = f"---\npublished: {published}\n" + (f"title: {title}\n" if title else "") + "---\n"
    path = folder / name
    path.write_text(front + text)
    return path


DCT = dt.date(2025, 6, 14)


def as_version_2(conn) -> None:
    """Make a database of this store what version 2 had: no latest end per heading, no story
    periods beside their entities."""
    conn.execute("ALTER TABLE buckets DROP COLUMN last_end")
    conn.execute("ALTER TABLE story_entities DROP COLUMN start")
    conn.execute("ALTER TABLE story_entities DROP COLUMN [end]")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
