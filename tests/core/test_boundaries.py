"""Every timer and every waiting period ends at exactly its instant: not a tick later, not a tick earlier.

A daily job that asks at midnight must see a timer that runs out at
midnight, and a court that declares on the day the waiting period ends must
not be refused. Each boundary is checked at the instant itself and one
microsecond (the smallest step an instant has) before it, for every timer
casestate ships and random ones, on generated cases of several workflows.
"""

from datetime import timedelta, timezone

from hypothesis import event, given, settings
from hypothesis import strategies as st

import casestate as cs
from casestate.testing import actors, cases, enough_evidence, gaps
from marked_cases import WORKFLOWS

TICK = timedelta(microseconds=1)
SHIPPED_TIMERS = cs.GENEVA_CONVENTIONS + cs.RUSSIA_CIVIL_CODE + cs.RUSSIA_120FZ + cs.UKRAINE
FAR = timedelta(days=40_000)  # past any period here


@st.composite
def timed_cases(draw):
    workflow = draw(WORKFLOWS)
    case = draw(cases(workflow, max_changes=8))
    after = draw(gaps(least=TICK))
    own = cs.Timer(name="own", status=case.status, after=after)
    by_fate = cs.Timer(name="by_fate", fate=case.fate, whereabouts=case.whereabouts, after=after)
    return case, (*SHIPPED_TIMERS, own, by_fate)


def _flagged(case, timer, now):
    return [flag.due_at for flag in cs.due(case, [timer], now)]


@given(timed_cases())
@settings(max_examples=40)
def test_every_timer_is_flagged_at_exactly_the_instant_it_runs_out(timed):
    case, timers = timed
    ran_out = 0
    for timer in timers:
        flagged = _flagged(case, timer, case.last_recorded_at + FAR)
        if not flagged:  # not running on this case, or satisfied
            continue
        [due_at] = flagged
        ran_out += 1
        assert _flagged(case, timer, due_at) == [due_at], timer.name
        assert _flagged(case, timer, due_at - TICK) == [], timer.name
        # The same instants, told in another zone.
        kyiv = timezone(timedelta(hours=2))
        assert _flagged(case, timer, due_at.astimezone(kyiv)) == [due_at], timer.name
        assert _flagged(case, timer, (due_at - TICK).astimezone(kyiv)) == [], timer.name
    assert ran_out >= 1  # the case's own timer at least


@given(timed_cases(), st.data())
@settings(max_examples=40)
def test_timers_asked_about_together_are_flagged_as_each_alone_earliest_first(timed, data):
    case, timers = timed
    # One that runs out past the year 9999, and one asked about before it runs out.
    endless = cs.Timer(name="endless", status=case.status, after=timedelta.max)
    later = cs.Timer(name="later", status=case.status, after=FAR * 2)
    every = data.draw(st.permutations([*timers, endless, later]), label="timers, in any order")
    now = data.draw(st.sampled_from([case.last_recorded_at, case.last_recorded_at + FAR]), label="now")
    alone = [flag for timer in every for flag in cs.due(case, [timer], now)]
    assert cs.due(case, every, now) == tuple(sorted(alone, key=lambda flag: (flag.due_at, flag.timer.name)))


@st.composite
def waiting_moves(draw):
    """A case, and a change by a permitted actor, with the evidence and reason it needs, of a rule that waits."""
    workflow = draw(WORKFLOWS)
    case = draw(cases(workflow, max_changes=8))
    waiting = [
        rule
        for rule in workflow.rules
        if rule.waiting_period is not None and case.status in rule.sources and rule.target is not None
    ]
    if not waiting:
        return workflow, case, None
    rule = draw(st.sampled_from(waiting))
    actor = draw(actors(rule.roles))
    evidence = draw(enough_evidence(rule.evidence, fate=rule.fate))
    return workflow, case, (rule, actor, evidence)


def _waits(workflow, case, move, effective_at):
    rule, actor, evidence = move
    change = cs.Change(
        trigger=rule.trigger,
        actor=actor,
        evidence=[
            cs.Evidence(item.kind, item.reference, item.source, max(item.obtained_at, effective_at))
            for item in evidence
        ],
        effective_at=effective_at,
        recorded_at=max(effective_at, case.last_recorded_at, *(item.obtained_at for item in evidence)),
        reason="the period has passed",
    )
    codes = {reason.code for reason in workflow.check(case, change).reasons}
    return cs.Code.WAITING_PERIOD_NOT_ELAPSED in codes


@given(waiting_moves())
@settings(max_examples=60)
def test_every_waiting_period_ends_at_exactly_the_instant_it_was_offered_from(drawn):
    workflow, case, move = drawn
    event("a rule waits" if move else "no rule waits in this status")
    if move is None:
        return
    rule, actor, _evidence = move
    [option] = [option for option in workflow.available(case, actor) if option.trigger == rule.trigger]
    assert option.not_before == case.status_since + rule.waiting_period
    assert not _waits(workflow, case, move, option.not_before)
    assert _waits(workflow, case, move, option.not_before - TICK)


def test_a_declaration_is_refused_a_microsecond_before_the_waiting_period_ends_and_taken_at_its_end():
    # The default workflow's one waiting period, as a court would meet it.
    workflow = cs.DEFAULT_WORKFLOW
    disappeared = cs.parse_timestamp("2024-02-20T00:00:00Z", "effective_at")
    case = workflow.open(
        "ua-1", actor=cs.Actor("ngo-1", "ngo"), effective_at=disappeared, recorded_at=disappeared
    )
    ends = disappeared + cs.DECLARATION_WAITING_PERIOD
    court = cs.Actor("district-court", "court")
    for effective_at, accepted in ((ends - TICK, False), (ends, True)):
        decision = cs.Evidence("court_decision", "2-1/2024", "district court", ends)
        change = cs.Change(
            trigger="declare_dead",
            actor=court,
            evidence=[decision],
            effective_at=effective_at,
            recorded_at=ends,
        )
        assert workflow.check(case, change).ok is accepted
