"""The timeline browser: a thin Textual layer over the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from .display import one_line
from .export import describe_filter, export
from .screens import ArticleScreen, EntityFilterScreen, HelpScreen, excerpt_text
from .store import Filter, Store
from .timeline_view import TimelineView


class TimelineApp(App[None]):
    """Browse the timeline of a database."""

    CSS_PATH = "app.tcss"
    TITLE = "timeline"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("e", "entities", "Entities"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("c", "clear_filters", "Clear"),
        Binding("a", "toggle_match", "All/any"),
        Binding("enter,o", "open_article", "Article"),
        Binding("x", "export", "Export"),
        Binding("r", "reload", "Reload", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, store: Store, *, export_dir: Path | None = None) -> None:
        super().__init__()
        self.store = store
        self.export_dir = export_dir or Path.cwd()
        self.filter = Filter()

    def compose(self) -> ComposeResult:
        yield Static("", id="filters")
        with Container(id="main"):
            yield TimelineView(self.store, id="timeline")
            with VerticalScroll(id="excerpt"):
                yield Static("", id="excerpt-text")
        yield Input(placeholder="Search the timeline (Enter applies, empty clears, Esc cancels)", id="search")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = str(self.store.path)
        self.apply_filter(self.filter)
        self.query_one(TimelineView).focus()

    @property
    def timeline(self) -> TimelineView:
        return self.query_one(TimelineView)

    def apply_filter(self, flt: Filter, *, keep_position: bool = False) -> None:
        self.filter = flt
        self.timeline.load(flt, keep_position=keep_position)
        self._show_filters()

    def _show_filters(self) -> None:
        count = self.timeline.event_count
        line = Text(one_line(describe_filter(self.store, self.filter)), style="bold")
        line.append(f"  ·  {count:,} event{'s' if count != 1 else ''}", style="")
        if len(self.filter.entity_ids) > 1:
            line.append("  ·  a: " + ("any" if self.filter.match_all else "all") + " instead", style="dim")
        self.query_one("#filters", Static).update(line)

    @on(TimelineView.Selected)
    def show_excerpt(self, message: TimelineView.Selected) -> None:
        target = self.query_one("#excerpt-text", Static)
        if message.event is None:
            target.update(Text("Nothing selected.", style="dim"))
            return
        source = message.source
        meta = {"source": source.source, "published": source.published, "url": source.url}
        text = excerpt_text(self.store, message.event, source.title, meta)
        names = [entity.name for entity in self.store.event_entities(message.event.id)]
        when = f"\n\nWhen: {message.event.value}"
        if message.event.timex:
            when += f" (“{one_line(message.event.timex)}”)"
        text.append(when, style="dim")
        if names:
            text.append("\nWho/what: " + one_line(", ".join(names)), style="dim")
        target.update(text)
        self.query_one("#excerpt").scroll_home(animate=False)

    # --- actions ---------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_entities(self) -> None:
        def chosen(selected: set[int] | None) -> None:
            if selected is not None:
                self.apply_filter(replace(self.filter, entity_ids=tuple(sorted(selected))))

        self.push_screen(EntityFilterScreen(self.store, set(self.filter.entity_ids)), chosen)

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.value = self.filter.search
        box.add_class("-shown")
        box.focus()

    @on(Input.Submitted, "#search")
    def search(self, message: Input.Submitted) -> None:
        self._hide_search()
        self.apply_filter(replace(self.filter, search=message.value.strip()))

    def _hide_search(self) -> None:
        self.query_one("#search", Input).remove_class("-shown")
        self.timeline.focus()

    def on_key(self, event) -> None:
        if event.key == "escape" and self.query_one("#search", Input).has_focus:
            event.stop()
            self._hide_search()

    def action_clear_filters(self) -> None:
        self.apply_filter(Filter())
        self.notify("Filters cleared.", timeout=2)

    def action_toggle_match(self) -> None:
        self.apply_filter(replace(self.filter, match_all=not self.filter.match_all))

    def action_open_article(self) -> None:
        selected = self.timeline.selected
        if selected is not None:
            self.push_screen(ArticleScreen(self.store, selected[0]))

    def action_export(self) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = self.export_dir / f"timeline-{stamp}.md"
        try:
            with path.open("w", encoding="utf-8") as out:
                count = export(self.store, self.filter, out)
        except OSError as error:
            self.notify(f"Could not export: {error}", severity="error")
            return
        self.notify(f"Exported {count} event{'s' if count != 1 else ''} to {path}", timeout=8)

    def action_reload(self) -> None:
        self.apply_filter(self.filter, keep_position=True)
        self.notify("Reloaded.", timeout=2)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Filter by entity", "Choose people, organisations and places to filter by (e)", self.action_entities)
        yield SystemCommand("Search", "Search the events' sentences (/)", self.action_search)
        yield SystemCommand("Clear filters", "Show every event again (c)", self.action_clear_filters)
        yield SystemCommand("All or any entity", "Match all chosen entities or any of them (a)", self.action_toggle_match)
        yield SystemCommand("Open article", "Read the selected event's whole article (Enter)", self.action_open_article)
        yield SystemCommand("Export to Markdown", "Write what is on screen to a Markdown file (x)", self.action_export)
        yield SystemCommand("Reload", "Read the database again, after indexing more (r)", self.action_reload)
        yield SystemCommand("Keys", "Show every key (F1)", self.action_help)
