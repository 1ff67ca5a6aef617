"""Workflow.available: what an actor may do next, answered by the rules that decide it."""

from datetime import UTC, datetime, timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st

import casestate as cs
from casestate.testing import cases, workflows
from workflows import DEFAULT, STRICT, WITH_RELEASED

T0 = datetime(2024, 2, 20, 6, 30, tzinfo=UTC)


@st.composite
def situations(draw):
    workflow = draw(st.sampled_from([DEFAULT, STRICT, WITH_RELEASED]) | workflows())
    case = draw(cases(workflow, max_changes=6))
    role = draw(st.sampled_from(sorted(workflow.roles)))
    actor_id = draw(st.sampled_from([case.reporter_id or "someone", "someone-else"]))
    return workflow, case, cs.Actor(actor_id, role)


def _change_for(case, actor, trigger, kinds, *, reason_required, not_before=None, resolves=()):
    """The change a form would send for one option: the least it takes, at the earliest time after the status.

    (A report about the very instant the status took effect is weighed against the
    one that put it there, by evidence no option can know: see test_rival_reports.)
    """
    after = case.status_since + timedelta(microseconds=1)
    effective = max(after, not_before or after)
    recorded = max(effective, case.last_recorded_at) + timedelta(seconds=1)
    evidence = [cs.Evidence(kind, "ref-1", "source", recorded) for kind in sorted(kinds)[:1]]
    return cs.Change(
        trigger=trigger,
        actor=actor,
        evidence=evidence,
        reason="as the form says" if reason_required else None,
        resolves=resolves,
        effective_at=effective,
        recorded_at=recorded,
    )


@given(situations())
def test_every_option_offered_is_accepted_as_it_says(situation):
    workflow, case, actor = situation
    for option in workflow.available(case, actor):
        if option.evidence is not None and not option.kinds:
            continue  # no evidence of the fate it leads to could meet the rule
        change = _change_for(
            case,
            actor,
            option.trigger,
            option.kinds,
            reason_required=option.reason_required,
            not_before=option.not_before,
            resolves=option.resolves,
        )
        verdict = workflow.check(case, change)
        if option.rival_of is not None and verdict.outcome is cs.Outcome.CONFLICT:
            # A rival that does not hold: its evidence was no stronger than what the case holds.
            assert option.rival_of == case.current_period.seq
            assert verdict.codes in ((cs.Code.RIVAL_REPORT,), (cs.Code.OUTWEIGHED,)), verdict
            continue
        assert (verdict.outcome, verdict.target, verdict.fate) == (option.outcome, option.target, option.fate)
        assert verdict.whereabouts == option.whereabouts
        rule = workflow.get_rule(option.trigger)
        assert option.evidence == (None if rule is None else rule.evidence)  # what the form asks for
        if option.not_before is not None:  # and the waiting it shows is the waiting check holds to
            early = attrs.evolve(change, effective_at=option.not_before - timedelta(microseconds=1))
            too_soon = workflow.check(case, early)
            codes = {reason.code for reason in too_soon.reasons}
            if option.rival_of is not None and cs.Code.WAITING_PERIOD_NOT_ELAPSED not in codes:
                # Before its waiting is over, a report is no rival: it is judged from where the
                # case stands, and does not do what the option says.
                assert (too_soon.outcome, too_soon.target) != (option.outcome, option.target), option
            else:
                assert cs.Code.WAITING_PERIOD_NOT_ELAPSED in codes, option


@given(situations())
def test_a_trigger_not_offered_is_refused_however_it_is_sent(situation):
    workflow, case, actor = situation
    offered = {option.trigger for option in workflow.available(case, actor)}
    for trigger in set(workflow.triggers) - offered:
        rule = workflow.get_rule(trigger)
        kinds = (
            []
            if rule is None or rule.evidence is None
            else [k for k in cs.EvidenceKind if rule.evidence.accepts_kind(k)]
        )
        change = _change_for(case, actor, trigger, kinds, reason_required=True, resolves=case.open_conflicts)
        assert not workflow.check(case, change).ok


def test_a_family_may_report_but_never_confirm():
    family = cs.Actor("olena", "family")
    case = DEFAULT.open("ua-1", actor=family, effective_at=T0, recorded_at=T0)
    offered = {option.trigger: option for option in DEFAULT.available(case, family)}
    assert set(offered) == {
        "report_captured",
        "report_wounded",
        "report_dead",
        "report_remains_held",
        "report_missing",
    }
    assert offered["report_missing"].outcome is cs.Outcome.CORROBORATION
    assert offered["report_dead"].fate is cs.Fate.DEAD
    # A death certificate would contradict a capture: it is not offered as evidence of one.
    assert cs.EvidenceKind.DEATH_CERTIFICATE not in offered["report_captured"].kinds


def test_a_declaration_of_death_is_offered_with_the_day_it_may_take_effect():
    court = cs.Actor("court-7", "court")
    case = DEFAULT.open("ua-2", actor=court, effective_at=T0, recorded_at=T0)
    (declaration,) = [option for option in DEFAULT.available(case, court) if option.trigger == "declare_dead"]
    assert declaration.not_before == T0 + cs.DECLARATION_WAITING_PERIOD
    assert declaration.kinds == {cs.EvidenceKind.COURT_DECISION}


def test_a_dismissal_is_offered_to_whoever_may_settle_the_open_conflicts():
    icrc, family = cs.Actor("icrc-1", "icrc"), cs.Actor("olena", "family")
    case = DEFAULT.open("ua-3", actor=family, effective_at=T0, recorded_at=T0)
    list_ = cs.Evidence("prisoner_list", "PL-1", "ICRC", T0 + timedelta(days=2))
    case = DEFAULT.apply(
        case,
        cs.Change(
            trigger="report_captured",
            actor=icrc,
            evidence=[list_],
            effective_at=T0 + timedelta(days=2),
            recorded_at=T0 + timedelta(days=2),
        ),
    )
    case = DEFAULT.apply(
        case,
        cs.Change(
            trigger="report_dead",
            actor=family,
            evidence=[cs.Evidence("video", "v", "channel", T0 + timedelta(days=1))],
            effective_at=T0 + timedelta(days=1),
            recorded_at=T0 + timedelta(days=3),
        ),
    )
    assert case.open_conflicts == (2,)
    (dismissal,) = [option for option in DEFAULT.available(case, icrc) if option.trigger == cs.DISMISS]
    assert (dismissal.outcome, dismissal.resolves, dismissal.reason_required) == (
        cs.Outcome.DISMISSAL,
        (2,),
        True,
    )
    assert cs.DISMISS not in {option.trigger for option in DEFAULT.available(case, family)}


def test_an_actor_in_a_role_the_workflow_does_not_know_may_do_nothing():
    family = cs.Actor("olena", "family")
    case = DEFAULT.open("ua-4", actor=family, effective_at=T0, recorded_at=T0)
    assert DEFAULT.available(case, cs.Actor("x", "journalist")) == ()
