"""Every row of the default transition table: allowed with the right role and
evidence, refused with the right code otherwise."""

import pytest

from casestate import Actor, Code, Fate, Outcome, Rejected, Role, Tier, Whereabouts
from support import WORKFLOW, actor, case_in, change

# trigger -> (a role that may fire it, evidence that is enough, needs a reason)
RIGHT_WAY = {
    "report_captured": (Role.FAMILY, ("video",), False),
    "report_wounded": (Role.NGO, ("photo",), False),
    "report_dead": (Role.UNIT, ("unit_notification",), False),
    "report_remains_held": (Role.ICRC, ("photo",), False),
    "confirm": (Role.ICRC, ("icrc_confirmation",), False),
    "declare_dead": (Role.COURT, ("court_decision",), False),
    "repatriate": (Role.MINISTRY, ("exchange_list",), False),
    "retract": (Role.MINISTRY, (), True),
    "reopen": (Role.MINISTRY, ("dna_match",), True),
    "report_missing": (Role.MINISTRY, ("unit_notification",), False),
    "notify_death": (Role.ICRC, ("information_bureau_notice",), False),
    "recognise_missing": (Role.COURT, ("court_decision",), False),
}

ROWS = [(rule.trigger, source) for rule in WORKFLOW.rules for source in sorted(rule.sources)]

AGREEING = {("report_missing", "missing")}
"""Rows whose report always agrees with a case in its source: a corroboration, never a move."""

MOVES = [row for row in ROWS if row not in AGREEING]


def rows_where(condition):
    return [(trigger, source) for trigger, source in ROWS if condition(WORKFLOW.rule(trigger))]


STATUSES = [status.name for status in WORKFLOW.statuses]


# What to bring when the case's fate decides the evidence (remains are handed over, the living exchanged).
FOR_THE_DEAD = {"repatriate": ("handover_record",)}


def right_change(trigger: str, on: float = 400, case=None, **overrides):
    role, kinds, needs_reason = RIGHT_WAY[trigger]
    if case is not None and case.fate is Fate.DEAD:
        kinds = FOR_THE_DEAD.get(trigger, kinds)
    options = {"reason": "checked with the family" if needs_reason else None}
    options.update(overrides)
    return change(trigger, overrides.pop("by", role), *kinds, on=on, reason=options["reason"])


def test_table_covers_every_rule():
    assert set(RIGHT_WAY) == {rule.trigger for rule in WORKFLOW.rules}


def case_for(trigger: str, source: str):
    """A case in *source* that *trigger* moves on (a death notified agrees with a confirmed death)."""
    if (trigger, source) == ("notify_death", "confirmed"):
        prisoner = case_in("captured")
        return WORKFLOW.apply(prisoner, change("confirm", Role.ICRC, "capture_card", on=20))
    return case_in(source)


def agrees(rule, case) -> bool:
    """Whether a report of *rule* agrees with *case*: on its status or carried fate, and its whereabouts."""
    claimed = rule.fate or WORKFLOW.status(rule.target).fate
    said = rule.whereabouts or WORKFLOW.status(rule.target).gives_whereabouts
    keeps_fate = WORKFLOW.status(case.status).fate is None
    same = rule.target == case.status or (keeps_fate and claimed is case.fate)
    unknown = Whereabouts.UNKNOWN
    return rule.report and same and (said in (None, unknown, case.whereabouts) or case.whereabouts is unknown)


@pytest.mark.parametrize(("trigger", "source"), MOVES)
def test_allowed_with_right_role_and_evidence(trigger, source):
    case = case_for(trigger, source)
    after = WORKFLOW.apply(case, right_change(trigger, case=case))
    rule = WORKFLOW.rule(trigger)
    assert after.status == rule.target
    assert after.version == case.version + 1
    assert after.trail[-1].from_status == source
    moves = Outcome.FACT if rule.fact else Outcome.TRANSITION
    assert WORKFLOW.check(case, right_change(trigger, case=case)).outcome is moves


@pytest.mark.parametrize(("trigger", "source"), rows_where(lambda rule: rule.roles != WORKFLOW.roles))
def test_refused_without_a_permitted_role(trigger, source):
    outsiders = sorted(set(WORKFLOW.roles) - WORKFLOW.rule(trigger).roles)
    case = case_in(source)
    kinds = right_change(trigger, case=case).evidence
    needs_reason = RIGHT_WAY[trigger][2]
    kinds = tuple(str(item.kind) for item in kinds)
    # A family member other than the one who reported, so retract's reporter rule does not apply.
    wrong = change(
        trigger, actor(outsiders[0], 2), *kinds, on=400, reason="because" if needs_reason else None
    )
    case = case_in(source)
    with pytest.raises(Rejected) as caught:
        WORKFLOW.apply(case, wrong)
    assert caught.value.codes == (Code.ROLE_NOT_PERMITTED,)


@pytest.mark.parametrize(("trigger", "source"), sorted(AGREEING))
def test_a_report_that_agrees_corroborates_where_its_rule_is_legal(trigger, source):
    case = case_in(source)
    assert agrees(WORKFLOW.rule(trigger), case)
    after = WORKFLOW.apply(case, right_change(trigger, case=case))
    assert after.trail[-1].kind == "corroboration"
    assert (after.status, after.status_since) == (case.status, case.status_since)


@pytest.mark.parametrize(("trigger", "source"), rows_where(lambda rule: rule.evidence is not None))
def test_refused_without_evidence(trigger, source):
    role, _, needs_reason = RIGHT_WAY[trigger]
    bare = change(trigger, role, on=400, reason="because" if needs_reason else None)
    assert WORKFLOW.check(case_in(source), bare).codes == (Code.EVIDENCE_REQUIRED,)


@pytest.mark.parametrize(
    ("trigger", "source"),
    rows_where(lambda rule: rule.evidence is not None and rule.evidence.max_tier < Tier.UNVERIFIED),
)
def test_refused_with_evidence_too_weak(trigger, source):
    role, _, needs_reason = RIGHT_WAY[trigger]
    weak = change(trigger, role, "video", "witness_statement", on=400, reason="x" if needs_reason else None)
    assert WORKFLOW.check(case_in(source), weak).codes == (Code.EVIDENCE_INSUFFICIENT,)


@pytest.mark.parametrize(("trigger", "source"), rows_where(lambda rule: rule.reason_required))
def test_refused_without_a_reason_where_one_is_required(trigger, source):
    role, kinds, _ = RIGHT_WAY[trigger]
    assert WORKFLOW.check(case_in(source), change(trigger, role, *kinds, on=400)).codes == (
        Code.REASON_REQUIRED,
    )


ILLEGAL = [
    (rule.trigger, status) for rule in WORKFLOW.rules for status in STATUSES if status not in rule.sources
]


@pytest.mark.parametrize(("trigger", "status"), ILLEGAL)
def test_from_any_other_status(trigger, status):
    case = case_in(status)
    rule = WORKFLOW.rule(trigger)
    verdict = WORKFLOW.check(case, right_change(trigger))
    if agrees(rule, case):
        assert verdict.outcome is Outcome.CORROBORATION
    elif rule.report and _rivals(rule, case):
        # It could have moved the case from the status before, in place of the report that
        # began this one, which it could not have followed: the two are weighed by evidence.
        after = WORKFLOW.apply(case, right_change(trigger))
        assert after.trail[-1].displaces == case.status_entry.seq or verdict.codes == (Code.OUTWEIGHED,)
        assert verdict.codes in ((), (Code.RIVAL_REPORT,), (Code.OUTWEIGHED,))
    elif rule.report:
        assert verdict.outcome is Outcome.CONFLICT
        assert verdict.codes == (Code.ILLEGAL_TRANSITION,)
        after = WORKFLOW.apply(case, right_change(trigger))
        assert (after.status, after.fate) == (case.status, case.fate)
        assert after.open_conflicts == (case.version,)
    else:
        assert verdict.outcome is Outcome.REJECTED
        assert verdict.codes == (Code.ILLEGAL_TRANSITION,)


def _rivals(rule, case):
    """Whether a report of *rule* is legal from the period before the current one, which a report began."""
    began = case.status_entry
    if len(case.periods) < 2 or began.reverts_to is not None or not WORKFLOW.rule(began.trigger).report:
        return False
    return case.periods[-2].status in rule.sources and rule.target != case.periods[-2].status


def test_confirm_keeps_the_fate_it_confirms():
    assert WORKFLOW.apply(case_in("captured"), right_change("confirm")).fate is Fate.ALIVE
    assert WORKFLOW.apply(case_in("wounded"), right_change("confirm")).fate is Fate.ALIVE
    assert WORKFLOW.apply(case_in("dead"), right_change("confirm")).fate is Fate.DEAD


def test_repatriation_keeps_the_fate_it_returns():
    confirmed_dead = case_in("confirmed")
    remains = change("repatriate", Role.ICRC, "handover_record", on=400)
    assert WORKFLOW.apply(confirmed_dead, remains).fate is Fate.DEAD
    assert WORKFLOW.apply(case_in("captured"), right_change("repatriate")).fate is Fate.ALIVE


def test_retract_and_reopen_make_the_fate_unknown_again():
    assert WORKFLOW.apply(case_in("dead"), right_change("retract")).fate is Fate.UNKNOWN
    assert WORKFLOW.apply(case_in("confirmed"), right_change("reopen")).fate is Fate.UNKNOWN


def test_the_reporter_may_retract_their_own_report():
    case = case_in("captured")  # reported by family-1
    own = change("retract", actor(Role.FAMILY, 1), on=30, reason="it was not him on the video")
    assert WORKFLOW.apply(case, own).status == "missing"
    other = change("retract", actor(Role.FAMILY, 2), on=30, reason="not him")
    assert WORKFLOW.check(case, other).codes == (Code.ROLE_NOT_PERMITTED,)


def test_declaring_dead_waits_for_the_legal_period():
    early = change("declare_dead", Role.COURT, "court_decision", on=100)
    verdict = WORKFLOW.check(case_in("missing"), early)
    assert verdict.codes == (Code.WAITING_PERIOD_NOT_ELAPSED,)
    assert "183 days" in verdict.reasons[0].message


def test_declaring_dead_needs_a_court_decision_not_just_any_document():
    wrong_paper = change("declare_dead", Role.COURT, "death_certificate", on=400)
    assert WORKFLOW.check(case_in("missing"), wrong_paper).codes == (Code.EVIDENCE_INSUFFICIENT,)


def test_every_reason_is_listed_at_once():
    case = case_in("dead")
    bad = change("confirm", Role.FAMILY, "video", on=5, recorded=0.5)
    assert set(WORKFLOW.check(case, bad).codes) == {
        Code.ROLE_NOT_PERMITTED,
        Code.EVIDENCE_INSUFFICIENT,
        Code.TIME_GOES_BACKWARDS,
        Code.EFFECTIVE_AFTER_RECORDED,
        Code.EVIDENCE_AFTER_RECORDED,
        Code.EARLIER_THAN_CURRENT,
    }


@pytest.mark.parametrize("trigger", sorted(RIGHT_WAY))
def test_a_role_the_workflow_does_not_know_is_refused(trigger):
    _, kinds, needs_reason = RIGHT_WAY[trigger]
    stranger = change(trigger, Actor("x", "journalist"), *kinds, on=400, reason="r" if needs_reason else None)
    codes = WORKFLOW.check(case_in(min(WORKFLOW.rule(trigger).sources)), stranger).codes
    # Once, as unknown: not also as a known role the rule does not permit.
    assert Code.UNKNOWN_ROLE in codes
    assert Code.ROLE_NOT_PERMITTED not in codes


def test_an_unknown_trigger_is_refused_with_every_other_fault():
    verdict = WORKFLOW.check(case_in("missing"), change("promote", Role.FAMILY, on=5, recorded=0.5))
    assert verdict.codes == (Code.UNKNOWN_TRIGGER, Code.TIME_GOES_BACKWARDS, Code.EFFECTIVE_AFTER_RECORDED)
    assert "report_captured" in verdict.reasons[0].message
