"""A late rival of the report that began a left period: weighed as it would have been, whichever came last.

Missing since 24 February; a family's video shows him taken prisoner on
1 March; his unit's notice says he was killed on 3 March; a death
certificate, learned last, says he died on 26 February. Had the certificate
come while the capture was the current period, it would have rivalled the
video (a capture cannot follow a death) and, on stronger evidence,
displaced it; the notice would then have corroborated the death. It does
so whichever came last: dead from 26 February, the capture period void, the
video waiting as a conflict. Its entry is a report of an earlier period that
tells the current period began on its day and names the video in
``contests``.
"""

import hashlib
import itertools

import pytest

import casestate as cs
from casestate import Whereabouts, canonical_bytes
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

TAKEN = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
"""A family's video: taken prisoner on 1 March."""
KILLED = told("report_dead", UNIT, "unit_notification", effective=dated(3, 3), recorded=dated(3, 4))
"""The unit's notice: killed on 3 March."""
CERTIFIED = told("report_dead", MINISTRY, "death_certificate", effective=dated(2, 26), recorded=dated(3, 5))
"""A death certificate: died on 26 February."""
DAYS = (dated(2, 25), dated(2, 26), dated(2, 28), dated(3, 1), dated(3, 2), dated(3, 3), dated(3, 6))


def arriving(*changes: cs.Change) -> cs.Case:
    """The case missing since February, *changes* applied in turn (the vector below pins its id)."""
    return in_turn(*changes, case=missing_since_february("ua-1208"))


def story(case: cs.Case) -> tuple[object, ...]:
    """What the order of arrival must not change (see ``order_story``), on :data:`DAYS`."""
    return order_story(case, DAYS)


def stories_in_every_order(*changes: cs.Change) -> set[str]:
    """The stories of the case with *changes* arrived in each order, each checked, replayed and batched."""
    stories = set()
    for order in itertools.permutations(changes):
        case = arriving(*order)
        check_case(WORKFLOW, case)
        assert cs.replay(case.trail) == case
        assert fed_to_a_batch(case) == case.standing
        stories.add(repr(story(case)))
    return stories


def test_a_death_certificate_learned_last_voids_the_capture_it_outweighs_in_any_order():
    assert len(stories_in_every_order(TAKEN, KILLED, CERTIFIED)) == 1
    case = arriving(TAKEN, KILLED, CERTIFIED)
    assert (case.status, case.status_since) == ("dead", dated(2, 26))
    assert [(period.status, period.since) for period in case.periods] == [
        ("missing", dated(2, 24)),
        ("dead", dated(2, 26)),
    ]
    late = case.trail[-1]
    assert (late.kind, late.to_status, late.contests, late.displaces) == (
        cs.EntryKind.EARLIER_PERIOD,
        "dead",
        (1,),
        None,
    )
    assert [(entry.trigger, entry.effective_at) for entry in case.conflicts] == [
        ("report_captured", dated(3, 1))
    ]
    # The notice that began the period backs it now, with the certificate.
    assert [backer.seq for backer in case.backers] == [2, 3]
    assert case.left_backers == ()
    on_the_2nd = case.as_of_effective(dated(3, 2))
    assert on_the_2nd is not None
    assert (on_the_2nd.status, on_the_2nd.fate, on_the_2nd.contested_by) == ("dead", cs.Fate.DEAD, (1,))


def test_the_place_the_notice_named_holds_from_the_certificates_day():
    # The ICRC's grave list says the remains are held: it began the death, naming a place the
    # certificate does not contradict.
    graves = told("report_remains_held", ICRC, "grave_list", effective=dated(3, 3), recorded=dated(3, 4))
    witness = told("report_captured", UNIT, "witness_statement", effective=dated(3, 1), recorded=dated(3, 2))
    assert len(stories_in_every_order(witness, graves, CERTIFIED)) == 1
    case = arriving(witness, graves, CERTIFIED)
    assert (case.status, case.status_since, case.whereabouts) == ("dead", dated(2, 26), Whereabouts.HELD)


def test_a_weaker_rival_of_the_capture_is_kept_as_a_conflict_whenever_it_comes():
    # A family's video of the death of 26 February, against an ICRC capture card of 1 March: the
    # card holds, before or after the notice of 3 March.
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 1), recorded=dated(3, 2))
    video = told("report_dead", FAMILY, "video", effective=dated(2, 26), recorded=dated(3, 5))
    orders = ((card, KILLED, video), (card, video, KILLED), (KILLED, card, video))
    assert len({repr(story(arriving(*order))) for order in orders}) == 1
    case = arriving(card, KILLED, video)
    assert [(period.status, period.since) for period in case.periods] == [
        ("missing", dated(2, 24)),
        ("captured", dated(3, 1)),
        ("dead", dated(3, 3)),
    ]
    assert (case.trail[-1].kind, [entry.seq for entry in case.conflicts]) == (cs.EntryKind.CONFLICT, [3])


def test_a_report_of_the_days_between_is_contested_with_the_capture():
    # The ministry's register says he was still missing on 28 February: the certificate says he
    # was dead by then. Both it and the video wait as conflicts, whichever came first.
    register = told(
        "report_missing", MINISTRY, "missing_register", effective=dated(2, 28), recorded=dated(3, 1)
    )
    assert len(stories_in_every_order(register, TAKEN, KILLED, CERTIFIED)) == 1
    case = arriving(register, TAKEN, KILLED, CERTIFIED)
    assert (case.trail[-1].contests, case.open_conflicts) == ((1, 2), (1, 2))


def test_a_contested_capture_is_settled_as_any_conflict():
    case = arriving(TAKEN, KILLED, CERTIFIED)
    settled = in_turn(
        told("dismiss", ICRC, effective=dated(3, 6), reason="the video shows another man", resolves=(1,)),
        case=case,
    )
    check_case(WORKFLOW, settled)
    assert (settled.status, settled.open_conflicts) == ("dead", ())


def test_the_voided_period_reads_back_from_replay_json_and_a_batch():
    case = arriving(TAKEN, KILLED, CERTIFIED)
    assert cs.from_json(cs.to_json(case), head=case.head) == case
    assert cs.to_dict(case)["entries"][-1]["contests"] == [1]
    assert cs.replay(cs.redact(case.trail), allow_redacted=True).periods == case.periods
    # A change applied next reads the case as the trail says.
    later = told("report_remains_held", ICRC, "grave_list", effective=dated(3, 8), recorded=dated(3, 8))
    assert WORKFLOW.apply(case, later).version == case.version + 1


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"fate": cs.Fate.ALIVE}, "not the fate it holds"),
        ({"carries_into": 2}, "tells an earlier start of the current period"),
        ({"contests": (1, 1)}, "not each once and in order"),
    ],
    ids=["another-fate", "carrying-a-place", "twice"],
)
def test_replay_refuses_a_forged_voiding(fields, why):
    with pytest.raises(cs.BrokenTrail, match=why):
        cs.replay(last_forged(arriving(TAKEN, KILLED, CERTIFIED), **fields))


def test_the_kit_refuses_a_voiding_the_workflow_does_not_make():
    # Left without its contest, the entry reads as a death told before the capture, which replay
    # (reading no workflow) takes and the kit refuses; a certificate as weak as the video voids nothing.
    case = arriving(TAKEN, KILLED, CERTIFIED)
    left_out = cs.replay(last_forged(case, contests=None))
    assert [period.status for period in left_out.periods] == ["missing", "dead", "captured", "dead"]
    with pytest.raises(AssertionError, match="an earlier period recorded as"):
        check_case(WORKFLOW, left_out)
    video = told("report_dead", FAMILY, "video", effective=dated(2, 26), recorded=dated(3, 5))
    weak = arriving(TAKEN, KILLED, video)
    assert weak.trail[-1].kind is cs.EntryKind.CONFLICT
    forged = cs.replay(
        last_forged(
            weak, kind=cs.EntryKind.EARLIER_PERIOD, codes=(), contests=(1,), whereabouts=Whereabouts.UNKNOWN
        )
    )
    assert [period.status for period in forged.periods] == ["missing", "dead"]
    with pytest.raises(AssertionError, match="by the rule, it tells no earlier period"):
        check_case(WORKFLOW, forged)


PINNED_VOIDING = (
    b'{"assurance":"documented","case_id":"ua-1208","chain":"sha256","codes":[],'
    b'"commitment":"bdb64b9cdc02e9fd9711cb2c7d0a74cc8f91ece365ee58b69752557b8b5aa622","contests":[1],'
    b'"effective_at":"2024-02-26T12:00:00.000000Z","evidence_kinds":["death_certificate"],"fate":"dead",'
    b'"from_status":"dead","kind":"earlier_period",'
    b'"prev_hash":"dd598311b3c9a2ca74726a949fcd2f4d61749eabc34b81c2569240923f2e24de",'
    b'"recorded_at":"2024-03-05T12:00:00.000000Z","resolves":[],"reverts_to":null,"role":"ministry","seq":3,'
    b'"to_status":"dead","trigger":"report_dead","whereabouts":"unknown"}'
)
PINNED_VOIDING_HASH = "bd56d5c53fbaf0acffae445f9f7f1ff8583de34f7c6189fd851153012c0386da"


def test_pinned_vector_of_a_late_rival_that_voids_a_left_period():
    # Trails written now must verify in every later casestate: the bytes of the form are fixed.
    entry = arriving(TAKEN, KILLED, CERTIFIED).trail[-1]
    assert canonical_bytes(entry) == PINNED_VOIDING
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_VOIDING).hexdigest()
    assert entry.hash == PINNED_VOIDING_HASH
