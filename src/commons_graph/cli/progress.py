"""Progress of long commands: a bar with rate and time left on a terminal, nothing otherwise.

Commands (`load`, `import`, `validate`, `export`, and any index rebuild) open one with
`progress_bar(...)` and hand its `Bar` to the work as a plain hook, `bar(done, total)`, or
call `bar.advance()`. The bar is drawn on standard error, only when standard error is a
terminal and `--quiet` was not given: output redirected to a file or piped to another tool
stays clean. Nothing here is needed by the core: the core takes any `(done, total)` callable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

ProgressHook = Callable[[int, int | None], None]
"""Told (work done, work in all, or None when not known) as work goes on."""


class RateColumn(ProgressColumn):
    """How fast the work goes, in its own unit: "1,234 rows/s"."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        """The task's speed, or a dash before it is known."""
        speed = task.finished_speed or task.speed
        if speed is None:
            return Text(f"– {self.unit}/s", style="progress.data.speed")
        return Text(f"{speed:,.0f} {self.unit}/s", style="progress.data.speed")


class Bar:
    """One task of a progress display; calling it is the `ProgressHook`."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self.progress = progress
        self.task = task

    def __call__(self, done: int, total: int | None = None) -> None:
        """Set how much is done (and, when known, how much there is in all)."""
        self.progress.update(self.task, completed=done, total=total)

    def advance(self, amount: int = 1) -> None:
        """Count `amount` more done."""
        self.progress.advance(self.task, amount)

    def describe(self, text: str) -> None:
        """Say what is being done now."""
        self.progress.update(self.task, description=text)

    def note(self, text: str) -> None:
        """Print a line above the bar (or plainly, when no bar is drawn)."""
        self.progress.console.print(text, markup=False, soft_wrap=True)

    @property
    def visible(self) -> bool:
        """Whether a bar is drawn."""
        return not self.progress.disable


def draws_progress(console: Console, quiet: bool = False) -> bool:
    """Whether a bar would be drawn on `console`: a terminal, and not asked to be quiet."""
    return console.is_terminal and not quiet


@contextmanager
def progress_bar(
    description: str,
    *,
    total: int | None = None,
    unit: str = "items",
    quiet: bool = False,
    console: Console | None = None,
) -> Iterator[Bar]:
    """A progress bar on standard error (or `console`) while the block runs; removed after."""
    console = console or Console(stderr=True, highlight=False)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(unit),
        TimeElapsedColumn(),
        TextColumn("elapsed,"),
        TimeRemainingColumn(),
        TextColumn("left"),
    )
    progress = Progress(
        *columns,
        console=console,
        transient=True,
        disable=not draws_progress(console, quiet),
    )
    with progress:
        yield Bar(progress, progress.add_task(description, total=total))


class CountingWriter:
    """A binary file that tells a bar what passes through it: lines, or KiB.

    The bar is told every 256 KiB, not at each (small) write: redrawing costs more than a write.
    """

    _EVERY = 256 * 1024

    def __init__(self, target: BinaryIO, bar: Bar, by_line: bool) -> None:
        self.target = target
        self.bar = bar
        self.by_line = by_line
        self._bytes = 0
        self._lines = 0
        self._told = 0  # bytes already told

    def write(self, data: bytes) -> int:
        """Write `data` to the target and count it."""
        written = self.target.write(data)
        self._bytes += len(data)
        if self.by_line:
            self._lines += data.count(b"\n")
        if self._bytes - self._told >= self._EVERY:
            self._tell()
        return written

    def _tell(self) -> None:
        self._told = self._bytes
        self.bar(self._lines if self.by_line else self._bytes // 1024, self.bar_total)

    @property
    def bar_total(self) -> int | None:
        """The bar's total, unchanged."""
        total = self.bar.progress.tasks[0].total if self.bar.progress.tasks else None
        return None if total is None else int(total)

    def flush(self) -> None:
        """Flush the target, and tell the bar the whole count."""
        self.target.flush()
        self._tell()
