"""How fast ``timeline export`` writes 100,000 events as Markdown.

    python benchmarks/bench_export.py DB [--events 100000] [--repeats 3]

Picks a ``--from`` period that leaves about --events events (walking the
timeline's year and month headings back from the end), then times the real
command (``timeline export --db DB --from PERIOD -o FILE``, process start
included) and the export function alone in this process, with the peak
memory of the command. Then where the time goes: reading the rows alone
(``Store.iter_events``), and export with a prototype of the proposed change
to export.py (escaping with one ``str.translate`` and regexes only when the
text can need them; each source cited once), checked to write the very same
Markdown. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import io
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timeline import export as export_module
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


_CONTROL_CHARACTERS = [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), *range(0x200B, 0x2010),
                       *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]
_ESCAPE_TABLE = {**dict.fromkeys(_CONTROL_CHARACTERS), **{ord(c): "\\" + c for c in "\\`*_[]<>&#!|~{}"}}
_BARE_LINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)")
_LINE_START = re.compile(r"^(\d*)([-+=.)])")


def fast_escape(text: str) -> str:
    """export.escape as proposed: the same output, one translate pass, regexes only when needed."""
    text = " ".join(text.split()).translate(_ESCAPE_TABLE)
    if "://" in text or "www." in text.lower():
        text = _BARE_LINK.sub(lambda m: "\\" + (m.group(1) or m.group(2)), text)
    if text[:1].isdigit() or text[:1] in ("-", "+", "=", ".", ")"):
        text = _LINE_START.sub(r"\1\\\2", text, count=1)
    return text


def prototype_export(store: Store, flt: Filter) -> tuple[float, str]:
    """export() with fast_escape and a cite() memoised per source; (seconds, the Markdown)."""
    original_escape, original_cite = export_module.escape, export_module.cite
    export_module.escape = fast_escape
    export_module.cite = functools.lru_cache(maxsize=4096)(original_cite)
    try:
        sink = io.StringIO()
        started = time.perf_counter()
        export(store, flt, sink)
        return time.perf_counter() - started, sink.getvalue()
    finally:
        export_module.escape, export_module.cite = original_escape, original_cite


def where_time_goes(store: Store, flt: Filter, function_s: float) -> None:
    started = time.perf_counter()
    rows = sum(1 for _ in store.iter_events(flt))
    reading = time.perf_counter() - started
    reference = io.StringIO()
    export(store, flt, reference)
    prototype_s, markdown = prototype_export(store, flt)
    same = "the same Markdown" if markdown == reference.getvalue() else "DIFFERENT Markdown"
    print(f"  reading the rows alone (iter_events)  {reading:6.2f} s   ({rows:,} rows)")
    print(f"  formatting Markdown (the rest)        {max(function_s - reading, 0):6.2f} s")
    print(f"  export() with the proposed escaping   {prototype_s:6.2f} s   ({same})")


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
    with Store(args.db, create=False) as store:
        where_time_goes(store, flt, function)
    return 0


if __name__ == "__main__":
    sys.exit(main())
