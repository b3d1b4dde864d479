"""The ``timeline`` command: index, browse, export, tag."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click

from .store import Filter, Store, StoreError

DB_ENV = "TIMELINE_DB"


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
    raise click.ClickException(message)


def open_store(db_path: Path | None, *, create: bool, read_only: bool = False) -> Store:
    path = db_path or default_db()
    if db_path is None and create:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return Store(path, create=create, read_only=read_only)
    except StoreError as error:
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
        click.echo(f"First run: indexing the bundled corpus into {store.path}", err=True)
        _run_index(store, [bundled_corpus()], strict=False, quiet=True)
    from .app import TimelineApp  # Textual loads only for the browser

    TimelineApp(store).run()


@cli.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--strict", is_flag=True, help="Exit non-zero if any file or line could not be indexed.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no warnings, only the summary.")
def index_command(paths: tuple[Path, ...], db_path: Path | None, strict: bool, quiet: bool) -> None:
    """Index articles: Markdown/text files with front matter, JSON Lines, or folders of them.

    Unchanged articles are skipped; changed ones replace their old events;
    articles whose files are gone from an indexed folder are removed.
    """
    store = open_store(db_path, create=True)
    _run_index(store, paths, strict=strict, quiet=quiet)


def _run_index(store: Store, paths, *, strict: bool, quiet: bool) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from . import articles as reader
    from .indexer import index

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
            console.print(("skipped " if item.fatal else "warning ") + str(item))

    with progress:
        task = progress.add_task("index", total=files or None, articles=0)
        report = index(paths, store, on_article=on_article)
    console.print(f"{report.summary()} → {store.path}")
    nothing = report.indexed == 0 and report.unchanged == 0
    if report.failures and (strict or nothing):
        fail(f"{len(report.failures)} file(s) or line(s) could not be indexed" + ("" if strict else ", nothing was"))


def _count_files(paths) -> int:
    from .articles import files_under

    return sum(sum(1 for _ in files_under(p)) if Path(p).is_dir() else 1 for p in paths)


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
        with output.open("w", encoding="utf-8") as out:
            count = write_export(store, flt, out)
        click.echo(f"{count} event(s) written to {output}", err=True)
    else:
        write_export(store, flt, sys.stdout)


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
def tag(timeml: bool) -> None:
    """Tag temporal expressions and entities in JSON Lines read from standard input.

    Each input line is {"id", "text", "dct"} (dct: the publication date); each
    output line is {"id", "timexes": [...], "entities": [...]} with Python string
    offsets into text.
    """
    from .articles import parse_date
    from .entities import find_mentions
    from .timeml import to_timeml
    from .timex import tag as tag_timexes

    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text, dct = record["text"], parse_date(record.get("dct"))
            if not isinstance(text, str) or dct is None:
                raise ValueError("needs a \"text\" string and a \"dct\" date")
        except (ValueError, KeyError, TypeError) as error:
            click.echo(f"line {number}: {error}", err=True)
            click.echo(json.dumps({"id": _record_id(line), "error": str(error)}))
            continue
        timexes = tag_timexes(text, dct)
        if timeml:
            click.echo(to_timeml(text, timexes, dct))
            continue
        click.echo(json.dumps({
            "id": record.get("id"),
            "timexes": [{"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value} for t in timexes],
            "entities": [{"start": m.start, "end": m.end, "text": m.text, "type": m.type} for m in find_mentions(text)],
        }, ensure_ascii=False))


def _record_id(line: str):
    try:
        return json.loads(line).get("id")
    except (ValueError, AttributeError):
        return None


def main() -> None:
    cli(prog_name="timeline")
