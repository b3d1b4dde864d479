"""A one-line strip of block characters: how many events each stretch of the timeline holds."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from .rows import Cell, density_cells
from .store import Group

BLOCKS = " ▁▂▃▄▅▆▇█"


class DensityStrip(Widget, can_focus=True):
    """Where the story happened. Click a cell, or focus the strip (t) and use ← → and Enter, to jump there."""

    BINDINGS = [
        Binding("left", "move(-1)", "Earlier", show=False),
        Binding("right", "move(1)", "Later", show=False),
        Binding("enter", "jump", "Jump", show=False),
        Binding("escape", "leave", "Back", show=False),
    ]
    DEFAULT_CSS = """
    DensityStrip { height: 1; padding: 0 1; color: $text-accent; }
    DensityStrip:focus { background: $boost; }
    """
    cursor: reactive[int] = reactive(0)

    class Jump(Message):
        def __init__(self, position: int) -> None:
            super().__init__()
            self.position = position

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.groups: list[Group] = []
        self.cells: list[Cell] = []

    def show(self, groups: Sequence[Group]) -> None:
        self.groups = list(groups)
        self._layout()

    def on_resize(self) -> None:
        self._layout()

    def _layout(self) -> None:
        width = max(self.size.width - 2, 0)
        label_room = 12  # the first and last labels
        self.cells = density_cells(self.groups, max(width - label_room, 1))
        self.cursor = min(self.cursor, max(len(self.cells) - 1, 0))
        self.refresh()

    def render(self) -> Text:
        if not self.cells:
            return Text("")
        top = max(cell.count for cell in self.cells) or 1
        line = Text(self.cells[0].label[:4] + " ", style="dim")
        for index, cell in enumerate(self.cells):
            level = 0 if cell.count == 0 else 1 + (len(BLOCKS) - 2) * cell.count // top
            style = "reverse" if self.has_focus and index == self.cursor else ""
            line.append(BLOCKS[level], style=style)
        line.append(" " + self.cells[-1].label[:7], style="dim")
        return line

    def cell_at(self, x: int) -> int | None:
        index = x - 1 - 5  # padding, then the first label
        return index if 0 <= index < len(self.cells) else None

    def on_click(self, event: Click) -> None:
        index = self.cell_at(event.x)
        if index is not None:
            self.cursor = index
            self.post_message(self.Jump(self.cells[index].position))

    def action_move(self, step: int) -> None:
        if self.cells:
            self.cursor = (self.cursor + step) % len(self.cells)
            self.tooltip = f"{self.cells[self.cursor].label}: {self.cells[self.cursor].count} events"

    def action_jump(self) -> None:
        if self.cells:
            self.post_message(self.Jump(self.cells[self.cursor].position))

    def action_leave(self) -> None:
        self.screen.focus_next()

    def watch_cursor(self) -> None:
        self.refresh()
