"""What must hold of every case and every step, derived from the workflow's own rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from casestate import (
    BUILT_IN_KINDS,
    DISMISS,
    OPEN,
    Assurance,
    Case,
    Change,
    Code,
    Entry,
    EntryKind,
    Fate,
    Outcome,
    Rejected,
    Rule,
    Snapshot,
    Whereabouts,
    Workflow,
    replay,
    verify,
)

from ._as_of import check_as_of
from ._attempts import Attempt
from ._broken import fail
from ._periods import (
    actor_id_of,
    began_at,
    begins_earlier,
    begins_left_earlier,
    evidence_assurance,
    leaves_left_undecided,
    sets_a_status,
    start_before,
    status_of_live,
)
from ._reports import (
    LeftRivalry,
    Rivalry,
    Told,
    against_the_periods,
    agrees_with,
    between_left,
    by_a_report,
    carried,
    earlier_told,
    holding_at,
    outweighs,
    rivalling_left,
    rivalry,
    tied_with_left,
)
from ._serialised import check_entries_json, check_json
from ._values import Known


def check_step(  # noqa: C901 - one check per promise of check and apply
    workflow: Workflow, case: Case, step: Change | Attempt, *, key: bytes | None = None
) -> Case:
    """Apply *step* to *case* and check that ``check`` and ``apply`` agree; the case after it.

    An accepted change appends exactly one entry, with the outcome and codes
    ``check`` announced; a rejected one raises :class:`casestate.Rejected`
    with the very verdict ``check`` gave, and leaves the case as it was. With
    an :class:`Attempt`, the verdict must also be the one the attempt was
    built to get. Raises :class:`BrokenInvariant` when any of that fails.
    """
    attempt = step if isinstance(step, Attempt) else None
    change = step.change if isinstance(step, Attempt) else step
    before = (case.version, case.head, case.status, case.open_conflicts)
    verdict = workflow.check(case, change)
    if attempt is not None and (wrong := attempt.disagreement(verdict)) is not None:
        raise fail(case, wrong)
    try:
        after = workflow.apply(case, change, key=key)
    except Rejected as rejected:
        if verdict.ok:
            raise fail(
                case, f"check accepted {change.trigger} as {verdict.outcome}, apply refused it: {rejected}"
            ) from None
        if rejected.verdict != verdict:
            raise fail(case, f"apply refused with {rejected.verdict}, check said {verdict}") from None
        if (case.version, case.head, case.status, case.open_conflicts) != before:
            raise fail(case, "a refused change altered the case it was refused for") from None
        return case
    if not verdict.ok:
        raise fail(case, f"check refused {change.trigger} ({list(verdict.codes)}), apply accepted it")
    if after.version != case.version + 1 or after.trail[: case.version] != case.trail:
        raise fail(case, f"{change.trigger} did not append exactly one entry to the trail")
    entry = after.trail[-1]
    if _OUTCOME_OF_KIND.get(entry.kind) is not verdict.outcome:
        raise fail(after, f"check said {verdict.outcome}, apply recorded a {entry.kind} entry")
    # A report of an earlier period records that period's status; the case keeps its own.
    told = entry.to_status if entry.kind is not EntryKind.EARLIER_PERIOD else verdict.target
    if told != verdict.target or after.status != verdict.target:
        raise fail(after, f"check said the case goes to {verdict.target!r}, it is in {after.status!r}")
    if (after.fate, after.whereabouts) != (verdict.fate, verdict.whereabouts):
        raise fail(
            after,
            f"check said the case is {verdict.fate} and {verdict.whereabouts} afterwards, "
            f"it is {after.fate} and {after.whereabouts}",
        )
    if entry.codes != (verdict.codes if entry.kind is EntryKind.CONFLICT else ()):
        raise fail(after, f"the entry records codes {list(entry.codes)}, check gave {list(verdict.codes)}")
    return after


_OUTCOME_OF_KIND = {
    EntryKind.TRANSITION: Outcome.TRANSITION,
    EntryKind.CORROBORATION: Outcome.CORROBORATION,
    EntryKind.CONFLICT: Outcome.CONFLICT,
    EntryKind.EARLIER_PERIOD: Outcome.EARLIER_PERIOD,
    EntryKind.DISMISSAL: Outcome.DISMISSAL,
    EntryKind.FACT: Outcome.FACT,
}


def check_case(workflow: Workflow, case: Case, *, key: bytes | None = None, checked: int = 0) -> None:
    """Check every property a case of *workflow* must have; :class:`BrokenInvariant` if one fails.

    With *checked*, the first *checked* entries were checked before, with
    the case that ended there, and are known unchanged (as :func:`check_step`
    ensures): the as-of queries are then asked only about the times of the
    newer entries, and only those make the JSON round trip on their own, so a
    check after every step stays linear in the length of the trail.

    - the chain verifies (against the case's own head) and replay rebuilds an
      equal case;
    - the status can be reached from the workflow's initial status, and a
      status that carries its fate never holds an unknown one;
    - every entry was allowed by its rule when it was made: sources, roles
      (or the reporter's own retraction), evidence (obtained by the time it
      was recorded, none speaking for the other fate), reason, waiting
      period, fate, assurance and the period it resumes; conflicts carry the
      codes that made them conflicts; dismissals name open conflicts, with a
      reason, by a permitted role, and only such a role settles conflicts;
    - recorded times never go backwards, no fact is recorded before it
      happened, and no transition takes effect before the status it leaves;
    - both as-of queries agree with replaying the matching part of the trail;
    - JSON round trips give an equal case and identical canonical bytes, and
      the redacted export verifies (only when redacted trails are allowed)
      and holds nothing but the public fields.
    """
    _check_chain(case, key)
    _check_trail(workflow, case)
    check_as_of(case, case.trail[checked:])
    if checked:
        check_entries_json(case, case.trail[checked:], key)
    else:
        check_json(case, key)


def _check_chain(case: Case, key: bytes | None) -> None:
    integrity = verify(case.trail, key=key, head=case.head)
    if not integrity.ok:
        raise fail(case, f"the chain does not verify: {integrity.message}")
    if replay(case.trail, key=key) != case:
        raise fail(case, "replaying the trail does not rebuild the case")


def reachable(workflow: Workflow) -> frozenset[str]:
    """The statuses a case of *workflow* can reach from its initial status.

    Worked out here again, apart from the workflow's own build-time check,
    as an oracle must not share the code it checks.
    """
    found = {workflow.initial}
    frontier = [workflow.initial]
    while frontier:
        status = frontier.pop()
        for rule in workflow.rules:
            if status in rule.sources and rule.target not in found:
                found.add(rule.target)
                frontier.append(rule.target)
    return frozenset(found)


@attrs.define
class _Walk:
    """Where the case stood while the trail is read entry by entry."""

    status: str
    fate: Fate
    assurance: Assurance
    since: datetime
    reporter: str | None
    recorded: datetime
    conflicts: list[int]
    periods: list[int]
    """The entries that began the live periods, oldest first (see ``Case.periods``)."""
    whereabouts: Whereabouts = Whereabouts.UNKNOWN
    backing: set[str] = attrs.field(factory=set)
    """The roles that corroborated the current status since it was entered."""
    began: dict[int, Whereabouts] = attrs.field(factory=dict)
    """By the entry that began each period: the whereabouts it began with."""
    status_entry: int = 0
    """The entry that put the case in its status (a retraction's, for a period it resumed)."""
    backers: list[int] = attrs.field(factory=list)
    """The reports that back the current period: its corroborations, the late reports that it began
    earlier, and once one did, the report that began it."""
    waiting: list[int] = attrs.field(factory=list)
    """The open conflicts a move may reconcile: reports kept as conflicts with the case as it stood,
    and corroborations a move contested."""
    rivalled: list[int] = attrs.field(factory=list)
    """The open conflicts that rival the current period: reports kept as its rivals, and those a rival
    displaced, with the rival that left the pair undecided."""
    left_backers: list[int] = attrs.field(factory=list)
    """The reports that back periods the case has left: each period's report and backers when a move
    left it, the late report that told a period, and the late reports kept as a left period stood, or
    that one began earlier."""
    at: int | None = None
    """The entry being read: the periods it is judged against began as the entries before it tell."""


def _check_trail(workflow: Workflow, case: Case) -> None:  # noqa: C901, PLR0912 - one check per property
    places = reachable(workflow)
    if case.status not in places:
        raise fail(case, f"status {case.status!r} cannot be reached from {workflow.initial!r}")
    if workflow.status(case.status).fate is None and case.fate is Fate.UNKNOWN:
        raise fail(case, f"status {case.status!r} keeps the fate it confirms, yet the fate is unknown")
    first = case.trail[0]
    initial = workflow.status(workflow.initial)
    if (first.kind, first.trigger, first.to_status, first.fate) != (
        EntryKind.OPENED,
        OPEN,
        initial.name,
        initial.fate,
    ):
        raise fail(case, f"entry 0 does not open the case in {initial.name!r}")
    # Its evidence gives the assurance, and the status opened in the place (apply writes both so).
    opened_in = initial.gives_whereabouts or Whereabouts.UNKNOWN
    if first.assurance is not evidence_assurance(first) or first.whereabouts not in (None, opened_in):
        raise fail(
            case,
            f"entry 0 opens the case {first.assurance}, held {first.whereabouts}; its evidence and status "
            f"give {evidence_assurance(first)}, {opened_in}",
        )
    walk = _Walk(
        first.to_status,
        first.fate,
        first.assurance,
        first.effective_at,
        actor_id_of(first),
        first.recorded_at,
        [],
        [0],
        first.whereabouts or Whereabouts.UNKNOWN,
    )
    walk.began[0] = walk.whereabouts
    for entry in case.trail:
        where = f"entry {entry.seq} ({entry.kind} {entry.trigger})"
        if entry.role not in workflow.roles:
            raise fail(case, f"{where}: role {entry.role!r} is not one of the workflow's")
        _check_kinds(workflow, case, entry, where)
        if entry.effective_at > entry.recorded_at:
            raise fail(case, f"{where}: takes effect after it was recorded")
        if entry.recorded_at < walk.recorded:
            raise fail(case, f"{where}: recorded before the entry preceding it")
        walk.recorded = entry.recorded_at
        walk.at = entry.seq
        if entry.seq == 0:
            continue
        if entry.from_status != walk.status:
            raise fail(case, f"{where}: leaves {entry.from_status!r}, but the case was {walk.status!r}")
        if not set(entry.resolves) <= set(walk.conflicts):
            raise fail(case, f"{where}: resolves {list(entry.resolves)}, open were {walk.conflicts}")
        if (
            entry.contests is not None
            and entry.kind not in {EntryKind.TRANSITION, EntryKind.EARLIER_PERIOD}
            and not leaves_left_undecided(entry)
        ):
            raise fail(
                case,
                f"{where}: only a move, a late report of an earlier period, or a late rival that leaves "
                "a left period undecided contests reports",
            )
        tie = entry.kind is EntryKind.CONFLICT and entry.displaces is not None
        if entry.reconciles is not None and not (
            tie
            or (entry.kind is EntryKind.TRANSITION and entry.reverts_to is None)
            or entry.kind is EntryKind.EARLIER_PERIOD  # which ones, _check_earlier says
        ):
            raise fail(
                case,
                f"{where}: only a move that begins a period, or a late report that begins one, "
                "reconciles conflicts",
            )
        if entry.kind is EntryKind.DISMISSAL:
            _check_dismissal(workflow, case, entry, walk, where)
        else:
            _check_report_or_transition(workflow, case, entry, walk, where)
        walk.conflicts = [seq for seq in walk.conflicts if seq not in entry.resolves]
        walk.waiting = [seq for seq in walk.waiting if seq not in entry.resolves]
        walk.rivalled = [seq for seq in walk.rivalled if seq not in entry.resolves]
        if entry.kind is EntryKind.CONFLICT:
            walk.conflicts.append(entry.seq)
    if tuple(walk.conflicts) != case.open_conflicts:
        raise fail(case, f"open conflicts are {list(case.open_conflicts)}, the trail says {walk.conflicts}")
    periods = [period.seq for period in case.periods]
    if walk.periods != periods:
        raise fail(case, f"live periods begin at entries {periods}, the trail says {walk.periods}")


def _check_kinds(workflow: Workflow, case: Case, entry: Entry, where: str) -> None:
    """Every kind of the entry's evidence is known to the workflow, its tier recorded where it is declared."""
    known = workflow.known_kinds
    unknown = [kind for kind in entry.evidence_kinds if kind not in known]
    if unknown:
        raise fail(case, f"{where}: holds evidence of kind {unknown[0]!r}, which the workflow does not know")
    declared = any(kind not in BUILT_IN_KINDS for kind in entry.evidence_kinds)
    tiers = tuple(int(known[kind].tier) for kind in entry.evidence_kinds) if declared else None
    if entry.evidence_tiers != tiers:
        raise fail(case, f"{where}: records tiers {entry.evidence_tiers}, the workflow's kinds have {tiers}")


def _check_dismissal(workflow: Workflow, case: Case, entry: Entry, walk: _Walk, where: str) -> None:
    if entry.trigger != DISMISS:
        raise fail(case, f"{where}: a dismissal by another trigger")
    if entry.role not in workflow.dismiss_roles:
        raise fail(case, f"{where}: role {entry.role!r} may not dismiss conflicts")
    if not entry.resolves:
        raise fail(case, f"{where}: names no conflict")
    if entry.private is not None and entry.reason is None:
        raise fail(case, f"{where}: no reason")
    if (entry.to_status, entry.fate, entry.assurance) != (walk.status, walk.fate, walk.assurance) or (
        entry.whereabouts not in (None, walk.whereabouts)
    ):
        raise fail(case, f"{where}: a dismissal changed the status, fate, assurance or whereabouts")


def _check_evidence_times(case: Case, entry: Entry, where: str, known: Known) -> None:
    """No evidence obtained after the entry was recorded, nor a document before the event it attests."""
    if entry.private is None:
        return
    for item in entry.evidence:
        if item.obtained_at > entry.recorded_at:
            raise fail(case, f"{where}: holds evidence obtained after the entry was recorded")
        if item.obtained_at < entry.effective_at and known[item.kind].attests_past:
            raise fail(case, f"{where}: holds a {item.kind} obtained before the event it attests")


def _check_guards(  # noqa: PLR0917 - the walk's own arguments, and the kinds
    case: Case, rule: Rule, entry: Entry, walk: _Walk, where: str, known: Known
) -> None:
    role_ok = entry.role in rule.roles
    if not role_ok and rule.reporter_may_fire and entry.private is not None:
        # The reporter alone, while none of the rule's roles has backed the report, voiding
        # nothing before it: a move kept as a conflict (not legal from here) voids nothing.
        resumes = _resumes(case, rule, walk) if walk.status in rule.sources else None
        role_ok = (
            walk.reporter is not None
            and entry.private.actor_id == walk.reporter
            and not walk.backing & rule.roles
            and (resumes is None or walk.periods[-2:-1] == [resumes])
        )
    if not role_ok:
        raise fail(case, f"{where}: role {entry.role!r} may not fire it")
    needs = rule.evidence
    if needs is not None:
        # The kinds the public part lists are those of the evidence (verify holds them equal).
        enough = any(needs.accepts_kind(known[kind]) for kind in entry.evidence_kinds)
        if not enough:
            raise fail(case, f"{where}: entered without {needs.describe()} ({list(entry.evidence_kinds)})")
    if rule.reason_required and entry.private is not None and entry.reason is None:
        raise fail(case, f"{where}: no written reason, which the rule requires")


def _check_report_or_transition(  # noqa: C901, PLR0912, PLR0915 - one check per clause of the rule
    workflow: Workflow, case: Case, entry: Entry, walk: _Walk, where: str
) -> None:
    if entry.trigger not in {rule.trigger for rule in workflow.rules}:
        raise fail(case, f"{where}: no rule has this trigger")
    rule = workflow.rule(entry.trigger)
    known = workflow.known_kinds
    _check_guards(case, rule, entry, walk, where, known)
    if entry.resolves and entry.role not in workflow.dismiss_roles:
        raise fail(case, f"{where}: role {entry.role!r} settled conflicts it may not dismiss")
    _check_evidence_times(case, entry, where, known)
    legal = walk.status in rule.sources
    claimed = rule.fate or workflow.status(rule.target).fate
    said = rule.whereabouts or workflow.status(rule.target).gives_whereabouts
    # About a time before the person went missing, a report agrees with nothing the case holds.
    agrees = (
        not entry.effective_at < min(walk.since, case.trail[0].effective_at)
        and not _against_then(case, claimed, entry, walk)
        and agrees_with(workflow, rule, walk.status, walk.fate, walk.whereabouts)
    )
    # A late report that could have come first tells its period, or that the current one began
    # on its day (one that agrees with the case only that, or a period of its status in an older
    # one): it rivals nothing.
    earlier = _earlier_of(workflow, case, rule, entry, walk)
    if (
        earlier is not None
        and agrees
        and not earlier.redates
        and not earlier.stays
        and (earlier.status or rule.target) != walk.status
    ):
        earlier = None
    # About the very instant the period began, a report naming no fate speaks for the one it would
    # carry over from the period before: a rival's question, whether it agrees.
    carries_fate = claimed is None and entry.effective_at == walk.since
    rival = (
        None
        if (agrees and not carries_fate) or earlier is not None
        else _rival_of(workflow, case, rule, entry, walk)
    )
    if rival is not None:
        # About the very instant the period began, a report that agrees with it corroborates it.
        agrees, rival = (True, None) if rival.agrees else (False, rival)
    # A late rival, as strong, of the report that began a period the case has left.
    tie = (
        _left_tie_of(workflow, case, rule, entry, walk)
        if earlier is None and rival is None and not agrees and rule.report
        else None
    )
    if tie is not None or leaves_left_undecided(entry):
        _check_left_tie(workflow, case, entry, walk, where, tie, known, claimed)
        return
    if entry.displaces is not None or rival is not None:
        _check_rival(workflow, case, entry, walk, where, rival, rule.target, known)
        return
    if earlier is not None or entry.kind is EntryKind.EARLIER_PERIOD:
        _check_earlier(workflow, case, rule, entry, walk, where, earlier, known)
        return
    # A report that agrees corroborates, whatever its rule would resume: its evidence speaks of now.
    resumed = _resumed_fate(case, rule, walk) if legal and not agrees else None
    spoken = walk.fate if agrees else claimed or (walk.fate if entry.kind is EntryKind.TRANSITION else None)
    _check_evidence_fate(case, entry, resumed or spoken, where, known)
    if entry.kind is EntryKind.FACT or rule.fact:
        _check_fact(case, rule, entry, walk, where, legal=legal)
        return
    if entry.kind is EntryKind.TRANSITION:
        if agrees:
            raise fail(case, f"{where}: a report that agrees with the case moved it")
        resumes = _resumes(case, rule, walk) if legal and rule.withdraws else None
        target = rule.target if resumes is None else _status_of(case, walk, resumes)
        if not legal or entry.to_status != target:
            raise fail(case, f"{where}: {walk.status!r} -> {entry.to_status!r} is not the rule's move")
        if entry.effective_at < walk.since:
            raise fail(case, f"{where}: takes effect before the status it leaves")
        if rule.waiting_period is not None and entry.effective_at - walk.since < rule.waiting_period:
            raise fail(case, f"{where}: fired before its waiting period was over")
        fate = resumed or rule.fate or workflow.status(rule.target).fate or walk.fate
        if entry.fate is not fate:
            raise fail(case, f"{where}: fate {entry.fate}, the rule gives {fate}")
        expected = _transition_assurance(case, rule, entry, walk)
        if entry.assurance is not expected:
            raise fail(case, f"{where}: assurance {entry.assurance}, expected {expected}")
        whereabouts = _transition_whereabouts(case, rule, walk, said)
        if entry.whereabouts not in (None, whereabouts):
            raise fail(case, f"{where}: whereabouts {entry.whereabouts}, the rule gives {whereabouts}")
        contested = (
            None if entry.reverts_to is not None else _contested(workflow, case, entry, walk, whereabouts)
        )
        if entry.contests != contested:
            raise fail(
                case,
                f"{where}: contests {entry.contests}, the reports it says otherwise than are {contested}",
            )
        walk.conflicts += contested or ()
        walk.waiting += contested or ()
        reconciled = (
            None
            if entry.reverts_to is not None
            else _reconciled(
                workflow,
                case,
                walk,
                entry,
                entry.effective_at,
                whereabouts,
                rivals=True,
                after=[
                    *_live(case, walk),
                    Snapshot(
                        entry.to_status,
                        entry.fate,
                        entry.assurance,
                        entry.effective_at,
                        entry.seq,
                        whereabouts,
                    ),
                ],
            )
        )
        _check_reconciled(case, entry, walk, where, reconciled)
        walk.status, walk.fate, walk.assurance = entry.to_status, entry.fate, entry.assurance
        # A resumed period is nobody's report: only a role may withdraw it in turn.
        walk.since = entry.effective_at
        walk.reporter = actor_id_of(entry) if entry.reverts_to is None else None
        walk.whereabouts = whereabouts
        walk.backing = set()
        if entry.reverts_to is None:
            # The reports that backed the period it leaves back it still, as a left one: the report
            # that began it first, unless a late report dated the period earlier and it backs it.
            began = case.trail[walk.status_entry]
            if by_a_report(began) and walk.status_entry not in walk.backers:
                walk.left_backers.append(walk.status_entry)
            walk.left_backers += [seq for seq in walk.backers if seq not in (contested or ())]
        walk.status_entry, walk.backers = entry.seq, list(reconciled or ())
        walk.rivalled = []  # a move that is no rival's ends the rivalry over the period it leaves
        if entry.reverts_to is None:
            walk.began[entry.seq] = whereabouts
        _check_period(case, rule, entry, walk, where)
        if entry.reverts_to is not None:
            # The periods it voids, and the one it resumes, resume without the reports that backed them.
            walk.left_backers = [
                seq for seq in walk.left_backers if case.trail[seq].effective_at < walk.since
            ]
        return
    if not rule.report:
        raise fail(case, f"{where}: only a report can be kept without moving the case")
    # A corroborating report that says where he is tells a case that holds no whereabouts, or, about
    # the instant the period began, one that holds only the place carried over from before.
    told = (
        said
        if agrees
        and said is not None
        and (
            walk.whereabouts is Whereabouts.UNKNOWN
            or (said is not Whereabouts.UNKNOWN and _carried_at_its_start(workflow, case, entry, walk))
        )
        else None
    )
    if (entry.to_status, entry.fate) != (walk.status, walk.fate) or (
        entry.whereabouts not in (None, told or walk.whereabouts)
    ):
        raise fail(case, f"{where}: a {entry.kind} entry moved the case")
    if entry.kind is EntryKind.CORROBORATION:
        if not agrees:
            raise fail(case, f"{where}: corroborates {rule.target!r} while the case is {walk.status!r}")
        expected = walk.assurance.stronger(evidence_assurance(entry))
        if entry.assurance is not expected:
            raise fail(case, f"{where}: assurance {entry.assurance}, the evidence gives {expected}")
        walk.assurance = expected
        walk.backing.add(entry.role)
        walk.backers.append(entry.seq)
        if told is not None and entry.whereabouts is not None:
            walk.whereabouts = walk.began[walk.periods[-1]] = told
        return
    if entry.kind is not EntryKind.CONFLICT:
        raise fail(case, f"{where}: an entry of kind {entry.kind} after the opening")
    if entry.assurance is not walk.assurance:
        raise fail(case, f"{where}: a conflict changed the assurance")
    codes = ((Code.ILLEGAL_TRANSITION,) if not legal else ()) + (
        (Code.EARLIER_THAN_CURRENT,) if entry.effective_at < walk.since else ()
    )
    if not codes or entry.codes != codes or agrees:
        raise fail(case, f"{where}: kept as a conflict with {list(entry.codes)}; expected {list(codes)}")
    walk.waiting.append(entry.seq)


def _reconciled(  # noqa: PLR0917 - the walk's own arguments, and the period the move begins
    workflow: Workflow,
    case: Case,
    walk: _Walk,
    entry: Entry,
    since: datetime,
    whereabouts: Whereabouts,
    *,
    rivals: bool = False,
    status: str | None = None,
    fate: Fate | None = None,
    lower: datetime | None = None,
    until: datetime | None = None,
    after: list[Snapshot] | None = None,
) -> tuple[int, ...] | None:
    """The open conflicts the move *entry*, beginning a period at *since*, makes agree.

    Those kept against the case as it stood, or contested, about that time or
    a later one, that agree with the period it begins: as each would have
    been kept had it come after the move. One naming no fate about that very
    instant stays: there, it is a rival's question. A rival that holds (*rivals*)
    makes agree the reports that rivalled the period it voids, too. A late
    report that begins the current period earlier reconciles as its move
    would have, had it come first: with the period's *fate*. A pair left
    undecided from a later day than the period it displaces began (*lower*)
    leaves the days between to the period before, whose fate and place it
    holds: it makes agree what agrees with it there too. A late report that
    tells a period of its own makes agree what agrees with it up to the
    start of the next period (*until*). A plain move, or a period told late,
    which leaves the case with the live periods *after*, makes agree what
    agrees with it about an earlier time, too (no rival: it waits with its
    pair), where, come after the move, it would corroborate it: neither
    before the person went missing nor against the fate the case held then
    (see ``against_the_periods``).
    """
    found = []
    for seq in [*walk.waiting, *walk.rivalled] if rivals else walk.waiting:
        if seq in entry.resolves:
            continue
        report = case.trail[seq]
        rule = workflow.rule(report.trigger)
        claimed = rule.fate or workflow.status(rule.target).fate
        if (
            (
                report.effective_at >= (since if lower is None else lower)
                or (
                    after is not None
                    and seq in walk.waiting
                    and report.effective_at >= after[0].since
                    and not against_the_periods(claimed, report.effective_at, after, case.trail)
                )
            )
            and (until is None or report.effective_at < until)
            and (claimed is not None or report.effective_at != since)
            and agrees_with(workflow, rule, status or entry.to_status, fate or entry.fate, whereabouts)
        ):
            found.append(seq)
    return tuple(sorted(found)) or None


def _check_reconciled(
    case: Case, entry: Entry, walk: _Walk, where: str, reconciled: tuple[int, ...] | None
) -> None:
    """*entry* names the conflicts it makes agree, which then back the period it begins."""
    if entry.reconciles != reconciled:
        raise fail(
            case, f"{where}: reconciles {entry.reconciles}, the conflicts that agree with it are {reconciled}"
        )
    walk.conflicts = [seq for seq in walk.conflicts if seq not in (reconciled or ())]
    walk.waiting = [seq for seq in walk.waiting if seq not in (reconciled or ())]
    walk.rivalled = [seq for seq in walk.rivalled if seq not in (reconciled or ())]


def _contested(
    workflow: Workflow, case: Case, entry: Entry, walk: _Walk, whereabouts: Whereabouts
) -> tuple[int, ...] | None:
    """The corroborations of the period the move *entry* ends that it makes conflicts.

    Those about its time or a later one that it could not move the case to,
    and that disagree with where it leaves the case: as each would have been
    kept had it come after the move.
    """
    return _saying_otherwise(
        workflow, case, entry, walk.backers, None, entry.to_status, entry.fate, whereabouts
    )


def _saying_otherwise(  # noqa: PLR0917 - the reports, and the period the entry begins or tells
    workflow: Workflow,
    case: Case,
    entry: Entry,
    reports: Sequence[int],
    until: datetime | None,
    status: str,
    fate: Fate,
    whereabouts: Whereabouts,
    *,
    not_at: datetime | None = None,
) -> tuple[int, ...] | None:
    """Of *reports*, those the move, late report or rival *entry* makes conflicts.

    Those about its time or a later one, before *until* (when the next live
    period began, if given), that it could not move the case to from the
    period it begins, tells, or begins earlier, in *status*, and that
    disagree with it: as each would have been kept had it come after it. Of a
    rival that holds, not those about *not_at*, the instant the period
    before began (they speak of it as its own report does).
    """
    found = []
    for seq in reports:
        backer = case.trail[seq]
        rule = workflow.rule(backer.trigger)
        if (
            entry.effective_at <= backer.effective_at
            and (until is None or backer.effective_at < until)
            and backer.effective_at != not_at
            and status not in rule.sources
            and not agrees_with(workflow, rule, status, fate, whereabouts)
        ):
            found.append(seq)
    return tuple(sorted(found)) or None


def _carried_at_its_start(workflow: Workflow, case: Case, entry: Entry, walk: _Walk) -> bool:
    """Whether *entry* is about the instant a report began the current period, its place only carried over.

    From the period before (see ``carried``).
    """
    two = _two_last(case, walk)
    began = case.trail[walk.status_entry]
    return (
        entry.effective_at == walk.since
        and two is not None
        and began.kind is EntryKind.TRANSITION
        and began.reverts_to is None
        and carried(workflow, began, *two, _backer_triggers(case, walk))
    )


def _backer_triggers(case: Case, walk: _Walk) -> list[str]:
    """The triggers of the reports that back the current period, as the walk holds them."""
    return [case.trail[seq].trigger for seq in walk.backers]


def _two_last(case: Case, walk: _Walk) -> tuple[Snapshot, Snapshot] | None:
    """The period before the current one and the current one, as the walk holds them (``None``: one only)."""
    if len(walk.periods) < 2:  # noqa: PLR2004 - the current period and one before
        return None
    before = _kept(case, walk, case.trail[walk.periods[-2]])
    current = Snapshot(walk.status, walk.fate, walk.assurance, walk.since, walk.periods[-1], walk.whereabouts)
    return before, current


def _against_then(case: Case, claimed: Fate | None, entry: Entry, walk: _Walk) -> bool:
    """Whether *entry*'s report of *claimed*, before the current status, says another fate than held then.

    Of an older period than the one before the current status, or of that one
    about the instant a report began it (see ``against_its_time``).
    """
    if entry.effective_at >= walk.since or len(walk.periods) < 2:  # noqa: PLR2004 - the current period and one before
        return False
    return against_the_periods(claimed, entry.effective_at, _live(case, walk), case.trail)


def _live(case: Case, walk: _Walk) -> list[Snapshot]:
    """The live periods, oldest first, as the walk holds them."""
    kept = [_kept(case, walk, case.trail[seq]) for seq in walk.periods[:-1]]
    return [
        *kept,
        Snapshot(walk.status, walk.fate, walk.assurance, walk.since, walk.periods[-1], walk.whereabouts),
    ]


def _status_of(case: Case, walk: _Walk, seq: int) -> str:
    """The status of the live period entry *seq* began, as the walk holds it.

    A period a late rival left undecided holds the status of the live period before it.
    """
    return status_of_live([case.trail[began] for began in walk.periods], walk.periods.index(seq))


def _kept(case: Case, walk: _Walk, began: Entry) -> Snapshot:
    """The live period *began* began, before the current one, as the walk holds it."""
    return Snapshot(
        _status_of(case, walk, began.seq),
        began.fate,
        walk.assurance,
        began_at(case, began, walk.at),
        began.seq,
        walk.began[began.seq],
    )


def _rival_of(workflow: Workflow, case: Case, rule: Rule, entry: Entry, walk: _Walk) -> Rivalry | None:
    """Whether *entry*'s report rivals the one that began the current period (see :func:`rivalry`)."""
    two = _two_last(case, walk)
    if two is None:
        return None
    began = case.trail[walk.status_entry]
    backers = _backer_triggers(case, walk)
    return rivalry(workflow, rule, entry.effective_at, *two, began, walk.conflicts, backers)


def _check_rival(  # noqa: C901, PLR0915, PLR0917 - one check per field a rival's entry records; the walk's own arguments
    workflow: Workflow,
    case: Case,
    entry: Entry,
    walk: _Walk,
    where: str,
    rival: Rivalry | None,
    target: str,
    known: Known,
) -> None:
    """A rival report: the stronger evidence holds the instant, the weaker waits; as strong, neither holds."""
    if rival is None or entry.displaces not in (None, walk.periods[-1]):
        raise fail(case, f"{where}: displaces entry {entry.displaces}, which it does not rival")
    _check_evidence_fate(case, entry, rival.fate, where, known)
    given = evidence_assurance(entry)
    held = walk.assurance
    displaced = walk.periods[-1]
    before = rival.before
    settles = rival.tied and walk.periods[-1] in entry.resolves
    if (given is not held and given.stronger(held) is given) or settles:
        # Stronger evidence holds; so does a person with standing who settles an undecided pair.
        expected: tuple[object, ...] = (EntryKind.TRANSITION, displaced, rival.fate, given, target)
    elif given is held and not rival.tied:
        expected = (EntryKind.CONFLICT, displaced, before.fate, held, before.status)
    else:
        expected = (EntryKind.CONFLICT, None, walk.fate, held, walk.status)
    found = (entry.kind, entry.displaces, entry.fate, entry.assurance, entry.to_status)
    if found != expected or entry.reverts_to is not None:
        raise fail(case, f"{where}: a rival report recorded as {found}; its evidence makes it {expected}")
    wanted = walk.whereabouts if entry.displaces is None else rival.whereabouts
    if entry.kind is EntryKind.CONFLICT:
        code = Code.OUTWEIGHED if given is not held else Code.RIVAL_REPORT
        wanted = walk.whereabouts if entry.displaces is None else before.whereabouts
        if entry.codes != (code,):
            raise fail(case, f"{where}: a rival report kept with {list(entry.codes)}, expected [{code}]")
    if entry.whereabouts not in (None, wanted):
        raise fail(case, f"{where}: whereabouts {entry.whereabouts}, the rival report gives {wanted}")
    # A rival that holds begins its period from the one before: the reports of that period about its
    # time or later that say otherwise wait as conflicts, as they would had they come after it.
    contested = (
        _saying_otherwise(
            workflow, case, entry, walk.left_backers, None, target, rival.fate, wanted, not_at=before.since
        )
        if entry.kind is EntryKind.TRANSITION
        else None
    )
    if entry.contests != contested:
        raise fail(
            case, f"{where}: contests {entry.contests}, the reports it says otherwise than are {contested}"
        )
    if entry.displaces is None:
        walk.rivalled.append(entry.seq)  # kept as a rival: it waits beside what it rivals
        return
    tied = entry.kind is EntryKind.CONFLICT
    since = max(entry.effective_at, walk.since) if tied else entry.effective_at
    # Of what waited before it: a rival that holds makes agree the rivals of the period it voids, too.
    reconciled, between = _reconciled_by_rival(workflow, case, walk, entry, before, since, wanted)
    # The reports that held the displaced period wait (those waiting already, once), and rival
    # whichever report holds the instant now, as the rival does should neither hold.
    held_it = [displaced, *(seq for seq in walk.backers if seq != displaced)]
    walk.conflicts += [seq for seq in held_it if seq not in walk.conflicts and seq not in entry.resolves]
    walk.rivalled += [seq for seq in held_it if seq not in walk.rivalled and seq in walk.conflicts]
    walk.conflicts += contested or ()
    walk.waiting += contested or ()
    walk.left_backers = [seq for seq in walk.left_backers if seq not in (contested or ())]
    if tied:
        walk.rivalled.append(entry.seq)
    _check_reconciled(
        case, entry, walk, where, tuple(sorted({*(reconciled or ()), *(between or ())})) or None
    )
    walk.left_backers += between or ()
    walk.status, walk.fate, walk.assurance = entry.to_status, entry.fate, entry.assurance
    walk.whereabouts = walk.began[entry.seq] = wanted
    walk.since = began_at(case, entry, entry.seq + 1)  # what the trail tells up to it
    walk.reporter = None if tied else actor_id_of(entry)
    walk.backing, walk.status_entry, walk.backers = set(), entry.seq, list(reconciled or ())
    del walk.periods[walk.periods.index(displaced)]
    walk.periods.append(entry.seq)


def _reconciled_by_rival(  # noqa: PLR0917 - the walk's own arguments, and the periods the rival leaves
    workflow: Workflow,
    case: Case,
    walk: _Walk,
    entry: Entry,
    before: Snapshot,
    since: datetime,
    whereabouts: Whereabouts,
) -> tuple[tuple[int, ...] | None, tuple[int, ...] | None]:
    """The open conflicts rival *entry* makes agree with the period it begins, and with the one *before*.

    A pair neither of which holds, from when the status it voids took effect.
    One that holds makes agree, as a plain move does, what would corroborate
    it about a time before the voided period began, on the live periods it
    leaves (the voided one gone, its own begun); and, about a later day than
    that, gives the days between back to the period before: what agrees with
    that one about them backs it.
    """
    tied = entry.kind is EntryKind.CONFLICT
    reconciled = _reconciled(
        workflow, case, walk, entry, since, whereabouts, rivals=not tied, lower=walk.since if tied else None
    )
    if tied:
        return reconciled, None
    began = Snapshot(entry.to_status, entry.fate, entry.assurance, entry.effective_at, entry.seq, whereabouts)
    earlier = _reconciled(
        workflow,
        case,
        walk,
        entry,
        since,
        whereabouts,
        until=min(since, walk.since),
        after=[*_live(case, walk)[:-1], began],
    )
    reconciled = tuple(sorted({*(reconciled or ()), *(earlier or ())})) or None
    if entry.effective_at <= walk.since:
        return reconciled, None
    between = _reconciled(
        workflow,
        case,
        walk,
        entry,
        walk.since,
        before.whereabouts,
        status=before.status,
        fate=before.fate,
        until=entry.effective_at,
    )
    return reconciled, between


def _left_tie_of(workflow: Workflow, case: Case, rule: Rule, entry: Entry, walk: _Walk) -> LeftRivalry | None:
    """The left period *entry*'s late report ties with, as strong as the report that began it, if any."""
    if entry.effective_at >= walk.since or len(walk.periods) < 3:  # noqa: PLR2004 - the current period, the one it rivals, and one before
        return None
    two = _two_last(case, walk)
    older = [_kept(case, walk, case.trail[seq]) for seq in walk.periods[:-2]]
    periods = [*older, *two]  # type: ignore[misc] # two or more periods
    resumed = case.trail[walk.status_entry].reverts_to is not None
    tie = tied_with_left(
        workflow, rule, entry.effective_at, periods, case.trail, walk.left_backers, resumed=resumed
    )
    if tie is None or evidence_assurance(entry) is not _ended_assurance(case, tie.left.seq, entry.seq):
        return None
    return tie


def _check_left_tie(  # noqa: PLR0917 - the walk's own arguments, the tie the rule makes, the fate spoken
    workflow: Workflow,
    case: Case,
    entry: Entry,
    walk: _Walk,
    where: str,
    tie: LeftRivalry | None,
    known: Known,
    spoken: Fate | None,
) -> None:
    """A late rival, as strong, of the report that began a left period: undecided.

    The period is in the status, fate and place of the one before it, as
    strongly as it held its own; the reports that backed it wait with the
    rival, which names them in ``contests``; the case stands as it did. The
    conflicts about a time before the current period began that, come after
    the rival, would corroborate the current period (on the live periods,
    the left one undecided) back it: the rival names them in ``reconciles``.
    """
    if tie is None or not leaves_left_undecided(entry):
        said = "ties with" if tie else "ties with no"
        raise fail(
            case,
            f"{where}: a {entry.kind} entry displacing {entry.displaces}; by the rule, it {said} left period",
        )
    _check_evidence_fate(case, entry, spoken, where, known)
    before, left = tie.before, tie.left
    until = tie.after.since
    held = sorted(seq for seq in walk.left_backers if left.since <= case.trail[seq].effective_at < until)
    assurance = _ended_assurance(case, left.seq, entry.seq)
    live = _live(case, walk)
    at = walk.periods.index(left.seq)
    undecided = Snapshot(
        before.status,
        before.fate,
        assurance,
        max(entry.effective_at, left.since),
        entry.seq,
        walk.began[before.seq],
    )
    reconciled = _reconciled(
        workflow,
        case,
        walk,
        entry,
        walk.since,
        walk.whereabouts,
        status=walk.status,
        fate=walk.fate,
        until=walk.since,
        after=[*live[:at], undecided, *live[at + 1 :]],
    )
    found = (
        entry.to_status,
        entry.fate,
        entry.assurance,
        entry.whereabouts,
        entry.codes,
        entry.displaces,
        entry.contests,
        entry.reconciles,
    )
    expected = (
        walk.status,
        before.fate,
        assurance,
        walk.began[before.seq],
        (Code.RIVAL_REPORT,),
        left.seq,
        tuple(held) or None,
        reconciled,
    )
    if found != expected:
        raise fail(
            case, f"{where}: a left period left undecided recorded as {found}; the rule makes it {expected}"
        )
    _check_reconciled(case, entry, walk, where, reconciled)
    walk.backers += reconciled or ()
    walk.conflicts += [seq for seq in held if seq not in walk.conflicts]  # and the rival, as any conflict
    walk.left_backers = [seq for seq in walk.left_backers if seq not in held]
    walk.periods[at] = entry.seq
    walk.began[entry.seq] = walk.began[before.seq]


def _earlier_of(workflow: Workflow, case: Case, rule: Rule, entry: Entry, walk: _Walk) -> Told | None:
    """The period *entry*'s late report tells before the current one, if any (see :func:`earlier_told`)."""
    two = _two_last(case, walk)
    if two is None:
        return None
    older = [_kept(case, walk, case.trail[seq]) for seq in walk.periods[:-2]]
    told = earlier_told(
        workflow, rule, entry.effective_at, *two, case.trail[walk.status_entry], older, case.trail
    )
    periods = [*older, *two]
    if told is None:
        told = between_left(workflow, rule, entry.effective_at, periods, case.trail)
    if told is None:
        resumed = case.trail[walk.status_entry].reverts_to is not None
        told = rivalling_left(
            workflow, rule, entry.effective_at, periods, case.trail, walk.left_backers, resumed=resumed
        )
        # It holds only on stronger evidence than the period it rivals held: else, a conflict.
        if told is not None and not outweighs(
            evidence_assurance(entry),
            _ended_assurance(case, told.voids, entry.seq),  # type: ignore[arg-type] # it voids one
        ):
            return None
    return told


def _check_earlier(  # noqa: C901, PLR0917 - one check per kind of period told; the walk's own arguments
    workflow: Workflow,
    case: Case,
    rule: Rule,
    entry: Entry,
    walk: _Walk,
    where: str,
    told: Told | None,
    known: Known,
) -> None:
    """A late report that could have come first tells its period before the current one; the case stays."""
    if told is None or entry.kind is not EntryKind.EARLIER_PERIOD:
        said = "it tells" if told else "it tells no"
        raise fail(case, f"{where}: a {entry.kind} entry; by the rule, {said} earlier period")
    fate, whereabouts, carries, redates, stays, older, status, voids = told
    _check_evidence_fate(case, entry, fate, where, known)
    current = walk.periods[-1]
    # After the live period that holds its time: the one before the current one, or an older one.
    starts = [began_at(case, case.trail[seq], walk.at) for seq in walk.periods[:-1]]
    holding = holding_at(starts, entry.effective_at)
    # The period that takes its place, where its report named none: the one after it; or the one it
    # says the case was in, about the instant that one began.
    into = walk.periods[holding if stays else holding + 1]
    # The period it changes: the one after the period that holds its time; or, voiding that one, the
    # current one, which it begins on its day.
    changed = walk.periods[holding + 1] if voids is None else current
    until = walk.since if changed == current else starts[holding + 1]
    contested = (
        None
        if stays
        else _saying_otherwise(
            workflow,
            case,
            entry,
            walk.left_backers,
            until,
            status or rule.target,
            fate,
            # A period begun earlier holds its place where the report names none.
            (walk.whereabouts if changed == current else walk.began[changed])
            if redates and whereabouts is Whereabouts.UNKNOWN
            else whereabouts,
        )
    )
    reconciled = _reconciled_late(workflow, case, walk, entry, told, until)
    found = (
        entry.to_status,
        entry.fate,
        entry.assurance,
        entry.whereabouts,
        entry.codes,
        entry.reverts_to,
        entry.carries_into,
        entry.contests,
        entry.reconciles,
    )
    expected = (
        status or rule.target,
        fate,
        evidence_assurance(entry),
        whereabouts,
        (),
        None,
        into if carries else None,
        contested,
        reconciled,
    )
    if found != expected:
        raise fail(case, f"{where}: an earlier period recorded as {found}; the rule makes it {expected}")
    walk.conflicts += contested or ()
    walk.waiting += contested or ()
    walk.left_backers = [seq for seq in walk.left_backers if seq not in (contested or ())]
    if stays:
        walk.left_backers.append(entry.seq)  # it backs the period it says the case was in
        if carries:
            walk.began[into] = whereabouts  # the place it tells that period, from its start
        return  # it says what the period before held: the history holds it already
    if redates and older:
        walk.left_backers.append(entry.seq)  # it backs the period it says began on its day
        return  # a period the case has left began on its day: the trail tells its start (see _since)
    if voids is not None:
        walk.periods.remove(voids)
    if redates:
        # Had it come first, it would have begun the current period, which the report that began
        # it would have corroborated: the period begins on its day, backed by it.
        walk.since = entry.effective_at
        walk.assurance = walk.assurance.stronger(evidence_assurance(entry))
        if whereabouts is not Whereabouts.UNKNOWN:
            walk.whereabouts = walk.began[current] = whereabouts
        walk.backing.add(entry.role)
        if walk.status_entry not in walk.backers:
            # The report that began it now backs it, about its own time.
            walk.backers.insert(0, walk.status_entry)
        walk.backers.append(entry.seq)
        _check_reconciled(case, entry, walk, where, reconciled)
        walk.backers += reconciled or ()
        return
    if carries:
        # Had it come first, the period after it would have begun where it says he was.
        walk.began[into] = whereabouts
        if into == current:
            walk.whereabouts = whereabouts
    walk.periods.insert(holding + 1, entry.seq)
    walk.began[entry.seq] = whereabouts
    walk.left_backers.append(entry.seq)  # it began the period it tells, which the case has left
    _check_reconciled(case, entry, walk, where, reconciled)
    walk.left_backers += reconciled or ()  # they back it with it


def _reconciled_late(  # noqa: PLR0917 - the walk's own arguments, the period told and its end
    workflow: Workflow, case: Case, walk: _Walk, entry: Entry, told: Told, until: datetime
) -> tuple[int, ...] | None:
    """The open conflicts a late report that begins a period makes agree, as its move would have.

    Beginning the current period earlier: those that agree with it, about its
    day or later. Telling a period of its own: those that agree with that one,
    up to *until*, when the next one began, and those about an earlier time
    that, come after its move, would have corroborated it. Else none.
    """
    if told.stays or (told.redates and told.older):
        return None
    effective = entry.effective_at
    if told.redates:
        place = walk.whereabouts if told.whereabouts is Whereabouts.UNKNOWN else told.whereabouts
        return _reconciled(workflow, case, walk, entry, effective, place, fate=walk.fate)
    live = _live(case, walk)
    before = live[: holding_at([period.since for period in live[:-1]], effective) + 1]
    began = Snapshot(entry.to_status, entry.fate, entry.assurance, effective, entry.seq, told.whereabouts)
    return _reconciled(
        workflow, case, walk, entry, effective, told.whereabouts, until=until, after=[*before, began]
    )


def _check_fact(case: Case, rule: Rule, entry: Entry, walk: _Walk, where: str, *, legal: bool) -> None:
    """A legal fact is recorded by a fact rule, in its status, no earlier than the status, moving nothing."""
    if entry.kind is not EntryKind.FACT or not rule.fact:
        raise fail(case, f"{where}: a {entry.kind} entry by {'a fact' if rule.fact else 'a move'} rule")
    if not legal:
        raise fail(case, f"{where}: a fact recorded in {walk.status!r}, which its rule does not allow")
    if entry.effective_at < walk.since:
        raise fail(case, f"{where}: a fact dated before the status it is recorded in")
    if rule.waiting_period is not None and entry.effective_at - walk.since < rule.waiting_period:
        raise fail(case, f"{where}: recorded before its waiting period was over")
    if (entry.to_status, entry.fate, entry.assurance) != (walk.status, walk.fate, walk.assurance) or (
        entry.whereabouts not in (None, walk.whereabouts)
    ):
        raise fail(case, f"{where}: a fact moved the case")


def _transition_whereabouts(case: Case, rule: Rule, walk: _Walk, said: Whereabouts | None) -> Whereabouts:
    """Where a move leaves the person: where the period it resumes held them, or where the rule says."""
    resumes = _resumes(case, rule, walk)
    if resumes is None:
        return said or walk.whereabouts
    return walk.began[resumes]


def _resumes(case: Case, rule: Rule, walk: _Walk) -> int | None:
    """The live period a move resumes: the latest one of its target, when its rule reverts.

    A withdrawal resumes the one before the current period, whatever its status.
    """
    if not rule.reverts:
        return None
    if rule.withdraws and len(walk.periods) > 1:
        return walk.periods[-2]
    return next((seq for seq in reversed(walk.periods) if _status_of(case, walk, seq) == rule.target), None)


def _check_evidence_fate(case: Case, entry: Entry, spoken: Fate | None, where: str, known: Known) -> None:
    """No evidence of the entry may speak against the fate it stands for."""
    if spoken is not None and spoken is not Fate.UNKNOWN:
        against = [kind for kind in entry.evidence_kinds if known[kind].indicates not in (None, spoken)]
        if against:
            raise fail(case, f"{where}: evidence {against[0]} speaks against fate {spoken}")


def _resumed_fate(case: Case, rule: Rule, walk: _Walk) -> Fate | None:
    """The fate of the period a move resumes (it resumes as it stood), if it resumes one."""
    resumes = _resumes(case, rule, walk)
    return None if resumes is None else case.trail[resumes].fate


def _transition_assurance(case: Case, rule: Rule, entry: Entry, walk: _Walk) -> Assurance:
    """A move's own evidence gives its assurance; a move that resumes a period resumes that one's."""
    resumes = _resumes(case, rule, walk)
    if resumes is None:
        return evidence_assurance(entry)
    return _ended_assurance(case, resumes, entry.seq)


def _ended_assurance(case: Case, start: int, before: int) -> Assurance:
    """The assurance of the period begun by entry *start*, as it stood by entry *before*.

    Its opening evidence, raised by every corroboration made while it was the current period
    (never, for a period a late report told before the current one, until a retraction resumed it),
    and by every late report that it began earlier, made once the case had left it.
    """
    began = case.trail[start]
    assurance = evidence_assurance(began)
    current = began.kind is not EntryKind.EARLIER_PERIOD and not leaves_left_undecided(began)
    lower = start_before(case, began, before)
    since = began.effective_at  # when it began, by the entries read so far
    for entry in case.trail[start + 1 : before]:
        if entry.kind is EntryKind.TRANSITION or sets_a_status(entry):
            current = entry.reverts_to == start
        elif (
            current and (entry.kind is EntryKind.CORROBORATION or begins_earlier(case, entry, lower, began))
        ) or (not current and begins_left_earlier(case, entry, began, since, before)):
            assurance = assurance.stronger(evidence_assurance(entry))
            if entry.kind is EntryKind.EARLIER_PERIOD:
                since = min(since, entry.effective_at)
    return assurance


def _check_period(case: Case, rule: Rule, entry: Entry, walk: _Walk, where: str) -> None:
    """A move resumes the live period of its status when its rule reverts and there is one."""
    resumes = _resumes(case, rule, walk)
    if entry.reverts_to != resumes:
        raise fail(case, f"{where}: resumes entry {entry.reverts_to}, the rule says {resumes}")
    if resumes is None:
        walk.periods.append(entry.seq)
        return
    del walk.periods[walk.periods.index(resumes) + 1 :]
    walk.since = began_at(case, case.trail[resumes], entry.seq)
