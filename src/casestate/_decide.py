"""The decision: what a change would do to a case, as a pure function of both."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from ._change import DISMISS, Change
from ._entry import EntryKind
from ._evidence import Evidence, strongest_tier
from ._moves import assurance_of, clear_move
from ._reasons import illegal_transition, role_not_permitted, unknown_role
from ._status import Assurance, Fate
from ._time import format_instant
from ._verdict import Code, Outcome, Reason, Verdict

if TYPE_CHECKING:
    from ._case import Snapshot
    from ._rules import EvidenceRule, Rule
    from ._standing import CaseState
    from ._workflow import Workflow


class Plan(NamedTuple):
    """A verdict, and for an accepted change what its entry will hold.

    A named tuple rather than an attrs class: one is made for every change
    checked, and read once.
    """

    verdict: Verdict
    kind: EntryKind | None = None
    fate: Fate = Fate.UNKNOWN
    assurance: Assurance = Assurance.REPORTED
    since: datetime | None = None
    reverts_to: int | None = None


def check_times(change: Change, now: datetime | None, reasons: list[Reason]) -> None:
    """The clocks of one change against each other, and against *now* if given."""
    if change.effective_at > change.recorded_at:
        reasons.append(
            Reason(
                Code.EFFECTIVE_AFTER_RECORDED,
                f"effective at {format_instant(change.effective_at)}, after it was recorded "
                f"at {format_instant(change.recorded_at)}",
            )
        )
    if now is not None and change.recorded_at > now:
        reasons.append(
            Reason(
                Code.RECORDED_IN_FUTURE,
                f"recorded at {format_instant(change.recorded_at)}, after now ({format_instant(now)})",
            )
        )
    late = [item for item in change.evidence if item.obtained_at > change.recorded_at]
    if late:
        reasons.append(
            Reason(
                Code.EVIDENCE_AFTER_RECORDED,
                f"{late[0].kind} obtained at {format_instant(late[0].obtained_at)}, after the change "
                f"was recorded at {format_instant(change.recorded_at)}",
            )
        )


def plan_opening(workflow: Workflow, opening: Change, now: datetime | None = None) -> Plan:
    """What *opening* would do: open a case in the workflow's initial status, or every reason not to."""
    reasons: list[Reason] = []
    if opening.actor.role not in workflow.roles:
        reasons.append(unknown_role(workflow, opening.actor.role))
    check_times(opening, now, reasons)
    if reasons:
        return Plan(Verdict(Outcome.REJECTED, tuple(reasons)))
    initial = workflow.status(workflow.initial)
    fate = initial.fate or Fate.UNKNOWN  # a workflow's initial status always has a fate of its own
    assurance = Assurance.for_tier(strongest_tier(opening.evidence))
    verdict = _accepted(Outcome.TRANSITION, initial.name, fate)
    return Plan(verdict, EntryKind.OPENED, fate, assurance, opening.effective_at)


def remaining_conflicts(
    open_conflicts: tuple[int, ...], resolves: tuple[int, ...], kind: EntryKind | None, seq: int
) -> tuple[int, ...]:
    """The open conflicts once entry *seq* of *kind*, resolving *resolves*, is appended."""
    if resolves:
        open_conflicts = tuple(number for number in open_conflicts if number not in resolves)
    if kind is EntryKind.CONFLICT:
        open_conflicts = (*open_conflicts, seq)
    return open_conflicts


def _common(
    workflow: Workflow, case: CaseState, change: Change, now: datetime | None, reasons: list[Reason]
) -> None:
    """The checks every change faces, whatever its trigger."""
    if change.actor.role not in workflow.roles:
        reasons.append(unknown_role(workflow, change.actor.role))
    last = case.last_recorded_at
    if change.recorded_at < last:
        reasons.append(
            Reason(
                Code.TIME_GOES_BACKWARDS,
                f"recorded at {format_instant(change.recorded_at)}, before the case's last "
                f"entry ({format_instant(last)}); the trail only grows forward",
            )
        )
    check_times(change, now, reasons)
    if change.resolves:
        # Settling a conflict takes the same standing as dismissing one,
        # whatever trigger carries it.
        if change.trigger != DISMISS and change.actor.role not in workflow.dismiss_roles:
            reasons.append(
                Reason(
                    Code.ROLE_NOT_PERMITTED,
                    f"role {change.actor.role!r} may not resolve conflicts; "
                    f"allowed: {', '.join(sorted(workflow.dismiss_roles))}",
                )
            )
        unknown = [seq for seq in change.resolves if seq not in case.open_conflicts]
        if unknown:
            reasons.append(
                Reason(
                    Code.UNKNOWN_CONFLICT,
                    f"entries {unknown} are not open conflicts of the case "
                    f"(open: {list(case.open_conflicts)})",
                )
            )


def _guards(rule: Rule, case: CaseState, change: Change, reasons: list[Reason]) -> None:
    """The rule's own guards: role, evidence, reason."""
    role = change.actor.role
    if role not in rule.roles and not (rule.reporter_may_fire and case.reporter_id == change.actor.id):
        reasons.append(role_not_permitted(role, rule.trigger, rule.roles, rule.reporter_may_fire))
    needs = rule.evidence
    if needs is not None:
        if not change.evidence:
            reasons.append(Reason(Code.EVIDENCE_REQUIRED, f"{rule.trigger} needs {needs.describe()}"))
        elif not _any_accepted(needs, change.evidence):
            given = ", ".join(f"{item.kind} (tier {int(item.tier)})" for item in change.evidence)
            reasons.append(
                Reason(Code.EVIDENCE_INSUFFICIENT, f"{rule.trigger} needs {needs.describe()}; given: {given}")
            )
    if rule.reason_required and change.reason is None:
        reasons.append(Reason(Code.REASON_REQUIRED, f"{rule.trigger} needs a written reason"))


def _any_accepted(needs: EvidenceRule, evidence: tuple[Evidence, ...]) -> bool:
    # A loop, not any() over a generator: this runs for nearly every change.
    for item in evidence:  # noqa: SIM110 - see above
        if needs.accepts(item):
            return True
    return False


@lru_cache(maxsize=1024)
def _accepted(outcome: Outcome, target: str, fate: Fate) -> Verdict:
    """The verdict of an accepted change: a value without reasons, so one per target serves all."""
    return Verdict(outcome, (), target, fate)


def _check_fate(change: Change, fate: Fate | None, reasons: list[Reason]) -> None:
    """No piece of evidence may speak for the other fate than the one the change claims."""
    if fate is None or fate is Fate.UNKNOWN:
        return
    for item in change.evidence:
        indicated = item.kind.indicates
        if indicated is not None and indicated != fate:
            reasons.append(
                Reason(
                    Code.EVIDENCE_CONTRADICTS_FATE,
                    f"{item.kind} speaks for fate {indicated!r}, "
                    f"but {change.trigger} would give fate {fate.value!r}",
                )
            )
            return


def plan(workflow: Workflow, case: CaseState, change: Change, now: datetime | None = None) -> Plan:
    """What *change* would do to *case*; ``Workflow.check`` returns its verdict."""
    effect = clear_move(workflow._moves, case, change, now)  # noqa: SLF001 - the workflow's own compiled table
    if effect is None:
        return plan_in_full(workflow, case, change, now)
    kind = effect.kind
    assurance = assurance_of(change, effect, case)
    if kind is not EntryKind.TRANSITION:
        return _new_plan(Plan, (effect.verdict, kind, effect.fate, assurance, case.status_since, None))
    if effect.reverts:
        resumed = case.live_period(effect.verdict.target or "")
        if resumed is not None:  # with the fate of the effect, or the move would not be clear
            return _resuming(effect.verdict, resumed)
    return _new_plan(Plan, (effect.verdict, kind, effect.fate, assurance, change.effective_at, None))


_new_plan = tuple.__new__
"""A :class:`Plan` of all its fields, without the Python call of a named tuple's constructor."""


def _resuming(verdict: Verdict, resumed: Snapshot) -> Plan:
    """The plan of a retraction or reopening: the earlier period resumes as it stood when it ended.

    Its start, its fate and its assurance: the evidence of the retraction
    shows that the report was wrong, not how well the resumed status is
    established.
    """
    return Plan(verdict, EntryKind.TRANSITION, resumed.fate, resumed.assurance, resumed.since, resumed.seq)


def plan_in_full(  # noqa: C901, PLR0911, PLR0912 - the rules, in order
    workflow: Workflow, case: CaseState, change: Change, now: datetime | None = None
) -> Plan:
    """What *change* would do to *case*, every rule checked and every reason named.

    :func:`plan` answers a clear change from the workflow's compiled moves
    and comes here for the rest; a property test holds both equal.
    """
    reasons: list[Reason] = []
    if change.trigger == DISMISS:
        return _plan_dismissal(workflow, case, change, now, reasons)
    rule = workflow.get_rule(change.trigger)
    if rule is None:
        known = ", ".join(workflow.triggers)
        reasons.append(Reason(Code.UNKNOWN_TRIGGER, f"unknown trigger {change.trigger!r}; known: {known}"))
        _common(workflow, case, change, now, reasons)
        return Plan(Verdict(Outcome.REJECTED, tuple(reasons)))
    _guards(rule, case, change, reasons)
    _common(workflow, case, change, now, reasons)
    target = workflow.target_of(case.status, change.trigger)
    claimed = rule.fate if rule.fate is not None else workflow.status(rule.target).fate
    current = workflow.status(case.status)
    agrees = (
        rule.report
        and target is None
        and (rule.target == case.status or (current.fate is None and claimed is case.fate))
    )
    if agrees:
        # A report of what the case already holds corroborates it, even late.
        _check_fate(change, case.fate, reasons)
        if reasons:
            return Plan(Verdict(Outcome.REJECTED, tuple(reasons)))
        assurance = case.assurance.stronger(Assurance.for_tier(strongest_tier(change.evidence)))
        verdict = _accepted(Outcome.CORROBORATION, case.status, case.fate)
        return Plan(verdict, EntryKind.CORROBORATION, case.fate, assurance, case.status_since)
    contradictions: list[Reason] = []
    if target is None:
        contradictions.append(illegal_transition(change.trigger, case.status, rule.sources))
    if change.effective_at < case.status_since:
        contradictions.append(
            Reason(
                Code.EARLIER_THAN_CURRENT,
                f"effective at {format_instant(change.effective_at)}, before the current status "
                f"{case.status!r} took effect ({format_instant(case.status_since)})",
            )
        )
    fate = claimed if claimed is not None else case.fate
    resumed = case.live_period(target) if target is not None and rule.reverts else None
    if resumed is not None:
        fate = resumed.fate  # the period resumes as it stood, its fate too
    _check_fate(change, fate if target is not None or claimed is not None else None, reasons)
    if target is not None and rule.waiting_period is not None:
        waited = change.effective_at - case.status_since
        if waited < rule.waiting_period:
            reasons.append(
                Reason(
                    Code.WAITING_PERIOD_NOT_ELAPSED,
                    f"{change.trigger} needs {rule.waiting_period.days} days in {case.status!r}; "
                    f"the case has been there {waited.days} days",
                )
            )
    if rule.report and contradictions and change.resolves:
        reasons.append(
            Reason(Code.RESOLVES_NOT_ALLOWED, "a report kept as a conflict cannot resolve other conflicts")
        )
    if reasons:
        return Plan(Verdict(Outcome.REJECTED, tuple(reasons + contradictions)))
    if contradictions:
        if rule.report:
            verdict = Verdict(Outcome.CONFLICT, tuple(contradictions), case.status, case.fate)
            return Plan(verdict, EntryKind.CONFLICT, case.fate, case.assurance, case.status_since)
        return Plan(Verdict(Outcome.REJECTED, tuple(contradictions)))
    assert target is not None  # no contradiction means the move is legal  # noqa: S101
    verdict = _accepted(Outcome.TRANSITION, target, fate)
    if resumed is not None:
        return _resuming(verdict, resumed)
    assurance = Assurance.for_tier(strongest_tier(change.evidence))
    return Plan(verdict, EntryKind.TRANSITION, fate, assurance, change.effective_at)


def _plan_dismissal(
    workflow: Workflow, case: CaseState, change: Change, now: datetime | None, reasons: list[Reason]
) -> Plan:
    if change.actor.role not in workflow.dismiss_roles:
        reasons.append(
            Reason(
                Code.ROLE_NOT_PERMITTED,
                f"role {change.actor.role!r} may not dismiss conflicts; "
                f"allowed: {', '.join(sorted(workflow.dismiss_roles))}",
            )
        )
    if change.reason is None:
        reasons.append(Reason(Code.REASON_REQUIRED, "a dismissal needs a written reason"))
    if not change.resolves:
        reasons.append(
            Reason(Code.RESOLVES_REQUIRED, "a dismissal must name the conflict entries it dismisses")
        )
    _common(workflow, case, change, now, reasons)
    if reasons:
        return Plan(Verdict(Outcome.REJECTED, tuple(reasons)))
    verdict = _accepted(Outcome.DISMISSAL, case.status, case.fate)
    return Plan(verdict, EntryKind.DISMISSAL, case.fate, case.assurance, case.status_since)
