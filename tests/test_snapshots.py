"""Pictures of the screens that matter, compared with accepted SVG snapshots.

They were taken with the Textual version pinned in pyproject's test extra;
after a deliberate change to a screen, look at the new picture and accept it
with ``pytest tests/test_snapshots.py --snapshot-update``.
"""

import pytest

from timeline.app import TimelineApp


@pytest.fixture
def app(seed_store, tmp_path):
    return TimelineApp(seed_store, export_dir=tmp_path, remember=False)


def test_main_screen(snap_compare, app):
    assert snap_compare(app, press=["down"], terminal_size=(100, 30))


def test_main_screen_wide(snap_compare, app):
    assert snap_compare(app, press=["down"], terminal_size=(160, 40))


def test_entity_filter(snap_compare, app):
    assert snap_compare(app, press=["e", "g", "o", "enter"], terminal_size=(100, 30))


def test_help_screen(snap_compare, app):
    assert snap_compare(app, press=["f1"], terminal_size=(100, 40))


def test_article_view(snap_compare, app):
    assert snap_compare(app, press=["enter"], terminal_size=(100, 30))
