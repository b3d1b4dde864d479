"""How fast ``timeline export`` writes 100,000 events as Markdown.

    python benchmarks/bench_export.py DB [--events 100000] [--repeats 5] [--before]

Picks a ``--from`` period that leaves about --events events (walking the
timeline's year and month headings back from the end), then times the real
command (``timeline export --db DB --from PERIOD -o FILE``, process start
included: wall, CPU and peak memory) and the export function alone in this
process, and splits the function's time into reading the rows
(``Store.export_rows``) and the rest (escaping and writing Markdown). Checks
that ``export --help`` loads neither Textual nor the tagger. With --before,
also times the per-row path export used to take (``iter_events`` with an
Event per row and a ``story`` query per story told twice, through
``write_markdown``) and checks it writes the very same Markdown. Opens the
database read-only. Prints figures (medians); asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timeline.export import describe_filter, export, write_markdown
from timeline.store import Filter, Store

TARGET_S = 2.0


def period_leaving(store: Store, wanted: int) -> str:
    """The heading (``2019`` or ``2019-06``) from which on the timeline holds about `wanted` events."""
    total = 0
    groups = store.groups(Filter())
    for group in reversed(groups):
        total += group.count
        if total >= wanted:
            return group.bucket
    return groups[0].bucket


def timeline_command() -> list[str]:
    found = shutil.which("timeline") or str(Path(sys.executable).with_name("timeline"))
    return [found] if Path(found).exists() else [sys.executable, "-m", "timeline.cli"]


def run_command(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of the timeline command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*timeline_command(), *args], check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed(work) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of work() in this process."""
    started, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - started, time.process_time() - cpu


def export_to_devnull(store: Store, flt: Filter) -> None:
    with open(os.devnull, "w", encoding="utf-8") as out:
        export(store, flt, out)


def export_as_before(store: Store, flt: Filter, out) -> None:
    write_markdown(store.iter_events(flt), out, description=describe_filter(store, flt) + ".", story_of=store.story)


def heavy_imports() -> list[str]:
    """Modules `timeline export --help` should not need: the browser (Textual) and the taggers (timex, entities)."""
    found = subprocess.run([sys.executable, "-X", "importtime", "-m", "timeline", "export", "--help"],
                           capture_output=True, text=True, check=True).stderr
    loaded = {line.rsplit("|", 1)[-1].strip() for line in found.splitlines() if "|" in line}
    return sorted(name for name in loaded if name.split(".")[0] == "textual"
                  or name in ("timeline.app", "timeline.timex", "timeline.entities"))


def median_pair(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(run[0] for run in runs), statistics.median(run[1] for run in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--before", action="store_true", help="also time the per-row path export used to take")
    args = parser.parse_args(argv)
    from timeline.cli import _period_bound

    with Store(args.db, create=False, read_only=True) as store:
        period = period_leaving(store, args.events)
        flt = Filter(date_from=_period_bound(period, "start"))
        written = store.count(flt)
        function = median_pair([timed(lambda: export_to_devnull(store, flt)) for _ in range(args.repeats)])
        reading = median_pair([timed(lambda: sum(1 for _ in store.export_rows(flt))) for _ in range(args.repeats)])
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "export.md"
        command_args = ["export", "--db", str(args.db), "--from", period, "-o", str(out)]
        command = median_pair([run_command(command_args) for _ in range(args.repeats)])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size = out.stat().st_size
        startup = median_pair([run_command(["export", "--help"]) for _ in range(args.repeats)])
        markdown = out.read_text(encoding="utf-8") if args.before else ""
    verdict = "ok" if command[0] <= TARGET_S else f"over by {command[0] / TARGET_S:.1f}x"
    print(f"timeline export --from {period}: {written:,} events, {size / 2**20:.1f} MB of Markdown "
          f"(medians of {args.repeats}; wall and CPU)")
    print(f"  the command, process start included  {command[0]:6.2f} s  {command[1]:6.2f} s CPU   "
          f"target ≤ {TARGET_S:.0f} s: {verdict}")
    print(f"  peak RSS of the command              {peak:6.0f} MB")
    print(f"  of which starting (export --help)    {startup[0]:6.2f} s  {startup[1]:6.2f} s CPU   "
          f"heavy imports: {', '.join(heavy_imports()) or 'none'}")
    print(f"  export() alone, in process           {function[0]:6.2f} s  {function[1]:6.2f} s CPU   "
          f"({written / function[0]:,.0f} events/s)")
    print(f"    reading the rows (export_rows)     {reading[0]:6.2f} s  {reading[1]:6.2f} s CPU")
    print(f"    escaping and writing Markdown      {max(function[0] - reading[0], 0):6.2f} s  "
          f"{max(function[1] - reading[1], 0):6.2f} s CPU")
    if args.before:
        with Store(args.db, create=False, read_only=True) as store:
            sink = io.StringIO()
            before = timed(lambda: export_as_before(store, flt, sink))
        same = "the same Markdown" if sink.getvalue() == markdown else "DIFFERENT Markdown"
        print(f"  as before (iter_events + story)      {before[0]:6.2f} s  {before[1]:6.2f} s CPU   ({same}, one run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
