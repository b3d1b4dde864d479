"""CoNLL-2003 files read into plain-text documents with character-offset entity spans.

The model builder and the scorer both see a document exactly the way
``find_mentions`` will: tokens joined by single spaces, sentences by newlines.
Nothing here is needed at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    spans: tuple[tuple[int, int, str], ...]  # (start, end, type), sorted by start


def read_documents(path: str | Path) -> list[Document]:
    """Every document of a CoNLL-2003 file (word ... tag per line, IOB1 tags)."""
    documents: list[Document] = []
    sentences: list[list[tuple[str, str]]] = []
    sentence: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            fields = line.split()
            if not fields:
                if sentence:
                    sentences.append(sentence)
                    sentence = []
            elif fields[0] == "-DOCSTART-":
                if sentence:
                    sentences.append(sentence)
                    sentence = []
                if sentences:
                    documents.append(_document(sentences))
                    sentences = []
            else:
                sentence.append((fields[0], fields[-1]))
    if sentence:
        sentences.append(sentence)
    if sentences:
        documents.append(_document(sentences))
    return documents


def _document(sentences: list[list[tuple[str, str]]]) -> Document:
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    offset = 0
    for number, sentence in enumerate(sentences):
        if number:
            parts.append("\n")
            offset += 1
        open_span: list | None = None  # [start, end, type]
        for position, (word, tag) in enumerate(sentence):
            if position:
                parts.append(" ")
                offset += 1
            start, end = offset, offset + len(word)
            parts.append(word)
            offset = end
            if tag == "O":
                open_span = _close(open_span, spans)
                continue
            prefix, kind = tag.split("-", 1)
            if open_span and open_span[2] == kind and prefix == "I":
                open_span[1] = end
            else:
                _close(open_span, spans)
                open_span = [start, end, kind]
        _close(open_span, spans)
    return Document("".join(parts), tuple(spans))


def _close(open_span: list | None, spans: list[tuple[int, int, str]]) -> None:
    if open_span:
        spans.append((open_span[0], open_span[1], open_span[2]))
    return None
