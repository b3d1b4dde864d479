import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_the_core_never_imports_textual():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_readme_lines_are_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci_line = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert ci_line in readme


UI_MODULES = {"timeline.app", "timeline.screens", "timeline.timeline_view", "timeline.density_strip",
              "timeline.cli", "timeline.__init__", "timeline.__main__"}


def test_every_core_module_is_under_the_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [contract] = config["tool"]["importlinter"]["contracts"]
    modules = {f"timeline.{path.stem}" for path in (ROOT / "timeline").glob("*.py")}
    assert modules - UI_MODULES == set(contract["source_modules"])


def test_the_readme_documents_every_key_the_help_shows():
    from timeline.screens import KEYS

    readme = (ROOT / "README.md").read_text()
    missing = [row for row in KEYS.strip().splitlines() if row not in readme]
    assert missing == []


def test_every_app_binding_is_in_the_help():
    from timeline.app import TimelineApp
    from timeline.screens import KEYS

    names = {"slash": "/", "left_square_bracket": "[", "right_square_bracket": "]"}
    documented = {
        word.lower() for row in KEYS.strip().splitlines()[2:] for word in row.split("|")[1].split()
    }
    for binding in TimelineApp.BINDINGS:
        keys = [names.get(key, key).lower() for key in binding.key.split(",")]
        assert documented & set(keys), f"{binding.key} is not in the help"
