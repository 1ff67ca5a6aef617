"""``casestate apply``: checked changes into a store, all or nothing, or line by line."""

from __future__ import annotations

import signal
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import attrs
import click

from casestate import OPEN, Case, Change, Rejected

from ._checking import Checked, Tally, check_files
from ._console import err, meter, out
from ._options import format_option, key_option, load_workflow, quiet_option, read_key, workflow_option
from ._reading import size_of
from ._reports import JsonReport, json_report, print_tally, print_unreadable
from ._stores import Held, StoreFault, checking_batch, opened_store
from ._validate import input_format_option, max_line_option, run_check

FLUSH_AFTER = 10_000
"""Lines held before they are written, together, in one transaction."""


@attrs.define
class Writer:
    """Writes accepted lines to the store, in file order within each case.

    Lines are held per case, an opening first, and written whenever
    :data:`FLUSH_AFTER` are held and at the end, all of them in one
    transaction (``store.atomic``): a file of many cases is not written one
    commit per line or per case. All or nothing, that transaction joins the
    one of the whole run.
    """

    held: Held
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
            with self.held.store.atomic():
                written = [(case_id, self._write(case_id, lines)) for case_id, lines in self._pending.items()]
            for case_id, case in written:
                self._written(case_id, case)
            return
        for case_id, lines in list(self._pending.items()):
            try:
                with self.held.store.atomic():  # an opening and the case's changes: together or not at all
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
            case = self.held.store.open_case(
                case_id,
                actor=opening.actor,
                effective_at=opening.effective_at,
                recorded_at=opening.recorded_at,
                evidence=opening.evidence,
                reason=opening.reason,
            )
            if not changes:
                return case
            version = case.version
        else:
            known = self._versions.get(case_id)
            if known is None:
                stored = self.held.load_or_none(case_id)
                known = self._versions[case_id] = 0 if stored is None else stored.version
            version = known
        try:
            return self.held.store.apply(case_id, changes, expected_version=version)
        except Rejected as rejection:  # the store's workflow differs from the one checked with
            raise StoreFault(f"the store refused a change to case {case_id!r}: {rejection}") from None


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--store", required=True, metavar="PATH|URL", help="The store to write to (created if missing)."
)
@click.option("--per-line", is_flag=True, help="Store the accepted lines and report the rest.")
@workflow_option
@key_option
@input_format_option
@max_line_option
@format_option
@quiet_option
def apply(
    *,
    files: tuple[str, ...],
    store: str,
    per_line: bool,
    workflow_path: Path | None,
    key_file: Path | None,
    input_format: str | None,
    max_line_bytes: int,
    output_format: str,
    quiet: bool,
) -> None:
    """Check change files and store the accepted changes.

    By default nothing is stored unless every line is accepted: the files are
    checked in full first, against what the store holds, then written in file
    order within each case, all in one transaction: a run stopped half way
    stores nothing. With --per-line the accepted lines are stored and the
    rejected ones reported.

    Exit status: 0 when every line was stored, 1 when some were rejected, 2
    when a file or the store cannot be read.
    """
    workflow = load_workflow(workflow_path)
    key = read_key(key_file)
    read_before = None if per_line else _read_twice(files)
    with json_report(output_format) as report:
        with opened_store(store, workflow, key, create=True) as held:
            assert held is not None  # noqa: S101 - --store is required
            writer = Writer(held)

            def write(checked: Checked) -> None:
                if checked.accepted and checked.line.change is not None:
                    writer.add(checked.line.case_id or "", checked.line.change)

            def write_all(checked: Checked) -> None:
                # Every line was accepted a moment ago: one that is not now met a case another
                # writer changed since, and must not be dropped without a word.
                if not checked.accepted:
                    line = checked.line
                    msg = (
                        f"{line.path}:{line.number}: case {line.case_id}: changed in the store while the "
                        "files were checked; nothing was stored"
                    )
                    raise StoreFault(msg)
                write(checked)

            with writer.storing_what_it_can(per_line=per_line):
                tally = run_check(
                    files,
                    checking_batch(workflow, held),
                    report=report,
                    quiet=quiet,
                    input_format=input_format,
                    max_line_bytes=max_line_bytes,
                    each=write if per_line else None,
                )
                if read_before is not None and tally.exit_code == 0:
                    if _read_twice(files) != read_before:
                        raise StoreFault("a file changed while it was checked: nothing was stored")
                    # Every line was accepted: read the files again, and write them, in one
                    # transaction, so that a run stopped half way (Ctrl-C, a fault) stores none.
                    with (
                        _interrupts_held_off_while_committing() as commit,
                        held.store.atomic(),
                        meter(size_of(files), quiet=quiet) as bar,
                    ):
                        check_files(
                            files,
                            checking_batch(workflow, held),
                            Tally(),
                            input_format=input_format,
                            max_line_bytes=max_line_bytes,
                            meter=bar,
                            each=write_all,
                        )
                        writer.flush()
                        commit.begun = True
                    if commit.interrupted:
                        err().print("interrupted while the changes were committed: all of them were stored")
                writer.flush()
        _report(tally, report, writer, quiet=quiet, per_line=per_line)


@attrs.define
class _Commit:
    begun: bool = False
    interrupted: bool = False


@contextmanager
def _interrupts_held_off_while_committing() -> Iterator[_Commit]:
    """Ctrl-C as it was until ``begun`` is set; from then on, until the block ends, it is noted only.

    A Ctrl-C during the commit itself would report the run as stopped, having
    stored every change, and the same command run again would be refused.
    Before that, SIGINT goes to the handler that was there (an app's own, or
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

    All or nothing, apply reads its files twice: once to check every line,
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
            msg = (
                f"{path} is not a regular file (a pipe?): all or nothing, apply reads its files twice, "
                "to check and then to store them; save the input to a file, or pass --per-line"
            )
            raise click.UsageError(msg)
        seen.append((found.st_size, found.st_mtime_ns, found.st_ino))
    return seen


def _report(tally: Tally, report: JsonReport | None, writer: Writer, *, quiet: bool, per_line: bool) -> None:
    nothing = tally.exit_code != 0 and not per_line
    if report is not None:
        report.finish(tally, stored=writer.stored, opened=writer.opened)
    elif not quiet:
        print_tally(out(), tally)
    else:
        print_unreadable(tally)
    if report is None:
        if nothing:
            err().print("nothing was stored: fix the rejected lines, or pass --per-line to store the rest")
        elif not quiet:
            out().print(f"stored {writer.stored} changes ({writer.opened} cases opened)")
    raise SystemExit(tally.exit_code)
