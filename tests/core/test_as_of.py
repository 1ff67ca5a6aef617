"""Regression cases the property tests found in the as-of queries."""

import attrs
import pytest

from casestate import Assurance, Batch, Code, Fate, Rule, Snapshot, WorkflowWarning
from support import T0, WORKFLOW, actor, case_in, change, day, evidence


def test_a_late_weak_report_does_not_borrow_a_stronger_one_that_takes_effect_later():
    # Captured on a video (day 10); a capture card effective on day 30 is
    # recorded first, then a video about day 20. On day 25 only videos stood.
    case = case_in("captured")
    case = WORKFLOW.apply(case, change("report_captured", "icrc", "capture_card", on=30))
    case = WORKFLOW.apply(case, change("report_captured", "family", "video", on=20, recorded=31))
    assert case.assurance is Assurance.DOCUMENTED
    assert case.as_of_effective(day(25)).assurance is Assurance.REPORTED
    assert case.as_of_effective(day(30)).assurance is Assurance.DOCUMENTED
    assert case.as_of_recorded(day(31)).assurance is Assurance.DOCUMENTED


def test_a_retraction_resumes_the_earlier_period_with_the_assurance_it_had():
    # An official notice documents him missing; a witness reports him
    # dead, and the ICRC retracts that with fingerprints that exclude the body.
    # He is missing again, as documented as before: the fingerprints show the
    # death report wrong, they do not identify where he is.
    case = WORKFLOW.open(
        "ua-1",
        actor=actor("unit"),
        evidence=[evidence("information_bureau_notice")],
        effective_at=T0,
        recorded_at=T0,
    )
    assert case.assurance is Assurance.DOCUMENTED
    case = WORKFLOW.apply(case, change("report_dead", "unit", "witness_statement", on=40))
    assert case.assurance is Assurance.REPORTED
    retraction = change("retract", "icrc", "fingerprints", on=50, reason="fingerprints exclude the body")
    dead = case
    batch = Batch(WORKFLOW, load=lambda _: dead)
    case = WORKFLOW.apply(dead, retraction)
    assert (case.status, case.status_since, case.assurance) == ("missing", T0, Assurance.DOCUMENTED)
    assert case.live_periods == (Snapshot("missing", case.fate, Assurance.DOCUMENTED, T0, 0),)
    now = case.as_of_effective(day(60))
    assert (now.status, now.since, now.assurance) == (case.status, case.status_since, case.assurance)
    assert batch.check(case.id, retraction).ok
    assert batch.status(case.id) == (case.status, case.fate, case.assurance)
    assert batch.standing(case.id).periods == case.live_periods


def test_withdrawing_a_report_resumes_the_fate_the_period_had():
    # Confirmed dead on DNA; a sighting moves the case to captured (alive);
    # withdrawing the sighting resumes "confirmed" as it stood: dead. A sighting
    # that settles "captured" on no evidence is a hazard the workflow warns of.
    with pytest.warns(WorkflowWarning, match="'sighted' establishes 'captured' on no evidence"):
        workflow = WORKFLOW.extend(
            rules=[
                Rule(trigger="sighted", sources={"confirmed"}, target="captured", roles={"icrc"}),
                Rule(
                    trigger="withdraw_sighting",
                    sources={"captured"},
                    target="confirmed",
                    roles={"icrc"},
                    reverts=True,
                ),
            ]
        )
    case = workflow.open("ua-3", actor=actor("unit"), effective_at=T0, recorded_at=T0)
    case = workflow.apply(case, change("report_dead", "unit", "witness_statement", on=10))
    case = workflow.apply(case, change("confirm", "forensic_lab", "dna_match", on=20))
    case = workflow.apply(case, change("sighted", "icrc", on=30))
    assert (case.status, case.fate) == ("captured", Fate.ALIVE)
    withdrawal = change("withdraw_sighting", "icrc", on=40)
    assert workflow.check(case, withdrawal).fate is Fate.DEAD
    batch = Batch(workflow, load=lambda _: case)
    assert batch.check(case.id, withdrawal).ok
    case = workflow.apply(case, withdrawal)
    assert (case.status, case.fate, case.assurance) == ("confirmed", Fate.DEAD, Assurance.IDENTIFIED)
    now = case.as_of_effective(day(50))
    assert (now.status, now.fate, now.assurance) == (case.status, case.fate, case.assurance)
    assert batch.standing(case.id) == case.standing
    alive = change("withdraw_sighting", "icrc", "prisoner_list", on=50)
    assert workflow.check(workflow.apply(case, change("sighted", "icrc", on=45)), alive).codes == (
        Code.EVIDENCE_CONTRADICTS_FATE,
    )


def test_a_corroboration_tells_no_place_that_a_later_dated_report_told_before_it_came():
    # Reported dead on day 10 (the remains' place unknown). The other side's grave list of day 30
    # arrives first, then a video of the death of day 10: on day 20 the remains' place was not
    # known yet, whichever came first; the video's entry records the place the case held.
    case = WORKFLOW.apply(case_in("missing"), change("report_dead", "unit", "unit_notification", on=10))
    remains = change("report_remains_held", actor("icrc", 2), "grave_list", on=30, recorded=31)
    video = change("report_dead", actor("family", 3), "video", on=10, recorded=32)
    for first, then in ((remains, video), (video, remains)):
        both = WORKFLOW.apply(WORKFLOW.apply(case, first), attrs.evolve(then, recorded_at=day(33)))
        assert both.as_of_effective(day(20)).whereabouts.value == "unknown"  # type: ignore[union-attr]
        assert both.as_of_effective(day(30)).whereabouts.value == "held"  # type: ignore[union-attr]
