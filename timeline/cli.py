"""The ``timeline`` command: index, browse, export, tag."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import click

from .display import one_line
from .lock import LockBusy, LockUnavailable, indexer_lock

if TYPE_CHECKING:
    from .store import Store

DB_ENV = "TIMELINE_DB"
# Lone surrogates (legal as JSON escapes) cannot be written out as UTF-8; each becomes U+FFFD,
# one character for one, so offsets still index the text as given.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def default_db() -> Path:
    """Where the database lives unless --db or $TIMELINE_DB says otherwise."""
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV])
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "timeline" / "timeline.db"


def bundled_corpus() -> Path:
    """The demo articles: inside the package when installed from a wheel, beside it in a checkout."""
    package = Path(__file__).parent
    for candidate in (package / "corpus", package.parent / "corpus"):
        if candidate.is_dir():
            return candidate
    raise click.ClickException("the bundled corpus is missing from this installation")


db_option = click.option(
    "--db", "db_path", type=click.Path(path_type=Path), default=None,
    help=f"Database file [default: ${DB_ENV}, or ~/.local/share/timeline/timeline.db].",
)


def fail(message: str) -> None:
    """Stop with a one-line error (file names and article text cannot break the line or the terminal)."""
    raise click.ClickException(one_line(message))


def database_path(db_path: Path | None, *, create: bool) -> Path:
    """The database to use: --db, else the default, whose folder is made when creating."""
    if db_path is not None:
        return db_path
    path = default_db()
    if create:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            fail(f"{path.parent}: cannot create the database's folder ({error.strerror or error})")
    return path


def open_store(db_path: Path | None, *, create: bool, read_only: bool = False) -> Store:
    from .store import Store, StoreError  # sqlite_utils and numpy: a quarter of a second `timeline tag` never needs

    path = database_path(db_path, create=create)
    try:
        return Store(path, create=create, read_only=read_only)
    except StoreError as error:
        fail(str(error))


@contextmanager
def database_errors(path: Path) -> Iterator[None]:
    """SQLite failing under a command (locked past the busy timeout by another program, disk
    full, a corrupt file) as one line naming the database."""
    try:
        yield
    except sqlite3.DatabaseError as error:
        hint = "; another program is writing to it: run the same command again when it is done" if "locked" in str(error) else ""
        fail(f"{path}: {error}{hint}")


@contextmanager
def only_indexer(path: Path, *, wait: bool) -> Iterator[None]:
    """Hold the database's indexer lock; a second indexer waits (--wait) or stops saying who holds it."""
    if path.is_dir() or not path.parent.is_dir():
        open_store(path, create=True)  # fails, naming what is wrong with the path, before any lock file is made

    def waiting(pid: int | None) -> None:
        holder = f"pid {pid}" if pid else "another process"
        click.echo(f"waiting for the indexer already writing to {path} ({holder}) to finish…", err=True)

    try:
        with indexer_lock(path, wait=wait, on_wait=waiting):
            yield
    except (LockBusy, LockUnavailable) as error:
        fail(str(error))


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.version_option(package_name="timeline")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None) -> None:
    """Explore news as a timeline in the terminal.

    With no command, opens the timeline browser; on first run it indexes the
    bundled demo corpus so there is something to explore.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(browse, db_path=db_path)


@cli.command()
@db_option
def browse(db_path: Path | None) -> None:
    """Open the timeline browser (the default command)."""
    store = open_store(db_path, create=db_path is None)
    if db_path is None and store.counts()["articles"] == 0:
        _index_bundled_corpus(store)
    from .app import TimelineApp  # Textual loads only for the browser

    TimelineApp(store).run()


def _index_bundled_corpus(store: Store) -> None:
    """First run: index the demo corpus, unless another indexer is filling the database right now."""
    try:
        with indexer_lock(store.path):
            if store.counts()["articles"] == 0:  # another first run may have finished meanwhile
                click.echo(f"First run: indexing the bundled corpus into {store.path}", err=True)
                _run_index(store, [bundled_corpus()], strict=False, quiet=True)
    except LockBusy as busy:
        click.echo(one_line(f"{busy}. Opening it as it is: press r to reload."), err=True)
    except LockUnavailable as error:
        fail(str(error))


@cli.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--strict", is_flag=True, help="Exit non-zero if any file or line could not be indexed.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings, only the summary.")
@click.option("--wait", is_flag=True, help="If another indexer is writing to the database, wait for it instead of stopping.")
def index_command(paths: tuple[Path, ...], db_path: Path | None, strict: bool, quiet: bool, wait: bool) -> None:
    """Index articles: Markdown/text files with front matter, JSON Lines, or folders of them.

    Unchanged articles are skipped; changed ones replace their old events;
    articles whose files are gone from an indexed folder are removed. One
    indexer at a time writes to a database: a second one stops, saying which
    process holds it, or waits with --wait.
    """
    path = database_path(db_path, create=True)
    with only_indexer(path, wait=wait):
        store = open_store(path, create=True)
        _run_index(store, paths, strict=strict, quiet=quiet)


def _run_index(store: Store, paths, *, strict: bool, quiet: bool) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from . import articles as reader
    from .indexer import index
    from .store import StoreError

    console = Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)
    files = _count_files(paths)
    progress = Progress(
        SpinnerColumn(), TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
        TextColumn("{task.fields[articles]} articles"), TimeElapsedColumn(),
        console=console, disable=quiet or not console.is_terminal, transient=True,
    )
    current_file = [None]

    def on_article(item) -> None:
        path = (item.path or "").split("#", 1)[0] if isinstance(item, reader.Article) else item.path
        if path != current_file[0]:
            current_file[0] = path
            progress.advance(task)
        progress.update(task, articles=progress.tasks[0].fields["articles"] + isinstance(item, reader.Article))
        if isinstance(item, reader.Problem) and not quiet:
            console.print(one_line(("skipped " if item.fatal else "warning ") + str(item)))

    try:
        with progress, database_errors(store.path):
            task = progress.add_task("index", total=files or None, articles=0)
            report = index(paths, store, on_article=on_article)
    except StoreError as error:
        fail(str(error))
    except KeyboardInterrupt:
        console.print(f"interrupted: what was indexed so far is kept in {store.path}; run the same command again to finish")
        sys.exit(130)
    console.print(one_line(f"{report.summary()} → {store.path}"))
    nothing = report.indexed == 0 and report.unchanged == 0
    if report.failures and (strict or nothing):
        fail(f"{len(report.failures)} file(s) or line(s) could not be indexed" + ("" if strict else ", nothing was"))


def _count_files(paths) -> int:
    """How many files the progress bar counts to (the reader reports any it cannot list)."""
    from .articles import files_under

    total = 0
    for path in map(Path, paths):
        try:
            total += sum(1 for _ in files_under(path)) if path.is_dir() else 1
        except OSError:
            total += 1
    return total


@cli.command()
@db_option
@click.option("--entity", "entity_names", multiple=True, metavar="NAME",
              help="Only events naming this entity (repeat for several: events must name all).")
@click.option("--any", "match_any", is_flag=True, help="With several --entity: events naming any of them.")
@click.option("--from", "date_from", metavar="DATE", help="Only events from this date or period on (2024, June 2025, last year...).")
@click.option("--to", "date_to", metavar="DATE", help="Only events up to this date or period.")
@click.option("--search", default="", metavar="TEXT", help="Only events whose sentence has these words.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of standard output.")
def export(db_path, entity_names, match_any, date_from, date_to, search, output) -> None:
    """Write the timeline (or the filtered part of it) as Markdown."""
    from .export import export as write_export

    store = open_store(db_path, create=False, read_only=True)
    with database_errors(store.path):
        _export(store, write_export, entity_names, match_any, date_from, date_to, search, output)


def _export(store, write_export, entity_names, match_any, date_from, date_to, search, output) -> None:
    from .store import Filter

    entity_ids = []
    for name in entity_names:
        entity = store.find_entity(name)
        if entity is None:
            fail(f"no entity named {name!r} in {store.path}")
        entity_ids.append(entity.id)
    flt = Filter(
        entity_ids=tuple(entity_ids), match_all=not match_any, search=search,
        date_from=_period_bound(date_from, "start"), date_to=_period_bound(date_to, "end"),
    )
    if output:
        try:
            with output.open("w", encoding="utf-8") as out:
                count = write_export(store, flt, out)
        except OSError as error:
            fail(f"{output}: cannot write ({error.strerror or error})")
        click.echo(one_line(f"{count} event(s) written to {output}"), err=True)
    else:
        _write_to_stdout(lambda out: write_export(store, flt, out))


def _write_to_stdout(write) -> None:
    """Write to standard output; a reader that stops early (`| head`) ends the command quietly."""
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python flushes stdout again at exit; let that go nowhere
        sys.exit(141)


def _period_bound(text: str | None, side: str) -> str | None:
    if not text:
        return None
    from .periods import parse_period

    period = parse_period(text)
    if period is None:
        fail(f"cannot read {text!r} as a date or period")
    return getattr(period, side).isoformat()


@cli.command()
@click.option("--timeml", is_flag=True, help="Write TimeML documents (inline TIMEX3) instead of JSON Lines.")
@click.option("--no-entities", is_flag=True, help="Dates only: leave \"entities\" empty (about 4x faster).")
def tag(timeml: bool, no_entities: bool) -> None:
    """Tag temporal expressions and entities in JSON Lines read from standard input.

    Each input line is {"id", "text", "dct"} (dct: the publication date); each
    output line is {"id", "timexes": [...], "entities": [...]} with Python string
    offsets into text.
    """
    from .timex import tag as tag_timexes

    if timeml:
        from .timeml import to_timeml
    if not no_entities:
        from .entities import find_mentions
    write = sys.stdout.write
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        record, dct, problem = _tag_request(line)
        if problem:
            click.echo(f"line {number}: {problem}", err=True)
            write(json.dumps({"id": record.get("id"), "error": problem}) + "\n")
            continue
        text = _without_lone_surrogates(record["text"])
        timexes = tag_timexes(text, dct)
        if timeml:
            write(to_timeml(text, timexes, dct) + "\n")
            continue
        write(json.dumps({
            "id": _without_lone_surrogates(record.get("id")),
            "timexes": [{"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value} for t in timexes],
            "entities": [] if no_entities else [
                {"start": m.start, "end": m.end, "text": m.text, "type": m.type} for m in find_mentions(text)
            ],
        }, ensure_ascii=False) + "\n")


def _without_lone_surrogates(value):
    """value with each lone surrogate (which JSON may carry but UTF-8 cannot) as U+FFFD."""
    if isinstance(value, str) and _LONE_SURROGATE.search(value):
        return _LONE_SURROGATE.sub("\ufffd", value)
    return value


def _tag_request(line: str) -> tuple[dict, dt.date | None, str | None]:
    """One input line of `timeline tag` as a JSON object, its publication date, and what is
    wrong with it (None: nothing)."""
    from .articles import parse_date

    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return {}, None, f"not valid JSON ({error.msg})"
    except (ValueError, RecursionError):  # a number too long to convert, nesting too deep
        return {}, None, "not valid JSON (too deeply nested or a number too long)"
    if not isinstance(record, dict):
        return {}, None, "each line must be a JSON object"
    dct = parse_date(record.get("dct"))
    if not isinstance(record.get("text"), str) or dct is None:
        return record, None, "needs a \"text\" string and a \"dct\" date"
    return record, dct, None


def main() -> None:
    cli(prog_name="timeline")
