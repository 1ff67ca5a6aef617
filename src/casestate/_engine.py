"""The decision: what a change does to a case, as a pure function of both."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from ._actors import Actor
from ._case import Case
from ._chain import GENESIS, ChainKeyError, chain_for_key, seal
from ._change import DISMISS, OPEN, Change, new_salt
from ._entry import EntryKind
from ._evidence import Evidence, strongest_tier
from ._status import Assurance, Fate
from ._time import format_instant
from ._verdict import Code, Outcome, Reason, Rejected, Verdict

if TYPE_CHECKING:
    from ._workflow import EvidenceRule, Rule, Workflow


def open_case(
    workflow: Workflow,
    case_id: str,
    *,
    actor: Actor,
    effective_at: datetime,
    recorded_at: datetime,
    evidence: Iterable[Evidence],
    reason: str | None,
    salt: bytes | None,
    key: bytes | None,
) -> Case:
    """Open a case in the workflow's initial status (see ``Workflow.open``)."""
    if not isinstance(case_id, str) or not case_id.strip():
        msg = f"case_id must be a non-empty string, got {case_id!r}"
        raise ValueError(msg)
    # A Change validates the inputs exactly as it does for any later change.
    opening = Change(
        trigger=OPEN,
        actor=actor,
        effective_at=effective_at,
        recorded_at=recorded_at,
        evidence=evidence,
        reason=reason,
        salt=new_salt() if salt is None else salt,
    )
    reasons = []
    if opening.actor.role not in workflow.roles:
        reasons.append(_unknown_role(workflow, opening.actor))
    if opening.effective_at > opening.recorded_at:
        reasons.append(_effective_after_recorded(opening))
    if reasons:
        raise Rejected(case_id, Verdict(Outcome.REJECTED, tuple(reasons)))
    initial = workflow.status(workflow.initial)
    fate = initial.fate or Fate.UNKNOWN  # a workflow's initial status always has a fate of its own
    entry = seal(
        seq=0,
        case_id=case_id,
        kind=EntryKind.OPENED,
        trigger=OPEN,
        from_status=None,
        to_status=initial.name,
        fate=fate,
        assurance=Assurance.for_tier(strongest_tier(opening.evidence)),
        role=opening.actor.role,
        actor_id=opening.actor.id,
        reason=opening.reason,
        evidence=opening.evidence,
        effective_at=opening.effective_at,
        recorded_at=opening.recorded_at,
        resolves=(),
        codes=(),
        prev_hash=GENESIS,
        salt=opening.salt,
        key=key,
    )
    return Case(case_id, initial.name, fate, entry.assurance, entry.effective_at, (), (entry,))


def _unknown_role(workflow: Workflow, actor: Actor) -> Reason:
    return Reason(
        Code.UNKNOWN_ROLE,
        f"role {actor.role!r} is not one of this workflow's roles: {', '.join(sorted(workflow.roles))}",
    )


def _effective_after_recorded(change: Change) -> Reason:
    return Reason(
        Code.EFFECTIVE_AFTER_RECORDED,
        f"effective at {format_instant(change.effective_at)}, after it was recorded "
        f"at {format_instant(change.recorded_at)}",
    )


def _common(workflow: Workflow, case: Case, change: Change, reasons: list[Reason]) -> None:
    """The checks every change faces, whatever its trigger."""
    if change.actor.role not in workflow.roles:
        reasons.append(_unknown_role(workflow, change.actor))
    last = case.trail[-1].recorded_at
    if change.recorded_at < last:
        reasons.append(
            Reason(
                Code.TIME_GOES_BACKWARDS,
                f"recorded at {format_instant(change.recorded_at)}, before the case's last "
                f"entry ({format_instant(last)}); the trail only grows forward",
            )
        )
    if change.effective_at > change.recorded_at:
        reasons.append(_effective_after_recorded(change))
    if change.resolves:
        unknown = [seq for seq in change.resolves if seq not in case.open_conflicts]
        if unknown:
            reasons.append(
                Reason(
                    Code.UNKNOWN_CONFLICT,
                    f"entries {unknown} are not open conflicts of the case "
                    f"(open: {list(case.open_conflicts)})",
                )
            )


def _guards(rule: Rule, case: Case, change: Change, reasons: list[Reason]) -> None:
    """The rule's own guards: role, evidence, reason."""
    role = change.actor.role
    if role not in rule.roles and not (rule.reporter_may_fire and _reporter_id(case) == change.actor.id):
        allowed = ", ".join(sorted(rule.roles))
        also = ", or the actor whose report entered the current status" if rule.reporter_may_fire else ""
        reasons.append(
            Reason(
                Code.ROLE_NOT_PERMITTED,
                f"role {role!r} may not {rule.trigger}; allowed: {allowed}{also}",
            )
        )
    needs = rule.evidence
    if needs is not None:
        if not change.evidence:
            reasons.append(Reason(Code.EVIDENCE_REQUIRED, f"{rule.trigger} needs {needs.describe()}"))
        elif not _any_accepted(needs, change.evidence):
            given = ", ".join(f"{item.kind} (tier {int(item.tier)})" for item in change.evidence)
            reasons.append(
                Reason(
                    Code.EVIDENCE_INSUFFICIENT,
                    f"{rule.trigger} needs {needs.describe()}; given: {given}",
                )
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
def _accepted(outcome: Outcome, target: str | None) -> Verdict:
    """The verdict of an accepted change: a value without reasons, so one per target serves all."""
    return Verdict(outcome, (), target)


def _reporter_id(case: Case) -> str | None:
    private = case.status_entry.private
    return None if private is None else private.actor_id


def decide(workflow: Workflow, case: Case, change: Change) -> Verdict:  # noqa: C901, PLR0911 - the rules, in order
    """The verdict on *change* for *case*: pure, and exactly what ``apply`` does."""
    reasons: list[Reason] = []
    trigger = change.trigger
    if trigger == DISMISS:
        return _decide_dismissal(workflow, case, change, reasons)
    rule = workflow._rule_by_trigger.get(trigger)  # noqa: SLF001 - the engine is the workflow's own hot path
    if rule is None:
        known = ", ".join(workflow.triggers)
        reasons.append(Reason(Code.UNKNOWN_TRIGGER, f"unknown trigger {trigger!r}; known: {known}"))
        _common(workflow, case, change, reasons)
        return Verdict(Outcome.REJECTED, tuple(reasons))
    _guards(rule, case, change, reasons)
    _common(workflow, case, change, reasons)
    target = workflow.target_of(case.status, trigger)
    contradictions: list[Reason] = []
    if target is None:
        contradictions.append(
            Reason(
                Code.ILLEGAL_TRANSITION,
                f"{trigger} does not lead anywhere from {case.status!r}; "
                f"it may be fired from: {', '.join(sorted(rule.sources))}",
            )
        )
    if change.effective_at < case.status_since:
        contradictions.append(
            Reason(
                Code.EARLIER_THAN_CURRENT,
                f"effective at {format_instant(change.effective_at)}, before the current status "
                f"{case.status!r} took effect ({format_instant(case.status_since)})",
            )
        )
    if target is not None and rule.waiting_period is not None:
        waited = change.effective_at - case.status_since
        if waited < rule.waiting_period:
            reasons.append(
                Reason(
                    Code.WAITING_PERIOD_NOT_ELAPSED,
                    f"{trigger} needs {rule.waiting_period.days} days in {case.status!r}; "
                    f"the case has been there {waited.days} days",
                )
            )
    if rule.report and target is None and rule.target == case.status:
        # Agreeing with the case is not contradicting it, even when late.
        if reasons:
            return Verdict(Outcome.REJECTED, tuple(reasons))
        return _accepted(Outcome.CORROBORATION, case.status)
    if rule.report and contradictions and change.resolves:
        reasons.append(
            Reason(Code.RESOLVES_NOT_ALLOWED, "a report kept as a conflict cannot resolve other conflicts")
        )
    if reasons:
        return Verdict(Outcome.REJECTED, tuple(reasons + contradictions))
    if contradictions:
        if rule.report:
            return Verdict(Outcome.CONFLICT, tuple(contradictions), case.status)
        return Verdict(Outcome.REJECTED, tuple(contradictions))
    return _accepted(Outcome.TRANSITION, target)


def _decide_dismissal(workflow: Workflow, case: Case, change: Change, reasons: list[Reason]) -> Verdict:
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
    _common(workflow, case, change, reasons)
    if reasons:
        return Verdict(Outcome.REJECTED, tuple(reasons))
    return _accepted(Outcome.DISMISSAL, case.status)


def apply_change(workflow: Workflow, case: Case, change: Change, key: bytes | None) -> Case:
    """*case* with *change* applied, or :class:`Rejected` (see ``Workflow.apply``)."""
    chain = case.trail[0].chain
    if chain_for_key(key) != chain:
        raise ChainKeyError(_key_mismatch(case.id, chain, key))
    verdict = decide(workflow, case, change)
    outcome = verdict.outcome
    if outcome is Outcome.REJECTED:
        raise Rejected(case.id, verdict)
    last = case.trail[-1]
    if outcome is Outcome.TRANSITION:
        rule = workflow._rule_by_trigger[change.trigger]  # noqa: SLF001 - see decide
        target = verdict.target or case.status  # a transition verdict always names its target
        fate = rule.fate
        if fate is None:
            fate = workflow._status_by_name[target].fate  # noqa: SLF001 - see decide
            if fate is None:
                fate = case.fate
        kind = EntryKind.TRANSITION
        assurance = Assurance.for_tier(strongest_tier(change.evidence))
    else:
        target, fate, assurance = case.status, case.fate, case.assurance
        kind = _KIND_OF_OUTCOME[outcome]
        if kind is EntryKind.CORROBORATION:
            assurance = assurance.stronger(Assurance.for_tier(strongest_tier(change.evidence)))
    entry = seal(
        seq=len(case.trail),
        case_id=case.id,
        kind=kind,
        trigger=change.trigger,
        from_status=case.status,
        to_status=target,
        fate=fate,
        assurance=assurance,
        role=change.actor.role,
        actor_id=change.actor.id,
        reason=change.reason,
        evidence=change.evidence,
        effective_at=change.effective_at,
        recorded_at=change.recorded_at,
        resolves=change.resolves,
        codes=verdict.codes if kind is EntryKind.CONFLICT else (),
        prev_hash=last.hash,
        salt=change.salt,
        key=key,
    )
    conflicts = case.open_conflicts
    if change.resolves:
        conflicts = tuple(seq for seq in conflicts if seq not in change.resolves)
    if kind is EntryKind.CONFLICT:
        conflicts = (*conflicts, entry.seq)
    since = entry.effective_at if kind is EntryKind.TRANSITION else case.status_since
    return Case(case.id, target, fate, assurance, since, conflicts, (*case.trail, entry))


_KIND_OF_OUTCOME = {
    Outcome.CORROBORATION: EntryKind.CORROBORATION,
    Outcome.CONFLICT: EntryKind.CONFLICT,
    Outcome.DISMISSAL: EntryKind.DISMISSAL,
}


def _key_mismatch(case_id: str, chain: str, key: bytes | None) -> str:
    if key is None:
        return f"case {case_id!r} is sealed with a key; pass key="
    if chain == "sha256":
        return f"case {case_id!r} is not sealed with a key; do not pass one"
    return f"case {case_id!r} is sealed with a different key"
