"""A rival that holds reconciles, as a move does, what would corroborate it about an earlier time.

In a workflow that records a prisoner's release, a neighbour's message says
he was released on 26 February, two days after he went missing: it waits as
a conflict (the case was missing, and only a prisoner is released). A unit
reports him taken prisoner on 1 March; another unit reports him killed on
5 March; the ICRC's release list says he was released that day, and
outweighs the death notice. Had the release come before the death notice,
its move would have made the message agree (a release reported earlier, of
a man the case held alive). It does so in any order: the rival's entry names
the message in ``reconciles``, and the message backs the release.
"""

import hashlib
import itertools
from datetime import timedelta

import attrs
import pytest

import casestate as cs
from casestate import canonical_bytes
from casestate.testing import check_case
from support import FAMILY, ICRC, UNIT, dated, fed_to_a_batch, last_forged, order_story, told
from workflows import WITH_RELEASED

TAKEN = told("report_captured", UNIT, "unit_notification", effective=dated(3, 1), recorded=dated(3, 2))
"""A unit's notice: taken prisoner on 1 March."""
RELEASED_EARLY = told(
    "report_released",
    cs.Actor("neighbour", cs.Role.FAMILY),
    "witness_statement",
    effective=dated(2, 26),
    recorded=dated(3, 3),
)
"""A neighbour's message: released on 26 February."""
KILLED = told(
    "report_dead",
    cs.Actor("unit-57", cs.Role.UNIT),
    "unit_notification",
    effective=dated(3, 5),
    recorded=dated(3, 6),
)
"""Another unit's notice: killed on 5 March."""
RELEASED = told("report_released", ICRC, "release_list", effective=dated(3, 5), recorded=dated(3, 8))
"""The ICRC's release list: released on 5 March, stronger than a unit's notice."""


def arriving(*changes: cs.Change) -> cs.Case:
    """Missing since 24 February, taken on 1 March, then *changes* in turn (the vector below pins its id)."""
    case = WITH_RELEASED.open(
        "ua-0226", actor=FAMILY, effective_at=dated(2, 24), recorded_at=dated(3, 1), salt=bytes(16)
    )
    last = case.last_recorded_at
    for sent in (TAKEN, *changes):
        last = max(sent.recorded_at, last + timedelta(hours=1))
        case = WITH_RELEASED.apply(case, attrs.evolve(sent, recorded_at=last, salt=bytes(16)))
    return case


def story(case: cs.Case) -> tuple[object, ...]:
    return order_story(case, (dated(2, 26), dated(3, 1), dated(3, 5), dated(3, 9)))


def test_a_release_reported_before_the_capture_backs_a_release_that_outweighs_a_death_in_any_order():
    cases = [arriving(*order) for order in itertools.permutations((RELEASED_EARLY, KILLED, RELEASED))]
    for case in cases:
        check_case(WITH_RELEASED, case)
        assert (case.status, [case.trail[seq].trigger for seq in case.open_conflicts]) == (
            "released",
            ["report_dead"],
        )
        assert [backer.seq for backer in case.backers] == [case.trail.index(_message(case))]
        assert story(case) == story(cases[0])


def _message(case: cs.Case) -> cs.Entry:
    return next(entry for entry in case.trail if entry.actor_id == "neighbour")


def test_the_rival_names_the_message_and_it_backs_the_release_not_the_captivity_before():
    case = arriving(RELEASED_EARLY, KILLED, RELEASED)
    rival = case.trail[-1]
    assert (rival.kind, rival.displaces, rival.reconciles) == (cs.EntryKind.TRANSITION, 3, (2,))
    assert ([backer.seq for backer in case.backers], [backer.seq for backer in case.left_backers]) == (
        [2],
        [1],
    )
    assert cs.from_json(cs.to_json(case), head=case.head) == case
    assert fed_to_a_batch(case, WITH_RELEASED) == case.standing


def test_a_case_whose_period_such_a_rival_began_takes_the_next_report():
    case = arriving(RELEASED_EARLY, KILLED, RELEASED)
    again = told("report_released", UNIT, "unit_notification", effective=dated(3, 7), recorded=dated(3, 10))
    after = WITH_RELEASED.apply(case, again)
    check_case(WITH_RELEASED, after)
    assert [backer.seq for backer in after.backers] == [2, 5]
    # Rebuilt by hand with the message among the reports of the left captivity, it is refused.
    moved = attrs.evolve(case, backers=(), left_backers=(*case.left_backers, case.trail[2]))
    with pytest.raises(ValueError, match="do not match its trail"):
        WITH_RELEASED.apply(moved, again)


def test_a_trail_written_before_reads_as_it_did_and_the_kit_holds_it_to_the_rule_of_today():
    case = arriving(RELEASED_EARLY, KILLED, RELEASED)
    left_out = cs.replay(last_forged(case, reconciles=None))
    assert sorted(left_out.open_conflicts) == [2, 3]
    with pytest.raises(AssertionError, match=r"the conflicts that agree with it are \(2,\)"):
        check_case(WITH_RELEASED, left_out)


def test_replay_refuses_a_rival_reconciling_what_does_not_wait():
    case = arriving(RELEASED_EARLY, KILLED, RELEASED)
    # The capture notice began the period before: it backs nothing that waits.
    with pytest.raises(cs.BrokenTrail, match="reconciles entry 1, no open conflict"):
        cs.replay(last_forged(case, reconciles=(1, 2)))


PINNED_EARLIER = (
    b'{"assurance":"documented","case_id":"ua-0226","chain":"sha256","codes":[],"commitment":"78d1d36b75a4'
    b'9bdafa28ad387072b67c8a7f4863b186714f740009afa0988b93","displaces":3,"effective_at":"2024-03-05T12:00'
    b':00.000000Z","evidence_kinds":["release_list"],"fate":"alive","from_status":"dead","kind":"transitio'
    b'n","prev_hash":"b107207bf2e2b23527ed6a066544c5ddc3511f3b77ffdbc44a666e84c2fd1578","reconciles":[2],"'
    b'recorded_at":"2024-03-08T12:00:00.000000Z","resolves":[],"reverts_to":null,"role":"icrc","seq":4,"to'
    b'_status":"released","trigger":"report_released","whereabouts":"held"}'
)
PINNED_EARLIER_HASH = "6541822d3b6d47661b0624663bb7f8693843a4026ce730924ccd2a434e1b3217"


def test_pinned_vector_of_a_rival_that_holds_reconciling_a_report_about_an_earlier_time():
    # Trails written now must verify in every later casestate: the bytes of the form are fixed.
    entry = arriving(RELEASED_EARLY, KILLED, RELEASED).trail[-1]
    assert canonical_bytes(entry) == PINNED_EARLIER
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_EARLIER).hexdigest()
    assert entry.hash == PINNED_EARLIER_HASH
