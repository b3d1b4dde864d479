"""The scrolling timeline: draws only the rows on screen, fetching events from SQLite by window."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .display import one_line, search_pattern
from .model import Event, Source
from .periods import FINE, describe
from .rows import Heading, RowMap, leading_groups
from .store import Filter, Group, Store, bucket_of

PAGE = 128  # events fetched per query
PAGES_KEPT = 24
DATE_WIDTH = 16  # indent and date label
_SHORT_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def date_label(event: Event) -> str:
    """The event's period as the timeline's date column shows it."""
    if event.granularity == "day":
        label = f"{int(event.start[8:10]):>2} {_SHORT_MONTHS[int(event.start[5:7]) - 1]}"
        time = event.value.partition("T")[2]
        return f"{label} {time[:5]}" if time[:2].isdigit() else label
    if event.granularity == "month":
        return "all month"
    if event.granularity == "week":
        return f"week {event.value[6:8]}" + (" end" if event.value.endswith("-WE") else "")
    if event.granularity == "century":  # "the 19th century" would not fit the column
        return describe(event.value, event.granularity, event.start).removeprefix("the ")
    return describe(event.value, event.granularity, event.start)


def _nothing_found(flt: Filter) -> str:
    if flt.entity_ids and not flt.in_article:
        return "  No events. Press w to look in the whole article, or c to clear the filters."
    return "  No events. Press c to clear the filters."


class TimelineView(ScrollView, can_focus=True):
    """Every event of the filtered timeline under year and month headings; one row each."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(-1)", "Top", show=False),
        Binding("end", "edge(1)", "Bottom", show=False),
        Binding("tab", "app.next_source", "Next source", show=False),
    ]
    COMPONENT_CLASSES = {
        "timeline--year", "timeline--month", "timeline--date", "timeline--cursor", "timeline--empty",
        "timeline--mark", "timeline--match",
    }
    DEFAULT_CSS = """
    TimelineView { background: $surface; }
    TimelineView > .timeline--year { text-style: bold; color: $text-accent; }
    TimelineView > .timeline--month { text-style: bold; color: $text-secondary; }
    TimelineView > .timeline--date { color: $text-muted; }
    TimelineView > .timeline--cursor { background: $block-cursor-blurred-background; }
    TimelineView:focus > .timeline--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    TimelineView > .timeline--empty { color: $text-muted; text-style: italic; }
    TimelineView > .timeline--mark { color: $text-warning; }
    TimelineView > .timeline--match { text-style: bold underline; color: $text-warning; }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class Selected(Message):
        """The cursor is on another event (or on none: event is None)."""

        def __init__(self, event: Event | None, source: Source | None) -> None:
            super().__init__()
            self.event = event
            self.source = source

    def __init__(self, store: Store, **kwargs) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.filter = Filter()
        self.rows = RowMap([])
        self.counting = False  # rows known only from the top: the rest are being counted
        self.loads = 0  # how many timelines were loaded: a count is for one of them
        self._wanted_row: int | None = None  # where to go once they are
        self._pages: OrderedDict[int, list[tuple[Event, Source]]] = OrderedDict()

    # --- data ------------------------------------------------------------------

    def load(self, flt: Filter | None = None, *, keep_position: bool = False) -> None:
        """Show the timeline for a filter (the current one if None), from the top or where it was.

        When its headings are slow to count (a search for a common word), the first page is
        shown at once under its own headings, and ``counting`` is set: the caller counts in
        the background and hands the headings to ``counted`` with ``loads`` as it is now."""
        if flt is not None:
            self.filter = flt
        self.loads += 1
        self._pages.clear()
        self._wanted_row = None
        first, groups = self.store.top(self.filter, PAGE)
        if first is not None:
            self._pages[0] = self._as_shown(first)
        self.counting = groups is None and len(first) == PAGE  # a short first page is the whole timeline
        if groups is None:
            groups = leading_groups([bucket_of(event.start, event.granularity) for event, _ in first])
        self.rows = RowMap(groups)
        self.virtual_size = Size(self.size.width, len(self.rows))
        if keep_position:
            self.move_to(self.cursor_row)
        else:
            self.scroll_to(y=0, animate=False)
            self.cursor_row = self.rows.event_row_near(0) or 0
        self.refresh()  # every row, not only the cursor's: the pages behind them are new

    def counted(self, load: int, groups: list[Group]) -> bool:
        """Take the headings of the timeline being counted (the load-th loaded); False if it is
        no longer the one shown. Rows already shown keep their numbers: only rows after them
        are added."""
        if not self.counting or load != self.loads:
            return False
        self.counting = False
        self.rows = RowMap(groups)
        self.virtual_size = Size(self.size.width, len(self.rows))
        if self._wanted_row is not None:
            self.move_to(self._wanted_row)
            self._wanted_row = None
        self.refresh()
        return True

    def row_event(self, position: int) -> tuple[Event, Source] | None:
        number, offset = divmod(position, PAGE)
        page = self._pages.get(number)
        if page is None:
            page = self._as_shown(self.store.events(self.filter, offset=number * PAGE, limit=PAGE, known=self.rows.groups))
            self._pages[number] = page
            if len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def _as_shown(self, page: list[tuple[Event, Source]]) -> list[tuple[Event, Source]]:
        """A page of rows as the timeline shows them: under a search, a story by the telling it found."""
        if self.filter.grouped and self.filter.search:
            return self.store.tellings_found(page, self.filter.search)
        return page

    @property
    def selected(self) -> tuple[Event, Source] | None:
        position = self.rows.at(self.cursor_row)
        return self.row_event(position) if isinstance(position, int) else None

    @property
    def event_count(self) -> int:
        return self.rows.events

    # --- drawing ---------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = int(self.scroll_offset.y) + y
        base = self.rich_style
        if not len(self.rows):
            if y == 1:
                text = _nothing_found(self.filter) if not self.filter.is_empty else "  No events yet: index some articles (timeline index PATH)."
                return Strip([Segment(text[:width], self.get_component_rich_style("timeline--empty"))]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        item = self.rows.at(row)
        if item is None:
            return Strip.blank(width, base)
        if isinstance(item, Heading):
            return self._heading_strip(item, width, base)
        return self._event_strip(item, row == self.cursor_row, width, base)

    def _heading_strip(self, heading: Heading, width: int, base: Style) -> Strip:
        style = self.get_component_rich_style("timeline--year" if heading.level == 1 else "timeline--month")
        indent = "" if heading.level == 1 else "  "
        return Strip([Segment(" " + indent, base), Segment(heading.label, style)]).adjust_cell_length(width, base)

    def _event_strip(self, position: int, is_cursor: bool, width: int, base: Style) -> Strip:
        found = self.row_event(position)
        if found is None:
            return Strip.blank(width, base)
        event, _source = found
        indent = "    " if event.granularity in FINE else "  "
        label = date_label(event)[: DATE_WIDTH - len(indent)].ljust(DATE_WIDTH - len(indent))
        line_style = self.get_component_rich_style("timeline--cursor") if is_cursor else base
        date_style = line_style if is_cursor else line_style + self.get_component_rich_style("timeline--date")
        mark_style = line_style + self.get_component_rich_style("timeline--mark")
        suffix = f"  {event.sources} sources" if event.sources > 1 else ""
        room = max(width - 1 - DATE_WIDTH - 1 - len(suffix), 1)
        text = one_line(event.text)
        if len(text) > room:
            text = text[: room - 1] + "…"
        segments = [
            Segment("●" if event.marked else " ", mark_style),
            Segment(indent, line_style),
            Segment(label + " ", date_style),
            *self._highlighted(text, line_style),
            Segment(suffix, date_style),
        ]
        return Strip(segments).adjust_cell_length(width, line_style)

    def _highlighted(self, text: str, style: Style) -> list[Segment]:
        """text as segments, the search's words picked out."""
        pattern = search_pattern(self.filter.search)
        if pattern is None:
            return [Segment(text, style)]
        match_style = style + self.get_component_rich_style("timeline--match")
        segments, last = [], 0
        for match in pattern.finditer(text):
            segments += [Segment(text[last : match.start()], style), Segment(match.group(), match_style)]
            last = match.end()
        segments.append(Segment(text[last:], style))
        return segments

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))

    # --- moving ----------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_line(old - int(self.scroll_offset.y))
        self.refresh_line(new - int(self.scroll_offset.y))
        self._scroll_cursor_into_view()
        selected = self.selected
        self.post_message(self.Selected(*(selected or (None, None))))

    def refresh_line(self, y: int) -> None:
        if 0 <= y < self.size.height:
            super().refresh_line(y)

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        top = int(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self._top_with_heading(self.cursor_row), animate=False)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False)

    def _top_with_heading(self, row: int) -> int:
        """Scrolling up onto the first event of a group shows its headings too."""
        while row > 0 and isinstance(self.rows.at(row - 1), Heading):
            row -= 1
        return row

    def move_to(self, row: int, step: int = 1) -> None:
        # a row not counted yet is gone to once it is, unless the cursor moves on meanwhile
        self._wanted_row = row if self.counting and row >= len(self.rows) else None
        target = self.rows.event_row_near(max(0, min(row, len(self.rows) - 1)), step)
        if target is None:
            target = self.rows.event_row_near(max(0, min(row, len(self.rows) - 1)), -step)
        if target is not None:
            self.cursor_row = target

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor_row + step, step)

    def action_page(self, step: int) -> None:
        height = max(self.scrollable_content_region.height - 1, 1)
        self.scroll_to(y=self.scroll_offset.y + step * height, animate=False)
        self.move_to(self.cursor_row + step * height, step)

    def action_edge(self, step: int) -> None:
        if step < 0:
            self.move_to(0, 1)
            self.scroll_to(y=0, animate=False)
        else:
            self.move_to(len(self.rows) - 1, -1)

    def action_heading(self, step: int) -> None:
        """Move to the first event under the next heading (step 1), or the current or previous one (-1)."""
        starts = self.rows.group_rows()
        if step > 0:
            index = bisect_right(starts, self.cursor_row)
        else:
            index = bisect_left(starts, self.cursor_row) - 1
        if 0 <= index < len(starts):
            self.move_to(starts[index])
            self.scroll_to(y=self._top_with_heading(self.cursor_row), animate=False)

    def go_to_position(self, position: int) -> None:
        """Put the cursor on the event at a timeline position, its headings in view at the top."""
        if self.rows.events:
            self.move_to(self.rows.row_of(min(max(position, 0), self.rows.events - 1)))
            self.scroll_to(y=self._top_with_heading(self.cursor_row), animate=False)

    def forget_rows(self) -> None:
        """Fetch every row again (after marking, say) without moving."""
        self._pages.clear()
        self.refresh()

    def on_click(self, event: Click) -> None:
        row = int(self.scroll_offset.y) + event.y
        if isinstance(self.rows.at(row), int):
            self.cursor_row = row
