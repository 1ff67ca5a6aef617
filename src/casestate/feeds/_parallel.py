"""Checking with ``jobs``: JSON Lines files checked in several processes, the cases shared out.

Cases are independent of one another: each change is checked against its own
case only. So each of N worker processes reads every file, but parses and
checks only the lines of its own cases (by a hash of the case id, read from
the line's bytes where that is certain, else from the parsed line); the cases
of one process never meet those of another. Each worker writes its findings,
in file order, to a file of its own; once all are done, this process merges
them back into file order and adds up the tallies. The findings and the
summary are the same as with one process, only handed over at the end.

Workers are new interpreters (``python -P -c``), not forks or
``multiprocessing`` children: they share no connection, thread or console
with this process, never import the caller's own script, and take their task
(the chain key among it) through a pipe, so it never touches the disk.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import pickle
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any, BinaryIO

import attrs

import casestate
from casestate import DEFAULT_WORKFLOW, Batch, Workflow, workflow_from_json, workflow_to_json

from ._checking import Progress, Tally, check_into
from ._errors import WorkerFault
from ._reading import kind_of, total_bytes
from ._report import Finding
from ._stores import loader, open_store

_FINDINGS_AT_ONCE = 1000
_POLL_SECONDS = 0.2
_COUNTER_BYTES = 8  # of a worker's progress counter
_TERMINATED = 128 + signal.SIGTERM
# A worker's first words: put the folder this casestate came from on the path
# when the interpreter would not find it there (a checkout a script put on
# sys.path), then do the task that comes on standard input.
_BOOT = (
    "import sys; home = sys.argv[1]; home in sys.path or sys.path.insert(0, home); "
    "from casestate.feeds._parallel import work; sys.exit(work(sys.stdin.buffer))"
)


Ordered = tuple[int, int, tuple[Any, ...]]
"""A finding with where it sorts: (file index, line number, the finding's fields).

The fields go as a plain tuple: pickling a tuple costs a fraction of an attrs instance."""


@attrs.frozen
class Task:
    """What one worker is to do: its share of the cases, and how to check them."""

    job: int
    jobs: int
    files: tuple[str, ...]
    store: str | None
    """Where the store the cases start from is (see :func:`open_store`); ``None`` for none."""
    workflow: str | None
    """The workflow's definition as JSON; ``None`` for the default workflow."""
    key: bytes | None = attrs.field(repr=False)
    input_format: str | None
    max_line_bytes: int
    place: Path
    """Where the worker writes its findings, tally, fault and progress (``place`` with a suffix)."""
    parent: int
    """The process id of the parent: a worker whose parent is gone stops."""
    now: datetime | None = None
    """The check's clock (see :class:`casestate.Batch`)."""
    locale: str = "en"
    """The language the findings' reasons are said in."""


def can_share(files: tuple[str, ...], input_format: str | None) -> bool:
    """Whether the files can be read by several processes: JSON Lines, regular files, a Python to run.

    CSV rows are checked in one process; so are pipes and other streams
    (``/dev/stdin``), which only one reader can read, and everything when
    this interpreter cannot be started again (a frozen app).
    """
    if getattr(sys, "frozen", False) or not sys.executable:
        return False
    for path in files:
        if kind_of(path, input_format) != "jsonl":
            return False
        try:
            if not stat.S_ISREG(Path(path).stat().st_mode):
                return False
        except OSError:
            return False  # one process reports it as it always does
    return True


def check_shared(
    files: tuple[str, ...],
    *,
    jobs: int,
    store: str | None,
    workflow: Workflow,
    key: bytes | None,
    now: datetime | None,
    input_format: str | None,
    max_line_bytes: int,
    progress: Progress | None,
    on_finding: Callable[[Finding], None],
    locale: str = "en",
) -> Tally:
    """Check *files* in *jobs* processes; the findings go to *on_finding* in file order at the end.

    *progress* hears of the bytes read by the slowest process (with no file name).
    """
    definition = None if workflow is DEFAULT_WORKFLOW else workflow_to_json(workflow)
    with tempfile.TemporaryDirectory(prefix="casestate-validate-") as folder, _stopped_by_sigterm():
        places = [Path(folder) / f"job-{job}" for job in range(jobs)]
        workers: list[subprocess.Popen[bytes]] = []
        try:
            for job, place in enumerate(places):
                task = Task(
                    job,
                    jobs,
                    files,
                    store,
                    definition,
                    key,
                    input_format,
                    max_line_bytes,
                    place,
                    os.getpid(),
                    now,
                    locale,
                )
                workers.append(_start(task))
            _wait(workers, places, progress)
            for worker, place in zip(workers, places, strict=True):
                _raise_fault(worker, place)
            tallies = [_tally(worker, place) for worker, place in zip(workers, places, strict=True)]
            for _, _, fields in heapq.merge(*(_findings(place) for place in places)):
                on_finding(Finding(*fields))
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.terminate()
                worker.wait()
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


def _start(task: Task) -> subprocess.Popen[bytes]:
    """A worker for *task*, its task handed over on its standard input."""
    place = task.place
    place.with_suffix(".progress").write_bytes(bytes(_COUNTER_BYTES))
    home = str(Path(casestate.__file__).resolve().parents[1])
    with place.with_suffix(".err").open("wb") as errors:
        # -P: nothing from the working directory shadows a module the worker imports.
        worker = subprocess.Popen(  # noqa: S603 - this interpreter, fixed code, no shell
            [sys.executable, "-P", "-c", _BOOT, home],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    assert worker.stdin is not None  # noqa: S101 - asked for just above
    with contextlib.suppress(BrokenPipeError):  # a worker that died at once is reported by _raise_fault
        worker.stdin.write(pickle.dumps(task))
    with contextlib.suppress(BrokenPipeError):
        worker.stdin.close()
    return worker


@contextlib.contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C while workers run, so that they are stopped and the folder removed."""

    def stop(_signal: int, _frame: FrameType | None) -> None:
        raise SystemExit(_TERMINATED)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: signals are not ours to take
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _wait(
    workers: Sequence[subprocess.Popen[bytes]], places: Sequence[Path], progress: Progress | None
) -> None:
    """Until every worker has ended, or one has failed; *progress* hears of the slowest one's bytes."""
    while True:
        time.sleep(_POLL_SECONDS)
        if progress is not None:
            progress(min(_read_counter(place) for place in places), None)
        ended = [worker.poll() for worker in workers]
        if all(code is not None for code in ended):
            return
        if any(code not in {None, 0} for code in ended) or any(
            place.with_suffix(".fault").exists() for place in places
        ):
            return  # no use waiting for the others: the run has failed


def _read_counter(place: Path) -> int:
    return int.from_bytes(place.with_suffix(".progress").read_bytes()[:_COUNTER_BYTES], "little")


def _raise_fault(worker: subprocess.Popen[bytes], place: Path) -> None:
    """The worker's fault raised again here, or a clear error if it died without saying why."""
    failed = place.with_suffix(".fault")
    if failed.exists():
        try:
            fault, where = pickle.loads(failed.read_bytes())  # noqa: S301 - written by this run's worker
        except Exception as unreadable:  # noqa: BLE001 - a fault that does not unpickle is still a fault
            msg = f"a checking process failed and its fault cannot be read ({unreadable})"
            raise WorkerFault(msg) from None
        if not isinstance(fault, BaseException):
            msg = f"a checking process failed and its fault cannot be read ({fault!r})"
            raise WorkerFault(msg)
        fault.add_note(f"in a checking process of a check with jobs:\n{where}")
        raise fault
    code = worker.poll()
    if code not in {None, 0}:
        said = place.with_suffix(".err").read_text(errors="replace").strip().splitlines()[-3:]
        msg = f"a checking process stopped unexpectedly (exit status {code})"
        if said:
            msg += ": " + " / ".join(said)
        raise WorkerFault(msg)


def _tally(worker: subprocess.Popen[bytes], place: Path) -> Tally:
    tally_file = place.with_suffix(".tally")
    if not tally_file.exists():
        msg = f"a checking process ended without its result (exit status {worker.poll()})"
        raise WorkerFault(msg)
    tally: Tally = pickle.loads(tally_file.read_bytes())  # noqa: S301 - written by this run's worker
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


class _Progress:
    """A worker's bytes read, over all its files, in a counter file the parent reads.

    Each update also looks for the parent: a worker whose parent was killed stops.
    """

    def __init__(self, counter: int, parent: int) -> None:
        self._counter = counter
        self._parent = parent
        self.before = 0
        """The size of the files already checked."""

    def __call__(self, done: int, path: str | None) -> None:  # noqa: ARG002 - the parent shows no file name
        """Set the bytes read in the current file."""
        if os.getppid() != self._parent:
            os._exit(_TERMINATED)  # orphaned: nobody will read what this worker writes
        os.lseek(self._counter, 0, os.SEEK_SET)
        os.write(self._counter, (self.before + done).to_bytes(_COUNTER_BYTES, "little"))


def work(source: BinaryIO) -> int:
    """Do the task that comes pickled on *source*: check its cases, writing findings and tally beside it.

    A fault is written beside them too, with where it happened, for the parent to report.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers on Ctrl-C
    task: Task = pickle.load(source)  # noqa: S301 - written by the parent, through a pipe
    place = task.place
    try:
        counter = os.open(place.with_suffix(".progress"), os.O_WRONLY)
        try:
            with place.with_suffix(".findings").open("wb") as stream:
                tally = _check_share(task, stream, _Progress(counter, task.parent))
        finally:
            os.close(counter)
        place.with_suffix(".tally").write_bytes(pickle.dumps(tally))
    except BaseException as fault:  # noqa: BLE001 - every fault goes to the parent, which reports it
        where = "".join(traceback.format_exception(fault))
        try:
            payload = pickle.dumps((fault, where))
            pickle.loads(payload)  # noqa: S301 - made just above; a fault must come back out as well
        except Exception:  # noqa: BLE001 - a fault that cannot be pickled is sent as its text
            payload = pickle.dumps((RuntimeError(where), where))
        place.with_suffix(".fault").write_bytes(payload)
        return 1
    return 0


def _check_share(task: Task, stream: BinaryIO, progress: _Progress) -> Tally:
    workflow = DEFAULT_WORKFLOW if task.workflow is None else workflow_from_json(task.workflow)
    tally = Tally()
    pending: list[Ordered] = []

    def keep(index: int, finding: Finding) -> None:
        pending.append((index, finding.number, attrs.astuple(finding, recurse=False)))
        if len(pending) >= _FINDINGS_AT_ONCE:
            pickle.dump(pending, stream, protocol=pickle.HIGHEST_PROTOCOL)
            pending.clear()

    with contextlib.ExitStack() as closing:
        load = None
        if task.store is not None:
            store = closing.enter_context(open_store(task.store, workflow=workflow, key=task.key))
            load = loader(store)
        batch = Batch(workflow, load=load, now=task.now)
        # One file at a time, so that each finding knows which file it sorts in.
        for index, path in enumerate(task.files):
            check_into(
                (path,),
                batch,
                tally,
                input_format=task.input_format,
                max_line_bytes=task.max_line_bytes,
                progress=progress,
                on_finding=partial(keep, index),
                share=(task.job, task.jobs),
                locale=task.locale,
            )
            progress.before += total_bytes((path,))
    if pending:
        pickle.dump(pending, stream, protocol=pickle.HIGHEST_PROTOCOL)
    return tally
