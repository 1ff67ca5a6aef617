"""``check_files``: change files checked line by line, in one process or several, into a report."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from datetime import datetime

from casestate import DEFAULT_WORKFLOW, Batch, Workflow
from casestate.text import language_of

from ._checking import Progress, Tally, check_into
from ._errors import FeedError
from ._parallel import can_share, check_shared
from ._reading import DEFAULT_MAX_LINE_BYTES, Format
from ._report import FeedReport, Finding
from ._stores import Load, loader, open_store

MOST_JOBS = 64
"""The most processes a check shares its cases out among."""


def check_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    workflow: Workflow = DEFAULT_WORKFLOW,
    load: Load | None = None,
    store: str | None = None,
    key: bytes | None = None,
    now: datetime | None = None,
    jobs: int = 1,
    format: Format | None = None,  # noqa: A002 - the word for it; the builtin is not needed here
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    on_finding: Callable[[Finding], None] | None = None,
    progress: Progress | None = None,
    locale: str = "en",
) -> FeedReport:
    r"""Check every line of the change files at *paths*, each against its case as the lines before left it.

    Nothing is stored. Cases start from *load* (a case id in, the case or
    ``None`` out: :func:`loader` of an open store, say), or from the store
    at *store* (a SQLite file or PostgreSQL URL, opened with *key* and closed
    again), else from nothing. *now* is the check's clock (see
    :class:`casestate.Batch`); *format* and *max_line_bytes* are as for
    :func:`read_changes`. A file that cannot be read is noted in the report,
    and the others are checked all the same.

    With *jobs* above 1, JSON Lines files are checked in that many processes,
    the cases shared out among them (cases must then come from *store*: a
    *load* cannot cross into another process). The findings and counts are
    the same as with one process; CSV files and pipes are always checked in
    one.

    Every rejected or conflicting line goes to *on_finding* as it is found
    (with *jobs*, in file order at the end), else into the report's
    ``findings``; *progress* hears now and then of the bytes read. The
    findings' reasons are said in the language of *locale* (see
    :mod:`casestate.text`); their codes are the same in every language.

    >>> import json, pathlib, tempfile
    >>> from casestate.feeds import check_files
    >>> opening = {"case_id": "ua-0173", "trigger": "open", "actor_id": "mothers-committee", "role": "ngo",
    ...            "effective_at": "2024-02-20T00:00:00Z", "recorded_at": "2024-03-01T00:00:00Z"}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "changes.jsonl"
    >>> _ = path.write_text(json.dumps(opening) + "\n" + json.dumps(opening) + "\n")
    >>> report = check_files([path])
    >>> report.accepted, report.rejected
    (1, 1)
    >>> [(finding.number, finding.case_id, finding.codes) for finding in report.findings]
    [(2, 'ua-0173', ['case_exists'])]
    """
    files = tuple(os.fspath(path) for path in paths)
    locale = language_of(locale)  # refused before any file is read
    if load is not None and store is not None:
        msg = "cases come from load or from store, not both"
        raise FeedError(msg)
    if not 1 <= jobs <= MOST_JOBS:
        msg = f"jobs is between 1 and {MOST_JOBS}, not {jobs}"
        raise FeedError(msg)
    if load is not None and jobs > 1:
        msg = "a load cannot cross into other processes: with jobs, name the store=, or check in one"
        raise FeedError(msg)
    findings: list[Finding] = []
    found = findings.append if on_finding is None else on_finding
    if jobs > 1 and can_share(files, format):
        tally = check_shared(
            files,
            jobs=jobs,
            store=store,
            workflow=workflow,
            key=key,
            now=now,
            input_format=format,
            max_line_bytes=max_line_bytes,
            progress=progress,
            on_finding=found,
            locale=locale,
        )
        return tally.report(findings)
    tally = Tally()
    with contextlib.ExitStack() as closing:
        if store is not None:
            load = loader(closing.enter_context(open_store(store, workflow=workflow, key=key)))
        check_into(
            files,
            Batch(workflow, load=load, now=now),
            tally,
            input_format=format,
            max_line_bytes=max_line_bytes,
            progress=progress,
            on_finding=found,
            locale=locale,
        )
    return tally.report(findings)
