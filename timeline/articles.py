"""Reading articles: Markdown or plain text with front matter, and JSON Lines.

``read(paths)`` yields an :class:`Article` for every good article and a
:class:`Problem` (a one-line reason naming the file and line) for everything
it had to pass over, so a caller can index what is good and report the rest.
Nothing a file holds can make it raise: every file is one of the two.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Sequence

from .model import Article

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
KNOWN_SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES | JSONL_SUFFIXES
FALLBACK_ENCODING = "cp1252"  # what mis-saved news text nearly always is; latin-1 if even that fails
# The longest news articles are a few hundred kilobytes; tagging runs at roughly
# 200 KB a second, so a bigger "article" is a dump or a mistake that would stall indexing.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
_SNIFF_BYTES = 8192
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # Windows' "Unicode" text files

_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_BLOCK_SCALAR = re.compile(r"^[|>][+-]?\d?$")  # YAML's `key: |` and `key: >`: the value is on the lines below
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")  # NUL and lone surrogates: SQLite cannot hold them as text
_TEXT_FIELDS = ("title", "source", "url")


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


@dataclass(frozen=True, slots=True)
class FileRead:
    """Every article of a file was read: its identity as it was when opened."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class FileUnchanged:
    """A file left unread because it is as it was when its articles were last stored."""

    path: str
    article_ids: Sequence[str]


# Asked of each file before reading it: the ids of its stored articles if it is unchanged, else None.
UnchangedCheck = Callable[[str, os.stat_result], Sequence[str] | None]


class _Skip(Exception):
    """A file that cannot be read as articles at all; the message is the reason."""


def read(paths: Iterable[str | os.PathLike], unchanged: UnchangedCheck | None = None) -> Iterator:
    """Every article (and Problem) in the given files and directories (read recursively).

    A file reached twice (named twice, or through a symlink) is read once. With
    ``unchanged``, a file it names unchanged is not read (a FileUnchanged stands for
    it), and each file read to the end is followed by a FileRead.
    """
    seen_ids: set[str] = set()
    files_read: set[str] = set()
    for path in paths:
        for item in _read_path(Path(path), files_read, unchanged):
            if isinstance(item, FileUnchanged):
                seen_ids.update(item.article_ids)
            elif isinstance(item, Article):
                if item.id in seen_ids:
                    file, line = split_location(item.path or item.id)
                    yield Problem(file, f"duplicate article id {item.id!r}, kept the first", line=line)
                    continue
                seen_ids.add(item.id)
            yield item


def split_location(location: str) -> tuple[str, int | None]:
    """An article's stored path (``file`` or ``file#line``) as file and line."""
    file, _, line = location.partition("#")
    return file, int(line) if line.isdigit() else None


def real_path(path: Path) -> str:
    """The absolute path with symlinks resolved; never raises (a symlink loop stays as it is)."""
    return os.path.realpath(path)


def files_under(root: Path) -> Iterator[Path]:
    """Article files below a directory, in a stable order, each real folder visited once."""
    for item in walk(root):
        if isinstance(item, Path):
            yield item


def walk(root: Path) -> Iterator[Path | Problem]:
    """Article files below a directory, and a Problem for every folder that could not be listed.

    Symlinks are followed but each real folder is visited once, so symlink loops end.
    """
    errors: list[OSError] = []
    seen: set[tuple[int, int]] = set()
    for folder, dirs, names in os.walk(root, followlinks=True, onerror=errors.append):
        yield from _folder_problems(errors)
        try:
            identity = os.stat(folder)
        except OSError as error:
            yield Problem(folder, f"cannot read folder: {error.strerror or error}")
            dirs[:] = []
            continue
        if (identity.st_dev, identity.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((identity.st_dev, identity.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and Path(name).suffix.lower() in KNOWN_SUFFIXES:
                yield Path(folder, name)
    yield from _folder_problems(errors)


def _folder_problems(errors: list[OSError]) -> Iterator[Problem]:
    while errors:
        error = errors.pop(0)
        yield Problem(str(error.filename), f"cannot read folder: {error.strerror or error}")


def _read_path(path: Path, files_read: set[str], unchanged: UnchangedCheck | None) -> Iterator:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            yield Problem(str(path), "broken symbolic link")
        else:
            yield Problem(str(path), "no such file or directory")
        return
    except OSError as error:  # a symlink loop, a folder we may not enter...
        yield Problem(str(path), f"cannot read: {error.strerror or error}")
        return
    if stat.S_ISDIR(mode):
        for item in walk(path):
            yield from _read_file(item, files_read, unchanged) if isinstance(item, Path) else (item,)
    else:
        yield from _read_file(path, files_read, unchanged)


def _read_file(path: Path, files_read: set[str], unchanged: UnchangedCheck | None) -> Iterator:
    identity = real_path(path)
    if identity in files_read:
        return
    files_read.add(identity)
    if unchanged is not None:
        stored_ids = _if_unchanged(identity, unchanged)
        if stored_ids is not None:
            yield FileUnchanged(identity, stored_ids)
            return
    try:
        with _open_regular_file(path) as stream:
            opened = os.fstat(stream.fileno())
            if path.suffix.lower() in JSONL_SUFFIXES:
                yield from _read_jsonl(path, stream)
            else:
                yield from _read_document(path, _document_bytes(stream))
        if unchanged is not None:
            yield FileRead(identity, opened.st_size, opened.st_mtime_ns)
    except _Skip as skip:
        yield Problem(str(path), str(skip))
    except OSError as error:
        yield Problem(str(path), f"cannot read: {error.strerror or error}")


def _if_unchanged(identity: str, unchanged: UnchangedCheck) -> Sequence[str] | None:
    try:
        status = os.stat(identity)
    except OSError:
        return None  # reading it will say what is wrong
    return unchanged(identity, status) if stat.S_ISREG(status.st_mode) else None


def _open_regular_file(path: Path) -> BinaryIO:
    """The file opened for reading; anything but a regular file (a FIFO that would block
    forever, a device, a folder) is refused without reading from it."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _Skip(f"not a regular file ({_kind_of(mode)})")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _kind_of(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
    return next((name for test, name in kinds if test(mode)), "a special file")


def _document_bytes(stream: BinaryIO) -> bytes:
    data = stream.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        size = max(os.fstat(stream.fileno()).st_size, len(data))
        raise _Skip(f"too large for an article ({_megabytes(size)}; the limit is {_megabytes(MAX_ARTICLE_BYTES)})")
    if b"\x00" in data and not data.startswith(_UTF16_BOMS):
        raise _Skip("binary file, not text")
    return data


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 (BOM allowed), UTF-16 with its BOM,
    else cp1252, else latin-1."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", FALLBACK_ENCODING):
        try:
            return data.decode(encoding), encoding.removesuffix("-sig")
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _read_document(path: Path, data: bytes) -> Iterator[Article | Problem]:
    text, encoding = decode(data)
    if encoding != "utf-8":
        yield Problem(str(path), f"not UTF-8, read as {encoding}", fatal=False)
    text, replaced = _storable(text.replace("\r\n", "\n").replace("\r", "\n"))
    if replaced:
        yield Problem(str(path), f"{replaced} character(s) that cannot be stored (NUL, lone surrogates) "
                      "replaced by \ufffd", fatal=False)
    meta, body, trouble = split_front_matter(text)
    if trouble:
        yield Problem(str(path), trouble, fatal=False)
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        body = markdown_to_text(body)
    where = real_path(path)
    yield from _article(path=path, where=where, article_id=where, fields=meta, body=body, line=None)


def _read_jsonl(path: Path, stream: BinaryIO) -> Iterator[Article | Problem]:
    head = stream.read(_SNIFF_BYTES)
    if head.startswith(_UTF16_BOMS):
        raise _Skip("UTF-16 text; JSON Lines must be UTF-8 (save the file as UTF-8)")
    if b"\x00" in head:
        raise _Skip("binary file, not text")
    stream.seek(0)
    where = real_path(path)  # once per file: resolving it per line cost more than parsing the JSON
    found_any = warned_encoding = False
    for number, raw in _numbered_lines(stream):
        if raw is None:
            found_any = True
            yield Problem(str(path), f"line too long for an article (over {_megabytes(MAX_ARTICLE_BYTES)})", line=number)
            continue
        line, encoding = decode(raw)
        if not line.strip():
            continue
        found_any = True
        if encoding != "utf-8" and not warned_encoding:
            warned_encoding = True
            yield Problem(str(path), f"not UTF-8, read as {encoding} (this line and any later such lines)",
                          line=number, fatal=False)
        yield from _jsonl_article(path, where, line, number)
    if not found_any:
        yield Problem(str(path), "empty file, nothing to index")


def _numbered_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """Each line of a stream with its number; None for a line too long to be an article,
    which is skipped without holding it in memory."""
    number = 0
    while raw := stream.readline(MAX_ARTICLE_BYTES + 1):
        number += 1
        if len(raw) > MAX_ARTICLE_BYTES and not raw.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, raw


def _jsonl_article(path: Path, where: str, line: str, number: int) -> Iterator[Article | Problem]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        yield Problem(str(path), f"not valid JSON ({error.msg})", line=number)
        return
    except (ValueError, RecursionError):  # a number too long to convert, nesting too deep
        yield Problem(str(path), "not valid JSON (too deeply nested or a number too long)", line=number)
        return
    if not isinstance(record, dict):
        yield Problem(str(path), "a JSON line must be an object", line=number)
        return
    body = record.get("text")
    if not isinstance(body, str):
        yield Problem(str(path), f"no \"text\" string ({_json_kind(body)})", line=number)
        return
    fields = {k: v for k, v in record.items() if k != "text"}
    for key in ("id", *_TEXT_FIELDS):
        value = fields.get(key)
        if value is not None and not _is_scalar(value):
            instead = "used the file and line instead" if key == "id" else "ignored"
            yield Problem(str(path), f"\"{key}\" is {_json_kind(value)}, not text; {instead}", line=number, fatal=False)
    body, replaced = _storable(body)
    if replaced:
        yield Problem(str(path), f"{replaced} character(s) that cannot be stored (NUL, lone surrogates) "
                      "replaced by \ufffd", line=number, fatal=False)
    article_id = _text_field(fields.get("id")) or f"{where}#{number}"
    yield from _article(path=path, where=where, article_id=article_id, fields=fields, body=body, line=number)


def _json_kind(value: object) -> str:
    if value is None:
        return "missing or null"
    kinds = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object", str: "text"}
    return kinds.get(type(value), type(value).__name__)


def _storable(text: str) -> tuple[str, int]:
    """text with every character SQLite cannot store as text replaced by U+FFFD, and how many there were."""
    return _UNSTORABLE.subn("\ufffd", text)


def _article(
    *, path: Path, where: str, article_id: str, fields: dict, body: str, line: int | None
) -> Iterator[Article | Problem]:
    """where: the file's real path, as articles.path records it."""
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()  # so the text begins with its headline
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
        path=where + (f"#{line}" if line else ""),
    )


def _publication_date(path: Path, fields: dict) -> tuple[dt.date, bool, str | None]:
    """The date the article was published, whether it is a guess, and what went wrong."""
    raw = fields.get("published")
    if raw is None or raw == "":
        raw = fields.get("date")
    if raw is not None and raw != "":
        parsed = parse_date(raw)
        if parsed is not None:
            return parsed, False, None
        shown = _storable(" ".join(str(raw).split()))[0][:40]
        trouble = f"publication date {shown!r} is not a date; using the file's time as a guess"
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
    if not re.search(r"\d", raw):
        return None  # every written date with day, month and year has a number in it
    import dateparser  # slow to import; only reached for unusual forms

    try:
        parsed = dateparser.parse(raw, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
    except Exception:  # dateparser raises on some odd inputs (overflowing numbers, stray unicode)
        return None
    return parsed.date() if parsed else None


def split_front_matter(text: str) -> tuple[dict[str, str], str, str | None]:
    """Front matter fields, the body, and a reason when the front matter was (partly) unusable.

    Front matter is the flat ``key: value`` form between ``---`` lines at the top
    (values may be quoted; an indented line continues the value above it). A
    block that never closes is left in the body; a list or mapping where text
    belongs is ignored.
    """
    if not text.startswith("---\n"):
        return {}, text, None
    closing = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
    if closing is None:
        return {}, text, "front matter is never closed; read the whole file as the article"
    block = text[4 : 4 + closing.start()]
    body = text[4 + closing.end() :].lstrip("\n")
    fields, troubles = _front_matter_fields(block)
    return fields, body, "; ".join(troubles) or None


def _front_matter_fields(block: str) -> tuple[dict[str, str], list[str]]:
    raw: dict[str, list[str]] = {}
    key = None
    bad = 0
    for line in block.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t" and key is not None:
            raw[key].append(line.strip())
            continue
        match = _FRONT_MATTER_LINE.match(line)
        if match is None:
            bad += 1
            key = None
            continue
        key = match[1].lower()
        raw[key] = [] if _BLOCK_SCALAR.match(match[2]) else [match[2]]
    troubles = [f"{bad} front matter line(s) are not 'key: value' and were ignored"] if bad else []
    fields: dict[str, str] = {}
    for key, parts in raw.items():
        value = " ".join(part for part in parts if part)
        kind = _collection_kind(value)
        if kind:
            troubles.append(f"front matter {key!r} is {kind}, not text; ignored")
            continue
        fields[key] = _unquote(value)
    return fields, troubles


def _collection_kind(value: str) -> str | None:
    """'a list' or 'a mapping' for a YAML flow collection like [1, 2] or {a: 1}."""
    if value.startswith("[") and value.endswith("]"):
        return "a list"
    if value.startswith("{") and value.endswith("}"):
        return "a mapping"
    return None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _is_scalar(value: object) -> bool:
    """Text or a number: what a field like a title or an id can be read from."""
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _text_field(value: object) -> str | None:
    if _is_scalar(value):
        text = " ".join(_storable(str(value))[0].split())
        return text or None
    return None


def first_line(text: str) -> str:
    for line in text.split("\n"):
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


@functools.cache
def _markdown_parser():
    """The CommonMark parser, loaded on first use: `timeline tag` only needs this module's dates."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def markdown_to_text(source: str) -> str:
    """The prose of a Markdown document: one line per soft line break, a blank line between blocks.

    Markup (links, emphasis, headings, HTML) is dropped; link and image text stays.
    """
    blocks: list[str] = []
    for token in _markdown_parser().parse(source):
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
