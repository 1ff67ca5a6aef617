"""A late rival that leaves a left period undecided reconciles what, come after it, would corroborate.

The ICRC confirmed him wounded on 1 March; his unit reports him killed on
10 March. His brother's video of his remains, held by the other side, is
dated 25 February: it waits as a conflict (a man confirmed alive on 1 March
was not dead on 25 February). A bureau's notice says he died on 27 February,
on evidence as strong as the wound's confirmation: the wound is undecided
now, and nothing the case holds says he was alive after 25 February. Come
after the notice, the video corroborates the death; come before it, it
agrees with the death once the notice comes: the notice's entry names it in
``reconciles``, and the video backs the death.
"""

import hashlib

import attrs
import pytest

import casestate as cs
from casestate import canonical_bytes
from casestate.pfif import note_text
from casestate.testing import check_case
from support import (
    ICRC,
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

WOUNDED = told("report_wounded", ICRC, "icrc_confirmation", effective=dated(3, 1), recorded=dated(3, 2))
"""The ICRC's confirmation: wounded on 1 March."""
KILLED = told("report_dead", UNIT, "unit_notification", effective=dated(3, 10), recorded=dated(3, 11))
"""His unit's notice: killed on 10 March."""
REMAINS = told(
    "report_remains_held",
    cs.Actor("brother", cs.Role.FAMILY),
    "video",
    effective=dated(2, 25),
    recorded=dated(3, 12),
)
"""His brother's video: his remains, held by the other side, on 25 February."""
NOTICE = told(
    "notify_death",
    cs.Actor("bureau", cs.Role.ICRC),
    "information_bureau_notice",
    effective=dated(2, 27),
    recorded=dated(3, 13),
)
"""A bureau's notice, as strong as the confirmation: died on 27 February."""


def arriving(*changes: cs.Change) -> cs.Case:
    """The case missing since February, *changes* applied in turn (the vector below pins its id)."""
    return in_turn(*changes, case=missing_since_february("ua-0225"))


def story(case: cs.Case) -> tuple[object, ...]:
    """The open conflicts, the periods, and status, fate and contesting reports as of each day.

    Not the place: a conflict a move reconciles does not tell the period the
    place it names, as a corroboration does (the remains held by the other
    side): see "What is not settled yet" in docs/explanation/conflicts.md.
    """
    conflicts, periods, answers = order_story(
        case, (dated(2, 25), dated(2, 27), dated(3, 1), dated(3, 10), dated(3, 20))
    )
    return conflicts, periods, [(status, fate, contesting) for status, fate, _, contesting in answers]


@pytest.mark.parametrize("wound_told_late", [False, True], ids=["wound-first", "wound-told-late"])
def test_a_remains_video_agrees_with_the_death_once_a_notice_leaves_the_wound_undecided_in_either_order(
    wound_told_late,
):
    known = (KILLED, WOUNDED) if wound_told_late else (WOUNDED, KILLED)
    video_first = arriving(*known, REMAINS, NOTICE)
    notice_first = arriving(*known, NOTICE, REMAINS)
    for case in (video_first, notice_first):
        check_case(WORKFLOW, case)
        assert case.status == "dead"
        assert [case.trail[seq].actor_id for seq in case.open_conflicts] == ["icrc-cta", "bureau"]
        assert [backer.actor_id for backer in case.backers] == ["brother"]
    assert story(video_first) == story(notice_first)
    tie = video_first.trail[-1]
    assert (tie.kind, tie.to_status, tie.displaces, tie.reconciles) == (
        cs.EntryKind.CONFLICT,
        "dead",
        known.index(WOUNDED) + 1,
        (3,),
    )
    assert notice_first.trail[-1].kind is cs.EntryKind.CORROBORATION


def test_the_tie_that_reconciles_reads_back_from_replay_json_and_a_batch():
    case = arriving(WOUNDED, KILLED, REMAINS, NOTICE)
    assert cs.replay(case.trail) == case
    assert cs.from_json(cs.to_json(case), head=case.head) == case
    assert fed_to_a_batch(case) == case.standing


def test_the_pfif_note_of_the_tie_says_the_video_agrees_with_the_death():
    text = note_text(arriving(WOUNDED, KILLED, REMAINS, NOTICE).trail[-1])
    assert "Reports [3] agree with the case being dead, no longer kept for review." in text


def test_a_case_the_tie_left_takes_the_next_report_and_one_rebuilt_without_its_backer_is_refused():
    case = arriving(WOUNDED, KILLED, REMAINS, NOTICE)
    again = told(
        "report_dead", cs.Actor("unit-57", cs.Role.UNIT), "unit_notification", effective=dated(3, 15)
    )
    after = WORKFLOW.apply(case, again)
    check_case(WORKFLOW, after)
    assert [backer.seq for backer in after.backers] == [3, 5]
    with pytest.raises(ValueError, match="do not match its trail"):
        WORKFLOW.apply(attrs.evolve(case, backers=()), again)


def test_a_trail_written_before_reads_as_it_did_and_the_kit_holds_it_to_the_rule_of_today():
    case = arriving(WOUNDED, KILLED, REMAINS, NOTICE)
    left_out = cs.replay(last_forged(case, reconciles=None))
    assert sorted(left_out.open_conflicts) == [1, 3, 4]
    with pytest.raises(AssertionError, match=r"recorded as .*None\); the rule makes it .*\(3,\)\)"):
        check_case(WORKFLOW, left_out)


@pytest.mark.parametrize(
    ("reconciles", "why"),
    [
        ((2,), "reconciles entry 2, no open conflict"),  # the death it leaves standing
        ((1, 3), "reconciles entry 1, no open conflict"),  # the wound it leaves undecided
        ((3, 3), "not each once and in order"),
    ],
)
def test_replay_refuses_a_forged_reconciliation_by_a_tie(reconciles, why):
    case = arriving(WOUNDED, KILLED, REMAINS, NOTICE)
    with pytest.raises(cs.BrokenTrail, match=why):
        cs.replay(last_forged(case, reconciles=reconciles))


PINNED_LEFT_TIE = (
    b'{"assurance":"documented","case_id":"ua-0225","chain":"sha256","codes":["rival_report"],"commitment"'
    b':"ef5d89f593c9c1209b5633f4fd1024e2e23031afebf7b00593e783d64fad8649","contests":[1],"displaces":1,"ef'
    b'fective_at":"2024-02-27T12:00:00.000000Z","evidence_kinds":["information_bureau_notice"],"fate":"unk'
    b'nown","from_status":"dead","kind":"conflict","prev_hash":"5e93480c236f5a3ae593ffb49b333a4fee6a2fb89a'
    b'7990e6b7b6c86b7263f5ee","reconciles":[3],"recorded_at":"2024-03-13T12:00:00.000000Z","resolves":[],"'
    b'reverts_to":null,"role":"icrc","seq":4,"to_status":"dead","trigger":"notify_death","whereabouts":"un'
    b'known"}'
)
PINNED_LEFT_TIE_HASH = "6a472541bcfd2c89724ae2ef530e13f891ba6c5c2bd146307200a7a3ca404103"


def test_pinned_vector_of_a_left_tie_that_reconciles_a_conflict():
    # Trails written now must verify in every later casestate: the bytes of the form are fixed.
    entry = arriving(WOUNDED, KILLED, REMAINS, NOTICE).trail[-1]
    assert canonical_bytes(entry) == PINNED_LEFT_TIE
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_LEFT_TIE).hexdigest()
    assert entry.hash == PINNED_LEFT_TIE_HASH
