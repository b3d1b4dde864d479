"""Reuters-21578 (the 22 ``reut2-*.sgm`` files) as timeline JSON Lines articles.

    python benchmarks/reuters_to_jsonl.py /work/shared/data/reuters21578 reuters.jsonl

Only stories with a BODY are kept (19,043 of 21,578). Each becomes
``{"id": "reuters-NEWID", "title", "published": "YYYY-MM-DD", "text", "source": "Reuters"}``.
The SGML is read as latin-1; character references (``&#3;``, ``&lt;``) are
decoded and control characters dropped. Hard-wrapped lines are joined back
into paragraphs (a Reuters paragraph starts with an indented line), because
the timeline reads a line break as the end of a sentence. DATE stamps are
sometimes malformed (``31-MAR-1987 605:12:19``); only the day part is used.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path
from typing import Iterator

_STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_NEWID = re.compile(r'NEWID="(\d+)"')
_DAY = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SIGN_OFF = re.compile(r"\s*\b(?:Reuter|REUTER)\s*$")
_MONTHS = {name: number for number, name in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)}


def element(name: str, story: str) -> str | None:
    """The decoded text inside the first <name>...</name> of a story, or None."""
    match = re.search(rf"<{name}>(.*?)</{name}>", story, re.S)
    return _CONTROL.sub("", html.unescape(match.group(1))) if match else None


def publication_day(stamp: str | None) -> str | None:
    """``26-FEB-1987 15:01:01.79`` (or a mangled time after the day) as ``1987-02-26``."""
    match = _DAY.search(stamp or "")
    if not match or match.group(2).upper() not in _MONTHS:
        return None
    return f"{match.group(3)}-{_MONTHS[match.group(2).upper()]:02d}-{int(match.group(1)):02d}"


def unwrap(body: str) -> str:
    """Hard-wrapped lines joined into paragraphs; an indented line starts a new one."""
    paragraphs: list[list[str]] = []
    for line in body.strip("\n").split("\n"):
        if not line.strip():
            paragraphs.append([])
        elif not paragraphs or line[:1].isspace():
            paragraphs.append([line.strip()])
        else:
            paragraphs[-1].append(line.strip())
    return "\n\n".join(" ".join(words) for words in paragraphs if words)


def stories(path: Path) -> Iterator[tuple[str, str]]:
    """(NEWID, inner SGML) of every story in one file."""
    for match in _STORY.finditer(path.read_text(encoding="latin-1")):
        newid = _NEWID.search(match.group(1))
        if newid:
            yield newid.group(1), match.group(2)


def article(newid: str, story: str) -> dict | None:
    """A JSON Lines record for a story with a body; None for the rest."""
    body = element("BODY", story)
    if body is None:
        return None
    text = _SIGN_OFF.sub("", unwrap(body))
    title = " ".join((element("TITLE", story) or "").split()) or text.split("\n", 1)[0][:80]
    return {
        "id": f"reuters-{newid}",
        "title": title,
        "published": publication_day(element("DATE", story)),
        "text": text,
        "source": "Reuters",
    }


def convert(source: Path, target: Path) -> dict[str, int]:
    counts = {"files": 0, "stories": 0, "articles": 0, "no_body": 0, "no_date": 0}
    with target.open("w", encoding="utf-8") as out:
        for path in sorted(source.glob("reut2-*.sgm")):
            counts["files"] += 1
            for newid, story in stories(path):
                counts["stories"] += 1
                record = article(newid, story)
                if record is None:
                    counts["no_body"] += 1
                    continue
                counts["articles"] += 1
                counts["no_date"] += record["published"] is None
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="folder holding reut2-*.sgm")
    parser.add_argument("target", type=Path, help="JSON Lines file to write")
    args = parser.parse_args(argv)
    counts = convert(args.source, args.target)
    if not counts["files"]:
        print(f"no reut2-*.sgm files in {args.source}", file=sys.stderr)
        return 1
    print(f"{counts['files']} files, {counts['stories']} stories, {counts['articles']} articles with a body "
          f"written to {args.target} ({counts['no_body']} without a body skipped, "
          f"{counts['no_date']} without a readable date)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
