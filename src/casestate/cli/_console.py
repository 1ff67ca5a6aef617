"""Output: where it goes, when it has colour, and the progress bar of long runs."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

_WIDE = 160


def _colour_allowed() -> bool:
    # https://no-color.org: any non-empty value switches colour off.
    return not os.environ.get("NO_COLOR")


def out() -> Console:
    """The console for results (stdout): colour only on a terminal and without NO_COLOR.

    Soft wrapping keeps every reported line whole when it is piped into a
    file, and tables get room there rather than the 80 columns of a guess.
    """
    console = Console(highlight=False, soft_wrap=True, no_color=not _colour_allowed())
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = _WIDE
    return console


def err() -> Console:
    """The console for faults and progress (stderr)."""
    return Console(
        highlight=False,
        soft_wrap=True,
        no_color=not _colour_allowed(),
        stderr=True,
    )


class Meter:
    """Advances a progress bar by bytes read; does nothing when no bar is shown."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self._progress = progress
        self._task = None if progress is None else progress.add_task("checking", total=total or None)

    @property
    def shown(self) -> bool:
        """Whether a bar is on screen (callers skip the bookkeeping otherwise)."""
        return self._progress is not None

    def update(self, done: int, description: str | None = None) -> None:
        """Set the bar to *done* bytes."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done, description=description or "checking")


@contextmanager
def meter(total: int, *, quiet: bool) -> Iterator[Meter]:
    """A progress bar on stderr for a run over *total* bytes, only on a terminal and unless *quiet*."""
    stream = sys.stderr
    if quiet or not stream.isatty():
        yield Meter(None, total)
        return
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err(),
        transient=True,
    )
    with progress:
        yield Meter(progress, total)
