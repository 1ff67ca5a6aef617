"""The decision: what a change would do to a case, from the compiled table alone.

One function decides every change, clean or not. Each guard is written
once, as one test that costs nothing when it passes; only a guard that fails
builds its reason. A clean change (nearly every change an app sees) thus
costs a table lookup and a handful of comparisons, and a refused one names
every reason, each with its code.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

import attrs

from ._actors import Actor
from ._change import DISMISS, Change
from ._earlier import EarlierPeriod, LeftRival, earlier_period, left_rival
from ._entry import EntryKind
from ._evidence import Evidence
from ._reasons import (
    CONFLICT_CANNOT_RESOLVE,
    DISMISSAL_NEEDS_RESOLVES,
    earlier_than_current,
    effective_after_recorded,
    evidence_after_recorded,
    evidence_before_event,
    evidence_contradicts_fate,
    evidence_refused,
    illegal_transition,
    may_not_dismiss,
    may_not_resolve,
    outweighed,
    recorded_in_future,
    reporter_overruled,
    reporter_reaches_past,
    rival_report,
    role_not_permitted,
    time_goes_backwards,
    unknown_conflict,
    unknown_evidence_kind,
    unknown_role,
    unknown_trigger,
    waiting_period_not_elapsed,
)
from ._rules import EvidenceRule
from ._standing import (
    UNCONTESTED,
    Backing,
    Period,
    dates_the_current_earlier,
    holding_index,
    resumes_the_previous,
    since_of,
    snapshot,
    snapshot_of,
    told_until,
    undecided,
)
from ._status import Assurance, Fate, Whereabouts
from ._stretch import Rival, agrees, begins, carried_place, rival
from ._verdict import Code, Outcome, Reason, Verdict

if TYPE_CHECKING:
    from ._standing import Snapshot, Standing
    from ._table import Move, Table


class Plan(NamedTuple):
    """An accepted verdict, and what the change's entry will hold.

    A named tuple rather than an attrs class: one is made for every change
    applied, and read once. (A refused opening's plan holds its verdict alone.)
    """

    verdict: Verdict
    kind: EntryKind = EntryKind.OPENED
    fate: Fate = Fate.UNKNOWN
    assurance: Assurance = Assurance.REPORTED
    reverts_to: int | None = None
    whereabouts: Whereabouts = Whereabouts.UNKNOWN
    displaces: int | None = None
    period_status: str | None = None
    """For a report of an earlier period: that period's status (the case stays in its own)."""
    carries_into: int | None = None
    """For a report of an earlier period: the current period, when it takes that period's whereabouts."""
    contests: tuple[int, ...] | None = None
    """For a move that ends a period: the corroborations of that period it makes conflicts."""
    reconciles: tuple[int, ...] | None = None
    """For a move that begins a period: the open conflicts that agree with it."""


_plan = tuple.__new__
"""A :class:`Plan` of all its fields, without the Python call of a named tuple's constructor."""

_LATER = timedelta(microseconds=1)
"""How much later than the status took effect an option's change is about."""

_REPORTED = Assurance.REPORTED
"""What evidence of no known kind, or none, gives."""

_ACCEPTED: dict[tuple[Outcome, str, Fate, Whereabouts], Verdict] = {}
"""The verdicts of accepted changes: values without reasons, one per outcome, status, fate and whereabouts."""


def _accepted(outcome: Outcome, status: str, fate: Fate, whereabouts: Whereabouts) -> Verdict:
    try:
        return _ACCEPTED[outcome, status, fate, whereabouts]
    except KeyError:
        verdict = Verdict(outcome, (), status, fate, whereabouts)
        if len(_ACCEPTED) < 4096:  # noqa: PLR2004 - statuses are the workflows' names: a few hundred at most
            _ACCEPTED[outcome, status, fate, whereabouts] = verdict
        return verdict


def _given(table: Table, evidence: tuple[Evidence, ...]) -> Assurance:
    """The assurance *evidence* gives on its own (a kind the workflow does not know gives none)."""
    given = table.given
    if len(evidence) == 1:
        return given.get(evidence[0].kind, _REPORTED)
    held = _REPORTED
    for item in evidence:
        held = held.stronger(given.get(item.kind, _REPORTED))
    return held


def _with(reasons: list[Reason] | None, reason: Reason) -> list[Reason]:
    # A list only once a guard fails: a clean change makes none.
    if reasons is None:
        return [reason]
    reasons.append(reason)
    return reasons


def _times(
    table: Table, change: Change, now: datetime | None, reasons: list[Reason] | None
) -> list[Reason] | None:
    """The clocks of one change against each other, and against *now* if given; and its evidence's kinds."""
    recorded = change.recorded_at
    if change.effective_at > recorded:
        reasons = _with(reasons, effective_after_recorded(change.effective_at, recorded))
    if now is not None and recorded > now:
        reasons = _with(reasons, recorded_in_future(recorded, now))
    effective = change.effective_at
    kinds = table.kinds
    timed = False  # the first piece obtained out of time is named; every unknown kind is
    for item in change.evidence:
        kind = item.kind
        if kind not in kinds:
            reasons = _with(reasons, unknown_evidence_kind(kind, kinds))
        elif not timed:
            obtained = item.obtained_at
            if obtained > recorded:
                reasons, timed = _with(reasons, evidence_after_recorded(kind, obtained, recorded)), True
            elif obtained < effective and kind in table.attesting:
                reasons, timed = _with(reasons, evidence_before_event(kind, obtained, effective)), True
    return reasons


def decide_opening(table: Table, opening: Change, now: datetime | None = None) -> Plan:
    """What *opening* would do: open a case in the initial status, or every reason not to."""
    reasons = None
    if opening.actor.role not in table.roles:
        reasons = _with(reasons, unknown_role(opening.actor.role, table.roles))
    reasons = _times(table, opening, now, reasons)
    if reasons:
        return Plan(Verdict(Outcome.REJECTED, tuple(reasons)))
    fate = table.initial_fate
    whereabouts = table.initial_whereabouts
    assurance = _given(table, opening.evidence)
    return Plan(
        _accepted(Outcome.TRANSITION, table.initial, fate, whereabouts),
        EntryKind.OPENED,
        fate,
        assurance,
        None,
        whereabouts,
    )


def _may_fire(move: Move, case: Standing, actor: Actor) -> bool:
    """Whether *actor* may fire *move* on *case*: by role, or as the reporter of a status nobody backs.

    A reporter's own right lapses once someone who may fire the move by role
    (an authority, for a withdrawal) has corroborated the status, and it
    never reaches past the report itself: a withdrawal that would void an
    earlier period too (another report, perhaps one an authority backed) is
    for those the role allows.
    """
    return actor.role in move.roles or (
        move.reporter_may_fire
        and case.reporter_id == actor.id
        and case.backing.isdisjoint(move.roles)
        and _voids_the_report_alone(move, case)
    )


def _voids_the_report_alone(move: Move, case: Standing) -> bool:
    """Whether *move*, if it resumes a period, resumes the one the current report ended.

    A withdrawal from the case's first period resumes none: the opening is no
    report its maker may take back.
    """
    return (
        not move.reverts
        or move.target is None
        or (move.withdraws and len(case._periods) > 1)  # noqa: SLF001 - the module that decides on them
        or resumes_the_previous(case, move.target)
    )


def _contested(
    table: Table, case: Standing, effective: datetime, *, status: str, fate: Fate, whereabouts: Whereabouts
) -> tuple[int, ...] | None:
    """The corroborations of *case*'s current period that a move to *status* about *effective* contests.

    Those about that time or a later one that say otherwise than the period
    the move begins, and that a report could not move it to: "still
    missing" on 12 March, and a death on 10 March learned after it. Had the
    death come first, the "still missing" would have waited as a conflict;
    it waits as one now, whichever came first. ``None`` when there is none.
    """
    return _saying_otherwise(table, case.backers, effective, None, status, fate, whereabouts)


def _contested_late(
    table: Table, case: Standing, told: EarlierPeriod, effective: datetime
) -> tuple[int, ...] | None:
    """The reports backing a left period that a late report about *effective*, telling *told*, contests.

    Those about its time or a later one in the period it changes (until the
    next live period began) that say otherwise than the period it tells, or
    begins earlier, and that a report could not move it to, as
    :func:`_contested` says of a move: "still missing" on 5 March, kept as
    the missing period stood, and a capture on 3 March learned after it and
    a death. Had the capture come first, the "still missing" would have
    waited as a conflict; it waits as one now, whichever came first.
    ``None`` when there is none.
    """
    periods = case._periods  # noqa: SLF001 - the module that decides on them
    # The period it changes: the one after the period that holds its time; or, voiding that one, the
    # current one, which it redates.
    after = snapshot_of(
        periods[-1] if told.voids is not None else periods[holding_index(periods, effective) + 1]
    )
    whereabouts = told.whereabouts
    if told.redates and whereabouts is _UNKNOWN:
        whereabouts = after.whereabouts  # the period it moves holds its place
    return _saying_otherwise(
        table, case.left_backers, effective, after.since, told.status, told.fate, whereabouts
    )


def _not_at_its_start(backers: tuple[Backing, ...], since: datetime) -> tuple[Backing, ...]:
    """*backers*, but those about *since*, the very instant the period they back began.

    Such a report speaks of that instant as the report that began the period
    does, which a rival that holds from there does not contest either.
    """
    return tuple(backer for backer in backers if backer.effective_at != since)


def _saying_otherwise(  # noqa: PLR0917 - the reports, the stretch of time, and the period
    table: Table,
    backers: tuple[Backing, ...],
    since: datetime,
    until: datetime | None,
    status: str,
    fate: Fate,
    whereabouts: Whereabouts,
) -> tuple[int, ...] | None:
    """Of *backers*, those about *since* or later (before *until*) that say otherwise than a period.

    The period is in *status*, *fate* and *whereabouts*; a report a rule
    could move it by from there is judged as a move, and is not among them.
    Each once and in order of ``seq``: the reports that back left periods
    came to them in no such order.
    """
    contested: tuple[int, ...] | None = None
    for backer in backers:
        effective = backer.effective_at
        if effective < since or (until is not None and effective >= until):
            continue
        trigger = backer.trigger
        move = table.elsewhere.get(trigger)
        if (
            move is not None
            and (status, trigger) not in table.legal
            and not agrees(table, move, status, fate, whereabouts)
        ):
            contested = (backer.seq,) if contested is None else (*contested, backer.seq)
    return contested if contested is None else tuple(sorted(contested))


def _reconciled(
    table: Table,
    case: Standing,
    since: datetime,
    *,
    status: str,
    fate: Fate,
    whereabouts: Whereabouts,
    settled: tuple[int, ...],
    rivals: bool = False,
    lower: datetime | None = None,
    until: datetime | None = None,
    after: tuple[Period, ...] | None = None,
) -> tuple[int, ...] | None:
    """The open conflicts of *case* that a move beginning a period in *status* at *since* reconciles.

    Those about that time or a later one that agree with the period it
    begins: the ministry's "still missing" of 3 March, kept as a conflict
    with a death of 1 March, once a capture video of 1 March ties with the
    death and the case is missing again from that day. Had the video come
    first, the register would have corroborated the missing period; it
    corroborates it now, whichever came first. One that names no fate, about
    the very instant the period begins, is left waiting: whether it agrees
    is a rival's question there (see :func:`decide`). Those the move settles
    (names in ``resolves``) are settled, not reconciled. A rival that holds
    (*rivals*) reconciles the reports that rivalled the period it voids as
    well (see ``Standing.rivalled``): a capture video of 1 March, left
    undecided with a death of 18 February, agrees with a capture card of
    18 February that outweighs the death; so does any move that begins a
    period, which ends the rivalry. A pair neither of which holds, about a
    later day than the current period began (*lower*), leaves the days
    between to the period before: it reconciles what agrees with it there
    too ("still missing" on 1 March, kept as a conflict with a death of that
    day, once a capture video of 3 March ties with the death). A late report
    that tells a period of its own reconciles what agrees with it up to the
    start of the period after it (*until*). A plain move, which leaves the
    case with the periods *after*, reconciles as well those about an earlier
    time, not rivals, that, come after it, would corroborate it (see
    :func:`_against_its_time`): a family's video of his death at noon on
    12 March, kept as a conflict with a captivity the ICRC confirmed on
    10 March, once the captor notifies his death that evening, two reports
    of one death. ``None`` when there is none.
    """
    reconciled: tuple[int, ...] | None = None
    waiting = len(case.waiting)
    for index, report in enumerate((*case.waiting, *case.rivalled) if rivals else case.waiting):
        effective = report.effective_at
        if (until is not None and effective >= until) or report.seq in settled:
            continue
        move = table.elsewhere.get(report.trigger)
        # A rival about an earlier time waits with its pair: whether it agrees is the pair's question.
        if move is None or (
            effective < (since if lower is None else lower)
            and (
                after is None
                or index >= waiting
                or effective < since_of(after[0])
                or _against_the_periods(move.claimed, after, effective)
            )
        ):
            continue
        if agrees(table, move, status, fate, whereabouts) and (
            move.claimed is not None or effective != since
        ):
            reconciled = (report.seq,) if reconciled is None else (*reconciled, report.seq)
    # Kept in the order they began to wait: a corroboration a move contested may be the older.
    return reconciled if reconciled is None else tuple(sorted(reconciled))


def _reconciled_by_rival(
    table: Table,
    case: Standing,
    change: Change,
    before: Snapshot,
    since: datetime,
    *,
    status: str,
    fate: Fate,
    whereabouts: Whereabouts,
    holds: bool,
) -> tuple[int, ...] | None:
    """The open conflicts a rival that displaces the current period reconciles: see :func:`_reconciled`.

    A pair neither of which holds reconciles what agrees with the period it
    leaves the case in, from when the status it voids took effect. A rival
    that holds (*holds*) reconciles what agrees with its own, and, as a plain
    move does, what would corroborate it about an earlier time than the
    period it voids began, judged on the periods it leaves the case with (a
    neighbour's message that he was released on 26 February, kept as a
    conflict while he was listed missing, once the ICRC's release list of
    5 March outweighs a death notice of that day); and, about a later day than the period it voids began, what
    agrees with the period *before* about the days between, which are that
    one's again (see :func:`~casestate._standing.backs_the_period_before`).
    """
    if not case.waiting and not (holds and case.rivalled):
        return None
    reconciled = _reconciled(
        table,
        case,
        since,
        status=status,
        fate=fate,
        whereabouts=whereabouts,
        settled=change.resolves,
        rivals=holds,
        lower=None if holds else case.status_since,
    )
    if not holds or not case.waiting:
        return reconciled
    periods = case._periods  # noqa: SLF001 - the module that decides on them
    voided_since = case.status_since
    earlier = _reconciled(
        table,
        case,
        since,
        status=status,
        fate=fate,
        whereabouts=whereabouts,
        settled=change.resolves,
        until=min(since, voided_since),
        after=(
            *periods[:-1],
            _beginning(table, case, change, status=status, fate=fate, whereabouts=whereabouts),
        ),
    )
    if earlier is not None:
        reconciled = earlier if reconciled is None else tuple(sorted({*earlier, *reconciled}))
    if change.effective_at <= voided_since:
        return reconciled
    between = _reconciled(
        table,
        case,
        voided_since,
        status=before.status,
        fate=before.fate,
        whereabouts=before.whereabouts,
        settled=change.resolves,
        until=change.effective_at,
    )
    return reconciled if between is None else tuple(sorted({*between, *(reconciled or ())}))


def _beginning(
    table: Table, case: Standing, change: Change, *, status: str, fate: Fate, whereabouts: Whereabouts
) -> Snapshot:
    """The period *change*'s entry would begin in *status*, *fate* and *whereabouts*, as a case keeps it."""
    return snapshot(
        status,
        fate,
        _given(table, change.evidence),
        change.effective_at,
        case.version,
        whereabouts,
        UNCONTESTED,
        change.trigger,
    )


def _reconciled_late(
    table: Table, case: Standing, change: Change, told: EarlierPeriod, contests: tuple[int, ...] | None
) -> tuple[int, ...] | None:
    """The open conflicts of *case* that a late report, telling *told*, reconciles.

    Had it come first, its move would have reconciled those that agree with
    the period it begins: the current one, earlier, or a period of its own,
    up to the start of the period after it (and, as a move does, those about
    an earlier time that would have corroborated it). It does so now. One
    that says the case was as a period stood, or dates a left one earlier,
    reconciles nothing.
    """
    effective = change.effective_at
    if dates_the_current_earlier(case, told.status, effective, contests):
        return _reconciled(
            table,
            case,
            effective,
            status=case.status,
            fate=case.fate,
            whereabouts=case.whereabouts if told.whereabouts is _UNKNOWN else told.whereabouts,
            settled=change.resolves,
        )
    until = told_until(case, told.status, effective)
    if until is None:
        return None
    periods = case._periods  # noqa: SLF001 - the module that decides on them
    began = _beginning(table, case, change, status=told.status, fate=told.fate, whereabouts=told.whereabouts)
    return _reconciled(
        table,
        case,
        effective,
        status=told.status,
        fate=told.fate,
        whereabouts=told.whereabouts,
        settled=change.resolves,
        until=until,
        after=(*periods[: holding_index(periods, effective) + 1], began),
    )


_UNKNOWN = Whereabouts.UNKNOWN
_DEAD, _NO_FATE = Fate.DEAD, Fate.UNKNOWN


def _alive_since(periods: tuple[Period, ...], index: int) -> bool:
    """Whether a live period after the one at *index* held him alive."""
    return any(snapshot_of(period).fate is Fate.ALIVE for period in periods[index + 1 :])


def _before_missing(case: Standing, effective: datetime) -> bool:
    """Whether *effective* is before the person went missing: before the case's first period began.

    A report about such a time contradicts the case it is sent to, whatever
    it says: it agrees with no status the case holds, and waits as a
    conflict, as it does when it comes before any move.
    """
    return effective < case.status_since and effective < snapshot_of(case._periods[0]).since  # noqa: SLF001 - the module that decides on them


def _against_its_time(move: Move, case: Standing, effective: datetime) -> bool:
    """Whether a report about a time before the current status says another fate than the case held then.

    Killed on 1 March, says a video that arrives after a capture video of
    1 March and a unit's notice of a death on 3 March: the case held him
    alive, a prisoner, from that very instant. The report agrees with the
    death the case holds now, but not with the history at its time: it waits
    as a conflict about that time rather than back the later death. So does
    one about a time in an older period than the one before the current
    status (killed on 3 March, after a capture on 1 March, a wound on 5 March
    and a death on 10 March: the wound of 5 March says he was alive). Within
    the period just before, after the instant it began, the current status
    may have begun earlier than known (killed on 5 March, after a capture on
    1 March and a death on 10 March): two days of one death, for a person to
    judge from the trail. A report about a time the case held no known fate
    (missing) contradicts nothing there, unless it is a death and the case
    held him alive since: killed on 27 February, after a capture on 1 March
    and a death in captivity on 12 March. A death is final; he was seen
    alive after that day.
    """
    if effective >= case.status_since:
        return False
    return _against_the_periods(move.claimed, case._periods, effective)  # noqa: SLF001 - the module that decides on them


def _against_the_periods(claimed: Fate | None, periods: tuple[Period, ...], effective: datetime) -> bool:
    """Whether a report of *claimed* about *effective*, before the last of *periods*, is against its time.

    See :func:`_against_its_time`: *periods* are the live periods a case
    holds, or would hold once a move began the last of them.
    """
    index = holding_index(periods, effective)
    held = snapshot_of(periods[index])
    if claimed is _DEAD and held.fate is _NO_FATE and _alive_since(periods, index):
        return True
    if index == len(periods) - 2 and (effective != held.since or held.entered_by is None):
        return False
    return claimed is not None and held.fate is not Fate.UNKNOWN and claimed is not held.fate


def _refined(move: Move, case: Standing, *, carried: bool = False) -> Whereabouts:
    """The whereabouts a report that corroborates *case* leaves it with.

    A report that agrees and says where he is, or where the remains are, of
    a case that holds no whereabouts tells it: a capture card for a man whose
    captivity is confirmed but whose place is not, remains located by a
    search team for a death already reported. A position the case holds is
    never overwritten by a corroboration (a report that disagrees with it
    does not corroborate), but for one only *carried* over from the period
    before, by a report about the instant the current one began.
    """
    held = case.whereabouts
    claimed = move.claimed_whereabouts
    if held is _UNKNOWN or (carried and claimed is not _UNKNOWN):
        return claimed or held
    return held


def _role_refused(move: Move, role: str, case: Standing, actor: Actor) -> Reason:
    # The maker of the opening reported nothing to take back: refused by role, as anyone.
    if move.reporter_may_fire and case.reporter_id == actor.id and case.entered_by is not None:
        if not case.backing.isdisjoint(move.roles):
            return reporter_overruled(move.trigger, case.backing & move.roles, move.roles)
        return reporter_reaches_past(move.trigger, str(move.target), move.roles)
    if move.dismissal:
        return may_not_dismiss(role, move.roles)
    return role_not_permitted(role, move.trigger, move.roles, move.reporter_may_fire)


def _resumed(move: Move, case: Standing) -> Snapshot | None:
    """The period a legal move that reverts resumes: the latest live one in its target.

    A withdrawal resumes the one before the current period, whatever its
    status: the case stands where it stood before the report withdrawn.
    """
    if move.reverts and move.target is not None:
        periods = case._periods  # noqa: SLF001 - the module that decides on them
        if move.withdraws and len(periods) > 1:
            return snapshot_of(periods[-2])
        return case.live_period(move.target)
    return None


def _landing(move: Move, case: Standing) -> tuple[Fate, Whereabouts]:
    """The fate and whereabouts a legal *move* leaves *case* with.

    A move that resumes a period resumes it as it stood; a legal fact moves
    nothing (recorded in a status that names whereabouts, it keeps those a
    report told the case since); any other gives its own, or keeps the
    case's where it names none.
    """
    if move.fact:
        return case.fate, case.whereabouts
    resumed = _resumed(move, case)
    if resumed is not None:
        return resumed.fate, resumed.whereabouts
    claimed = move.claimed
    return (
        claimed if claimed is not None else case.fate,
        move.claimed_whereabouts or case.whereabouts,
    )


def _weighed(
    table: Table, found: Rival, case: Standing, change: Change, reasons: list[Reason] | None
) -> Verdict:
    """What a rival report does: the stronger evidence holds the instant, and comparable evidence neither.

    Stronger than the evidence behind the current period (with what
    corroborated it), it displaces that period: the case moves as if the
    rival's report had come first, and the reports that held the period
    wait as open conflicts. Weaker, it is kept as a conflict. As strong,
    neither holds: from the instant they speak of, the case stands as it
    did before both, and both wait for a person with standing; a later
    report as strong about that instant joins them. Whichever arrives
    first, the answer is the same.

    Of a period two rivals left undecided, a rival that settles it (names
    its entry in ``resolves``, from a role that may settle conflicts:
    :func:`decide` refuses any other) is a person with standing deciding
    between the reports: it holds, whatever its evidence.
    """
    trigger = change.trigger
    for item in change.evidence:
        if item.kind in table.contradicting[found.fate]:
            reasons = _with(
                reasons, evidence_contradicts_fate(table.kinds[item.kind], trigger, found.fate.value)
            )
            break
    given = _given(table, change.evidence)
    held = case.assurance
    current = case.current_period
    settles = case.tied and current.seq in change.resolves
    if _stronger(given, held) or settles:
        if reasons:
            return Verdict(Outcome.REJECTED, tuple(reasons))
        return found.move.accepted[found.fate, found.whereabouts]
    since, effective = case.status_since, change.effective_at
    if given is held:
        contradiction = rival_report(current.seq, case.status, since, effective)
    else:
        contradiction = outweighed(current.seq, case.status, since, effective, held)
    if change.resolves:
        reasons = _with(reasons, CONFLICT_CANNOT_RESOLVE)
    if reasons:
        return Verdict(Outcome.REJECTED, (*reasons, contradiction))
    if given is held and not case.tied:
        before = found.before
        return Verdict(Outcome.CONFLICT, (contradiction,), before.status, before.fate, before.whereabouts)
    return Verdict(Outcome.CONFLICT, (contradiction,), case.status, case.fate, case.whereabouts)


def _outweighs(table: Table, change: Change, case: Standing, seq: int) -> bool:
    """Whether *change*'s evidence is stronger than the period *seq* of *case* held (see :func:`_weighed`)."""
    held = next(snapshot_of(period) for period in case._periods if period.seq == seq).assurance  # noqa: SLF001
    return _stronger(_given(table, change.evidence), held)


def _stronger(given: Assurance, held: Assurance) -> bool:
    """Whether evidence that gives *given* outweighs what holds *held*: comparable evidence does not."""
    return given is not held and given.stronger(held) is given


def _tied_with_a_left_one(table: Table, case: Standing, change: Change) -> LeftRival | None:
    """Whether *change* ties, as a late rival, with the report that began a period the case has left.

    A family's video of a death on 18 February, learned after a capture
    video of 1 March and a death video of 3 March: had it come while the
    capture was the current period, neither would have held (see
    :func:`_weighed`), and the case would have stood as before both from
    1 March, undecided; the video of 3 March would then have moved it from
    there. So it is now, whichever came last: the capture period is
    undecided, and the capture and the reports that backed its period wait
    with the late rival, as conflicts. Only where the report that began the
    period after it (the current one, or another the case has left) leads to
    the same status, fate and named place from the period before the pair as
    it did from the one it rivals (see :func:`~casestate._earlier.left_rival`
    for the rest).
    """
    if change.effective_at >= case.status_since:
        return None
    found = left_rival(table, case, change.trigger, change.effective_at)
    if found is None or _given(table, change.evidence) is not found.left.assurance:
        return None
    began: str = found.after.entered_by  # type: ignore[assignment] # left_rival() checked it
    ended = table.legal.get((found.left.status, began))
    restarted = table.legal.get((found.before.status, began))
    if (
        ended is None
        or not begins(restarted, found.before)
        or (restarted.target, restarted.claimed, restarted.claimed_whereabouts)
        != (ended.target, ended.claimed, ended.claimed_whereabouts)
        or restarted.claimed is None
        or restarted.claimed_whereabouts is None
    ):
        return None
    waiting = restarted.waiting_period
    if waiting is not None and found.after.since - found.left.since < waiting:
        return None
    return found


def _reconciled_by_left_tie(
    table: Table, case: Standing, change: Change, tie: LeftRival
) -> tuple[int, ...] | None:
    """The open conflicts a late rival that leaves the left period *tie* undecided makes agree.

    Those about an earlier time than the current period began that, come
    after the tie, would corroborate the current period, judged on the
    periods it leaves (the left one undecided): a family's video of his
    remains held on 25 February, kept as a conflict once a wound was
    confirmed on 1 March (a dead man is not wounded later), agrees with a
    death of 10 March once a bureau's notice of his death on 27 February,
    as strong as the wound's confirmation, leaves the wound undecided. They
    back the current period, as a corroboration would.
    """
    periods = case._periods  # noqa: SLF001 - the module that decides on them
    index = next(index for index, period in enumerate(periods) if period.seq == tie.left.seq)
    left_undecided = undecided(tie.before, tie.left, change.effective_at, case.version)
    return _reconciled(
        table,
        case,
        case.status_since,
        status=case.status,
        fate=case.fate,
        whereabouts=case.whereabouts,
        settled=change.resolves,
        until=case.status_since,
        after=(*periods[:index], left_undecided, *periods[index + 1 :]),
    )


def _reports_of_a_left_one(case: Standing, left: Snapshot, after: Snapshot) -> tuple[int, ...]:
    """The reports that back *left*, a period *case* has left, by ``seq``: up to when *after* began."""
    until = after.since
    return tuple(
        sorted(backer.seq for backer in case.left_backers if left.since <= backer.effective_at < until)
    )


def _told_earlier(
    table: Table, found: EarlierPeriod, case: Standing, change: Change, reasons: list[Reason] | None
) -> Verdict:
    """What a report of a period before the current one does: the case keeps its status; its history grows."""
    for item in change.evidence:
        if item.kind in table.contradicting[found.fate]:
            reasons = _with(
                reasons, evidence_contradicts_fate(table.kinds[item.kind], change.trigger, found.fate.value)
            )
            break
    if reasons:
        return Verdict(Outcome.REJECTED, tuple(reasons))
    whereabouts = case.whereabouts
    # Only a place it tells the current period is the case's: not one it tells a period it has left.
    carried = found.carries_into is not None and found.carries_into == case._periods[-1].seq  # noqa: SLF001
    if carried or (found.redates and not found.older and found.whereabouts is not _UNKNOWN):
        whereabouts = found.whereabouts
    return _accepted(Outcome.EARLIER_PERIOD, case.status, case.fate, whereabouts)


def decide(table: Table, case: Standing, change: Change, now: datetime | None = None) -> Verdict:  # noqa: C901, PLR0911, PLR0912, PLR0915 - the rules, in order
    """What *change* would do to *case*: every reason it is refused, or what it becomes.

    Every guard is one test here, in the order its reason is named. For an
    accepted change, :func:`plan` says what its entry holds.
    """
    trigger = change.trigger
    status = case.status
    move = table.legal.get((status, trigger))
    if move is None:
        move = table.elsewhere.get(trigger)
    earlier = None
    if move is not None and change.effective_at < case.status_since and move.report:
        # A late report that could have come before the current one: its own rule, from the
        # period before, guards it. One that agrees with the case corroborates it, unless it
        # tells when a period began, that the case was as the period that holds its time stood
        # (it speaks of that one), or a period of the status it holds in an older one.
        earlier = earlier_period(table, case, trigger, change.effective_at)
        if (
            earlier is not None
            and earlier.voids is not None
            and not _outweighs(table, change, case, earlier.voids)
        ):
            earlier = None  # a rival of a left period's report that does not hold: a conflict
        if earlier is not None and (
            earlier.redates
            or earlier.stood
            or earlier.status == status
            or not agrees(table, move, status, case.fate, case.whereabouts)
        ):
            move = earlier.move
        else:
            earlier = None
    actor = change.actor
    role = actor.role
    reasons: list[Reason] | None = None
    if move is None:
        reasons = [unknown_trigger(trigger, table.triggers)]
    else:
        # The move's own guards: who, with what evidence, with a reason. A role the
        # workflow does not know is refused once, as unknown, below.
        if not _may_fire(move, case, actor) and role in table.roles:
            reasons = [_role_refused(move, role, case, actor)]
        needs = move.needs
        if needs is not None:
            for item in change.evidence:
                if item.kind in needs:
                    break
            else:
                reasons = _with(
                    reasons, evidence_refused(trigger, move.needs_said, change.evidence, table.kinds)
                )
        if move.reason_required and change.reason is None:
            reasons = _with(reasons, move.reason_refusal)
        if move.dismissal and not change.resolves:
            reasons = _with(reasons, DISMISSAL_NEEDS_RESOLVES)
    # The checks every change faces, whatever its trigger.
    if role not in table.roles:
        reasons = _with(reasons, unknown_role(role, table.roles))
    last = case.last_recorded_at
    if change.recorded_at < last:
        reasons = _with(reasons, time_goes_backwards(change.recorded_at, last))
    reasons = _times(table, change, now, reasons)
    resolves = change.resolves
    if resolves:
        # Settling a conflict takes the same standing as dismissing one, whatever trigger carries it.
        if (move is None or not move.dismissal) and role not in table.dismiss_roles:
            reasons = _with(reasons, may_not_resolve(role, table.dismiss_roles))
        conflicts = case.open_conflicts
        unknown = [seq for seq in resolves if seq not in conflicts]
        if unknown:
            reasons = _with(reasons, unknown_conflict(unknown, conflicts))
    if move is None or move.dismissal:
        if reasons:
            return Verdict(Outcome.REJECTED, tuple(reasons))
        return _accepted(Outcome.DISMISSAL, status, case.fate, case.whereabouts)
    if earlier is not None:
        return _told_earlier(table, earlier, case, change, reasons)
    target = move.target
    claimed = move.claimed
    corroborating = (
        move.report
        and agrees(table, move, status, case.fate, case.whereabouts)
        and not _before_missing(case, change.effective_at)
        and not _against_its_time(move, case, change.effective_at)
    )
    # About the very instant the period began, a report that names no fate speaks for the one it
    # would have carried over from the period before: whether it agrees is a rival's question.
    if move.report and (not corroborating or (claimed is None and change.effective_at == case.status_since)):
        found = rival(table, case, change.trigger, change.effective_at)
        if found is not None:
            if not found.agrees:
                return _weighed(table, found, case, change, reasons)
            corroborating = True
    contradictions: list[Reason] | None = None
    if corroborating:
        # A report of what the case already holds corroborates it, even late.
        fate = against = case.fate
    else:
        if target is None:
            contradictions = [illegal_transition(trigger, status, move.sources)]
        effective = change.effective_at
        since = case.status_since
        if effective < since:
            contradictions = _with(contradictions, earlier_than_current(effective, status, since))
        if target is None:
            against = claimed if claimed is not None else Fate.UNKNOWN
        else:
            fate, whereabouts = _landing(move, case)
            against = fate
    # No piece of evidence may speak for another fate than the one the change claims.
    contradicting = table.contradicting[against]
    for item in change.evidence:
        if item.kind in contradicting:
            reasons = _with(
                reasons, evidence_contradicts_fate(table.kinds[item.kind], trigger, against.value)
            )
            break
    if corroborating:
        if reasons:
            return Verdict(Outcome.REJECTED, tuple(reasons))
        # About the instant the period began, where it holds a place only carried from before, the
        # report's own tells where he was (see carried_place).
        carried = change.effective_at == case.status_since and carried_place(table, case)
        return _accepted(Outcome.CORROBORATION, status, fate, _refined(move, case, carried=carried))
    waiting = move.waiting_period
    if waiting is not None and target is not None and effective - since < waiting:
        reasons = _with(
            reasons, waiting_period_not_elapsed(trigger, waiting.days, status, (effective - since).days)
        )
    if move.report and contradictions and resolves:
        reasons = _with(reasons, CONFLICT_CANNOT_RESOLVE)
    if reasons:
        return Verdict(Outcome.REJECTED, tuple(reasons + (contradictions or [])))
    if contradictions:
        if move.report:
            tie = _tied_with_a_left_one(table, case, change)
            if tie is not None:
                left = tie.left
                contradictions = [rival_report(left.seq, left.status, left.since, change.effective_at)]
            return Verdict(Outcome.CONFLICT, tuple(contradictions), status, case.fate, case.whereabouts)
        return Verdict(Outcome.REJECTED, tuple(contradictions))
    if move.withdraws:
        # Back to where the case stood before the report withdrawn, whatever its status.
        return _accepted(Outcome.TRANSITION, _target(move, case), fate, whereabouts)
    return move.accepted[fate, whereabouts]


def _target(move: Move, case: Standing) -> str:
    """Where a legal *move* leads *case*: its target, or for a withdrawal the status it resumes."""
    resumed = _resumed(move, case) if move.withdraws else None
    return move.target if resumed is None else resumed.status  # type: ignore[return-value] # legal


_KIND_OF = {
    Outcome.TRANSITION: EntryKind.TRANSITION,
    Outcome.CORROBORATION: EntryKind.CORROBORATION,
    Outcome.CONFLICT: EntryKind.CONFLICT,
    Outcome.DISMISSAL: EntryKind.DISMISSAL,
    Outcome.FACT: EntryKind.FACT,
}


def plan(table: Table, case: Standing, change: Change, verdict: Verdict) -> Plan:
    """What the entry of *change*, accepted by *verdict*, holds: kind, fate, assurance, the period it resumes.

    Only :func:`decide` accepts; this says what follows: a transition takes
    the assurance its evidence gives, or, resuming a period (a retraction, a
    reopening), the assurance that period had (the evidence shows the report
    was wrong, not how well the resumed status is established); a
    corroboration may raise the case's; a conflict, a dismissal or a fact
    keeps it.
    """
    outcome = verdict.outcome
    if outcome is Outcome.EARLIER_PERIOD:
        # The entry records the period it tells, with its report's own assurance and place; one of
        # the current status moves the start of the current period (see step()).
        told: EarlierPeriod = earlier_period(table, case, change.trigger, change.effective_at)  # type: ignore[assignment] # decide() accepted it as one
        contests = (
            None
            if not case.left_backers or told.stood
            else _contested_late(table, case, told, change.effective_at)
        )
        reconciled = None if not case.waiting else _reconciled_late(table, case, change, told, contests)
        return _plan(
            Plan,
            (
                verdict,
                EntryKind.EARLIER_PERIOD,
                told.fate,
                _given(table, change.evidence),
                None,
                told.whereabouts,
                None,
                told.status,
                told.carries_into,
                contests,
                reconciled,
            ),
        )
    fate = verdict.fate or case.fate
    whereabouts = verdict.whereabouts or case.whereabouts
    if outcome is Outcome.TRANSITION or outcome is Outcome.CONFLICT:
        found = rival(table, case, change.trigger, change.effective_at)
        if found is not None and not found.agrees:
            displaced = case.current_period.seq
            holds = outcome is Outcome.TRANSITION
            if holds or (verdict.reasons[0].code is Code.RIVAL_REPORT and not case.tied):
                # The rival holds; or neither does: a period in what the case held before both,
                # from their instant, as strongly as it held it.
                kind = EntryKind.TRANSITION if holds else EntryKind.CONFLICT
                assurance = _given(table, change.evidence) if holds else case.assurance
                since = change.effective_at if holds else max(change.effective_at, case.status_since)
                status: str = verdict.target  # type: ignore[assignment] # where either leaves the case
                reconciled = _reconciled_by_rival(
                    table,
                    case,
                    change,
                    found.before,
                    since,
                    status=status,
                    fate=fate,
                    whereabouts=whereabouts,
                    holds=holds,
                )
                # The rival that holds begins its period from the one before: it contests that
                # period's reports about its time or later that say otherwise, as a late report does.
                contested = (
                    None
                    if not holds or not case.left_backers
                    else _saying_otherwise(
                        table,
                        _not_at_its_start(case.left_backers, found.before.since),
                        change.effective_at,
                        None,
                        status,
                        fate,
                        whereabouts,
                    )
                )
                return _plan(
                    Plan,
                    (
                        verdict,
                        kind,
                        fate,
                        assurance,
                        None,
                        whereabouts,
                        displaced,
                        None,
                        None,
                        contested,
                        reconciled,
                    ),
                )
    if outcome is Outcome.CONFLICT and verdict.reasons[0].code is Code.RIVAL_REPORT:
        tie = _tied_with_a_left_one(table, case, change)
        if tie is not None:
            # It displaces the report that began the left period, whose reports wait with it; its
            # entry holds what the period, undecided, holds: the fate and place of the one before it,
            # as strongly as it held its own (the case's status is the entry's, and stays).
            return _plan(
                Plan,
                (
                    verdict,
                    EntryKind.CONFLICT,
                    tie.before.fate,
                    tie.left.assurance,
                    None,
                    tie.before.whereabouts,
                    tie.left.seq,
                    None,
                    None,
                    _reports_of_a_left_one(case, tie.left, tie.after),
                    None if not case.waiting else _reconciled_by_left_tie(table, case, change, tie),
                ),
            )
    if outcome is Outcome.TRANSITION:
        move = table.legal[case.status, change.trigger]
        resumed = _resumed(move, case)
        if resumed is not None:
            return _plan(
                Plan,
                (
                    verdict,
                    EntryKind.TRANSITION,
                    fate,
                    resumed.assurance,
                    resumed.seq,
                    whereabouts,
                    None,
                    None,
                    None,
                    None,
                    None,
                ),
            )
        target: str = verdict.target  # type: ignore[assignment] # a transition's
        given = _given(table, change.evidence)
        return _plan(
            Plan,
            (
                verdict,
                EntryKind.TRANSITION,
                fate,
                given,
                None,
                whereabouts,
                None,
                None,
                None,
                None
                if not case.backers
                else _contested(
                    table, case, change.effective_at, status=target, fate=fate, whereabouts=whereabouts
                ),
                None
                if not case.waiting and not case.rivalled
                else _reconciled(
                    table,
                    case,
                    change.effective_at,
                    status=target,
                    fate=fate,
                    whereabouts=whereabouts,
                    settled=change.resolves,
                    rivals=True,
                    after=(
                        *case._periods,  # noqa: SLF001 - the module that decides on them
                        _beginning(table, case, change, status=target, fate=fate, whereabouts=whereabouts),
                    ),
                ),
            ),
        )
    held = case.assurance
    if outcome is Outcome.CORROBORATION:
        given = _given(table, change.evidence)
        held = held if held is given else held.stronger(given)  # pragma: no mutate - x.stronger(x) is x
    return _plan(
        Plan, (verdict, _KIND_OF[outcome], fate, held, None, whereabouts, None, None, None, None, None)
    )


@attrs.frozen(kw_only=True)
class Option:
    """A change an actor may make to a case now, and what it would take: one button of a form.

    Given by :meth:`Workflow.available <casestate.Workflow.available>`, for a change
    about a time after the status took effect: a report about the very instant it
    took effect that disagrees with the report that put it there is weighed against
    it by their evidence (see :doc:`/explanation/conflicts`).

    A report that rivals the report which began the current status (one that
    could not have followed it: see *rival_of*) is weighed against it the same
    way: the option says what it does if it holds.
    """

    trigger: str
    outcome: Outcome
    """What it would do: a transition, a corroboration, a conflict kept for a person, a dismissal."""
    target: str
    """The status the case would be in afterwards."""
    fate: Fate
    """The fate the case would have afterwards."""
    whereabouts: Whereabouts
    """Where the person or the remains would be afterwards."""
    evidence: EvidenceRule | None
    """The evidence the rule needs (``None``: none)."""
    kinds: frozenset[str]
    """The evidence kinds of which one piece would do, built in or declared; empty when none is needed.

    Kinds that speak for another fate than the one the change claims are
    left out: they would be refused.
    """
    reason_required: bool
    """Whether a written reason is needed."""
    not_before: datetime | None = None
    """The earliest effective time, when a waiting period applies."""
    resolves: tuple[int, ...] = ()
    """For a dismissal: the open conflicts it may settle."""
    rival_of: int | None = None
    """For a report that rivals the one that began the current status: that report's entry.

    It holds (as *outcome*, *target*, *fate* and *whereabouts* say) only on
    evidence stronger than the case's assurance; on evidence as strong,
    neither holds and the case goes back to the status before both; on
    weaker, it waits as a conflict.
    """


def _rival_waits(table: Table, case: Standing, trigger: str) -> datetime | None:
    """When a report of *trigger* whose waiting counts from the period before may first be about, if later."""
    periods = case._periods  # noqa: SLF001 - the module that decides on them
    if len(periods) < 2:  # noqa: PLR2004 - the current period and one before
        return None
    before = snapshot_of(periods[-2])
    move = table.legal.get((before.status, trigger))
    if move is None or move.waiting_period is None:
        return None
    earliest = before.since + move.waiting_period
    return earliest if earliest > case.status_since else None


def options(table: Table, case: Standing, actor: Actor) -> tuple[Option, ...]:  # noqa: C901 - one branch per outcome
    """What *actor* may do next to *case*, by the rules that decide it (see ``Workflow.available``)."""
    if actor.role not in table.roles:
        return ()
    found: list[Option] = []
    for trigger in table.triggers:
        move = table.move(case.status, trigger)
        if trigger == DISMISS:
            if case.open_conflicts and actor.role in table.dismiss_roles:
                found.append(
                    Option(
                        trigger=DISMISS,
                        outcome=Outcome.DISMISSAL,
                        target=case.status,
                        fate=case.fate,
                        whereabouts=case.whereabouts,
                        evidence=None,
                        kinds=frozenset(),
                        reason_required=True,
                        resolves=case.open_conflicts,
                    )
                )
            continue  # pragma: no mutate - dismiss is the table's last trigger: a break ends the loop alike
        if move is None or not _may_fire(move, case, actor):
            continue
        # The fate the evidence is held against, as decide() holds it.
        whereabouts = case.whereabouts
        rival_of = rival_not_before = None
        if agrees(table, move, case.status, case.fate, case.whereabouts):
            outcome, target, fate = Outcome.CORROBORATION, case.status, case.fate
            whereabouts = _refined(move, case)
            against = fate
        elif move.target is not None:
            outcome, target = Outcome.FACT if move.fact else Outcome.TRANSITION, _target(move, case)
            fate, whereabouts = _landing(move, case)
            against = fate
        elif move.report:
            about = case.status_since + _LATER
            rivalling = rival(table, case, trigger, about)
            earliest = _rival_waits(table, case, trigger) if rivalling is None else None
            if earliest is not None:
                # A rival once its waiting, counted from the period before, is over.
                about, rivalling = earliest, rival(table, case, trigger, earliest)
            if rivalling is not None:
                outcome, target, fate, whereabouts = (
                    Outcome.TRANSITION,
                    rivalling.move.reported,
                    rivalling.fate,
                    rivalling.whereabouts,
                )
                against, rival_of = fate, case.current_period.seq
                rival_not_before = about if earliest is not None else None
            else:
                target, fate = case.status, case.fate
                outcome, against = Outcome.CONFLICT, move.claimed or Fate.UNKNOWN
        else:
            continue
        # A rival's waiting counts from the period before, which rival() has held it to.
        waiting = (
            move.waiting_period
            if outcome in (Outcome.TRANSITION, Outcome.FACT) and rival_of is None
            else None
        )
        found.append(
            Option(
                trigger=trigger,
                outcome=outcome,
                target=target,
                fate=fate,
                whereabouts=whereabouts,
                # Only a dismissal has no rule, offered above: "is None" is never true here.
                evidence=None if move.rule is None else move.rule.evidence,  # pragma: no mutate
                kinds=frozenset() if move.needs is None else move.needs - table.contradicting[against],
                reason_required=move.reason_required,
                not_before=rival_not_before if waiting is None else case.status_since + waiting,
                rival_of=rival_of,
            )
        )
    return tuple(found)
