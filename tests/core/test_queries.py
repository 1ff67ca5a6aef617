"""What a case answers: now, as of either clock, time in status, conflicts and corroborations."""

from datetime import UTC, datetime, timedelta

import pytest

import casestate as cs
from support import WORKFLOW, case_in, change, day, opened


def story():
    """Reported captured (day 10), then dead (day 30, learned on day 60), then confirmed (day 90)."""
    case = opened()
    case = WORKFLOW.apply(case, change("report_captured", "family", "video", on=10, recorded=12))
    case = WORKFLOW.apply(case, change("report_dead", "unit", "unit_notification", on=30, recorded=60))
    return WORKFLOW.apply(case, change("confirm", "forensic_lab", "dna_match", on=90))


def test_as_of_recorded_answers_what_we_knew_then():
    case = story()
    assert case.as_of_recorded(day(0.5)) is None  # the case was opened on day 1
    assert case.as_of_recorded(day(5)).status == "missing"
    assert case.as_of_recorded(day(40)).status == "captured"
    knew = case.as_of_recorded(day(70))
    assert (knew.status, knew.since, knew.seq) == ("dead", day(30), 2)
    assert case.as_of_recorded(day(100)).status == "confirmed"


def test_as_of_effective_answers_what_was_true_then_as_we_know_it_now():
    case = story()
    assert case.as_of_effective(day(-1)) is None  # before he went missing
    assert case.as_of_effective(day(0)).status == "missing"
    assert case.as_of_effective(day(20)).status == "captured"
    # On day 40 we did not yet know it, but he had died on day 30.
    assert case.as_of_effective(day(40)).status == "dead"
    assert case.as_of_recorded(day(40)).status == "captured"
    assert case.as_of_effective(day(90)).assurance is cs.Assurance.IDENTIFIED


def test_known_at_is_the_whole_case_as_it_stood():
    case = story()
    then = case.known_at(day(40))
    assert then == cs.replay(case.trail[:2])
    assert case.known_at(day(0)) is None
    assert case.known_at(day(1000)) == case


def test_queries_refuse_naive_times():
    with pytest.raises(ValueError, match="timezone-aware"):
        story().as_of_recorded(datetime(2024, 5, 1))  # noqa: DTZ001 - the naive time is the point


def test_time_in_status_counts_from_when_the_status_took_effect():
    case = case_in("dead")
    assert case.time_in_status(day(10) + timedelta(days=180)) == timedelta(days=180)
    assert opened().time_in_status(datetime(2024, 8, 18, 6, 30, tzinfo=UTC)).days == 180


def test_a_late_report_that_the_current_one_could_have_followed_tells_an_earlier_period():
    # Dead on day 20 (a unit's notice); wounded on day 15, says a witness, learned on day 40: the
    # death may have followed the wound, so the case was wounded from day 15 and dead from day 20.
    case = WORKFLOW.apply(opened(), change("report_dead", "unit", "unit_notification", on=20))
    late = change("report_wounded", "family", "witness_statement", on=15, recorded=40)
    verdict = WORKFLOW.check(case, late)
    assert (verdict.outcome, verdict.codes, verdict.target) == (cs.Outcome.EARLIER_PERIOD, (), "dead")
    after = WORKFLOW.apply(case, late)
    assert (after.status, after.status_since, after.open_conflicts) == ("dead", day(20), ())
    assert [(period.status, period.since) for period in after.periods] == [
        ("missing", day(0)),
        ("wounded", day(15)),
        ("dead", day(20)),
    ]
    assert after.trail[-1].kind is cs.EntryKind.EARLIER_PERIOD
    assert after.as_of_effective(day(17)).status == "wounded"  # type: ignore[union-attr]


def test_a_report_about_a_time_before_the_period_before_the_current_one_tells_its_period_there():
    # Captured on day 10, dead on day 20; wounded on day 5, says a witness late: the capture may have
    # followed the wound, so the case was wounded from day 5, captured from day 10, dead from day 20.
    case = WORKFLOW.apply(opened(), change("report_captured", "family", "video", on=10))
    case = WORKFLOW.apply(case, change("report_dead", "unit", "unit_notification", on=20))
    late = change("report_wounded", "family", "witness_statement", on=5, recorded=40)
    verdict = WORKFLOW.check(case, late)
    assert (verdict.outcome, verdict.codes, verdict.target) == (cs.Outcome.EARLIER_PERIOD, (), "dead")
    after = WORKFLOW.apply(case, late)
    assert (after.status, after.status_since, after.open_conflicts) == ("dead", day(20), ())
    assert [(period.status, period.since) for period in after.periods] == [
        ("missing", day(0)),
        ("wounded", day(5)),
        ("captured", day(10)),
        ("dead", day(20)),
    ]
    assert after.as_of_effective(day(7)).status == "wounded"  # type: ignore[union-attr]


def test_a_report_about_a_time_before_the_current_status_that_it_could_not_precede_is_its_rival():
    # Captured on day 20 (a family's video); killed on day 15 (a unit's notice): the capture could
    # not have followed the death, and the evidence is as strong. Neither holds.
    case = WORKFLOW.apply(opened(), change("report_captured", "family", "video", on=20))
    late = change("report_dead", "unit", "unit_notification", on=15, recorded=40)
    verdict = WORKFLOW.check(case, late)
    assert (verdict.outcome, verdict.codes) == (cs.Outcome.CONFLICT, (cs.Code.RIVAL_REPORT,))
    after = WORKFLOW.apply(case, late)
    assert (after.status, after.open_conflicts, after.trail[-1].displaces) == ("missing", (1, 2), 1)


def test_an_authority_act_dated_before_the_current_status_is_rejected():
    case = case_in("dead")
    verdict = WORKFLOW.check(case, change("confirm", "icrc", "icrc_confirmation", on=5, recorded=40))
    assert (verdict.outcome, verdict.codes) == (cs.Outcome.REJECTED, (cs.Code.EARLIER_THAN_CURRENT,))


def test_a_report_agreeing_with_the_case_corroborates_and_may_raise_assurance():
    case = case_in("captured")
    stronger = change("report_captured", "icrc", "capture_card", on=15)
    verdict = WORKFLOW.check(case, stronger)
    assert verdict.outcome is cs.Outcome.CORROBORATION
    after = WORKFLOW.apply(case, stronger)
    assert (after.status, after.status_since, after.assurance) == (
        "captured",
        case.status_since,
        cs.Assurance.DOCUMENTED,
    )
    weaker = WORKFLOW.apply(after, change("report_captured", "family", "photo", on=16))
    assert weaker.assurance is cs.Assurance.DOCUMENTED
    assert weaker.trail[-1].kind is cs.EntryKind.CORROBORATION
    assert cs.replay(weaker.trail) == weaker
    # Even a late corroboration is no conflict: it agrees with the case.
    assert WORKFLOW.check(weaker, change("report_captured", "ngo", "video", on=2, recorded=20)).ok


def test_conflicts_are_resolved_by_a_normal_transition_naming_them():
    case = case_in("confirmed")
    case = WORKFLOW.apply(case, change("report_captured", "family", "video", on=50))
    assert case.open_conflicts == (3,)
    reopen = change("reopen", "ministry", "dna_match", on=60, reason="DNA excluded", resolves=(3,))
    case = WORKFLOW.apply(case, reopen)
    assert (case.status, case.has_conflict) == ("missing", False)


@pytest.mark.parametrize(
    ("step", "codes"),
    [
        (change("dismiss", "ngo", on=51, resolves=(3,)), (cs.Code.REASON_REQUIRED,)),
        (change("dismiss", "ngo", on=51, reason="no"), (cs.Code.RESOLVES_REQUIRED,)),
        (change("dismiss", "family", on=51, reason="no", resolves=(3,)), (cs.Code.ROLE_NOT_PERMITTED,)),
        (change("dismiss", "ngo", on=51, reason="no", resolves=(1,)), (cs.Code.UNKNOWN_CONFLICT,)),
        (
            change("report_wounded", "family", "video", on=51, resolves=(3,)),
            (cs.Code.ROLE_NOT_PERMITTED, cs.Code.RESOLVES_NOT_ALLOWED, cs.Code.ILLEGAL_TRANSITION),
        ),
    ],
)
def test_dismissals_and_resolutions_are_guarded(step, codes):
    case = WORKFLOW.apply(case_in("confirmed"), change("report_captured", "family", "video", on=50))
    assert WORKFLOW.check(case, step).codes == codes


def test_a_rejected_change_leaves_the_case_as_it_was():
    case = case_in("dead")
    with pytest.raises(cs.Rejected):
        WORKFLOW.apply(case, change("confirm", "family", on=40))
    assert case == case_in("dead")
    assert case.version == 2
