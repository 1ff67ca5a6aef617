"""A move reconciles the conflicts it makes agree: the rule is the same whichever came first.

The ministry's register says he was still missing on 3 March; one unit's
notice says he was killed on 1 March, another unit's that he was taken
prisoner that day. The two notices tie, and the case is missing again from
1 March. Had the tie come first, the register would have corroborated the
missing period. It corroborates it whichever came first: the entry that
makes it agree names it in ``reconciles``.
"""

import hashlib
import itertools

import attrs
import pytest

import casestate as cs
from casestate import Fate, canonical_bytes
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
    order_story,
    told,
)

OTHER_UNIT = cs.Actor("unit-57", cs.Role.UNIT)

STILL_MISSING = told(
    "report_missing", MINISTRY, "missing_register", effective=dated(3, 3), recorded=dated(3, 4)
)
"""The ministry's register: still missing on 3 March."""
KILLED = told("report_dead", UNIT, "unit_notification", effective=dated(3, 1), recorded=dated(3, 5))
"""One unit's notice: killed on 1 March."""
TAKEN = told("report_captured", OTHER_UNIT, "unit_notification", effective=dated(3, 1), recorded=dated(3, 6))
"""Another unit's notice, as strong: taken prisoner on 1 March."""


def arriving(*changes: cs.Change) -> cs.Case:
    """The case missing since February, *changes* applied in turn (the vectors below pin its id)."""
    return in_turn(*changes, case=missing_since_february("ua-1207"))


def story(case: cs.Case) -> tuple[object, ...]:
    """What the order of arrival must not change: the open conflicts, by report, and the as-of answers."""
    conflicts = sorted((entry.trigger, entry.actor_id) for entry in case.conflicts)
    answers = []
    for day in (dated(2, 28), dated(3, 1), dated(3, 3), dated(3, 20)):
        then = case.as_of_effective(day)
        assert then is not None
        contesting = sorted((case.trail[seq].trigger, case.trail[seq].actor_id) for seq in then.contested_by)
        answers.append((then.status, then.fate, then.whereabouts, contesting))
    return conflicts, answers


def test_a_register_kept_against_a_death_corroborates_the_missing_period_a_tie_leaves_in_any_order():
    stories = set()
    for order in itertools.permutations((STILL_MISSING, KILLED, TAKEN)):
        case = arriving(*order)
        check_case(WORKFLOW, case)
        assert cs.replay(case.trail) == case
        assert (case.status, case.fate, case.status_since) == ("missing", Fate.UNKNOWN, dated(3, 1))
        assert sorted(entry.trigger for entry in case.conflicts) == ["report_captured", "report_dead"]
        stories.add(repr(story(case)))
    assert len(stories) == 1


def test_the_tie_names_the_register_it_reconciles_and_the_register_backs_the_period():
    case = arriving(KILLED, STILL_MISSING, TAKEN)
    register, tie = case.trail[2], case.trail[3]
    assert (register.kind, register.codes) == (cs.EntryKind.CONFLICT, (cs.Code.ILLEGAL_TRANSITION,))
    assert (tie.kind, tie.displaces, tie.reconciles) == (cs.EntryKind.CONFLICT, 1, (2,))
    assert case.open_conflicts == (1, 3)
    assert [backer.seq for backer in case.backers] == [2]
    # Before the tie, the register waited, as it was known then.
    known = case.as_of_recorded(tie.recorded_at - (tie.recorded_at - register.recorded_at) / 2)
    assert known is not None
    assert (known.status, known.contested_by) == ("dead", (2,))


def test_a_corroboration_a_move_contested_is_reconciled_by_the_tie_that_undoes_the_move():
    case = arriving(STILL_MISSING, KILLED, TAKEN)
    assert case.trail[2].contests == (1,)
    assert case.trail[3].reconciles == (1,)
    assert case.open_conflicts == (2, 3)


def confirmed_captivity(*, settling: tuple[int, ...] = ()) -> tuple[cs.Change, ...]:
    """Taken on 1 March, confirmed a prisoner on 10 March; a video of his death that day; the captor's notice.

    The notice settles the conflicts *settling* names.
    """
    brother = cs.Actor("brother", cs.Role.FAMILY)
    return (
        told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2)),
        told("confirm", ICRC, "capture_card", effective=dated(3, 10), recorded=dated(3, 11)),
        told("report_dead", brother, "video", effective=dated(3, 10), recorded=dated(3, 12)),
        told(
            "notify_death",
            ICRC,
            "information_bureau_notice",
            effective=dated(3, 10),
            recorded=dated(3, 13),
            resolves=settling,
        ),
    )


def test_a_capture_confirmed_then_a_death_video_of_that_day_agrees_once_the_captor_notifies_the_death():
    # The ICRC confirmed him a prisoner on 10 March; a family's video says he was killed that day,
    # against the confirmed captivity; then the detaining power notifies his death on 10 March.
    taken, card, video, notice = confirmed_captivity()
    video_first = arriving(taken, card, video, notice)
    notice_first = arriving(taken, card, notice, video)
    for case in (video_first, notice_first):
        check_case(WORKFLOW, case)
        assert (case.status, case.fate, case.open_conflicts) == ("dead", Fate.DEAD, ())
    move = video_first.trail[-1]
    assert (move.kind, move.reconciles) == (cs.EntryKind.TRANSITION, (3,))
    assert notice_first.trail[-1].kind is cs.EntryKind.CORROBORATION
    assert story(video_first) == story(notice_first)


def test_a_move_that_settles_a_conflict_it_would_reconcile_settles_it():
    case = arriving(*confirmed_captivity(settling=(3,)))
    check_case(WORKFLOW, case)
    move = case.trail[-1]
    assert (move.resolves, move.reconciles, case.open_conflicts, case.backers) == ((3,), None, (), ())


OUTWEIGHING = told("report_captured", ICRC, "capture_card", effective=dated(3, 5), recorded=dated(3, 6))
"""The ICRC's capture card: taken prisoner on 5 March, stronger than a unit's notice."""
KILLED_ON_2 = told("report_dead", UNIT, "unit_notification", effective=dated(3, 2), recorded=dated(3, 5))
"""A unit's notice: killed on 2 March."""


def test_a_rival_that_holds_about_a_later_day_gives_the_days_between_their_reports_back():
    # "Still missing" on 3 March, and a unit's death notice of 2 March; an ICRC capture card of 5 March
    # outweighs the notice, and the days from 2 March are the missing period's again. The register
    # backs it, as when it came after the card (kept as a report of the missing period then).
    cases = [arriving(*order) for order in itertools.permutations((KILLED_ON_2, STILL_MISSING, OUTWEIGHING))]
    for case in cases:
        check_case(WORKFLOW, case)
        assert (case.status, [case.trail[seq].trigger for seq in case.open_conflicts]) == (
            "captured",
            ["report_dead"],
        )
        assert story(case) == story(cases[0])
    card = arriving(KILLED_ON_2, STILL_MISSING, OUTWEIGHING)
    move = card.trail[-1]
    assert (move.kind, move.displaces, move.reconciles) == (cs.EntryKind.TRANSITION, 1, (2,))
    # It backs the missing period the case has left, not the captivity.
    assert ([backer.seq for backer in card.left_backers], card.backers) == ([2], ())
    assert fed_to_a_batch(card) == card.standing
    assert cs.from_json(cs.to_json(card), head=card.head) == card
    # A trail written before reads as it did (the register waits); the kit holds it to the rule of today.
    left_out = cs.replay(last_forged(card, reconciles=None))
    assert left_out.open_conflicts == (2, 1)
    with pytest.raises(AssertionError, match=r"the conflicts that agree with it are \(2,\)"):
        check_case(WORKFLOW, left_out)


def test_replay_refuses_a_rival_that_holds_reconciling_the_report_it_displaces():
    case = arriving(KILLED_ON_2, STILL_MISSING, OUTWEIGHING)
    with pytest.raises(cs.BrokenTrail, match="reconciles entry 1, no open conflict"):
        cs.replay(last_forged(case, reconciles=(1, 2)))


def test_a_dismissed_conflict_is_not_reconciled():
    case = arriving(
        KILLED,
        STILL_MISSING,
        told("dismiss", ICRC, effective=dated(3, 5), reason="the register was out of date", resolves=(2,)),
        TAKEN,
    )
    check_case(WORKFLOW, case)
    assert case.trail[-1].reconciles is None
    assert case.waiting == ()


def test_a_pair_left_undecided_about_a_later_day_reconciles_what_agrees_with_the_days_between():
    # A family's video: still missing on 1 March, against a unit's death notice of that day. A
    # capture video of 3 March, as strong, ties with the notice: the days from 1 March are the
    # missing period's again, and the video of 1 March backs it, as when it came after the capture.
    killed = told("report_dead", UNIT, "unit_notification", effective=dated(3, 1), recorded=dated(3, 2))
    still = told("report_missing", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 4))
    taken = told("report_captured", FAMILY, "video", effective=dated(3, 3), recorded=dated(3, 4))
    cases = [arriving(killed, *order) for order in ((still, taken), (taken, still))]
    for case in cases:
        check_case(WORKFLOW, case)
        assert [case.trail[seq].trigger for seq in case.open_conflicts] == ["report_dead", "report_captured"]
    assert cases[0].trail[-1].reconciles == (2,)
    assert [backer.seq for backer in cases[0].backers] == [2]
    days = (dated(3, 1), dated(3, 2), dated(3, 3))
    assert order_story(cases[0], days) == order_story(cases[1], days)
    # Replay holds a tie to the displaced period's start: not a report of an earlier day.
    earlier = told("report_missing", FAMILY, "video", effective=dated(2, 28), recorded=dated(3, 4))
    forged = arriving(killed, earlier, taken)
    with pytest.raises(cs.BrokenTrail, match="reconciles entry 2"):
        cs.replay(last_forged(forged, reconciles=(2,)))


def test_a_batch_that_keeps_no_trail_reconciles_as_apply_does():
    for order in itertools.permutations((STILL_MISSING, KILLED, TAKEN)):
        applied = arriving(*order)
        assert fed_to_a_batch(applied) == applied.standing


def test_a_reconciling_move_reads_back_from_json_redacted_or_not():
    case = arriving(KILLED, STILL_MISSING, TAKEN)
    assert cs.from_json(cs.to_json(case), head=case.head) == case
    assert cs.to_dict(case)["entries"][-1]["reconciles"] == [2]
    assert "reconciles" not in cs.to_dict(case)["entries"][2]
    redacted = cs.replay(cs.redact(case.trail), allow_redacted=True)
    assert (redacted.open_conflicts, [backer.seq for backer in redacted.backers]) == ((1, 3), [2])


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"reconciles": ()}, "reconciles no conflict"),
        ({"reconciles": (0,)}, "reconciles entry 0"),
        ({"reconciles": (2, 2)}, "not each once and in order"),
        ({"reconciles": (1,)}, "reconciles entry 1"),
    ],
    ids=["empty", "the-opening", "twice", "the-report-it-displaces"],
)
def test_replay_refuses_a_forged_reconciliation(fields, why):
    with pytest.raises(cs.BrokenTrail, match=why):
        cs.replay(last_forged(arriving(KILLED, STILL_MISSING, TAKEN), **fields))


def test_replay_refuses_a_reconciliation_by_an_entry_that_begins_no_period():
    case = arriving(KILLED, STILL_MISSING, STILL_MISSING)
    forged = last_forged(case, reconciles=(2,))
    with pytest.raises(
        cs.BrokenTrail,
        match="only a move that begins a period, or a late report that begins one, reconciles",
    ):
        cs.replay(forged)


def test_replay_refuses_a_reconciliation_of_a_conflict_settled_by_the_same_entry():
    case = arriving(KILLED, STILL_MISSING, TAKEN)
    with pytest.raises(cs.BrokenTrail, match="reconciles entry 2"):
        cs.replay(last_forged(case, resolves=(2,)))


def test_the_kit_refuses_a_move_that_leaves_out_a_conflict_it_reconciles():
    case = arriving(KILLED, STILL_MISSING, TAKEN)
    left_out = cs.replay(last_forged(case, reconciles=None))  # replay reads no workflow: it takes it
    assert sorted(left_out.open_conflicts) == [1, 2, 3]
    with pytest.raises(AssertionError, match="reconciles None"):
        check_case(WORKFLOW, left_out)


def test_a_case_rebuilt_with_other_conflicts_waiting_is_refused_before_any_change():
    case = arriving(KILLED, STILL_MISSING)
    assert [report.seq for report in case.waiting] == [2]
    tie = arriving(KILLED, TAKEN)
    # The reports of a period a rival displaced wait with it, for a person: a death of 8 March that
    # backed the death of 1 March, displaced by a capture of that day.
    again = attrs.evolve(KILLED, effective_at=dated(3, 8), recorded_at=dated(3, 8))
    displaced = arriving(KILLED, again, attrs.evolve(TAKEN, recorded_at=dated(3, 9)))
    assert (displaced.open_conflicts, displaced.waiting) == ((1, 2, 3), ())
    for rebuilt in (
        attrs.evolve(case, waiting=()),  # the register waits
        attrs.evolve(case, waiting=(case.trail[2], case.trail[2])),  # once
        attrs.evolve(displaced, waiting=(displaced.trail[2],)),
        attrs.evolve(tie, waiting=(tie.trail[2],)),  # a rival's conflict waits for a person
        attrs.evolve(case, waiting=(case.trail[0],)),  # no open conflict
        attrs.evolve(case, waiting=(cs.Backer(2, "report_dead", dated(3, 3)),)),  # not what entry 2 says
    ):
        with pytest.raises(ValueError, match="do not match its trail"):
            WORKFLOW.apply(
                rebuilt, told("report_missing", MINISTRY, "missing_register", effective=dated(3, 9))
            )


PINNED_RECONCILING = (
    b'{"assurance":"reported","case_id":"ua-1207","chain":"sha256","codes":["rival_report"],'
    b'"commitment":"59671980d16a6814f55410e6d3772af752cdff717198f100bfbcaa21082ee2b8","displaces":1,'
    b'"effective_at":"2024-03-01T12:00:00.000000Z","evidence_kinds":["unit_notification"],"fate":"unknown",'
    b'"from_status":"dead","kind":"conflict",'
    b'"prev_hash":"26370a6ee5c6ecd8d268c17cf9f7a7bc270b65ec5e7b8fc6b8989173e7416f1f","reconciles":[2,3],'
    b'"recorded_at":"2024-03-06T12:00:00.000000Z","resolves":[],"reverts_to":null,"role":"unit","seq":4,'
    b'"to_status":"missing","trigger":"report_captured","whereabouts":"unknown"}'
)
PINNED_RECONCILING_HASH = "e59c6fdbb286958f4e3ecd31b9a4f730eb3de3c45afefd98bed186533fe11dda"


def test_pinned_vector_of_a_tie_that_reconciles_two_conflicts():
    # Trails written now must verify in every later casestate: the bytes of the form are fixed.
    case = arriving(KILLED, STILL_MISSING, attrs.evolve(STILL_MISSING, effective_at=dated(3, 2)), TAKEN)
    entry = case.trail[-1]
    assert entry.reconciles == (2, 3)
    assert canonical_bytes(entry) == PINNED_RECONCILING
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_RECONCILING).hexdigest()
    assert entry.hash == PINNED_RECONCILING_HASH
    # Reordered, the list is tampering.
    tampered = [*case.trail[:-1], attrs.evolve(entry, reconciles=(3, 2))]
    integrity = cs.verify(tampered, head=case.head)
    assert (integrity.ok, integrity.position) == (False, 4)


PINNED_BETWEEN = (
    b'{"assurance":"documented","case_id":"ua-1207","chain":"sha256","codes":[],"commitment":"e2a14aaad90d'
    b'0e0b0e63f3925522496e064f96eeff36415e979c2d7fa9ca5355","displaces":1,"effective_at":"2024-03-05T12:00'
    b':00.000000Z","evidence_kinds":["capture_card"],"fate":"alive","from_status":"dead","kind":"transitio'
    b'n","prev_hash":"1a85080f7a6ec019962dc569fad1d5fb8cd4e79097e9443a517817c3a73cc4a6","reconciles":[2],"'
    b'recorded_at":"2024-03-06T12:00:00.000000Z","resolves":[],"reverts_to":null,"role":"icrc","seq":3,"to'
    b'_status":"captured","trigger":"report_captured","whereabouts":"held"}'
)
PINNED_BETWEEN_HASH = "4951fa30b8b4216d1226f504b1d0afde8cd53ba11ecb80e07b305392e503f424"


def test_pinned_vector_of_a_rival_that_holds_reconciling_a_report_of_the_days_between():
    # Trails written now must verify in every later casestate: the bytes of the form are fixed.
    entry = arriving(KILLED_ON_2, STILL_MISSING, OUTWEIGHING).trail[-1]
    assert canonical_bytes(entry) == PINNED_BETWEEN
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_BETWEEN).hexdigest()
    assert entry.hash == PINNED_BETWEEN_HASH
