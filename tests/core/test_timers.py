"""Legal timers run out on the status they belong to, and evidence can satisfy them."""

import warnings
from datetime import timedelta

import pytest

import casestate as cs
from casestate import Rule, StatusDef
from support import WORKFLOW, case_in, change, day, opened


def test_a_capture_card_is_overdue_a_week_after_capture():
    case = case_in("captured")  # captured on day 10, on a video
    assert cs.due(case, cs.GENEVA_CONVENTIONS, day(16)) == ()
    [flag] = cs.due(case, cs.GENEVA_CONVENTIONS, day(18))
    assert (flag.case_id, flag.timer.name, flag.due_at) == ("case-1", "capture_card_overdue", day(17))


def test_the_capture_card_itself_satisfies_the_timer():
    case = WORKFLOW.apply(case_in("captured"), change("report_captured", "icrc", "capture_card", on=15))
    assert cs.due(case, cs.GENEVA_CONVENTIONS, day(30)) == ()


def test_a_capture_card_that_comes_with_the_report_of_capture_satisfies_the_timer():
    # The ICRC reports the capture on the card itself: nothing is overdue, then or later.
    captured = WORKFLOW.apply(opened(), change("report_captured", "icrc", "capture_card", on=10))
    assert captured.status == "captured"
    assert cs.due(captured, cs.GENEVA_CONVENTIONS, day(300)) == ()
    # On a video instead, the card is due a week after the capture.
    filmed = WORKFLOW.apply(opened(), change("report_captured", "icrc", "video", on=10))
    assert [flag.due_at for flag in cs.due(filmed, cs.GENEVA_CONVENTIONS, day(300))] == [day(17)]


def test_a_conflicting_report_does_not_satisfy_a_timer():
    timer = cs.Timer(name="t", status="confirmed", after=timedelta(days=1), satisfied_by={"video"})
    case = WORKFLOW.apply(case_in("confirmed"), change("report_captured", "family", "video", on=50))
    assert case.has_conflict
    assert [flag.timer for flag in cs.due(case, [timer], day(60))] == [timer]


def test_timers_of_other_statuses_do_not_run():
    assert cs.due(case_in("dead"), cs.RUSSIA_120FZ + cs.UKRAINE + cs.RUSSIA_CIVIL_CODE, day(5000)) == ()


def test_missing_timers_count_from_the_disappearance_earliest_first():
    flags = cs.due(opened(), cs.RUSSIA_120FZ + cs.RUSSIA_CIVIL_CODE + cs.UKRAINE, day(400))
    assert [(flag.timer.name, (flag.due_at - day(0)).days) for flag in flags] == [
        ("court_may_shorten_to_declare_dead", 183),
        ("may_be_recognised_missing", 183),
        ("may_be_recognised_missing", 365),
    ]


def test_a_timer_since_a_fact_counts_from_the_latest_one_in_its_stretch():
    recognised = WORKFLOW.apply(opened(), change("recognise_missing", "court", "court_decision", on=200))
    [flag] = [flag for flag in cs.due(recognised, cs.RUSSIA_120FZ, day(400)) if flag.timer.since_fact]
    assert flag.due_at == day(292)
    assert cs.due(recognised, cs.RUSSIA_120FZ[1:], day(291)) == ()
    # Reported captured, and the report withdrawn: he was missing all along, and the recognition stands.
    captured = WORKFLOW.apply(recognised, change("report_captured", "family", "video", on=250))
    assert cs.due(captured, cs.RUSSIA_120FZ[1:], day(400)) == ()
    withdrawn = WORKFLOW.apply(captured, change("retract", "family", on=260, reason="not him"))
    assert [flag.due_at for flag in cs.due(withdrawn, cs.RUSSIA_120FZ[1:], day(400))] == [day(292)]


def test_a_fact_recorded_in_a_period_voided_since_counts_for_nothing():
    workflow = WORKFLOW.extend(
        name="with-a-fact-in-captivity",
        rules=[
            cs.Rule(
                trigger="acknowledge_detention",
                sources={"captured"},
                target="captured",
                roles={"icrc"},
                evidence=cs.EvidenceRule(max_tier=cs.Tier.OFFICIAL),
                fact=True,
            )
        ],
    )
    timer = cs.Timer(name="t", status="captured", since_fact="acknowledge_detention", after=timedelta(days=5))
    captured = workflow.apply(opened(), change("report_captured", "family", "video", on=10))
    acknowledged = workflow.apply(captured, change("acknowledge_detention", "icrc", "capture_card", on=12))
    assert [flag.due_at for flag in cs.due(acknowledged, [timer], day(30))] == [day(17)]
    # The capture report withdrawn, the period void; a new capture reported later has no acknowledgement.
    withdrawn = workflow.apply(acknowledged, change("retract", "ministry", on=20, reason="not him"))
    again = workflow.apply(withdrawn, change("report_captured", "family", "video", on=40))
    assert cs.due(again, [timer], day(100)) == ()


def test_a_timer_since_a_fact_counts_from_that_fact_not_from_another_one_recorded_later():
    workflow = WORKFLOW.extend(
        name="with-a-search-registered",
        rules=[
            cs.Rule(
                trigger="register_search",
                sources={"missing"},
                target="missing",
                roles={"ministry"},
                evidence=cs.EvidenceRule(max_tier=cs.Tier.OFFICIAL),
                fact=True,
            )
        ],
    )
    recognised = workflow.apply(opened(), change("recognise_missing", "court", "court_decision", on=200))
    searched = workflow.apply(recognised, change("register_search", "ministry", "missing_register", on=250))
    assert [flag.due_at for flag in cs.due(searched, cs.RUSSIA_120FZ[1:], day(400))] == [day(292)]


@pytest.mark.parametrize("after", [timedelta(0), 7])
def test_a_timer_needs_a_positive_period(after):
    with pytest.raises(ValueError, match="positive timedelta"):
        cs.Timer(name="t", status="missing", after=after)


def test_timers_take_no_naive_now():
    with pytest.raises(ValueError, match=r"^now must be timezone-aware"):
        cs.due(opened(), cs.UKRAINE, day(0).replace(tzinfo=None))


def test_a_capture_card_stays_due_while_he_is_held_whatever_else_is_reported():
    # Captured on day 10; reported wounded in captivity on day 12: still held, the card still due.
    case = WORKFLOW.apply(case_in("captured"), change("report_wounded", "family", "medical_record", on=12))
    assert (case.status, case.whereabouts) == ("wounded", cs.Whereabouts.HELD)
    [flag] = cs.due(case, cs.GENEVA_CONVENTIONS, day(18))
    assert flag.due_at == day(17)
    # Confirmed a prisoner on another document: the card is due still, counted from the capture.
    confirmed = WORKFLOW.apply(case, change("confirm", "icrc", "prisoner_list", on=20))
    assert [flag.due_at for flag in cs.due(confirmed, cs.GENEVA_CONVENTIONS, day(30))] == [day(17)]
    # The card, when it comes, satisfies it; a return home ends the duty.
    carded = WORKFLOW.apply(confirmed, change("report_captured", "icrc", "capture_card", on=25))
    assert cs.due(carded, cs.GENEVA_CONVENTIONS, day(30)) == ()
    home = WORKFLOW.apply(confirmed, change("repatriate", "ministry", "exchange_list", on=40))
    assert cs.due(home, cs.GENEVA_CONVENTIONS, day(50)) == ()


def test_no_capture_card_is_due_for_remains_or_for_a_man_at_large():
    wounded_at_large = case_in("wounded")
    assert wounded_at_large.whereabouts is cs.Whereabouts.UNKNOWN
    assert cs.due(wounded_at_large, cs.GENEVA_CONVENTIONS, day(100)) == ()
    captured = WORKFLOW.apply(case_in("captured"), change("report_captured", "icrc", "capture_card", on=12))
    died = WORKFLOW.apply(captured, change("notify_death", "icrc", "information_bureau_notice", on=30))
    assert (died.fate, died.whereabouts) == (cs.Fate.DEAD, cs.Whereabouts.HELD)
    assert cs.due(died, cs.GENEVA_CONVENTIONS, day(100)) == ()


def test_a_timer_names_where_it_runs():
    with pytest.raises(ValueError, match="names no status, fate or whereabouts"):
        cs.Timer(name="t", after=timedelta(days=1))


def test_a_fact_recorded_in_a_status_that_names_whereabouts_keeps_those_a_report_told_since():
    # "held" came with a report that agreed with the case; the fact moves nothing, and replay agrees.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cs.WorkflowWarning)
        workflow = cs.Workflow(
            name="facts",
            initial="missing",
            roles={"court"},
            dismiss_roles={"court"},
            statuses=[
                StatusDef("missing", "unknown"),
                StatusDef("alive", None, whereabouts="unknown"),
                StatusDef("held", "alive", final=True),
            ],
            rules=[
                Rule(
                    trigger="report_alive",
                    sources={"missing"},
                    target="alive",
                    roles={"court"},
                    report=True,
                    fate="alive",
                ),
                Rule(
                    trigger="report_held",
                    sources={"alive"},
                    target="held",
                    roles={"court"},
                    report=True,
                    whereabouts="held",
                ),
                Rule(trigger="note", sources={"alive"}, target="alive", roles={"court"}, fact=True),
            ],
        )
    court = cs.Actor("court-1", "court")
    case = workflow.open("f-1", actor=court, effective_at=day(0), recorded_at=day(0))
    case = workflow.apply(
        case, cs.Change(trigger="report_alive", actor=court, effective_at=day(2), recorded_at=day(2))
    )
    told = workflow.apply(
        case, cs.Change(trigger="report_held", actor=court, effective_at=day(1), recorded_at=day(3))
    )
    assert (told.trail[-1].kind, told.whereabouts) == ("corroboration", "held")
    noted = workflow.apply(
        told, cs.Change(trigger="note", actor=court, effective_at=day(4), recorded_at=day(4))
    )
    assert noted.whereabouts == "held"
    assert cs.replay(noted.trail) == noted
