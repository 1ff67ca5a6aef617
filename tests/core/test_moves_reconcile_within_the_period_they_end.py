"""A move reconciles the conflicts about a time inside the period it ends that agree with it.

The ICRC confirms on 10 March that he is held as a prisoner. His family
sends a video of his death at noon on 12 March: a case confirmed alive
takes no report of a death, and the video waits as a conflict. That
evening the detaining power notifies his death through the ICRC, and the
case moves to dead. Had the notice come first, the video would have
corroborated the death: two reports of one death, hours apart, for a
person to weigh from the trail. It corroborates it now, whichever came
first: the notice names the video in ``reconciles``.
"""

import hashlib
import itertools
from datetime import timedelta

import attrs
import pytest

import casestate as cs
from casestate import Fate, canonical_bytes
from casestate.testing import check_case
from support import (
    FAMILY,
    ICRC,
    MINISTRY,
    WORKFLOW,
    dated,
    fed_to_a_batch,
    in_turn,
    last_forged,
    missing_since_february,
    order_story,
    resealed,
    told,
)

FILMED = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
"""His family's video: taken prisoner on 1 March."""
CONFIRMED = told("confirm", ICRC, "capture_card", effective=dated(3, 10), recorded=dated(3, 11))
"""The ICRC's capture card: held as a prisoner, confirmed on 10 March."""
KILLED = told("report_dead", FAMILY, "video", effective=dated(3, 12), recorded=dated(3, 13))
"""His family's video: killed at noon on 12 March."""
NOTIFIED = told(
    "notify_death",
    ICRC,
    "information_bureau_notice",
    effective=dated(3, 12) + timedelta(hours=6),
    recorded=dated(3, 14),
)
"""The detaining power's notice, through the ICRC: died that evening."""

DAYS = (dated(3, 9), dated(3, 10), dated(3, 11), dated(3, 12), NOTIFIED.effective_at, dated(3, 20))


def arriving(*changes: cs.Change) -> cs.Case:
    """Missing since February, a prisoner from 1 March confirmed on 10 March, then *changes* in turn."""
    case = in_turn(FILMED, CONFIRMED, *changes, case=missing_since_february("ua-1217"))
    check_case(WORKFLOW, case)
    return case


def test_the_video_corroborates_the_death_whichever_came_first():
    cases = [arriving(*order) for order in itertools.permutations((KILLED, NOTIFIED))]
    for case in cases:
        assert case.open_conflicts == ()
        assert (case.status, case.fate, case.status_since) == ("dead", Fate.DEAD, NOTIFIED.effective_at)
        assert order_story(case, DAYS) == order_story(cases[0], DAYS)


def test_the_notice_names_the_video_it_reconciles_and_the_video_backs_the_death():
    case = arriving(KILLED, NOTIFIED)
    video, notice = case.trail[-2:]
    assert video.kind is cs.EntryKind.CONFLICT
    assert (notice.kind, notice.reconciles) == (cs.EntryKind.TRANSITION, (video.seq,))
    assert [backer.seq for backer in case.backers] == [video.seq]
    # As of noon, the case held him alive and confirmed a prisoner, as when the notice came first.
    assert case.as_of_effective(dated(3, 12)).status == "confirmed"


def test_a_report_about_the_instant_the_period_began_stays_a_conflict():
    # Killed at noon on 10 March, the very instant the captivity was confirmed: come after the
    # notice, it would say another fate than the case held then, and wait all the same.
    at_start = attrs.evolve(KILLED, effective_at=dated(3, 10))
    for order in itertools.permutations((at_start, NOTIFIED)):
        case = arriving(*order)
        assert [entry.effective_at for entry in case.conflicts] == [dated(3, 10)], order
    assert arriving(at_start, NOTIFIED).trail[-1].reconciles is None


def test_a_report_about_a_time_before_the_period_stays_a_conflict():
    # Killed on 5 March, while the case held him a prisoner not yet confirmed: an older period.
    before = attrs.evolve(KILLED, effective_at=dated(3, 5))
    case = arriving(before, NOTIFIED)
    assert (case.trail[-1].reconciles, len(case.open_conflicts)) == (None, 1)


def test_a_death_before_he_was_seen_alive_stays_a_conflict():
    # Killed on 26 February, while listed missing: the capture video of 1 March shows him alive after.
    seen_after = attrs.evolve(KILLED, effective_at=dated(2, 26))
    for order in itertools.permutations((seen_after, NOTIFIED)):
        case = arriving(*order)
        assert [entry.effective_at for entry in case.conflicts] == [dated(2, 26)], order


def test_a_conflict_that_disagrees_with_the_death_stays():
    # The ministry's register lists him missing on 11 March: a prisoner confirmed is not missing,
    # and the death does not agree with it either.
    register = told(
        "report_missing", MINISTRY, "missing_register", effective=dated(3, 11), recorded=dated(3, 13)
    )
    for order in itertools.permutations((register, KILLED, NOTIFIED)):
        case = arriving(*order)
        assert [entry.trigger for entry in case.conflicts] == ["report_missing"], order
    assert arriving(register, KILLED, NOTIFIED).trail[-1].reconciles == (4,)


def test_a_batch_that_keeps_no_trail_reconciles_as_apply_does():
    case = arriving(KILLED, NOTIFIED)
    assert fed_to_a_batch(case) == case.standing


def test_the_case_reads_back_from_json_redacted_or_not():
    case = arriving(KILLED, NOTIFIED)
    assert cs.from_json(cs.to_json(case), head=case.head) == case
    assert cs.to_dict(case)["entries"][-1]["reconciles"] == [3]
    redacted = cs.replay(cs.redact(case.trail), allow_redacted=True)
    assert (redacted.open_conflicts, [backer.seq for backer in redacted.backers]) == ((), [3])


def test_replay_refuses_a_transition_that_reconciles_a_conflict_about_a_time_before_he_went_missing():
    before = attrs.evolve(KILLED, effective_at=dated(2, 20))
    case = arriving(before, NOTIFIED)
    assert (case.trail[-1].reconciles, case.open_conflicts) == (None, (3,))
    with pytest.raises(cs.BrokenTrail, match="reconciles entry 3, no open conflict"):
        cs.replay(last_forged(case, reconciles=(3,)))


def test_the_kit_refuses_a_transition_that_reconciles_a_conflict_about_the_start_of_the_period_it_ends():
    # Replay reads no workflow: whether the death agrees with the captivity confirmed at that instant
    # is the kit's to check.
    at_start = attrs.evolve(KILLED, effective_at=dated(3, 10))
    forged = cs.replay(last_forged(arriving(at_start, NOTIFIED), reconciles=(3,)))
    with pytest.raises(AssertionError, match=r"the conflicts that agree with it are None"):
        check_case(WORKFLOW, forged)


def test_the_kit_refuses_a_move_that_leaves_out_a_conflict_it_reconciles():
    left_out = cs.replay(last_forged(arriving(KILLED, NOTIFIED), reconciles=None))
    assert left_out.open_conflicts == (3,)  # replay reads no workflow: it takes it
    with pytest.raises(AssertionError, match=r"the conflicts that agree with it are \(3,\)"):
        check_case(WORKFLOW, left_out)


def test_trails_written_before_read_as_they_did():
    # A move written before it reconciled what lay inside the period it ends: it names nothing, and
    # replay keeps the video a conflict, as the trail says.
    case = arriving(KILLED, NOTIFIED)
    before = resealed([*case.trail[:-1], attrs.evolve(case.trail[-1], reconciles=None)])
    assert cs.replay(before).open_conflicts == (3,)


PINNED = (
    b'{"assurance":"documented","case_id":"ua-1217","chain":"sha256","codes":[],'
    b'"commitment":"6eab6002cece53eecf974f06dce68b9fbe9a27930c16cc149e0db7831d692c39",'
    b'"effective_at":"2024-03-12T18:00:00.000000Z","evidence_kinds":["information_bureau_notice"],'
    b'"fate":"dead","from_status":"confirmed","kind":"transition",'
    b'"prev_hash":"28c97412f25f0bc4e01ac766b864be91fba476d0e5d159cb20923423cc8566a0","reconciles":[3],'
    b'"recorded_at":"2024-03-14T12:00:00.000000Z","resolves":[],"reverts_to":null,"role":"icrc","seq":4,'
    b'"to_status":"dead","trigger":"notify_death","whereabouts":"held"}'
)
PINNED_HASH = "37d63f5f0e139e8625c9f1527b448061a94a48397988ad056fb5ecbe244e0a0b"


def test_pinned_vector_of_a_move_that_reconciles_a_report_inside_the_period_it_ends():
    # Trails written now must verify in every later casestate: the bytes of the form are fixed.
    entry = arriving(KILLED, NOTIFIED).trail[-1]
    assert canonical_bytes(entry) == PINNED
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED).hexdigest()
    assert entry.hash == PINNED_HASH
