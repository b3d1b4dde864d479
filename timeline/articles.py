"""Reading articles: Markdown or plain text with front matter, and JSON Lines.

``read(paths)`` yields an :class:`Article` for every good article and a
:class:`Problem` (a one-line reason naming the file and line) for everything
it had to pass over, so a caller can index what is good and report the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from markdown_it import MarkdownIt

from .model import Article

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
KNOWN_SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES | JSONL_SUFFIXES
FALLBACK_ENCODING = "cp1252"  # what mis-saved news text nearly always is; latin-1 if even that fails

_markdown = MarkdownIt("commonmark")
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that could not be indexed, or was indexed with a caveat."""

    path: str
    reason: str
    line: int | None = None
    fatal: bool = True  # False: the article was indexed anyway (a warning)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


def read(paths: Iterable[str | os.PathLike]) -> Iterator[Article | Problem]:
    """Every article in the given files and directories (read recursively)."""
    seen_ids: set[str] = set()
    for path in paths:
        for item in _read_path(Path(path)):
            if isinstance(item, Article):
                if item.id in seen_ids:
                    yield Problem(item.path or item.id, f"duplicate article id {item.id!r}, kept the first")
                    continue
                seen_ids.add(item.id)
            yield item


def files_under(root: Path) -> Iterator[Path]:
    """Article files below a directory, in a stable order, each real file once (no symlink loops)."""
    seen: set[tuple[int, int]] = set()
    for folder, dirs, names in os.walk(root, followlinks=True):
        stat = os.stat(folder)
        if (stat.st_dev, stat.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and Path(name).suffix.lower() in KNOWN_SUFFIXES:
                yield Path(folder, name)


def _read_path(path: Path) -> Iterator[Article | Problem]:
    if path.is_dir():
        for file in files_under(path):
            yield from _read_file(file)
    elif path.exists():
        yield from _read_file(path)
    else:
        yield Problem(str(path), "no such file or directory")


def _read_file(path: Path) -> Iterator[Article | Problem]:
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Problem(str(path), f"cannot read: {error.strerror or error}")
        return
    if b"\x00" in data[:8192]:
        yield Problem(str(path), "binary file, not text")
        return
    text, encoding = decode(data)
    if encoding != "utf-8":
        yield Problem(str(path), f"not UTF-8, read as {encoding}", fatal=False)
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _read_jsonl(path, text)
    else:
        yield from _read_document(path, text)


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 (BOM allowed), else cp1252, else latin-1."""
    for encoding in ("utf-8-sig", FALLBACK_ENCODING):
        try:
            return data.decode(encoding), encoding.removesuffix("-sig")
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _read_document(path: Path, text: str) -> Iterator[Article | Problem]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body, trouble = split_front_matter(text)
    if trouble:
        yield Problem(str(path), trouble, fatal=False)
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        body = markdown_to_text(body)
    yield from _article(
        path=path,
        article_id=str(path.resolve()),
        fields=meta,
        body=body,
        line=None,
    )


def _read_jsonl(path: Path, text: str) -> Iterator[Article | Problem]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield Problem(str(path), f"not valid JSON ({error.msg})", line=number)
            continue
        if not isinstance(record, dict):
            yield Problem(str(path), "a JSON line must be an object", line=number)
            continue
        body = record.get("text")
        if not isinstance(body, str):
            yield Problem(str(path), "no \"text\" string", line=number)
            continue
        fields = {k: v for k, v in record.items() if k != "text"}
        article_id = _text_field(fields.get("id")) or f"{path.resolve()}#{number}"
        yield from _article(path=path, article_id=article_id, fields=fields, body=body, line=number)


def _article(
    *, path: Path, article_id: str, fields: dict, body: str, line: int | None
) -> Iterator[Article | Problem]:
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    title = _text_field(fields.get("title"))
    if not body.strip() and not title:
        yield Problem(str(path), "empty article, nothing to index", line=line)
        return
    if not title:
        title = first_line(body)
    published, guessed, trouble = _publication_date(path, fields)
    if trouble:
        yield Problem(str(path), trouble, line=line, fatal=False)
    yield Article(
        id=article_id,
        title=title,
        text=with_headline(title, body),
        published=published,
        published_guessed=guessed,
        source=_text_field(fields.get("source")),
        url=_text_field(fields.get("url")),
        path=str(path.resolve()) + (f"#{line}" if line else ""),
    )


def _publication_date(path: Path, fields: dict) -> tuple[dt.date, bool, str | None]:
    """The date the article was published, whether it is a guess, and what went wrong."""
    raw = fields.get("published", fields.get("date"))
    if raw is not None:
        parsed = parse_date(raw)
        if parsed is not None:
            return parsed, False, None
        trouble = f"publication date {str(raw)[:40]!r} is not a date; using the file's time as a guess"
    else:
        trouble = "no publication date; using the file's time as a guess"
    try:
        guess = dt.date.fromtimestamp(path.stat().st_mtime)
    except (OSError, ValueError, OverflowError):
        guess = dt.date.today()
    return guess, True, trouble


def parse_date(raw: object) -> dt.date | None:
    """A calendar date from ISO text (``2025-06-14``, ``2025-06-14T10:00Z``) or other written forms."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 64:
        return None
    raw = raw.strip()
    iso = _ISO_DATE.match(raw)
    if iso:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    import dateparser  # slow to import; only reached for unusual forms

    parsed = dateparser.parse(raw, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


def split_front_matter(text: str) -> tuple[dict[str, str], str, str | None]:
    """Front matter fields, the body, and a reason when the front matter was unusable.

    Front matter is the flat ``key: value`` form between ``---`` lines at the top
    (values may be quoted). A block that never closes is left in the body.
    """
    if not text.startswith("---\n"):
        return {}, text, None
    closing = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
    if closing is None:
        return {}, text, "front matter is never closed; read the whole file as the article"
    block = text[4 : 4 + closing.start()]
    body = text[4 + closing.end() :].lstrip("\n")
    fields: dict[str, str] = {}
    bad = 0
    for raw_line in block.splitlines():
        if not raw_line.strip() or raw_line.lstrip().startswith("#"):
            continue
        match = _FRONT_MATTER_LINE.match(raw_line)
        if match is None:
            bad += 1
            continue
        fields[match[1].lower()] = _unquote(match[2])
    trouble = f"{bad} front matter line(s) are not 'key: value' and were ignored" if bad else None
    return fields, body, trouble


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _text_field(value: object) -> str | None:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        return text or None
    return None


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())
    return ""


def with_headline(title: str, body: str) -> str:
    """The article text, starting with its headline: the title is put on top unless the body opens with it."""
    if _same_words(first_line(body), title):
        return body
    return f"{title}\n\n{body}" if body else title


def _same_words(a: str, b: str) -> bool:
    return a.strip("# ").casefold().split() == b.strip("# ").casefold().split()


def markdown_to_text(source: str) -> str:
    """The prose of a Markdown document: one line per soft line break, a blank line between blocks.

    Markup (links, emphasis, headings, HTML) is dropped; link and image text stays.
    """
    blocks: list[str] = []
    for token in _markdown.parse(source):
        if token.type == "inline":
            blocks.append(_inline_text(token.children or []))
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
    return "\n\n".join(block for block in blocks if block.strip())


def _inline_text(children) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
    return "".join(parts)
