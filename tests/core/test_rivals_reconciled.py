"""A rival that holds reconciles the rivals it agrees with: the same whichever came first.

A unit's witness saw him taken prisoner on 1 March; his family's video says
he was killed on 26 February. As strong, neither holds: the case is missing,
undecided, from 1 March, and both wait. The ministry's death certificate of
26 February then holds against the capture. Had the certificate come first,
the family's video of the death would have corroborated it; it backs the
death now too, whichever came first: the certificate's entry names it in
``reconciles``. The witness waits, outweighed, in either order.
"""

import attrs
import pytest

import casestate as cs
from casestate import Fate
from casestate.testing import check_case
from support import (
    FAMILY,
    ICRC,
    MINISTRY,
    UNIT,
    WORKFLOW,
    dated,
    fed_to_a_batch,
    in_turn,
    last_forged,
    missing_since_february,
    told,
)

TAKEN = told("report_captured", UNIT, "witness_statement", effective=dated(3, 1), recorded=dated(3, 2))
"""A unit's witness: taken prisoner on 1 March."""
KILLED = told("report_dead", FAMILY, "video", effective=dated(2, 26), recorded=dated(3, 5))
"""The family's video: killed on 26 February."""
CERTIFICATE = told("report_dead", MINISTRY, "death_certificate", effective=dated(2, 26), recorded=dated(3, 6))
"""The ministry's death certificate: died on 26 February."""
CARD = told("report_captured", ICRC, "capture_card", effective=dated(2, 26), recorded=dated(3, 6))
"""The ICRC's capture card: held since 26 February."""


def arriving(*changes: cs.Change, case: cs.Case | None = None) -> cs.Case:
    """The case missing since February, taken prisoner on 1 March, then *changes* in turn."""
    return in_turn(*changes, case=case or in_turn(TAKEN, case=missing_since_february("ua-1208")))


def told_of(case: cs.Case) -> tuple[object, ...]:
    """What the order of arrival must not change: open conflicts by report, periods, as-of answers."""
    conflicts = sorted((entry.trigger, entry.actor_id) for entry in case.conflicts)
    answers = []
    for day in (dated(2, 25), dated(2, 26), dated(3, 1), dated(3, 3)):
        then = case.as_of_effective(day)
        assert then is not None
        answers.append((then.status, then.fate, then.whereabouts, len(then.contested_by)))
    return conflicts, [(period.status, period.since) for period in case.periods], answers


def in_both_orders(first: cs.Change, second: cs.Change) -> tuple[cs.Case, cs.Case]:
    cases = arriving(first, second), arriving(second, first)
    for case in cases:
        check_case(WORKFLOW, case)
        assert cs.replay(case.trail) == case
        assert cs.from_json(cs.to_json(case), head=case.head) == case
        assert fed_to_a_batch(case) == case.standing
    assert told_of(cases[0]) == told_of(cases[1])
    return cases


def test_a_death_certificate_that_holds_reconciles_the_death_a_pair_left_undecided():
    tie_first, certificate_first = in_both_orders(KILLED, CERTIFICATE)
    tied = arriving(KILLED)
    assert (tied.status, tied.open_conflicts, [report.seq for report in tied.rivalled]) == (
        "missing",
        (1, 2),
        [1, 2],
    )
    held = tie_first.trail[-1]
    assert (held.kind, held.displaces, held.reconciles) == (cs.EntryKind.TRANSITION, 2, (2,))
    assert (tie_first.status, tie_first.fate, tie_first.status_since) == ("dead", Fate.DEAD, dated(2, 26))
    assert [entry.trigger for entry in tie_first.conflicts] == ["report_captured"]
    assert [backer.seq for backer in tie_first.backers] == [2]
    assert [report.seq for report in tie_first.rivalled] == [1]
    assert certificate_first.trail[-1].kind is cs.EntryKind.CORROBORATION


def test_a_capture_card_that_holds_reconciles_the_capture_a_pair_left_undecided():
    tie_first, card_first = in_both_orders(KILLED, CARD)
    held = tie_first.trail[-1]
    assert (held.kind, held.displaces, held.reconciles) == (cs.EntryKind.TRANSITION, 2, (1,))
    assert (tie_first.status, tie_first.status_since) == ("captured", dated(2, 26))
    assert [entry.trigger for entry in tie_first.conflicts] == ["report_dead"]
    assert [(entry.kind, entry.codes) for entry in card_first.conflicts] == [
        (cs.EntryKind.CONFLICT, (cs.Code.OUTWEIGHED,))
    ]


def test_any_other_move_ends_the_rivalry():
    # The pair stays undecided; a capture card of 10 March moves the case from there: nothing
    # rivals the period it begins, and the pair waits for a person with standing.
    moved = arriving(KILLED, told("report_captured", ICRC, "capture_card", effective=dated(3, 10)))
    check_case(WORKFLOW, moved)
    assert (moved.status, moved.rivalled, moved.open_conflicts) == ("captured", (), (1, 2))


def test_replay_refuses_a_forged_reconciliation_of_a_rival():
    case = arriving(KILLED, CERTIFICATE)
    with pytest.raises(cs.BrokenTrail, match="reconciles entry 0"):
        cs.replay(last_forged(case, reconciles=(0, 2)))
    # A move reconciles no rival about a time before its own: the death of 26 February, once a
    # capture card of 10 March moves the case from the undecided pair.
    moved = arriving(KILLED, told("report_captured", ICRC, "capture_card", effective=dated(3, 10)))
    with pytest.raises(cs.BrokenTrail, match="reconciles entry 2"):
        cs.replay(last_forged(moved, reconciles=(2,)))


def test_apply_refuses_a_case_whose_rivals_are_not_its_trails_where_the_entry_would_name_one():
    # A rival made up by hand would be named in reconciles, and the entry refused by replay: apply
    # checks the rivals against the trail before it writes an entry that names one.
    tied = arriving(KILLED)
    made_up = attrs.evolve(tied, rivalled=(cs.Backer(1, "report_dead", dated(3, 6)), *tied.rivalled[1:]))
    later = told("report_dead", MINISTRY, "death_certificate", effective=dated(3, 5), recorded=dated(3, 6))
    with pytest.raises(ValueError, match="do not match its trail"):
        WORKFLOW.apply(made_up, later)
    # Rivals left out name nothing: the entry replay reads is one it accepts, and the kit, which
    # reads the workflow, says what it should have named.
    left_out = WORKFLOW.apply(
        attrs.evolve(tied, rivalled=()), attrs.evolve(CERTIFICATE, recorded_at=dated(3, 6))
    )
    assert left_out.trail[-1].reconciles is None
    assert cs.replay(left_out.trail).trail == left_out.trail
    with pytest.raises(AssertionError, match="reconciles None"):
        check_case(WORKFLOW, cs.replay(left_out.trail))


def test_a_move_that_ends_the_rivalry_makes_agree_the_rivals_it_agrees_with():
    # Captured on 1 March (a video); remains of that day (a video) leave the pair undecided; an ICRC
    # confirmation of a wound on 27 February holds against the pair; a death certificate of 1 March
    # then moves the case from the wound: the remains agree with it and back it, as they do when the
    # certificate comes before the wound and holds against the pair itself.
    video = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
    remains = told("report_remains_held", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 3))
    wound = told("report_wounded", ICRC, "icrc_confirmation", effective=dated(2, 27), recorded=dated(3, 4))
    certificate = told(
        "report_dead", MINISTRY, "death_certificate", effective=dated(3, 1), recorded=dated(3, 5)
    )
    start = in_turn(video, case=missing_since_february("ua-1209"))
    wound_first = arriving(remains, wound, certificate, case=start)
    certificate_first = arriving(remains, certificate, wound, case=start)
    for case in (wound_first, certificate_first):
        check_case(WORKFLOW, case)
        assert cs.replay(case.trail) == case
        assert fed_to_a_batch(case) == case.standing
        assert [entry.actor_id for entry in case.conflicts] == ["olena-k"]
        assert [entry.trigger for entry in case.conflicts] == ["report_captured"]
    moved = wound_first.trail[-1]
    assert (moved.kind, moved.displaces, moved.reconciles) == (cs.EntryKind.TRANSITION, None, (2,))
