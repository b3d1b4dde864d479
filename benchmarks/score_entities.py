"""Score timeline.entities.find_mentions on CoNLL-2003: exact-span P/R/F1 and speed.

    .venv/bin/python benchmarks/score_entities.py [--data DIR] [--split eng.testa] [--errors N]
        [--speed FILE...]

Each document (between -DOCSTART- lines) becomes one text, tokens joined by
single spaces and sentences by newlines; its first line plays the headline.
Prints untyped and typed scores overall and per type, words per second, and
the first N errors (missed and spurious names with their line).
Also scores eng.train (what the model learned from) unless --no-train.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timeline import entities  # noqa: E402
from timeline.entities import find_mentions  # noqa: E402
from timeline.entity_conll import read_documents  # noqa: E402

TYPES = ("PER", "ORG", "LOC", "MISC")


def f1(hits: int, guessed: int, gold: int) -> tuple[float, float, float]:
    precision = hits / guessed if guessed else 0.0
    recall = hits / gold if gold else 0.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return 100 * precision, 100 * recall, 100 * score


def forget_everything() -> None:
    """A cold start, as when indexing an archive once: the recogniser memoises what it works out
    about a word or a run of words, so a second pass over the same texts is much faster."""
    entities._model = None
    entities.load_model()
    entities.canonical_key.cache_clear()
    entities._SHORTER_FORMS.clear()


def timed(texts: list[str], passes: int) -> tuple[list, float]:
    """Mentions of every text, and the CPU seconds of the fastest pass (other processes add noise),
    each pass from a cold start."""
    best = float("inf")
    for _ in range(passes):
        forget_everything()
        began = time.process_time()
        found = [find_mentions(text) for text in texts]
        best = min(best, time.process_time() - began)
    return found, best


def read_articles(paths: list[Path]) -> list[str]:
    """Article texts: a whole file each, or one per line of a JSON Lines file (its "text" field)."""
    texts = []
    for path in paths:
        if path.suffix == ".jsonl":
            with open(path, encoding="utf-8") as lines:
                texts.extend(json.loads(line)["text"] for line in lines if line.strip())
        else:
            texts.append(path.read_text(encoding="utf-8"))
    return texts


def news_speed(paths: list[Path], limit: int) -> None:
    """Words per CPU second on news text: fastest and median of 5 cold passes."""
    texts = read_articles(paths)
    if limit and len(texts) > limit:  # an even sample of a large corpus
        texts = texts[:: -(-len(texts) // limit)]
    words = sum(len(text.split()) for text in texts)
    rates = []
    for _ in range(5):
        _, seconds = timed(texts, passes=1)
        rates.append(words / seconds)
    print(f"== news text: {len(texts)} articles, {words} words, each pass from a cold start: "
          f"{max(rates):,.0f} words/s (median of 5 passes {statistics.median(rates):,.0f})")


def score(path: Path, errors: int, speed_passes: bool = True) -> dict:
    docs = read_documents(path)
    counts = Counter()
    shown = 0
    words = sum(len(doc.text.split()) for doc in docs)
    texts = [doc.text for doc in docs]
    found_all, seconds = timed(texts, passes=3 if speed_passes else 1)
    for doc, mentions in zip(docs, found_all):
        gold_typed = set(doc.spans)
        guess_typed = {(m.start, m.end, m.type) for m in mentions}
        gold_spans = {(s, e) for s, e, _ in gold_typed}
        guess_spans = {(s, e) for s, e, _ in guess_typed}
        counts["gold"] += len(gold_spans)
        counts["guess"] += len(guess_spans)
        counts["hit"] += len(gold_spans & guess_spans)
        counts["typed_hit"] += len(gold_typed & guess_typed)
        for kind in TYPES:
            gold_kind = {g for g in gold_typed if g[2] == kind}
            guess_kind = {g for g in guess_typed if g[2] == kind}
            counts["gold" + kind] += len(gold_kind)
            counts["guess" + kind] += len(guess_kind)
            counts["hit" + kind] += len(gold_kind & guess_kind)
        if shown < errors:
            shown += show_errors(doc.text, gold_typed, guess_typed, errors - shown)
    return {"counts": counts, "seconds": seconds, "words": words, "docs": len(docs)}


def show_errors(text: str, gold: set, guess: set, limit: int) -> int:
    shown = 0
    gold_by_span = {(s, e): k for s, e, k in gold}
    guess_by_span = {(s, e): k for s, e, k in guess}
    for (start, end) in sorted(set(gold_by_span) | set(guess_by_span)):
        want, got = gold_by_span.get((start, end)), guess_by_span.get((start, end))
        if want == got or shown >= limit:
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start : line_end if line_end >= 0 else None]
        label = f"gold {want or '-':4} got {got or '-':4}"
        print(f"  {label} {text[start:end]!r:32} | {line[:140]}")
        shown += 1
    return shown


def report(name: str, result: dict) -> None:
    counts = result["counts"]
    print(f"== {name}: {result['docs']} documents, {result['words']} words, "
          f"{result['words'] / result['seconds']:,.0f} words/s")
    p, r, f = f1(counts["hit"], counts["guess"], counts["gold"])
    print(f"  untyped  P {p:5.1f}  R {r:5.1f}  F1 {f:5.1f}")
    p, r, f = f1(counts["typed_hit"], counts["guess"], counts["gold"])
    print(f"  typed    P {p:5.1f}  R {r:5.1f}  F1 {f:5.1f}")
    for kind in TYPES:
        p, r, f = f1(counts["hit" + kind], counts["guess" + kind], counts["gold" + kind])
        print(f"    {kind:5}  P {p:5.1f}  R {r:5.1f}  F1 {f:5.1f}  (gold {counts['gold' + kind]})")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data/conll2003"))
    parser.add_argument("--split", default="eng.testa")
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--no-train", action="store_true", help="skip scoring eng.train")
    parser.add_argument("--speed", type=Path, nargs="*", default=[], metavar="FILE",
                        help="also time find_mentions on these articles: plain-text files, or JSON Lines "
                             "files with a \"text\" field per line")
    parser.add_argument("--speed-articles", type=int, default=2400, metavar="N",
                        help="time an even sample of at most N of those articles (0: all)")
    args = parser.parse_args(argv)
    find_mentions("Warm up the model.")
    if args.errors:
        print(f"first {args.errors} errors on {args.split}:")
    report(args.split, score(args.data / args.split, args.errors))
    if not args.no_train and args.split != "eng.train":
        report("eng.train", score(args.data / "eng.train", 0, speed_passes=False))
    if args.speed:
        news_speed(args.speed, args.speed_articles)


if __name__ == "__main__":
    main()
