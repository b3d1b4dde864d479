"""A killed indexer loses nothing: SIGKILL a real `timeline index` at many points.

After each kill the database must pass SQLite's integrity check and hold every
article either as it was before the run or as the run was writing it, each
with exactly its events; the next run must end where an uninterrupted run does.
"""

from __future__ import annotations

import os
import random
from collections import Counter
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from timeline import indexer
from timeline.articles import read
from timeline.model import Article, Event
from timeline.store import Store

TIMELINE = Path(sys.executable).with_name("timeline")
KILLS = 15

PEOPLE = ["Alice Moreau", "Jonas Berg", "Priya Raman", "Carlos Mendes", "Mei Tanaka", "Tom Okafor"]
ORGS = ["Acme Corp", "Globex", "Initech", "Umbrella Group", "Stark Industries", "Hooli", "Vandelay Industries"]
PLACES = ["London", "Paris", "Berlin", "Lagos", "Tokyo", "Toronto", "Nairobi"]
WHEN = ["In March {y}", "Last year", "On 5 May {y}", "In the second quarter of {y}", "Next month", "In {y}",
        "Earlier this year", "In the summer of {y}", "On Monday", "By December {y}", "Two years ago"]
VERBS = ["announced a deal with", "sued", "hired staff from", "opened an office near", "cut ties with", "invested in"]
# Columns holding another row's surrogate id without a declared foreign key.
UNDECLARED_REFERENCES = {("events", "story"): "events"}


def article_text(rng: random.Random, number: int, version: int) -> str:
    sentences = [
        f"{rng.choice(WHEN).format(y=rng.randint(2015, 2026))}, {rng.choice(ORGS)} {rng.choice(VERBS)} "
        f"{rng.choice(ORGS)} in {rng.choice(PLACES)}, said {rng.choice(PEOPLE)}."
        for _ in range(rng.randint(3, 5))
    ]
    published = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    title = f"{rng.choice(ORGS)} and {rng.choice(ORGS)}: story {number}, version {version}"
    return f"---\ntitle: {title}\npublished: {published}\n---\n" + " ".join(sentences) + "\n"


def write_corpus(folder: Path, numbers, version: int = 1) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in numbers:
        rng = random.Random(number * 10 + version)
        (folder / f"story-{number:04d}.md").write_text(article_text(rng, number, version))


def frozen_code(folder: Path) -> dict[str, str]:
    """An environment whose `timeline` runs a copy of the package taken now. Each article's
    hash includes the tagger's version, so every run one test compares must use the same code,
    even while the working tree changes under it."""
    shutil.copytree(Path(__file__).parent.parent / "timeline", folder / "timeline",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return {**os.environ, "PYTHONPATH": str(folder)}


def index(corpus: Path, db: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([str(TIMELINE), "index", str(corpus), "--db", str(db), "-q"], cwd=db.parent,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def kill(process: subprocess.Popen) -> bool:
    """SIGKILL the indexer; True if it was still running. Its pool workers, orphaned, are
    killed after it (they never write to the database, but would go on using the CPU)."""
    process.send_signal(signal.SIGKILL)
    killed = process.wait() == -signal.SIGKILL
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.stderr.close()
    return killed


def index_to_the_end(corpus: Path, db: Path, env: dict[str, str] | None = None) -> None:
    process = index(corpus, db, env)
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors.decode()


# --- comparing databases ------------------------------------------------------


def tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return [name for (name,) in rows if not name.startswith(("sqlite_", "events_fts"))]


def references(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Columns of table that hold a surrogate id of another row, and the table they point into."""
    found = {row[3]: row[2] for row in conn.execute(f"PRAGMA foreign_key_list([{table}])")}
    found.update({column: target for (t, column), target in UNDECLARED_REFERENCES.items() if t == table})
    return found


def natural_keys(conn: sqlite3.Connection, table: str) -> dict[int, tuple]:
    """id -> the row's other columns, for tables keyed by a surrogate integer id (which differ between runs)."""
    columns = [row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")]
    skip = {"id", *references(conn, table)}
    keep = [c for c in columns if c not in skip]
    rows = conn.execute(f"SELECT id, {', '.join(f'[{c}]' for c in keep)} FROM [{table}]")
    return {row[0]: tuple(row[1:]) for row in rows}


def snapshot(db: Path) -> dict[str, list]:
    """Every table's rows, with surrogate ids replaced by what they identify, sorted: equal
    snapshots mean the same timeline whatever order rows were written in."""
    conn = sqlite3.connect(db)
    try:
        keyed: dict[str, dict[int, tuple]] = {}
        result = {"schema": sorted(conn.execute("SELECT type, name, sql FROM sqlite_master"), key=repr)}
        for table in tables(conn):
            if table == "files":
                continue  # which files a run fingerprints depends on when it ran: a cache, not content
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")]
            refs = references(conn, table)
            for target in refs.values():
                if target not in keyed:
                    keyed[target] = natural_keys(conn, target)
            rows = []
            for row in conn.execute(f"SELECT * FROM [{table}]"):
                named = dict(zip(columns, row))
                if "id" in named and table in ("events", "entities"):
                    del named["id"]
                for column, target in refs.items():
                    if named.get(column) is not None:
                        named[column] = keyed[target].get(named[column], "dangling")
                rows.append(tuple(sorted(named.items())))
            result[table] = sorted(rows, key=repr)
        return result
    finally:
        conn.close()


def raw_rows(db: Path) -> dict[str, list]:
    """Every row of every table exactly as stored, ids included."""
    conn = sqlite3.connect(db)
    try:
        return {table: sorted(conn.execute(f"SELECT * FROM [{table}]"), key=repr) for table in tables(conn)}
    finally:
        conn.close()


def per_article(db: Path) -> dict[str, tuple]:
    """article id -> (its row, its events with the entity keys each names)."""
    conn = sqlite3.connect(db)
    try:
        articles = {row[0]: row for row in conn.execute("SELECT * FROM articles")}
        events: dict[str, list] = {key: [] for key in articles}
        rows = conn.execute(
            "SELECT e.article_id, e.start, e.[end], e.granularity, e.value, e.text, e.char_start, e.char_end, e.timex, "
            "(SELECT group_concat(n.key, '|') FROM (SELECT n.key FROM event_entities x JOIN entities n "
            " ON n.id = x.entity_id WHERE x.event_id = e.id ORDER BY n.key) n) FROM events e")
        for row in rows:
            assert row[0] in events, f"event of an article that is not stored: {row}"
            events[row[0]].append(row[1:])
        return {key: (articles[key], sorted(events[key], key=repr)) for key in articles}
    finally:
        conn.close()


def assert_same(found: dict[str, list], expected: dict[str, list], context: str) -> None:
    """found == expected, with a short report of the first differences (pytest's own diff of
    thousands of rows takes minutes)."""
    for table in sorted(set(found) | set(expected)):
        mine, theirs = found.get(table, []), expected.get(table, [])
        if mine != theirs:
            extra = list((Counter(mine) - Counter(theirs)).elements())[:2]
            missing = list((Counter(theirs) - Counter(mine)).elements())[:2]
            pytest.fail(f"{context}: table {table} differs ({len(mine)} rows, expected {len(theirs)}); "
                        f"unexpected {extra}; missing {missing}", pytrace=False)


def assert_sound(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO events_fts(events_fts) VALUES ('integrity-check')")
    finally:
        conn.close()


# --- the test ------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """Version 1 indexed (two write batches), then version 2 saved over it: a third of its articles
    rewritten, some deleted, some new, so that re-indexing takes a couple of seconds."""
    root = tmp_path_factory.mktemp("crash")
    env = frozen_code(root / "code")
    corpus = root / "corpus"
    write_corpus(corpus, range(200))
    v1_db, clean_db, updated_db = root / "v1.db", root / "clean.db", root / "updated.db"
    index_to_the_end(corpus, v1_db, env)
    for number in range(10):
        (corpus / f"story-{number:04d}.md").unlink()
    write_corpus(corpus, range(10, 200, 3), version=2)
    write_corpus(corpus, range(200, 270))
    shutil.copy(v1_db, updated_db)
    start = time.monotonic()
    runs = [index(corpus, updated_db, env), index(corpus, clean_db, env)]
    for process in runs:
        assert process.wait(timeout=120) == 0, process.stderr.read().decode()
    return {"corpus": corpus, "v1_db": v1_db, "clean_db": clean_db, "updated_db": updated_db,
            "run_seconds": time.monotonic() - start, "root": root, "env": env}


def test_an_uninterrupted_update_equals_indexing_from_scratch(corpora):
    """Updating version 1 to 2 should end where indexing version 2 afresh does."""
    assert_same(snapshot(corpora["updated_db"]), snapshot(corpora["clean_db"]), "updated")


def test_an_update_keeps_every_article_complete(corpora):
    """Whatever an entity is called, updating gives each article exactly the events a fresh index does."""
    assert per_article(corpora["updated_db"]) == per_article(corpora["clean_db"])


def test_killing_the_indexer_at_any_moment_loses_nothing(corpora):
    corpus, seconds, env = corpora["corpus"], corpora["run_seconds"], corpora["env"]
    old, new = per_article(corpora["v1_db"]), per_article(corpora["updated_db"])
    expected = snapshot(corpora["updated_db"])  # what the same run, uninterrupted, produced
    untouched = raw_rows(corpora["v1_db"])
    delays = [0.1 + seconds * 1.05 * i / (KILLS - 1) for i in range(KILLS)]
    print(f"an uninterrupted update took {seconds:.2f}s; killing at {', '.join(f'{d:.2f}' for d in delays)}")

    def kill_and_finish(number: int, delay: float) -> tuple[bool, list[str]]:
        db = corpora["root"] / f"killed-{number}.db"
        shutil.copy(corpora["v1_db"], db)
        process = index(corpus, db, env)
        time.sleep(delay)
        killed = kill(process)
        assert_sound(db)
        half = [article_id for article_id, stored in per_article(db).items()
                if stored not in (old.get(article_id), new.get(article_id))]
        if raw_rows(db) == untouched:
            return killed, half  # killed before it wrote: the next run is the uninterrupted one, already run
        index_to_the_end(corpus, db, env)
        assert_sound(db)
        assert_same(snapshot(db), expected, f"killed after {delay:.2f}s, the next run did not converge")
        return killed, half

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(kill_and_finish, range(KILLS), delays))
    # the kills must have exercised something: on a loaded machine the run's length varies,
    # so some late kills find it finished; a third landing mid-run still covers the whole run
    assert sum(killed for killed, _ in outcomes) >= KILLS // 3, outcomes
    half_written = [(delay, half[:3]) for delay, (_, half) in zip(delays, outcomes) if half]
    assert not half_written, f"half-indexed articles after kills at {half_written}"


def test_a_write_that_fails_halfway_leaves_the_article_as_it_was(tmp_path):
    """Deterministic twin of the kill test: a write that raises after it began (as a kill would
    stop it) must leave the article's old row and events in place."""
    write_corpus(tmp_path / "corpus", [1])
    with Store(tmp_path / "t.db") as store:
        indexer.index([tmp_path / "corpus"], store, workers=1)
        before = per_article(tmp_path / "t.db")
        [(article_id, _)] = before.items()
        [article] = [a for a in read([tmp_path / "corpus"]) if isinstance(a, Article)]
        event = Event(article_id, "2024-01-01", "2024-12-31", "no such granularity", "2024", "x", 0, 1, "2024")
        with pytest.raises(KeyError):
            store.write([(article, "another hash", [event])])
    assert per_article(tmp_path / "t.db") == before


# --- Ctrl-C ----------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def _as_in_a_terminal() -> None:
    """Ctrl-C interrupts, as in a terminal: a shell starts a background job (a CI step run with
    `&`, say) with SIGINT ignored, and that would pass down to the indexer."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_pool_run(tmp_path: Path) -> subprocess.Popen:
    """`timeline index` on long articles, returned once its process pool's workers are extracting."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(200):  # enough to start the pool; long, so its workers are mid-run 0.3 s in
        rng = random.Random(number)
        body = " ".join(article_text(rng, number, 1).split("---\n")[-1] for _ in range(15))
        (corpus / f"long-{number}.md").write_text(f"---\npublished: 2025-06-14\n---\nLong {number}\n\n{body}")
    process = subprocess.Popen([str(TIMELINE), "index", str(tmp_path / "corpus"), "--db", str(tmp_path / "t.db")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                               preexec_fn=_as_in_a_terminal)
    deadline = time.monotonic() + 30
    while not children(process.pid):
        assert process.poll() is None and time.monotonic() < deadline, "the indexer never started its pool"
        time.sleep(0.01)
    time.sleep(0.3)
    return process


def interrupted_run(tmp_path: Path, *, whole_group: bool) -> tuple[int, str]:
    """Interrupt a pool run as Ctrl-C in a terminal does (to the whole foreground process group)
    or as `kill -INT` does (to the indexer alone)."""
    process = start_pool_run(tmp_path)
    if whole_group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    return process.returncode, output


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the pool's workers through /proc")
def test_an_interrupted_index_says_what_is_kept_and_exits_130(tmp_path):
    code, output = interrupted_run(tmp_path, whole_group=False)
    assert code == 130, output
    assert output.splitlines()[-1] == (
        f"interrupted: what was indexed so far is kept in {tmp_path / 't.db'}; run the same command again to finish")
    assert "Traceback" not in output
    assert_sound(tmp_path / "t.db")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the pool's workers through /proc")
def test_ctrl_c_in_a_terminal_ends_the_index_cleanly(tmp_path):
    """Ctrl-C reaches the pool's workers too; the indexer still stops with its one line and 130."""
    code, output = interrupted_run(tmp_path, whole_group=True)
    assert code == 130, output
    assert output.splitlines()[-1].startswith("interrupted: what was indexed so far is kept in")
    assert "Traceback" not in output, output
    assert_sound(tmp_path / "t.db")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the pool's workers through /proc")
def test_a_killed_indexers_workers_print_nothing(tmp_path):
    process = start_pool_run(tmp_path)
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 20
    while subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True).returncode == 0:
        assert time.monotonic() < deadline, "the orphaned workers never ended"
        time.sleep(0.05)
    output = process.stdout.read()
    assert "Traceback" not in output, output


def test_ctrl_c_during_pool_work_is_raised_only_where_the_indexer_checks():
    from timeline.indexer import _interrupts_at_safe_points

    with pytest.raises(KeyboardInterrupt):
        with _interrupts_at_safe_points() as check:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # the signal is handled here, and only noted
            reached = True
            check()
    assert reached
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
