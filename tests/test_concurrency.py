"""Concurrent use: the app reads while an indexer writes; two indexers never write at once."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.app import TimelineApp
from timeline.cli import cli
from timeline.indexer import index
from timeline.lock import LockBusy, holder_pid, indexer_lock, lock_path
from timeline.store import Filter, Store, StoreError

from .conftest import CORPUS, write_article
from .test_crash import TIMELINE, write_corpus

# Holds a write transaction open on the database for a while, as an indexer writing a batch does.
LONG_WRITE = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO articles (id, title, text, published, published_guessed, path, content_hash) "
             "VALUES ('late', 'Late news', 'Late news', '2025-06-14', 0, 'late', 'x')")
conn.execute("INSERT INTO events (article_id, start, [end], granularity, value, text, char_start, char_end, "
             "bucket, granularity_rank) VALUES ('late', '2025-06-14', '2025-06-14', 'day', '2025-06-14', "
             "'Late news', 0, 9, '2025-06', 8)")
print("writing", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
print("committed", flush=True)
"""


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


@pytest.fixture
def seeded(tmp_path, seed_db):
    db = tmp_path / "t.db"
    with Store(seed_db, create=False) as seed, sqlite3.connect(db) as copy:
        seed.db.conn.backup(copy)
    return db


def has_schema(db: Path) -> bool:
    if not db.exists():
        return False
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() is not None
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


def hold_a_write(db: Path, seconds: float) -> subprocess.Popen:
    writer = subprocess.Popen([sys.executable, "-c", LONG_WRITE, str(db), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "writing"
    return writer


# --- readers and a writer ----------------------------------------------------------


@pytest.mark.parametrize("read_only", [False, True])
def test_a_reader_queries_at_once_during_a_long_write(seeded, read_only):
    writer = hold_a_write(seeded, 3)
    try:
        started = time.monotonic()
        with Store(seeded, create=False, read_only=read_only) as reader:
            before = reader.counts()
            assert reader.events(limit=20) and reader.groups() and reader.entities()
            assert reader.count(Filter(search="Google")) > 0
            assert reader.find_entity("Google") is not None
            assert time.monotonic() - started < 2, "the reader waited for the writer"
            assert writer.poll() is None, "the write ended before the reads: the test proved nothing"
            assert writer.stdout.readline().strip() == "committed"
            assert reader.counts()["events"] == before["events"] + 1
    finally:
        writer.wait()


def test_a_reader_never_fails_while_a_real_indexer_runs(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, range(60))
    db = tmp_path / "t.db"
    indexer = subprocess.Popen([str(TIMELINE), "index", str(corpus), "--db", str(db), "-q"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen, reads = [], 0
    try:
        while not has_schema(db):  # test_creating_the_schema_is_all_or_nothing covers the moment before
            assert indexer.poll() is None, indexer.stderr.read().decode()
            time.sleep(0.01)
        while indexer.poll() is None:
            with Store(db, create=False, read_only=True) as reader:
                counts = reader.counts()
                reader.events(limit=50)
                reader.groups()
                eventless = reader.db.execute(
                    "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.article_id = a.id)"
                ).fetchone()[0]
                assert eventless == 0, "a reader saw an article without its events"
                seen.append(counts["articles"])
                reads += 1
    finally:
        assert indexer.wait() == 0, indexer.stderr.read().decode()
    assert reads > 3 and seen == sorted(seen)  # it saw the index grow, never shrink, never a lock error


def test_creating_the_schema_is_all_or_nothing(tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("sqlite_utils.db.Table.enable_fts", interrupted)
    with pytest.raises(KeyboardInterrupt):
        Store(tmp_path / "t.db")
    with sqlite3.connect(tmp_path / "t.db") as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []


async def test_reload_in_the_app_shows_what_was_indexed_meanwhile(seeded, tmp_path):
    more = tmp_path / "more"
    more.mkdir()
    write_article(more, "late.md", "Late breaking headline\n\nIn 2019, Initech opened in Oslo.")
    with Store(seeded, create=False) as store:
        app = TimelineApp(store, export_dir=tmp_path)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            before = app.timeline.event_count
            writer = hold_a_write(seeded, 1.5)
            await pilot.press("r")  # while another process writes: the old timeline, no error
            assert app.timeline.event_count == before
            writer.wait()
            with Store(seeded, create=False) as other:
                index([more], other)
            await pilot.press("r")
            await pilot.pause()
            assert app.timeline.event_count == before + 3
            assert f"{before + 3:,} events" in str(app.query_one("#filters").render())
            await pilot.press("home")
            assert "In 2019, Initech opened in Oslo." in str(app.query_one("#excerpt-text").render())


# --- one indexer at a time ------------------------------------------------------------


def test_a_second_lock_is_refused_naming_the_database_and_the_holder(tmp_path):
    db = tmp_path / "t.db"
    with indexer_lock(db):
        assert holder_pid(db) == os.getpid()
        with pytest.raises(LockBusy) as busy:
            with indexer_lock(db):
                pass
    assert str(busy.value) == (f"{db}: another indexer (pid {os.getpid()}) is writing to this database; "
                               "wait for it to finish, or run again with --wait")
    with indexer_lock(db):  # released
        pass


def test_waiting_for_the_lock(tmp_path):
    db = tmp_path / "t.db"
    waited_for = []
    release = threading.Event()

    def hold():
        with indexer_lock(db):
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    while holder_pid(db) is None:
        time.sleep(0.01)
    threading.Timer(0.3, release.set).start()
    started = time.monotonic()
    with indexer_lock(db, wait=True, on_wait=waited_for.append):
        assert time.monotonic() - started >= 0.25
    holder.join()
    assert waited_for == [os.getpid()]


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    db = tmp_path / "t.db"
    script = ("import sys, time; from pathlib import Path; from timeline.lock import indexer_lock\n"
              "with indexer_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", script, str(db)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(LockBusy, match=f"pid {holder.pid}"):
        with indexer_lock(db):
            pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with indexer_lock(db):
        assert holder_pid(db) == os.getpid()


def _work(started, seconds: float) -> None:
    started.set()
    time.sleep(seconds)


def test_a_forked_worker_does_not_keep_the_lock(tmp_path):
    """The indexer's process pool forks while holding the lock; a worker outliving a killed
    indexer must not keep the database locked."""
    db = tmp_path / "t.db"
    fork = multiprocessing.get_context("fork")
    started = fork.Event()
    with indexer_lock(db):
        worker = fork.Process(target=_work, args=(started, 3))
        worker.start()
        assert started.wait(5)
    try:
        with indexer_lock(db):  # the worker still runs, holding a copy of every descriptor but the lock's
            assert worker.is_alive()
    finally:
        worker.kill()
        worker.join()


def test_a_second_indexer_stops_or_waits(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, range(60))
    db = tmp_path / "t.db"
    first = subprocess.Popen([str(TIMELINE), "index", str(corpus), "--db", str(db), "-q"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        while holder_pid(db) != first.pid:
            assert first.poll() is None, first.stdout.read()
            time.sleep(0.01)
        second = run("index", CORPUS, "--db", db)
        assert second.exit_code == 1
        assert second.output == (f"Error: {db}: another indexer (pid {first.pid}) is writing to this database; "
                                 "wait for it to finish, or run again with --wait\n")
        waiting = run("index", CORPUS, "--db", db, "--wait")
        assert waiting.exit_code == 0, waiting.output
        assert f"waiting for the indexer already writing to {db} (pid {first.pid}) to finish" in waiting.output
        assert "2 article(s) indexed" in waiting.output
    finally:
        first.wait()
    assert first.returncode == 0 and "60 article(s) indexed" in first.stdout.read()
    with Store(db, create=False) as store:
        assert store.counts()["articles"] == 62


def test_first_run_browse_does_not_wait_for_another_indexer(tmp_path, monkeypatch):
    db = tmp_path / "fresh.db"
    opened = []
    monkeypatch.setattr(TimelineApp, "run", lambda app: opened.append(app.store.counts()["articles"]))
    with indexer_lock(db):
        result = run(env={"TIMELINE_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert opened == [0]
    assert f"{db}: another indexer (pid {os.getpid()}) is writing" in result.output
    assert "Opening it as it is: press r to reload." in result.output
    assert lock_path(db).exists()


def test_a_lock_file_that_cannot_be_made_is_a_one_line_error(tmp_path, monkeypatch):
    real_open = os.open

    def no_lock_files(path, *args, **kwargs):
        if str(path).endswith(".lock"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("timeline.lock.os.open", no_lock_files)
    db = tmp_path / "t.db"
    result = run("index", CORPUS, "--db", db)
    assert result.exit_code == 1
    assert result.output == f"Error: {db}.lock: cannot create the indexer's lock file (Permission denied)\n"


async def test_reindexing_from_the_app_waits_its_turn(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    article = write_article(folder, "a.md", "Old headline\n\nIn 2024 it began.")
    db = tmp_path / "t.db"
    with Store(db) as store:
        index([folder], store)
    write_article(folder, "a.md", "New headline\n\nIn 2024 it began again.")
    with Store(db, create=False) as store:
        app = TimelineApp(store, export_dir=tmp_path, remember=False)
        async with app.run_test(size=(120, 30)) as pilot:
            with indexer_lock(db):  # a `timeline index` is writing
                app.action_reindex()
                await app.workers.wait_for_complete()
            await pilot.pause()
        assert store.article(str(article.resolve()))["title"] == "Old headline"


def test_a_database_locked_by_another_program_is_a_one_line_error(seeded, tmp_path, monkeypatch):
    monkeypatch.setattr("timeline.store._BUSY_TIMEOUT_MS", 300)
    more = tmp_path / "more"
    more.mkdir()
    write_article(more, "late.md", "Late breaking headline\n\nIn 2019, Initech opened in Oslo.")
    writer = hold_a_write(seeded, 5)  # not an indexer: no lock file tells it apart
    try:
        result = run("index", more, "--db", seeded)
    finally:
        writer.kill()
        writer.wait()
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {seeded}: database is locked; another program is writing to it: "
        "run the same command again when it is done")
