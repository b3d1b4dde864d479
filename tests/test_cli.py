import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli import cli
from timeline.store import Store

from .conftest import CORPUS, write_article

README = Path(__file__).parent.parent / "README.md"
COMMANDS = sorted(cli.commands)


def run(*args, input=None, env=None):
    return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output
    assert re.search(rf"`timeline {command}\b", README.read_text()), f"README does not document 'timeline {command}'"


def test_index_then_export(tmp_path):
    db = tmp_path / "t.db"
    result = run("index", str(CORPUS), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "2 article(s) indexed" in result.output
    exported = run("export", "--db", str(db), "--entity", "Google")
    assert exported.exit_code == 0
    bullets = [line for line in exported.output.splitlines() if line.startswith("- ")]
    assert bullets and all("Google" in line for line in bullets)
    ranged = run("export", "--db", str(db), "--from", "2025", "--to", "2025")
    assert "## 2024" not in ranged.output and "## 2025" in ranged.output


def test_export_to_a_file(tmp_path):
    db = tmp_path / "t.db"
    run("index", str(CORPUS), "--db", str(db))
    out = tmp_path / "out.md"
    result = run("export", "--db", str(db), "-o", str(out), "--search", "revenue")
    assert result.exit_code == 0
    assert "revenue" in out.read_text() and "1 event(s) written" in result.output


def test_one_line_errors_and_exit_codes(tmp_path):
    db = tmp_path / "t.db"
    missing = run("export", "--db", str(db))
    assert missing.exit_code == 1 and "no such database" in missing.output
    assert run("export", "--db", str(tmp_path)).output.count("\n") == 1
    run("index", str(CORPUS), "--db", str(db))
    unknown = run("export", "--db", str(db), "--entity", "Nobody At All")
    assert unknown.exit_code == 1 and "no entity named" in unknown.output
    bad_date = run("export", "--db", str(db), "--from", "whenever")
    assert bad_date.exit_code == 1 and "cannot read" in bad_date.output


def test_index_goes_on_past_bad_files_and_is_strict_when_asked(tmp_path):
    db = tmp_path / "t.db"
    write_article(tmp_path, "good.md", "Good\n\nIn 2020 it happened.")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    relaxed = run("index", str(tmp_path), "--db", str(db))
    assert relaxed.exit_code == 0
    assert "skipped" in relaxed.output and "bad.txt: binary file" in relaxed.output
    strict = run("index", str(tmp_path), "--db", str(db), "--strict")
    assert strict.exit_code == 1
    nothing = run("index", str(tmp_path / "bad.txt"), "--db", str(tmp_path / "other.db"))
    assert nothing.exit_code == 1 and "nothing was" in nothing.output


def test_tag_reads_and_writes_json_lines():
    lines = [
        {"id": "a", "text": "Last year, Google paid $200M.", "dct": "2025-06-14"},
        {"id": "b", "text": "no date field"},
    ]
    result = run("tag", input="\n".join(json.dumps(line) for line in lines) + "\n")
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["id"] == "a"
    assert [(t["text"], t["value"], t["type"]) for t in first["timexes"]] == [("Last year", "2024", "DATE")]
    assert all(isinstance(e["start"], int) for e in first["entities"])
    assert second["id"] == "b" and "error" in second


def test_tag_without_entities_gives_the_same_dates():
    line = json.dumps({"id": "a", "text": "Last year, Microsoft paid $200M, Alexandr Wang said.", "dct": "2025-06-14"}) + "\n"
    full, dates_only = (json.loads(run("tag", *flags, input=line).stdout) for flags in ((), ("--no-entities",)))
    assert full["entities"] and dates_only["entities"] == []
    assert dates_only["timexes"] == full["timexes"]


def test_tag_timeml():
    result = run("tag", "--timeml", input=json.dumps({"id": "a", "text": "In 2024 <x> & y.", "dct": "2025-06-14"}) + "\n")
    assert '<TIMEX3 tid="t1" type="DATE" value="2024">2024</TIMEX3>' in result.stdout
    assert "&lt;x&gt; &amp; y" in result.stdout


def test_first_run_indexes_the_bundled_corpus(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("timeline.app.TimelineApp.run", lambda app: opened.append(app.store.counts()))
    result = run(env={"TIMELINE_DB": str(tmp_path / "fresh.db")})
    assert result.exit_code == 0, result.output
    assert opened and opened[0]["articles"] == 2
    assert "First run" in result.output
    with Store(tmp_path / "fresh.db") as store:
        assert store.counts()["events"] > 0
