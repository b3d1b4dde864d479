"""The browser driven by Textual's pilot, key by key, as a user would."""


import pytest

from timeline.app import TimelineApp, _when
from timeline.indexer import index
from timeline.model import Event
from timeline.rows import Heading
from timeline.screens import ArticleScreen, EntityFilterScreen, HelpScreen
from timeline.store import Store
from timeline.timeline_view import DATE_WIDTH, date_label

from .conftest import write_article


def bar(app) -> str:
    return str(app.query_one("#filters").render())


def excerpt(app) -> str:
    return str(app.query_one("#excerpt-text").render())


def screen_text(app) -> str:
    view = app.timeline
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


@pytest.fixture
def app(seed_store, tmp_path):
    return TimelineApp(seed_store, export_dir=tmp_path, remember=False)


async def test_opens_on_the_first_event(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        total = app.store.count()  # stories told twice are one row
        assert f"All events  ·  {total} events" in bar(app)
        assert screen_text(app).splitlines()[0].strip() == "2024"
        assert "Last year, Google spent about $150 million" in excerpt(app)
        assert "When: 2024" in excerpt(app)


async def test_arrow_keys_move_between_events_skipping_headings(app):
    async with app.run_test(size=(100, 30)) as pilot:
        first = app.timeline.cursor_row
        await pilot.press("down")
        assert app.timeline.cursor_row > first + 1  # the 2025 heading is skipped
        assert not isinstance(app.timeline.rows.at(app.timeline.cursor_row), Heading)
        assert "this year" in excerpt(app)
        await pilot.press("end")
        last = app.timeline.cursor_row
        assert last == len(app.timeline.rows) - 1
        await pilot.press("home")
        assert app.timeline.cursor_row == first
        await pilot.press("pagedown")
        assert app.timeline.cursor_row > first
        await pilot.press("up", "k", "j")


async def test_click_selects_an_event(app):
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.timeline
        target = max(row for row in range(len(view.rows)) if isinstance(view.rows.at(row), int))
        await pilot.click("#timeline", offset=(20, target))
        assert view.cursor_row == target
        await pilot.click("#timeline", offset=(20, 0))  # a heading: nothing to select
        assert view.cursor_row == target


async def test_entity_filter_narrows_toggles_and_clears(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, EntityFilterScreen)
        await pilot.press(*"goog")
        await pilot.press("enter", "escape")
        assert not isinstance(app.screen, EntityFilterScreen)
        assert "naming Google" in bar(app)
        rows = app.store.events(app.filter, limit=1000)
        assert rows and all("Google" in event.text for event, _ in rows)
        await pilot.press("c")
        assert "All events" in bar(app)


async def test_several_entities_and_all_or_any(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e", *"google", "enter")
        await pilot.press("ctrl+u", *"meta", "enter", "escape")
        both = app.timeline.event_count
        assert "naming Google and Meta" in bar(app)
        await pilot.press("a")
        assert "naming Google or Meta" in bar(app)
        assert app.timeline.event_count >= both


async def test_entity_filter_by_type(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e", "ctrl+t")
        status = str(app.screen.query_one("#entity-status").render())
        assert "PER" in status


async def test_search_applies_and_escape_cancels(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"revenue", "enter")
        assert "matching “revenue”" in bar(app)
        assert app.timeline.event_count == 1
        await pilot.press("slash", *"zzz", "escape")
        assert app.timeline.event_count == 1
        await pilot.press("slash", "ctrl+u", "enter")
        assert "All events" in bar(app)


async def test_search_with_no_result_says_so(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *'"NEAR( AND', "enter")
        assert app.timeline.event_count == 0
        assert "No events" in screen_text(app)


async def test_enter_opens_the_article_at_the_sentence(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ArticleScreen)
        highlighted = app.screen.query(".-event")
        assert "Last year, Google spent" in str(highlighted.first().render())
        await pilot.press("escape")
        assert not isinstance(app.screen, ArticleScreen)


async def test_export_writes_what_is_shown(app, tmp_path):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"revenue", "enter", "x", "enter")
        [written] = list(tmp_path.glob("timeline-*.md"))
        text = written.read_text()
        assert "revenue of $870 million" in text and "Events matching “revenue”" in text
        assert text.count("\n- ") == 1


async def test_help_and_quit(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("q")
    assert app.return_code == 0


async def test_the_command_palette_offers_the_apps_commands(app):
    async with app.run_test(size=(100, 30)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Filter by entity", "Search", "Export to Markdown", "Clear filters"} <= set(titles)
        await pilot.press("ctrl+p")
        await pilot.press(*"export")
        await pilot.pause()


async def test_article_text_is_shown_literally(tmp_path):
    hostile = "In 2024 [bold red]Rich[/] and [@click=app.quit]markup[/] and \x1b[31mANSI\x1b[0m and \u202eevil."
    write_article(tmp_path, "h.md", "Headline [link=http://x]x[/link]\n\n" + hostile)
    with Store(tmp_path / "h.db") as store:
        index([tmp_path / "h.md"], store)
        app = TimelineApp(store, export_dir=tmp_path)
        async with app.run_test(size=(200, 30)) as pilot:
            await pilot.pause()
            lines = screen_text(app)
            assert "[bold red]Rich[/] and [@click=app.quit]markup[/]" in lines
            assert "\x1b" not in lines and "␛[31mANSI" in lines and "\u202e" not in lines
            assert "[link=http://x]x[/link]" in lines
            await pilot.press("enter")
            assert "[@click=app.quit]" in str(app.screen.query(".-event").first().render())


async def test_an_empty_database_says_what_to_do(tmp_path):
    with Store(tmp_path / "empty.db") as store:
        app = TimelineApp(store, export_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "index some articles" in screen_text(app)
            await pilot.press("down", "enter", "x", "e", "escape")


@pytest.mark.parametrize("value, granularity, start, timex, expected", [
    ("18", "century", "1801-01-01", "last century", "When: the 19th century (18, “last century”)"),
    ("2025-06-13", "day", "2025-06-13", "Friday", "When: 13 June 2025 (2025-06-13, “Friday”)"),
    ("2025", "year", "2025-01-01", None, "When: 2025"),
])
def test_the_excerpt_says_when_in_words(value, granularity, start, timex, expected):
    event = Event("a", start, start, granularity, value, "Text.", 0, 5, timex)
    assert _when(event).strip() == expected


@pytest.mark.parametrize("value, granularity, start, expected", [
    ("18", "century", "1801-01-01", "19th century"),
    ("199", "decade", "1990-01-01", "the 1990s"),
    ("2025-06-13T09:30", "day", "2025-06-13", "13 Jun 09:30"),
    ("2025-W24-WE", "week", "2025-06-14", "week 24 end"),
])
def test_date_labels_fit_the_date_column(value, granularity, start, expected):
    label = date_label(Event("a", start, start, granularity, value, "Text.", 0, 5, None))
    assert label == expected and len(label) < DATE_WIDTH - 2
