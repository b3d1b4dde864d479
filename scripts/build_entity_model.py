"""Build timeline/entity_model.json.gz from CoNLL-2003 eng.train, reproducibly.

    .venv/bin/python scripts/build_entity_model.py /path/to/conll2003/eng.train [--check]

Learns, from eng.train only: a lexicon (per lowercased word, how often it was
capitalised inside each entity type, capitalised outside any, and written in
lowercase), the multi-word names it contains, abbreviations that keep their
period, and averaged-perceptron weights over the features in
timeline/entities.py. The lexicon features the perceptron trains on come from
the *other* folds of the corpus (jackknifing), so that it learns how far to trust
the lexicon on words it has not seen, as at run time.

Besides eng.train's own runs the perceptron sees variants made from them, for
text that Reuters 1996 rarely has: a run re-started by the common word before
it ("in Scale AI" -> "In Scale AI"), rare -ly adverbs opening a sentence
("Notably"), and every third body sentence in Title Case, for headlines. Each
keeps the gold names and their offsets. Same input, same artefact, byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timeline import entities as E  # noqa: E402
from timeline.entity_conll import Document, read_documents  # noqa: E402

FOLDS = 5
TYPE_INDEX = {kind: k for k, kind in enumerate(E.TYPES)}


def token_labels(doc: Document):
    """(word, entity type or None) for every whitespace token of the document."""
    kind_at = {}
    for start, end, kind in doc.spans:
        kind_at[start] = (end, kind)
    position = 0
    open_until, open_kind = -1, None
    for line in doc.text.split("\n"):
        for word in line.split(" "):
            if position in kind_at:
                open_until, open_kind = kind_at[position]
            yield word, (open_kind if position < open_until else None)
            position += len(word) + 1


def count_lexicon(docs: list[Document]) -> dict[str, list[int]]:
    lexicon: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for doc in docs:
        for word, kind in token_labels(doc):
            if not word[:1].isalpha():
                continue
            stats = lexicon[E.normal_form(word)]
            if kind:
                stats[TYPE_INDEX[kind]] += 1
            elif word[0].isupper():
                stats[4] += 1
            else:
                stats[5] += 1
    return lexicon


def count_phrases(docs: list[Document]) -> dict[str, Counter]:
    phrases: dict[str, Counter] = defaultdict(Counter)
    for doc in docs:
        for start, end, kind in doc.spans:
            surface = doc.text[start:end]
            if " " in surface:
                phrases[E.normal_form(surface)][kind] += 1
    return phrases


def subtract_lexicon(full, part):
    result = {}
    for word, stats in full.items():
        other = part.get(word)
        left = [a - b for a, b in zip(stats, other)] if other else list(stats)
        if any(left):
            result[word] = tuple(left)
    return result


def majority_phrases(counts: dict[str, Counter], minus: dict[str, Counter] | None = None) -> dict[str, str]:
    result = {}
    for phrase, counter in counts.items():
        left = counter - minus.get(phrase, Counter()) if minus else counter
        if left:
            result[phrase] = left.most_common(1)[0][0]
    return result


def abbreviations(docs: list[Document]) -> list[str]:
    found = Counter()
    for doc in docs:
        for word, _ in token_labels(doc):
            if len(word) > 2 and word.endswith(".") and word[0].isupper() and not E._ACRONYM.match(word):
                found[word[:-1].lower()] += 1
    return sorted(word for word, count in found.items() if count >= 2)


def gold_tags(run: E.Run, gold: dict[int, tuple[int, str]], inside: dict[int, str]) -> list[str] | None:
    tags = []
    for start, end in zip(run.starts, run.ends):
        if start in gold:
            tags.append("B-" + gold[start][1])
        elif start in inside:
            tags.append("I-" + inside[start])
        else:
            tags.append("O")
    return tags


def examples(doc: Document, lexicon, suffixes, phrases, abbrevs, common, lines=None) -> tuple[list, int, int]:
    """Per run: ((features, lexicon class) per token, gold tags, caps, connector kinds); also names reachable
    / total. The features leave out those of the previous tag, which training supplies as it goes.

    ``lines``: if given, only runs on lines starting at these offsets, and no synthetic runs.
    """
    runs = E.find_runs(doc.text, abbrevs, common)
    gold = {start: (end, kind) for start, end, kind in doc.spans}
    inside: dict[int, str] = {}
    token_starts = {s for run in runs for s in run.starts}
    for start, end, kind in doc.spans:
        for position in range(start + 1, end):
            if position in token_starts:
                inside[position] = kind
    reachable = 0
    token_ends = {e for run in runs for e in run.ends}
    for start, end, kind in doc.spans:
        if start in token_starts and end in token_ends:
            reachable += 1
    context = E.DocContext(doc.text, runs)
    normal_spans = [
        span for span in doc.spans if not E._is_caps_line(doc.text, doc.text.rfind("\n", 0, span[0]) + 1)
    ]
    context.known = E.doc_known_words(doc.text, normal_spans)
    result = []
    for run in runs:
        if lines is not None and doc.text.rfind("\n", 0, run.starts[0]) + 1 not in lines:
            continue
        lowers = run.lowers
        phrase_feats = E.phrase_features(lowers, phrases)
        static = []
        for i, word in enumerate(run.words):
            features, known = E.word_features(word, run.caps, lexicon, suffixes)
            features = features + phrase_feats[i]
            features += E.context_features(run, i, known, context)
            static.append((features, known))
        connectors = [E.connector_kind(low) for low in lowers]
        tags = gold_tags(run, gold, inside)
        result.append((static, tags, run.caps, connectors))
        if lines is None and not run.caps and not run.initial and run.before in lexicon and run.before.isalpha():
            result.append(sentence_start_variant(run, tags, lexicon, suffixes, phrases, context))
    if lines is None:
        result.extend(capitalised_common_words(doc, lexicon, suffixes))
    return result, reachable, len(doc.spans)


def title_case_view(doc: Document, every: int = 3) -> tuple[Document, set[int]]:
    """The document with every ``every``-th body sentence in Title Case, and where those lines start.

    eng.train has ALL CAPS headlines but no Title Case ones, which news sites use
    everywhere; capitalising a sentence keeps every offset, so its gold names still hold.
    """
    lines = doc.text.split("\n")
    changed = set()
    offset = 0
    for number, line in enumerate(lines):
        start = offset
        offset += len(line) + 1
        if number == 0 or number % every or E._is_caps_line(doc.text, start):
            continue
        words = line.split(" ")
        if len(words) < 4:
            continue
        words = [
            w[0].upper() + w[1:] if w[:1].islower() and (i == 0 or w not in E.SMALL_TITLE_WORDS) else w
            for i, w in enumerate(words)
        ]
        if words[-1] == ".":
            words[-1] = " "  # headlines end without a full stop; same length keeps the offsets
        lines[number] = " ".join(words)
        changed.add(start)
    return Document("\n".join(lines), doc.spans), changed


def sentence_start_variant(run: E.Run, tags, lexicon, suffixes, phrases, context):
    """The run as if the lowercase word before it began the sentence ("in Scale AI" -> "In Scale AI").

    Teaches the tagger to leave out a capitalised common word that merely starts
    a sentence, with the very contexts names occur in. Only words the lexicon
    knows: rare ones seldom start sentences, and as stand-ins they taught the
    tagger that any unfamiliar word opening a paragraph is no name.
    """
    first = run.before[0].upper() + run.before[1:]
    words = [first] + run.words
    variant = E.Run([0] + run.starts, [0] + run.ends, words, "", run.after, True, "")
    phrase_feats = E.phrase_features(variant.lowers, phrases)
    static = []
    for i, word in enumerate(words):
        features, known = E.word_features(word, "", lexicon, suffixes)
        static.append((features + phrase_feats[i] + E.context_features(variant, i, known, context), known))
    connectors = [E.connector_kind(low) for low in variant.lowers]
    return static, ["O"] + tags, "", connectors


def capitalised_common_words(doc: Document, lexicon, suffixes) -> list:
    """Synthetic runs: rare lowercase words of the document, capitalised as if they began a sentence.

    Reuters 1996 starts few sentences with words like "Notably"; without these the
    model would take any unfamiliar sentence-initial word for a name. Only words
    the (jackknifed) lexicon lacks, so they look as unfamiliar as at run time, and
    only adverbs in -ly, which open sentences on their own. Other words, which in
    numbers would outweigh eng.train's few hundred unfamiliar names opening a
    sentence, taught the model that an unfamiliar subject ("Huawei denied...") is
    no name.
    """
    blank = E.DocContext("", [])
    result = []
    for line in doc.text.split("\n"):
        words = line.split(" ")
        for word, after in zip(words, words[1:] + [""]):
            if len(word) < 3 or not word.isalpha() or not word.islower() or word in lexicon:
                continue
            if not word.endswith("ly"):
                continue
            capitalised = word[0].upper() + word[1:]
            run = E.Run([0], [len(word)], [capitalised], "", after.lower(), True, "")
            features, known = E.word_features(capitalised, "", lexicon, suffixes)
            features += E.context_features(run, 0, known, blank)
            result.append(([(features, known)], ["O"], "", [""]))
    return result


class Perceptron:
    def __init__(self, classes: int):
        self.classes = classes
        self.weights: dict[str, list[float]] = {}
        self.totals: dict[str, list[float]] = {}
        self.stamps: dict[str, list[int]] = {}
        self.clock = 0

    def scores(self, features):
        scores = [0.0] * self.classes
        for feature in features:
            weights = self.weights.get(feature)
            if weights:
                for k in range(self.classes):
                    scores[k] += weights[k]
        return scores

    def update(self, features, truth: int, guess: int):
        self.clock += 1
        if truth == guess:
            return
        for feature in features:
            weights = self.weights.setdefault(feature, [0.0] * self.classes)
            totals = self.totals.setdefault(feature, [0.0] * self.classes)
            stamps = self.stamps.setdefault(feature, [0] * self.classes)
            for k, delta in ((truth, 1.0), (guess, -1.0)):
                totals[k] += (self.clock - stamps[k]) * weights[k]
                stamps[k] = self.clock
                weights[k] += delta

    def averaged(self) -> dict[str, list[float]]:
        result = {}
        for feature, weights in self.weights.items():
            totals, stamps = self.totals[feature], self.stamps[feature]
            result[feature] = [
                (totals[k] + (self.clock - stamps[k]) * weights[k]) / self.clock for k in range(self.classes)
            ]
        return result


def train(runs, epochs: int, seed: int) -> dict[str, list[float]]:
    model = Perceptron(len(E.TAGS))
    order = list(range(len(runs)))
    shuffle = random.Random(seed).shuffle
    for epoch in range(epochs):
        shuffle(order)
        wrong = total = 0
        for index in order:
            static, tags, caps, connectors = runs[index]
            previous = "O"
            for (features, known), truth, connector in zip(static, tags, connectors):
                features = features + E.transition_features(previous, caps, known)
                scores = model.scores(features)
                allowed = E._ALLOWED[(previous, connector)]
                guess = max(allowed, key=scores.__getitem__)
                model.update(features, E._TAG_INDEX[truth], guess)
                wrong += E.TAGS[guess] != truth
                total += 1
                previous = E.TAGS[guess]
        print(f"epoch {epoch + 1}: token error {wrong / total:.4f}", file=sys.stderr)
    return model.averaged()


def quantise(weights: dict[str, list[float]], scale: float, threshold: int) -> dict[str, list[int]]:
    result = {}
    for feature in sorted(weights):
        limit = E.MAX_WEIGHT
        values = [max(-limit, min(limit, round(w * scale))) for w in weights[feature]]
        if max(abs(v) for v in values) >= threshold:
            result[feature] = values
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("train", type=Path, help="CoNLL-2003 eng.train")
    parser.add_argument("--out", type=Path, default=E.MODEL_PATH)
    parser.add_argument("--check", action="store_true",
                        help="build, and only say whether --out is what this code builds (exit 1 if not)")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)

    docs = read_documents(args.train)
    folds = [docs[k::FOLDS] for k in range(FOLDS)]
    lexicon = count_lexicon(docs)
    phrases = count_phrases(docs)
    abbrevs = abbreviations(docs)
    abbrev_set = frozenset(abbrevs)

    runs = []
    reachable = total = 0
    for fold in folds:
        fold_lexicon = subtract_lexicon(lexicon, count_lexicon(fold))
        fold_phrases = majority_phrases(phrases, count_phrases(fold))
        suffixes = E.suffix_classes(fold_lexicon)
        common = E.common_words(fold_lexicon)
        for doc in fold:
            doc_runs, doc_reachable, doc_total = examples(doc, fold_lexicon, suffixes, fold_phrases, abbrev_set, common)
            runs.extend(doc_runs)
            view, lines = title_case_view(doc)
            if lines:
                runs.extend(examples(view, fold_lexicon, suffixes, fold_phrases, abbrev_set, common, lines)[0])
            reachable += doc_reachable
            total += doc_total
    print(f"{len(docs)} documents, {len(runs)} runs; names reachable by runs: {reachable}/{total}", file=sys.stderr)

    averaged = train(runs, args.epochs, args.seed)
    weights = quantise(averaged, scale=100.0, threshold=2)
    data = {
        "version": 1,
        "tags": list(E.TAGS),
        "weights": weights,
        "lexicon": {word: list(stats) for word, stats in sorted(lexicon.items())},
        "phrases": majority_phrases(phrases),
        "abbreviations": abbrevs,
    }
    payload = json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8")
    if args.check:
        same = gzip.decompress(args.out.read_bytes()) == payload
        print(f"{args.out}: {'reproduced exactly' if same else 'DIFFERS from what this code builds: rebuild it'}",
              file=sys.stderr)
        raise SystemExit(0 if same else 1)
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as stream:
        stream.write(payload)
    print(f"{len(weights)} weights, {len(lexicon)} words, {len(data['phrases'])} phrases -> {args.out} "
          f"({args.out.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
