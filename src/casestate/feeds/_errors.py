"""What a feed refuses: a file that cannot be read, an apply that cannot be done as it was checked."""

from __future__ import annotations

from casestate import CasestateError


class FeedError(CasestateError):
    """Anything :mod:`casestate.feeds` refused: catch this to catch every fault of a feed."""


class UnreadableFile(FeedError):
    """A file that cannot be read at all: missing, empty, in another encoding, a bad CSV header.

    A check does not raise it: it notes the file in its report and goes on
    with the next one. Reading a file with :func:`read_changes` raises it.

    >>> from casestate.feeds import read_changes, UnreadableFile
    >>> try:
    ...     list(read_changes("no-such-file.jsonl"))
    ... except UnreadableFile as problem:
    ...     print(problem.path, "|", problem.problem)
    no-such-file.jsonl | No such file or directory
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")

    def __reduce__(self) -> tuple[type[UnreadableFile], tuple[str, str], dict[str, object]]:
        # Pickled with its two fields: a report carries it from a worker process.
        return (type(self), (self.path, self.problem), self.__dict__)


class NotRereadable(FeedError):
    """A file that an all-or-nothing apply cannot read a second time: a pipe, a device.

    All or nothing, :func:`apply_files` reads its files twice: once to check
    every line, once to store them. Save the input to a file, or apply it
    with ``per_line=True``.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path} is not a regular file (a pipe?): all or nothing, its lines are read twice")

    def __reduce__(self) -> tuple[type[NotRereadable], tuple[str], dict[str, object]]:
        return (type(self), (self.path,), self.__dict__)


class ApplyStopped(FeedError):
    """An apply stopped before it stored what it checked; all or nothing, it stored none of it.

    A file changed while it was checked, a case changed in the store between
    the check and the write, or the store refused a change the check accepted
    (its workflow differs from the one the feed was checked with).
    """


class WorkerFault(FeedError):
    """A checking process that failed without a fault of its own to report: the check could not be done."""
