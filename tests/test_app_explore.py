"""The researcher's tools: stories across sources, navigation, marks, export prompts, memory."""

import shutil

import pytest

from timeline.app import TimelineApp, split_range
from timeline.density_strip import DensityStrip
from timeline.screens import ConfirmScreen, EntityFilterScreen
from timeline.store import Store

from .test_app import bar, excerpt, screen_text


@pytest.fixture
def app(seed_store, tmp_path):
    return TimelineApp(seed_store, export_dir=tmp_path, remember=False)


def selected(app):
    return app.timeline.selected[0]


async def go_to_value(pilot, app, value):
    for _ in range(50):
        if selected(app).value == value:
            return
        await pilot.press("down")
    raise AssertionError(f"no event at {value}")


async def test_a_story_told_twice_shows_once_and_tab_cycles_its_sources(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await go_to_value(pilot, app, "2025")
        assert selected(app).sources == 2
        assert "2 sources" in screen_text(app)
        assert "Source 1 of 2" in excerpt(app)
        first = excerpt(app)
        await pilot.press("tab")
        assert "Source 2 of 2" in excerpt(app) and excerpt(app) != first
        await pilot.press("tab")
        assert "Source 1 of 2" in excerpt(app)
        grouped = app.timeline.event_count
        await pilot.press("u")
        assert app.timeline.event_count == grouped + 2
        assert "2 sources" not in screen_text(app)


async def test_g_jumps_to_a_period(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("g", *"June 2025", "enter")
        assert selected(app).start.startswith("2025-06")
        await pilot.press("g", *"2024", "enter")
        assert selected(app).value == "2024"
        await pilot.press("g", *"whenever", "enter")
        assert selected(app).value == "2024"


async def test_brackets_step_between_periods(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket")
        assert selected(app).bucket if False else selected(app).start.startswith("2025")
        await pilot.press("right_square_bracket")
        assert selected(app).start.startswith("2025-06")
        await pilot.press("down", "left_square_bracket")
        assert selected(app).start.startswith("2025-06")
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert selected(app).value == "2024"


async def test_d_filters_a_date_range(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d", *"2025 to 2025-05", "enter")
        assert "from 2025-01-01, to 2025-05-31" in bar(app)
        values = {e.value for e, _ in app.store.events(app.filter, limit=100)}
        assert values == {"2025"}
        await pilot.press("d", "ctrl+u", "enter")
        assert "All events" in bar(app)


def test_date_ranges_as_typed():
    assert split_range("2024 to 2025-06") == ("2024", "2025-06")
    assert split_range("since March 2025") == ("March 2025", "")
    assert split_range("until 2024") == ("", "2024")
    assert split_range("last year") == ("last year", "last year")


async def test_minus_excludes_an_entity(app):
    async with app.run_test(size=(120, 40)) as pilot:
        before = app.timeline.event_count
        await pilot.press("e", *"meta")
        await pilot.press("tab", "minus")
        assert isinstance(app.screen, EntityFilterScreen) and len(app.screen.excluded) == 1
        await pilot.press("escape")
        assert "Events not naming Meta" in bar(app)  # excluded, never "naming Meta"
        rows = app.store.events(app.filter, limit=100)
        assert 0 < len(rows) < before


async def test_search_picks_out_matches_and_n_steps(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"scale", "enter")
        assert app.timeline.event_count > 1
        first = app.timeline.cursor_row
        await pilot.press("n")
        assert app.timeline.cursor_row > first
        await pilot.press("N")
        assert app.timeline.cursor_row == first
        strip = app.timeline.render_line(first - int(app.timeline.scroll_offset.y))
        picked = [seg for seg in strip if seg.text.lower() == "scale" and seg.style and seg.style.underline]
        assert picked


async def test_marks_persist_and_filter(seed_db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(seed_db, copy)
    with Store(copy) as store:
        app = TimelineApp(store, export_dir=tmp_path, remember=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("m")
            marked_text = selected(app).text
            assert selected(app).marked and "●" in screen_text(app)
            await pilot.press("M")
            assert app.timeline.event_count == 1 and selected(app).text == marked_text
            await pilot.press("x", "enter")
            [written] = list(tmp_path.glob("timeline-*.md"))
            assert written.read_text().count("\n- ") == 1
            await pilot.press("M")
    with Store(copy) as again:
        assert [e.text for e, _ in again.events(app.filter.__class__(marked_only=True))] == [marked_text]


async def test_export_asks_before_overwriting(app, tmp_path):
    target = tmp_path / "out.md"
    target.write_text("keep me")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x", "ctrl+u", *str(target), "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert target.read_text() == "keep me"
        await pilot.press("x", "ctrl+u", *str(target), "enter", "y")
        assert target.read_text().startswith("# Timeline")


async def test_density_strip_jumps(app):
    async with app.run_test(size=(120, 40)) as pilot:
        strip = app.query_one(DensityStrip)
        assert strip.cells and any(cell.count for cell in strip.cells)
        assert any(ch in str(strip.render()) for ch in "▁▂▃▄▅▆▇█")
        await pilot.press("t")
        assert strip.has_focus
        await pilot.press("left", "enter")  # the last cell: June 2025
        assert app.timeline.has_focus
        assert selected(app).start.startswith("2025-06")
        last_cell_x = 1 + 5 + len(strip.cells) - 1
        await pilot.click(DensityStrip, offset=(1 + 5, 0))
        assert selected(app).value == "2024"
        await pilot.click(DensityStrip, offset=(last_cell_x, 0))
        assert selected(app).start.startswith("2025-06")


async def test_filters_position_and_theme_are_remembered(seed_db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(seed_db, copy)
    with Store(copy) as store:
        app = TimelineApp(store, export_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("slash", *"google", "enter", "down")
            row = app.timeline.cursor_row
            app.theme = "nord"
            await pilot.press("q")
    with Store(copy) as store:
        app = TimelineApp(store, export_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert "matching “google”" in bar(app)
            assert app.timeline.cursor_row == row
            assert app.theme == "nord"


async def test_palette_opens_another_database_and_reindexes(seed_db, tmp_path, monkeypatch):
    other = tmp_path / "other.db"
    shutil.copy(seed_db, other)
    with Store(seed_db, create=False) as store:
        app = TimelineApp(store, export_dir=tmp_path, remember=False)
        async with app.run_test(size=(120, 40)) as pilot:
            titles = {command.title for command in app.get_system_commands(app.screen)}
            assert {"Open database", "Re-index", "Go to a date", "Mark event", "Group stories"} <= titles
            app.action_prompt("open")
            await pilot.press(*str(other), "enter")
            assert app.store.path == other
            app.action_prompt("open")
            await pilot.press(*str(tmp_path / "missing.db"), "enter")
            assert app.store.path == other
            app.action_reindex()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.timeline.event_count > 0


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (160, 50), (250, 70)])
async def test_layout_holds_at_any_size(app, size):
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        width = size[0]
        lines = screen_text(app).splitlines()
        assert lines and all(len(line) <= width for line in lines)
        assert any("…" in line for line in lines) or width >= 250
        await pilot.resize_terminal(*reversed(size)) if False else None


async def test_the_app_follows_an_indexer_writing_beside_it(tmp_path):
    from timeline.indexer import index

    from .conftest import write_article

    write_article(tmp_path, "a.md", "First\n\nIn 2020 it began.")
    with Store(tmp_path / "t.db") as store:
        index([tmp_path], store)
        app = TimelineApp(store, export_dir=tmp_path, remember=False)
        async with app.run_test(size=(100, 30)) as pilot:
            before = app.timeline.event_count
            write_article(tmp_path, "b.md", "Second\n\nIn 2021 it went on.")
            with Store(tmp_path / "t.db") as indexer_side:
                index([tmp_path], indexer_side)
            app._follow_indexer()
            await pilot.pause()
            assert app.timeline.event_count == before + 2
