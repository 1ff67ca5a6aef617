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

import attrs
import pytest
from defusedxml.ElementTree import fromstring

import casestate as cs
from casestate import Whereabouts, canonical_bytes
from casestate.pfif import PFIF_1_4, Person, note_text, to_pfif
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
    cases = [arriving(*order) for order in orders]
    for each in cases:
        check_case(WORKFLOW, each)
        assert cs.replay(each.trail) == each
    assert len({repr(story(each)) for each in cases}) == 1
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
    assert fed_to_a_batch(case) == case.standing
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
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 1), recorded=dated(3, 2))
    video = told("report_dead", FAMILY, "video", effective=dated(2, 26), recorded=dated(3, 5))
    weak = arriving(card, KILLED, video)
    assert (weak.trail[-1].kind, weak.trail[-1].displaces) == (cs.EntryKind.CONFLICT, None)
    forged = cs.replay(
        last_forged(
            weak, kind=cs.EntryKind.EARLIER_PERIOD, codes=(), contests=(1,), whereabouts=Whereabouts.UNKNOWN
        )
    )
    assert [period.status for period in forged.periods] == ["missing", "dead"]
    with pytest.raises(AssertionError, match="by the rule, it tells no earlier period"):
        check_case(WORKFLOW, forged)


FILMED_DEAD = told(
    "report_dead", cs.Actor("ivan-p", "family"), "video", effective=dated(3, 3), recorded=dated(3, 4)
)
"""A brother's video: killed on 3 March."""
FILMED_EARLIER = told(
    "report_dead", cs.Actor("petro-s", "family"), "video", effective=dated(2, 26), recorded=dated(3, 5)
)
"""A neighbour's video, learned last: died on 26 February, as strong as the capture video."""


def test_a_rival_as_strong_as_the_capture_leaves_its_period_undecided_whichever_came_last():
    orders = (
        (TAKEN, FILMED_DEAD, FILMED_EARLIER),
        (TAKEN, FILMED_EARLIER, FILMED_DEAD),
        (FILMED_DEAD, TAKEN, FILMED_EARLIER),
        (FILMED_EARLIER, TAKEN, FILMED_DEAD),
    )
    stories = set()
    for order in orders:
        case = arriving(*order)
        check_case(WORKFLOW, case)
        assert cs.replay(case.trail) == case
        assert fed_to_a_batch(case) == case.standing
        stories.add(repr(story(case)))
    assert len(stories) == 1
    case = arriving(TAKEN, FILMED_DEAD, FILMED_EARLIER)
    assert [(period.status, period.since) for period in case.periods] == [
        ("missing", dated(2, 24)),
        ("missing", dated(3, 1)),
        ("dead", dated(3, 3)),
    ]
    late = case.trail[-1]
    assert (late.kind, late.codes, late.displaces, late.contests) == (
        cs.EntryKind.CONFLICT,
        (cs.Code.RIVAL_REPORT,),
        1,
        (1,),
    )
    # The entry holds the undecided period: the fate and place of the missing period before it.
    assert (late.from_status, late.to_status, late.fate, late.whereabouts) == (
        "dead",
        "dead",
        cs.Fate.UNKNOWN,
        Whereabouts.UNKNOWN,
    )
    assert (case.status, case.status_since, case.open_conflicts) == ("dead", dated(3, 3), (1, 3))
    on_the_2nd = case.as_of_effective(dated(3, 2))
    assert on_the_2nd is not None
    assert (on_the_2nd.status, on_the_2nd.fate, on_the_2nd.contested_by) == ("missing", cs.Fate.UNKNOWN, (1,))
    assert case.status_entry.seq == 2
    # A change applied next reads the case as the trail says; a person settles the pair as any other.
    settled = in_turn(
        told("dismiss", ICRC, effective=dated(3, 6), reason="both videos are unverified", resolves=(1, 3)),
        case=case,
    )
    check_case(WORKFLOW, settled)
    assert (settled.status, settled.open_conflicts) == ("dead", ())


def test_a_retraction_after_a_left_period_left_undecided_resumes_it_undecided():
    # The brother's video of the death is withdrawn: the case resumes the period before it, the
    # capture period left undecided (missing, fate unknown), with both capture and rival waiting.
    case = arriving(TAKEN, FILMED_DEAD, FILMED_EARLIER)
    withdrawn = in_turn(
        told("retract", ICRC, effective=dated(3, 6), reason="the video shows another man"), case=case
    )
    check_case(WORKFLOW, withdrawn)
    assert cs.replay(withdrawn.trail) == withdrawn
    assert (withdrawn.status, withdrawn.status_since, withdrawn.fate) == (
        "missing",
        dated(3, 1),
        cs.Fate.UNKNOWN,
    )
    assert withdrawn.trail[-1].reverts_to == 3
    assert withdrawn.open_conflicts == (1, 3)


def test_a_left_period_left_undecided_reads_back_from_json_and_pfif():
    case = arriving(TAKEN, FILMED_DEAD, FILMED_EARLIER)
    assert cs.from_json(cs.to_json(case), head=case.head) == case
    assert cs.to_dict(case)["entries"][-1]["displaces"] == 1
    document = fromstring(to_pfif([case], {case.id: Person("Ivan")}, domain="ngo.example.org"))
    last = document.findall("pfif:person/pfif:note", {"pfif": PFIF_1_4})[-1]
    # The case stays dead: the note gives no status of its own (the undecided period's fate is no
    # belief of the case holder's now).
    assert last.findtext("pfif:status", namespaces={"pfif": PFIF_1_4}) is None
    assert "the period that report began is undecided. The case stays dead." in note_text(case.trail[-1])


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"fate": cs.Fate.DEAD}, "holds the fate and place of the period before it"),
        ({"contests": None}, "does not contest that report"),
        ({"contests": (1, 2)}, "contests entry 2"),
        ({"displaces": 2}, "leaves entry 2's period undecided"),
        ({"effective_at": dated(2, 23)}, "about a time outside the period before it"),
        ({"codes": (cs.Code.OUTWEIGHED,)}, "is its rival"),
        ({"reconciles": (1,)}, "reconcile"),
    ],
    ids=[
        "the-case-fate",
        "no-contest",
        "the-current-report",
        "the-current-period",
        "before-missing",
        "outweighed",
        "reconciling",
    ],
)
def test_replay_refuses_a_forged_left_period_left_undecided(fields, why):
    with pytest.raises(cs.BrokenTrail, match=why):
        cs.replay(last_forged(arriving(TAKEN, FILMED_DEAD, FILMED_EARLIER), **fields))


def test_the_kit_refuses_a_left_period_left_undecided_by_a_weaker_rival():
    # A death certificate outweighs the video: the workflow voids the capture; an entry that leaves it
    # undecided instead is one replay (reading no workflow) takes, and the kit refuses.
    voided = arriving(TAKEN, KILLED, CERTIFIED)
    forged = cs.replay(
        last_forged(
            voided,
            kind=cs.EntryKind.CONFLICT,
            codes=(cs.Code.RIVAL_REPORT,),
            displaces=1,
            fate=cs.Fate.UNKNOWN,
            assurance=cs.Assurance.REPORTED,
        )
    )
    with pytest.raises(AssertionError, match="by the rule, it ties with no left period"):
        check_case(WORKFLOW, forged)


def test_a_rival_as_strong_as_an_older_left_period_leaves_it_undecided_in_either_order():
    # Wounded on 1 March (a notice naming no place), an ICRC capture card of 10 March, then a family's
    # video of his death on 12 March and another of a death on 27 February: the second ties with the
    # wound, whether or not the death of 12 March came first, and the capture and death stand.
    hurt = told("report_wounded", UNIT, "unit_notification", effective=dated(3, 1), recorded=dated(3, 2))
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 10), recorded=dated(3, 11))
    died = told(
        "report_dead", cs.Actor("ivan-p", "family"), "video", effective=dated(3, 12), recorded=dated(3, 13)
    )
    filmed = attrs.evolve(FILMED_EARLIER, effective_at=dated(2, 27), recorded_at=dated(3, 14))
    before_the_death, after_the_death = arriving(hurt, card, filmed, died), arriving(hurt, card, died, filmed)
    for case in (before_the_death, after_the_death):
        check_case(WORKFLOW, case)
        assert cs.replay(case.trail) == case
        assert fed_to_a_batch(case) == case.standing
        assert [(period.status, period.since) for period in case.periods] == [
            ("missing", dated(2, 24)),
            ("missing", dated(3, 1)),
            ("captured", dated(3, 10)),
            ("dead", dated(3, 12)),
        ]
    assert story(before_the_death) == story(after_the_death)
    assert after_the_death.trail[-1].displaces == 1


def test_a_rival_of_a_report_a_move_made_a_conflict_voids_nothing():
    # Capture videos of 5 and 1 March, a unit's death notice of 3 March that contests the first, then a
    # death certificate of 26 February: the report that began the capture period waits as a conflict
    # already, and the certificate is kept as one beside it.
    later_video = told("report_captured", FAMILY, "video", effective=dated(3, 5), recorded=dated(3, 6))
    case = arriving(
        later_video,
        attrs.evolve(TAKEN, recorded_at=dated(3, 7)),
        attrs.evolve(KILLED, recorded_at=dated(3, 8)),
        attrs.evolve(CERTIFIED, recorded_at=dated(3, 9)),
    )
    check_case(WORKFLOW, case)
    assert cs.replay(case.trail) == case
    assert (case.trail[-1].kind, case.open_conflicts) == (cs.EntryKind.CONFLICT, (1, 4))


def test_a_rival_of_a_period_that_lasted_no_time_voids_nothing():
    # Missing since 20 February. A unit's witness of a capture on 1 March, a late witness of a wound on
    # 24 February, a death certificate of 24 February that outweighs the capture: the wound's period
    # ends the instant it began. Another certificate of 22 February is kept as a conflict.
    witnessed = told(
        "report_captured", UNIT, "witness_statement", effective=dated(3, 1), recorded=dated(3, 2)
    )
    hurt = told(
        "report_wounded",
        cs.Actor("unit-2", "unit"),
        "witness_statement",
        effective=dated(2, 24),
        recorded=dated(3, 3),
    )
    certified = told(
        "report_dead", MINISTRY, "death_certificate", effective=dated(2, 24), recorded=dated(3, 4)
    )
    again = told(
        "report_dead",
        cs.Actor("registry", "ministry"),
        "death_certificate",
        effective=dated(2, 22),
        recorded=dated(3, 5),
    )
    opened = WORKFLOW.open("ua-1209", actor=FAMILY, effective_at=dated(2, 20), recorded_at=dated(2, 21))
    case = in_turn(witnessed, hurt, certified, again, case=opened)
    check_case(WORKFLOW, case)
    assert cs.replay(case.trail) == case
    assert [(period.status, period.since) for period in case.periods] == [
        ("missing", dated(2, 20)),
        ("wounded", dated(2, 24)),
        ("dead", dated(2, 24)),
    ]
    assert (case.trail[-1].kind, case.trail[-1].codes, case.trail[-1].displaces) == (
        cs.EntryKind.CONFLICT,
        (cs.Code.ILLEGAL_TRANSITION, cs.Code.EARLIER_THAN_CURRENT),
        None,
    )


PINNED_UNDECIDED = (
    b'{"assurance":"reported","case_id":"ua-1208","chain":"sha256","codes":["rival_report"],'
    b'"commitment":"0193cfab91812a2b4c9a30c26885aec2f37b7d95328812f67bbc61e8be37cdfb","contests":[1],'
    b'"displaces":1,"effective_at":"2024-02-26T12:00:00.000000Z","evidence_kinds":["video"],'
    b'"fate":"unknown","from_status":"dead","kind":"conflict",'
    b'"prev_hash":"6ac95f32779ff234af9a3732fa248a75fe9b8b03425924ae803ec29cf0fbcb6f",'
    b'"recorded_at":"2024-03-05T12:00:00.000000Z","resolves":[],"reverts_to":null,"role":"family","seq":3,'
    b'"to_status":"dead","trigger":"report_dead","whereabouts":"unknown"}'
)
PINNED_UNDECIDED_HASH = "0f4aa5e14a94b83c32084d2fde272920ce5077646daab642f52c5eaa6c110f08"


def test_pinned_vector_of_a_late_rival_that_leaves_a_left_period_undecided():
    entry = arriving(TAKEN, FILMED_DEAD, FILMED_EARLIER).trail[-1]
    assert canonical_bytes(entry) == PINNED_UNDECIDED
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_UNDECIDED).hexdigest()
    assert entry.hash == PINNED_UNDECIDED_HASH


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
