"""``apply_files``: checked changes into a store, all or nothing, or line by line."""

from __future__ import annotations

import os
import signal
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import attrs

from casestate import DEFAULT_WORKFLOW, OPEN, Batch, Case, Change, Rejected, Workflow
from casestate.text import language_of

from ._checking import Checked, Progress, Tally, check_into
from ._errors import ApplyStopped, NotRereadable
from ._reading import DEFAULT_MAX_LINE_BYTES, Format
from ._report import ApplyReport, Finding
from ._stores import Load, loader

if TYPE_CHECKING:
    from casestate.store import CaseStore

FLUSH_AFTER = 10_000
"""Lines held before they are written, together, in one transaction."""


def apply_files(
    paths: Iterable[str | os.PathLike[str]],
    store: CaseStore,
    *,
    workflow: Workflow = DEFAULT_WORKFLOW,
    per_line: bool = False,
    format: Format | None = None,  # noqa: A002 - the word for it; the builtin is not needed here
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    on_finding: Callable[[Finding], None] | None = None,
    progress: Progress | None = None,
    locale: str = "en",
) -> ApplyReport:
    r"""Check the change files at *paths* against *store* and store the accepted changes.

    All or nothing (the default), nothing is stored unless every line of
    every file is accepted: the files are checked in full first, against
    what *store* holds, then read again and written in file order within each
    case, all in one transaction (a run stopped half way stores nothing, and
    a Ctrl-C during the commit is held off until it is done). A file that
    cannot be read twice (a pipe) is refused first, with
    :class:`NotRereadable`; a file or case that changed between the check and
    the write stops the apply with :class:`ApplyStopped`, having stored
    nothing. With *per_line*, the accepted lines are stored and the rejected
    ones reported; a fault stops the run after every other case held is
    written.

    *workflow* is the one *store* was opened with; the other options (the
    *locale* of the findings' reasons among them) are as for
    :func:`check_files`. The report's ``check`` is the check's report.

    >>> import json, pathlib, tempfile
    >>> from casestate.feeds import apply_files, open_store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> opening = {"case_id": "ua-0173", "trigger": "open", "actor_id": "mothers-committee", "role": "ngo",
    ...            "effective_at": "2024-02-20T00:00:00Z", "recorded_at": "2024-03-01T00:00:00Z"}
    >>> _ = (folder / "changes.jsonl").write_text(json.dumps(opening) + "\n")
    >>> with open_store(str(folder / "cases.db"), create=True) as store:
    ...     report = apply_files([folder / "changes.jsonl"], store)
    ...     print(report.stored, report.opened, list(store.case_ids()))
    1 1 ['ua-0173']
    """
    files = tuple(os.fspath(path) for path in paths)
    locale = language_of(locale)  # refused before any file is read
    read_before = None if per_line else _read_twice(files)
    load = loader(store)
    writer = _Writer(store, load)
    findings: list[Finding] = []
    found = findings.append if on_finding is None else on_finding

    def write(checked: Checked) -> None:
        if checked.accepted and checked.line.change is not None:
            writer.add(checked.line.case_id or "", checked.line.change)

    def write_all(checked: Checked) -> None:
        # Every line was accepted a moment ago: one that is refused now met a case another
        # writer changed since, and must not be dropped without a word (one that writer
        # stored meanwhile, by its source id, is stored: it is not written twice).
        if checked.refused:
            line = checked.line
            msg = (
                f"{line.path}:{line.number}: case {line.case_id}: changed in the store while the "
                "files were checked; nothing was stored"
            )
            raise ApplyStopped(msg)
        write(checked)

    interrupted = False
    with writer.storing_what_it_can(per_line=per_line):
        tally = run_check(
            files,
            Batch(workflow, load=load),
            input_format=format,
            max_line_bytes=max_line_bytes,
            progress=progress,
            on_finding=found,
            each=write if per_line else None,
            locale=locale,
        )
        report = tally.report(findings)
        if read_before is not None and report.ok:
            if _read_twice(files) != read_before:
                msg = "a file changed while it was checked: nothing was stored"
                raise ApplyStopped(msg)
            # Every line was accepted: read the files again, and write them, in one
            # transaction, so that a run stopped half way (Ctrl-C, a fault) stores none.
            with _interrupts_held_off_while_committing() as commit, store.atomic():
                check_into(
                    files,
                    Batch(workflow, load=load),
                    Tally(),
                    input_format=format,
                    max_line_bytes=max_line_bytes,
                    progress=progress,
                    each=write_all,
                )
                writer.flush()
                commit.begun = True
            interrupted = commit.interrupted
        writer.flush()
    return ApplyReport(report, stored=writer.stored, opened=writer.opened, interrupted=interrupted)


def run_check(
    files: tuple[str, ...],
    batch: Batch,
    *,
    input_format: str | None,
    max_line_bytes: int,
    progress: Progress | None,
    on_finding: Callable[[Finding], None],
    each: Callable[[Checked], None] | None = None,
    locale: str = "en",
) -> Tally:
    """The first reading of an apply: every line checked against *batch*, and handed to *each* if given."""
    tally = Tally()
    check_into(
        files,
        batch,
        tally,
        input_format=input_format,
        max_line_bytes=max_line_bytes,
        progress=progress,
        on_finding=on_finding,
        each=each,
        locale=locale,
    )
    return tally


@attrs.define
class _Writer:
    """Writes accepted lines to the store, in file order within each case.

    Lines are held per case, an opening first, and written whenever
    :data:`FLUSH_AFTER` are held and at the end, all of them in one
    transaction (``store.atomic``): a file of many cases is not written one
    commit per line or per case. All or nothing, that transaction joins the
    one of the whole run.
    """

    store: CaseStore
    load: Load
    stored: int = 0
    opened: int = 0
    _pending: dict[str, list[Change]] = attrs.field(factory=dict)
    _held_count: int = 0
    _versions: dict[str, int] = attrs.field(factory=dict)

    def add(self, case_id: str, change: Change) -> None:
        """Queue *change* to case *case_id*."""
        self._pending.setdefault(case_id, []).append(change)
        self._held_count += 1
        if self._held_count >= FLUSH_AFTER:
            self.flush()

    def flush(self, *, past_faults: bool = False) -> None:
        """Write every held line in one transaction; with *past_faults*, each case that can be, alone.

        The lines leave the queue once their transaction is committed: a flush
        that fails is undone whole, and the queue still holds what it was to
        write. Each case is written at the version it was read at, so none is
        ever written twice.
        """
        if not self._pending:
            return
        if not past_faults:
            with self.store.atomic():
                written = [(case_id, self._write(case_id, lines)) for case_id, lines in self._pending.items()]
            for case_id, case in written:
                self._written(case_id, case)
            return
        for case_id, lines in list(self._pending.items()):
            try:
                with self.store.atomic():  # an opening and the case's changes: together or not at all
                    case = self._write(case_id, lines)
            except Exception:  # noqa: BLE001, S112 - a stopped run writes every other case, then tells its own fault
                continue
            self._written(case_id, case)

    @contextmanager
    def storing_what_it_can(self, *, per_line: bool) -> Iterator[None]:
        """With *per_line*, a run stopped by a fault still stores the other changes it accepted.

        A Ctrl-C, or a case the store refuses: every other case held is
        written, and then the fault is told.
        """
        try:
            yield
        except BaseException:
            if per_line:
                self.flush(past_faults=True)
            raise

    def _written(self, case_id: str, case: Case) -> None:
        lines = self._pending.pop(case_id)
        self._held_count -= len(lines)
        self._versions[case_id] = case.version
        self.opened += lines[0].trigger == OPEN
        self.stored += len(lines)

    def _write(self, case_id: str, lines: list[Change]) -> Case:
        changes = lines
        if lines[0].trigger == OPEN:
            opening, changes = lines[0], lines[1:]
            case = self.store.open_case(case_id, **opening.opening())
            if not changes:
                return case
            version = case.version
        else:
            known = self._versions.get(case_id)
            if known is None:
                stored = self.load(case_id)
                known = self._versions[case_id] = 0 if stored is None else stored.version
            version = known
        try:
            return self.store.apply(case_id, changes, expected_version=version)
        except Rejected as rejection:  # the store's workflow differs from the one checked with
            msg = f"the store refused a change to case {case_id!r}: {rejection}"
            raise ApplyStopped(msg) from None


@attrs.define
class _Commit:
    begun: bool = False
    interrupted: bool = False


@contextmanager
def _interrupts_held_off_while_committing() -> Iterator[_Commit]:
    """Ctrl-C as it was until ``begun`` is set; from then on, until the block ends, it is noted only.

    A Ctrl-C during the commit itself would report the run as stopped, having
    stored every change, and the same run again would be refused. Before
    that, SIGINT goes to the handler that was there (an app's own, or
    Python's); where it was ignored (a job in the background), nothing changes.
    """
    commit = _Commit()
    main = threading.current_thread() is threading.main_thread()
    before = signal.getsignal(signal.SIGINT) if main else None  # only the main thread gets signals
    if not callable(before) and before is not signal.SIG_DFL:  # ignored, set outside Python, or a thread
        yield commit
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if commit.begun:
            commit.interrupted = True
        elif callable(before):
            before(signum, frame)
        else:  # the default action: the process ends by the signal, storing nothing
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.raise_signal(signal.SIGINT)

    signal.signal(signal.SIGINT, interrupt)
    try:
        yield commit
    finally:
        signal.signal(signal.SIGINT, before)
    if commit.interrupted and callable(before) and before is not signal.default_int_handler:
        before(signal.SIGINT, None)  # an app's own handler hears of it, once the commit is done


def _read_twice(files: tuple[str, ...]) -> list[tuple[int, int, int]]:
    """What tells each file's content apart, refusing a file that cannot be read a second time.

    All or nothing, an apply reads its files twice: once to check every line,
    once to store them. A pipe gives its lines once, and a file rewritten
    between the two readings would store lines that were never checked.
    """
    seen = []
    for path in files:
        try:
            found = Path(path).stat()
        except OSError:  # missing or unreadable: the check reports it with the others
            seen.append((0, 0, 0))
            continue
        if not stat.S_ISREG(found.st_mode):
            raise NotRereadable(path)
        seen.append((found.st_size, found.st_mtime_ns, found.st_ino))
    return seen
