"""How fast ``timeline export`` writes 100,000 events as Markdown.

    python benchmarks/bench_export.py DB [--events 100000] [--repeats 3]

Picks a ``--from`` period that leaves about --events events (walking the
timeline's year and month headings back from the end), then times the real
command (``timeline export --db DB --from PERIOD -o FILE``, process start
included) and the export function alone in this process, with the peak
memory of the command. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timeline.export import export
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


def time_command(db: Path, period: str, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([*timeline_command(), "export", "--db", str(db), "--from", period, "-o", str(out)],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def time_function(store: Store, flt: Filter) -> tuple[float, int]:
    sink = io.StringIO()
    started = time.perf_counter()
    written = export(store, flt, sink)
    return time.perf_counter() - started, written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    with Store(args.db, create=False) as store:
        period = period_leaving(store, args.events)
        from timeline.cli import _period_bound

        flt = Filter(date_from=_period_bound(period, "start"))
        function_runs = [time_function(store, flt) for _ in range(args.repeats)]
    written = function_runs[0][1]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "export.md"
        command_runs = [time_command(args.db, period, out) for _ in range(args.repeats)]
        size = out.stat().st_size
    command = statistics.median(command_runs)
    function = statistics.median(run[0] for run in function_runs)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    verdict = "ok" if command <= TARGET_S else f"over by {command / TARGET_S:.1f}x"
    print(f"timeline export --from {period}: {written:,} events, {size / 2**20:.1f} MB of Markdown "
          f"(medians of {args.repeats})")
    print(f"  the command, process start included  {command:6.2f} s   target ≤ {TARGET_S:.0f} s: {verdict}")
    print(f"  export() alone, in process           {function:6.2f} s   ({written / function:,.0f} events/s)")
    print(f"  peak RSS of the command              {peak:6.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
