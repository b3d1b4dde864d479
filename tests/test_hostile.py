"""Nothing lost, nothing injected: hostile files, text and databases, end to end.

tests/fixtures/hostile/ holds the files that can be committed; the rest (a
50 MB article, named pipes, symlink loops, unreadable files, a 100,000-character
line) is made here, in tmp_path.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from timeline import articles
from timeline.articles import Article, Problem, read
from timeline.cli import cli
from timeline.store import SCHEMA_VERSION, Store

from .conftest import write_article

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"

# Articles each fixture file yields.
ARTICLES = {
    "bom-crlf.md": 1, "controls.txt": 1, "cp1252.txt": 1, "latin1.txt": 1, "injection.txt": 1, "markup.md": 1,
    "date-impossible.md": 1, "date-year-zero.md": 1, "date-year-10000.md": 1,
    "frontmatter-folded.md": 1, "frontmatter-malformed.md": 1, "frontmatter-unclosed.md": 1,
    "frontmatter-wrong-types.md": 1, "feed.jsonl": 8, "utf16.txt": 1,
}
# (file, line, skipped?, part of the reason): every problem the fixture corpus has, and nothing else.
PROBLEMS = [
    ("binary.txt", None, True, "binary file, not text"),
    ("blank.txt", None, True, "empty article"),
    ("empty.md", None, True, "empty article"),
    ("empty.jsonl", None, True, "empty file"),
    ("markdown-only-markup.md", None, True, "empty article"),
    ("cp1252.txt", None, False, "not UTF-8, read as cp1252"),
    ("latin1.txt", None, False, "not UTF-8, read as latin-1"),
    ("utf16.txt", None, False, "not UTF-8, read as UTF-16"),
    ("utf16.jsonl", None, True, "UTF-16 text; JSON Lines must be UTF-8"),
    ("date-impossible.md", None, False, "'2025-13-45' is not a date"),
    ("date-year-zero.md", None, False, "'0000-06-14' is not a date"),
    ("date-year-10000.md", None, False, "'10000-01-01' is not a date"),
    ("frontmatter-malformed.md", None, False, "2 front matter line(s) are not 'key: value'"),
    ("frontmatter-unclosed.md", None, False, "front matter is never closed"),
    ("frontmatter-unclosed.md", None, False, "no publication date"),
    ("frontmatter-wrong-types.md", None, False, "'title' is a list, not text; ignored; front matter 'source' is a mapping"),
    ("frontmatter-wrong-types.md", None, False, "'12' is not a date"),
    ("feed.jsonl", 2, True, "not valid JSON"),
    ("feed.jsonl", 3, False, '"source" is a list, not text'),
    ("feed.jsonl", 3, False, '"url" is an object, not text'),
    ("feed.jsonl", 4, True, 'no "text" string (a number)'),
    ("feed.jsonl", 5, True, "a JSON line must be an object"),
    ("feed.jsonl", 7, True, "duplicate article id 'feed-1'"),
    ("feed.jsonl", 8, False, '"id" is an object, not text; used the file and line instead'),
    ("feed.jsonl", 9, True, "a number too long"),
    ("feed.jsonl", 10, True, "too deeply nested"),
    ("feed.jsonl", 12, False, "2 character(s) that cannot be stored"),
    ("feed.jsonl", 13, False, "'2025-02-30' is not a date"),
    ("feed.jsonl", 14, False, "'20250614' is not a date"),
    ("feed.jsonl", 15, False, '"title" is a list, not text'),
    ("feed.jsonl", 17, True, "a JSON line must be an object"),
]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)]


@pytest.fixture
def corpus(tmp_path):
    """A copy of the fixture corpus that a test may add to."""
    folder = tmp_path / "corpus"
    shutil.copytree(HOSTILE, folder, symlinks=True)
    return folder


def stored_ids(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM articles")}


# --- reading -----------------------------------------------------------------


def test_every_fixture_file_yields_its_articles_and_names_its_problems():
    found, problems = split(read([HOSTILE]))
    per_file = {}
    for article in found:
        name = Path(article.path.split("#")[0]).name
        per_file[name] = per_file.get(name, 0) + 1
    assert per_file == ARTICLES
    assert sorted((Path(p.path).name, p.line, p.fatal) for p in problems) == sorted(
        (name, line, fatal) for name, line, fatal, _ in PROBLEMS)
    for name, line, fatal, reason in PROBLEMS:
        assert any(Path(p.path).name == name and p.line == line and reason in p.reason for p in problems), reason


def test_articles_from_hostile_files_are_complete_and_dated():
    found, _ = split(read([HOSTILE]))
    for article in found:
        assert article.text.strip() and article.title.strip() and article.published is not None
        assert "\x00" not in article.text and not any("\ud800" <= c <= "\udfff" for c in article.text)
    by_title = {a.title: a for a in found}
    assert by_title["Café owners “quoted” in 2024 — Acme Corp"].published.isoformat() == "2025-06-14"
    assert "Caf\u00e9" in by_title["Latin-1 text with \x81 a byte cp1252 lacks, in 2024: Café"].text
    assert by_title["A folded YAML title"].published.isoformat() == "2025-06-14"
    assert by_title["Wrong types headline"].source is None and by_title["Wrong types headline"].published_guessed
    separators = next(a for a in found if a.id == "feed-11")
    assert "\u2028 and \u2029" in separators.text  # one JSON line, not split at U+2028
    assert next(a for a in found if a.id == "feed-12").text.count("\ufffd") == 2
    assert by_title["A BOM and CRLF lines"].text == "A BOM and CRLF lines\n\nIn 2024 it still read fine."
    assert by_title["Saved by Notepad as Unicode"].text == "Saved by Notepad as Unicode\n\nIn 2024 Acme Corp used UTF-16."
    assert by_title["Year zero"].published_guessed and by_title["Impossible month"].published_guessed


def test_a_file_named_twice_or_reached_through_a_symlink_is_read_once(tmp_path):
    article = write_article(tmp_path, "a.md", "Once\n\nIn 2024 it happened.")
    (tmp_path / "sub").mkdir()
    os.symlink(article, tmp_path / "sub" / "link.md")
    found, problems = split(read([tmp_path, article, tmp_path / "sub"]))
    assert len(found) == 1 and problems == []


def test_special_files_huge_files_loops_and_missing_paths_are_named(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    write_article(folder, "good.md", "Good\n\nIn 2024 it happened.")
    big = folder / "big.md"
    with big.open("wb") as out:
        out.write(b"---\npublished: 2025-06-14\n---\n")
        out.write(b"In 2024 a very long article went on. " * (50 * 1024 * 1024 // 37))
    os.mkfifo(folder / "pipe.md")
    (folder / "folder.md").mkdir()
    write_article(folder / "folder.md", "inside.md", "Inside a folder named .md\n\nIn 2023 too.")
    os.symlink(folder, folder / "loop")
    os.symlink(folder / "nowhere.md", folder / "dangling.md")
    write_article(folder, "secret.md", "Secret\n\nIn 2022.")
    real_open = articles._open_regular_file

    def refuse_secret(path):
        if path.name == "secret.md":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(articles, "_open_regular_file", refuse_secret)
    found, problems = split(read([folder, tmp_path / "missing.md"]))
    assert sorted(a.title for a in found) == ["Good", "Inside a folder named .md"]
    reasons = {Path(p.path).name: p.reason for p in problems}
    assert reasons == {
        "big.md": "too large for an article (50.0 MB; the limit is 2.0 MB)",
        "pipe.md": "not a regular file (a named pipe)",
        "dangling.md": "cannot read: No such file or directory",
        "secret.md": "cannot read: Permission denied",
        "missing.md": "no such file or directory",
    }
    assert all(p.fatal for p in problems)


def test_a_jsonl_line_too_long_is_skipped_and_the_next_lines_read(tmp_path):
    feed = tmp_path / "feed.jsonl"
    huge = '{"id": "huge", "text": "' + "x" * (articles.MAX_ARTICLE_BYTES + 10) + '"}'
    feed.write_text(huge + '\n{"id": "after", "published": "2025-06-14", "text": "In 2024, after."}\n')
    found, [problem] = split(read([feed]))
    assert [a.id for a in found] == ["after"]
    assert problem.line == 1 and "line too long" in problem.reason


def test_a_folder_that_cannot_be_listed_is_named(tmp_path, monkeypatch):
    def walk_into_a_locked_folder(root, followlinks, onerror):
        onerror(PermissionError(13, "Permission denied", str(root / "locked")))
        yield str(root), [], []

    monkeypatch.setattr(articles.os, "walk", walk_into_a_locked_folder)
    [problem] = list(read([tmp_path]))
    assert str(problem) == f"{tmp_path / 'locked'}: cannot read folder: Permission denied"


def test_a_symlink_loop_file_is_named_and_indexing_goes_on(tmp_path):
    """A symlink loop given directly, or met in a folder, is a one-line problem for the reader."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_article(folder, "good.md", "Good\n\nIn 2024 it happened.")
    os.symlink(folder / "b.md", folder / "a.md")
    os.symlink(folder / "a.md", folder / "b.md")
    found, problems = split(read([folder, folder / "a.md"]))
    assert [a.title for a in found] == ["Good"]
    assert {(Path(p.path).name, p.reason) for p in problems} == {
        ("a.md", "cannot read: Too many levels of symbolic links"),
        ("b.md", "cannot read: Too many levels of symbolic links"),
    }


def test_indexing_goes_on_past_a_symlink_loop_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_article(folder, "good.md", "Good\n\nIn 2024 it happened.")
    os.symlink(folder / "b.md", folder / "a.md")
    os.symlink(folder / "a.md", folder / "b.md")
    result = CliRunner().invoke(cli, ["index", str(folder), "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 0 and "1 article(s) indexed" in result.output


# --- indexing through the CLI ---------------------------------------------------


def test_index_goes_on_past_every_hostile_file_one_line_each(corpus, tmp_path):
    db = tmp_path / "t.db"
    result = run("index", corpus, "--db", db)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    reports = [line for line in lines if line.startswith(("skipped ", "warning "))]
    assert len(reports) == len(PROBLEMS)
    for name, line, fatal, reason in PROBLEMS:
        where = f"{corpus / name}:{line}: " if line else f"{corpus / name}: "
        expected = ("skipped " if fatal else "warning ") + where
        assert any(r.startswith(expected) and reason in r for r in reports), expected + reason
    skipped = sum(fatal for *_, fatal, _ in PROBLEMS)
    assert lines[-1].startswith(f"{sum(ARTICLES.values())} article(s) indexed, ")
    assert f"{skipped} skipped, {len(PROBLEMS) - skipped} warning(s) → {db}" in lines[-1]
    good, _ = split(read([corpus]))
    assert stored_ids(db) == {a.id for a in good}


def test_strict_fails_and_nothing_indexable_fails(corpus, tmp_path):
    db = tmp_path / "t.db"
    strict = run("index", corpus, "--db", db, "--strict")
    assert strict.exit_code == 1 and "could not be indexed" in strict.output.splitlines()[-1]
    assert len(stored_ids(db)) == sum(ARTICLES.values())  # strict still indexes what is good
    nothing = run("index", corpus / "binary.txt", corpus / "empty.md", tmp_path / "missing", "--db", tmp_path / "n.db")
    assert nothing.exit_code == 1 and "3 file(s) or line(s) could not be indexed, nothing was" in nothing.output


def test_index_goes_on_past_special_files(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    write_article(folder, "good.md", "Good\n\nIn 2024 it happened.")
    os.mkfifo(folder / "pipe.md")
    (folder / "folder.md").mkdir()
    os.symlink(folder, folder / "loop")
    big = folder / "big.txt"
    big.write_bytes(b"x" * (articles.MAX_ARTICLE_BYTES + 1))
    result = run("index", folder, tmp_path / "missing.md", "--db", tmp_path / "t.db")
    assert result.exit_code == 0, result.output
    assert f"skipped {folder / 'pipe.md'}: not a regular file (a named pipe)" in result.output
    assert f"skipped {folder / 'big.txt'}: too large for an article" in result.output
    assert f"skipped {tmp_path / 'missing.md'}: no such file or directory" in result.output
    assert result.output.splitlines()[-1].startswith("1 article(s) indexed")


def test_problem_lines_cannot_break_the_line_or_the_terminal(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\x1b[2J\nname.md").write_bytes(b"\x00")
    write_article(folder, "good.md", "Good\n\nIn 2024 it happened.", published="\x1b]0;owned\x07")
    result = run("index", folder, "--db", tmp_path / "t.db")
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert any(line.startswith("skipped ") and line.endswith("name.md: binary file, not text")
               for line in result.output.splitlines())


# --- the database file ---------------------------------------------------------


def one_line_error(result, *parts):
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("Error: "), result.output
    for part in parts:
        assert part in result.output, result.output


@pytest.mark.parametrize("command", [["index", "{corpus}"], ["export"], ["browse"]])
def test_database_paths_that_cannot_work_are_one_line_errors(tmp_path, command):
    args = [part.format(corpus=HOSTILE / "markup.md") for part in command]
    not_db = tmp_path / "notes.db"
    not_db.write_bytes(b"These are my notes, not SQLite. " * 200)
    one_line_error(run(*args, "--db", not_db), str(not_db), "not a timeline database")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    one_line_error(run(*args, "--db", other), str(other), "not a timeline database (it has other tables)")
    one_line_error(run(*args, "--db", tmp_path), str(tmp_path), "is a directory")
    missing = tmp_path / "no" / "such" / "t.db"
    if command[0] == "index":
        one_line_error(run(*args, "--db", missing), f"{missing.parent}: folder does not exist")
    else:
        one_line_error(run(*args, "--db", missing), f"{missing}: no such database (run 'timeline index' first)")
    assert not (tmp_path / "notes.db.lock").exists() or command[0] == "index"
    assert not (tmp_path.parent / (tmp_path.name + ".lock")).exists()


def test_an_old_database_says_what_to_do(tmp_path):
    db = tmp_path / "old.db"
    with Store(db):
        pass
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    for args in (["index", HOSTILE / "markup.md"], ["export"]):
        one_line_error(run(*args, "--db", db), f"schema version 0, this timeline needs {SCHEMA_VERSION}",
                       "delete the file and index again")


def test_a_read_only_database_is_named_as_such(tmp_path, monkeypatch):
    """chmod cannot stop root, so the index command is handed the database opened read-only."""
    db = tmp_path / "t.db"
    run("index", HOSTILE / "markup.md", "--db", db)
    real_init = Store.__init__

    def read_only(self, path, *, create=True, read_only=False):
        real_init(self, path, create=create, read_only=True)

    monkeypatch.setattr(Store, "__init__", read_only)
    result = run("index", HOSTILE / "controls.txt", "--db", db)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"Error: {db}: the database is read-only"


def test_export_to_a_folder_that_does_not_exist_is_a_one_line_error(tmp_path):
    db = tmp_path / "t.db"
    run("index", HOSTILE / "markup.md", "--db", db)
    one_line_error(run("export", "--db", db, "-o", tmp_path / "nope" / "out.md"), "cannot write (No such file or directory)")


# --- search syntax ---------------------------------------------------------------

FTS_TRAPS = ['"unbalanced', "AND", "*", "NEAR(", "acme OR", "(corp", "col:acme", "-acme", "^acme", '""', "NOT", "a\"b'c", "\x00"]


@pytest.mark.parametrize("search", FTS_TRAPS)
def test_search_syntax_is_plain_words_in_export(tmp_path, search, indexed_hostile):
    result = run("export", "--db", indexed_hostile, "--search", search)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_search_words_around_fts_operators_still_match(indexed_hostile):
    result = run("export", "--db", indexed_hostile, "--search", 'acme AND "corp')
    bullets = [line for line in result.output.splitlines() if line.startswith("- ")]
    assert bullets and all("Acme Corp" in line for line in bullets)


@pytest.fixture(scope="module")
def indexed_hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "t.db"
    shutil.copytree(HOSTILE, folder / "corpus")
    result = CliRunner().invoke(cli, ["index", str(folder / "corpus"), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    return db


# --- export: nothing from an article becomes Markdown structure ------------------

GFM = MarkdownIt("gfm-like")


def test_exported_hostile_corpus_has_only_the_exports_own_structure(indexed_hostile, tmp_path):
    out = tmp_path / "out.md"
    result = run("export", "--db", indexed_hostile, "-o", out)
    assert result.exit_code == 0, result.output
    markdown = out.read_text(encoding="utf-8")
    tokens = GFM.parse(markdown)
    blocks = [t.type for t in tokens if t.nesting == 1]
    assert set(blocks) == {"heading_open", "paragraph_open", "bullet_list_open", "list_item_open"}
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == "Timeline"
    assert all(h.isdigit() or h.split()[-1].isdigit() for h in headings[1:]), headings
    inline_kinds = {c.type for t in tokens if t.type == "inline" for c in t.children or []}
    assert inline_kinds <= {"text", "softbreak", "strong_open", "strong_close", "em_open", "em_close",
                            "link_open", "link_close"}
    hrefs = {c.attrs["href"] for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "link_open"}
    assert hrefs == {"https://example.com/ok"}  # the one http(s) URL an article gave; javascript: never
    assert "\x1b" not in markdown and "\u202e" not in markdown and "\x00" not in markdown
    assert "Not a heading" in markdown and "<script>" not in markdown.replace("\\<script\\>", "")


# --- the app shows hostile text literally ----------------------------------------

MARKUP = "[bold red]Rich[/] [@click=app.quit]quit[/] [link=https://evil.example]link[/link]"
MARKUP_HEAD = MARKUP[:35]  # what a narrow pane shows before it cuts the line
ESCAPES = "\x1b[2J\x1b[31mred\x1b[0m \x07bell \u202eevil\u202c \u2066iso\u2069 \x9b31m"


def terminal_safe(text: str) -> bool:
    return not any(c in text for c in "\x1b\x07\x9b\u202e\u202c\u2066\u2069")


def timeline_lines(app) -> list[str]:
    view = app.timeline
    return [view.render_line(y).text for y in range(view.size.height)]


def rendered(app, selector: str) -> str:
    return str(app.query_one(selector).render())


@pytest.fixture
def hostile_store(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "h.txt", f"Headline {MARKUP}\n\nIn 2024 Acme Corp said {MARKUP} and {ESCAPES} too.",
                  title=f"Title {MARKUP}")
    with Store(tmp_path / "h.db") as store:
        from timeline.indexer import index

        index([folder], store)
        yield store


async def test_the_excerpt_pane_shows_markup_and_escapes_literally(hostile_store, tmp_path):
    from timeline.app import TimelineApp

    app = TimelineApp(hostile_store, export_dir=tmp_path, remember=False)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        lines = "\n".join(timeline_lines(app))
        assert MARKUP_HEAD in lines and terminal_safe(lines)
        for _ in range(3):
            excerpt = rendered(app, "#excerpt-text")
            if "In 2024 Acme Corp" in excerpt:
                break
            await pilot.press("down")
        assert f"In 2024 Acme Corp said {MARKUP} and ␛[2J␛[31mred␛[0m ␇bell" in excerpt
        assert f"Title {MARKUP}" in excerpt and terminal_safe(excerpt)
        await pilot.press("enter")
        article = "\n".join(str(w.render()) for w in app.screen.query(".article-paragraph"))
        assert MARKUP in article and terminal_safe(article)
        await pilot.press("escape")
        assert app.is_running  # [@click=app.quit] in the text never quit it


async def test_the_entity_list_shows_hostile_names_literally(tmp_path):
    from timeline.app import TimelineApp
    from timeline.model import Article, Event, Mention
    from timeline.screens import EntityFilterScreen

    name = f"{MARKUP} {ESCAPES}"
    text = "In 2024 something happened."
    with Store(tmp_path / "e.db") as store:
        article = Article("a", "A title", text, dt.date(2025, 6, 14))
        event = Event("a", "2024-01-01", "2024-12-31", "year", "2024", text, 0, len(text), "2024",
                      entities=(Mention(0, 2, "In", "ORG", name),))
        store.write([(article, "hash", [event])])
        store.refresh()  # entity counts and stories, as the indexer does after writing
        app = TimelineApp(store, export_dir=tmp_path, remember=False)
        async with app.run_test(size=(160, 30)) as pilot:
            await pilot.press("e")
            assert isinstance(app.screen, EntityFilterScreen)
            listing = app.screen.query_one("#entity-list")
            shown = "\n".join(listing.render_line(y).text for y in range(listing.size.height))
            assert MARKUP_HEAD in shown and terminal_safe(shown)
            await pilot.press("escape")
            await pilot.pause()
            excerpt = rendered(app, "#excerpt-text")
            assert MARKUP in excerpt and terminal_safe(excerpt)


@pytest.mark.parametrize("search", [MARKUP, '"NEAR( AND *', "[/]"])
async def test_the_filter_bar_shows_a_hostile_search_literally(hostile_store, tmp_path, search):
    from timeline.app import TimelineApp

    app = TimelineApp(hostile_store, export_dir=tmp_path, remember=False)
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.press("slash", *search, "enter")
        await pilot.pause()
        assert f"matching “{search}”" in rendered(app, "#filters")
        assert app.is_running


async def test_a_100k_character_line_does_not_break_the_layout(tmp_path):
    from timeline.app import TimelineApp

    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "long.txt", "Long line\n\nIn 2024 " + "x" * 100_000 + ".\n\nIn 2023 a short one.")
    with Store(tmp_path / "l.db") as store:
        from timeline.indexer import index

        index([folder], store)
        app = TimelineApp(store, export_dir=tmp_path, remember=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for _ in range(4):
                await pilot.press("down")
                await pilot.pause()
            lines = timeline_lines(app)
            assert all(len(line) <= app.timeline.size.width for line in lines)
            assert any(line.rstrip().endswith("x…") for line in lines)
            assert app.timeline.virtual_size.width <= app.timeline.size.width
            assert app.query_one("#excerpt").region.right <= 100
            assert app.screen.query_one("Footer").region.y == 29  # the footer is still on screen
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.query_one("#article-body").region.right <= 100


# --- timeline tag on hostile lines --------------------------------------------------


def test_tag_answers_every_line_and_never_raises():
    lines = [
        '{"id": "a\\udfff", "text": "\\ud800 In 2024 it rained.", "dct": "2025-06-14"}',
        "[" * 5000,
        "null",
        '{"id": "b", "text": 5, "dct": "2025-06-14"}',
        '{"id": "c", "text": "x", "n": ' + "9" * 5000 + "}",
        "not json",
    ]
    result = CliRunner().invoke(cli, ["tag"], input="\n".join(lines) + "\n", catch_exceptions=False)
    assert result.exit_code == 0
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == len(lines)
    assert answers[0]["id"] == "a\ufffd" and answers[0]["timexes"][0]["text"] == "2024"
    assert answers[0]["timexes"][0]["start"] == 5  # one stand-in for one surrogate: offsets still fit
    assert [a.get("error") for a in answers[1:]] == [
        "not valid JSON (too deeply nested or a number too long)", "each line must be a JSON object",
        'needs a "text" string and a "dct" date', "not valid JSON (too deeply nested or a number too long)",
        "not valid JSON (Expecting value)"]
    assert answers[3]["id"] == "b"


def test_a_json_line_that_is_not_utf8_is_read_as_cp1252_with_one_warning(tmp_path):
    feed = tmp_path / "feed.jsonl"
    good = '{"id": "%s", "published": "2025-06-14", "text": "In 2024 %s."}\n'
    feed.write_bytes((good % ("a", "plain")).encode() + (good % ("b", "caf\u00e9 \u201cquoted\u201d")).encode("cp1252")
                     + (good % ("c", "d\u00e9j\u00e0")).encode("cp1252"))
    found, [warning] = split(read([feed]))
    assert [a.text for a in found] == ["In 2024 plain.", "In 2024 caf\u00e9 \u201cquoted\u201d.", "In 2024 d\u00e9j\u00e0."]
    assert (warning.line, warning.fatal) == (2, False) and "read as cp1252" in warning.reason


def test_export_into_a_pipe_closed_early_ends_quietly(tmp_path):
    from .test_crash import TIMELINE, write_corpus

    write_corpus(tmp_path / "corpus", range(100))
    db = tmp_path / "t.db"
    assert run("index", tmp_path / "corpus", "--db", db, "-q").exit_code == 0
    export = subprocess.Popen([str(TIMELINE), "export", "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert export.stdout.readline() == b"# Timeline\n"
    export.stdout.close()  # as `| head -1` does, long before the export (over 64 KB) is written
    assert export.wait(timeout=30) == 141
    assert export.stderr.read() == b""


def test_a_corrupt_database_is_a_one_line_error(tmp_path):
    db = tmp_path / "t.db"
    assert run("index", HOSTILE, "--db", db, "-q").exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with db.open("r+b") as raw:  # garble pages past the schema
        raw.seek(4096 * 3)
        raw.write(bytes(range(256)) * 16 * 6)
    for args in (["export"], ["index", HOSTILE / "markup.md"]):
        result = run(*args, "--db", db)
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines()[-1] == f"Error: {db}: database disk image is malformed"
