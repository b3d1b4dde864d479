import datetime as dt
import json
import os

import pytest

from timeline.articles import Problem, markdown_to_text, parse_date, read, split_front_matter
from timeline.model import Article


def articles_and_problems(*paths):
    items = list(read(paths))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)]


def test_markdown_with_front_matter(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ntitle: \"Big news\"\npublished: 2025-06-14\nsource: Reuters\nurl: https://example.com/a\n---\n"
        "# Big news\n\nGoogle [said](https://x.example) *nothing* on **Friday**.\n"
    )
    [article], problems = articles_and_problems(tmp_path)
    assert problems == []
    assert article.title == "Big news"
    assert article.published == dt.date(2025, 6, 14)
    assert (article.source, article.url) == ("Reuters", "https://example.com/a")
    assert article.text == "Big news\n\nGoogle said nothing on Friday."


def test_title_is_put_on_top_when_the_body_lacks_it(tmp_path):
    (tmp_path / "a.txt").write_text("---\ntitle: Headline\ndate: 2024-01-02\n---\nBody text here.\n")
    [article], _ = articles_and_problems(tmp_path / "a.txt")
    assert article.text == "Headline\n\nBody text here."
    assert article.published == dt.date(2024, 1, 2)


def test_plain_text_title_is_the_first_line(tmp_path):
    (tmp_path / "a.txt").write_text("The headline\n\nThe body.\n")
    [article], [warning] = articles_and_problems(tmp_path / "a.txt")
    assert article.title == "The headline"
    assert article.published_guessed
    assert not warning.fatal and "no publication date" in warning.reason


def test_json_lines(tmp_path):
    lines = [
        {"id": "x1", "title": "One", "published": "2025-06-14", "text": "Body one.", "source": "AP"},
        "not json at all",
        {"id": "x2", "title": "Two", "date": "2025-06-15T10:00:00Z", "text": "Body two."},
        {"id": "x3", "title": "No text"},
        {"id": "x1", "title": "Duplicate", "published": "2025-06-14", "text": "Again."},
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(l if isinstance(l, str) else json.dumps(l) for l in lines))
    found, problems = articles_and_problems(tmp_path / "feed.jsonl")
    assert [a.id for a in found] == ["x1", "x2"]
    assert found[1].published == dt.date(2025, 6, 15)
    assert found[0].text == "One\n\nBody one."
    reasons = [str(p) for p in problems]
    assert any(":2: not valid JSON" in r for r in reasons)
    assert any(":4: no \"text\"" in r for r in reasons)
    assert any("duplicate article id 'x1'" in r for r in reasons)


def test_directories_are_read_recursively_and_bad_files_reported(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("---\npublished: 2025-01-01\n---\nDeep one\n")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "empty.md").write_text("")
    found, problems = articles_and_problems(tmp_path, tmp_path / "missing.md")
    assert [a.title for a in found] == ["Deep one"]
    reasons = sorted(p.reason for p in problems if p.fatal)
    assert reasons == ["binary file, not text", "empty article, nothing to index", "no such file or directory"]


def test_symlink_loops_end(tmp_path):
    (tmp_path / "a.md").write_text("---\npublished: 2025-01-01\n---\nHello\n")
    os.symlink(tmp_path, tmp_path / "loop")
    found, _ = articles_and_problems(tmp_path)
    assert len(found) == 1


def test_non_utf8_is_read_with_a_warning(tmp_path):
    (tmp_path / "a.txt").write_bytes("---\ndate: 2025-01-01\n---\nCaf\u00e9 news \u201cquoted\u201d\n".encode("cp1252"))
    [article], [warning] = articles_and_problems(tmp_path)
    assert article.title == "Caf\u00e9 news \u201cquoted\u201d"
    assert "read as cp1252" in warning.reason


def test_impossible_dates_are_a_warning_not_a_failure(tmp_path):
    (tmp_path / "a.md").write_text("---\npublished: 2025-13-45\n---\nStill indexed\n")
    [article], [warning] = articles_and_problems(tmp_path)
    assert article.published_guessed
    assert "2025-13-45" in warning.reason


@pytest.mark.parametrize(
    "raw, expected",
    [("2025-06-14", dt.date(2025, 6, 14)), ("2025-06-14T23:59:00+02:00", dt.date(2025, 6, 14)),
     ("June 14, 2025", dt.date(2025, 6, 14)), ("2025-13-45", None), ("0000-01-01", None), ("", None), (17, None)],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


def test_front_matter_never_closed_is_body():
    fields, body, trouble = split_front_matter("---\ntitle: x\nno end here\n")
    assert fields == {} and body.startswith("---") and "never closed" in trouble


def test_markdown_markup_never_reaches_the_text():
    text = markdown_to_text("Some [link](http://x) and <b>html</b> and `code` and ![alt](i.png).\n\n- item")
    assert text == "Some link and html and code and alt.\n\nitem"
