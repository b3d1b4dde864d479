"""Score timeline.timex.tag against TimeML gold annotations (TempEval-3 style).

    python benchmarks/score_timex.py [--data ../shared/data/tbaq] [--errors N] [--cli N]

Prints strict (exact span) and relaxed (overlapping span, one-to-one) extraction
P/R/F1, value and type F1 over relaxed matches, the throughput of ``tag`` and
the first N errors. The DCT itself is never scored.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timeline.model import Timex  # noqa: E402
from timeline.timeml import read_timeml  # noqa: E402
from timeline.timex import tag  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "tbaq"


@dataclass
class Counts:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0
    errors: list[str] = field(default_factory=list)
    values: list[tuple[str, str, str]] = field(default_factory=list)  # (phrase, gold value, our value) per match


def match_relaxed(gold: list[Timex], system: list[Timex]) -> list[tuple[Timex, Timex]]:
    """One-to-one pairs of overlapping spans; both lists sorted and non-overlapping."""
    pairs = []
    g = s = 0
    while g < len(gold) and s < len(system):
        if gold[g].end <= system[s].start:
            g += 1
        elif system[s].end <= gold[g].start:
            s += 1
        else:
            pairs.append((gold[g], system[s]))
            g += 1
            s += 1
    return pairs


def context(text: str, timex: Timex, width: int = 60) -> str:
    left = text[max(0, timex.start - width):timex.start].replace("\n", " ")
    right = text[timex.end:timex.end + width].replace("\n", " ")
    return f"...{left}[{timex.text}]{right}..."


def score_document(name: str, text: str, dct, gold: list[Timex], system: list[Timex], counts: Counts) -> None:
    counts.gold += len(gold)
    counts.system += len(system)
    gold_spans = {(t.start, t.end) for t in gold}
    counts.strict += sum((t.start, t.end) in gold_spans for t in system)
    pairs = match_relaxed(gold, system)
    counts.relaxed += len(pairs)
    matched_gold = {id(g) for g, _ in pairs}
    matched_system = {id(s) for _, s in pairs}
    for g, s in pairs:
        counts.values.append((phrase(g.text), g.value, s.value))
        counts.value += g.value == s.value
        counts.type += g.type == s.type
        if g.value != s.value or g.type != s.type:
            counts.errors.append(
                f"WRONG    {name} dct={dct} gold={g.type} {g.value} [{g.text}] "
                f"got={s.type} {s.value} [{s.text}]  {context(text, s)}"
            )
    for g in gold:
        if id(g) not in matched_gold:
            counts.errors.append(f"MISSED   {name} dct={dct} {g.type} {g.value}  {context(text, g)}")
    for s in system:
        if id(s) not in matched_system:
            counts.errors.append(f"SPURIOUS {name} dct={dct} {s.type} {s.value}  {context(text, s)}")


def phrase(text: str) -> str:
    """A timex's words with numbers generalised: "Oct. 12" and "Oct. 3" are one phrase."""
    return re.sub(r"\d+", "N", text.lower().strip(" .,"))


def form(value: str) -> str:
    """A value's form without its digits: 1998-W33 and 1999-W02 share one."""
    return re.sub(r"\d", "N", value)


def explain_wrong_values(values: list[tuple[str, str, str]]) -> list[str]:
    """Sort wrong values by what a rule could do about them.

    Where our form is one the gold gives the same phrase elsewhere, the annotations
    disagree with themselves and one reading loses either way; where the form agrees
    but the value does not, the anchor differs (which day a weekday is).
    """
    gold_forms = defaultdict(Counter)
    for key, gold, _ in values:
        gold_forms[key][form(gold)] += 1
    kinds = Counter()
    for key, gold, ours in values:
        if gold == ours:
            continue
        if form(gold) == form(ours):
            kinds["same form, other anchor (which Friday, which quarter)"] += 1
        elif gold_forms[key][form(ours)]:
            kinds["a form the gold gives this phrase elsewhere"] += 1
        else:
            kinds["a form the gold never gives this phrase"] += 1
    return [f"{count:5d}  {kind}" for kind, count in kinds.most_common()]


def prf(correct: int, system: int, gold: int) -> str:
    p = correct / system if system else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {100 * p:5.1f}  R {100 * r:5.1f}  F1 {100 * f:5.1f}"


def _select(paths: list[Path], only: str, root: Path) -> list[Path]:
    """The documents named by --only (all of them without it)."""
    if not only:
        return paths
    if "/" in only:
        rest = only.startswith("!")
        k, n = (int(part) for part in only.lstrip("!").split("/"))
        return [path for i, path in enumerate(paths) if (i % n == k) != rest]
    return [path for path in paths if path.relative_to(root).parts[0].lower() == only.lower()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder searched for *.tml files")
    parser.add_argument("--errors", type=int, default=0, help="print the first N errors")
    parser.add_argument("--grep", default="", help="only print errors containing this string")
    parser.add_argument("--explain", action="store_true",
                        help="sort the wrong values by kind: disagreements within the gold, anchors, other forms")
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the texts (best is reported)")
    parser.add_argument("--cli", type=int, default=0, metavar="N",
                        help="also time the `timeline tag` command over the documents repeated N times")
    parser.add_argument(
        "--only", default="",
        help="score a part of the data, to check rules generalise: a folder name under --data (TimeBank, AQUAINT), "
        "or K/N for every N-th document starting at the K-th (0/5), or !K/N for the rest",
    )
    args = parser.parse_args(argv)

    paths = _select(sorted(args.data.rglob("*.tml")), args.only, args.data)
    if not paths:
        parser.error(f"no .tml files under {args.data}")
    documents = [(path.name, *read_timeml(path)) for path in paths]

    # The first pass compiles the regular expressions the texts need; the best of
    # the next passes is the throughput (the least disturbed by other processes).
    started = time.perf_counter()
    outputs = [tag(text, dct) for _, text, dct, _ in documents]
    warm_up = time.perf_counter() - started
    # CPU time of this process: the cost on one core, whatever else the machine runs.
    elapsed = wall = float("inf")
    for _ in range(args.passes):
        started, started_wall = time.process_time(), time.perf_counter()
        outputs = [tag(text, dct) for _, text, dct, _ in documents]
        elapsed = min(elapsed, time.process_time() - started)
        wall = min(wall, time.perf_counter() - started_wall)
    megabytes = sum(len(text.encode("utf-8")) for _, text, _, _ in documents) / 1e6

    counts = Counts()
    for (name, text, dct, gold), system in zip(documents, outputs):
        score_document(name, text, dct, gold, system, counts)

    print(f"{len(documents)} documents, {counts.gold} gold TIMEX3, {counts.system} tagged")
    print(f"strict   {prf(counts.strict, counts.system, counts.gold)}")
    print(f"relaxed  {prf(counts.relaxed, counts.system, counts.gold)}")
    print(f"value    {prf(counts.value, counts.system, counts.gold)}")
    print(f"type     {prf(counts.type, counts.system, counts.gold)}")
    print(
        f"speed    {megabytes / elapsed:.2f} MB/s per core ({megabytes:.2f} MB in {elapsed:.2f} s of CPU, "
        f"{wall:.2f} s wall; first pass {warm_up:.2f} s)"
    )
    if args.cli:
        for flags in (["--no-entities"], []):
            seconds, size = cli_cpu(documents, args.cli, flags)
            print(f"timeline tag {' '.join(flags) or '(dates and entities)':14} {size / seconds:.2f} MB/s per core "
                  f"({size:.2f} MB, the documents {args.cli} times, in {seconds:.2f} s of CPU, start-up included)")
    if args.explain:
        print(f"wrong values of the {counts.relaxed} matched expressions, by kind:")
        print("\n".join(explain_wrong_values(counts.values)))
    errors = [e for e in counts.errors if args.grep in e]
    for line in errors[: args.errors]:
        print(line)
    return 0


def cli_cpu(documents: list, repeats: int, flags: list[str]) -> tuple[float, float]:
    """CPU seconds of one `timeline tag` process over the documents (repeated) as JSON Lines, and the MB of text."""
    lines = [json.dumps({"id": name, "text": text, "dct": dct.isoformat()}) for name, text, dct, _ in documents]
    stdin = "\n".join(lines * repeats) + "\n"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "timeline", "tag", *flags], input=stdin, text=True, check=True,
                   stdout=subprocess.DEVNULL, cwd=Path(__file__).resolve().parent.parent)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, repeats * sum(len(text.encode("utf-8")) for _, text, _, _ in documents) / 1e6


if __name__ == "__main__":
    raise SystemExit(main())
