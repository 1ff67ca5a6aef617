"""A move contests the corroborations it makes wrong: the rule is the same whichever came first.

The ministry's register says he was still missing on 12 March; his unit's
notice, learned later, says he was killed on 10 March. Had the notice come
first, the register would have waited as a conflict with the death. It
waits as one whichever came first: the death's entry names it in
``contests``.
"""

import hashlib

import attrs
import pytest

import casestate as cs
from casestate import Fate, Whereabouts, canonical_bytes
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

STILL_MISSING = told(
    "report_missing", MINISTRY, "missing_register", effective=dated(3, 12), recorded=dated(3, 13)
)
"""The ministry's register: still missing on 12 March."""
STILL_MISSING_BEFORE = told(
    "report_missing", MINISTRY, "missing_register", effective=dated(3, 8), recorded=dated(3, 13)
)
"""The register of 8 March, before the death."""
KILLED = told("report_dead", UNIT, "unit_notification", effective=dated(3, 10), recorded=dated(3, 14))
"""The unit's notice: killed on 10 March, learned on 14 March."""


def arriving(*changes: cs.Change, case: cs.Case | None = None) -> cs.Case:
    """The case missing since February, *changes* applied in turn (the vectors below pin its id)."""
    return in_turn(*changes, case=case or missing_since_february("ua-1203"))


def contested_story(case: cs.Case) -> tuple[object, ...]:
    """What the order of arrival must not change: the open conflicts, by report, and the as-of answers."""
    conflicts = sorted((entry.trigger, entry.actor_id) for entry in case.conflicts)
    answers = []
    for day in (dated(3, 9), dated(3, 10), dated(3, 12), dated(3, 20)):
        then = case.as_of_effective(day)
        assert then is not None
        contesting = sorted(case.trail[seq].trigger for seq in then.contested_by)
        answers.append((then.status, then.fate, then.whereabouts, contesting))
    return conflicts, [(p.status, p.since) for p in case.periods], answers


def test_a_still_missing_after_the_day_of_a_death_told_later_waits_as_a_conflict_in_either_order():
    register_first = arriving(STILL_MISSING, KILLED)
    death_first = arriving(KILLED, STILL_MISSING)
    for case in (register_first, death_first):
        check_case(WORKFLOW, case)
        assert (case.status, case.fate, case.status_since) == ("dead", Fate.DEAD, dated(3, 10))
    move = register_first.trail[-1]
    assert (move.kind, move.contests) == (cs.EntryKind.TRANSITION, (1,))
    assert register_first.open_conflicts == (1,)
    assert [entry.kind for entry in register_first.conflicts] == [cs.EntryKind.CORROBORATION]
    assert death_first.trail[-1].codes == (cs.Code.ILLEGAL_TRANSITION,)
    assert contested_story(register_first) == contested_story(death_first)
    on_the_12th = register_first.as_of_effective(dated(3, 12))
    assert on_the_12th is not None
    assert (on_the_12th.status, on_the_12th.contested_by) == ("dead", (1,))
    # Before the move, the register was a corroboration, as it was known then.
    known = register_first.as_of_recorded(dated(3, 13))
    assert known is not None
    assert (known.status, known.contested_by) == ("missing", ())


def test_a_still_missing_before_the_day_of_the_death_stays_what_it_said():
    register_first = arriving(STILL_MISSING_BEFORE, KILLED)
    death_first = arriving(KILLED, STILL_MISSING_BEFORE)
    assert register_first.trail[-1].contests is None
    assert register_first.open_conflicts == death_first.open_conflicts == ()
    assert contested_story(register_first) == contested_story(death_first)


def test_only_the_corroborations_that_say_otherwise_are_contested():
    # Two registers after the death, and one before it: the move names the two, in order.
    case = arriving(
        STILL_MISSING_BEFORE, STILL_MISSING, attrs.evolve(STILL_MISSING, effective_at=dated(3, 10)), KILLED
    )
    check_case(WORKFLOW, case)
    assert case.trail[-1].contests == (2, 3)
    assert case.open_conflicts == (2, 3)


def test_a_capture_card_after_a_repatriation_told_later_is_contested_on_whereabouts():
    # The same fate (alive), another place: held by the other party, not home.
    taken = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 20), recorded=dated(3, 21))
    home = told("repatriate", ICRC, "exchange_list", effective=dated(3, 15), recorded=dated(3, 22))
    card_first = arriving(taken, card, home)
    home_first = arriving(taken, home, card)
    for case in (card_first, home_first):
        check_case(WORKFLOW, case)
        assert (case.status, case.whereabouts) == ("repatriated", Whereabouts.HOME)
    assert card_first.trail[-1].contests == (2,)
    assert sorted(e.actor_id for e in card_first.conflicts) == sorted(
        e.actor_id for e in home_first.conflicts
    )


def test_a_report_that_could_have_moved_the_case_is_not_contested():
    # A capture card of 12 March after a wound in captivity of 10 March would have moved the case
    # back to captured: it is no conflict, and the move does not make it one.
    taken = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 12), recorded=dated(3, 13))
    hurt = told("report_wounded", UNIT, "unit_notification", effective=dated(3, 10), recorded=dated(3, 14))
    case = arriving(taken, card, hurt)
    check_case(WORKFLOW, case)
    assert (case.status, case.trail[-1].contests, case.open_conflicts) == ("wounded", None, ())


def test_the_report_that_began_a_period_dated_earlier_since_is_contested_in_any_order():
    # A capture video of 5 March, dated from 1 March by a capture card learned later; then a death
    # of 3 March. The video says he was alive and held on 5 March: it waits, whichever came first.
    video = told("report_captured", FAMILY, "video", effective=dated(3, 5), recorded=dated(3, 6))
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 1), recorded=dated(3, 7))
    killed = told("report_dead", UNIT, "unit_notification", effective=dated(3, 3), recorded=dated(3, 8))
    stories = []
    for order in ((video, card, killed), (card, video, killed), (card, killed, video)):
        case = arriving(*order)
        check_case(WORKFLOW, case)
        assert cs.replay(case.trail) == case
        assert [(entry.trigger, entry.effective_at) for entry in case.conflicts] == [
            ("report_captured", dated(3, 5))
        ]
        stories.append(contested_story(case))
    assert stories[0] == stories[1] == stories[2]
    dated_earlier = arriving(video, card)
    assert [backer.seq for backer in dated_earlier.backers] == [1, 2]  # the video, then the card
    assert arriving(video, card, killed).trail[-1].contests == (1,)


def test_a_retraction_contests_nothing_and_a_contested_report_is_settled_as_any_conflict():
    case = arriving(STILL_MISSING, KILLED)
    retracted = arriving(
        told("retract", ICRC, effective=dated(3, 16), reason="the notice named another man"), case=case
    )
    check_case(WORKFLOW, retracted)
    assert (retracted.status, retracted.trail[-1].contests, retracted.open_conflicts) == (
        "missing",
        None,
        (1,),
    )
    settled = arriving(
        told("dismiss", ICRC, effective=dated(3, 16), reason="the register was out of date", resolves=(1,)),
        case=case,
    )
    check_case(WORKFLOW, settled)
    assert (settled.status, settled.open_conflicts) == ("dead", ())


def test_a_batch_that_keeps_no_trail_contests_as_apply_does():
    video = told("report_captured", FAMILY, "video", effective=dated(3, 5), recorded=dated(3, 6))
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 1), recorded=dated(3, 7))
    killed = told("report_dead", UNIT, "unit_notification", effective=dated(3, 3), recorded=dated(3, 8))
    for applied in (arriving(STILL_MISSING, KILLED), arriving(video, card, killed)):
        standing = fed_to_a_batch(applied)
        assert standing == applied.standing
        assert standing is not None
        assert standing.open_conflicts == applied.open_conflicts != ()
    # A batch that loads the case keeps where it stands, and no entry of it (nor the personal data
    # an entry holds): the case's backers are its entries, the standing's are Backer values.
    applied = arriving(STILL_MISSING, KILLED)
    registered = arriving(STILL_MISSING)
    assert [type(backer) for backer in registered.backers] == [cs.Entry]
    assert registered.standing.backers == (cs.Backer(1, "report_missing", dated(3, 12)),)
    loaded = cs.Batch(WORKFLOW, load=lambda _: arriving(STILL_MISSING))
    loaded.check("ua-1203", attrs.evolve(KILLED, recorded_at=dated(3, 14)))
    assert loaded.standing("ua-1203") == applied.standing


def test_a_contesting_move_reads_back_from_json_and_replay():
    case = arriving(STILL_MISSING, KILLED)
    assert cs.replay(case.trail) == case
    assert cs.from_json(cs.to_json(case), head=case.head) == case
    assert cs.to_dict(case)["entries"][-1]["contests"] == [1]
    assert "contests" not in cs.to_dict(case)["entries"][1]
    assert cs.replay(cs.redact(case.trail), allow_redacted=True).open_conflicts == (1,)


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"contests": ()}, "contests no corroboration"),
        ({"contests": (0,)}, "contests entry 0"),
        ({"contests": (1, 1)}, "not each once and in order"),
        ({"effective_at": dated(3, 13), "contests": (1,)}, "contests entry 1"),
    ],
    ids=["empty", "the-opening", "twice", "about-an-earlier-time"],
)
def test_replay_refuses_a_forged_contest(fields, why):
    with pytest.raises(cs.BrokenTrail, match=why):
        cs.replay(last_forged(arriving(STILL_MISSING, KILLED), **fields))


def test_replay_holds_a_contesting_move_to_every_rule_of_a_move():
    # Dated before the status it leaves, or before the case was opened: a forgery, contests or not.
    taken = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 12), recorded=dated(3, 13))
    case = arriving(taken, card, KILLED)
    assert case.trail[-1].contests == (2,)
    for day in (dated(2, 26), dated(2, 20)):
        with pytest.raises(cs.BrokenTrail, match="takes effect before the status it leaves"):
            cs.replay(last_forged(case, effective_at=day))


def test_replay_refuses_a_contest_on_an_entry_that_begins_no_period_of_its_own():
    case = arriving(STILL_MISSING, STILL_MISSING)
    forged = last_forged(case, contests=(1,))
    with pytest.raises(cs.BrokenTrail, match="only a move that begins a period of its own"):
        cs.replay(forged)


def test_the_kit_refuses_a_move_that_leaves_out_a_corroboration_it_contests():
    case = arriving(STILL_MISSING, KILLED)
    left_out = cs.replay(last_forged(case, contests=None))  # replay reads no workflow: it takes it
    assert left_out.open_conflicts == ()
    with pytest.raises(AssertionError, match="contests None"):
        check_case(WORKFLOW, left_out)


PINNED_CONTESTING = (
    b'{"assurance":"reported","case_id":"ua-1203","chain":"sha256","codes":[],'
    b'"commitment":"e8720d87d78bdb35224153a45c1ad5fb2db984a68a489a1cdbbb2af01e4ff977","contests":[1,2],'
    b'"effective_at":"2024-03-10T12:00:00.000000Z","evidence_kinds":["unit_notification"],"fate":"dead",'
    b'"from_status":"missing","kind":"transition",'
    b'"prev_hash":"0839ce396dea4cbef6b7f37b03565fa737cbf97a8fe6300542902704e7904fc9",'
    b'"recorded_at":"2024-03-14T12:00:00.000000Z","resolves":[],"reverts_to":null,"role":"unit","seq":3,'
    b'"to_status":"dead","trigger":"report_dead","whereabouts":"unknown"}'
)
PINNED_CONTESTING_HASH = "6724c127c62e6019f373859838e60e84c956b2ea46dfa0b25e2ac8abd0f04922"


def test_pinned_vector_of_a_move_that_contests_two_corroborations():
    # Trails written now must verify in every later casestate: the bytes of the form are fixed.
    case = arriving(STILL_MISSING, attrs.evolve(STILL_MISSING, effective_at=dated(3, 11)), KILLED)
    entry = case.trail[-1]
    assert entry.contests == (1, 2)
    assert canonical_bytes(entry) == PINNED_CONTESTING
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_CONTESTING).hexdigest()
    assert entry.hash == PINNED_CONTESTING_HASH
    # Reordered, the list is tampering.
    tampered = [*case.trail[:-1], attrs.evolve(entry, contests=(2, 1))]
    integrity = cs.verify(tampered, head=case.head)
    assert (integrity.ok, integrity.position) == (False, 3)
