"""The one decision: check, apply and Batch answer alike, from the compiled table alone."""

from datetime import UTC, datetime

import attrs
from hypothesis import given
from hypothesis import strategies as st

import casestate as cs
from casestate.testing import attempts, cases, workflows
from support import WORKFLOW, case_in, change, opened
from workflows import DEFAULT, STRICT, WITH_RELEASED

T0 = datetime(2024, 2, 20, 6, 30, tzinfo=UTC)


@st.composite
def cases_and_attempts(draw, workflow_strategy):
    workflow = draw(workflow_strategy)
    case = draw(cases(workflow, max_changes=6))
    return workflow, case, draw(attempts(workflow, case))


@given(cases_and_attempts(st.sampled_from([DEFAULT, STRICT, WITH_RELEASED]) | workflows()), st.booleans())
def test_check_apply_and_a_batch_give_one_verdict_and_one_standing(drawn, with_now):
    workflow, case, attempt = drawn
    change = attempt.change
    now = change.recorded_at if with_now else None
    verdict = workflow.check(case, change, now=now)
    assert workflow.check(case.standing, change, now=now) == verdict
    batch = cs.Batch(workflow, load=lambda _: case, now=now)
    assert batch.check(case.id, change) == verdict
    if verdict.ok:
        applied = workflow.apply(case, change, key=cs.testing.TEST_KEY if case.keyed else None, now=now)
        assert (applied.status, applied.fate) == (verdict.target, verdict.fate)
        assert (
            batch.standing(case.id) == applied.standing == cs.replay(applied.trail, key=_key(case)).standing
        )
    else:
        assert batch.standing(case.id) == case.standing


def _key(case):
    return cs.testing.TEST_KEY if case.keyed else None


def _captured_report(actor, kind):
    evidence = cs.Evidence(kind, f"{kind} 7", "source", T0)
    return cs.Change(
        trigger="report_captured", actor=actor, evidence=[evidence], effective_at=T0, recorded_at=T0
    )


def test_a_report_of_what_the_case_holds_corroborates_it():
    ngo, icrc = cs.Actor("ngo-1", "ngo"), cs.Actor("icrc-1", "icrc")
    case = DEFAULT.open("ua-1", actor=ngo, effective_at=T0, recorded_at=T0)
    case = DEFAULT.apply(case, _captured_report(icrc, "exchange_list"))
    again = DEFAULT.check(case, _captured_report(icrc, "exchange_list"))
    assert (again.outcome, again.target, again.reasons) == (cs.Outcome.CORROBORATION, "captured", ())
    refused = cs.Change(trigger="report_captured", actor=ngo, effective_at=T0, recorded_at=T0)
    assert DEFAULT.check(case, refused).codes == (cs.Code.EVIDENCE_REQUIRED,)


def test_the_reporter_may_retract_only_in_a_role_the_workflow_knows():
    ngo, journalist = cs.Actor("anna", "ngo"), cs.Actor("anna", "journalist")
    case = DEFAULT.open("ua-2", actor=ngo, effective_at=T0, recorded_at=T0)
    case = DEFAULT.apply(case, _captured_report(ngo, "video"))
    retraction = cs.Change(
        trigger="retract", actor=journalist, reason="mine", effective_at=T0, recorded_at=T0
    )
    assert DEFAULT.check(case, retraction).codes == (cs.Code.UNKNOWN_ROLE,)
    assert DEFAULT.check(case, attrs.evolve(retraction, actor=ngo)).ok


def test_a_refusal_names_every_reason_in_the_order_of_the_rules():
    family = cs.Actor("olena", "family")
    case = DEFAULT.open("ua-3", actor=family, effective_at=T0, recorded_at=T0)
    video = cs.Evidence("video", "v", "s", T0)
    too_early = cs.Change(
        trigger="repatriate",
        actor=family,
        evidence=[video],
        resolves=(7,),
        effective_at=datetime(2024, 1, 1, tzinfo=UTC),
        recorded_at=datetime(2024, 1, 2, tzinfo=UTC),
    )
    assert [str(code) for code in DEFAULT.check(case, too_early).codes] == [
        "role_not_permitted",
        "evidence_insufficient",
        "time_goes_backwards",
        "evidence_after_recorded",
        "role_not_permitted",
        "unknown_conflict",
        "illegal_transition",
        "earlier_than_current",
    ]


def test_an_unknown_trigger_is_named_with_every_known_one():
    family = cs.Actor("olena", "family")
    case = DEFAULT.open("ua-4", actor=family, effective_at=T0, recorded_at=T0)
    unknown = cs.Change(trigger="vanish", actor=family, effective_at=T0, recorded_at=T0)
    (reason,) = DEFAULT.check(case, unknown).reasons
    assert reason.code is cs.Code.UNKNOWN_TRIGGER
    assert reason.message == f"unknown trigger 'vanish'; known: {', '.join(DEFAULT.triggers)}"


def test_the_reasons_a_user_reads_name_the_roles_allowed_and_the_fate_the_evidence_speaks_for():
    conflicted = WORKFLOW.apply(case_in("confirmed"), change("report_captured", "family", "video", on=50))
    dismissal = WORKFLOW.check(
        conflicted, change("dismiss", "family", on=51, reason="not him", resolves=(3,))
    )
    assert [reason.message for reason in dismissal.reasons] == [
        "role 'family' may not dismiss conflicts; allowed: court, forensic_lab, icrc, ministry, ngo"
    ]
    certified = WORKFLOW.check(opened(), change("report_captured", "family", "death_certificate", on=5))
    assert [reason.message for reason in certified.reasons] == [
        "death_certificate speaks for fate 'dead', but report_captured would give fate 'alive'"
    ]
    weak = WORKFLOW.check(opened(), change("declare_dead", "court", "video", "photo", on=300))
    assert [reason.message for reason in weak.reasons] == [
        "declare_dead needs evidence of kind court_decision; given: video (tier 4), photo (tier 4)"
    ]
    resolving = WORKFLOW.check(conflicted, change("report_captured", "family", "video", on=52, resolves=(3,)))
    assert [reason.message for reason in resolving.reasons] == [
        "role 'family' may not resolve conflicts; allowed: court, forensic_lab, icrc, ministry, ngo",
        "a report kept as a conflict cannot resolve other conflicts",
        "report_captured does not lead anywhere from 'confirmed'; it may be fired from: missing, wounded",
    ]
    stale = WORKFLOW.check(conflicted, change("dismiss", "icrc", on=51, reason="not him", resolves=(7,)))
    assert [reason.message for reason in stale.reasons] == [
        "entries [7] are not open conflicts of the case (open: [3])"
    ]
    # About the day before he went missing: a wound then contradicts the case itself.
    backwards = WORKFLOW.check(case_in("captured"), change("report_wounded", "family", "video", on=-1))
    day_0, day_10 = "2024-02-19T06:30:00.000000Z", "2024-03-01T06:30:00.000000Z"
    assert [reason.message for reason in backwards.reasons] == [
        f"recorded at {day_0}, before the case's last entry ({day_10}); the trail only grows forward",
        f"effective at {day_0}, before the current status 'captured' took effect ({day_10})",
    ]
    unbacked = WORKFLOW.check(opened(), change("report_captured", "family", on=5))
    assert [reason.message for reason in unbacked.reasons] == ["report_captured needs evidence of any tier"]
    retracted = WORKFLOW.check(case_in("captured"), change("retract", "unit", on=20, reason="not him"))
    allowed = "court, forensic_lab, icrc, ministry, or the actor whose report entered the current status"
    assert [reason.message for reason in retracted.reasons] == [
        f"role 'unit' may not retract; allowed: {allowed}"
    ]


def test_a_change_refused_for_several_reasons_is_told_every_one_in_order():
    # A unit may not retract, and a retraction needs a reason: the form must show both at once.
    retraction = WORKFLOW.check(case_in("captured"), change("retract", "unit", on=20))
    assert retraction.codes == (cs.Code.ROLE_NOT_PERMITTED, cs.Code.REASON_REQUIRED)
    conflicted = WORKFLOW.apply(case_in("confirmed"), change("report_captured", "family", "video", on=50))
    dismissal = WORKFLOW.check(conflicted, change("dismiss", "family", on=51))
    assert dismissal.codes == (cs.Code.ROLE_NOT_PERMITTED, cs.Code.REASON_REQUIRED, cs.Code.RESOLVES_REQUIRED)
    stranger = WORKFLOW.check(case_in("captured"), change("retract", "smuggler", on=20))
    assert stranger.codes == (cs.Code.REASON_REQUIRED, cs.Code.UNKNOWN_ROLE)
    # Weak evidence, and too early: the court's form must say both.
    early = WORKFLOW.check(opened(), change("declare_dead", "court", "video", on=5))
    assert [reason.message for reason in early.reasons] == [
        "declare_dead needs evidence of kind court_decision; given: video (tier 4)",
        "declare_dead needs 183 days in 'missing'; the case has been there 5 days",
    ]
