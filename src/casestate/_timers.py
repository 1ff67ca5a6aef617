"""Legal timers: periods the law attaches to a status, flagged when they run out.

A timer is a fact to flag, not a rule of the workflow: that a court *may* now
declare a missing soldier dead, or that a capture card is overdue, is
something a caseworker must see, and the law of each jurisdiction sets the
periods. casestate reads no clock: pass the *now* you mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import attrs

from ._case import Case, in_periods
from ._entry import Entry, EntryKind
from ._evidence import EvidenceKind
from ._kinds import BUILT_IN_KINDS, EvidenceKindDef
from ._rules import as_name
from ._standing import Snapshot
from ._status import Fate, Whereabouts
from ._time import to_utc


def _positive(_instance: object, _attribute: object, value: timedelta) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        msg = f"a timer's period must be a positive timedelta, got {value!r}"
        raise ValueError(msg)


def _satisfying(value: Iterable[EvidenceKind | EvidenceKindDef | str]) -> frozenset[EvidenceKind | str]:
    """The names of the kinds that meet a timer's duty: built-in kinds' names, declared kinds' definitions."""
    if isinstance(value, str | EvidenceKindDef):
        msg = f"expected a collection of evidence kinds, got the single value {value!r}"
        raise TypeError(msg)
    names: list[EvidenceKind | str] = []
    for kind in value:
        if isinstance(kind, EvidenceKindDef):
            names.append(kind.name)
        elif isinstance(kind, str) and kind in BUILT_IN_KINDS:
            names.append(BUILT_IN_KINDS[kind].name)
        else:
            msg = (
                f"unknown evidence kind {kind!r}: name a built-in kind, or pass the EvidenceKindDef of "
                "a kind your workflow declares"
            )
            raise ValueError(msg)
    return frozenset(names)


@attrs.frozen(kw_only=True)
class Timer:
    """A period the law attaches to where a case stands, counted from when it came to stand there.

    The timer runs while the case is in *status*, holds *fate* and is at
    *whereabouts* (each one given; at least one), counted from the start of
    the latest unbroken stretch of such periods. It runs out *after* that
    long, unless evidence of one of the kinds in *satisfied_by* was recorded
    in that stretch. A duty that follows custody follows the whereabouts,
    not the status: a prisoner reported wounded is still held, and his
    capture card still due.

    >>> from datetime import timedelta
    >>> card = Timer(name="capture_card_overdue", fate="alive", whereabouts="held", after=timedelta(days=7),
    ...              satisfied_by={"capture_card"}, reference="GC III art. 70")
    >>> card.after.days
    7
    """

    name: str
    status: str | None = attrs.field(default=None, converter=attrs.converters.optional(as_name))
    fate: Fate | None = attrs.field(default=None, converter=attrs.converters.optional(Fate))
    whereabouts: Whereabouts | None = attrs.field(
        default=None, converter=attrs.converters.optional(Whereabouts)
    )
    after: timedelta = attrs.field(validator=_positive)
    satisfied_by: frozenset[EvidenceKind | str] = attrs.field(default=frozenset(), converter=_satisfying)
    """The kinds of evidence that meet the duty: built-in kinds by name, kinds a workflow declares by their
    :class:`~casestate.EvidenceKindDef` (a timer is checked against no workflow, so a mistyped name
    would never be met)."""
    since_fact: str | None = attrs.field(default=None, converter=attrs.converters.optional(as_name))
    """Count from the latest legal fact of this name recorded in the stretch instead (a court's
    recognition as missing), and run only once there is one."""
    reference: str = ""
    description: str = ""

    def __attrs_post_init__(self) -> None:
        if self.status is None and self.fate is None and self.whereabouts is None:
            msg = f"timer {self.name!r} names no status, fate or whereabouts it runs in"
            raise ValueError(msg)


@attrs.frozen
class Flag:
    """A timer that has run out on a case."""

    case_id: str
    timer: Timer
    due_at: datetime
    """When the timer ran out: the start of the stretch it runs in, plus the period."""


def due(case: Case, timers: Iterable[Timer], now: datetime) -> tuple[Flag, ...]:
    """The *timers* that have run out on *case* at *now*, earliest first.

    >>> from datetime import UTC, datetime
    >>> from casestate import DEFAULT_WORKFLOW, Actor
    >>> case = DEFAULT_WORKFLOW.open("ua-1", actor=Actor("ngo-1", "ngo"),
    ...     effective_at=datetime(2023, 5, 1, tzinfo=UTC), recorded_at=datetime(2023, 5, 2, tzinfo=UTC))
    >>> [flag.timer.name for flag in due(case, RUSSIA_120FZ, datetime(2024, 3, 1, tzinfo=UTC))]
    ['may_be_recognised_missing']

    Once a court has recognised the person as missing, the declaration's
    timer counts from that decision:

    >>> from casestate import Change, Evidence
    >>> court = Actor("district-court", "court")
    >>> decided = datetime(2023, 11, 20, tzinfo=UTC)
    >>> decision = Evidence("court_decision", "2-114/2023", "district court", decided)
    >>> case = DEFAULT_WORKFLOW.apply(case, Change(trigger="recognise_missing", actor=court,
    ...     evidence=[decision], effective_at=decided, recorded_at=datetime(2023, 11, 21, tzinfo=UTC)))
    >>> for flag in due(case, RUSSIA_120FZ, datetime(2024, 3, 1, tzinfo=UTC)):
    ...     print(flag.timer.name, flag.due_at.date())
    may_be_recognised_missing 2023-10-31
    may_be_declared_dead 2024-02-20
    """
    now = to_utc(now, "now")
    flags = []
    for timer in timers:
        found = _stretch(case, timer)
        if found is None:
            continue
        stretch, first = found
        start = stretch.since
        if timer.since_fact is not None:
            fact = _latest_fact(case, timer.since_fact, first)
            if fact is None:
                continue
            start = fact.effective_at
        try:
            due_at = start + timer.after
        except OverflowError:  # it runs out after the year 9999: not at any *now* there is
            continue
        if due_at > now or _satisfied(case, timer, first):
            continue
        flags.append(Flag(case.id, timer, due_at))
    return tuple(sorted(flags, key=lambda flag: (flag.due_at, flag.timer.name)))


def _runs_in(timer: Timer, period: Snapshot) -> bool:
    return (
        timer.status in (None, period.status)
        and timer.fate in (None, period.fate)
        and timer.whereabouts in (None, period.whereabouts)
    )


def _stretch(case: Case, timer: Timer) -> tuple[Snapshot, int] | None:
    """The first period of the unbroken stretch of live periods *timer* runs in, ending now; or ``None``.

    With it, the first entry recorded in the stretch: a late report of an
    earlier period is recorded after the period that follows it.
    """
    first = None
    seq = -1
    for period in reversed(case.periods):
        if not _runs_in(timer, period):
            break
        first = period
        seq = period.seq if seq < 0 else min(seq, period.seq)
    return None if first is None else (first, seq)


def _latest_fact(case: Case, name: str, first: int) -> Entry | None:
    """The latest legal fact named *name* recorded in a live period of the stretch from entry *first*, if any.

    One recorded in a period a retraction or reopening voided since counts
    no more than that period does; one in a period that resumed stands.
    """
    live = {period.seq for period in case.periods}
    latest = None
    for period, entry in in_periods(case.trail):
        if entry.seq >= first and entry.kind is EntryKind.FACT and entry.trigger == name and period in live:
            latest = entry
    return latest


def _satisfied(case: Case, timer: Timer, first: int) -> bool:
    if not timer.satisfied_by:
        return False
    return any(
        kind in timer.satisfied_by
        for entry in case.trail[first:]
        if entry.kind is not EntryKind.CONFLICT
        for kind in entry.evidence_kinds
    )


GENEVA_CONVENTIONS: tuple[Timer, ...] = (
    Timer(
        name="capture_card_overdue",
        fate=Fate.ALIVE,
        whereabouts=Whereabouts.HELD,
        after=timedelta(days=7),
        satisfied_by={EvidenceKind.CAPTURE_CARD},
        reference="Geneva Convention III, art. 70",
        description="a prisoner's capture card is due within a week of capture, for as long as he is held",
    ),
)
"""Timers of international humanitarian law."""

RUSSIA_CIVIL_CODE: tuple[Timer, ...] = (
    Timer(
        name="may_be_recognised_missing",
        status="missing",
        after=timedelta(days=365),
        reference="Civil Code of the Russian Federation, art. 42",
        description="a court may recognise a person as missing after a year without news",
    ),
)
"""Russia's general rule; the two years after the end of hostilities of art. 45
depend on a date no case holds, so they are left to the app."""

RUSSIA_120FZ: tuple[Timer, ...] = (
    Timer(
        name="may_be_recognised_missing",
        status="missing",
        after=timedelta(days=183),
        reference="Federal Law 120-FZ of 14.04.2023",
        description="participants of the 2022 operation: missing after six months without news",
    ),
    Timer(
        name="may_be_declared_dead",
        status="missing",
        since_fact="recognise_missing",
        after=timedelta(days=92),
        reference="Federal Law 120-FZ of 14.04.2023",
        description="and declared dead three months after a court recognised them missing",
    ),
)
"""Russia's shorter periods for participants of the 2022 operation."""

UKRAINE: tuple[Timer, ...] = (
    Timer(
        name="court_may_shorten_to_declare_dead",
        status="missing",
        after=timedelta(days=183),
        reference="Civil Code of Ukraine, art. 46",
        description=(
            "a court may declare dead six months after disappearance in hostilities; "
            "otherwise two years after the war ends"
        ),
    ),
)
"""Ukraine's rule; the two years after the war ends depend on a date no case holds."""
