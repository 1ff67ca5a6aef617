"""A late report that begins a period reconciles what its move would have.

A tracing service's workflow adds a report of a prisoner moved to another
camp, which only a case held as captured can take. The ICRC reports him
moved on 7 March while he is still listed missing: kept as a conflict.
His family's video shows him taken prisoner on 10 March: a prisoner moved
on 7 March was taken before the video, and the video's move makes the
transfer agree with the captivity (come after it, the transfer would have
corroborated it). The ICRC's capture card of 5 March comes last, and finds
nothing waiting. Had a death certificate of 8 March come before the video
of his capture, learned late and dated 5 March, the video tells a captivity
of its own, from 5 to 8 March: it makes the transfer agree with it, as its
move would have, had it come first, and names it in ``reconciles``.
"""

import hashlib
import itertools

import attrs
import pytest

import casestate as cs
from casestate import EvidenceRule, Role, Rule, Status, canonical_bytes
from casestate.testing import check_case
from support import (
    FAMILY,
    ICRC,
    MINISTRY,
    WORKFLOW,
    dated,
    fed_to_a_batch,
    last_forged,
    order_story,
    resealed,
    told,
)

TRACING = WORKFLOW.with_rules(
    Rule(
        trigger="report_transferred",
        sources={Status.CAPTURED},
        target=Status.CAPTURED,
        roles={Role.ICRC, Role.MINISTRY},
        evidence=EvidenceRule(kinds={"capture_card"}),
        report=True,
        description="a prisoner moved to another camp",
    )
)
"""The default workflow, with a report that only a case held as captured takes."""

MOVED = told("report_transferred", ICRC, "capture_card", effective=dated(3, 7), recorded=dated(3, 12))
"""The ICRC: moved to another camp on 7 March."""
FILMED = told("report_captured", FAMILY, "video", effective=dated(3, 10), recorded=dated(3, 13))
"""His family's video: taken prisoner on 10 March."""
CARDED = told("report_captured", ICRC, "capture_card", effective=dated(3, 5), recorded=dated(3, 14))
"""The ICRC's capture card: taken prisoner on 5 March."""

DAYS = (dated(3, 4), dated(3, 5), dated(3, 7), dated(3, 10), dated(3, 20))


def arriving(*changes: cs.Change, workflow: cs.Workflow = TRACING) -> cs.Case:
    """Missing since 24 February, *changes* applied in turn, each checked by the kit as it lands."""
    case = workflow.open(
        "ua-1212", actor=FAMILY, effective_at=dated(2, 24), recorded_at=dated(3, 1), salt=bytes(16)
    )
    for number, sent in enumerate(changes):
        at = dated(3, 20) + number * (dated(3, 21) - dated(3, 20))
        case = workflow.apply(case, attrs.evolve(sent, recorded_at=at, salt=bytes(16)))
        check_case(workflow, case)
    return case


def test_the_transfer_agrees_with_the_captivity_whichever_capture_report_came_first():
    for order in itertools.permutations((MOVED, FILMED, CARDED)):
        case = arriving(*order)
        assert case.open_conflicts == (), order
        assert (case.status, case.status_since) == ("captured", dated(3, 5))
        assert order_story(case, DAYS) == order_story(arriving(MOVED, CARDED, FILMED), DAYS)


KILLED = told("report_dead", MINISTRY, "death_certificate", effective=dated(3, 8), recorded=dated(3, 12))
"""A death certificate: died on 8 March."""
FILMED_EARLY = attrs.evolve(FILMED, effective_at=dated(3, 5))
"""His family's video, learned after the death: taken prisoner on 5 March."""


def test_the_capture_video_names_the_transfer_it_reconciles_and_the_late_card_finds_none_waiting():
    case = arriving(MOVED, FILMED, CARDED)
    video, card = case.trail[-2:]
    assert (video.kind, video.reconciles) == (cs.EntryKind.TRANSITION, (1,))
    assert (card.kind, card.reconciles) == (cs.EntryKind.EARLIER_PERIOD, None)
    # The transfer the video made agree backs the captivity, then the video's report, then the card.
    assert [backer.seq for backer in case.backers] == [2, 1, 3]
    assert case.waiting == ()


def test_a_late_report_of_a_period_the_conflict_does_not_agree_with_reconciles_nothing():
    # A wound of 5 March, learned after the death, tells a period before it: the transfer of 7 March
    # says he was held, which the wound does not.
    wounded = told("report_wounded", ICRC, "capture_card", effective=dated(3, 5), recorded=dated(3, 15))
    case = arriving(MOVED, KILLED, wounded)
    assert case.trail[-1].reconciles is None
    assert case.open_conflicts == (1,)


def test_a_conflict_that_disagrees_with_the_captivity_stays():
    # A register of 6 March that lists him missing corroborates the missing period; the captivity told
    # late says otherwise about that day, and it waits for review.
    register = told("report_missing", ICRC, "missing_register", effective=dated(3, 6), recorded=dated(3, 12))
    case = arriving(register, MOVED, KILLED, FILMED_EARLY)
    assert (case.trail[-1].reconciles, case.trail[-1].contests) == ((2,), (1,))
    assert case.open_conflicts == (1,)


def test_a_transfer_before_the_day_the_told_captivity_began_agrees_with_it_whichever_came_first():
    # A prisoner moved on 3 March was taken before the video of 5 March: two days of one capture, as
    # it would be, come after the video's move.
    early = told("report_transferred", ICRC, "capture_card", effective=dated(3, 3), recorded=dated(3, 12))
    for order in itertools.permutations((early, KILLED, FILMED_EARLY)):
        if order[-1] is early:
            # Not settled yet: come after both, the transfer is about the missing period, and agrees
            # with no period the case is in (see "What is not settled yet" in the conflicts page).
            assert arriving(*order).open_conflicts == (3,)
            continue
        case = arriving(*order)
        assert case.open_conflicts == (), order
        assert order.index(early) + 1 in [backer.seq for backer in case.left_backers], order
    assert arriving(early, KILLED, FILMED_EARLY).trail[-1].reconciles == (1,)


def test_a_batch_that_keeps_no_trail_reconciles_as_apply_does():
    for case in (arriving(MOVED, FILMED, CARDED), arriving(MOVED, KILLED, FILMED_EARLY)):
        assert fed_to_a_batch(case, TRACING) == case.standing


def test_the_case_reads_back_from_json_redacted_or_not():
    case = arriving(MOVED, KILLED, FILMED_EARLY)
    assert cs.from_json(cs.to_json(case), head=case.head) == case
    assert cs.to_dict(case)["entries"][-1]["reconciles"] == [1]
    redacted = cs.replay(cs.redact(case.trail), allow_redacted=True)
    assert (redacted.open_conflicts, [backer.seq for backer in redacted.left_backers]) == ((), [3, 1])


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"reconciles": (0,)}, "reconciles entry 0"),
        ({"reconciles": (1, 1)}, "not each once and in order"),
        ({"effective_at": dated(3, 8), "reconciles": (1,)}, "reconciles entry 1"),
    ],
    ids=["the-opening", "twice", "about-a-later-time-than-the-conflict"],
)
def test_replay_refuses_a_forged_reconciliation(fields, why):
    with pytest.raises(cs.BrokenTrail, match=why):
        cs.replay(last_forged(arriving(MOVED, FILMED, CARDED), **fields))


def test_a_late_capture_that_tells_a_left_captivity_reconciles_the_transfer_in_any_order():
    # Killed on 8 March, says a death certificate; the capture video of 5 March, learned after it,
    # tells the captivity before the death: the transfer of 7 March agrees with that captivity, and
    # backs it, as when the video came first.
    killed = told("report_dead", MINISTRY, "death_certificate", effective=dated(3, 8), recorded=dated(3, 12))
    filmed = attrs.evolve(FILMED, effective_at=dated(3, 5))
    cases = [arriving(*order) for order in itertools.permutations((MOVED, filmed, killed))]
    for case in cases:
        assert case.open_conflicts == ()
        assert order_story(case, DAYS) == order_story(cases[0], DAYS)
    late = arriving(MOVED, killed, filmed)
    assert (late.trail[-1].kind, late.trail[-1].reconciles) == (cs.EntryKind.EARLIER_PERIOD, (1,))
    assert [backer.seq for backer in late.left_backers] == [3, 1]
    left_out = cs.replay(last_forged(late, reconciles=None))
    with pytest.raises(AssertionError, match=r"the rule makes it .*\(1,\)\)"):
        check_case(TRACING, left_out)
    # Only up to the start of the period after it: a transfer of the day after the death is about no
    # captivity the case holds.
    after = told("report_transferred", ICRC, "capture_card", effective=dated(3, 9), recorded=dated(3, 12))
    case = arriving(after, killed, filmed)
    assert (case.trail[-1].reconciles, case.open_conflicts) == (None, (1,))
    with pytest.raises(cs.BrokenTrail, match="reconciles entry 1"):
        cs.replay(last_forged(case, reconciles=(1,)))


def test_replay_refuses_a_late_report_about_the_current_period_that_reconciles():
    # Forged to be about a time after the captivity began: the transfer is before its time.
    wounded = told("report_wounded", ICRC, "capture_card", effective=dated(3, 4), recorded=dated(3, 15))
    forged = last_forged(arriving(MOVED, FILMED, wounded), effective_at=dated(3, 11), reconciles=(1,))
    with pytest.raises(cs.BrokenTrail, match="reconciles entry 1, no open conflict"):
        cs.replay(forged)


def test_replay_refuses_a_reconciliation_by_a_late_report_that_begins_no_period():
    # "Still missing" on 3 March, learned after the capture: the case was as the missing period stood.
    register = told("report_missing", ICRC, "missing_register", effective=dated(3, 3), recorded=dated(3, 15))
    with pytest.raises(cs.BrokenTrail, match="or a late report that begins one, reconciles"):
        cs.replay(last_forged(arriving(MOVED, FILMED, register), reconciles=(1,)))


def test_the_kit_refuses_a_late_report_that_leaves_out_a_conflict_it_reconciles():
    left_out = cs.replay(last_forged(arriving(MOVED, KILLED, FILMED_EARLY), reconciles=None))
    assert left_out.open_conflicts == (1,)  # replay reads no workflow: it takes it
    with pytest.raises(AssertionError, match=r"the rule makes it .*\(1,\)\)"):
        check_case(TRACING, left_out)


def written_before(case: cs.Case, *reconciled: tuple[int, ...] | None) -> list[cs.Entry]:
    """*case*'s trail as casestate wrote it before: its last entries reconciling *reconciled*, resealed."""
    start = len(case.trail) - len(reconciled)
    changed = [
        attrs.evolve(entry, reconciles=seqs)
        for entry, seqs in zip(case.trail[start:], reconciled, strict=True)
    ]
    return resealed([*case.trail[:start], *changed])


def test_trails_written_before_read_as_they_did():
    # A late report of the status the case holds, written before it reconciled: it names nothing,
    # and replay keeps the transfer a conflict, as the trail says.
    case = arriving(MOVED, KILLED, FILMED_EARLY)
    assert cs.replay(written_before(case, None)).open_conflicts == (1,)
    # Before a move reconciled a conflict about an earlier time than its own, the card of 5 March did.
    earlier = cs.replay(written_before(arriving(MOVED, FILMED, CARDED), None, (1,)))
    assert (earlier.open_conflicts, [backer.seq for backer in earlier.backers]) == ((), [2, 3, 1])
    # The kit holds such a trail to the rule of today: the video makes the transfer agree.
    with pytest.raises(AssertionError, match=r"the conflicts that agree with it are \(1,\)"):
        check_case(TRACING, earlier)


PINNED = (
    b'{"assurance":"documented","case_id":"ua-1212","chain":"sha256","codes":[],'
    b'"commitment":"5567416322df04ec87ffece4b4aa409c7272556121346bf6eeea10b27355714e",'
    b'"effective_at":"2024-03-05T12:00:00.000000Z","evidence_kinds":["capture_card"],"fate":"alive",'
    b'"from_status":"captured","kind":"earlier_period",'
    b'"prev_hash":"8a826b763c89ea20529a97d557efd88aa54eadf549fc66c691097a246c5f8104","reconciles":[1],'
    b'"recorded_at":"2024-03-22T12:00:00.000000Z","resolves":[],"reverts_to":null,"role":"icrc","seq":3,'
    b'"to_status":"captured","trigger":"report_captured","whereabouts":"held"}'
)
PINNED_HASH = "1de9e37eb69b07396f0c2a7ecbbcf9b28113329c0b5dd17a4ebc6729c2146de6"


def test_pinned_vector_of_a_late_report_that_reconciles():
    # Trails written by an earlier casestate must verify in every later one: the bytes are fixed. The
    # card of 5 March reconciled the transfer then; the video does now.
    entry = written_before(arriving(MOVED, FILMED, CARDED), None, (1,))[-1]
    assert canonical_bytes(entry) == PINNED
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED).hexdigest()
    assert entry.hash == PINNED_HASH
