"""The kit's own reading of what a report tells a case: agreement, rivals, periods told late.

Written apart from the library's decision, as an oracle must not share the
code it checks: the attempts hold ``check`` to it, and the walk of
:func:`~casestate.testing.check_case` holds every entry of a trail to it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

import attrs

from casestate import Assurance, Case, Entry, EntryKind, Fate, Rule, Snapshot, Whereabouts, Workflow


def claimed_by(workflow: Workflow, rule: Rule) -> Fate | None:
    """The fate a report or move of *rule* speaks for, if it names one."""
    return rule.fate if rule.fate is not None else workflow.status(rule.target).fate


def corroborates(workflow: Workflow, case: Case, rule: Rule) -> bool:
    """Whether a report of *rule* agrees with what the case holds, legal from here or not."""
    return agrees_with(workflow, rule, case.status, case.fate, case.whereabouts)


def agrees_with(workflow: Workflow, rule: Rule, status: str, fate: Fate, whereabouts: Whereabouts) -> bool:
    """Whether a report of *rule* agrees with a case in *status*, *fate* and *whereabouts*.

    It agrees on the status (or, in a status that carries its fate, on the
    fate) and says nothing else of the whereabouts than the case holds.
    """
    if not rule.report:
        return False
    keeps_fate = workflow.status(status).fate is None
    said = rule.whereabouts or workflow.status(rule.target).gives_whereabouts
    claimed = claimed_by(workflow, rule)
    # Into a status that keeps its fate, a report of another fate says another thing.
    agrees = (rule.target == status and claimed in (None, fate)) or (keeps_fate and claimed is fate)
    # Unknown whereabouts are no position: they agree with any, and any with them.
    unknown = Whereabouts.UNKNOWN
    return agrees and (said in (None, unknown, whereabouts) or whereabouts is unknown)


def by_a_report(began: Entry) -> bool:
    """Whether *began* began its period as a report does: a move that resumes none, or a late report.

    A late report that told a period of its own began it (the kit's reading of ``Snapshot.entered_by``).
    """
    return (
        began.kind is EntryKind.TRANSITION and began.reverts_to is None
    ) or began.kind is EntryKind.EARLIER_PERIOD


def holding_at(starts: Sequence[datetime], effective: datetime) -> int:
    """Which of the periods before the current one, by their *starts* (oldest first), holds *effective*.

    The latest begun by then; the first, for a time before any began. The
    kit's own reading of the period a late report falls in.
    """
    return next((index for index in range(len(starts) - 1, 0, -1) if starts[index] <= effective), 0)


def against_its_time(workflow: Workflow, case: Case, rule: Rule, effective: datetime) -> bool:
    """Whether a report of *rule* about *effective*, before the current status, says another fate than then.

    See :func:`against_the_periods`, on the case's periods as it holds them.
    """
    return against_the_periods(claimed_by(workflow, rule), effective, case.periods, case.trail)


def against_the_periods(
    claimed: Fate | None, effective: datetime, periods: Sequence[Snapshot], trail: Sequence[Entry]
) -> bool:
    """Whether a report of *claimed* about *effective* says another fate than the live *periods* held then.

    Of the period that holds its time: an older one than the period before
    the current one (the last of *periods*), or that one about the instant a
    report began it. Inside the period just before, the current status may
    have begun earlier than known. A time the case held no known fate
    contradicts nothing, but for a death, where a later period held him
    alive. The kit's own reading of the rule.
    """
    if len(periods) < 2 or effective >= periods[-1].since:  # noqa: PLR2004 - the current period and one before
        return False
    index = holding_at([period.since for period in periods[:-1]], effective)
    held = periods[index]
    if (
        claimed is Fate.DEAD
        and held.fate is Fate.UNKNOWN
        and any(later.fate is Fate.ALIVE for later in periods[index + 1 :])
    ):
        return True  # seen alive after the day he was reported killed
    began = trail[held.seq]
    if index == len(periods) - 2 and (effective != held.since or not by_a_report(began)):
        return False
    return claimed is not None and held.fate is not Fate.UNKNOWN and claimed is not held.fate


@attrs.frozen
class Rivalry:
    """What a report that rivals the one that began the current period would make of the period before."""

    before: Snapshot
    """The period before the current one."""
    fate: Fate
    whereabouts: Whereabouts
    agrees: bool
    """Whether it says what the current period holds (then it corroborates it)."""
    tied: bool
    """Whether the current period is one two rivals left undecided (then it holds no claim to agree with)."""


def rivalry(  # noqa: PLR0911, PLR0917 - one rule each; the rule, and the two periods as the case holds them
    workflow: Workflow,
    rule: Rule,
    effective: datetime,
    before: Snapshot,
    current: Snapshot,
    began: Entry,
    open_conflicts: Collection[int] = (),
    backers: Iterable[str] = (),
) -> Rivalry | None:
    """Whether a report of *rule* about *effective* rivals the one that began the *current* period.

    *open_conflicts* are the case's (a pair settled or dismissed since is
    undecided no more); *backers* the triggers of the reports that back the
    current period (see :func:`carried`). *began* is the entry that began
    it: a report (or an authority's move, which has no rival), or a conflict
    of two rivals neither of which holds.
    Rivals: a report about the very instant the current period began, which
    a report began from the period *before* (or two rivals left undecided),
    that could have begun it in its place (a report legal from there, its
    waiting over, leading elsewhere). One that disagrees (another fate, or
    another known place) is weighed against it by their evidence; one that
    agrees corroborates it. About another time of the period before, a
    report is a rival where neither report could have followed the other:
    about an earlier time, when the report that began the current period is
    not legal from where this one leads; about a later time, when this one is
    not legal from the current status. One that agrees is then no rival. A
    report about that very instant that the case stayed as it was before
    ("still captured") rivals nothing, and corroborates the current period
    where it agrees with it. The kit's own reading of the rule, which both the
    attempts and the invariants hold the workflow to.
    """
    tied = began.kind is EntryKind.CONFLICT
    if tied and began.seq not in open_conflicts:
        return None  # a pair settled or dismissed since
    if (
        began.kind is EntryKind.OPENED
        or began.reverts_to is not None
        or not begins_a_period(workflow.rule(began.trigger), before)
    ):
        return None
    if not begins_a_period(rule, before):
        return _stays(workflow, rule, effective, before, current, tied=tied)
    if effective != current.since and (
        effective < before.since
        or (effective > current.since and (tied or current.status in rule.sources))
        or (
            effective < current.since
            and not tied
            and workflow.target_of(rule.target, began.trigger) is not None
        )
    ):
        return None
    waiting = rule.waiting_period
    if waiting is not None and effective - before.since < waiting:
        return None
    claimed = claimed_by(workflow, rule)
    fate = claimed if claimed is not None else before.fate
    named = named_by(workflow, rule)
    whereabouts = named or before.whereabouts
    held = current.whereabouts
    unknown = Whereabouts.UNKNOWN
    if effective == current.since:
        # Of that instant, each report's word on the place is what it named: a place the current
        # period carried over from before is not its report's.
        if not tied and carried(workflow, began, before, current, backers):
            held = unknown
        whereabouts_said = named or unknown
    else:
        whereabouts_said = whereabouts
    alike = whereabouts_said is held or unknown in (whereabouts_said, held)
    agrees = not tied and fate is current.fate and alike
    if agrees and effective != current.since:
        return None
    return Rivalry(before, fate, whereabouts, agrees, tied)


def named_by(workflow: Workflow, rule: Rule) -> Whereabouts | None:
    """The place a report of *rule* names: its own, or its status's; ``None`` where it names none."""
    return rule.whereabouts or workflow.status(rule.target).gives_whereabouts


def carried(
    workflow: Workflow, began: Entry, before: Snapshot, current: Snapshot, backers: Iterable[str] = ()
) -> bool:
    """Whether the *current* period, which *began* began from *before*, holds its place only carried over.

    The rule that began it names none, and no report told it one since: not
    another, and not that one either (*backers* are the triggers of the
    reports that back the period).
    """
    named = named_by(workflow, workflow.rule(began.trigger))
    unknown = Whereabouts.UNKNOWN
    told = any(named_by(workflow, workflow.rule(trigger)) not in (None, unknown) for trigger in backers)
    return named is None and current.whereabouts is before.whereabouts and not told


class Told(NamedTuple):
    """What a late report of an earlier period tells (see :func:`earlier_told`)."""

    fate: Fate
    whereabouts: Whereabouts
    carries: bool
    """Whether a period takes its whereabouts, the rule that began it naming none: the period after
    the one it tells (the current one or one the case has left); or, for a report that the case was
    as a period stood (*stays*), about the instant it began, that period itself."""
    redates: bool = False
    """Whether it reports the current status: then the current period began on its day."""
    stays: bool = False
    """Whether it reports the status of the period before, as that period stood: it tells no period of
    its own (about the instant that period began, it may tell it a place it only carried)."""
    older: bool = False
    """Whether it is about a time in an older period than the one before the current one."""
    status: str | None = None
    """The status of the period it says the case stood in, where that is not its rule's target: a
    report that agreed with that period, about the instant it began (wounded, of a capture), or by
    the fate a status that keeps it holds (a capture video, of a prisoner the ICRC confirmed)."""
    voids: int | None = None
    """The period just before the current one that it voids, rivalling the report that began it (the
    entry that began it): where its evidence outweighs that period's (see :func:`rivalling_left`)."""


def earlier_told(  # noqa: C901, PLR0911, PLR0917 - one rule each; the rule, and the periods as the case holds them
    workflow: Workflow,
    rule: Rule,
    effective: datetime,
    before: Snapshot,
    current: Snapshot,
    began: Entry,
    older: Sequence[Snapshot] = (),
    trail: Sequence[Entry] = (),
) -> Told | None:
    """The fate and whereabouts of the period a late report of *rule* about *effective* tells, if any.

    *began* began the *current* period, from the period *before*. A report
    (one that neither corroborates the case nor rivals its current report)
    tells a period of its own between the two when it could have arrived
    first: about a time strictly between their beginnings, legal from the
    period before with its waiting over and leading elsewhere, with the rule
    that began the current period legal from where it leads, and with the
    current period holding the fate it would have carried over from it. Where
    that rule names no place, the current period takes the one the late report
    tells (*carries*), unless a report told it where he is since. A late
    report of the current status itself (*redates*) tells that the current
    period began on its day, where the report that began it would have
    corroborated it had it come first (see :func:`_begun_earlier`). A late
    report that the case was as the period holding its time stood, that
    period *before* or one of the *older* ones (oldest first), says what the
    history holds (*stays*), unless that period's status is the current one;
    so does one about the very instant a report began such a period that
    would have corroborated it then (the entries that began the periods are
    read from *trail*). The kit's own reading of the rule, which the attempts and the invariants
    hold the workflow to.
    """
    if effective < current.since:
        # However the current period began: of the status of the period that holds its time.
        earlier = (*older, before)
        index = holding_at([period.since for period in earlier], effective)
        held = earlier[index]
        if held.since <= effective and held.status != current.status and _stayed(workflow, rule, held):
            return Told(held.fate, held.whereabouts, carries=False, stays=True, status=held.status)
        at_start = trail and index > 0 and held.since == effective and held.seq != 0
        if at_start and held.status != current.status:
            following = earlier[index + 1] if index + 1 < len(earlier) else current
            told = _at_its_start(workflow, rule, effective, (earlier[index - 1], held, following), trail)
            if told is not None:
                return told
    if not by_a_report(began):
        return None
    # About the instant the case opened, too: the opening is no report a late one could rival.
    after = before.since < effective or (before.since == effective and before.seq == 0)
    if not (after and effective < current.since) or not begins_a_period(rule, before):
        return None
    waiting = rule.waiting_period
    if waiting is not None and effective - before.since < waiting:
        return None
    follows = workflow.rule(began.trigger)
    if rule.target == current.status:
        return _begun_earlier(workflow, rule, follows, before, current)
    if follows.reverts or workflow.target_of(rule.target, began.trigger) != current.status:
        return None
    if follows.waiting_period is not None and current.since - effective < follows.waiting_period:
        return None
    claimed = claimed_by(workflow, rule)
    fate = claimed if claimed is not None else before.fate
    whereabouts = rule.whereabouts or workflow.status(rule.target).gives_whereabouts or before.whereabouts
    if claimed_by(workflow, follows) is None and fate is not current.fate:
        return None
    named = follows.whereabouts or workflow.status(follows.target).gives_whereabouts
    carries = named is None and whereabouts is not current.whereabouts
    if carries and current.whereabouts is not before.whereabouts:
        return None  # a report told the current period where he is since
    return Told(fate, whereabouts, carries)


def _agreed_at_its_start(  # noqa: PLR0917 - the rule, and the two periods with the entry between
    workflow: Workflow, rule: Rule, effective: datetime, first: Snapshot, held: Snapshot, began: Entry
) -> bool:
    """Whether a late report of *rule* about the instant *began* began *held*, after *first*, agreed with it.

    Had it come while *held* was the current period, it would have said what
    that period held about its instant (its fate, and no other place: see
    :func:`rivalry`), and corroborated it: a report from *first* that begins a
    period there, or one of *first*'s status. Where an authority's finding
    began *held*, one that agrees with it as with any period (see
    :func:`agrees_with`); not where a pair of rivals or a retraction did.
    """
    if not by_a_report(began):
        return False
    if not begins_a_period(workflow.rule(began.trigger), first):
        # An authority's finding has no rival: a report agreed with it as with any period.
        return agrees_with(workflow, rule, held.status, held.fate, held.whereabouts)
    spoken = _said_from(workflow, rule, effective, first)
    return (
        spoken is not None
        and spoken[0] is held.fate
        and spoken[1] in (None, Whereabouts.UNKNOWN, held.whereabouts)
    )


def _said_from(
    workflow: Workflow, rule: Rule, effective: datetime, first: Snapshot
) -> tuple[Fate, Whereabouts | None] | None:
    """The fate and the place a report of *rule* about *effective* says, had it come in the period *first*.

    Where it could have begun a period from there (its waiting over), or it
    reports *first*'s status; ``None`` otherwise. The place is the one it
    names (``None``: it names none).
    """
    waiting = rule.waiting_period
    begins = begins_a_period(rule, first) and (waiting is None or effective - first.since >= waiting)
    stays = rule.report and not rule.reverts and not rule.fact and rule.target == first.status
    if not begins and not stays:
        return None
    return claimed_by(workflow, rule) or first.fate, named_by(workflow, rule)


def _at_its_start(
    workflow: Workflow,
    rule: Rule,
    effective: datetime,
    periods: tuple[Snapshot, Snapshot, Snapshot],
    trail: Sequence[Entry],
) -> Told | None:
    """What a late report about the instant a report began the second of *periods* says of it, if anything.

    That the case was as it stood (it agreed with it then), or, where that
    period holds only a place carried over from the first, the place it tells.
    """
    first, held, following = periods
    if _agreed_at_its_start(workflow, rule, effective, first, held, trail[held.seq]):
        return Told(held.fate, held.whereabouts, carries=False, stays=True, status=held.status)
    place = _told_at_its_start(workflow, rule, effective, first, held, following, trail)
    if place is None:
        return None
    return Told(held.fate, place, carries=True, stays=True, status=held.status)


def _told_at_its_start(  # noqa: PLR0917 - the rule, and the periods around the entry
    workflow: Workflow,
    rule: Rule,
    effective: datetime,
    first: Snapshot,
    held: Snapshot,
    following: Snapshot,
    trail: Sequence[Entry],
) -> Whereabouts | None:
    """The place a late report about the instant a report began *held*, after *first*, tells it, if any.

    Where *held* holds only the place carried over from *first* (the rule that
    began it names none) and the period *following* it carried it no further,
    a report that could have begun *held* (or one of *first*'s status), of its
    fate, that names another place would have told it that place, had it come
    then (see :func:`carried`).
    """
    began = trail[held.seq]
    if not by_a_report(began):
        return None
    move = workflow.rule(began.trigger)
    if not begins_a_period(move, first) or named_by(workflow, move) is not None:
        return None
    spoken = _said_from(workflow, rule, effective, first)
    if (
        spoken is None
        or spoken[0] is not held.fate
        or spoken[1] in (None, Whereabouts.UNKNOWN, held.whereabouts)
        or held.whereabouts is not first.whereabouts
        or not _own_place(workflow, following, trail)
    ):
        return None
    return spoken[1]


def _stayed(workflow: Workflow, rule: Rule, before: Snapshot) -> bool:
    """Whether a late report of *rule* says the case was as the period *before* stood ("still missing").

    Had it come first, it would have corroborated that period: it agrees with
    it (its status, or the fate a status that keeps it holds), and names no
    other place than it held (nor one where it held none).
    """
    said = rule.whereabouts or workflow.status(rule.target).gives_whereabouts
    return (
        not rule.reverts
        and not rule.fact
        and agrees_with(workflow, rule, before.status, before.fate, before.whereabouts)
        and said in (None, Whereabouts.UNKNOWN, before.whereabouts)
    )


def _begun_earlier(
    workflow: Workflow, rule: Rule, follows: Rule, before: Snapshot, current: Snapshot
) -> Told | None:
    """A late report of *rule*, into the *current* status, that tells the period began on its day.

    Had it come first, the report of *follows* that began the period would
    have corroborated it: it is a report from the period *before*, and the
    two say the same fate and no two known places. Its place holds from its
    day; where it names none, the case keeps its own, unless that one was
    carried over from before (it would not have been, had this come first).
    Another place than the period holds, named or told it since, makes it no
    such report.
    """
    if not begins_a_period(follows, before):
        return None
    claimed = claimed_by(workflow, rule)
    fate = claimed if claimed is not None else before.fate
    if fate is not current.fate:
        return None
    unknown = Whereabouts.UNKNOWN
    whereabouts = named_by(workflow, rule) or before.whereabouts
    held = current.whereabouts
    # Where the current period holds the place it took over from before, its report naming none.
    took_over = named_by(workflow, follows) is None and held is before.whereabouts
    if whereabouts is not held and (
        (whereabouts is unknown and took_over)
        or (whereabouts is not unknown and not took_over and held is not unknown)
    ):
        return None
    return Told(fate, whereabouts, carries=False, redates=True)


def earlier(workflow: Workflow, case: Case, rule: Rule, effective: datetime) -> Told | None:
    """The period a late report of *rule* about *effective* tells on *case* (see :func:`earlier_told`).

    A report that agrees with the case tells one only where it tells that the current period began
    earlier, or that the case was as the period that holds its time stood.
    """
    periods = case.periods
    if len(periods) < 2:  # noqa: PLR2004 - the current period and one before
        return None
    told = earlier_told(
        workflow, rule, effective, periods[-2], periods[-1], case.status_entry, periods[:-2], case.trail
    )
    if told is None:
        told = between_left(workflow, rule, effective, periods, case.trail)
    if told is None:
        resumed = case.status_entry.reverts_to is not None
        told = rivalling_left(
            workflow, rule, effective, periods, case.trail, _left_backers(case), resumed=resumed
        )
    if (
        told is not None
        and not told.redates
        and not told.stays
        and (told.status or rule.target) != case.status
        and corroborates(workflow, case, rule)
    ):
        return None  # it agrees with the case: a corroboration, unless it tells a period of its status
    return told


def between_left(
    workflow: Workflow, rule: Rule, effective: datetime, periods: Sequence[Snapshot], trail: Sequence[Entry]
) -> Told | None:
    """The period a late report tells between two periods the case has left since, if any.

    Judged against the live period that holds its time and the one after it,
    as :func:`earlier_told` judges one against the two last periods; of those,
    only one that moves no place after the later period (*older*, whatever
    its status, the one the case holds included): a period of its own, which
    the later period takes its place from (*carries*) only where the period
    after that one holds a place of its own; or a report of the later
    period's status (*redates*) that names no other place than it held,
    which tells that it began on its day.
    """
    held = holding_at([period.since for period in periods[:-1]], effective)
    if held > len(periods) - 3 or periods[held].since > effective:
        return None
    if rule.target == periods[-1].status == periods[held + 1].status and held == len(periods) - 3:
        return None  # the start of the period just before the current one, of its status: not told
    after = periods[held + 1]
    told = earlier_told(
        workflow, rule, effective, periods[held], after, trail[after.seq], periods[:held], trail
    )
    if told is None or told.stays:
        return None
    if told.carries and not _own_place(workflow, periods[held + 2], trail):
        return None
    if told.redates and told.whereabouts not in {after.whereabouts, Whereabouts.UNKNOWN}:
        return None
    return told._replace(older=True)


class LeftRivalry(NamedTuple):
    """A late report that rivals the report that began a period the case has left."""

    before: Snapshot
    """The period before the one it rivals."""
    left: Snapshot
    """The period it rivals."""
    after: Snapshot
    """The period after it: the current one, or another the case has left."""


def left_rivalry(  # noqa: PLR0917 - the rule, and the periods and reports as the case holds them
    workflow: Workflow,
    rule: Rule,
    effective: datetime,
    periods: Sequence[Snapshot],
    trail: Sequence[Entry],
    left_backers: Collection[int],
    *,
    resumed: bool = False,
) -> LeftRivalry | None:
    """Whether a late report of *rule* about *effective* rivals the report that began a left period.

    The first of the live *periods* (oldest first) that began at or after
    *effective*, one the case has left, which a report began after the
    period before it: a report about
    a time after that one began, up to the instant the left one began, that
    begins a period from there (its waiting over) and that the report which
    began the left one could not have followed; where a report began the
    period after it too, and the report that began the left one is among
    *left_backers* still (the ``seq`` of the reports that back left periods),
    about a time before the period after it began. A current period a
    retraction resumed (*resumed*) is nobody's new report. The kit's own
    reading of the rule.
    """
    if len(periods) < 3 or effective >= periods[-1].since:  # noqa: PLR2004 - the current period, the one it rivals, and one before
        return None
    index = next(index for index, period in enumerate(periods) if period.since >= effective)
    if not 0 < index < len(periods) - 1 or (resumed and index == len(periods) - 2):
        return None
    before, left, after = periods[index - 1], periods[index], periods[index + 1]
    rivalled, began = trail[left.seq], trail[after.seq]
    if (
        not before.since < effective <= left.since
        or not by_a_report(rivalled)
        or not by_a_report(began)
        or not begins_a_period(workflow.rule(rivalled.trigger), before)
        or workflow.target_of(rule.target, rivalled.trigger) is not None  # it could have followed
        or not begins_a_period(rule, before)
        or left.seq not in left_backers
        or rivalled.effective_at >= after.since
    ):
        return None
    waiting = rule.waiting_period
    if waiting is not None and effective - before.since < waiting:
        return None
    return LeftRivalry(before, left, after)


def rivalling_left(  # noqa: PLR0917 - as left_rivalry
    workflow: Workflow,
    rule: Rule,
    effective: datetime,
    periods: Sequence[Snapshot],
    trail: Sequence[Entry],
    left_backers: Collection[int],
    *,
    resumed: bool = False,
) -> Told | None:
    """A late rival of the report that began the period just before the current one that may void it.

    A death on 18 February, reported after a capture on 1 March and a death
    on 3 March: had it come while the capture was current, it would have
    rivalled the capture (see :func:`left_rivalry`). Where its evidence
    outweighs that period's (the caller weighs it), it voids that period
    (*voids*), and tells that the current one, of its status, began on its
    day, as a late report of the current status does (see
    :func:`_begun_earlier`), where the report that began the current one
    named its own place.
    """
    found = left_rivalry(workflow, rule, effective, periods, trail, left_backers, resumed=resumed)
    if found is None or rule.target != periods[-1].status or found.left.seq != periods[-2].seq:
        return None
    before, left, current = found
    follows = workflow.rule(trail[current.seq].trigger)
    if named_by(workflow, follows) is None:
        return None  # the current period took the voided one's place: another story
    told = _begun_earlier(workflow, rule, follows, before, current)
    return None if told is None else told._replace(voids=left.seq)


def tied_with_left(  # noqa: PLR0917 - as left_rivalry
    workflow: Workflow,
    rule: Rule,
    effective: datetime,
    periods: Sequence[Snapshot],
    trail: Sequence[Entry],
    left_backers: Collection[int],
    *,
    resumed: bool = False,
) -> LeftRivalry | None:
    """A late rival of the report that began a left period, that may tie with it (see :func:`left_rivalry`).

    Where its evidence is as strong as that period's (the caller weighs it),
    that period is undecided, as it would have been had the rival come while
    it was current, and the periods after it stand: where the report that
    began the one after it leads to the same status, fate and place (one it
    names) from the period before the pair as from the one it rivals, its
    waiting over from the start of the pair.
    """
    found = left_rivalry(workflow, rule, effective, periods, trail, left_backers, resumed=resumed)
    if found is None:
        return None
    before, left, current = found
    began = workflow.rule(trail[current.seq].trigger)
    target = workflow.target_of(left.status, began.trigger)
    if (
        not begins_a_period(began, before)
        or target is None
        or workflow.target_of(before.status, began.trigger) != target
        or claimed_by(workflow, began) is None
        or named_by(workflow, began) is None
    ):
        return None
    waiting = began.waiting_period
    if waiting is not None and current.since - left.since < waiting:
        return None
    return found


def _left_backers(case: Case) -> list[int]:
    return [backer.seq for backer in case.left_backers]


def outweighs(given: Assurance, held: Assurance) -> bool:
    """Whether evidence that gives *given* outweighs a period that held *held* (the kit's reading)."""
    return given is not held and given.stronger(held) is given


def _own_place(workflow: Workflow, following: Snapshot, trail: Sequence[Entry]) -> bool:
    """Whether the period *following* holds a place of its own, not one carried from the period before it.

    One the rule that began it named (a report that told it a place since speaks of its own time).
    """
    began = trail[following.seq]
    return by_a_report(began) and named_by(workflow, workflow.rule(began.trigger)) is not None


def _stays(
    workflow: Workflow, rule: Rule, effective: datetime, before: Snapshot, current: Snapshot, *, tied: bool
) -> Rivalry | None:
    """A report about the very instant the *current* period began that the case stayed as *before*.

    It corroborates the current period where it agrees with it (the same
    fate, no other known place); it rivals nothing (see :func:`rivalry`).
    """
    # It reports the status of the period before, legal from there or not.
    stays = rule.report and not rule.reverts and not rule.fact and rule.target == before.status
    if not stays or tied or effective != current.since:
        return None
    claimed = claimed_by(workflow, rule)
    fate = claimed if claimed is not None else before.fate
    whereabouts = rule.whereabouts or workflow.status(rule.target).gives_whereabouts or before.whereabouts
    held, unknown = current.whereabouts, Whereabouts.UNKNOWN
    if fate is not current.fate or not (whereabouts is held or unknown in (whereabouts, held)):
        return None
    return Rivalry(before=before, fate=fate, whereabouts=whereabouts, agrees=True, tied=tied)


def begins_a_period(rule: Rule, before: Snapshot) -> bool:
    """Whether a report of *rule* from the period *before* begins a period of its own."""
    return (
        rule.report
        and not rule.reverts
        and not rule.fact
        and before.status in rule.sources
        and rule.target != before.status
    )


def rival_on(workflow: Workflow, case: Case, rule: Rule, effective: datetime) -> Rivalry | None:
    """The rivalry of a report of *rule* about *effective* on *case* (see :func:`rivalry`)."""
    periods = case.periods
    # About the instant the period began, a report naming no fate speaks for the one it would carry.
    carries_fate = claimed_by(workflow, rule) is None and effective == case.status_since
    if len(periods) < 2 or (  # noqa: PLR2004 - the current period and one before
        corroborates(workflow, case, rule)
        and not against_its_time(workflow, case, rule, effective)
        and not carries_fate
    ):
        return None
    backers = [backer.trigger for backer in case.backers]
    return rivalry(
        workflow, rule, effective, periods[-2], periods[-1], case.status_entry, case.open_conflicts, backers
    )
