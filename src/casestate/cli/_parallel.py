"""``validate --jobs N``: JSON Lines files checked in several processes, the cases shared out.

Cases are independent of one another: each change is checked against its own
case only. So each of N worker processes reads every file, but parses and
checks only the lines of its own cases (by a hash of the case id, read from
the line's bytes where that is certain, else from the parsed line); the cases
of one process never meet those of another. Each worker writes its findings,
in file order, to a file of its own; once all are done, this process merges
them back into file order and adds up the tallies. The findings and the
summary are the same as with one process, only printed at the end.

Workers are new interpreters (``python -m casestate.cli._parallel TASK``),
not forks or ``multiprocessing`` children: they share no connection, thread
or console with this process, and they never import the caller's own script.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import attrs
import click

import casestate
from casestate import Batch, Case

from ._checking import Finding, Tally, check_files
from ._console import Meter, meter
from ._options import load_workflow
from ._reading import kind_of, size_of
from ._stores import opened_store

_FINDINGS_AT_ONCE = 1000
_POLL_SECONDS = 0.2
_COUNTER = 8  # bytes of a worker's progress counter

Ordered = tuple[int, int, tuple[Any, ...]]
"""A finding with where it sorts: (file index, line number, the finding's fields).

The fields go as a plain tuple: pickling a tuple costs a fraction of an attrs instance."""


@attrs.frozen
class Task:
    """What one worker is to do: its share of the cases, and the options of ``validate``."""

    job: int
    jobs: int
    files: tuple[str, ...]
    store: str | None
    workflow_path: Path | None
    key: bytes | None
    input_format: str | None
    max_line_bytes: int


def can_share(files: tuple[str, ...], input_format: str | None) -> bool:
    """Whether every file is JSON Lines: CSV rows are checked in one process."""
    return all(kind_of(path, input_format) == "jsonl" for path in files)


def check_shared(
    files: tuple[str, ...],
    *,
    jobs: int,
    store: str | None,
    workflow_path: Path | None,
    key: bytes | None,
    input_format: str | None,
    max_line_bytes: int,
    quiet: bool,
    on_finding: Callable[[Finding], None],
) -> Tally:
    """Check *files* in *jobs* processes; the findings go to *on_finding* in file order at the end."""
    # The folder is the user's alone (mode 0o700): the tasks may hold the chain key.
    with tempfile.TemporaryDirectory(prefix="casestate-validate-") as folder:
        places = [Path(folder) / f"job-{job}" for job in range(jobs)]
        workers: list[subprocess.Popen[bytes]] = []
        try:
            for job, place in enumerate(places):
                task = Task(job, jobs, files, store, workflow_path, key, input_format, max_line_bytes)
                place.with_suffix(".task").write_bytes(pickle.dumps(task))
                place.with_suffix(".done").write_bytes(bytes(_COUNTER))
                with place.with_suffix(".err").open("wb") as errors:
                    workers.append(
                        subprocess.Popen(  # noqa: S603 - this interpreter, this module, a file of ours
                            [sys.executable, "-m", __name__, str(place)],
                            stdin=subprocess.DEVNULL,
                            stderr=errors,
                            env=_environment(),
                        )
                    )
            with meter(size_of(files), quiet=quiet) as bar:
                _wait(workers, places, bar)
            tallies = [_outcome(worker, place) for worker, place in zip(workers, places, strict=True)]
            for _, _, fields in heapq.merge(*(_findings(place) for place in places)):
                on_finding(Finding(*fields))
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.terminate()
                worker.wait()
    total = Tally()
    for tally in tallies:
        _add(total, tally)
    return total


def _environment() -> dict[str, str]:
    """This process's environment, with the folder this casestate came from first on the path.

    A worker then imports the very casestate its parent runs, even one that
    is not installed (a checkout put on ``sys.path`` by a script).
    """
    home = str(Path(casestate.__file__).resolve().parents[1])
    paths = [home, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def _wait(workers: Sequence[subprocess.Popen[bytes]], places: Sequence[Path], bar: Meter) -> None:
    """Until every worker has ended; the bar shows the slowest one's progress."""
    while True:
        for worker in workers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(_POLL_SECONDS)
            if bar.shown:
                bar.update(min(_read_counter(place) for place in places))
        if all(worker.poll() is not None for worker in workers):
            return


def _read_counter(place: Path) -> int:
    return int.from_bytes(place.with_suffix(".done").read_bytes()[:_COUNTER], "little")


def _outcome(worker: subprocess.Popen[bytes], place: Path) -> Tally:
    """The worker's tally; its fault raised again here, or a clear error if it died without one."""
    failed = place.with_suffix(".fault")
    if failed.exists():
        try:
            fault: BaseException = pickle.loads(failed.read_bytes())  # noqa: S301 - written by this run's worker
        except Exception as unreadable:  # noqa: BLE001 - a fault that does not unpickle is still a fault
            msg = f"a checking process failed and its fault cannot be read ({unreadable}); try without --jobs"
            raise click.ClickException(msg) from None
        raise fault
    tally_file = place.with_suffix(".tally")
    if worker.returncode != 0 or not tally_file.exists():
        said = place.with_suffix(".err").read_text(errors="replace").strip().splitlines()[-3:]
        msg = f"a checking process stopped unexpectedly (exit status {worker.returncode})"
        if said:
            msg += ": " + " / ".join(said)
        raise click.ClickException(msg + "; try without --jobs")
    tally: Tally = pickle.loads(tally_file.read_bytes())  # noqa: S301 - as above
    return tally


def _findings(place: Path) -> Iterator[Ordered]:
    """A worker's findings, in its file order, read a batch at a time."""
    with place.with_suffix(".findings").open("rb") as stream:
        while True:
            try:
                batch: list[Ordered] = pickle.load(stream)  # noqa: S301 - as above
            except EOFError:
                return
            yield from batch


def _add(total: Tally, part: Tally) -> None:
    total.lines += part.lines
    total.accepted += part.accepted
    total.rejected += part.rejected
    total.outcomes.update(part.outcomes)
    total.rejected_codes.update(part.rejected_codes)
    total.conflict_codes.update(part.conflict_codes)
    total.unreadable.extend(part.unreadable)


class _Progress(Meter):
    """A worker's bytes read, over all its files, in a counter file the parent reads."""

    def __init__(self, counter: int) -> None:
        super().__init__(None, 0)
        self._counter = counter
        self.before = 0
        """The size of the files already checked."""

    @property
    def shown(self) -> bool:
        """Always: the parent decides whether to draw a bar."""
        return True

    def update(self, done: int, description: str | None = None) -> None:  # noqa: ARG002 - the parent shows no file name
        """Set the bytes read in the current file."""
        os.pwrite(self._counter, (self.before + done).to_bytes(_COUNTER, "little"), 0)


def work(place: Path) -> None:
    """Do the task at *place*: check its cases; the findings, tally or fault go to files beside it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers on Ctrl-C
    try:
        task: Task = pickle.loads(place.with_suffix(".task").read_bytes())  # noqa: S301 - written by the parent
        counter = os.open(place.with_suffix(".done"), os.O_WRONLY)
        try:
            with place.with_suffix(".findings").open("wb") as stream:
                tally = _check_share(task, stream, _Progress(counter))
        finally:
            os.close(counter)
        place.with_suffix(".tally").write_bytes(pickle.dumps(tally))
    except BaseException as fault:  # noqa: BLE001 - every fault goes to the parent, which reports it
        try:
            payload = pickle.dumps(fault)
        except Exception:  # noqa: BLE001 - a fault that cannot be pickled is sent as its text
            payload = pickle.dumps(RuntimeError("".join(traceback.format_exception(fault))))
        place.with_suffix(".fault").write_bytes(payload)


def _check_share(task: Task, stream: BinaryIO, progress: _Progress) -> Tally:
    workflow = load_workflow(task.workflow_path)
    tally = Tally()
    pending: list[Ordered] = []
    index = 0

    def keep(finding: Finding) -> None:
        pending.append((index, finding.number, attrs.astuple(finding, recurse=False)))
        if len(pending) >= _FINDINGS_AT_ONCE:
            pickle.dump(pending, stream, protocol=pickle.HIGHEST_PROTOCOL)
            pending.clear()

    with opened_store(task.store, workflow, task.key) as held:
        load: Callable[[str], Case | None] | None = None if held is None else held.load_or_none
        batch = Batch(workflow, load=load)
        # One file at a time, so that each finding knows which file it sorts in.
        for index, path in enumerate(task.files):  # noqa: B007 - keep() reads the file index
            check_files(
                (path,),
                batch,
                tally,
                input_format=task.input_format,
                max_line_bytes=task.max_line_bytes,
                meter=progress,
                on_finding=keep,
                share=(task.job, task.jobs),
            )
            progress.before += size_of((path,))
    if pending:
        pickle.dump(pending, stream, protocol=pickle.HIGHEST_PROTOCOL)
    return tally


def _main(arguments: list[str]) -> int:
    """``python -m casestate.cli._parallel PLACE``: one worker; its faults go to the parent in a file."""
    work(Path(arguments[0]))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
