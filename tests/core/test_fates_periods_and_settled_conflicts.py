"""Rules sharpened after review: fates the evidence must not contradict, voided periods,
who may settle conflicts, and trails that must not lose or shift anything silently."""

import json
from datetime import timedelta, timezone

import attrs
import pytest

import casestate as cs
from support import WORKFLOW, actor, case_in, change, day, opened


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("captured", change("confirm", "ministry", "death_certificate", on=40)),
        ("dead", change("confirm", "icrc", "capture_card", on=40)),
        ("captured", change("repatriate", "icrc", "handover_record", on=40)),
        ("confirmed", change("repatriate", "icrc", "exchange_list", on=40)),
        ("missing", change("report_captured", "family", "video", "grave_list", on=40)),
    ],
)
def test_evidence_that_speaks_for_the_other_fate_is_refused(status, step):
    verdict = WORKFLOW.check(case_in(status), step)
    assert verdict.codes == (cs.Code.EVIDENCE_CONTRADICTS_FATE,)


def test_evidence_that_can_speak_for_either_fate_is_accepted():
    verdict = WORKFLOW.check(case_in("captured"), change("confirm", "icrc", "icrc_confirmation", on=40))
    assert (verdict.outcome, verdict.fate) == (cs.Outcome.TRANSITION, cs.Fate.ALIVE)


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("confirmed", change("report_dead", "unit", "unit_notification", on=40)),
        ("repatriated", change("report_wounded", "family", "photo", on=40)),
    ],
)
def test_a_report_agreeing_with_a_settled_fate_corroborates(status, step):
    assert WORKFLOW.check(case_in(status), step).outcome is cs.Outcome.CORROBORATION


def retracted():
    """Missing from day 0; a video says captured on day 10; retracted on day 30."""
    case = WORKFLOW.apply(opened(), change("report_captured", "family", "video", on=10))
    return WORKFLOW.apply(case, change("retract", "ministry", on=30, reason="not him on the video"))


def test_a_retraction_resumes_the_missing_period_from_its_start():
    case = retracted()
    assert (case.status, case.status_since, [period.seq for period in case.periods]) == (
        "missing",
        day(0),
        [0],
    )
    assert case.trail[-1].reverts_to == 0
    assert cs.replay(case.trail) == case


def test_after_a_retraction_a_late_report_of_an_earlier_death_is_legal():
    late = change("report_dead", "unit", "unit_notification", on=12, recorded=40)
    assert WORKFLOW.check(retracted(), late).outcome is cs.Outcome.TRANSITION


def test_after_a_retraction_the_waiting_period_counts_from_the_disappearance():
    declare = change("declare_dead", "court", "court_decision", on=190)
    assert WORKFLOW.check(retracted(), declare).ok


def test_what_was_true_then_ignores_voided_periods():
    case = retracted()
    assert case.as_of_effective(day(20)).status == "missing"
    assert case.as_of_effective(day(20)).since == day(0)
    assert case.as_of_recorded(day(20)).status == "captured"  # what we believed then


def test_a_reopened_finding_is_void_in_hindsight():
    case = WORKFLOW.apply(
        case_in("confirmed"), change("reopen", "ministry", "dna_match", on=60, reason="DNA exclusion")
    )
    assert (case.status, case.fate, case.status_since) == ("missing", cs.Fate.UNKNOWN, day(0))
    assert case.as_of_effective(day(40)).status == "missing"
    assert case.as_of_recorded(day(40)).status == "confirmed"


def test_settling_conflicts_takes_the_standing_to_dismiss_them():
    case = WORKFLOW.apply(case_in("confirmed"), change("report_captured", "family", "video", on=50))
    agreeing = change("report_dead", "family", "photo", on=51, resolves=(3,))
    assert WORKFLOW.check(case, agreeing).codes == (cs.Code.ROLE_NOT_PERMITTED,)
    by_ngo = change("report_dead", "ngo", "grave_list", on=51, resolves=(3,))
    assert not WORKFLOW.apply(case, by_ngo).has_conflict


def test_assurance_then_comes_from_evidence_dated_up_to_then():
    case = case_in("captured")  # video, day 10
    case = WORKFLOW.apply(case, change("report_captured", "icrc", "capture_card", on=20))
    case = WORKFLOW.apply(case, change("report_captured", "family", "photo", on=5, recorded=25))
    assert case.as_of_effective(day(15)).assurance is cs.Assurance.REPORTED
    assert case.as_of_effective(day(21)).assurance is cs.Assurance.DOCUMENTED


def test_a_time_shifted_into_another_zone_is_caught():
    trail = list(case_in("captured").trail)
    shifted = trail[1].effective_at.replace(tzinfo=timezone(timedelta(hours=5)))
    trail[1] = attrs.evolve(trail[1], effective_at=shifted)
    result = cs.verify(trail)
    assert (result.position, result.problem) == (1, cs.Problem.MALFORMED)


def test_an_entry_with_a_plain_string_for_an_enum_is_reported_not_crashed():
    trail = list(case_in("captured").trail)
    trail[1] = attrs.evolve(trail[1], fate="dead")
    assert cs.verify(trail).problem is cs.Problem.MALFORMED


def test_personal_data_deleted_from_a_full_trail_is_a_break():
    data = cs.to_dict(case_in("repatriated"))
    del data["entries"][2]["private"]
    with pytest.raises(cs.BrokenTrail) as broken:
        cs.from_dict(data)
    assert (broken.value.integrity.position, broken.value.integrity.problem) == (2, cs.Problem.REDACTED)


def test_a_key_given_twice_in_one_object_is_refused():
    text = cs.to_json(case_in("captured"))
    doubled = text.replace('"to_status": "captured"', '"to_status": "repatriated", "to_status": "captured"')
    assert doubled != text
    with pytest.raises(cs.FormatError, match="'to_status' appears twice"):
        cs.from_json(doubled)
    json.loads(doubled)  # the plain parser would have taken it


@pytest.mark.parametrize(("field", "value"), [("status", "dead"), ("last_recorded_at", day(-1))])
def test_apply_refuses_a_case_whose_fields_were_edited(field, value):
    edited = attrs.evolve(case_in("captured"), **{field: value})
    with pytest.raises(ValueError, match="do not match its trail"):
        WORKFLOW.apply(edited, change("confirm", "forensic_lab", "dna_match", on=40))


def test_now_catches_a_mistyped_year():
    typo = change("report_captured", "family", "video", on=10, recorded=365 * 200)
    assert WORKFLOW.check(opened(), typo, now=day(20)).codes == (cs.Code.RECORDED_IN_FUTURE,)
    with pytest.raises(cs.Rejected):
        WORKFLOW.open("c-9", actor=actor("ngo"), effective_at=day(0), recorded_at=day(400), now=day(20))


def test_time_in_status_refuses_a_now_before_the_status():
    with pytest.raises(ValueError, match="before the status took effect"):
        case_in("dead").time_in_status(day(5))


def test_looking_up_an_unknown_trigger_does_not_call_the_workflow_invalid():
    with pytest.raises(cs.WorkflowError) as missing:
        WORKFLOW.rule("nope")
    assert str(missing.value).startswith("workflow 'default': unknown trigger 'nope'")
    assert WORKFLOW.get_rule("nope") is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"evidence": cs.EvidenceRule(max_tier=cs.Tier.IDENTIFICATION, kinds={"court_decision"})},
            "rule 'confirm' can never be satisfied",
        ),
        (
            {"fate": cs.Fate.DEAD, "target": "captured"},
            "rule 'confirm' gives fate 'dead', but status 'captured'",
        ),
    ],
)
def test_definitions_that_cannot_work_are_refused(changes, message):
    with pytest.raises(cs.WorkflowError, match=message):
        WORKFLOW.replace_rule("confirm", **changes)


def test_nobody_to_settle_conflicts_is_refused():
    with pytest.raises(cs.WorkflowError, match="dismiss_roles is empty"):
        WORKFLOW.extend(dismiss_roles=())


def test_a_waiting_period_must_be_a_timedelta():
    with pytest.raises(TypeError, match="waiting_period"):
        cs.Rule(trigger="x", sources={"missing"}, target="dead", roles={"court"}, waiting_period=365)


def test_a_corroboration_in_a_voided_period_corroborates_nothing():
    case = WORKFLOW.apply(opened(), change("report_captured", "family", "video", on=10))
    case = WORKFLOW.apply(case, change("report_captured", "icrc", "capture_card", on=1, recorded=12))
    case = WORKFLOW.apply(case, change("retract", "ministry", on=20, reason="not him"))
    assert case.as_of_effective(day(2)).assurance is cs.Assurance.REPORTED
    assert case.as_of_effective(day(2)).status == "missing"


def test_apply_refuses_a_case_whose_reporter_or_periods_were_made_up():
    case = WORKFLOW.apply(opened(), change("report_captured", "family", "video", on=10))
    forged = attrs.evolve(case, reporter_id="someone-else")
    assert forged == case  # who reported takes no part in equality: apply must look for itself
    withdrawal = change("retract", cs.Actor("someone-else", "family"), on=11, reason="mine")
    with pytest.raises(ValueError, match="do not match its trail"):
        WORKFLOW.apply(forged, withdrawal)
    made_up = cs.Snapshot("dead", cs.Fate.DEAD, cs.Assurance.IDENTIFIED, day(0), 0)
    with pytest.raises(ValueError, match="do not match its trail"):
        WORKFLOW.apply(attrs.evolve(case, periods=(made_up, *case.periods[1:])), withdrawal)


def test_apply_refuses_a_case_whose_backers_were_made_up():
    # The ministry's "still missing" backs the missing period; a move after it reads the backers
    # to contest them, so a case that dropped them, or named others, must not be decided on.
    case = WORKFLOW.apply(opened(), change("report_missing", "ministry", "missing_register", on=12))
    assert [backer.seq for backer in case.backers] == [1]
    death = change("report_dead", "unit", "unit_notification", on=10, recorded=13)
    for backers in ((), (case.trail[0],)):
        with pytest.raises(ValueError, match="do not match its trail"):
            WORKFLOW.apply(attrs.evolve(case, backers=backers), death)
