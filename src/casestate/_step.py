"""The one state step: what an accepted change does to where a case stands.

:func:`step` is the only place that says it: ``Workflow.apply`` takes it
after sealing an entry, a :class:`~casestate.Batch` after a verdict, and
replay for every entry of a trail.
"""

from __future__ import annotations

from datetime import datetime

from ._entry import Entry, EntryKind
from ._standing import Period, S, Standing, build, snapshot, snapshot_of
from ._status import Assurance, Fate


def opened(  # noqa: PLR0917 - the fields of an opening entry, in its order
    case_id: str,
    status: str,
    fate: Fate,
    assurance: Assurance,
    effective_at: datetime,
    actor_id: str | None,
    recorded_at: datetime,
    trail: tuple[Entry] | None = None,
) -> Standing:
    """Where a case stands once opened in *status*: by the one entry of *trail*, when there is one to keep.

    The period is then kept as that entry, in that very tuple: a fresh case
    holds one tuple for its trail and its periods.
    """
    periods: tuple[Period, ...] = (
        (snapshot(status, fate, assurance, effective_at, 0),) if trail is None else trail
    )
    return build(
        Standing, case_id, status, fate, assurance, effective_at, (), recorded_at, actor_id, 1, periods
    )


def step(  # noqa: PLR0917 - the fields of an entry that move a case, in its order
    state: S,
    kind: EntryKind,
    to_status: str,
    fate: Fate,
    assurance: Assurance,
    effective_at: datetime,
    recorded_at: datetime,
    resolves: tuple[int, ...],
    reverts_to: int | None,
    actor_id: str | None,
    entry: Entry | None = None,
    *more: object,
) -> S:
    """Where *state* stands once the next entry, with these fields, is accepted.

    The result is of *state*'s own class; *more* are the values of the fields
    a subclass adds (a :class:`~casestate.Case`'s trail).

    The one state step: apply, a batch and replay all move a case with it.
    It trusts its input (a verdict of the decision, or an entry replay has
    checked follows the case). Given the *entry* that holds these fields, a
    period it begins is kept as that entry, which the trail holds anyway.
    """
    seq = state.version
    conflicts = state.open_conflicts
    if resolves:
        conflicts = tuple(number for number in conflicts if number not in resolves)
    if kind is EntryKind.CONFLICT:
        conflicts = (*conflicts, seq)
    periods = state._periods  # noqa: SLF001 - the step keeps them as it made them
    if kind is EntryKind.TRANSITION:
        reporter = actor_id
        if reverts_to is None:
            since = effective_at
            began = snapshot(to_status, fate, assurance, effective_at, seq) if entry is None else entry
            periods = (*periods, began)
        else:
            # The resumed period stands again as it was, from when it began.
            for index in range(len(periods) - 1, -1, -1):
                if periods[index].seq == reverts_to:
                    break
            periods = periods[: index + 1]
            since = snapshot_of(periods[-1]).since
    else:
        reporter = state.reporter_id
        since = state.status_since
        if assurance is not state.assurance:
            # The current period carries the case's assurance, should a retraction resume it later.
            last = snapshot_of(periods[-1])
            periods = (*periods[:-1], snapshot(last.status, last.fate, assurance, last.since, last.seq))
    return build(
        type(state),
        state.id,
        to_status,
        fate,
        assurance,
        since,
        conflicts,
        recorded_at,
        reporter,
        seq + 1,
        periods,
        *more,
    )


def step_by(state: S, entry: Entry, *more: object) -> S:
    """Where *state* stands once *entry*, sealed or replayed, is accepted: :func:`step` with its fields."""
    return step(
        state,
        entry.kind,
        entry.to_status,
        entry.fate,
        entry.assurance,
        entry.effective_at,
        entry.recorded_at,
        entry.resolves,
        entry.reverts_to,
        entry.actor_id,
        entry,
        *more,
    )
