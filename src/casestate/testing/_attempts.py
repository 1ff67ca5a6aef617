"""Changes built on purpose, valid or with one named fault, and what each must lead to."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

import attrs
from hypothesis import assume
from hypothesis import strategies as st

from casestate import (
    DISMISS,
    Actor,
    Assurance,
    Case,
    Change,
    Code,
    EntryKind,
    Evidence,
    Fate,
    Outcome,
    Rule,
    Snapshot,
    Verdict,
    Workflow,
)

from ._reports import (
    Rivalry,
    Told,
    against_its_time,
    claimed_by,
    corroborates,
    earlier,
    outweighs,
    rival_on,
    tied_with_left,
)
from ._values import (
    accepted_kinds,
    actors,
    enough_evidence,
    evidence,
    fits,
    gaps,
    obtained_by,
    refused_kinds,
    texts,
    weak_evidence,
)

_ONE_TICK = timedelta(microseconds=1)
_LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1000)
"""The latest instant the kit moves a case to: room left for the gaps drawn after it."""


def _wait(case: Case, rule: Rule) -> timedelta:
    """How long *rule* makes the case wait here, cut at what the calendar has room for."""
    return min(rule.waiting_period or timedelta(0), _LATEST - case.status_since)


def _waits_past_the_calendar(case: Case, rule: Rule) -> bool:
    """Whether *rule*, legal from here, waits longer than the calendar lasts: nothing can fire it."""
    period = rule.waiting_period
    return case.status in rule.sources and period is not None and period > _LATEST - case.status_since


@attrs.frozen
class Attempt:
    """A change, why it was built, and what the workflow must make of it.

    For an accepted *outcome*, *codes* are exactly the verdict's codes and
    *target* the status the case must be in afterwards; for
    ``Outcome.REJECTED``, *codes* must be among the verdict's codes (a change
    built with one fault may well have others).
    """

    change: Change
    intent: str
    """What the change was built to be: ``valid confirm``, ``weak evidence for repatriate``."""
    outcome: Outcome
    codes: tuple[Code, ...] = ()
    target: str | None = None

    def disagreement(self, verdict: Verdict) -> str | None:
        """What *verdict* gets wrong about this attempt, or ``None`` when it is right."""
        expected = f"{self.intent}: expected {self.outcome}"
        if verdict.outcome is not self.outcome:
            return f"{expected} {_listed(self.codes)}, got {verdict.outcome} {_listed(verdict.codes)}"
        if self.outcome is Outcome.REJECTED:
            missing = [code for code in self.codes if code not in verdict.codes]
            if missing:
                return f"{expected} with {_listed(missing)}, got only {_listed(verdict.codes)}"
            return None
        if verdict.codes != self.codes:
            return f"{expected} with codes {_listed(self.codes)}, got {_listed(verdict.codes)}"
        if verdict.target != self.target:
            return f"{expected} into {self.target!r}, got {verdict.target!r}"
        return None


def _listed(codes: Iterable[Code]) -> list[str]:
    """*codes* as their names, as a message shows them."""
    return [str(code) for code in codes]


_Plan = Callable[[st.DrawFn, Workflow, Case], Attempt]


@st.composite
def attempts(draw: st.DrawFn, workflow: Workflow, case: Case) -> Attempt:
    """Attempts on *case*: mostly valid changes, the rest each with one fault on purpose.

    Valid: any rule fired the right way (a transition, or a report kept as a
    corroboration or a conflict), dismissals of open conflicts. Faults: wrong
    or unknown role, missing or weak evidence, missing reason, time going
    backwards, a fact after it was recorded or before the current status,
    evidence obtained after the change was recorded, before the event it
    attests or speaking for the other fate,
    an illegal move, a waiting period not over, an unknown trigger, resolving
    what is not an open conflict, settling conflicts in a role that may not
    dismiss them, a report kept as a conflict that resolves,
    and dismissals without role, reason or conflicts named.
    """
    valid = _valid_plans(workflow, case)
    kinds = _faulty_plans(workflow, case)
    if not valid and not kinds:
        msg = f"workflow {workflow.name!r} has no rules: no change can be attempted on its cases"
        raise ValueError(msg)
    # Mostly valid, so cases travel far; an integer shrinks towards valid.
    if valid and (not kinds or draw(st.integers(0, 9)) < 6):  # noqa: PLR2004 - 60 %
        plans = valid
    else:
        plans = kinds[draw(st.integers(0, len(kinds) - 1))]
    return plans[draw(st.integers(0, len(plans) - 1))](draw, workflow, case)


def changes(workflow: Workflow, case: Case) -> st.SearchStrategy[Change]:
    """Changes for *case*, valid and invalid on purpose (see :func:`attempts`)."""
    return attempts(workflow, case).map(lambda attempt: attempt.change)


# -- valid changes -------------------------------------------------------


def _satisfiable(workflow: Workflow, case: Case, rule: Rule) -> bool:
    if not _provable(workflow, rule, _fate_checked(workflow, case, rule)):
        return False
    if not rule.roles and _withdrawing_reporter(case, rule) is None:
        return False
    if _waits_past_the_calendar(case, rule) and not corroborates(workflow, case, rule):
        return False
    return rule.report or case.status in rule.sources


def _provable(workflow: Workflow, rule: Rule, fate: Fate | None) -> bool:
    """Whether some evidence *rule* accepts fits *fate*."""
    known = workflow.known_kinds
    return rule.evidence is None or any(
        fits(kind, fate, known) for kind in accepted_kinds(rule.evidence, known)
    )


def _fate_checked(
    workflow: Workflow, case: Case, rule: Rule, effective: datetime | None = None
) -> Fate | None:
    """The fate the change's evidence must not speak against (``None``: no check).

    A legal move claims its fate even when it is reported late and kept as a
    conflict: a move into a status that carries the fate claims the case's.
    About *effective*, if given: a report about a time before the person went
    missing, or against the fate the case held then, corroborates nothing
    (see :func:`against_its_time`).
    """
    if corroborates(workflow, case, rule) and not (
        effective is not None
        and (_before_missing(case, effective) or against_its_time(workflow, case, rule, effective))
    ):
        return case.fate
    claimed = claimed_by(workflow, rule)
    if case.status in rule.sources:
        resumed = resumed_period(case, rule)
        if resumed is not None:
            return resumed.fate  # a retraction resumes the period, fate and all
        return claimed if claimed is not None else case.fate
    return claimed


def _before_missing(case: Case, effective: datetime) -> bool:
    """Whether *effective* is before the person went missing: before the case's first period began."""
    return effective < min(case.status_since, case.periods[0].since)


def _weighed(
    workflow: Workflow, case: Case, rule: Rule, rival: Rivalry, proof: tuple[Evidence, ...]
) -> tuple[Outcome, tuple[Code, ...], str]:
    """What a rival report on *proof* leads to: outcome, codes and the status the case is left in."""
    if rival.agrees:
        return Outcome.CORROBORATION, (), case.status
    given = _given(workflow, proof)
    if outweighs(given, case.assurance):
        return Outcome.TRANSITION, (), rule.target
    if given is case.assurance:
        return Outcome.CONFLICT, (Code.RIVAL_REPORT,), case.status if rival.tied else rival.before.status
    return Outcome.CONFLICT, (Code.OUTWEIGHED,), case.status


def _given(workflow: Workflow, proof: tuple[Evidence, ...]) -> Assurance:
    """The assurance *proof* gives: that of its weakest piece."""
    return Assurance.for_tier(min((workflow.evidence_kind(item.kind).tier for item in proof), default=None))


def _ties_with_left(
    workflow: Workflow, case: Case, rule: Rule, effective: datetime, proof: tuple[Evidence, ...]
) -> bool:
    """Whether a late report on *proof* ties with the report that began a period the case has left."""
    if effective >= case.status_since or not rule.report:
        return False
    left_backers = [backer.seq for backer in case.left_backers]
    resumed = case.status_entry.reverts_to is not None  # a resumed period is nobody's new report
    tie = tied_with_left(workflow, rule, effective, case.periods, case.trail, left_backers, resumed=resumed)
    return tie is not None and _given(workflow, proof) is tie.left.assurance


def _unrivalled(
    workflow: Workflow, case: Case, rule: Rule, *, early: bool, tells: bool, before_missing: bool = False
) -> tuple[Outcome, tuple[Code, ...], str]:
    """What a report or move of *rule* that rivals nothing leads to: outcome, codes and the status after.

    *early*: about a time before the current status; *tells*: a late report of an earlier period;
    *before_missing*: about a time before the case was opened, or against the fate the case held
    then (see :func:`against_its_time`), which agrees with nothing.
    """
    legal = case.status in rule.sources
    if tells:
        return Outcome.EARLIER_PERIOD, (), case.status
    if corroborates(workflow, case, rule) and not before_missing:
        return Outcome.CORROBORATION, (), case.status
    if legal and not early:
        resumed = resumed_period(case, rule) if rule.withdraws else None
        target = rule.target if resumed is None else resumed.status
        return Outcome.FACT if rule.fact else Outcome.TRANSITION, (), target
    if legal:
        return Outcome.CONFLICT, (Code.EARLIER_THAN_CURRENT,), case.status
    late = (Code.EARLIER_THAN_CURRENT,) if early else ()
    return Outcome.CONFLICT, (Code.ILLEGAL_TRANSITION, *late), case.status


def _reporter(case: Case) -> Actor | None:
    entry = case.status_entry
    # Two rival reports, neither of which holds, leave the status nobody's report; so does a
    # retraction, which resumes a period that only a role may withdraw in turn.
    return None if entry.kind is EntryKind.CONFLICT or entry.reverts_to is not None else entry.actor


def _withdrawing_reporter(case: Case, rule: Rule) -> Actor | None:
    """Who may fire *rule* as the reporter of the current status: nobody, once one of its roles backs it.

    A corroboration by a role that may fire the rule stands behind the
    report: then the reporter alone can no longer take it back.
    """
    if not rule.reporter_may_fire:
        return None
    since = case.status_entry.seq
    # A late report that the status began earlier backs it as a corroboration does.
    backers = {
        entry.role
        for entry in case.trail[since + 1 :]
        if entry.kind is EntryKind.CORROBORATION
        or (entry.kind is EntryKind.EARLIER_PERIOD and entry.to_status == entry.from_status)
    }
    if backers & rule.roles:
        return None
    if rule.reverts and case.status in rule.sources:
        # Nor past the report itself: the period it resumes must be the one the report ended.
        live = [period.seq for period in case.periods]
        period = resumed_period(case, rule)
        resumed = None if period is None else period.seq
        if resumed is None or len(live) < 2 or live[-2] != resumed:  # noqa: PLR2004 - the report and before
            return None
    return _reporter(case)


def resumed_period(case: Case, rule: Rule) -> Snapshot | None:
    """The live period a move of *rule* resumes on *case*: the latest of its target, when it reverts.

    A withdrawal (``Rule.withdraws``) resumes the one before the current period, whatever its status.
    """
    if not rule.reverts:
        return None
    periods = case.periods
    if rule.withdraws and len(periods) > 1:
        return periods[-2]
    return case.live_period(rule.target)


def _valid_plans(workflow: Workflow, case: Case) -> list[_Plan]:
    plans: list[_Plan] = [_valid_rule(rule) for rule in workflow.rules if _satisfiable(workflow, case, rule)]
    if case.open_conflicts and workflow.dismiss_roles:
        plans.append(_valid_dismissal)
    return plans


def _valid_rule(rule: Rule) -> _Plan:
    def plan(draw: st.DrawFn, workflow: Workflow, case: Case) -> Attempt:
        return _build(draw, workflow, case, rule)

    return plan


def _when(  # noqa: PLR0917 - the draw, the rule on its case, and the times drawn for it
    draw: st.DrawFn,
    workflow: Workflow,
    case: Case,
    rule: Rule,
    floor: datetime,
    recorded: datetime,
    *,
    early: bool,
) -> tuple[datetime, Told | None]:
    """What a change by *rule* is about: a time from *floor* to *recorded*, or, *early*, before the status.

    With it, the period a late report then tells before the current one, if any.
    """
    if early:
        effective = case.status_since - draw(gaps(least=_ONE_TICK))
        told = earlier(workflow, case, rule, effective)
        # The faults drawn on this change hold its evidence to the fate the rule claims here:
        # one that tells a period of another is drawn about a later time instead.
        if told is None or told[0] is _fate_checked(workflow, case, rule):
            return effective, told
    return floor + draw(_up_to(recorded - floor)), None


def _build(draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule) -> Attempt:
    """The change that fires *rule* the right way, and what it must lead to."""
    legal = case.status in rule.sources
    since = case.status_since
    recorded = case.last_recorded_at + draw(gaps())
    floor = since + _wait(case, rule) if legal else since
    recorded = max(recorded, floor)
    # A report may be about a time before the current status (a late report): then it is
    # kept as a conflict, as a corroboration when it agrees, or tells an earlier period.
    early = (
        rule.report
        and rule.waiting_period is None
        and _provable(workflow, rule, _fate_checked(workflow, case, rule))
        and draw(st.integers(0, 4)) == 0
    )
    effective, told = _when(draw, workflow, case, rule, floor, recorded, early=early)
    actor = _permitted_actor(draw, workflow, case, rule)
    reason = draw(texts()) if rule.reason_required else draw(st.none() | texts())
    fate = _fate_checked(workflow, case, rule, effective)
    # A report that tells an earlier period, or an earlier start of the current one, rivals nothing.
    rival = rival_on(workflow, case, rule, effective) if told is None else None
    if rival is not None and not _provable(workflow, rule, rival.fate):
        # No evidence the rule takes could speak for what the rival says: about a tick later, it is
        # no rival of the very instant; a report the current status could not have led to stays
        # the rival of a later day, and no valid change of this rule is drawn then.
        effective += _ONE_TICK
        recorded = max(recorded, effective)
        rival = rival_on(workflow, case, rule, effective)
        assume(rival is None)
    if rival is not None:
        fate = rival.fate
    if told is not None:
        fate = told[0]
    known = workflow.known_kinds
    provable = _provable(workflow, rule, fate)
    proof = obtained_by(
        draw(enough_evidence(rule.evidence, fate=fate, known=known)) if provable else (),
        recorded,
        effective,
        known,
    )
    if told is not None and told.voids is not None:
        # A rival of the report that began the period before the current one holds only on stronger
        # evidence than that period's; else it is kept as a conflict.
        voided = next(period for period in case.periods if period.seq == told.voids)
        if not outweighs(_given(workflow, proof), voided.assurance):
            told = None
    if rival is not None:
        outcome, codes, target = _weighed(workflow, case, rule, rival, proof)
    else:
        outcome, codes, target = _unrivalled(
            workflow,
            case,
            rule,
            early=effective < since,
            tells=told is not None,
            before_missing=_before_missing(case, effective)
            or against_its_time(workflow, case, rule, effective),
        )
        if outcome is Outcome.CONFLICT and _ties_with_left(workflow, case, rule, effective, proof):
            codes = (Code.RIVAL_REPORT,)
    resolves: list[int] = []
    if outcome is not Outcome.CONFLICT and case.open_conflicts and actor.role in workflow.dismiss_roles:
        # Any accepted change but a conflict may settle open conflicts on the way,
        # in the hands of a role that may dismiss them.
        resolves = draw(st.lists(st.sampled_from(case.open_conflicts), unique=True))
    elif (
        rival is not None
        and rival.tied
        and case.periods[-1].seq in case.open_conflicts  # not dismissed since
        and actor.role in workflow.dismiss_roles
        and draw(st.booleans())
    ):
        # A rival that settles a period two rivals left undecided is a person with standing deciding.
        tie = case.periods[-1].seq
        resolves = sorted({tie, *draw(st.lists(st.sampled_from(case.open_conflicts), unique=True))})
        outcome, codes, target = Outcome.TRANSITION, (), rule.target
    change = Change(
        trigger=rule.trigger,
        actor=actor,
        evidence=proof,
        reason=reason,
        resolves=resolves,
        effective_at=effective,
        recorded_at=recorded,
        # Some sent with the id their source gave them: one no entry of the case has taken.
        source_id=draw(st.none() | st.just(f"kit/{case.version}")),
    )
    return Attempt(change, f"valid {rule.trigger}", outcome, codes, target)


def _up_to(span: timedelta) -> st.SearchStrategy[timedelta]:
    """Zero up to *span*, to the microsecond (integers draw faster than timedeltas)."""
    most = max(span // _ONE_TICK, 0)
    return st.integers(0, most).map(lambda ticks: ticks * _ONE_TICK)


def _permitted_actor(draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule) -> Actor:
    reporter = _withdrawing_reporter(case, rule)
    if reporter is not None and (not rule.roles or draw(st.booleans())):
        # The actor whose report entered the status, in whatever role they act now.
        return Actor(reporter.id, draw(st.sampled_from(sorted(workflow.roles))))
    return draw(actors(rule.roles or workflow.roles))


def _valid_dismissal(draw: st.DrawFn, workflow: Workflow, case: Case) -> Attempt:
    change = _dismissal(draw, case, roles=workflow.dismiss_roles)
    return Attempt(change, "valid dismissal", Outcome.DISMISSAL, (), case.status)


def _dismissal(draw: st.DrawFn, case: Case, *, roles: frozenset[str]) -> Change:
    recorded = case.last_recorded_at + draw(gaps(long=False))
    resolves = draw(st.lists(st.sampled_from(case.open_conflicts), min_size=1, unique=True))
    return Change(
        trigger=DISMISS,
        actor=draw(actors(roles)),
        reason=draw(texts()),
        resolves=resolves,
        effective_at=recorded - draw(_up_to(recorded - case.status_since)),
        recorded_at=recorded,
    )


# -- changes with one fault ----------------------------------------------


def _rejected(change: Change, intent: str, code: Code) -> Attempt:
    return Attempt(change, intent, Outcome.REJECTED, (code,))


def _faulty_plans(workflow: Workflow, case: Case) -> list[list[_Plan]]:  # noqa: C901, PLR0912 - one guard per fault
    """The faults that can be made now, grouped by kind.

    Each kind is as likely as any other, whether one rule or every rule can carry it.
    """
    # Each of these spoils a change that fires some rule: a workflow without rules has none to spoil.
    kinds: dict[object, list[_Plan]] = {
        fault: [fault]
        for fault in (
            _unknown_trigger,
            _time_backwards,
            _effective_after_recorded,
            _evidence_after_recorded,
            _unknown_kind,
            _unknown_conflict,
        )
        if workflow.rules
    }

    def add(fault: _Fault, rule: Rule) -> None:
        kinds.setdefault(fault, []).append(_fault(rule, fault))

    for rule in workflow.rules:
        legal = case.status in rule.sources
        # A report that agrees with the case corroborates it: it moves nothing, so waits for nothing.
        waits = legal and rule.waiting_period is not None and not corroborates(workflow, case, rule)
        if waits and _waits_past_the_calendar(case, rule):
            add(_waiting_period, rule)  # its one fault: any other would come with this one
            continue
        add(_unknown_role, rule)
        if workflow.roles - rule.roles:
            add(_wrong_role, rule)
            if (
                rule.reporter_may_fire
                and _reporter(case) is not None
                and _withdrawing_reporter(case, rule) is None
            ):
                add(_backed_reporter, rule)
        if rule.evidence is not None:
            add(_no_evidence, rule)
            if refused_kinds(rule.evidence, workflow.known_kinds):
                add(_weak_evidence, rule)
        if rule.reason_required:
            add(_no_reason, rule)
        if _contradicted(workflow, case, rule) is not None:
            add(_contradicting_evidence, rule)
        add(_evidence_before_event, rule)
        if legal and not rule.report:
            add(_earlier_than_current, rule)
        if not legal and not rule.report:
            add(_illegal, rule)
        if waits:
            add(_waiting_period, rule)
        if case.open_conflicts and rule.roles - workflow.dismiss_roles:
            add(_settle_without_standing, rule)
        if rule.report and not legal and not corroborates(workflow, case, rule) and case.open_conflicts:
            add(_conflict_that_resolves, rule)
    if case.open_conflicts:
        kinds[_dismiss_without_reason] = [_dismissal_fault(_dismiss_without_reason)]
        kinds[_dismiss_without_resolves] = [_dismissal_fault(_dismiss_without_resolves)]
        if workflow.roles - workflow.dismiss_roles:
            kinds[_dismiss_by_wrong_role] = [_dismissal_fault(_dismiss_by_wrong_role)]
    return list(kinds.values())


_Fault = Callable[[st.DrawFn, Workflow, Case, Rule, Attempt], Attempt]


def _fault(rule: Rule, fault: _Fault) -> _Plan:
    def plan(draw: st.DrawFn, workflow: Workflow, case: Case) -> Attempt:
        return fault(draw, workflow, case, rule, _build(draw, workflow, case, rule))

    return plan


def _any_rule_base(draw: st.DrawFn, workflow: Workflow, case: Case) -> Attempt:
    return _build(draw, workflow, case, draw(st.sampled_from(workflow.rules)))


def _unknown_trigger(draw: st.DrawFn, workflow: Workflow, case: Case) -> Attempt:
    base = _any_rule_base(draw, workflow, case)
    trigger = draw(st.sampled_from(["escape", "promote", "report_missing"]) | texts(max_size=12))
    if trigger in workflow.triggers:
        trigger = f"{trigger} (unknown)"
    change = attrs.evolve(base.change, trigger=trigger)
    return _rejected(change, f"unknown trigger {trigger!r}", Code.UNKNOWN_TRIGGER)


def _time_backwards(draw: st.DrawFn, workflow: Workflow, case: Case) -> Attempt:
    base = _any_rule_base(draw, workflow, case)
    recorded = case.last_recorded_at - draw(gaps(least=_ONE_TICK))
    change = attrs.evolve(
        base.change, recorded_at=recorded, effective_at=min(base.change.effective_at, recorded)
    )
    return _rejected(change, "time going backwards", Code.TIME_GOES_BACKWARDS)


def _effective_after_recorded(draw: st.DrawFn, workflow: Workflow, case: Case) -> Attempt:
    base = _any_rule_base(draw, workflow, case)
    effective = base.change.recorded_at + draw(gaps(least=_ONE_TICK, long=False))
    change = attrs.evolve(base.change, effective_at=effective)
    return _rejected(change, "a fact after it was recorded", Code.EFFECTIVE_AFTER_RECORDED)


def _evidence_after_recorded(draw: st.DrawFn, workflow: Workflow, case: Case) -> Attempt:
    base = _any_rule_base(draw, workflow, case)
    recorded = base.change.recorded_at
    drawn = draw(evidence(known=workflow.known_kinds))
    late = attrs.evolve(drawn, obtained_at=recorded + draw(gaps(least=_ONE_TICK, long=False)))
    change = attrs.evolve(base.change, evidence=(*base.change.evidence, late))
    return _rejected(change, "evidence obtained after the change was recorded", Code.EVIDENCE_AFTER_RECORDED)


def _unknown_conflict(draw: st.DrawFn, workflow: Workflow, case: Case) -> Attempt:
    base = _any_rule_base(draw, workflow, case)
    stray = draw(st.integers(0, case.version + 2).filter(lambda seq: seq not in case.open_conflicts))
    change = attrs.evolve(base.change, resolves=(*base.change.resolves, stray))
    return _rejected(change, f"resolving entry {stray}, not an open conflict", Code.UNKNOWN_CONFLICT)


def _unknown_role(draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt) -> Attempt:
    role = draw(st.sampled_from(["journalist", "neighbour"]) | texts(max_size=12))
    if role in workflow.roles:
        role = f"{role} (unknown)"
    # Sometimes the reporter's own id: their privilege to retract is no
    # licence to act in a role the workflow does not know.
    reporter = _withdrawing_reporter(case, rule)
    insider = reporter is not None and draw(st.booleans())
    actor_id = reporter.id if insider and reporter is not None else _outsider_id(case)
    change = attrs.evolve(base.change, actor=Actor(actor_id, role))
    return _rejected(change, f"unknown role {role!r} for {rule.trigger}", Code.UNKNOWN_ROLE)


def _outsider_id(case: Case) -> str:
    """An actor id that is not the reporter's, so the reporter's privilege cannot apply."""
    reporter = _reporter(case)
    return "outsider" if reporter is None or reporter.id != "outsider" else "another outsider"


def _backed_reporter(draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt) -> Attempt:
    """The reporter of the current status firing *rule* alone, though one of its roles backs the report."""
    reporter = _reporter(case)
    assert reporter is not None  # noqa: S101 - planned only when there is one
    role = draw(st.sampled_from(sorted(workflow.roles - rule.roles)))
    change = attrs.evolve(base.change, actor=Actor(reporter.id, role))
    return _rejected(
        change, f"the reporter firing {rule.trigger} on a backed report", Code.ROLE_NOT_PERMITTED
    )


def _wrong_role(draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt) -> Attempt:
    role = draw(st.sampled_from(sorted(workflow.roles - rule.roles)))
    change = attrs.evolve(base.change, actor=Actor(_outsider_id(case), role))
    return _rejected(change, f"role {role!r} firing {rule.trigger}", Code.ROLE_NOT_PERMITTED)


def _unknown_kind(draw: st.DrawFn, workflow: Workflow, case: Case) -> Attempt:
    base = _any_rule_base(draw, workflow, case)
    # Names a registry might use, numbered past any the workflow declares.
    known = workflow.known_kinds
    names = [f"{name}_{number}" for number in range(len(known) + 1) for name in ("unit_form", "rumour")]
    kind = draw(st.sampled_from([name for name in names if name not in known][:4]))
    stranger = attrs.evolve(draw(evidence(known=workflow.known_kinds)), kind=kind)
    change = attrs.evolve(base.change, evidence=(*base.change.evidence, stranger))
    return _rejected(
        change, f"evidence of kind {kind!r}, which the workflow does not know", Code.UNKNOWN_EVIDENCE_KIND
    )


def _no_evidence(draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt) -> Attempt:
    del draw, workflow, case
    change = attrs.evolve(base.change, evidence=())
    return _rejected(change, f"no evidence for {rule.trigger}", Code.EVIDENCE_REQUIRED)


def _weak_evidence(draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt) -> Attempt:
    del case
    needs = rule.evidence
    if needs is None:  # pragma: no cover - only planned for rules that need evidence
        raise AssertionError
    change = attrs.evolve(base.change, evidence=draw(weak_evidence(needs, known=workflow.known_kinds)))
    return _rejected(change, f"weak evidence for {rule.trigger}", Code.EVIDENCE_INSUFFICIENT)


def _contradicted(workflow: Workflow, case: Case, rule: Rule) -> Fate | None:
    """The fate a change by *rule* claims, early or not, when evidence can speak against it."""
    fate = _fate_checked(workflow, case, rule)
    return fate if fate in (Fate.ALIVE, Fate.DEAD) else None


def _contradicting_evidence(
    draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt
) -> Attempt:
    # About the time the change is: a report of a time before he went missing claims only its own fate.
    fate = _fate_checked(workflow, case, rule, base.change.effective_at)
    assume(fate in (Fate.ALIVE, Fate.DEAD))
    known = workflow.known_kinds
    against = [name for name, kind in known.items() if kind.indicates not in (None, fate)]
    drawn = draw(evidence(against, known=known))
    (item,) = obtained_by((drawn,), base.change.recorded_at, base.change.effective_at, known)
    position = draw(st.integers(0, len(base.change.evidence)))
    proof = (*base.change.evidence[:position], item, *base.change.evidence[position:])
    change = attrs.evolve(base.change, evidence=proof)
    return _rejected(
        change, f"evidence against fate {fate} for {rule.trigger}", Code.EVIDENCE_CONTRADICTS_FATE
    )


def _evidence_before_event(
    draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt
) -> Attempt:
    """A piece of a kind that attests a past event, obtained before the event the change is about."""
    change = base.change
    # The fate the change's evidence must fit, as _build chose it: none of this kind may speak against it.
    rival = rival_on(workflow, case, rule, change.effective_at)
    fate = rival.fate if rival is not None else _fate_checked(workflow, case, rule)
    known = workflow.known_kinds
    # Never empty: a DNA match, a court decision attest the past and speak for either fate.
    attesting = [name for name, kind in known.items() if kind.attests_past and fits(name, fate, known)]
    drawn = draw(evidence(attesting, known=known))
    early = attrs.evolve(drawn, obtained_at=change.effective_at - draw(gaps(least=_ONE_TICK, long=False)))
    position = draw(st.integers(0, len(change.evidence)))
    proof = (*change.evidence[:position], early, *change.evidence[position:])
    return _rejected(
        attrs.evolve(change, evidence=proof),
        f"{early.kind} obtained before the event it attests, for {rule.trigger}",
        Code.EVIDENCE_BEFORE_EVENT,
    )


def _no_reason(draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt) -> Attempt:
    del workflow, case
    change = attrs.evolve(base.change, reason=draw(st.sampled_from([None, "", "  \n"])))
    return _rejected(change, f"no reason for {rule.trigger}", Code.REASON_REQUIRED)


def _earlier_than_current(
    draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt
) -> Attempt:
    del workflow
    change = attrs.evolve(base.change, effective_at=case.status_since - draw(gaps(least=_ONE_TICK)))
    return _rejected(change, f"{rule.trigger} before the current status", Code.EARLIER_THAN_CURRENT)


def _illegal(draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt) -> Attempt:
    del draw, workflow
    return _rejected(base.change, f"{rule.trigger} from {case.status!r}", Code.ILLEGAL_TRANSITION)


def _waiting_period(draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt) -> Attempt:
    del workflow
    # Mostly just short of the period, where an off-by-some bug would let it pass.
    early = case.status_since + max(_wait(case, rule) - draw(gaps(least=_ONE_TICK)), timedelta(0))
    change = attrs.evolve(
        base.change,
        effective_at=early,
        recorded_at=max(early, case.last_recorded_at, base.change.recorded_at),
    )
    return _rejected(change, f"{rule.trigger} before its waiting period", Code.WAITING_PERIOD_NOT_ELAPSED)


def _settle_without_standing(
    draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt
) -> Attempt:
    role = draw(st.sampled_from(sorted(rule.roles - workflow.dismiss_roles)))
    resolves = draw(st.lists(st.sampled_from(case.open_conflicts), min_size=1, unique=True))
    change = attrs.evolve(base.change, actor=Actor(_outsider_id(case), role), resolves=resolves)
    return _rejected(change, f"role {role!r} settling conflicts by {rule.trigger}", Code.ROLE_NOT_PERMITTED)


def _conflict_that_resolves(
    draw: st.DrawFn, workflow: Workflow, case: Case, rule: Rule, base: Attempt
) -> Attempt:
    resolves = draw(st.lists(st.sampled_from(case.open_conflicts), min_size=1, unique=True))
    change = attrs.evolve(base.change, resolves=resolves)
    settling = base.outcome is not Outcome.CONFLICT or (
        bool(set(base.codes) & _RIVAL_CODES) and case.tied and case.periods[-1].seq in resolves
    )
    if settling:
        # A rival that holds, or that settles an undecided pair, or a late report of an earlier
        # period: settling is for those with standing.
        if change.actor.role in workflow.dismiss_roles:
            if base.outcome is Outcome.EARLIER_PERIOD:
                intent = f"{rule.trigger} of an earlier period settling conflicts"
                return Attempt(change, intent, base.outcome, base.codes, base.target)
            return Attempt(
                change, f"rival {rule.trigger} settling conflicts", Outcome.TRANSITION, (), rule.target
            )
        return _rejected(change, f"rival {rule.trigger} settling without standing", Code.ROLE_NOT_PERMITTED)
    return _rejected(change, f"conflicting {rule.trigger} resolving others", Code.RESOLVES_NOT_ALLOWED)


_RIVAL_CODES = frozenset({Code.RIVAL_REPORT, Code.OUTWEIGHED})


_DismissalFault = Callable[[st.DrawFn, Workflow, Case, Change], Attempt]


def _dismissal_fault(fault: _DismissalFault) -> _Plan:
    def plan(draw: st.DrawFn, workflow: Workflow, case: Case) -> Attempt:
        return fault(draw, workflow, case, _dismissal(draw, case, roles=workflow.roles))

    return plan


def _dismiss_without_reason(draw: st.DrawFn, workflow: Workflow, case: Case, base: Change) -> Attempt:
    del workflow, case
    change = attrs.evolve(base, reason=draw(st.sampled_from([None, " "])))
    return Attempt(change, "dismissal without a reason", Outcome.REJECTED, (Code.REASON_REQUIRED,))


def _dismiss_without_resolves(draw: st.DrawFn, workflow: Workflow, case: Case, base: Change) -> Attempt:
    del draw, workflow, case
    change = attrs.evolve(base, resolves=())
    return Attempt(change, "dismissal naming no conflict", Outcome.REJECTED, (Code.RESOLVES_REQUIRED,))


def _dismiss_by_wrong_role(draw: st.DrawFn, workflow: Workflow, case: Case, base: Change) -> Attempt:
    role = draw(st.sampled_from(sorted(workflow.roles - workflow.dismiss_roles)))
    change = attrs.evolve(base, actor=Actor(_outsider_id(case), role))
    return Attempt(change, f"dismissal by role {role!r}", Outcome.REJECTED, (Code.ROLE_NOT_PERMITTED,))
