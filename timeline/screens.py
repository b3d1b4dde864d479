"""The app's pop-up screens: entity filter, whole article, help."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Markdown, SelectionList, Static
from textual.widgets.selection_list import Selection

from .display import one_line, search_pattern, visible
from .model import Event
from .periods import describe
from .sentences import paragraph_around
from .store import EntityCount, Store

ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")


def entity_prompt(entity: EntityCount, excluded: bool = False) -> Text:
    line = Text("not " if excluded else "", style="bold red")
    line.append(one_line(entity.name), style="strike" if excluded else "")
    line.append(f"  {entity.type}", style="dim")
    line.append(f"  {entity.count:,} event{'' if entity.count == 1 else 's'}", style="bold")
    line.append(f" · {entity.articles:,} article{'' if entity.articles == 1 else 's'}", style="dim")
    return line


class EntityFilterScreen(ModalScreen[tuple[set[int], set[int]] | None]):
    """Pick entities to filter by: type to narrow, Enter or Space to toggle, - to exclude, Escape when done."""

    BINDINGS = [
        Binding("escape", "done", "Done"),
        Binding("ctrl+r", "clear", "Clear all"),
        Binding("ctrl+t", "cycle_type", "Type"),
        Binding("down", "list_down", show=False),
        Binding("up", "list_up", show=False),
    ]
    LIMIT = 300

    def __init__(self, store: Store, selected: set[int], excluded: set[int] = frozenset()) -> None:
        super().__init__()
        self.store = store
        self.selected = set(selected)
        self.excluded = set(excluded)
        self.type_index = -1  # -1: every type

    def compose(self) -> ComposeResult:
        with Vertical(id="entity-dialog"):
            yield Static("Filter by entity", id="entity-title")
            yield Input(placeholder="Type to narrow… Enter toggles, - excludes, Tab to the list", id="entity-narrow")
            yield SelectionList[int](id="entity-list")
            yield Static("", id="entity-status")
        yield Footer()

    def on_mount(self) -> None:
        self.refill()

    @property
    def type_filter(self) -> tuple[str, ...]:
        return () if self.type_index < 0 else (ENTITY_TYPES[self.type_index],)

    def refill(self, keep_highlight: bool = False) -> None:
        narrow = self.query_one("#entity-narrow", Input).value
        found = self.store.entities(narrow, limit=self.LIMIT, types=self.type_filter)
        shown = {f.id for f in found}
        chosen = [e for e in self.store.entities_by_id(self.selected | self.excluded) if e.id not in shown]
        listing = self.query_one("#entity-list", SelectionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(
            Selection(entity_prompt(entity, entity.id in self.excluded), entity.id, entity.id in self.selected)
            for entity in chosen + found
        )
        if listing.option_count:  # the best match, below the chosen entities kept in view
            listing.highlighted = min(len(chosen), listing.option_count - 1)
        if keep_highlight and highlighted is not None and highlighted < listing.option_count:
            listing.highlighted = highlighted
        kind = "all types" if self.type_index < 0 else ENTITY_TYPES[self.type_index]
        more = f" (first {self.LIMIT})" if len(found) >= self.LIMIT else ""
        self._status(f"{kind} · {len(found)} shown{more}")

    def _status(self, detail: str = "") -> None:
        counts = f"{len(self.selected)} chosen, {len(self.excluded)} excluded"
        self.query_one("#entity-status", Static).update(Text(counts + (f" · {detail}" if detail else "")))

    @on(Input.Changed, "#entity-narrow")
    def narrowed(self) -> None:
        self.refill()

    @on(Input.Submitted, "#entity-narrow")
    def toggle_highlighted(self) -> None:
        listing = self.query_one("#entity-list", SelectionList)
        if listing.highlighted is not None:
            listing.toggle(listing.get_option_at_index(listing.highlighted).value)

    @on(SelectionList.SelectedChanged, "#entity-list")
    def remember(self, event: SelectionList.SelectedChanged) -> None:
        listing = event.selection_list
        shown = {listing.get_option_at_index(i).value for i in range(listing.option_count)}
        self.selected = (self.selected - shown) | set(listing.selected)
        self.excluded -= self.selected
        self._status()

    def on_key(self, event) -> None:
        narrow = self.query_one("#entity-narrow", Input)
        if event.key == "minus" and (not narrow.has_focus or not narrow.value):
            event.stop()
            event.prevent_default()
            self.toggle_excluded()

    def toggle_excluded(self) -> None:
        listing = self.query_one("#entity-list", SelectionList)
        if listing.highlighted is None:
            return
        entity_id = listing.get_option_at_index(listing.highlighted).value
        if entity_id in self.excluded:
            self.excluded.discard(entity_id)
        else:
            self.excluded.add(entity_id)
            self.selected.discard(entity_id)
        self.refill(keep_highlight=True)

    def action_list_down(self) -> None:
        self.query_one("#entity-list", SelectionList).action_cursor_down()

    def action_list_up(self) -> None:
        self.query_one("#entity-list", SelectionList).action_cursor_up()

    def action_clear(self) -> None:
        self.selected.clear()
        self.excluded.clear()
        self.query_one("#entity-list", SelectionList).deselect_all()
        self.refill()

    def action_cycle_type(self) -> None:
        self.type_index = self.type_index + 1 if self.type_index + 1 < len(ENTITY_TYPES) else -1
        self.refill()

    def action_done(self) -> None:
        self.dismiss((self.selected, self.excluded))


class ArticleScreen(ModalScreen[None]):
    """The whole article, scrolled to the event's sentence, which is highlighted;
    every other sentence that is an event on the timeline is underlined."""

    BINDINGS = [Binding("escape,q,o,enter", "close", "Close")]

    def __init__(self, store: Store, event: Event) -> None:
        super().__init__()
        self.store = store
        self.event = event

    def compose(self) -> ComposeResult:
        article = self.store.article(self.event.article_id) or {}
        self.event_spans = self.store.article_event_spans(self.event.article_id)
        text = article.get("text", "")
        with VerticalScroll(id="article-body"):
            yield Static(Text(one_line(article.get("title") or ""), style="bold"), classes="article-title")
            yield Static(Text(citation(article), style="dim"), classes="article-meta")
            start = 0
            while start <= len(text):
                end = text.find("\n", start)
                end = len(text) if end == -1 else end
                if text[start:end].strip():
                    yield self._paragraph(text, start, end)
                start = end + 1
        yield Footer()

    def _paragraph(self, text: str, start: int, end: int) -> Static:
        body = Text(visible(text[start:end]))
        for first, last in self.event_spans:
            if first < end and last > start:
                body.stylize("underline", max(first, start) - start, min(last, end) - start)
        holds_event = start <= self.event.char_start < end or start < self.event.char_end <= end
        if holds_event:
            body.stylize("reverse", self.event.char_start - start, self.event.char_end - start)
        return Static(body, classes="article-paragraph" + (" -event" if holds_event else ""))

    def on_mount(self) -> None:
        found = self.query(".-event")
        if found:
            self.call_after_refresh(self.query_one("#article-body").scroll_to_center, found.first(), animate=False)

    def action_close(self) -> None:
        self.dismiss(None)


def citation(article: dict) -> str:
    published = article.get("published")
    parts = [article.get("source") or "", f"published {describe(published, 'day', published)}" if published else ""]
    if article.get("published_guessed"):
        parts[-1] += " (a guess from the file's date)"
    if article.get("url"):
        parts.append(article["url"])
    return one_line(" · ".join(part for part in parts if part))


def excerpt_text(store: Store, event: Event, source_title: str, article_meta: dict, search: str = "") -> Text:
    """The event's paragraph with its sentence highlighted (and the search's words picked out),
    under the article's title and date."""
    window, start, end = store.excerpt(event)
    first, last = paragraph_around(window, start, end)
    text = Text()
    text.append(one_line(source_title) + "\n", style="bold")
    text.append(citation(article_meta) + "\n\n", style="dim")
    offset = len(text)
    text.append(visible(window[first:start]))
    text.append(visible(window[start:end]), style="reverse")
    text.append(visible(window[end:last]))
    pattern = search_pattern(search)
    if pattern is not None:
        for match in pattern.finditer(text.plain, offset):
            text.stylize("bold underline", match.start(), match.end())
    return text


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y or Enter says yes, n or Escape no."""

    BINDINGS = [Binding("y,enter", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(Text(one_line(self.question)))
            yield Static(Text("y: yes    n: no", style="dim"))
        yield Footer()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


KEYS = """\
| Key | What it does |
| --- | --- |
| ↑ ↓ or j k | Move between events |
| PgUp PgDn, Home End | Page up and down, top and bottom |
| [ ] | The first event of the current or previous period, of the next period |
| g | Go to a date or period: 2024, June 2025, 2025-Q2, last year… |
| t | Focus the density strip: ← → pick a stretch of time, Enter jumps there, Esc leaves |
| Enter or o | Open the whole article, scrolled to the event's sentence (other events underlined) |
| Tab | When several sources tell the event: show the next source's sentence |
| e | Entities: type to narrow, Enter (Space in the list) chooses, - excludes, ctrl+t cycles the type, ctrl+r clears, Esc applies |
| a | With several chosen entities: events naming all of them, or any |
| w | Chosen entities must be named in the event's sentence (the default), or anywhere in its article |
| / | Search the sentences; matches are picked out. Enter applies, empty clears, Esc cancels |
| n N | Next and previous match of the search |
| d | Date range: 2024 to 2025-06, since March 2025, last year… (empty clears) |
| u | One row per story told by several sources, or every source's sentence |
| m | Mark or unmark the selected event (marks are kept in the database) |
| M | Show only marked events, or everything again |
| c | Clear every filter |
| x | Export the events shown to a Markdown file (asks for the name; asks before overwriting) |
| r | Reload from the database (after indexing elsewhere) |
| ctrl+p | Command palette: every action, open another database, re-index, change theme |
| F1 | This help |
| q | Quit (filters, position and theme are remembered for this database) |
"""

HELP = f"""\
# timeline

A timeline of news: every dated statement in the indexed articles, placed at the
period it talks about (a year, a quarter, a month, a day) and grouped by year and month.

## Keys

{KEYS}
The mouse works too: click an event to select it, a cell of the density strip to jump there,
scroll with the wheel.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Markdown(HELP)
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
