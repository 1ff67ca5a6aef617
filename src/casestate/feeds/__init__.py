"""Feeds: files of change records (JSON Lines or CSV), read, checked and applied to a store.

An integrator checks a feed before anything touches a register
(:func:`check_files`), stores what it holds (:func:`apply_files`), reads it
line by line (:func:`read_changes`) or writes one (:func:`write_changes`).
The ``casestate validate`` and ``apply`` commands are these functions with
a command line around them. Nothing here needs the ``cli`` extra.
"""

from casestate import publish as _publish

from ._apply import apply_files
from ._check import MOST_JOBS, check_files
from ._checking import Progress
from ._errors import ApplyStopped, FeedError, NotRereadable, UnreadableFile, WorkerFault
from ._reading import (
    DEFAULT_MAX_LINE_BYTES,
    INVALID_RECORD,
    UNREADABLE_LINE,
    Format,
    Line,
    read_changes,
    total_bytes,
)
from ._report import ApplyReport, FeedReport, Finding
from ._stores import Load, loader, names_a_database, open_store
from ._writing import write_changes

__all__ = [
    "DEFAULT_MAX_LINE_BYTES",
    "INVALID_RECORD",
    "MOST_JOBS",
    "UNREADABLE_LINE",
    "ApplyReport",
    "ApplyStopped",
    "FeedError",
    "FeedReport",
    "Finding",
    "Format",
    "Line",
    "Load",
    "NotRereadable",
    "Progress",
    "UnreadableFile",
    "WorkerFault",
    "apply_files",
    "check_files",
    "loader",
    "names_a_database",
    "open_store",
    "read_changes",
    "total_bytes",
    "write_changes",
]

_publish(__name__, globals(), __all__)
