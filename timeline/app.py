"""The timeline browser: a thin Textual layer over the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static
from textual.worker import get_current_worker

from .density_strip import DensityStrip
from .display import one_line
from .export import describe_filter, export
from .model import Event, Source
from .periods import describe, parse_period
from .screens import ArticleScreen, ConfirmScreen, EntityFilterScreen, HelpScreen, excerpt_text
from .store import Cancelled, Filter, Group, Store, StoreError, bucket_of
from .timeline_view import TimelineView

PROMPTS = {
    "search": ("Search", "words to find (Enter applies, empty clears, Esc cancels)"),
    "jump": ("Go to", "a date or period: 2024, June 2025, 2025-Q2, last year…"),
    "dates": ("Dates", "from and to: 2024 to 2025-06, since March 2025, last year… (empty clears)"),
    "export": ("Export to", "a Markdown file name"),
    "open": ("Open", "the path of a timeline database"),
}


def split_range(text: str) -> tuple[str, str]:
    """``2024 to 2025``, ``2024..2025``, ``since 2024``, ``until 2025`` or one period: its two ends as typed."""
    text = text.strip()
    for word in (" to ", "..", " – ", " - ", " until "):
        if word in text:
            first, _, last = text.partition(word)
            return first.strip(), last.strip()
    for word, side in (("since ", 0), ("from ", 0), ("after ", 0), ("until ", 1), ("before ", 1)):
        if text.lower().startswith(word):
            rest = text[len(word):].strip()
            return (rest, "") if side == 0 else ("", rest)
    return text, text


class TimelineApp(App[None]):
    """Browse the timeline of a database."""

    CSS_PATH = "app.tcss"
    TITLE = "timeline"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("e", "entities", "Entities"),
        Binding("slash", "prompt('search')", "Search", key_display="/"),
        Binding("g", "prompt('jump')", "Go to"),
        Binding("d", "prompt('dates')", "Dates", show=False),
        Binding("m", "mark", "Mark"),
        Binding("M", "marked_only", "Marked", key_display="M", show=False),
        Binding("c", "clear_filters", "Clear", show=False),
        Binding("x", "export", "Export"),
        Binding("q", "quit", "Quit"),
        Binding("enter,o", "open_article", "Article", show=False),
        Binding("a", "toggle_match", "All/any", show=False),
        Binding("w", "toggle_in_article", "Sentence/article", show=False),
        Binding("u", "toggle_grouped", "Group stories", show=False),
        Binding("n", "next_match(1)", "Next match", show=False),
        Binding("N", "next_match(-1)", "Previous match", show=False),
        Binding("left_square_bracket", "heading(-1)", "Previous period", show=False, key_display="["),
        Binding("right_square_bracket", "heading(1)", "Next period", show=False, key_display="]"),
        Binding("t", "focus_strip", "Density strip", show=False),
        Binding("r", "reload", "Reload", show=False),
    ]

    def __init__(self, store: Store, *, export_dir: Path | None = None, remember: bool = True) -> None:
        super().__init__()
        self.store = store
        self.export_dir = export_dir or Path.cwd()
        self.filter = Filter()
        self.remember = remember
        self.prompt_mode = "search"
        self.story: list[tuple[Event, Source]] = []
        self.story_index = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="filters")
        yield DensityStrip(id="density")
        with Container(id="main"):
            yield TimelineView(self.store, id="timeline")
            with VerticalScroll(id="excerpt"):
                yield Static("", id="excerpt-text")
        with Horizontal(id="prompt-bar"):
            yield Label("", id="prompt-label")
            yield Input(id="prompt")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = str(self.store.path)
        self._restore()
        self.timeline.focus()
        self._seen_version = self.store.data_version()
        self.set_interval(2, self._follow_indexer)

    def _follow_indexer(self) -> None:
        """Show what an indexer running beside the app has finished writing."""
        version = self.store.data_version()
        if version == self._seen_version or self.store.needs_refresh:
            return  # nothing new, or an indexer still between writing and numbering
        self._seen_version = version
        before = self.timeline.event_count
        self.apply_filter(self.filter, keep_position=True)
        if self.timeline.event_count != before and not self.timeline.counting:
            self.notify(f"The database changed: {self.timeline.event_count:,} events now.", timeout=4)

    @property
    def timeline(self) -> TimelineView:
        return self.query_one(TimelineView)

    # --- remembering per database ---------------------------------------------------

    def _restore(self) -> None:
        if not self.remember:
            self.apply_filter(Filter())
            return
        theme, saved_filter, row = (self.store.get_meta(key) for key in ("ui.theme", "ui.filter", "ui.row"))
        if theme in self.available_themes:
            self.theme = theme
        self.apply_filter(Filter.from_json(saved_filter))
        if row and row.isdigit():
            self.timeline.move_to(int(row))
            self.timeline.scroll_to(y=max(int(row) - 3, 0), animate=False)

    def _save(self, **values: str) -> None:
        if not self.remember:
            return
        values = values or {"ui.filter": self.filter.to_json(), "ui.row": str(self.timeline.cursor_row),
                            "ui.theme": self.theme}
        try:
            for key, value in values.items():
                self.store.set_meta(key, value)
        except (StoreError, OSError):
            pass  # a read-only database browses fine; it just forgets

    def watch_theme(self, theme: str) -> None:
        if self.is_mounted:
            self._save(**{"ui.theme": theme})

    async def action_quit(self) -> None:
        self._save()
        self.exit()

    # --- filtering -------------------------------------------------------------------

    def apply_filter(self, flt: Filter, *, keep_position: bool = False) -> None:
        self.filter = flt
        self.timeline.load(flt, keep_position=keep_position)
        self.query_one(DensityStrip).show(self.timeline.rows.groups)
        self._show_filters()
        self.workers.cancel_group(self, "count")
        if self.timeline.counting:  # once the first page is on screen: two cores go a long way
            self.call_after_refresh(self._count_if_shown, flt, self.timeline.loads)

    def _count_if_shown(self, flt: Filter, load: int) -> None:
        if self.timeline.counting and load == self.timeline.loads:
            self._count(flt, load)

    @work(thread=True, exclusive=True, group="count")
    def _count(self, flt: Filter, load: int) -> None:
        """Count a timeline's rows under each heading with a connection of its own, while the
        first page is on screen; a newer count (the user searched again) cancels this one."""
        worker = get_current_worker()
        try:
            with Store(self.store.path, create=False, read_only=True) as reader:
                groups = reader.groups(flt, cancelled=lambda: worker.is_cancelled)
        except Cancelled:
            return
        except StoreError as error:
            self.call_from_thread(self.notify, str(error), severity="error")
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._counted, load, groups)

    def _counted(self, load: int, groups: list[Group]) -> None:
        if self.timeline.counted(load, groups):
            self.query_one(DensityStrip).show(groups)
            self._show_filters()

    def _show_filters(self) -> None:
        count = self.timeline.event_count
        line = Text(one_line(describe_filter(self.store, self.filter)), style="bold")
        if self.timeline.counting:
            line.append(f"  ·  {count:,}+ events, counting…", style="")
        else:
            line.append(f"  ·  {count:,} event{'' if count == 1 else 's'}", style="")
        hints = []
        if len(self.filter.entity_ids) > 1:
            hints.append("a: " + ("any" if self.filter.match_all else "all") + " instead")
        if self.filter.entity_ids or self.filter.excluded_ids:
            hints.append("w: " + ("in the sentence" if self.filter.in_article else "anywhere in the article"))
        hints.append("u: " + ("every source's sentence" if self.filter.grouped else "one row per story"))
        line.append("  ·  " + "  ·  ".join(hints), style="dim")
        self.query_one("#filters", Static).update(line)

    def action_entities(self) -> None:
        def chosen(result: tuple[set[int], set[int]] | None) -> None:
            if result is not None:
                included, excluded = result
                self.apply_filter(replace(self.filter, entity_ids=tuple(sorted(included)),
                                          excluded_ids=tuple(sorted(excluded))))

        screen = EntityFilterScreen(self.store, set(self.filter.entity_ids), set(self.filter.excluded_ids))
        self.push_screen(screen, chosen)

    def action_clear_filters(self) -> None:
        self.apply_filter(Filter(grouped=self.filter.grouped))
        self.notify("Filters cleared.", timeout=2)

    def action_toggle_match(self) -> None:
        self.apply_filter(replace(self.filter, match_all=not self.filter.match_all))

    def action_toggle_in_article(self) -> None:
        self.apply_filter(replace(self.filter, in_article=not self.filter.in_article))

    def action_toggle_grouped(self) -> None:
        self.apply_filter(replace(self.filter, grouped=not self.filter.grouped))

    def action_marked_only(self) -> None:
        self.apply_filter(replace(self.filter, marked_only=not self.filter.marked_only))

    # --- the prompt ------------------------------------------------------------------

    def action_prompt(self, mode: str, value: str = "") -> None:
        self.prompt_mode = mode
        label, placeholder = PROMPTS[mode]
        self.query_one("#prompt-label", Label).update(label + ":")
        box = self.query_one("#prompt", Input)
        box.placeholder = placeholder
        box.value = value or (self.filter.search if mode == "search" else "")
        self.query_one("#prompt-bar").add_class("-shown")
        box.focus()

    def _hide_prompt(self) -> None:
        self.query_one("#prompt-bar").remove_class("-shown")
        self.timeline.focus()

    def on_key(self, event) -> None:
        if event.key == "escape" and self.query_one("#prompt", Input).has_focus:
            event.stop()
            self._hide_prompt()

    @on(Input.Submitted, "#prompt")
    def prompt_submitted(self, message: Input.Submitted) -> None:
        self._hide_prompt()
        text = message.value.strip()
        handler = {"search": self._search, "jump": self._jump, "dates": self._dates,
                   "export": self._export_to, "open": self._open_database}[self.prompt_mode]
        handler(text)

    def _search(self, text: str) -> None:
        self.apply_filter(replace(self.filter, search=text))

    def _jump(self, text: str) -> None:
        period = parse_period(text)
        if period is None:
            self.notify(f"Cannot read {text!r} as a date or period.", severity="warning")
            return
        start = period.start.isoformat()
        position = self.store.position_of(self.filter, bucket_of(start, period.granularity), start)
        self.timeline.go_to_position(position)

    def _dates(self, text: str) -> None:
        if not text:
            self.apply_filter(replace(self.filter, date_from=None, date_to=None))
            return
        first, last = split_range(text)
        start = parse_period(first) if first else None
        end = parse_period(last) if last else None
        if (first and start is None) or (last and end is None):
            self.notify(f"Cannot read {text!r} as dates.", severity="warning")
            return
        self.apply_filter(replace(self.filter, date_from=start.start.isoformat() if start else None,
                                  date_to=end.end.isoformat() if end else None))

    # --- moving ----------------------------------------------------------------------

    def action_heading(self, step: int) -> None:
        self.timeline.action_heading(step)

    def action_next_match(self, step: int) -> None:
        if not self.filter.search.strip():
            self.notify("No search: press / to search.", timeout=3)
            return
        self.timeline.action_cursor(step)

    def action_focus_strip(self) -> None:
        self.query_one(DensityStrip).focus()

    @on(DensityStrip.Jump)
    def strip_jump(self, message: DensityStrip.Jump) -> None:
        self.timeline.go_to_position(message.position)
        self.timeline.focus()

    # --- the selected event ----------------------------------------------------------

    @on(TimelineView.Selected)
    def selected(self, message: TimelineView.Selected) -> None:
        event = message.event
        self.story = self.store.story(event) if event is not None and event.sources > 1 else []
        self.story_index = 0
        self._show_excerpt(event, message.source)

    def action_next_source(self) -> None:
        if len(self.story) < 2:
            self.notify("Only one source tells this.", timeout=2)
            return
        self.story_index = (self.story_index + 1) % len(self.story)
        self._show_excerpt(*self.story[self.story_index])

    def _show_excerpt(self, event: Event | None, source: Source | None) -> None:
        target = self.query_one("#excerpt-text", Static)
        if event is None or source is None:
            target.update(Text("Nothing selected.", style="dim"))
            return
        meta = {"source": source.source, "published": source.published, "url": source.url}
        text = Text()
        if self.story:
            text.append(f"Source {self.story_index + 1} of {len(self.story)} (Tab for the next)\n", style="bold")
        text.append_text(excerpt_text(self.store, event, source.title, meta, self.filter.search))
        text.append(_when(event), style="dim")
        names = [entity.name for entity in self.store.event_entities(event.id)]
        if names:
            text.append("\nWho/what: " + one_line(", ".join(names)), style="dim")
        target.update(text)
        self.query_one("#excerpt").scroll_home(animate=False)

    def action_mark(self) -> None:
        selected = self.timeline.selected
        if selected is None:
            return
        try:
            self.store.set_mark(selected[0], not selected[0].marked)
        except StoreError as error:
            self.notify(str(error), severity="error")
            return
        if self.filter.marked_only:
            self.apply_filter(self.filter, keep_position=True)
        else:
            self.timeline.forget_rows()

    def action_open_article(self) -> None:
        selected = self.timeline.selected
        if selected is not None:
            shown = self.story[self.story_index][0] if self.story else selected[0]
            self.push_screen(ArticleScreen(self.store, shown))

    # --- export, reload, other databases ---------------------------------------------

    def action_export(self) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.action_prompt("export", str(self.export_dir / f"timeline-{stamp}.md"))

    def _export_to(self, text: str) -> None:
        if not text:
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.export_dir / path
        if path.exists():
            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._write_export(path)

            self.push_screen(ConfirmScreen(f"{path} exists. Overwrite it?"), confirmed)
        else:
            self._write_export(path)

    def _write_export(self, path: Path) -> None:
        try:
            with path.open("w", encoding="utf-8") as out:
                count = export(self.store, self.filter, out)
        except OSError as error:
            self.notify(f"Could not export: {error.strerror or error}", severity="error")
            return
        self.notify(f"Exported {count} event{'s' if count != 1 else ''} to {path}", timeout=8)

    def action_reload(self) -> None:
        self.apply_filter(self.filter, keep_position=True)
        self.notify("Reloaded.", timeout=2)

    def _open_database(self, text: str) -> None:
        try:
            store = Store(Path(text).expanduser(), create=False)
        except StoreError as error:
            self.notify(str(error), severity="error")
            return
        self._save()
        self.store = self.timeline.store = store
        self.sub_title = str(store.path)
        self._seen_version = store.data_version()
        self._restore()

    @work(thread=True, exclusive=True)
    def action_reindex(self) -> None:
        """Index again every file the database's articles came from, then reload. Like
        `timeline index`, it takes the database's indexer lock, or says who holds it."""
        from .indexer import index
        from .lock import LockBusy, LockUnavailable, indexer_lock

        paths = [path for path in self.store.source_files() if path.exists()]
        self.call_from_thread(self.notify, f"Re-indexing {len(paths)} file(s)…", timeout=3)
        try:
            with indexer_lock(self.store.path), Store(self.store.path) as writer:
                report = index(paths, writer)
        except (LockBusy, LockUnavailable, StoreError) as error:
            self.call_from_thread(self.notify, str(error), severity="error", timeout=8)
            return
        self.call_from_thread(self.notify, report.summary(), timeout=6)
        self.call_from_thread(self.apply_filter, self.filter, keep_position=True)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        commands = [
            ("Filter by entity", "Choose people, organisations and places to include or exclude (e)", self.action_entities),
            ("Search", "Find words in the events' sentences (/)", lambda: self.action_prompt("search")),
            ("Go to a date", "Jump to a year, month or any written date (g)", lambda: self.action_prompt("jump")),
            ("Date range", "Show only events from one date to another (d)", lambda: self.action_prompt("dates")),
            ("Clear filters", "Show every event again (c)", self.action_clear_filters),
            ("All or any entity", "Match all chosen entities or any of them (a)", self.action_toggle_match),
            ("Entities in the sentence or the article",
             "Chosen entities must be named in the event's sentence, or anywhere in its article (w)",
             self.action_toggle_in_article),
            ("Group stories", "One row per story told by several sources, or every sentence (u)", self.action_toggle_grouped),
            ("Mark event", "Mark or unmark the selected event (m)", self.action_mark),
            ("Marked only", "Show only marked events, or everything again (M)", self.action_marked_only),
            ("Export to Markdown", "Write the events shown to a Markdown file (x)", self.action_export),
            ("Open article", "Read the selected event's whole article (Enter)", self.action_open_article),
            ("Open database", "Browse another timeline database", lambda: self.action_prompt("open")),
            ("Re-index", "Index the articles' files again and reload", self.action_reindex),
            ("Reload", "Read the database again, after indexing elsewhere (r)", self.action_reload),
            ("Help", "What timeline is, and every key (F1)", self.action_help),
        ]
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def _when(event: Event) -> str:
    """The event's period in words, then as TimeML writes it and the words the article used:
    When: the 19th century (18, “last century”)."""
    said = describe(event.value, event.granularity, event.start)
    details = [event.value] if said != event.value else []
    if event.timex:
        details.append(f"“{one_line(event.timex)}”")
    return f"\n\nWhen: {said}" + (f" ({', '.join(details)})" if details else "")
