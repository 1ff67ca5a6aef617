"""A late report about a period the case has left since: it tells that period's story, in any order.

Taken prisoner on 1 March (a video), killed on 20 March; a comrade's video,
learned last, shows him taken on 25 February: the case was held from
25 February, whichever of the video and the death came first. A wound of
26 February, learned after both, tells its own period between the missing
one and the capture.
"""

from datetime import timedelta

import attrs
import pytest

import casestate as cs
from casestate import Outcome, Whereabouts
from casestate.testing import check_case
from support import (
    WORKFLOW,
    batch_tells_as_apply,
    dated,
    in_turn,
    resealed,
    told,
)

FAMILY = cs.Actor("olena-k", cs.Role.FAMILY)
UNIT = cs.Actor("unit-41", cs.Role.UNIT)
COMRADE = cs.Actor("comrade-7", cs.Role.FAMILY)
ICRC = cs.Actor("icrc-cta", cs.Role.ICRC)


CAPTURED = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
"""Taken prisoner on 1 March, by a video."""
SHOT = told("report_dead", UNIT, "unit_notification", effective=dated(3, 20), recorded=dated(3, 21))
"""Killed on 20 March, by a unit's notice."""
HURT_BEFORE = told(
    "report_wounded", COMRADE, "witness_statement", effective=dated(2, 26), recorded=dated(3, 25)
)
"""Wounded on 26 February, by a comrade's statement learned on 25 March."""
TAKEN = told("report_captured", COMRADE, "video", effective=dated(3, 5), recorded=dated(3, 14))
"""Taken prisoner on 5 March, by a video learned on 14 March."""


def test_a_late_report_between_two_periods_the_case_has_left_tells_its_period_there_in_any_order():
    # Wounded on 26 February, taken prisoner on 1 March, killed on 20 March: the comrade's word of
    # the wound comes last. The capture could have followed the wound, so the story is the same
    # as in the order of the days, and the case stays dead since 20 March.
    for order in (
        (CAPTURED, SHOT, HURT_BEFORE),
        (CAPTURED, HURT_BEFORE, SHOT),
        (HURT_BEFORE, CAPTURED, SHOT),
    ):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert (case.status, case.status_since, case.open_conflicts) == ("dead", dated(3, 20), ())
        assert [(period.status, period.since) for period in case.periods] == [
            ("missing", dated(2, 24)),
            ("wounded", dated(2, 26)),
            ("captured", dated(3, 1)),
            ("dead", dated(3, 20)),
        ]
        assert case.as_of_effective(dated(2, 27)).status == "wounded"  # type: ignore[union-attr]
        assert case.as_of_effective(dated(3, 5)).whereabouts is Whereabouts.HELD  # type: ignore[union-attr]
    entry = in_turn(CAPTURED, SHOT, HURT_BEFORE).trail[-1]
    assert (entry.kind, entry.from_status, entry.to_status, entry.carries_into) == (
        cs.EntryKind.EARLIER_PERIOD,
        "dead",
        "wounded",
        None,
    )
    # A batch tells it as apply does.
    batch_tells_as_apply(in_turn(CAPTURED, SHOT), attrs.evolve(HURT_BEFORE, salt=bytes(16)))


HURT = told("report_wounded", UNIT, "unit_notification", effective=dated(3, 10), recorded=dated(3, 11))
"""Wounded on 10 March, by a unit's notice that names no place."""


def test_a_late_capture_tells_that_a_wound_the_case_has_left_was_in_captivity_in_any_order():
    # Wounded on 10 March (a notice naming no place), killed on 20 March; a video of his capture on
    # 5 March comes last. Had it come first, the wound would have been one in captivity: the wounded
    # period, which the case has left, takes the place the capture tells, whichever came first. The
    # death named its own place (the remains, unknown): nothing after the wound moves.
    for order in ((TAKEN, HURT, SHOT), (HURT, TAKEN, SHOT), (HURT, SHOT, TAKEN)):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert (case.status, case.whereabouts, case.open_conflicts) == ("dead", Whereabouts.UNKNOWN, ())
        assert [(period.status, period.since, period.whereabouts) for period in case.periods] == [
            ("missing", dated(2, 24), Whereabouts.UNKNOWN),
            ("captured", dated(3, 5), Whereabouts.HELD),
            ("wounded", dated(3, 10), Whereabouts.HELD),
            ("dead", dated(3, 20), Whereabouts.UNKNOWN),
        ]
        assert case.as_of_effective(dated(3, 12)).whereabouts is Whereabouts.HELD  # type: ignore[union-attr]
    entry = in_turn(HURT, SHOT, TAKEN).trail[-1]
    assert (entry.kind, entry.to_status, entry.whereabouts, entry.carries_into) == (
        cs.EntryKind.EARLIER_PERIOD,
        "captured",
        Whereabouts.HELD,
        1,  # the wound's entry: the period that takes its place
    )
    # Known only since the video came: as recorded before it, the wound was held nowhere known.
    before = in_turn(HURT, SHOT, TAKEN).known_at(dated(3, 21))
    assert before is not None
    assert before.as_of_effective(dated(3, 12)).whereabouts is Whereabouts.UNKNOWN  # type: ignore[union-attr]
    # A batch tells it as apply does; replay, as the case holds it.
    batch_tells_as_apply(in_turn(HURT, SHOT), attrs.evolve(TAKEN, recorded_at=dated(3, 25), salt=bytes(16)))
    case = in_turn(HURT, SHOT, TAKEN)
    assert cs.replay(case.trail).periods == case.periods


def test_a_late_report_moves_no_place_a_later_period_carried_over_from_a_left_one():
    # Wounded on 10 March (naming no place); the ICRC confirms him alive on 15 March, naming none
    # either: the confirmation carried the wound's place. A capture of 5 March, learned after both,
    # would move the place of both periods the case has left: not told after the fact. It agrees with
    # the confirmation, and corroborates it (see "What is not settled yet" in
    # docs/explanation/conflicts.md).
    confirmed = told("confirm", ICRC, "icrc_confirmation", effective=dated(3, 15), recorded=dated(3, 16))
    case = in_turn(HURT, confirmed, TAKEN)
    check_case(WORKFLOW, case)
    assert case.trail[-1].kind is cs.EntryKind.CORROBORATION
    assert [(period.status, period.whereabouts) for period in case.periods[:2]] == [
        ("missing", Whereabouts.UNKNOWN),
        ("wounded", Whereabouts.UNKNOWN),
    ]


EARLIER_CAPTURE = told("report_captured", COMRADE, "video", effective=dated(2, 25), recorded=dated(3, 25))
"""Taken prisoner on 25 February, by a comrade's video learned on 25 March."""


def test_a_late_report_of_a_left_period_s_status_tells_it_began_on_its_day_in_any_order():
    # Taken prisoner on 1 March (a video), killed on 20 March; a comrade's video shows him taken on
    # 25 February. Had it come first, the capture of 1 March would have corroborated it: the case was
    # held from 25 February, whether the video arrives before the death or after it.
    before_the_death = in_turn(CAPTURED, EARLIER_CAPTURE, SHOT)
    after_the_death = in_turn(CAPTURED, SHOT, EARLIER_CAPTURE)
    for case in (before_the_death, after_the_death):
        check_case(WORKFLOW, case)
        assert [(str(period.status), period.since) for period in case.periods] == [
            ("missing", dated(2, 24)),
            ("captured", dated(2, 25)),
            ("dead", dated(3, 20)),
        ]
        assert not case.open_conflicts
        held = case.as_of_effective(dated(2, 27))
        assert held is not None
        assert (held.status, held.fate, held.whereabouts) == ("captured", cs.Fate.ALIVE, cs.Whereabouts.HELD)
    late = after_the_death.trail[-1]
    assert (late.kind, late.from_status, late.to_status) == (cs.EntryKind.EARLIER_PERIOD, "dead", "captured")
    assert cs.replay(after_the_death.trail).periods == after_the_death.periods
    # Before it began, he was missing; a batch tells it as apply does.
    missing = after_the_death.as_of_effective(dated(2, 25) - timedelta(microseconds=1))
    assert missing is not None
    assert missing.status == "missing"
    video = attrs.evolve(EARLIER_CAPTURE, salt=bytes(16))
    assert batch_tells_as_apply(in_turn(CAPTURED, SHOT), video).outcome is Outcome.EARLIER_PERIOD


def test_a_withdrawn_death_resumes_the_capture_from_the_day_a_late_report_dated_it():
    ministry = cs.Actor("ministry-1", cs.Role.MINISTRY)
    withdrawn = told("retract", ministry, effective=dated(3, 26), reason="the notice was about another man")
    case = WORKFLOW.apply(in_turn(CAPTURED, SHOT, EARLIER_CAPTURE), withdrawn)
    check_case(WORKFLOW, case)
    assert (case.status, case.status_since, case.whereabouts) == (
        "captured",
        dated(2, 25),
        cs.Whereabouts.HELD,
    )
    assert cs.replay(case.trail).periods == case.periods


def test_replay_refuses_a_report_between_two_left_periods_that_moves_the_later_one():
    entries = list(in_turn(CAPTURED, SHOT, HURT_BEFORE).trail)
    told_late = entries[-1]
    for wrong in (
        # A place carried into a period the case has left, which held a place of its own.
        attrs.evolve(told_late, carries_into=1),
        # The later period's start moved, but not as that period stood: another place, another fate.
        attrs.evolve(told_late, to_status="captured", whereabouts=cs.Whereabouts.HOME),
        attrs.evolve(told_late, to_status="captured", fate=cs.Fate.DEAD),
        # The status the case holds, about a time in the period before it: not the fate it holds.
        attrs.evolve(told_late, to_status="dead", effective_at=dated(3, 5)),
        attrs.evolve(told_late, effective_at=dated(2, 23)),  # before he went missing
    ):
        with pytest.raises(cs.BrokenTrail) as broken:
            cs.replay(resealed([*entries[:-1], wrong]))
        assert broken.value.integrity.problem is cs.Problem.INCONSISTENT, wrong
        assert broken.value.integrity.position == 3, wrong
    # As written, it replays.
    assert cs.replay(resealed(entries)).periods == in_turn(CAPTURED, SHOT, HURT_BEFORE).periods


def test_replay_refuses_a_place_carried_into_another_period_than_the_one_after_the_period_told():
    entries = list(in_turn(HURT, SHOT, TAKEN).trail)
    told_late = entries[-1]
    for wrong in (
        attrs.evolve(told_late, carries_into=2),  # the death, which named its own place
        attrs.evolve(told_late, carries_into=0),  # the opening, before the period told
        attrs.evolve(told_late, whereabouts=Whereabouts.UNKNOWN),  # carries the place it held already
    ):
        with pytest.raises(cs.BrokenTrail) as broken:
            cs.replay(resealed([*entries[:-1], wrong]))
        assert broken.value.integrity.problem is cs.Problem.INCONSISTENT, wrong
        assert broken.value.integrity.position == 3, wrong


def test_a_capture_resumed_after_a_late_card_dated_it_keeps_the_card_s_assurance_in_any_order():
    # The ICRC's capture card of 25 February, learned after the death or before it, documents the
    # capture: withdrawn, the death leaves the capture as documented as the card made it.
    icrc = cs.Actor("icrc-1", cs.Role.ICRC)
    card = told("report_captured", icrc, "capture_card", effective=dated(2, 25), recorded=dated(3, 25))
    ministry = cs.Actor("ministry-1", cs.Role.MINISTRY)
    withdrawn = told("retract", ministry, effective=dated(3, 26), reason="the notice was about another man")
    for case in (in_turn(CAPTURED, SHOT, card), in_turn(CAPTURED, card, SHOT)):
        resumed = WORKFLOW.apply(case, withdrawn)
        check_case(WORKFLOW, resumed)
        assert (resumed.status, resumed.status_since, resumed.assurance) == (
            "captured",
            dated(2, 25),
            cs.Assurance.DOCUMENTED,
        )


WOUNDED_IN_CAPTIVITY = told("report_wounded", FAMILY, "video", effective=dated(3, 3), recorded=dated(3, 4))
"""Wounded on 3 March, in captivity, by a video."""
WOUNDED_BEFORE = told(
    "report_wounded", COMRADE, "witness_statement", effective=dated(2, 27), recorded=dated(3, 25)
)
"""Wounded on 27 February, by a comrade's statement learned on 25 March."""


def test_a_late_report_of_the_status_held_about_an_older_period_tells_its_period_in_any_order():
    # Wounded on 27 February, says a comrade; taken prisoner on 1 March and wounded again in
    # captivity on 3 March, say two videos. The statement is of the status the case holds, but of
    # a time before the capture: it tells the first wound, whether it comes before the second
    # wound or after it. It used to corroborate the second wound when it came last.
    first = in_turn(CAPTURED, WOUNDED_BEFORE, WOUNDED_IN_CAPTIVITY)
    last = in_turn(CAPTURED, WOUNDED_IN_CAPTIVITY, WOUNDED_BEFORE)
    for case in (first, last):
        check_case(WORKFLOW, case)
        assert [(str(period.status), period.since) for period in case.periods] == [
            ("missing", dated(2, 24)),
            ("wounded", dated(2, 27)),
            ("captured", dated(3, 1)),
            ("wounded", dated(3, 3)),
        ]
        assert not case.open_conflicts
        then = case.as_of_effective(dated(2, 28))
        assert then is not None
        assert (then.status, then.whereabouts) == ("wounded", Whereabouts.UNKNOWN)
    late = last.trail[-1]
    assert (late.kind, late.from_status, late.to_status) == (
        cs.EntryKind.EARLIER_PERIOD,
        "wounded",
        "wounded",
    )
    # The current period keeps its own start, assurance and backing.
    assert (last.status_since, last.assurance, last.backing) == (
        first.status_since,
        first.assurance,
        first.backing,
    )
    assert cs.replay(last.trail).periods == last.periods
    statement = attrs.evolve(WOUNDED_BEFORE, salt=bytes(16))
    batch_tells_as_apply(in_turn(CAPTURED, WOUNDED_IN_CAPTIVITY), statement)


def test_a_late_report_of_the_status_held_dates_an_older_period_of_that_status_in_any_order():
    # Taken prisoner on 1 March (a video), wounded on 5 March, held again by the ICRC's card of
    # 10 March after a hospital stay; a comrade's video shows the capture on 25 February. It dates
    # the first captivity, not the current one, whichever order the reports come in.
    icrc = cs.Actor("icrc-1", cs.Role.ICRC)
    hurt = told("report_wounded", UNIT, "unit_notification", effective=dated(3, 5), recorded=dated(3, 6))
    card = told("report_captured", icrc, "capture_card", effective=dated(3, 10), recorded=dated(3, 11))
    for case in (
        in_turn(CAPTURED, EARLIER_CAPTURE, hurt, card),
        in_turn(CAPTURED, hurt, card, EARLIER_CAPTURE),
    ):
        check_case(WORKFLOW, case)
        assert [(str(period.status), period.since) for period in case.periods] == [
            ("missing", dated(2, 24)),
            ("captured", dated(2, 25)),
            ("wounded", dated(3, 5)),
            ("captured", dated(3, 10)),
        ]
        assert (case.status_since, case.open_conflicts) == (dated(3, 10), ())
        assert cs.replay(case.trail).periods == case.periods


def test_a_late_report_before_a_period_of_the_status_held_just_before_the_current_one_dates_nothing():
    # Taken prisoner on 1 March, wounded on 10 March; a death video of 5 March rivals the wound,
    # and the pair leaves the case captured, as it was, from 10 March. The ICRC's card of a capture
    # on 26 February would date the first captivity, just before the one the pair left; an entry
    # of the status the case holds about that time would read as the current period's start, so
    # it corroborates the case instead (see "What is not settled yet").
    hurt = told("report_wounded", FAMILY, "video", effective=dated(3, 10), recorded=dated(3, 11))
    killed = told("report_dead", COMRADE, "video", effective=dated(3, 5), recorded=dated(3, 20))
    icrc = cs.Actor("icrc-1", cs.Role.ICRC)
    card = told("report_captured", icrc, "capture_card", effective=dated(2, 26), recorded=dated(3, 25))
    case = in_turn(CAPTURED, hurt, killed, card)
    check_case(WORKFLOW, case)
    assert [(str(period.status), period.since) for period in case.periods] == [
        ("missing", dated(2, 24)),
        ("captured", dated(3, 1)),
        ("captured", dated(3, 10)),
    ]
    assert case.trail[-1].kind is cs.EntryKind.CORROBORATION
    assert cs.replay(case.trail).periods == case.periods
    # Nor does replay take such an entry, made by hand.
    entries = list(case.trail)
    forged = attrs.evolve(entries[-1], kind=cs.EntryKind.EARLIER_PERIOD, assurance=cs.Assurance.DOCUMENTED)
    with pytest.raises(cs.BrokenTrail) as broken:
        cs.replay(resealed([*entries[:-1], forged]))
    assert broken.value.integrity.problem is cs.Problem.INCONSISTENT
    assert "before the current one, in its status" in broken.value.integrity.message


def _withdrawn(case: cs.Case, day: int) -> cs.Case:
    ministry = cs.Actor("ministry-1", cs.Role.MINISTRY)
    withdrawal = told("retract", ministry, effective=dated(3, day), reason="the report was about another man")
    return WORKFLOW.apply(case, attrs.evolve(withdrawal, salt=bytes(16)))


def test_a_report_about_a_time_inside_a_start_moved_earlier_says_the_period_stood_and_dates_nothing():
    # Captured from 25 February (a comrade's video moved the start of the capture of 1 March),
    # killed on 20 March; the ICRC's card of a capture on 26 February, learned last, falls inside
    # the captivity: it says what the period held, and raises nothing from 26 February on, before
    # or after the death is withdrawn.
    icrc = cs.Actor("icrc-1", cs.Role.ICRC)
    card = told("report_captured", icrc, "capture_card", effective=dated(2, 26), recorded=dated(3, 26))
    case = in_turn(CAPTURED, EARLIER_CAPTURE, SHOT, card)
    check_case(WORKFLOW, case)
    then = case.as_of_effective(dated(2, 27))
    assert then is not None
    assert then.assurance is cs.Assurance.REPORTED
    resumed = _withdrawn(case, 27)
    check_case(WORKFLOW, resumed)
    assert resumed.assurance is cs.Assurance.REPORTED


def test_a_start_moved_earlier_and_voided_since_is_read_as_it_stood_then():
    # Wounded on 1 March, captured on 20 March, a comrade's wound of 26 February moves the wound's
    # start; the capture withdrawn, then the wound: what the case held on 22 March still says
    # wounded since 26 February.
    wound = told("report_wounded", UNIT, "unit_notification", effective=dated(3, 1), recorded=dated(3, 2))
    capture = told("report_captured", FAMILY, "video", effective=dated(3, 20), recorded=dated(3, 20))
    comrade = told(
        "report_wounded", COMRADE, "witness_statement", effective=dated(2, 26), recorded=dated(3, 21)
    )
    case = _withdrawn(_withdrawn(in_turn(wound, capture, comrade), 22), 23)
    check_case(WORKFLOW, case)
    then = case.known_at(dated(3, 22))
    assert then is not None
    assert (then.status, then.status_since) == ("wounded", dated(2, 26))


def test_a_period_of_the_status_held_told_late_is_no_earlier_start_once_the_one_after_it_begins_at_its_time():
    # Wounded on 1 March (a notice), captured on 10 March (a card). Capture cards of 28 and 26 February,
    # learned late, tell a captivity before the wound, from 26 February; then the ICRC's confirmation
    # of a wound on 28 February dates the wound from that day: the very instant of the first late card.
    # That card told a period of its own: the current captivity still began on 10 March, and the case
    # takes the next change.
    hurt = told("report_wounded", UNIT, "unit_notification", effective=dated(3, 1))
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 10))
    first = told("report_captured", ICRC, "capture_card", effective=dated(2, 28), recorded=dated(3, 11))
    earlier = told("report_captured", ICRC, "capture_card", effective=dated(2, 26), recorded=dated(3, 12))
    confirmed = told(
        "report_wounded", ICRC, "icrc_confirmation", effective=dated(2, 28), recorded=dated(3, 13)
    )
    case = in_turn(hurt, card, first, earlier, confirmed)
    check_case(WORKFLOW, case)
    assert [(period.status, period.since) for period in case.periods] == [
        ("missing", dated(2, 24)),
        ("captured", dated(2, 26)),
        ("wounded", dated(2, 28)),
        ("captured", dated(3, 10)),
    ]
    assert (case.status_since, case.backers) == (dated(3, 10), ())
    killed = told("report_dead", UNIT, "unit_notification", effective=dated(3, 14), recorded=dated(3, 14))
    assert WORKFLOW.apply(case, killed).status == "dead"


def test_a_late_report_that_dated_a_left_period_earlier_is_no_earlier_start_of_the_current_one():
    # As above, with a third capture card of 10 February, and a wound video of 26 February: the card of
    # 26 February dated the captivity before the wound, and began no period once the card of
    # 10 February moved its start past it. It came about a time before the period before the current
    # one (the wound, from 1 March then), and stays a report of the left captivity.
    hurt = told("report_wounded", UNIT, "unit_notification", effective=dated(3, 1))
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 10))
    first = told("report_captured", ICRC, "capture_card", effective=dated(2, 28), recorded=dated(3, 11))
    second = told("report_captured", ICRC, "capture_card", effective=dated(2, 26), recorded=dated(3, 12))
    third = told("report_captured", ICRC, "capture_card", effective=dated(2, 10), recorded=dated(3, 13))
    filmed = told("report_wounded", FAMILY, "video", effective=dated(2, 26), recorded=dated(3, 14))
    opened = WORKFLOW.open("ua-0306", actor=FAMILY, effective_at=dated(2, 1), recorded_at=dated(2, 2))
    case = in_turn(hurt, card, first, second, third, filmed, case=opened)
    assert [(period.status, period.since) for period in case.periods] == [
        ("missing", dated(2, 1)),
        ("captured", dated(2, 10)),
        ("wounded", dated(2, 26)),
        ("captured", dated(3, 10)),
    ]
    check_case(WORKFLOW, case)
    assert (case.status_since, case.backers) == (dated(3, 10), ())
    killed = told("report_dead", UNIT, "unit_notification", effective=dated(3, 14), recorded=dated(3, 15))
    assert WORKFLOW.apply(case, killed).status == "dead"
