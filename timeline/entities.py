"""Named-entity mentions in news text, and the canonical names they stand for.

How it works, in three steps:

1. Candidates. One precompiled regex finds *runs*: capitalised tokens (acronyms
   like ``U.S.``, hyphenated and ``O'Neill``-style words, ``xAI``-style words)
   joined by single spaces and by connectors such as ``of``, ``de`` or ``&``.
   A possessive ``'s`` ends a run. Lowercase text never yields a mention, so
   most of an article costs nothing but the regex scan; a lone common word
   opening a sentence (``The``, ``However``) is dropped at once.
2. Tags. Inside each run a greedy averaged perceptron, learned from CoNLL-2003
   ``eng.train`` by ``scripts/build_entity_model.py``, gives every token a
   BIO tag (``B-PER``, ``I-ORG``, ``O``...). Its features: the word, its shape
   and suffix, how often eng.train saw it capitalised inside each entity type,
   outside entities and in lowercase, multi-word names it knew, the words
   around the run and the run's last word, sentence starts, what the rest of
   the article does with the word (written in lowercase? capitalised
   mid-sentence? part of a longer run?) and the previous tag. Titles
   (``Chief``, ``Minister``) never sit inside a name, nor "of" or "&" inside a
   person's. ALL CAPS lines are tagged with case-blind features after the rest
   of the article, so that names the body established count there; a Title
   Case line first has its common words put back in lowercase, then reads as
   prose.
   Then a few rules mend what eng.train never shows and wire copy does: a
   legal form ends a company's whole name (``company_names``: "Merrill Lynch
   and Co Inc"), and an office is no part of a person's (``person_names``:
   "Chancellor of the Exchequer Nigel Lawson").
3. Names. Within an article, short forms resolve to a longer mention they are
   part of (``Wang`` -> ``Alexandr Wang``, ``Scale`` -> ``Scale AI``), acronyms
   to the name they abbreviate, and a few unambiguous aliases to their full
   form (``U.S.`` -> ``United States``); each name gets the type most of its
   mentions got.

Scoring is cheap: each weight vector is packed into one Python int (nine 32-bit
lanes, each biased to stay positive), so summing a token's features is a few
integer additions; a word's own features, and those of its neighbours, are
summed once and memoised.

At run time ``tag_spans`` takes a faster road to the very same sums (a test
holds it to the plain one: ``find_runs``, ``DocContext``, ``tag_general``). One
pass over the regex's matches finds the runs and what the article says about
their words; runs the regex found whole stay tuples, not ``Run`` objects. A
one-word run in prose is scored inline: its own weights with the transition
from O (memoised per word), its neighbours' (memoised per word and class), and
the few article features it can have (looked up, not spelled out). A longer
run's weights that do not depend on the article (its words, the words inside
it, its last word, known phrases) are memoised per run text; the rest is added
token by token while the tags become spans directly.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import gzip
import json
import os
import re
import struct
import sys
import unicodedata
from collections.abc import Iterator
from itertools import pairwise, repeat
from pathlib import Path

from timeline.model import Mention

TYPES = ("PER", "ORG", "LOC", "MISC")
TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
MODEL_PATH = Path(__file__).with_name("entity_model.json.gz")

# --- candidate runs -----------------------------------------------------------

_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿ"
_CAPITALISED = (
    rf"(?:[{_UP}]\.){{2,}}"  # U.S., U.N.
    rf"|[{_UP}]\w*(?:(?:-|['’](?![sS]\b)|&)\w+)*\.?"  # Scale, O'Neill, Coca-Cola, AT&T, Inc.
    rf"|[{_LO}]{{1,3}}+[{_UP}]\w*"  # xAI, iPhone, eBay (a short, possessive prefix keeps the scan fast)
)
CONNECTORS = frozenset(
    "of the de del della der den van von la le du des da di dos das & for al bin".split()
)
_CONNECTOR = r"(?:of the|" + "|".join(re.escape(c) for c in sorted(CONNECTORS, key=len, reverse=True)) + ")"
# A run's first token begins on an uppercase letter, so the regex engine can skip to the next one
# quickly; the few lowercase prefixes (xAI, iPhone) are added back in find_runs.
_FIRST_CAPITALISED = rf"[{_UP}](?<![\d_'’\-{_UP}].)(?<!\w\..)(?:\.(?:[{_UP}]\.)+|\w*(?:(?:-|['’](?![sS]\b)|&)\w+)*\.?)"
# Group 1: the token after the run, as _AFTER finds it (a lookahead: the next run may start there).
_RUN = re.compile(
    rf"{_FIRST_CAPITALISED}(?:[ ](?:{_CONNECTOR}[ ])?(?:{_CAPITALISED}))*(?:(?=[ \t]*(['’][sS]\b|\w+|[^\w\s]))|)"
)
_ACRONYM = re.compile(rf"(?:[{_UP}]\.)+\Z")
_LAST_WORD = re.compile(r"\w+\Z")
_AFTER = re.compile(r"[ \t]*(['’][sS]\b|\w+|[^\w\s])")
_HAS_LOWER = re.compile(rf"[{_LO}]")
LINE_MODES = ("", "c", "t")
SMALL_TITLE_WORDS = frozenset(
    "a an the and or nor but of to in on at for with by from as vs via into over per up off out amid".split()
)
_LOWER_CONTENT_WORD = re.compile(  # a lowercase word that Title Case would have capitalised (not iPhone)
    rf"(?<![\w'’-])(?!(?:{'|'.join(sorted(SMALL_TITLE_WORDS))})\b|[{_LO}]{{1,3}}[{_UP}])[{_LO}]\w*"
)
_CAPITALISED_WORD = re.compile(rf"(?<![\w'’-])[{_UP}]\w*")
_SENTENCE_END = frozenset(("", ".", "!", "?", ":"))
_SHAPE_TABLE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "X" * 26 + "x" * 26 + "d" * 10,
)
_REPEATS = re.compile(r"(.)\1+")
_ZEROS = repeat(0)  # map(dict.get, features, _ZEROS): each feature's weight, 0 if it has none


class Run:
    """Capitalised tokens that may hold one or more names, with their surroundings."""

    __slots__ = ("starts", "ends", "words", "lowers", "before", "after", "initial", "caps")

    def __init__(self, starts, ends, words, before, after, initial, caps, lowers=None):
        self.starts = starts
        self.ends = ends
        self.words = words
        self.lowers = lowers or [w.lower() for w in words]
        self.before = before  # lowercased token before the run, "" at a line start
        self.after = after  # lowercased token after it, "" at a line end
        self.initial = initial  # the run starts a sentence
        self.caps = caps  # the line's mode: "" prose, "c" ALL CAPS, "t" Title Case (see line_mode)


def _run_matches(text: str):
    """Each match of the run regex with its start and text, taken back to a short lowercase
    prefix (xAI, iPhone) when one is glued to it; a match inside a longer word is skipped."""
    for match in _RUN.finditer(text):
        matched = match.group()
        start = match.start()
        if start and text[start - 1].isalpha():
            start = _short_prefix_start(text, start)
            if start < 0:
                continue
            matched = text[start : match.end()]
        yield match, start, matched


def find_runs(text: str, abbreviations: frozenset[str], common: frozenset[str] = frozenset()) -> list[Run]:
    """Candidate runs in reading order. ``abbreviations`` (``Inc``, ``Mr``...) may keep a final period;
    a lone word of ``common`` (lowercased: the, however, he) that starts a sentence is no candidate."""
    runs: list[Run] = []
    caps_lines: dict[int, str] = {}
    for match, start, matched in _run_matches(text):
        if " " not in matched and "." not in matched:  # the common case: one plain word
            low = matched.lower()
            if low in CONNECTORS:
                continue
            before = _word_before(text, start)
            if low in common and before in _SENTENCE_END:
                continue
            following = _AFTER.match(text, start + len(matched))
            after = following.group(1).lower() if following else ""
            line_start = text.rfind("\n", 0, start) + 1
            caps = caps_lines.get(line_start)
            if caps is None:
                caps = caps_lines[line_start] = line_mode(text, line_start)
            run = Run([start], [start + len(matched)], [matched], before, after, before in _SENTENCE_END, caps, [low])
            runs.append(run)
            continue
        for piece_words, piece_starts in _pieces(matched, start, abbreviations):
            run = _trimmed_run(text, piece_words, piece_starts, caps_lines)
            if run is not None:
                runs.append(run)
    return runs


def _pieces(matched: str, start: int, abbreviations: frozenset[str]) -> list[tuple[list[str], list[int]]]:
    """A run's words and their offsets, cut at sentence ends."""
    words = matched.split(" ")
    starts = []
    position = start
    for word in words:
        starts.append(position)
        position += len(word) + 1
    if "." in matched:
        return _split_at_sentence_ends(words, starts, abbreviations)
    return [(words, starts)]


def _short_prefix_start(text: str, start: int) -> int:
    """Where a word like xAI or iPhone begins, given its first capital; -1 if no such word."""
    first = start
    while first and text[first - 1].islower():
        first -= 1
        if start - first > 3:
            return -1
    if first == start or (first and (text[first - 1].isalnum() or text[first - 1] in "_'’-")):
        return -1
    return first


def _split_at_sentence_ends(words, starts, abbreviations):
    """Cut a run after a word whose final period ends a sentence rather than an abbreviation."""
    pieces = []
    piece_words: list[str] = []
    piece_starts: list[int] = []
    for word, start in zip(words, starts):
        if word.endswith(".") and not _keeps_period(word, abbreviations):
            piece_words.append(word[:-1])
            piece_starts.append(start)
            pieces.append((piece_words, piece_starts))
            piece_words, piece_starts = [], []
        else:
            piece_words.append(word)
            piece_starts.append(start)
    if piece_words:
        pieces.append((piece_words, piece_starts))
    return pieces


def _keeps_period(word: str, abbreviations: frozenset[str]) -> bool:
    return len(word) == 2 or _ACRONYM.match(word) is not None or word[:-1].lower() in abbreviations


def _trimmed_run(text, words, starts, caps_lines):
    while words and words[-1].lower() in CONNECTORS:
        words, starts = words[:-1], starts[:-1]
    while words and words[0].lower() in CONNECTORS:
        words, starts = words[1:], starts[1:]
    if not words or not words[0]:
        return None
    return _make_run(text, words, starts, caps_lines)


def _make_run(text, words, starts, caps_lines):
    start = starts[0]
    end = starts[-1] + len(words[-1])
    before = _word_before(text, start)
    following = _AFTER.match(text, end)
    after = following.group(1).lower() if following else ""
    line_start = text.rfind("\n", 0, start) + 1
    caps = caps_lines.get(line_start)
    if caps is None:
        caps = caps_lines[line_start] = line_mode(text, line_start)
    ends = [s + len(w) for s, w in zip(starts, words)]
    return Run(starts, ends, words, before, after, before in _SENTENCE_END, caps)


def _word_before(text: str, start: int) -> str:
    """The lowercased token before ``start`` on its line: a word, one punctuation mark, "'s" or ""."""
    j = start - 1
    if j >= 0 and text[j] == " ":
        j -= 1
    if j < 0:
        return ""
    last = text[j]
    if last == "\n":
        return ""
    if last == " " or last == "\t":
        head = text[max(0, j - 40) : j].rstrip(" \t")
        return _word_before(head, len(head)) if head else ""
    if not last.isalnum():
        return last
    if last in "sS" and j and text[j - 1] == "'":
        return "'s"
    space = text.rfind(" ", max(0, j - 40), j)
    word = text[space + 1 : j + 1]
    if not word.isalnum():
        found = _LAST_WORD.search(word)
        word = found.group() if found else last
    return word.lower()


def _is_caps_line(text: str, line_start: int) -> bool:
    return bool(line_mode(text, line_start))


def line_mode(text: str, line_start: int) -> str:
    """How far a line's capitals mark names: "" as in prose, "c" not at all (ALL CAPS), "t" only in
    acronyms and words like OpenAI (a Title Case headline)."""
    line_end = text.find("\n", line_start)
    line = text[line_start:] if line_end < 0 else text[line_start:line_end]
    if not _HAS_LOWER.search(line):
        return "c"
    if _LOWER_CONTENT_WORD.search(line):
        return ""
    if line.rstrip().endswith((".", "!", "?", ":", ";")):
        return ""
    return "t" if len(_CAPITALISED_WORD.findall(line)) >= 4 else ""


# --- features (shared with scripts/build_entity_model.py) ----------------------


def normal_form(word: str) -> str:
    """Lexicon key of a word. Callers have already replaced curly apostrophes (see ``straight``)."""
    return word.lower()


def straight(text: str) -> str:
    """The text with curly apostrophes made straight: same length, so offsets still hold."""
    return text.replace("’", "'") if "’" in text else text


def shape(word: str) -> str:
    return _REPEATS.sub(r"\1\1", word.translate(_SHAPE_TABLE))


def _ratio_class(part: int, total: int) -> str:
    if not total:
        return "n"
    if not part:
        return "0"
    if part == total:
        return "4"
    ratio = part / total
    return "1" if ratio < 0.3 else "2" if ratio < 0.7 else "3"


def common_words(lexicon: dict) -> frozenset[str]:
    """Words eng.train wrote in lowercase often and almost never inside a name."""
    return frozenset(
        word for word, (per, org, loc, misc, _, lower) in lexicon.items() if lower >= 10 and (per + org + loc + misc) * 100 < lower
    )


def suffix_classes(lexicon: dict) -> dict[str, str]:
    """Per final three letters, how the lexicon's words with that ending behave: names or lowercase words.

    Lets an unseen word like ``Additionally`` borrow from ``-lly`` words, which are rarely names.
    """
    counts: dict[str, list[int]] = {}
    for word, (per, org, loc, misc, capital_other, lower) in lexicon.items():
        tally = counts.setdefault(word[-3:], [0, 0, 0])
        entity = per + org + loc + misc
        tally[0] += entity > lower + capital_other
        tally[1] += lower > entity + capital_other
        tally[2] += 1
    return {end: _ratio_class(e, n) + _ratio_class(l, n) for end, (e, l, n) in counts.items() if n >= 3}


def word_features(word: str, caps: str, lexicon: dict, suffixes: dict) -> tuple[list[str], str]:
    """Features of a word on its own, and a short class of what the lexicon knows about it."""
    low = normal_form(word)
    mode = caps
    features = [
        mode + "l:" + low,
        mode + "s3:" + low[-3:],
        mode + "s4:" + low[-4:],
        mode + "sf:" + suffixes.get(low[-3:], "-"),
    ]
    if not caps:
        features.append("w:" + word)
        features.append("sh:" + shape(word))
    elif caps == "t":  # Title Case still tells acronyms (SMIC) and inner capitals (OpenAI)
        features.append("tsh:" + shape(word))
    known_features, known = lexicon_features(lexicon.get(low), caps)
    return features + known_features, known


def lexicon_features(stats: tuple | None, caps: str) -> tuple[list[str], str]:
    """The features of ``word_features`` that come from the word's lexicon counts, and its lexicon class."""
    mode = caps
    features = []
    if stats is None:
        known = "new"
    else:
        per, org, loc, misc, capital_other, lower = stats
        entity = per + org + loc + misc
        capital = entity + capital_other
        known = _ratio_class(entity, capital) + _ratio_class(lower, lower + capital)
        if entity:
            for kind, count in zip(TYPES, (per, org, loc, misc)):
                if count * 4 >= entity:
                    features.append(mode + "g:" + kind + _ratio_class(count, capital))
    features.append(mode + "lx:" + known)
    return features, known


def phrase_features(lowers: list[str], phrases: dict) -> list[list[str]]:
    """Per token, whether it falls inside a multi-word name eng.train knew (longest match first)."""
    count = len(lowers)
    found: list[list[str]] = [[] for _ in lowers]
    i = 0
    while i < count - 1:
        for length in range(min(count - i, 6), 1, -1):
            kind = phrases.get(" ".join(lowers[i : i + length]))
            if kind:
                found[i].append("gm:B-" + kind)
                for j in range(i + 1, i + length):
                    found[j].append("gm:I-" + kind)
                found[i + length - 1].append("gm:E")
                i += length
                break
        else:
            i += 1
    return found


class DocContext:
    """What the whole article says about its words, for features of any one run."""

    __slots__ = ("text", "_lower", "known", "pairs", "repeated", "firsts", "lasts", "inside")

    def __init__(self, text: str, runs: list[Run]):
        self.text = text
        self._lower: dict[str, bool] = {}
        self.known: dict[str, str] = {}  # filled in before caps lines are tagged
        pairs: dict[str, int] = {}
        firsts, lasts = set(), set()
        inside = set()  # words capitalised where no sentence starts
        for run in runs:
            lowers = run.lowers
            if run.caps:
                continue
            if run.initial:
                inside.update(lowers[1:])
            else:
                inside.update(lowers)
            if len(lowers) < 2:
                continue
            firsts.add(lowers[0])
            lasts.add(lowers[-1])
            for pair in zip(lowers, lowers[1:]):
                key = " ".join(pair)
                pairs[key] = pairs.get(key, 0) + 1
        self.pairs = pairs
        self.repeated = {pair for pair, count in pairs.items() if count > 1}  # pairs in more than one run
        self.firsts = firsts
        self.lasts = lasts
        self.inside = inside

    def writes_lower(self, low: str) -> bool:
        """Whether the article writes this word in lowercase somewhere (memoised)."""
        answer = self._lower.get(low)
        if answer is None:
            answer = self._lower[low] = " " + low in self.text and written_lower(self.text, low)
        return answer


def position_features(known: str, position: str, starts_sentence: bool, caps: str) -> list[str]:
    """Features of a word and its place in the run; with ``word_features`` they are summed once and memoised."""
    mode = caps
    features = [mode + "pos:" + position, mode + "pos-lx:" + position + known]
    if starts_sentence:
        features.append(mode + "si:" + known)
    return features


def run_position(i: int, count: int) -> str:
    return "S" if count == 1 else "B" if i == 0 else "E" if i + 1 == count else "M"


def context_features(run: Run, i: int, known: str, doc: DocContext) -> list[str]:
    """All features of token ``i`` that do not depend on the tag before it (the builder's view)."""
    starts_sentence = i == 0 and run.initial
    position = run_position(i, len(run.words))
    return position_features(known, position, starts_sentence, run.caps) + surrounding_features(
        run, i, known, doc, position, starts_sentence
    )


def surrounding_features(run: Run, i: int, known: str, doc: DocContext, position: str, starts_sentence: bool):
    """Features from the words around token ``i`` and from the rest of the article."""
    lowers = run.lowers
    before = lowers[i - 1] if i else run.before
    after = lowers[i + 1] if i + 1 < len(lowers) else run.after
    moded = run.caps + known  # each line mode learns its own weights for the words around
    return before_features(before, moded) + after_features(after, moded) + article_features(
        run, i, known, doc, position, starts_sentence
    )


def before_features(before: str, known: str) -> list[str]:
    return ["pw:" + before, "pw-lx:" + before + "|" + known]


def after_features(after: str, known: str) -> list[str]:
    return ["nw:" + after, "nw-lx:" + after + "|" + known]


def article_features(run: Run, i: int, known: str, doc: DocContext, position: str, starts_sentence: bool):
    """Features from the rest of the run and of the article."""
    lowers = run.lowers
    count = len(lowers)
    features = []
    mode = run.caps
    low = lowers[i]
    if starts_sentence:
        features.append(mode + "si-inside:" + ("y" if low in doc.inside else "n") + known)
    if doc.writes_lower(low):
        features.append(mode + "dl:" + ("si" if starts_sentence else position))
    if run.caps:
        features.append("dk:" + doc.known.get(low, "-"))
    elif count == 1:
        features.append(mode + "short:" + ("f" if low in doc.firsts else "") + ("l" if low in doc.lasts else ""))
    else:
        if i + 1 < count:  # the run's last word often tells its type: Inc, Party, University, Cup
            features.append(mode + "rl:" + lowers[-1])
        if i and doc.pairs.get(lowers[i - 1] + " " + low, 0) > 1:
            features.append(mode + "pair-before")
        if i + 1 < count and doc.pairs.get(low + " " + lowers[i + 1], 0) > 1:
            features.append(mode + "pair-after")
    return features


def transition_features(previous_tag: str, caps: str, known: str) -> list[str]:
    """Features of the tag before; with the word's lexicon class, so "Chief" after a name can end it."""
    return ["pt:" + previous_tag + caps, "ptk:" + previous_tag + caps + "|" + known]


def written_lower(text: str, low: str) -> bool:
    """Whether ``low`` (a lowercased word) occurs in ``text`` as a whole word written in lowercase."""
    needle = " " + low
    end = len(text)
    found = text.find(needle)
    while found >= 0:
        after = found + len(needle)
        if after == end or not (text[after].isalnum() or text[after] in "'-"):
            return True
        found = text.find(needle, after)
    return False


# --- the model -----------------------------------------------------------------

_LANE_BITS = 32
_LANE_MASK = (1 << _LANE_BITS) - 1
_LANE_BIAS = 1 << 20
MAX_WEIGHT = _LANE_BIAS - 1  # so a biased weight fits its lane; a sum of ~2000 of them still does
_SHIFTS = tuple(_LANE_BITS * k for k in range(len(TAGS)))
_TAG_INDEX = {tag: k for k, tag in enumerate(TAGS)}


def pack_weights(weights: list[int]) -> int:
    """Nine weights as one int: lane k holds weight k + _LANE_BIAS in bits 32k..32k+31."""
    biased = [max(1, min(2 * _LANE_BIAS - 1, int(w) + _LANE_BIAS)) for w in weights]
    return int.from_bytes(_pack_lanes(*biased), "little")


def _packed_weights(weights: dict[str, list[int]]) -> dict[str, int]:
    """``pack_weights`` for every feature at once (the builder keeps weights within the lanes)."""
    bias = _LANE_BIAS
    flat = [w + bias for values in weights.values() for w in values]
    packed = struct.pack(f"<{len(flat)}I", *flat)
    size = _PACKED_BYTES
    return {feature: int.from_bytes(packed[k * size : (k + 1) * size], "little") for k, feature in enumerate(weights)}


def _allowed_tags(previous: str, connector: str) -> tuple[int, ...]:
    """Tag indices that may follow ``previous``: I-X only continues X; connectors never start a name,
    and a person's name takes only the particles of names (de, van, bin), not "of" or "&"."""
    allowed = []
    for k, tag in enumerate(TAGS):
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            continue
        if connector and tag.startswith("B-"):
            continue
        if connector in _NOT_IN_PERSON_NAMES and tag == "I-PER":
            continue
        if connector == "title" and tag != "O":
            continue
        allowed.append(k)
    return tuple(allowed)


_NOT_IN_PERSON_NAMES = frozenset(("of", "the", "for", "&", "of the"))
# Capitalised titles before a name ("Microsoft Chief Executive Satya Nadella"); eng.train never has
# them inside a name, but Reuters writes them in lowercase, so the tagger cannot learn to cut there.
TITLES = frozenset(
    "ceo cfo coo cto chief executive president chairman chairwoman minister spokesman spokeswoman "
    "secretary director governor senator founder premier chancellor prime vice deputy".split()
)
_CONNECTOR_KINDS = ("", "de", "of", "title")  # not a connector, a name particle, a phrase connector, a title
_ALLOWED = {(tag, kind): _allowed_tags(tag, kind) for tag in TAGS for kind in _CONNECTOR_KINDS}
_PACKED_BYTES = _LANE_BITS // 8 * len(TAGS)
_LANES_STRUCT = struct.Struct(f"<{len(TAGS)}I")
_unpack_lanes = _LANES_STRUCT.unpack  # one C call reads all nine lanes
_pack_lanes = _LANES_STRUCT.pack


def connector_kind(low: str) -> str:
    """Which row of ``_ALLOWED`` a lowercased word uses."""
    if low not in CONNECTORS:
        return "title" if low in TITLES else ""
    return "of" if low in _NOT_IN_PERSON_NAMES else "de"


MEMO_LIMIT = 150_000  # memoised sums of one model: about 50 MB


class EntityModel:
    def __init__(self, data: dict):
        self.weights = _packed_weights(data["weights"])
        self._transitions: dict[tuple[str, str, str], int] = {}
        self.lexicon = {word: tuple(stats) for word, stats in data["lexicon"].items()}
        self.phrases = data["phrases"]
        self.phrase_pairs = {
            " ".join(pair) for phrase in self.phrases for pair in zip(phrase.split(), phrase.split()[1:])
        }
        self.abbreviations = frozenset(data["abbreviations"])
        self.common = common_words(self.lexicon)
        self.suffixes = suffix_classes(self.lexicon)
        self._words: dict[tuple, tuple[int, str]] = {}
        self._own: dict[tuple[str, str], tuple[int, str]] = {}  # own_score
        self._shapes: dict[str, str] = {}
        self._counted: dict[tuple, tuple[int, str]] = {}  # lexicon counts and line mode -> their weights, class
        self._placed: dict[tuple, int] = {}  # position_features' weights
        self._befores: dict[tuple[str, str], int] = {}
        self._afters: dict[tuple[str, str], int] = {}
        self._prose_tables()

    def word_score(self, word: str, caps: str, position: str, starts_sentence: bool) -> tuple[int, str]:
        """Summed weights of the word's own and positional features (memoised), and its lexicon class."""
        key = (word, caps, position, starts_sentence)
        cached = self._words.get(key)
        if cached is None:
            own = self._own.get((word, caps))
            if own is None:
                own = self.own_score(word, caps)
            total, known = own
            place = (known, position, starts_sentence, caps)
            placed = self._placed.get(place)
            if placed is None:
                placed = self._placed[place] = sum(map(self.weights.get, position_features(*place), _ZEROS))
            cached = (total + placed, known)
            if len(self._words) > 200_000:  # bound the memory of a long-running process
                self._words.clear()
                self._own.clear()
                self._shapes.clear()
                self._befores.clear()
                self._afters.clear()
                self._single.clear()
                self._static.clear()
                self._tokens.clear()
            self._words[key] = cached
        return cached

    def own_score(self, word: str, caps: str) -> tuple[int, str]:
        """The summed weights of ``word_features`` (memoised), spelled out feature by feature: no list."""
        get = self.weights.get
        low = word.lower()  # normal_form
        end = low[-3:]
        total = get(caps + "l:" + low, 0) + get(caps + "s3:" + end, 0) + get(caps + "s4:" + low[-4:], 0)
        total += get(caps + "sf:" + self.suffixes.get(end, "-"), 0)
        if caps != "c":
            pattern = word.translate(_SHAPE_TABLE)
            word_shape = self._shapes.get(pattern)
            if word_shape is None:  # shape(word), memoised by pattern: words share few shapes
                word_shape = self._shapes[pattern] = _REPEATS.sub(r"\1\1", pattern)
            if caps:
                total += get("tsh:" + word_shape, 0)
            else:
                total += get("w:" + word, 0) + get("sh:" + word_shape, 0)
        stats = self.lexicon.get(low)
        counted = self._counted.get((stats, caps))
        if counted is None:
            features, known = lexicon_features(stats, caps)
            counted = self._counted[stats, caps] = (sum(map(get, features, _ZEROS)), known)
        own = self._own[word, caps] = (total + counted[0], counted[1])
        return own

    def transition_score(self, previous: str, caps: str, known: str) -> int:
        key = (previous, caps, known)
        score = self._transitions.get(key)
        if score is None:
            get = self.weights.get
            score = self._transitions[key] = sum(map(get, transition_features(previous, caps, known), _ZEROS))
        return score

    def neighbour_score(self, before: str, after: str, known: str) -> int:
        """Summed weights of ``before_features`` and ``after_features`` (each memoised)."""
        before_key = (before, known)
        score = self._befores.get(before_key)
        if score is None:
            score = self._befores[before_key] = sum(map(self.weights.get, before_features(before, known), _ZEROS))
        after_key = (after, known)
        following = self._afters.get(after_key)
        if following is None:
            following = self._afters[after_key] = sum(map(self.weights.get, after_features(after, known), _ZEROS))
        return score + following

    def tag(self, run: Run, doc: DocContext) -> list[str]:
        """BIO tag per token of the run."""
        if not run.caps:
            if len(run.words) == 1:
                return [TAGS[self.tag_prose_word(run, doc)]]
            return self.tag_prose_run(run, doc)
        return self.tag_general(run, doc)

    def _prose_tables(self) -> None:
        """Summed weights of the few article features a prose run can have, per variant."""
        get = self.weights.get
        self._dl = {position: get("dl:" + position, 0) for position in ("S", "B", "M", "E", "si")}
        self._short = {
            (first, last): get("short:" + ("f" if first else "") + ("l" if last else ""), 0)
            for first in (False, True)
            for last in (False, True)
        }
        self._pair_before = get("pair-before", 0)
        self._pair_after = get("pair-after", 0)
        self._inside: dict[tuple[bool, str], int] = {}
        self._single: dict[tuple[str, bool], tuple[int, str]] = {}
        self._static: dict[tuple[str, bool], list[tuple]] = {}
        self._tokens: dict[tuple[str, str], tuple] = {}  # _prose_token
        self._transition_rows: dict[str, tuple[int, ...]] = {}

    def bound_memory(self) -> None:
        """Forget the memoised sums once they hold more than MEMO_LIMIT entries, so a process
        indexing an archive stays flat in memory (its vocabulary only grows)."""
        memos = (self._single, self._static, self._tokens, self._befores, self._afters)
        if sum(map(len, memos)) > MEMO_LIMIT:
            for memo in memos:
                memo.clear()

    def _inside_score(self, inside: bool, known: str) -> int:
        key = (inside, known)
        score = self._inside.get(key)
        if score is None:
            score = self._inside[key] = self.weights.get("si-inside:" + ("y" if inside else "n") + known, 0)
        return score

    def single_entry(self, word: str, initial: bool) -> tuple[int, str]:
        """A one-word prose run's own summed weights, with the transition from O, and its lexicon class."""
        total, known = self.word_score(word, "", "S", initial)
        entry = self._single[word, initial] = (total + self.transition_score("O", "", known), known)
        return entry

    def tag_prose_word(self, run: Run, doc: DocContext) -> int:
        """Tag index of a one-word run outside caps lines: the same sum as ``tag_general``, from memoised parts."""
        low = run.lowers[0]
        if low in _NEVER_ALONE:
            return 0  # only O may follow O here
        word = run.words[0]
        initial = run.initial
        entry = self._single.get((word, initial))
        if entry is None:
            entry = self.single_entry(word, initial)
        total, known = entry
        score = self._befores.get((run.before, known))
        if score is None:
            score = self._before_score(run.before, known)
        total += score
        score = self._afters.get((run.after, known))
        if score is None:
            score = self._after_score(run.after, known)
        total += score
        if initial:
            total += self._inside_score(low in doc.inside, known)
            if doc.writes_lower(low):
                total += self._dl["si"]
        elif doc.writes_lower(low):
            total += self._dl["S"]
        total += self._short[low in doc.firsts, low in doc.lasts]
        lanes = _unpack_lanes(total.to_bytes(_PACKED_BYTES, "little"))
        return max(_FIRST_TAGS, key=lanes.__getitem__)

    def _after_score(self, after: str, known: str) -> int:
        key = (after, known)
        score = self._afters.get(key)
        if score is None:
            score = self._afters[key] = sum(map(self.weights.get, after_features(after, known), _ZEROS))
        return score

    def _static_run(self, run: Run) -> list[tuple]:
        """Per token of a prose run, what does not depend on the article or the tag before: summed
        weights, lexicon class, lowercased word, connector kind, position and sentence start."""
        return self._static_tokens(run.words, run.lowers, run.initial)

    def _static_tokens(self, words: list[str], lowers: list[str], initial: bool) -> list[tuple]:
        key = (" ".join(words), initial)
        tokens = self._static.get(key)
        if tokens is not None:
            return tokens
        get = self.weights.get
        count = len(words)
        phrases = phrase_features(lowers, self.phrases)
        last = get("rl:" + lowers[-1], 0)
        tokens = []
        for i, word in enumerate(words):
            position = run_position(i, count)
            starts_sentence = i == 0 and initial
            total, known = self.word_score(word, "", position, starts_sentence)
            for feature in phrases[i]:
                total += get(feature, 0)
            if i:
                total += self._before_score(lowers[i - 1], known)
            if i + 1 < count:
                total += self._after_score(lowers[i + 1], known) + last
            low = lowers[i]
            tokens.append((total, known, low, connector_kind(low), "si" if starts_sentence else position, word))
        if len(self._static) > 100_000:  # bound the memory of a long-running process
            self._static.clear()
        self._static[key] = tokens
        return tokens

    def _before_score(self, before: str, known: str) -> int:
        key = (before, known)
        score = self._befores.get(key)
        if score is None:
            score = self._befores[key] = sum(map(self.weights.get, before_features(before, known), _ZEROS))
        return score

    def _transition_row(self, known: str) -> tuple[int, ...]:
        """``transition_score`` after each tag, for a prose word of lexicon class ``known``."""
        row = self._transition_rows.get(known)
        if row is None:
            row = self._transition_rows[known] = tuple(self.transition_score(tag, "", known) for tag in TAGS)
        return row

    def _prose_token(self, word: str, place: str) -> tuple:
        """What a word brings to a prose run of several words wherever the run stands (memoised by the word
        and its ``place``: B, si (B starting a sentence), M or E): summed own and positional weights,
        lexicon class, lowercased word, allowed tags after each tag, weight of "dl", whether it continues
        a name after any (Scale AI), whether it is a connector, transition weights after each tag."""
        total, known = self.word_score(word, "", "B" if place == "si" else place, place == "si")
        low = word.lower()
        token = self._tokens[word, place] = (
            total,
            known,
            low,
            _ALLOWED_AFTER[connector_kind(low)],
            self._dl[place],
            word in _NAME_ENDINGS,
            low in CONNECTORS,
            self._transition_row(known),
        )
        return token

    def _phrase_scores(self, lowers: list[str]) -> list[int]:
        """Per token, the summed weights of its ``phrase_features``."""
        get = self.weights.get
        return [sum(map(get, features, _ZEROS)) for features in phrase_features(lowers, self.phrases)]

    def prose_run_spans(self, record: tuple, doc: DocContext, spans: list) -> None:
        """Append to ``spans`` the names of a run of several words outside caps lines: ``tag_prose_run``
        and ``spans_from_tags`` in one loop, with tag indices. ``record``: (starts, ends, words, lowercased
        words, before, after, starts a sentence, line mode, the words joined by spaces).

        Most such runs occur once in a corpus, so nothing is memoised per run: per word and place
        (``_prose_token``) and per pair of neighbours, as for one-word runs."""
        starts, ends, words, lowers, before, after, initial, _, _ = record
        final = len(words) - 1
        pairs = [first + " " + second for first, second in pairwise(lowers)]
        phrases = None if self.phrase_pairs.isdisjoint(pairs) else self._phrase_scores(lowers)
        ending_weight = self.weights.get("rl:" + lowers[-1], 0)
        repeated = doc.repeated
        memo = self._tokens
        befores = self._befores
        afters = self._afters
        lower = doc._lower
        text = doc.text
        previous = 0  # O
        first = last = -1
        kind = ""
        connectors = []
        for i, word in enumerate(words):
            place = ("si" if initial else "B") if i == 0 else "E" if i == final else "M"
            token = memo.get((word, place))
            if token is None:
                token = self._prose_token(word, place)
            total, known, low, allowed_after, dl, ending, connector, transitions = token
            connectors.append(connector)
            if i == 0:
                score = befores.get((before, known))
                if score is None:
                    score = self._before_score(before, known)
                total += score
                if initial:
                    total += self._inside_score(low in doc.inside, known)
            else:
                score = befores.get((lowers[i - 1], known))
                if score is None:
                    score = self._before_score(lowers[i - 1], known)
                total += score
                if pairs[i - 1] in repeated:
                    total += self._pair_before
            if i == final:
                score = afters.get((after, known))
                if score is None:
                    score = self._after_score(after, known)
                total += score
            else:
                score = afters.get((lowers[i + 1], known))
                if score is None:
                    score = self._after_score(lowers[i + 1], known)
                total += score + ending_weight
                if pairs[i] in repeated:
                    total += self._pair_after
            if phrases is not None:
                total += phrases[i]
            written = lower.get(low)
            if written is None:  # doc.writes_lower inlined: most such words are never written in lowercase
                written = lower[low] = " " + low in text and written_lower(text, low)
            if written:
                total += dl
            total += transitions[previous]
            allowed = allowed_after[previous]
            if len(allowed) == 1:
                best = allowed[0]
            else:
                lanes = _unpack_lanes(total.to_bytes(_PACKED_BYTES, "little"))
                best = max(allowed, key=lanes.__getitem__)
            if ending and previous:
                best = _CONTINUES[previous]
            if first >= 0 and (not best or best & 1 or _KIND_OF_TAG[best] != kind):
                while last > first and connectors[last]:
                    last -= 1
                spans.append((starts[first], ends[last], kind))
                first = -1
            if best:
                if first < 0:
                    first = i
                    kind = _KIND_OF_TAG[best]
                last = i
            previous = best
        if first >= 0:
            while last > first and connectors[last]:
                last -= 1
            spans.append((starts[first], ends[last], kind))

    def tag_prose_run(self, run: Run, doc: DocContext) -> list[str]:
        """Tags of a run of several words outside caps lines: the same sums as ``tag_general``."""
        tokens = self._static_run(run)
        count = len(tokens)
        pairs = doc.pairs
        dl = self._dl
        transitions = self._transitions
        previous = "O"
        previous_low = ""
        tags = []
        for i, (total, known, low, kind, position, word) in enumerate(tokens):
            if i == 0:
                total += self._before_score(run.before, known)
                if run.initial:
                    total += self._inside_score(low in doc.inside, known)
            elif pairs.get(previous_low + " " + low, 0) > 1:
                total += self._pair_before
            if i + 1 == count:
                total += self._after_score(run.after, known)
            elif pairs.get(low + " " + tokens[i + 1][2], 0) > 1:
                total += self._pair_after
            if doc.writes_lower(low):
                total += dl[position]
            score = transitions.get((previous, "", known))
            if score is None:
                score = self.transition_score(previous, "", known)
            total += score
            allowed = _ALLOWED[previous, kind]
            if len(allowed) == 1:
                best = allowed[0]
            else:
                lanes = _unpack_lanes(total.to_bytes(_PACKED_BYTES, "little"))
                best = max(allowed, key=lanes.__getitem__)
            if word in _NAME_ENDINGS and previous != "O":
                best = _TAG_INDEX["I-" + previous[2:]]
            previous = TAGS[best]
            previous_low = low
            tags.append(previous)
        return tags

    def tag_general(self, run: Run, doc: DocContext) -> list[str]:
        words = run.words
        get = self.weights.get
        caps = run.caps
        if len(words) == 1:  # most runs: one word, a name or not
            cached = self._words.get((words[0], caps, "S", run.initial))
            total, known = cached or self.word_score(words[0], caps, "S", run.initial)
            total += self.neighbour_score(run.before, run.after, caps + known)
            for feature in article_features(run, 0, known, doc, "S", run.initial):
                total += get(feature, 0)
            total += self.transition_score("O", caps, known)
            lanes = _unpack_lanes(total.to_bytes(_PACKED_BYTES, "little"))
            return [TAGS[max(_ALLOWED["O", connector_kind(run.lowers[0])], key=lanes.__getitem__)]]
        lowers = run.lowers
        count = len(words)
        phrases = phrase_features(lowers, self.phrases)
        previous = "O"
        tags = []
        for i, word in enumerate(words):
            position = run_position(i, count)
            starts_sentence = i == 0 and run.initial
            total, known = self.word_score(word, caps, position, starts_sentence)
            for feature in phrases[i]:
                total += get(feature, 0)
            total += self.neighbour_score(
                lowers[i - 1] if i else run.before, lowers[i + 1] if i + 1 < count else run.after, caps + known
            )
            for feature in article_features(run, i, known, doc, position, starts_sentence):
                total += get(feature, 0)
            total += self.transition_score(previous, caps, known)
            lanes = _unpack_lanes(total.to_bytes(_PACKED_BYTES, "little"))
            best = max(_ALLOWED[previous, connector_kind(lowers[i])], key=lanes.__getitem__)
            if word in _NAME_ENDINGS and previous != "O":
                best = _TAG_INDEX["I-" + previous[2:]]
            previous = TAGS[best]
            tags.append(previous)
        return tags


# Words eng.train never saw that end many recent company names (Scale AI, Stability AI):
# after a name in the same run they continue it.
_NAME_ENDINGS = frozenset(("AI",))
_FIRST_TAGS = _ALLOWED["O", ""]  # O and every B- tag
_KIND_OF_TAG = tuple(tag[2:] for tag in TAGS)
_NEVER_ALONE = CONNECTORS | TITLES  # a one-word run of these is no name
_ALLOWED_AFTER = {kind: tuple(_ALLOWED[tag, kind] for tag in TAGS) for kind in _CONNECTOR_KINDS}
_CONTINUES = (0,) + tuple(_TAG_INDEX["I-" + tag[2:]] for tag in TAGS[1:])  # I- of the tag's type

_model: EntityModel | None = None


def load_model() -> EntityModel:
    global _model
    if _model is None:
        with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as stream:
            _model = EntityModel(json.load(stream))
    return _model


def spans_from_tags(run: Run, tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) per name; a name never ends on a connector."""
    spans = []
    first = last = -1
    kind = ""
    for i, tag in enumerate(tags + ["O"]):
        if first >= 0 and (tag == "O" or tag[0] == "B" or tag[2:] != kind):
            while last > first and normal_form(run.words[last]) in CONNECTORS:
                last -= 1
            spans.append((run.starts[first], run.ends[last], kind))
            first = -1
        if tag != "O":
            if first < 0:
                first, kind = i, tag[2:]
            last = i
    return spans


def doc_known_words(text: str, spans) -> dict[str, str]:
    """Lowercased word -> type, for every word of the names found outside caps lines."""
    known: dict[str, str] = {}
    for start, end, kind in spans:
        for word in text[start:end].split():
            known.setdefault(normal_form(word), kind)
    return known


# --- public API --------------------------------------------------------------------


def find_mentions(text: str) -> list[Mention]:
    """Entity mentions in one article's text (which begins with its headline line), sorted by start,
    non-overlapping, each with its canonical name resolved within the article."""
    if not isinstance(text, str) or not text:
        return []
    try:
        nlp = _spacy_pipeline()
        if nlp is not None:
            return mentions_from_spacy(text, nlp(text))
        plain = straight(text)
        lexicon = load_model().lexicon
        spans = person_names(plain, company_names(plain, tag_spans(plain), lexicon), lexicon)
        return _resolve_names(text, plain, names_told_again(plain, spans), lexicon)
    except Exception:  # a malformed article must not stop an import; it just yields no names
        return []


def _scan(text: str, model: EntityModel) -> tuple[list, DocContext]:
    """``find_runs`` and ``DocContext`` in one pass, for ``tag_spans``: the same runs, in reading order,
    except that a run the regex found whole comes as a tuple: one word as (start, end, word, lowercased
    word, before, after, starts a sentence, line mode), several as (starts, ends, words, lowercased
    words, before, after, starts a sentence, line mode, the words joined by spaces)."""
    records: list = []
    append = records.append
    caps_lines: dict[int, str] = {}
    common = model.common
    connectors = CONNECTORS
    sentence_end = _SENTENCE_END
    pairs: dict[str, int] = {}
    firsts, lasts = set(), set()
    inside = set()
    line_end = -1
    caps = ""
    abbreviations = model.abbreviations
    has_lower = _HAS_LOWER.search
    lower_content_word = _LOWER_CONTENT_WORD.search
    for match, start, matched in _run_matches(text):
        single = " " not in matched
        dotted = False
        if single:
            if "." in matched:  # _split_at_sentence_ends and _trimmed_run for one word
                dotted = True
                if matched[-1] == "." and not _keeps_period(matched, abbreviations):
                    matched = matched[:-1]  # a full stop, not the word's
            low = matched.lower()
            if low in connectors:
                continue
        elif "." in matched:
            words = None  # cut at sentence ends: the general way
        else:
            words = matched.split(" ")
            if words[0].lower() in connectors or words[-1].lower() in connectors:
                words = None  # to be trimmed: the general way
        if single or words is not None:
            # the word before, as _word_before finds it, in its common case: a plain word and a space
            before = None
            previous = text[start - 1] if start else "\n"
            if previous == " ":
                last = text[start - 2] if start > 1 else "\n"
                if last.isalnum():
                    if not (last in "sS" and start > 2 and text[start - 3] == "'"):
                        word = text[text.rfind(" ", max(0, start - 42), start - 2) + 1 : start - 1]
                        if word.isalnum():
                            before = word.lower()
                elif last == "\n":
                    before = ""
                elif last != " " and last != "\t":
                    before = last
            elif previous == "\n":
                before = ""
            elif previous != "\t" and not previous.isalnum():
                before = previous
            if before is None:
                before = _word_before(text, start)
            initial = before in sentence_end
            if single and initial and not dotted and low in common:
                continue
            end = start + len(matched)
            if end == match.end():
                after = match.group(1)  # as _AFTER.match(text, end) finds it
                after = after.lower() if after is not None else ""
            else:
                following = _AFTER.match(text, end)
                after = following.group(1).lower() if following else ""
            if start > line_end:
                line_start = text.rfind("\n", 0, start) + 1
                line_end = text.find("\n", start)
                if line_end < 0:
                    line_end = len(text)
                caps = caps_lines.get(line_start)
                if caps is None:  # line_mode, its common cases without slicing out the line
                    if not has_lower(text, line_start, line_end):
                        caps = "c"
                    elif lower_content_word(text, line_start, line_end):
                        caps = ""
                    else:
                        caps = line_mode(text, line_start)
                    caps_lines[line_start] = caps
            if single:
                if not caps and not initial:
                    inside.add(low)
                append((start, end, matched, low, before, after, initial, caps))
                continue
            starts = []
            ends = []
            position = start
            for word in words:
                starts.append(position)
                position += len(word)
                ends.append(position)
                position += 1
            lowers = [word.lower() for word in words]
            append((starts, ends, words, lowers, before, after, initial, caps, matched))
            if caps:
                continue
            inside.update(lowers[1:] if initial else lowers)
            firsts.add(lowers[0])
            lasts.add(lowers[-1])
            for pair in pairwise(lowers):
                key = " ".join(pair)
                pairs[key] = pairs.get(key, 0) + 1
            continue
        # cut at sentence ends, connectors trimmed: the general way, with Run objects
        for piece_words, piece_starts in _pieces(matched, start, abbreviations):
            run = _trimmed_run(text, piece_words, piece_starts, caps_lines)
            if run is None:
                continue
            append(run)
            if run.caps:
                continue
            lowers = run.lowers
            inside.update(lowers[1:] if run.initial else lowers)
            if len(lowers) < 2:
                continue
            firsts.add(lowers[0])
            lasts.add(lowers[-1])
            for pair in pairwise(lowers):
                key = " ".join(pair)
                pairs[key] = pairs.get(key, 0) + 1
    doc = DocContext(text, [])
    doc.pairs = pairs
    doc.repeated = {pair for pair, count in pairs.items() if count > 1}
    doc.firsts = firsts
    doc.lasts = lasts
    doc.inside = inside
    return records, doc


def tag_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, type) of every name, before name resolution, in a ``straight`` text."""
    model = load_model()
    model.bound_memory()
    records, doc = _scan(text, model)
    spans: list[tuple[int, int, str]] = []
    append = spans.append
    caps_runs = []
    run_spans = model.prose_run_spans
    # one-word prose runs: model.tag_prose_word inlined, the same sums
    single = model._single
    befores = model._befores
    afters = model._afters
    inside = doc.inside
    firsts = doc.firsts
    lasts = doc.lasts
    written = doc._lower
    dl_initial = model._dl["si"]
    dl_alone = model._dl["S"]
    short = model._short
    for record in records:
        if record.__class__ is tuple and len(record) == 9:  # several words, see _scan
            if record[7]:
                starts, ends, words, lowers, before, after, initial, caps, _ = record
                caps_runs.append(Run(starts, ends, words, before, after, initial, caps, lowers))
            else:
                run_spans(record, doc, spans)
        elif record.__class__ is tuple:  # one word: (start, end, word, low, before, after, initial, caps)
            start, end, word, low, before, after, initial, caps = record
            if caps:
                caps_runs.append(Run([start], [end], [word], before, after, initial, caps, [low]))
                continue
            if low in _NEVER_ALONE:
                continue  # only O may follow O here
            entry = single.get((word, initial))
            if entry is None:
                entry = model.single_entry(word, initial)
            total, known = entry
            score = befores.get((before, known))
            if score is None:
                score = model._before_score(before, known)
            total += score
            score = afters.get((after, known))
            if score is None:
                score = model._after_score(after, known)
            total += score
            lowercase = written.get(low)
            if lowercase is None:  # doc.writes_lower inlined: most such words are never written in lowercase
                lowercase = written[low] = " " + low in text and written_lower(text, low)
            if initial:
                total += model._inside_score(low in inside, known)
                if lowercase:
                    total += dl_initial
            elif lowercase:
                total += dl_alone
            total += short[low in firsts, low in lasts]
            lanes = _unpack_lanes(total.to_bytes(_PACKED_BYTES, "little"))
            best = max(_FIRST_TAGS, key=lanes.__getitem__)
            if best:
                append((start, end, _KIND_OF_TAG[best]))
        elif record.caps:
            caps_runs.append(record)
        elif len(record.words) > 1:
            run = record
            joined = " ".join(run.words)
            run_spans((run.starts, run.ends, run.words, run.lowers, run.before, run.after, run.initial, "", joined), doc, spans)
        else:
            tags = model.tag(record, doc)
            if tags[0] != "O":
                spans.append((record.starts[0], record.ends[0], tags[0][2:]))
    if caps_runs:
        doc.known = doc_known_words(text, spans)
        title_lines = {text.rfind("\n", 0, run.starts[0]) + 1 for run in caps_runs if run.caps == "t"}
        for line_start in sorted(title_lines):
            for run in _title_line_runs(text, line_start, model, doc):
                spans.extend(spans_from_tags(run, model.tag(run, doc)))
        for run in caps_runs:
            if run.caps == "c":
                spans.extend(spans_from_tags(run, model.tag(run, doc)))
        spans.sort()
    if " and " in text:
        spans = _join_known_and_names(text, spans, model.phrases)
    return [  # _plausible, and not one letter ("S/P", "Series O")
        span for span in spans
        if (span[1] - span[0] > _LONGEST_NOT_NAME or text[span[0] : span[1]].lower() not in _NOT_NAMES)
        and (span[1] - span[0] > 2 or len(text[span[0] : span[1]].rstrip(".")) > 1)
    ]


# A company's legal form ends its name: "Hughes Tool Co", "Avon Products Inc.", "Merck and Co Inc".
_FORMS = r"(?:Co|Cos|Corp|Inc|Ltd|Plc|PLC|LLC|L\.P|AG|NV|N\.V|SA|S\.A|Corporation|Incorporated)\.?"
_LEGAL_FORM = re.compile(rf"(?:^|\s){_FORMS}\Z")
_STARTS_WITH_FORM = re.compile(rf"(?:{_FORMS}|Company)(?!\S)")
_JOINS = (" and ", " & ", " ")
_NAME_WORD_BEFORE = re.compile(rf"(?<![\w'’.&-])[{_UP}][\w&]*(?:-[{_UP}\d][\w&]*)*(?:\.[{_UP}])*\.? \Z")


def company_names(text: str, spans: list[tuple[int, int, str]], lexicon: dict) -> list[tuple[int, int, str]]:
    """``spans`` with every name that ends in a legal form typed ORG, and made whole where the tagger
    had cut it or read it as something else.

    eng.train writes "Merck & Co" and knows few legal forms, so in wire copy that writes "and"
    the tagger reads "Electric Co" or "Hughes Tool Co" as people ("General" is a rank to it)
    and "Co Ltd" as a name of its own. A legal form is no part of anyone's name. A name that
    starts with one continues the name just before ("Samuel Montagu and Co Ltd", "British
    Petroleum Co Plc"). Where the tagger typed the rest wrong, its boundary is suspect too: the
    capitalised words just before that eng.train saw in names often enough ("General", not
    "Tuesday" or "The"), belong to the company; a word it never saw, only inside a sentence.
    """
    fixed = []
    for start, end, kind in spans:
        if not _LEGAL_FORM.search(text, start, end):
            fixed.append((start, end, kind))
            continue
        if _STARTS_WITH_FORM.match(text, start):
            join = next((j for j in _JOINS if text.startswith(j, start - len(j))), None)
            if join and fixed and fixed[-1][1] == start - len(join):
                start = fixed.pop()[0]
            elif join and join != " ":
                start = _name_words_before(text, start - len(join) + 1, fixed, lexicon, limit=1, opening=True)
        elif kind != "ORG":
            start = _name_words_before(text, start, fixed, lexicon)
        fixed.append((start, end, "ORG"))
    return fixed


def _name_words_before(
    text: str, start: int, spans: list, lexicon: dict, limit: int = 3, opening: bool = False
) -> int:
    """Where a name ending at ``start`` begins if it takes up to ``limit`` more capitalised words
    (an unknown one opening a sentence too if ``opening``)."""
    for _ in range(limit):
        word = _NAME_WORD_BEFORE.search(text, max(0, start - 40), start)
        if not word or (spans and spans[-1][1] > word.start()):
            break
        stats = lexicon.get(normal_form(word.group().rstrip(" .")))
        if stats is not None and sum(stats[:4]) * 4 < stats[4]:  # mostly capitalised outside names
            break
        if stats is None and not opening and _starts_sentence(text, word.start()):
            break  # an unknown word opening a sentence may be anything
        start = word.start()
    return start


# Titles the tagger cannot cut off because eng.train never wrote them before a name (TITLES it can).
_MORE_TITLES = frozenset("treasurer ambassador commissioner envoy mayor".split())


def person_names(text: str, spans: list[tuple[int, int, str]], lexicon: dict) -> list[tuple[int, int, str]]:
    """``spans`` with the office a person holds cut from the front of their name: "Chancellor of
    the Exchequer Nigel Lawson" is Nigel Lawson, not "Exchequer Nigel Lawson"; "Treasurer Paul
    Keating" is Paul Keating. After "of the" only a word eng.train never saw in a person's name
    goes ("of the George Washington Bridge" keeps George), and only where two words or more are
    left, so a surname stays."""
    fixed = []
    for start, end, kind in spans:
        if kind == "PER":
            while True:
                space = text.find(" ", start, end)
                if space < 0 or text.find(" ", space + 1, end) < 0:
                    break  # fewer than three words
                first = normal_form(text[start:space])
                if first not in _MORE_TITLES and not (
                    text.endswith(" of the ", 0, start) and not (lexicon.get(first) or (0,))[0]
                ):
                    break
                start = space + 1
        fixed.append((start, end, kind))
    return fixed


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"


# A capitalised word and a space just before: the name would be part of a longer run there.
_CAPITALISED_BEFORE = re.compile(rf"[{_UP}][\w'&.-]*[ ]\Z")


def names_told_again(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``spans`` and the other places the article writes one of their names, standing alone, where
    the tagger saw none: an article means one thing by a name throughout ("Recent reports
    indicate Google is..." when Google is a name in every other sentence)."""
    tagged: dict[str, list] = {}
    for start, end, kind in spans:
        entry = tagged.setdefault(text[start:end], [kind, 0, False])
        entry[1] += 1
        entry[2] = entry[2] or (text[start - 2 : start - 1].islower() and text[start - 1] == " ")
    added = []
    for name, (kind, count, in_prose) in tagged.items():
        # only a name found once inside a sentence: a word tables repeat ("Oper shr") would spread
        if in_prose and text.count(name) > count:  # rarely: most names are found every time
            added += [(start, start + len(name), kind) for start in _standing_alone(text, name, spans)]
    return sorted(spans + added) if added else spans


def _standing_alone(text: str, name: str, spans: list[tuple[int, int, str]]) -> Iterator[int]:
    """Where text has name as a word of its own, outside every span and any longer capitalised run."""
    starts = [start for start, _, _ in spans]
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        i = bisect.bisect_right(starts, start) - 1
        if not (
            (start and (text[start - 1].isalnum() or text[start - 1] in "_'&.-"))
            or (end < len(text) and (text[end].isalnum() or text[end] in "_&-"))
            or (text[end : end + 1] == " " and text[end + 1 : end + 2].isupper())
            or (i >= 0 and spans[i][1] > start)
            or (i + 1 < len(spans) and spans[i + 1][0] < end)
            or _CAPITALISED_BEFORE.search(text, max(0, start - 30), start)
        ):
            yield start
        start = text.find(name, end)


def _join_known_and_names(text: str, spans, phrases: dict) -> list[tuple[int, int, str]]:
    """Rejoin a name eng.train knew with "and" inside (Securities and Exchange Commission, Trinidad
    and Tobago): "and" is no connector in runs, or "Microsoft and OpenAI" would become one name."""
    joined = spans[:1]
    last = spans[0][1] if spans else 0
    for span in spans[1:]:
        start, end, _ = span
        if start - last == 5 and text[last:start] == " and ":
            first = joined[-1][0]
            phrase_kind = phrases.get(text[first:end].lower())
            if phrase_kind:
                joined[-1] = (first, end, phrase_kind)
                last = end
                continue
        joined.append(span)
        last = end
    return joined


_TITLE_CASED_WORD = re.compile(rf"(?<![\w'])[{_UP}][{_LO}]+\b(?!['-]\w)")


def _title_line_runs(text: str, line_start: int, model: EntityModel, doc: DocContext) -> list[Run]:
    """Runs of a Title Case line, found after writing its common words in lowercase again.

    A word goes back to lowercase when the article or eng.train mostly writes it so
    ("Plans", "Over") and the article's body did not use it in a name; acronyms,
    words like OpenAI and unfamiliar words keep their capital. The line then reads
    like prose and is tagged as such. Offsets do not move: case changes keep lengths.
    """
    line_end = text.find("\n", line_start)
    line = text[line_start:] if line_end < 0 else text[line_start:line_end]
    lexicon = model.lexicon
    pairs = model.phrase_pairs
    words = [w.lower() for w in _TITLE_CASED_WORD.findall(line)]
    in_phrase = {w for pair in zip(words, words[1:]) if " ".join(pair) in pairs for w in pair}

    def recase(match: re.Match) -> str:
        word = match.group()
        low = word.lower()
        if match.start() == 0 or low in doc.known or low in in_phrase:
            return word
        if doc.writes_lower(low):
            return low
        stats = lexicon.get(low)
        if stats is None:
            return word
        per, org, loc, misc, capital_other, lower = stats
        entity = per + org + loc + misc
        return low if entity == 0 or lower > entity + capital_other else word

    runs = find_runs(_TITLE_CASED_WORD.sub(recase, line), model.abbreviations, model.common)
    for run in runs:
        run.starts = [start + line_start for start in run.starts]
        run.ends = [end + line_start for end in run.ends]
    return runs


# Capitalised common nouns and titles that news writes like names but that name nothing.
_NOT_NAMES = frozenset(
    "ai ceo cfo coo cto cio chairman president tv pc gdp ipo phd phds dna id faq url api "
    "am pm gmt est ok i image gnp".split()
    # the row labels of wire-service results tables ("Oper shr 2.16 dlrs vs 2.07 dlrs")
    + "oper shr qtr qtly revs avg".split()
    # holidays are dates, not names
    + "easter christmas thanksgiving halloween".split()
    # a legal form alone ("INC <OBOD> RAISES DIVIDEND") names no one
    + "inc inc. corp corp. co co. ltd ltd. plc llc ag sa nv".split()
)


_LONGEST_NOT_NAME = max(map(len, _NOT_NAMES))


def _plausible(mention: str) -> bool:
    """Not a word that never names anyone, and not a lone letter ("S/P", "Series O")."""
    return normal_form(mention) not in _NOT_NAMES and len(mention.rstrip(".")) > 1


# --- canonical names ------------------------------------------------------------------

_PREFERRED = {
    "united states": "United States",
    "united kingdom": "United Kingdom",
    "united nations": "United Nations",
    "european union": "European Union",
}
_ALIASES = {
    "us": "united states",
    "usa": "united states",
    "united states of america": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "un": "united nations",
    "eu": "european union",
}
_ALIASES.pop("america")  # America is also the continent: too bold
_LEGAL_ENDINGS = (" inc", " incorporated", " corp", " corporation", " co", " cos", " ltd", " llc", " plc")
# every legal form at the end, and the "and" of "Merrill Lynch and Co Inc": one company with "Merrill Lynch"
_LEGAL_SUFFIX = re.compile(r"(?: (?:and )?(?:" + "|".join(ending[1:] for ending in _LEGAL_ENDINGS) + r"))+\Z")
_NON_ALNUM = re.compile(r"[^\w]+")
_POSSESSIVE = re.compile(r"['’][sS]?\Z")


@functools.lru_cache(maxsize=1 << 16)
def canonical_key(name: str) -> str:
    """A key equal for names that denote one entity across a corpus however cased/abbreviated (U.S., US, United States -> same key)."""
    if name.isascii():  # no accents to take off: NFKD leaves ASCII as it is
        key = name.lower().strip()
    else:
        key = unicodedata.normalize("NFKD", name)
        key = "".join(c for c in key if not unicodedata.combining(c)).lower().strip()
    if "'" in key or "’" in key:
        key = _POSSESSIVE.sub("", key)
    key = key.replace("&", " and ").replace(".", "")
    if "  " in key or not key.replace(" ", "").isalnum():  # else only words and single spaces: nothing to do
        key = _NON_ALNUM.sub(" ", key)
    key = key.strip()
    if key.startswith("the "):
        key = key[4:]
    if key.endswith(_LEGAL_ENDINGS):
        key = _LEGAL_SUFFIX.sub("", key)
    return _ALIASES.get(key, key)


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def _resolve_names(
    text: str, plain: str, spans: list[tuple[int, int, str]], lexicon: dict | None = None
) -> list[Mention]:
    """Mentions of ``text`` at ``spans``, named from ``plain`` (the text, ``straight``).

    With a ``lexicon``, a one-word "person" it never saw in a person's name, never given a full
    name or an honorific in the article, is taken for an organisation: news introduces people by
    their full name, and eng.train's habit of bare surnames (sports results) mistypes Google or
    Meta. If the lexicon knows the word only in lowercase or outside names (the "Poor" of Standard
    and Poor's), it is no name at all. A longer "person" whose last word never ends a person's
    name takes that word's type.
    """
    surfaces = [plain[s:e] for s, e, _ in spans]
    kinds: dict[str, str] = {}
    for surface, (_, _, kind) in zip(surfaces, spans):
        kinds.setdefault(surface, kind)
    full_of = _short_forms(kinds)
    named = {}  # per surface: its entity's key, the full form it stands for, its votes for a type and a form
    for surface in kinds:
        full = full_of.get(surface, surface)
        named[surface] = (canonical_key(full), full, 2 if " " in surface else 1, 1 if full.isupper() and len(full) > 4 else 2)
    keys = []
    votes: dict[str, dict[str, int]] = {}
    shown: dict[str, dict[str, int]] = {}
    for surface, (_, _, kind) in zip(surfaces, spans):
        key, full, type_vote, form_vote = named[surface]
        keys.append(key)
        tally = votes.get(key)
        if tally is None:  # the entity's first mention
            votes[key] = {kind: type_vote}
            shown[key] = {full: form_vote}
            continue
        tally[kind] = tally.get(kind, 0) + type_vote
        forms = shown[key]
        forms[full] = forms.get(full, 0) + form_vote
    entity = {}
    for key, tally in votes.items():  # max: ties go to the first type or form seen
        forms = shown[key]
        entity[key] = (
            max(tally, key=tally.get) if len(tally) > 1 else next(iter(tally)),
            _PREFERRED.get(key) or (max(forms, key=forms.get) if len(forms) > 1 else next(iter(forms))),
        )
    if lexicon is not None:
        addressed = None
        for key, (kind, name) in entity.items():
            if kind == "PER" and " " not in name and not (lexicon.get(name.lower()) or (0,))[0]:
                if addressed is None:
                    addressed = {
                        key
                        for key, (start, _, _) in zip(keys, spans)
                        # the honorific's last letter or its full stop, then a space, must come just before
                        if plain[start - 2 : start] in _HONORIFIC_ENDS
                        and _HONORIFIC.search(plain, max(0, start - 6), start)
                    }
                if key not in addressed:
                    stats = lexicon.get(name.lower())
                    common = stats is not None and not any(stats[:4]) and stats[4] + stats[5] >= 5
                    entity[key] = (None if common else "ORG", name)
    if lexicon is not None:
        for key, (kind, name) in entity.items():
            if kind == "PER" and " " in name and (other := _type_of_last_word(name, lexicon)):
                entity[key] = (other, name)
    for key, (kind, name) in entity.items():
        if kind in ("PER", "LOC") and name[:1].islower():  # xAI, eBay: no person or place is written so
            entity[key] = ("ORG", name)
    return [
        _mention(start, end, text[start:end], *entity[key])
        for key, (start, end, _) in zip(keys, spans)
        if entity[key][0] is not None
    ]


def _type_of_last_word(name: str, lexicon: dict) -> str | None:
    """The type a "person" has if its last word never ends a person's name in eng.train but does
    end others: "Hughes Tool Co", "Reagan Administration" and "Wall Street" name no one."""
    stats = lexicon.get(normal_form(name.rsplit(" ", 1)[1]))
    if not stats or stats[0] or not any(stats[1:4]):
        return None
    return max(("ORG", "LOC", "MISC"), key=lambda kind: stats[TYPES.index(kind)])


def _mention_maker():
    """A function making a Mention, as fast as can be: a frozen dataclass's __init__ sets each field
    through object.__setattr__; writing the slots directly does the same in half the time. Only while
    Mention is exactly these five slots with nothing run after __init__; else its own constructor."""
    names = ("start", "end", "text", "type", "name")
    try:
        if tuple(f.name for f in dataclasses.fields(Mention)) != names or hasattr(Mention, "__post_init__"):
            return Mention
        setters = [Mention.__dict__[name].__set__ for name in names]
    except (TypeError, KeyError, AttributeError):
        return Mention
    new = object.__new__
    set_start, set_end, set_text, set_type, set_name = setters

    def make(start: int, end: int, text: str, kind: str, name: str) -> Mention:
        mention = new(Mention)
        set_start(mention, start)
        set_end(mention, end)
        set_text(mention, text)
        set_type(mention, kind)
        set_name(mention, name)
        return mention

    return make


_mention = _mention_maker()
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sir|Dame|Lord|Lady)\.? \Z")
_HONORIFIC_ENDS = frozenset(("r ", "s ", "e ", "d ", "y ", ". "))


_SHORTER_FORMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _shorter_forms(surface: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The forms that may stand for ``surface`` in an article (memoised): its leading words and the
    initials of its capitalised words; then the same with a person's final words."""
    words = surface.split()
    if len(words) < 2:
        forms: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    else:
        short = {" ".join(words[:k]) for k in range(1, len(words))}
        initials = _initials(words)
        if len(initials) > 1:
            short.add(initials)
        person = short | {" ".join(words[-k:]) for k in range(1, len(words))}
        forms = (tuple(short), tuple(person))
    if len(_SHORTER_FORMS) > 100_000:  # bound the memory of a long-running process
        _SHORTER_FORMS.clear()
    _SHORTER_FORMS[surface] = forms
    return forms


def _short_forms(kinds: dict[str, str]) -> dict[str, str]:
    """Surface -> the longer name it abbreviates in this article, when exactly one fits.

    A prefix (``Scale`` of ``Scale AI``), a person's final words (``Wang`` of
    ``Alexandr Wang``), or an all-caps acronym of the capitalised words.
    """
    expansions: dict[str, list[str]] = {}
    used = kinds.keys()
    for surface, kind in kinds.items():
        forms = _SHORTER_FORMS.get(surface)
        if forms is None:
            forms = _shorter_forms(surface)
        if forms[0]:  # a name of one word has no shorter form
            for form in used & forms[kind == "PER"]:  # only forms the article uses
                expansions.setdefault(form, []).append(surface)
    full_of = {}
    for surface, candidates in expansions.items():
        if " " not in surface and surface.isupper() is False and surface == _initials(candidates[0].split()):
            continue  # "Bc" is no acronym
        longest = max(candidates, key=len)
        if all(c in longest for c in candidates):
            full_of[surface] = longest
    shouted = [surface for surface in kinds if len(surface) > 3 and surface.isupper() and surface not in full_of]
    if shouted:
        full_of.update(_shouted_forms(shouted, kinds, full_of))
    return full_of


def _shouted_forms(shouted: list[str], kinds: dict[str, str], full_of: dict[str, str]) -> dict[str, str]:
    """An ALL CAPS headline's people -> the people the body names, when exactly one fits: "BAKER"
    is the body's "James Baker". Only people: a caps dateline "WARSAW" is no "Warsaw Stock Exchange"."""
    spoken_forms: dict[str, set[str]] = {}
    for surface, kind in kinds.items():
        if kind == "PER" and not surface.isupper():
            forms = _SHORTER_FORMS.get(surface) or _shorter_forms(surface)
            for form in forms[1]:  # a person's shorter forms: leading and final words, initials
                spoken_forms.setdefault(form.upper(), set()).add(full_of.get(surface, surface))
    return {
        surface: names.pop()
        for surface in shouted
        if kinds[surface] == "PER" and len(names := spoken_forms.get(surface, ())) == 1
    }


# --- optional spaCy backend ------------------------------------------------------------
# Opt-in: TIMELINE_SPACY_MODEL=en_core_web_sm (any installed pipeline) makes find_mentions use
# spaCy's entities instead of the built-in tagger, with the same names and types. Not the
# default: a pipeline is some 20 times slower, and spaCy small scores lower on held-out news.

SPACY_MODEL_VARIABLE = "TIMELINE_SPACY_MODEL"
_SPACY_TYPES = dict.fromkeys(("PERSON", "PER"), "PER") | {"ORG": "ORG"} | dict.fromkeys(("GPE", "LOC", "FAC"), "LOC")
_SPACY_TYPES |= dict.fromkeys(("NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "MISC"), "MISC")
_LEADING_THE = re.compile(r"(?:the|The|THE)\s+")
_TRAILING_POSSESSIVE = re.compile(r"\s*['’][sS]?\Z")
_spacy_nlp: list = []  # [] not yet looked for; [None] none configured or loadable; [nlp]


def _spacy_pipeline():
    if not _spacy_nlp:
        name = os.environ.get(SPACY_MODEL_VARIABLE, "").strip()
        nlp = None
        if name:
            try:
                import spacy

                nlp = spacy.load(name)
            except Exception as error:  # missing package or pipeline: say so, use the built-in tagger
                print(
                    f"timeline: {SPACY_MODEL_VARIABLE}={name} could not be loaded ({str(error).splitlines()[0]}); "
                    "using the built-in entity recogniser",
                    file=sys.stderr,
                )
                nlp = None
        _spacy_nlp.append(nlp)
    return _spacy_nlp[0]


def mentions_from_spacy(text: str, doc) -> list[Mention]:
    """Mentions from a spaCy ``Doc`` of ``text``: its name entities, typed PER/ORG/LOC/MISC and
    named as find_mentions names them (dates, amounts and other labels are dropped)."""
    spans: list[tuple[int, int, str]] = []
    taken = 0
    for entity in doc.ents:
        kind = _SPACY_TYPES.get(entity.label_)
        if kind is None:
            continue
        start, end = entity.start_char, entity.end_char
        lead = _LEADING_THE.match(text, start, end)
        if lead:
            start = lead.end()
        possessive = _TRAILING_POSSESSIVE.search(text[start:end])
        if possessive:
            end = start + possessive.start()
        if start < end and start >= taken:
            spans.append((start, end, kind))
            taken = end
    return _resolve_names(text, straight(text), spans)

