"""A late report contests what a left period's reports said of its time: the same whichever came first.

Missing since 24 February; the ministry's register says he was still
missing on 5 March; his unit's notice says he was killed on 10 March; a
video, learned last, shows him taken prisoner on 3 March. Had the video come
first, the register of 5 March (which says nobody holds him) would have
waited as a conflict with the capture. It waits as one whichever came
first: the video's entry names it in ``contests``, as a move names the
corroborations it makes wrong (see ``test_contested_corroborations``).
"""

import hashlib
import itertools

import attrs
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

REGISTER = told("report_missing", MINISTRY, "missing_register", effective=dated(3, 5), recorded=dated(3, 6))
"""The ministry's register: still missing on 5 March."""
KILLED = told("report_dead", UNIT, "unit_notification", effective=dated(3, 10), recorded=dated(3, 11))
"""The unit's notice: killed on 10 March."""
TAKEN = told("report_captured", FAMILY, "video", effective=dated(3, 3), recorded=dated(3, 13))
"""A video: taken prisoner on 3 March."""
DAYS = (dated(3, 2), dated(3, 3), dated(3, 5), dated(3, 8), dated(3, 10), dated(3, 12))


def arriving(*changes: cs.Change) -> cs.Case:
    """The case missing since February, *changes* applied in turn (the vector below pins its id)."""
    return in_turn(*changes, case=missing_since_february("ua-1207"))


def story(case: cs.Case) -> tuple[object, ...]:
    """What the order of arrival must not change (see ``order_story``), on :data:`DAYS`."""
    return order_story(case, DAYS)


def story_key(case: cs.Case) -> str:
    """:func:`story`, as a value two cases can be compared by in a set."""
    return repr(story(case))


def in_every_order(*changes: cs.Change) -> list[cs.Case]:
    """The case with *changes* arrived in each order, each checked against the workflow and replayed."""
    cases = []
    for order in itertools.permutations(changes):
        case = arriving(*order)
        check_case(WORKFLOW, case)
        assert cs.replay(case.trail) == case
        assert fed_to_a_batch(case) == case.standing
        cases.append(case)
    return cases


def test_a_capture_told_after_a_death_contests_the_register_of_a_day_he_was_held_in_any_order():
    cases = in_every_order(REGISTER, KILLED, TAKEN)
    assert len({story_key(case) for case in cases}) == 1
    case = arriving(REGISTER, KILLED, TAKEN)
    assert (case.status, case.status_since) == ("dead", dated(3, 10))
    assert [(p.status, p.since, p.whereabouts) for p in case.periods] == [
        ("missing", dated(2, 24), Whereabouts.UNKNOWN),
        ("captured", dated(3, 3), Whereabouts.HELD),
        ("dead", dated(3, 10), Whereabouts.UNKNOWN),
    ]
    late = case.trail[-1]
    assert (late.kind, late.contests) == (cs.EntryKind.EARLIER_PERIOD, (1,))
    assert [(entry.kind, entry.trigger) for entry in case.conflicts] == [
        (cs.EntryKind.CORROBORATION, "report_missing")
    ]
    on_the_5th = case.as_of_effective(dated(3, 5))
    assert on_the_5th is not None
    assert (on_the_5th.status, on_the_5th.contested_by) == ("captured", (1,))
    # Learned after the death, the register was kept as the missing period stood: contested all the same.
    learned_late = attrs.evolve(REGISTER, recorded_at=dated(3, 12))
    kept_late = arriving(KILLED, learned_late, TAKEN)
    assert kept_late.trail[2].kind is cs.EntryKind.EARLIER_PERIOD
    assert kept_late.trail[-1].contests == (2,)
    assert story(kept_late) == story(case)


def test_a_capture_that_begins_the_current_period_earlier_contests_a_register_of_its_days():
    # Taken prisoner on 10 March, says a unit; the register of 5 March, learned later, says still
    # missing; a video then shows him taken on 3 March: held since then, the register is wrong.
    captured = told(
        "report_captured", UNIT, "witness_statement", effective=dated(3, 10), recorded=dated(3, 11)
    )
    late_register = attrs.evolve(REGISTER, recorded_at=dated(3, 12))
    cases = in_every_order(captured, late_register, TAKEN)
    assert len({story_key(case) for case in cases}) == 1
    case = arriving(captured, late_register, TAKEN)
    assert (case.status, case.status_since, case.whereabouts) == ("captured", dated(3, 3), Whereabouts.HELD)
    assert (case.trail[-1].kind, case.trail[-1].contests, case.open_conflicts) == (
        cs.EntryKind.EARLIER_PERIOD,
        (2,),
        (2,),
    )


def test_a_capture_card_that_begins_a_left_period_earlier_contests_a_register_of_its_days():
    # Captured on 8 March (a video), killed on 10 March; the register of 5 March, then a capture card
    # of 3 March: the captivity began on 3 March, and the register waits as a conflict.
    video = told("report_captured", FAMILY, "video", effective=dated(3, 8), recorded=dated(3, 9))
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 3), recorded=dated(3, 13))
    late_register = attrs.evolve(REGISTER, recorded_at=dated(3, 12))
    register_first = arriving(video, KILLED, late_register, card)
    card_first = arriving(video, KILLED, card, late_register)
    for case in (register_first, card_first):
        check_case(WORKFLOW, case)
        assert fed_to_a_batch(case) == case.standing
    assert story(register_first) == story(card_first)
    case = register_first
    assert [(p.status, p.since) for p in case.periods] == [
        ("missing", dated(2, 24)),
        ("captured", dated(3, 3)),
        ("dead", dated(3, 10)),
    ]
    assert (case.trail[-1].contests, case.open_conflicts) == ((3,), (3,))


def test_a_register_of_a_day_before_the_capture_stays_what_it_said():
    before = attrs.evolve(REGISTER, effective_at=dated(3, 2))
    cases = in_every_order(before, KILLED, TAKEN)
    assert len({story_key(case) for case in cases}) == 1
    case = arriving(before, KILLED, TAKEN)
    assert (case.trail[-1].contests, case.open_conflicts) == (None, ())
    # The register backs the missing period; the video began the captivity it tells.
    assert [backer.seq for backer in case.left_backers] == [1, 3]


def test_a_contested_register_is_settled_as_any_conflict():
    case = arriving(REGISTER, KILLED, TAKEN)
    settled = in_turn(
        told("dismiss", ICRC, effective=dated(3, 14), reason="the register was out of date", resolves=(1,)),
        case=case,
    )
    check_case(WORKFLOW, settled)
    assert (settled.status, settled.open_conflicts) == ("dead", ())


def test_a_retraction_resumes_a_period_without_the_reports_that_backed_it():
    # The death retracted: the missing period resumes as it stood, without the register that backed it
    # (as it resumes without its corroborations).
    retract = told("retract", ICRC, effective=dated(3, 12), reason="the notice named another man")
    case = arriving(REGISTER, KILLED, retract)
    check_case(WORKFLOW, case)
    assert (case.status, case.left_backers, case.backers) == ("missing", (), ())
    assert [backer.seq for backer in arriving(REGISTER, KILLED).left_backers] == [1]


def test_the_reports_backing_left_periods_read_back_from_replay_json_and_a_batch():
    case = arriving(REGISTER, KILLED, TAKEN)
    assert cs.from_json(cs.to_json(case), head=case.head) == case
    assert cs.to_dict(case)["entries"][-1]["contests"] == [1]
    assert cs.replay(cs.redact(case.trail), allow_redacted=True).open_conflicts == (1,)
    assert [type(backer) for backer in arriving(REGISTER, KILLED).left_backers] == [cs.Entry]
    assert arriving(REGISTER, KILLED).standing.left_backers == (cs.Backer(1, "report_missing", dated(3, 5)),)


def test_apply_refuses_a_case_whose_reports_backing_left_periods_are_not_its_trails():
    # A case made by hand with a report backing a left period its trail does not hold would write a
    # late report that contests it, which replay refuses: apply checks them against the trail before
    # it writes an entry that names one.
    case = arriving(REGISTER, KILLED)
    made_up = attrs.evolve(case, left_backers=(cs.Backer(2, "report_missing", dated(3, 5)),))
    with pytest.raises(ValueError, match="do not match its trail"):
        WORKFLOW.apply(made_up, attrs.evolve(TAKEN, recorded_at=dated(3, 13)))
    # Left out, they name nothing: replay accepts the entry, and the kit says what it should have named.
    left_out = WORKFLOW.apply(
        attrs.evolve(case, left_backers=()), attrs.evolve(TAKEN, recorded_at=dated(3, 13))
    )
    assert left_out.trail[-1].contests is None
    with pytest.raises(AssertionError, match="an earlier period recorded as"):
        check_case(WORKFLOW, cs.replay(left_out.trail))
    # A report about now reads nothing of them, and is taken as it comes.
    later = told("report_remains_held", ICRC, "grave_list", effective=dated(3, 14), recorded=dated(3, 14))
    assert WORKFLOW.apply(made_up, later).version == case.version + 1


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"contests": (0,)}, "contests entry 0"),
        ({"contests": (1, 1)}, "not each once and in order"),
        ({"effective_at": dated(3, 6), "contests": (1,)}, "contests entry 1"),
    ],
    ids=["the-opening", "twice", "about-a-later-time"],
)
def test_replay_refuses_a_forged_contest_of_a_late_report(fields, why):
    with pytest.raises(cs.BrokenTrail, match=why):
        cs.replay(last_forged(arriving(REGISTER, KILLED, TAKEN), **fields))


def test_replay_refuses_a_contest_of_a_report_about_a_time_after_the_period_it_changes():
    # Captured on 1 March, his card of 6 March, killed on 10 March; a wound of 27 February learned
    # last tells a period before the capture: the card, of a later period, is none of its business.
    taken = told("report_captured", FAMILY, "video", effective=dated(3, 1))
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 6))
    hurt = told("report_wounded", UNIT, "unit_notification", effective=dated(2, 27), recorded=dated(3, 12))
    case = arriving(taken, card, KILLED, hurt)
    assert (case.trail[-1].kind, case.trail[-1].contests) == (cs.EntryKind.EARLIER_PERIOD, None)
    # The capture and its card back the captivity; the wound began the period it tells.
    assert [backer.seq for backer in case.left_backers] == [1, 2, 4]
    with pytest.raises(cs.BrokenTrail, match="contests entry 2"):
        cs.replay(last_forged(case, contests=(2,)))
    # Nor is a report about a time before its own.
    stood = arriving(
        REGISTER, KILLED, told("report_missing", UNIT, "witness_statement", effective=dated(3, 7)), TAKEN
    )
    assert stood.trail[-1].contests == (1, 3)
    with pytest.raises(cs.BrokenTrail, match="contests entry 1"):
        cs.replay(last_forged(stood, effective_at=dated(3, 6)))


def test_replay_refuses_a_contest_on_a_late_report_kept_as_a_left_period_stood():
    seen = told("report_missing", UNIT, "witness_statement", effective=dated(3, 7), recorded=dated(3, 12))
    case = arriving(REGISTER, KILLED, seen)
    assert case.trail[-1].kind is cs.EntryKind.EARLIER_PERIOD
    with pytest.raises(cs.BrokenTrail, match="kept as a left period stood contests nothing"):
        cs.replay(last_forged(case, contests=(1,)))


def test_the_kit_refuses_a_late_report_that_leaves_out_a_report_it_contests():
    case = arriving(REGISTER, KILLED, TAKEN)
    left_out = cs.replay(last_forged(case, contests=None))  # replay reads no workflow: it takes it
    assert left_out.open_conflicts == ()
    with pytest.raises(AssertionError, match="an earlier period recorded as"):
        check_case(WORKFLOW, left_out)


PINNED_LATE_CONTEST = (
    b'{"assurance":"reported","case_id":"ua-1207","chain":"sha256","codes":[],'
    b'"commitment":"a9a69e04314b6e81a7354db4a8fd23fd5edeaea095f8d67d78627dfd9d68fbe4","contests":[1],'
    b'"effective_at":"2024-03-03T12:00:00.000000Z","evidence_kinds":["video"],"fate":"alive",'
    b'"from_status":"dead","kind":"earlier_period",'
    b'"prev_hash":"3ee8e30a90cc018704d6220e3c0bfe665cd15521bba3e8ab4cf9674c045adef2",'
    b'"recorded_at":"2024-03-13T12:00:00.000000Z","resolves":[],"reverts_to":null,"role":"family","seq":3,'
    b'"to_status":"captured","trigger":"report_captured","whereabouts":"held"}'
)
PINNED_LATE_CONTEST_HASH = "4617f3c2df7d89ef4b8f8f016d3a022ddc75cc810df81f5e71743383649d07d5"


def test_pinned_vector_of_a_late_report_that_contests_a_register():
    # Trails written now must verify in every later casestate: the bytes of the form are fixed.
    entry = arriving(REGISTER, KILLED, TAKEN).trail[-1]
    assert canonical_bytes(entry) == PINNED_LATE_CONTEST
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_LATE_CONTEST).hexdigest()
    assert entry.hash == PINNED_LATE_CONTEST_HASH


def test_a_death_that_outweighs_a_capture_contests_the_register_of_a_day_it_says_he_was_dead():
    # Taken prisoner on 8 March, says a video; the register of 5 March, learned later; a death
    # certificate of 3 March then outweighs the video: dead from 3 March, and the register (nobody
    # knew his fate) waits as a conflict, as it does when the certificate comes before it.
    video = told("report_captured", FAMILY, "video", effective=dated(3, 8), recorded=dated(3, 9))
    late_register = attrs.evolve(REGISTER, recorded_at=dated(3, 12))
    certificate = told(
        "report_dead", MINISTRY, "death_certificate", effective=dated(3, 3), recorded=dated(3, 13)
    )
    register_first = arriving(video, late_register, certificate)
    certificate_first = arriving(video, certificate, late_register)
    for case in (register_first, certificate_first):
        check_case(WORKFLOW, case)
        assert cs.replay(case.trail) == case
        assert fed_to_a_batch(case) == case.standing
        assert (case.status, case.status_since) == ("dead", dated(3, 3))
    assert story(register_first) == story(certificate_first)
    held = register_first.trail[-1]
    assert (held.kind, held.displaces, held.contests) == (cs.EntryKind.TRANSITION, 1, (2,))
    assert register_first.open_conflicts == (1, 2)
    with pytest.raises(cs.BrokenTrail, match="contests entry 1"):
        cs.replay(last_forged(register_first, contests=(1, 2)))
    # Two rivals as strong leave the pair undecided: nothing begins, and nothing is contested.
    notice = told("report_dead", UNIT, "unit_notification", effective=dated(3, 3), recorded=dated(3, 13))
    tied = arriving(video, late_register, notice)
    assert (tied.trail[-1].kind, tied.trail[-1].contests) == (cs.EntryKind.CONFLICT, None)


def test_the_report_that_began_a_left_period_dated_earlier_is_contested_whenever_the_death_comes_last():
    # Taken prisoner on 1 March, says a video; a capture card dates the captivity from 25 February;
    # the information bureau notifies his death on 12 March; his unit's notice, learned last, says he
    # was killed on 1 March. The video of 1 March waits as a conflict whichever came first.
    video = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
    card = told("report_captured", ICRC, "capture_card", effective=dated(2, 25), recorded=dated(3, 20))
    notified = told(
        "notify_death", ICRC, "information_bureau_notice", effective=dated(3, 12), recorded=dated(3, 20)
    )
    killed = told("report_dead", UNIT, "unit_notification", effective=dated(3, 1), recorded=dated(3, 20))
    stories = set()
    for order in ((card, notified, killed), (notified, card, killed), (card, killed, notified)):
        case = arriving(video, *order)
        check_case(WORKFLOW, case)
        assert fed_to_a_batch(case) == case.standing
        assert [(entry.trigger, entry.effective_at) for entry in case.conflicts] == [
            ("report_captured", dated(3, 1))
        ]
        stories.add(story_key(case))
    assert len(stories) == 1
    left_first = arriving(video, notified, card)
    assert [backer.seq for backer in left_first.left_backers] == [1, 3]  # the video, then the card


def test_a_rival_that_holds_from_the_instant_a_period_began_contests_none_of_its_reports_of_that_instant():
    # Wounded on 1 March (a notice); a unit's witness and an ICRC card of a capture on 28 February,
    # learned late, tell a captivity from that day (the second says the case was as it stood); the
    # information bureau's notice of a death that day then holds against the wound. Neither capture
    # report is contested: the first began the captivity, the second speaks of its very instant.
    wound = told("report_wounded", UNIT, "unit_notification", effective=dated(3, 1), recorded=dated(3, 2))
    witness = told(
        "report_captured", UNIT, "witness_statement", effective=dated(2, 28), recorded=dated(3, 10)
    )
    card = told("report_captured", ICRC, "capture_card", effective=dated(2, 28), recorded=dated(3, 10))
    death = told(
        "notify_death", ICRC, "information_bureau_notice", effective=dated(2, 28), recorded=dated(3, 11)
    )
    witness_first = arriving(wound, witness, card, death)
    card_first = arriving(wound, card, witness, death)
    for case in (witness_first, card_first):
        check_case(WORKFLOW, case)
        assert case.trail[-1].contests is None
        assert [entry.trigger for entry in case.conflicts] == ["report_wounded"]
    assert story(witness_first) == story(card_first)


def test_a_report_someone_settled_is_not_contested_again_when_its_period_begins_earlier():
    # A capture video of 5 March, dated from 1 March by a capture card; a death of 3 March contests
    # the video; a caseworker dismisses it. A capture of 28 February and a death certificate of
    # 1 March learned later contest the card, never the video a person settled.
    video = told("report_captured", UNIT, "video", effective=dated(3, 5), recorded=dated(3, 6))
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 1), recorded=dated(3, 7))
    killed = told("report_dead", UNIT, "unit_notification", effective=dated(3, 3), recorded=dated(3, 8))
    case = arriving(video, card, killed)
    assert case.open_conflicts == (1,)
    dismissed = told(
        "dismiss",
        cs.Actor("caseworker", cs.Role.NGO),
        effective=dated(3, 9),
        reason="old video",
        resolves=(1,),
    )
    earlier = told("report_captured", FAMILY, "video", effective=dated(2, 28), recorded=dated(3, 10))
    certificate = told(
        "report_dead", MINISTRY, "death_certificate", effective=dated(3, 1), recorded=dated(3, 11)
    )
    settled = arriving(video, card, killed, dismissed, earlier, certificate)
    check_case(WORKFLOW, settled)
    assert fed_to_a_batch(settled) == settled.standing
    assert (settled.trail[-1].contests, settled.open_conflicts) == ((2,), (2,))
    assert [(report.seq, report.effective_at) for report in settled.waiting] == [(2, dated(3, 1))]
    # The case stays one a change may be applied to.
    later = told("report_remains_held", ICRC, "grave_list", effective=dated(3, 20), recorded=dated(3, 21))
    assert WORKFLOW.apply(settled, later).version == settled.version + 1
