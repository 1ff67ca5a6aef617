"""A late report of a period before the current one: the history grows, the current status stands.

A unit reports him killed on 10 March; days later a comrade's statement says
he was wounded on 5 March. The death could have followed the wound: had the
statement come first, the case would have been wounded from 5 March and dead
from 10 March. Arriving late, it tells the same story, not a conflict.
"""

import hashlib
from datetime import timedelta

import attrs
import pytest

import casestate as cs
from casestate import Fate, Outcome, Whereabouts, canonical_bytes
from casestate.testing import check_case
from support import (
    MINISTRY,
    WORKFLOW,
    arriving,
    batch_tells_as_apply,
    dated,
    fed_to_a_batch,
    in_turn,
    missing_since_february,
    order_story,
    reports,
    resealed,
    told,
)

FAMILY = cs.Actor("olena-k", cs.Role.FAMILY)
UNIT = cs.Actor("unit-41", cs.Role.UNIT)
COMRADE = cs.Actor("comrade-7", cs.Role.FAMILY)
ICRC = cs.Actor("icrc-cta", cs.Role.ICRC)

KILLED = told(
    "report_dead",
    UNIT,
    "unit_notification",
    effective=dated(3, 10),
    recorded=dated(3, 12),
    obtained=dated(3, 11),
)
WOUNDED = told("report_wounded", COMRADE, "witness_statement", effective=dated(3, 5), recorded=dated(3, 14))


HURT = told(
    "report_wounded",
    UNIT,
    "unit_notification",
    effective=dated(3, 10),
    recorded=dated(3, 12),
    obtained=dated(3, 11),
)
"""Wounded on 10 March, by a unit's notice that names no place."""
TAKEN = told("report_captured", COMRADE, "video", effective=dated(3, 5), recorded=dated(3, 14))
"""Taken prisoner on 5 March, by a video learned on 14 March."""


def killed_then_wounded() -> cs.Case:
    return arriving(KILLED, WOUNDED)


def test_a_late_wound_is_recorded_as_the_period_before_the_death_and_the_case_stays_dead():
    case = killed_then_wounded()
    check_case(WORKFLOW, case)
    assert (case.status, case.fate, case.status_since, case.has_conflict) == (
        "dead",
        Fate.DEAD,
        dated(3, 10),
        False,
    )
    told_late = case.trail[-1]
    assert (told_late.kind, told_late.from_status, told_late.to_status, told_late.fate) == (
        cs.EntryKind.EARLIER_PERIOD,
        "dead",
        "wounded",
        Fate.ALIVE,
    )
    assert [(period.status, period.since, period.seq) for period in case.periods] == [
        ("missing", dated(2, 24), 0),
        ("wounded", dated(3, 5), 2),
        ("dead", dated(3, 10), 1),
    ]
    assert case.status_entry.seq == 1
    # What was true, as known now; and what was known when.
    assert case.as_of_effective(dated(3, 7)).status == "wounded"  # type: ignore[union-attr]
    assert case.as_of_effective(dated(3, 4)).status == "missing"  # type: ignore[union-attr]
    assert case.as_of_effective(dated(3, 11)).status == "dead"  # type: ignore[union-attr]
    before_the_statement = case.known_at(dated(3, 13))
    assert before_the_statement is not None
    assert before_the_statement.as_of_effective(dated(3, 7)).status == "missing"  # type: ignore[union-attr]


def wounded_then_taken() -> cs.Case:
    """Wounded on 10 March (a notice that names no place); taken prisoner on 5 March, learned late."""
    return arriving(HURT, TAKEN)


def test_a_late_capture_before_a_wound_that_named_no_place_holds_him_since_the_capture():
    case = wounded_then_taken()
    check_case(WORKFLOW, case)
    # As in their order: captured from 5 March, wounded in captivity from 10 March.
    assert (case.status, case.status_since, case.whereabouts, case.has_conflict) == (
        "wounded",
        dated(3, 10),
        Whereabouts.HELD,
        False,
    )
    assert case.trail[-1].carries_into == 1
    assert [(period.status, period.whereabouts) for period in case.periods] == [
        ("missing", Whereabouts.UNKNOWN),
        ("captured", Whereabouts.HELD),
        ("wounded", Whereabouts.HELD),
    ]
    assert case.as_of_effective(dated(3, 11)).whereabouts is Whereabouts.HELD  # type: ignore[union-attr]
    assert case.as_of_recorded(dated(3, 13)).whereabouts is Whereabouts.UNKNOWN  # type: ignore[union-attr]
    # The detaining power's duty to send a capture card holds from the capture, as it would have.
    due = cs.due(case, cs.GENEVA_CONVENTIONS, dated(3, 20))
    assert [(flag.timer.name, flag.due_at) for flag in due] == [("capture_card_overdue", dated(3, 12))]


def test_a_late_capture_does_not_overwrite_a_place_a_report_told_the_current_period():
    # Wounded on 10 March; a hospital's record then says he is treated at home. A capture of
    # 5 March, learned late, would have the wounded man held: it waits as a conflict instead.
    hospitals = WORKFLOW.extend(
        name="with-hospital-records",
        rules=[
            cs.Rule(
                trigger="report_in_hospital",
                sources={"missing", "wounded"},
                target="wounded",
                roles={cs.Role.ICRC, cs.Role.MINISTRY},
                report=True,
                whereabouts=Whereabouts.HOME,
            )
        ],
    )
    treated = told(
        "report_in_hospital", ICRC, "medical_record", effective=dated(3, 11), recorded=dated(3, 13)
    )
    opened = hospitals.open("ua-0311", actor=FAMILY, effective_at=dated(2, 24), recorded_at=dated(3, 1))
    case = hospitals.apply(hospitals.apply(opened, HURT), treated)
    assert (case.trail[-1].kind, case.whereabouts) == (cs.EntryKind.CORROBORATION, Whereabouts.HOME)
    verdict = hospitals.check(case, TAKEN)
    assert (verdict.outcome, verdict.codes) == (Outcome.CONFLICT, (cs.Code.EARLIER_THAN_CURRENT,))
    after = hospitals.apply(case, TAKEN)
    check_case(hospitals, after)
    assert (after.status, after.whereabouts) == ("wounded", Whereabouts.HOME)


def test_a_report_of_an_earlier_period_is_guarded_by_its_own_rule_and_evidence():
    case = WORKFLOW.apply(missing_since_february(), KILLED)
    # A video of him alive on 5 March speaks for his fate then: fine. A death certificate does not.
    certificate = attrs.evolve(
        WOUNDED,
        evidence=[cs.Evidence("death_certificate", "DC-1", "registry", dated(3, 14))],
    )
    verdict = WORKFLOW.check(case, certificate)
    assert verdict.outcome is Outcome.REJECTED
    assert verdict.codes == (cs.Code.EVIDENCE_CONTRADICTS_FATE,)
    journalist = attrs.evolve(WOUNDED, actor=cs.Actor("press-1", "journalist"))
    assert cs.Code.UNKNOWN_ROLE in WORKFLOW.check(case, journalist).codes


def test_two_late_reports_tell_two_periods_in_their_order():
    # Dead on 20 March; taken prisoner on 5 March and wounded in captivity on 12 March, learned late.
    dead = told("report_dead", UNIT, "unit_notification", effective=dated(3, 20), recorded=dated(3, 21))
    taken = told("report_captured", COMRADE, "video", effective=dated(3, 5), recorded=dated(3, 22))
    hurt = told("report_wounded", COMRADE, "video", effective=dated(3, 12), recorded=dated(3, 23))
    case = missing_since_february()
    for change in (dead, taken, hurt):
        case = WORKFLOW.apply(case, change)
    check_case(WORKFLOW, case)
    assert [period.status for period in case.periods] == ["missing", "captured", "wounded", "dead"]
    assert case.as_of_effective(dated(3, 14)).whereabouts is Whereabouts.HELD  # type: ignore[union-attr]
    assert (case.status, case.has_conflict) == ("dead", False)


def test_a_withdrawn_report_resumes_the_period_a_late_report_told_before_it():
    # The unit withdraws its death notice: the case stands where it stood before it, wounded.
    case = killed_then_wounded()
    retraction = told(
        "retract", cs.Actor("ministry-1", cs.Role.MINISTRY), effective=dated(3, 20), reason="wrong soldier"
    )
    case = WORKFLOW.apply(case, retraction)
    check_case(WORKFLOW, case)
    assert (case.status, case.fate, case.status_since) == ("wounded", Fate.ALIVE, dated(3, 5))


def test_a_period_resumed_after_an_earlier_one_was_told_keeps_its_own_assurance():
    # Dead on 2 March (a unit's notice), a capture of 25 February learned late, a death
    # certificate that backs the death, then the death withdrawn: the capture resumes as the
    # video left it, as it would have in their order; the certificate backed the death only.
    ministry = cs.Actor("ministry-1", cs.Role.MINISTRY)
    dead = told("report_dead", UNIT, "unit_notification", effective=dated(3, 2), recorded=dated(3, 3))
    taken = told("report_captured", FAMILY, "video", effective=dated(2, 25), recorded=dated(3, 4))
    certified = told("report_dead", ministry, "death_certificate", effective=dated(3, 10))
    withdrawn = told("retract", ministry, effective=dated(3, 26), reason="the notice was about another man")
    case = arriving(dead, taken, certified, withdrawn)
    check_case(WORKFLOW, case)
    assert (case.status, case.assurance, case.whereabouts) == (
        "captured",
        cs.Assurance.REPORTED,
        Whereabouts.HELD,
    )


def declared_dead_on_1_august(workflow: cs.Workflow) -> cs.Case:
    """A case of *workflow* missing since 10 January, which a court declared dead on 1 August."""
    court = cs.Actor("district-court", cs.Role.COURT)
    case = workflow.open("ua-0923", actor=FAMILY, effective_at=dated(1, 10), recorded_at=dated(1, 11))
    decision = cs.Evidence("court_decision", "2-114/2024", "district court", dated(8, 1))
    declared = cs.Change(
        trigger="declare_dead",
        actor=court,
        evidence=[decision],
        effective_at=dated(8, 1),
        recorded_at=dated(8, 2),
    )
    return workflow.apply(case, declared)


def test_a_late_report_tells_no_period_the_current_move_could_not_have_waited_from():
    # A court may declare dead a man missing, or last reported wounded, after six months without
    # news. Declared dead on 1 August 2023; a witness, learned later, saw him wounded on 20 July:
    # the declaration could not have followed that wound so soon, so the report waits as a conflict.
    waiting = WORKFLOW.replace_rule("declare_dead", sources={"missing", "wounded"})
    case = declared_dead_on_1_august(waiting)
    seen = told("report_wounded", COMRADE, "witness_statement", effective=dated(7, 20), recorded=dated(9, 1))
    verdict = waiting.check(case, seen)
    assert verdict.outcome is Outcome.CONFLICT
    assert cs.Code.EARLIER_THAN_CURRENT in verdict.codes
    check_case(waiting, waiting.apply(case, seen))


def test_a_batch_tells_the_earlier_period_as_apply_does():
    case = WORKFLOW.apply(missing_since_february(), KILLED)
    assert batch_tells_as_apply(case, WOUNDED).outcome is Outcome.EARLIER_PERIOD


def test_replay_refuses_a_report_of_an_earlier_period_that_does_not_fall_between_the_last_two():
    entries = list(killed_then_wounded().trail)
    told_late = entries[-1]
    for wrong in (
        attrs.evolve(told_late, effective_at=dated(3, 11)),  # after the death it precedes
        attrs.evolve(told_late, effective_at=dated(2, 1)),  # before the period before began
        attrs.evolve(told_late, to_status="missing"),  # the status of the period before
        attrs.evolve(told_late, whereabouts=None),  # where he was, untold
        attrs.evolve(told_late, to_status="dead"),  # the status of the period after it
        attrs.evolve(told_late, codes=(cs.Code.EARLIER_THAN_CURRENT,)),  # a conflict's codes
    ):
        with pytest.raises(cs.BrokenTrail) as broken:
            cs.replay(resealed([*entries[:-1], wrong]))
        assert broken.value.integrity.problem is cs.Problem.INCONSISTENT, wrong
        assert broken.value.integrity.position == 2, wrong  # the late report's entry
    carried = list(wounded_then_taken().trail)
    for wrong in (
        attrs.evolve(carried[-1], carries_into=0),  # not the current period
        attrs.evolve(carried[-1], whereabouts=Whereabouts.UNKNOWN),  # the place the case holds already
        attrs.evolve(carried[1], carries_into=1),  # a transition carries nothing
    ):
        forged = [*carried[: wrong.seq], wrong, *carried[wrong.seq + 1 :]]
        with pytest.raises(cs.BrokenTrail) as broken:
            cs.replay(resealed(forged))
        assert broken.value.integrity.problem is cs.Problem.INCONSISTENT, wrong
    # Right after the opening, there is no current report for it to come before.
    opening = entries[0]
    too_soon = attrs.evolve(told_late, seq=1, from_status="missing")
    with pytest.raises(cs.BrokenTrail):
        cs.replay(resealed([opening, too_soon]))


PINNED_EARLIER_PERIOD = (
    b'{"assurance":"reported","case_id":"ua-0305","chain":"sha256","codes":[],'
    b'"commitment":"ffb77b560307978a0413651c1767264c50e82893b028a35a8e53dcf190b73246",'
    b'"effective_at":"2024-03-05T12:00:00.000000Z",'
    b'"evidence_kinds":["witness_statement"],"fate":"alive","from_status":"dead",'
    b'"kind":"earlier_period",'
    b'"prev_hash":"fb067e44f6883ae4087f16a3ed635fbd7b361dde0f3120e892d78cde6b3fbd21",'
    b'"recorded_at":"2024-03-14T12:00:00.000000Z","resolves":[],"reverts_to":null,'
    b'"role":"family","seq":2,"to_status":"wounded","trigger":"report_wounded",'
    b'"whereabouts":"unknown"}'
)
PINNED_EARLIER_PERIOD_HASH = "cf44cac6221146a12412fe64b48d3c75bce14686718fd3d43d47ee593a53b13d"


def test_pinned_vector_of_a_report_of_an_earlier_period():
    # Trails written now must verify in every later casestate: the bytes of the form are fixed.
    entry = killed_then_wounded().trail[-1]
    assert canonical_bytes(entry) == PINNED_EARLIER_PERIOD
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_EARLIER_PERIOD).hexdigest()
    assert entry.hash == PINNED_EARLIER_PERIOD_HASH
    assert cs.replay(killed_then_wounded().trail) == killed_then_wounded()


PINNED_CARRIED_PERIOD = (
    b'{"assurance":"reported","carries_into":1,"case_id":"ua-0305","chain":"sha256","codes":[],'
    b'"commitment":"870b2be9962d5aabe4b721d7bb7c73c89658be0939d21b75d72238738a742254",'
    b'"effective_at":"2024-03-05T12:00:00.000000Z","evidence_kinds":["video"],"fate":"alive",'
    b'"from_status":"wounded","kind":"earlier_period",'
    b'"prev_hash":"c2e311d45e0ec9401f00ac5e3133c4c5a465729017d8b5625715b6fd3eecba18",'
    b'"recorded_at":"2024-03-14T12:00:00.000000Z","resolves":[],"reverts_to":null,'
    b'"role":"family","seq":2,"to_status":"captured","trigger":"report_captured",'
    b'"whereabouts":"held"}'
)
PINNED_CARRIED_PERIOD_HASH = "98676c6b568398587781f48bd28c7fe9a5622b0f59513afa0c74fec01e61ffb5"


def test_pinned_vector_of_a_report_of_an_earlier_period_whose_place_the_current_one_takes():
    case = wounded_then_taken()
    entry = case.trail[-1]
    assert canonical_bytes(entry) == PINNED_CARRIED_PERIOD
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_CARRIED_PERIOD).hexdigest()
    assert entry.hash == PINNED_CARRIED_PERIOD_HASH
    assert cs.replay(case.trail) == case


def test_a_capture_card_of_the_day_he_was_wounded_in_captivity_corroborates_in_every_order():
    # Taken prisoner on 5 March, wounded in captivity on 10 March (a notice naming no place), and
    # the ICRC's capture card of 10 March: "still captured" that day agrees with the wound held by
    # the other party, so it corroborates it, whichever of the three arrives when.
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 10), recorded=dated(3, 14))
    told_in = set()
    for order in ((HURT, TAKEN, card), (HURT, card, TAKEN), (TAKEN, HURT, card), (TAKEN, card, HURT)):
        case = missing_since_february()
        for number, change in enumerate(order):
            case = WORKFLOW.apply(
                case, attrs.evolve(change, recorded_at=dated(3, 14) + timedelta(hours=number))
            )
        check_case(WORKFLOW, case)
        told_in.add(
            (
                case.status,
                case.whereabouts,
                case.open_conflicts,
                tuple((period.status, period.since) for period in case.periods),
            )
        )
    assert told_in == {
        (
            "wounded",
            Whereabouts.HELD,
            (),
            (("missing", dated(2, 24)), ("captured", dated(3, 5)), ("wounded", dated(3, 10))),
        )
    }


# -- a late report of the current status: the period began earlier ------------------------

KILLED_EARLIER = told(
    "report_dead", COMRADE, "witness_statement", effective=dated(3, 5), recorded=dated(3, 14)
)
"""A comrade saw him killed on 5 March: the unit's notice said 10 March."""


def test_a_death_reported_for_an_earlier_day_dates_the_death_from_it_in_either_order():
    # Two reports of one death, of two days: the case must not date it by whichever came first.
    for order in ((KILLED, KILLED_EARLIER), (KILLED_EARLIER, KILLED)):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert (case.status, case.status_since, case.has_conflict) == ("dead", dated(3, 5), False)
        assert [(period.status, period.since) for period in case.periods] == [
            ("missing", dated(2, 24)),
            ("dead", dated(3, 5)),
        ]
        assert case.as_of_effective(dated(3, 7)).fate is Fate.DEAD  # type: ignore[union-attr]
        assert case.as_of_effective(dated(3, 4)).fate is Fate.UNKNOWN  # type: ignore[union-attr]
    late = arriving(KILLED, KILLED_EARLIER)
    entry = late.trail[-1]
    # Told late, the earlier day is a report of an earlier period in the status the case holds.
    assert (entry.kind, entry.from_status, entry.to_status, entry.fate) == (
        cs.EntryKind.EARLIER_PERIOD,
        "dead",
        "dead",
        Fate.DEAD,
    )
    assert WORKFLOW.check(arriving(KILLED), KILLED_EARLIER).outcome is Outcome.EARLIER_PERIOD
    # What was known on 13 March, before the comrade spoke, stays as it was known then.
    assert late.as_of_recorded(dated(3, 13)).since == dated(3, 10)  # type: ignore[union-attr]
    # It backs the death as a corroboration would: it waits with it should a rival displace it; and
    # the unit's notice of 10 March now backs the death from its own day, which a move may contest.
    assert [backer.seq for backer in late.backers] == [1, 2]
    assert late.backing == {"family"}


def test_the_captors_notice_of_an_earlier_death_tells_where_the_remains_are_from_its_day():
    # Taken prisoner on 1 March; the unit reports him killed on 10 March (where the remains are,
    # unknown); the detaining power's information bureau notifies his death in its hands on 5 March.
    taken = told("report_captured", UNIT, "video", effective=dated(3, 1), recorded=dated(3, 2))
    notice = told(
        "notify_death",
        cs.Actor("ministry-1", cs.Role.MINISTRY),
        "information_bureau_notice",
        effective=dated(3, 5),
        recorded=dated(3, 14),
    )
    answers = set()
    for order in ((taken, KILLED, notice), (taken, notice, KILLED)):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert (case.status, case.status_since, case.whereabouts) == ("dead", dated(3, 5), Whereabouts.HELD)
        then = case.as_of_effective(dated(3, 7))
        answers.add((then.status, then.fate, then.whereabouts, then.assurance))  # type: ignore[union-attr]
    assert answers == {("dead", Fate.DEAD, Whereabouts.HELD, cs.Assurance.DOCUMENTED)}


def test_a_capture_card_is_due_from_the_earlier_day_of_a_capture():
    # A family's video showed him held on 10 March; a unit's notice, learned later, says he was
    # taken on 5 March: the detaining power's card was due seven days after the capture.
    video = told("report_captured", FAMILY, "video", effective=dated(3, 10), recorded=dated(3, 11))
    notice = attrs.evolve(
        KILLED, trigger="report_captured", effective_at=dated(3, 5), recorded_at=dated(3, 14)
    )
    for order in ((video, notice), (notice, video)):
        case = in_turn(*order)
        due = cs.due(case, cs.GENEVA_CONVENTIONS, dated(3, 20))
        assert [(flag.timer.name, flag.due_at) for flag in due] == [("capture_card_overdue", dated(3, 12))]


def test_a_late_report_of_the_current_status_keeps_a_place_a_report_told_since():
    # Killed on 10 March, the remains since found held by the other side; a comrade's word of a
    # death on 5 March moves the start of the death and leaves the remains where they are.
    remains = told(
        "report_remains_held",
        cs.Actor("ministry-1", cs.Role.MINISTRY),
        "grave_list",
        effective=dated(3, 12),
        recorded=dated(3, 13),
    )
    case = arriving(KILLED, remains, KILLED_EARLIER)
    check_case(WORKFLOW, case)
    assert (case.status_since, case.whereabouts) == (dated(3, 5), Whereabouts.HELD)
    assert case.as_of_effective(dated(3, 7)).whereabouts is Whereabouts.UNKNOWN  # type: ignore[union-attr]
    assert case.as_of_effective(dated(3, 12)).whereabouts is Whereabouts.HELD  # type: ignore[union-attr]


def test_replay_refuses_a_late_report_of_the_current_status_that_tells_another_story():
    entries = list(arriving(KILLED, KILLED_EARLIER).trail)
    told_late = entries[-1]
    for wrong in (
        attrs.evolve(told_late, fate=Fate.ALIVE),  # another fate than the period holds
        attrs.evolve(told_late, carries_into=1),  # it carries nothing into the period it dates
        attrs.evolve(told_late, effective_at=dated(3, 11)),  # after the period began
        attrs.evolve(told_late, codes=(cs.Code.EARLIER_THAN_CURRENT,)),  # a conflict's codes
    ):
        with pytest.raises(cs.BrokenTrail) as broken:
            cs.replay(resealed([*entries[:-1], wrong]))
        assert broken.value.integrity.problem is cs.Problem.INCONSISTENT, wrong
        assert broken.value.integrity.position == 2, wrong
    # A case rebuilt by hand with another start than its trail tells is refused a change.
    case = arriving(KILLED, KILLED_EARLIER)
    current = case.periods[-1]
    killed = case.trail[1]
    for forged in (
        attrs.evolve(case, status_since=dated(3, 6)),
        # The start the unit's notice gave, as if the comrade's day had never come: as a period
        # of its own, and as the notice's entry itself.
        attrs.evolve(
            case,
            status_since=dated(3, 10),
            periods=(*case.periods[:-1], attrs.evolve(current, since=dated(3, 10))),
        ),
        attrs.evolve(case, status_since=dated(3, 10), periods=(*case.periods[:-1], killed)),
    ):
        with pytest.raises(ValueError, match="do not match its trail"):
            WORKFLOW.apply(
                forged, told("report_dead", UNIT, "video", effective=dated(3, 20), recorded=dated(3, 21))
            )


PINNED_BEGUN_EARLIER = (
    b'{"assurance":"reported","case_id":"ua-0305","chain":"sha256","codes":[],'
    b'"commitment":"ffb77b560307978a0413651c1767264c50e82893b028a35a8e53dcf190b73246",'
    b'"effective_at":"2024-03-05T12:00:00.000000Z",'
    b'"evidence_kinds":["witness_statement"],"fate":"dead","from_status":"dead",'
    b'"kind":"earlier_period",'
    b'"prev_hash":"fb067e44f6883ae4087f16a3ed635fbd7b361dde0f3120e892d78cde6b3fbd21",'
    b'"recorded_at":"2024-03-14T12:00:00.000000Z","resolves":[],"reverts_to":null,'
    b'"role":"family","seq":2,"to_status":"dead","trigger":"report_dead",'
    b'"whereabouts":"unknown"}'
)
PINNED_BEGUN_EARLIER_HASH = "f637e8ebaa2e6784b657c8773763d01ac6e8dde2cd2655a95446c58bcc3b5346"


def test_pinned_vector_of_a_late_report_of_the_current_status():
    case = arriving(KILLED, KILLED_EARLIER)
    entry = case.trail[-1]
    assert canonical_bytes(entry) == PINNED_BEGUN_EARLIER
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_BEGUN_EARLIER).hexdigest()
    assert entry.hash == PINNED_BEGUN_EARLIER_HASH
    assert cs.replay(case.trail) == case


# -- a late report that the case was as the period before says ------------------------------

STILL_MISSING = told(
    "report_missing",
    cs.Actor("ministry-1", cs.Role.MINISTRY),
    "missing_register",
    effective=dated(3, 5),
    recorded=dated(3, 14),
)
"""The ministry's register: still missing on 5 March."""


def test_still_missing_before_the_day_he_was_killed_is_one_story_in_either_order():
    for order in ((KILLED, STILL_MISSING), (STILL_MISSING, KILLED)):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert (case.status, case.status_since, case.open_conflicts) == ("dead", dated(3, 10), ())
        assert [(period.status, period.since) for period in case.periods] == [
            ("missing", dated(2, 24)),
            ("dead", dated(3, 10)),
        ]
        assert case.as_of_effective(dated(3, 7)).fate is Fate.UNKNOWN  # type: ignore[union-attr]
    entry = in_turn(KILLED, STILL_MISSING).trail[-1]
    # Told late, it is a report of the period before, as that period stood; it changes nothing.
    assert (entry.kind, entry.from_status, entry.to_status, entry.fate, entry.whereabouts) == (
        cs.EntryKind.EARLIER_PERIOD,
        "dead",
        "missing",
        Fate.UNKNOWN,
        Whereabouts.UNKNOWN,
    )


def test_still_missing_before_a_capture_and_a_death_told_after_both_is_one_story_in_any_order():
    # Taken prisoner on 1 March, killed on 10 March; the ministry's register had him still missing
    # on 26 February. Learned after both, it speaks of a period older than the one before the death.
    captured = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
    register = attrs.evolve(STILL_MISSING, effective_at=dated(2, 26))
    for order in (
        (captured, KILLED, register),
        (captured, register, KILLED),
        (register, captured, KILLED),
    ):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert (case.status, case.status_since, case.open_conflicts) == ("dead", dated(3, 10), ())
        assert [(period.status, period.since) for period in case.periods] == [
            ("missing", dated(2, 24)),
            ("captured", dated(3, 1)),
            ("dead", dated(3, 10)),
        ]
        assert case.as_of_effective(dated(2, 27)).fate is Fate.UNKNOWN  # type: ignore[union-attr]
    entry = in_turn(captured, KILLED, register).trail[-1]
    assert (entry.kind, entry.to_status, entry.fate) == (cs.EntryKind.EARLIER_PERIOD, "missing", Fate.UNKNOWN)
    # Of a day before he went missing, it contradicts the case, as any report of such a day does.
    before_missing = attrs.evolve(register, effective_at=dated(2, 20))
    assert in_turn(captured, KILLED, before_missing).open_conflicts == (3,)
    # Replay holds it to the period that holds its time, as that period stood.
    entries = list(in_turn(captured, KILLED, register).trail)
    for wrong in (
        attrs.evolve(entry, fate=Fate.ALIVE),  # another fate than the missing period held
        attrs.evolve(entry, effective_at=dated(2, 20)),  # before he went missing
    ):
        with pytest.raises(cs.BrokenTrail) as broken:
            cs.replay(resealed([*entries[:-1], wrong]))
        assert broken.value.integrity.problem is cs.Problem.INCONSISTENT, wrong
        assert broken.value.integrity.position == 3, wrong


def test_still_missing_before_a_pair_neither_of_which_holds_is_one_story_in_either_order():
    # Wounded on 1 March; the ICRC's capture card of 10 March and a death certificate of 5 March
    # rival each other, and neither holds. "Still missing" on 26 February speaks of the missing
    # period, whichever came first: the pair does not make it a conflict.
    ministry = cs.Actor("ministry-1", cs.Role.MINISTRY)
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 10), recorded=dated(3, 11))
    certificate = told(
        "report_dead", ministry, "death_certificate", effective=dated(3, 5), recorded=dated(3, 12)
    )
    register = attrs.evolve(STILL_MISSING, effective_at=dated(2, 26))
    wounded = attrs.evolve(HURT, effective_at=dated(3, 1))
    for order in ((certificate, register), (register, certificate)):
        case = in_turn(wounded, card, *order)
        check_case(WORKFLOW, case)
        assert case.tied
        assert sorted(case.trail[seq].trigger for seq in case.open_conflicts) == [
            "report_captured",
            "report_dead",
        ]
        assert [(period.status, period.since) for period in case.periods] == [
            ("missing", dated(2, 24)),
            ("wounded", dated(3, 1)),
            ("wounded", dated(3, 10)),
        ]


def test_a_wound_on_the_day_he_was_taken_prisoner_is_one_story_in_either_order():
    # A video shows him taken prisoner on 1 March; a comrade says he was wounded that day; a unit
    # reports him killed on 10 March. Come while the capture was current, the wound said what that
    # day held (alive, and no other place) and corroborated it; learned after the death, it says
    # the same of the capture, and is no conflict.
    captured = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
    wound = attrs.evolve(WOUNDED, effective_at=dated(3, 1))
    stories = set()
    for order in ((captured, wound, KILLED), (captured, KILLED, wound)):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert case.open_conflicts == ()
        assert [(period.status, period.since) for period in case.periods] == [
            ("missing", dated(2, 24)),
            ("captured", dated(3, 1)),
            ("dead", dated(3, 10)),
        ]
        then = case.as_of_effective(dated(3, 1))
        assert then is not None
        stories.add((then.status, then.fate, then.whereabouts))
    assert stories == {("captured", Fate.ALIVE, Whereabouts.HELD)}
    entry = in_turn(captured, KILLED, wound).trail[-1]
    assert (entry.kind, entry.trigger, entry.to_status, entry.fate, entry.whereabouts) == (
        cs.EntryKind.EARLIER_PERIOD,
        "report_wounded",
        "captured",
        Fate.ALIVE,
        Whereabouts.HELD,
    )
    assert cs.replay(in_turn(captured, KILLED, wound).trail) == in_turn(captured, KILLED, wound)
    # Of another fate that day, it contradicts the capture, and waits.
    shot = told("report_dead", COMRADE, "witness_statement", effective=dated(3, 1), recorded=dated(3, 14))
    assert in_turn(captured, KILLED, shot).trail[-1].kind is cs.EntryKind.CONFLICT


def test_a_capture_on_the_day_he_was_wounded_tells_where_he_was_in_either_order():
    # A unit's notice says he was wounded on 1 March, naming no place; a video shows him taken
    # prisoner that day; a unit reports him killed on 10 March. Come while the wound was current,
    # the video agreed with it (alive) and told it where he was: held, from that day. Learned
    # after the death, it tells the wounded period the same place.
    wound = told("report_wounded", UNIT, "unit_notification", effective=dated(3, 1), recorded=dated(3, 2))
    video = told("report_captured", COMRADE, "video", effective=dated(3, 1), recorded=dated(3, 14))
    for order in ((wound, video, KILLED), (wound, KILLED, video)):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert case.open_conflicts == ()
        assert [(period.status, period.since, period.whereabouts) for period in case.periods] == [
            ("missing", dated(2, 24), Whereabouts.UNKNOWN),
            ("wounded", dated(3, 1), Whereabouts.HELD),
            ("dead", dated(3, 10), Whereabouts.UNKNOWN),
        ]
        then = case.as_of_effective(dated(3, 5))
        assert then is not None
        assert (then.status, then.fate, then.whereabouts) == ("wounded", Fate.ALIVE, Whereabouts.HELD)
    case = in_turn(wound, KILLED, video)
    late = case.trail[-1]
    assert (late.kind, late.to_status, late.whereabouts, late.carries_into) == (
        cs.EntryKind.EARLIER_PERIOD,
        "wounded",
        Whereabouts.HELD,
        1,  # the wound's entry: the period it tells the place of, from its start
    )
    assert cs.replay(case.trail) == case
    # It tells the wounded period the place, not the case: check says so as apply does.
    verdict = WORKFLOW.check(in_turn(wound, KILLED), attrs.evolve(video, recorded_at=dated(3, 20)))
    assert (verdict.outcome, verdict.target, verdict.whereabouts) == (
        Outcome.EARLIER_PERIOD,
        "dead",
        Whereabouts.UNKNOWN,
    )
    batch_tells_as_apply(
        in_turn(wound, KILLED), attrs.evolve(video, recorded_at=dated(3, 20), salt=bytes(16))
    )
    # Replay holds it to the instant the period began, and to a place that period only carried.
    for wrong in (
        attrs.evolve(late, effective_at=dated(3, 2)),
        attrs.evolve(late, carries_into=2),
        attrs.evolve(late, whereabouts=Whereabouts.HOME, carries_into=None),
    ):
        with pytest.raises(cs.BrokenTrail) as broken:
            cs.replay(resealed([*case.trail[:-1], wrong]))
        assert broken.value.integrity.problem is cs.Problem.INCONSISTENT, wrong
    # Where a later period carried the wound's place on (a confirmation naming none), it is told as
    # before: it no longer tells the wound a place.
    confirmed = told("confirm", ICRC, "icrc_confirmation", effective=dated(3, 10), recorded=dated(3, 11))
    assert in_turn(wound, confirmed, video).trail[-1].kind is not cs.EntryKind.EARLIER_PERIOD


def test_a_place_told_at_the_instant_a_wound_began_holds_from_that_instant_once_its_start_moves():
    # Wounded on 5 March (a notice naming no place), a capture video of that day, a death on
    # 10 March; then a comrade says the wound was on 3 March. The wound began on 3 March, and he was
    # held from 5 March, the video's day: not on 4 March, whether the video came before the death
    # or after it.
    wound = told("report_wounded", UNIT, "unit_notification", effective=dated(3, 5), recorded=dated(3, 6))
    video = told("report_captured", COMRADE, "video", effective=dated(3, 5), recorded=dated(3, 14))
    earlier_wound = attrs.evolve(WOUNDED, effective_at=dated(3, 3), recorded_at=dated(3, 15))
    for order in ((wound, video, KILLED, earlier_wound), (wound, KILLED, video, earlier_wound)):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert [(period.status, period.since) for period in case.periods][1] == ("wounded", dated(3, 3))
        places = [case.as_of_effective(dated(3, day)).whereabouts for day in (4, 6)]  # type: ignore[union-attr]
        assert places == [Whereabouts.UNKNOWN, Whereabouts.HELD]


def test_a_place_a_report_told_a_confirmation_since_is_no_place_it_named():
    # Wounded on 1 March (naming no place), confirmed alive by the ICRC on 10 March (naming none: it
    # carried the wound's). A capture video of 27 February tells the confirmation where he is; one
    # of 1 March, about the wound's instant, would move the wound's place, which the confirmation
    # carried on: it corroborates, in either order of the two videos.
    wound = told("report_wounded", UNIT, "unit_notification", effective=dated(3, 1), recorded=dated(3, 2))
    confirmed = told("confirm", ICRC, "icrc_confirmation", effective=dated(3, 10), recorded=dated(3, 11))
    before = told("report_captured", FAMILY, "video", effective=dated(2, 27), recorded=dated(3, 14))
    on_the_day = told("report_captured", COMRADE, "video", effective=dated(3, 1), recorded=dated(3, 14))
    stories = set()
    for order in ((wound, confirmed, before, on_the_day), (wound, confirmed, on_the_day, before)):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        wounded = case.as_of_effective(dated(3, 5))
        assert wounded is not None
        stories.add(
            (tuple((period.status, period.whereabouts) for period in case.periods), wounded.whereabouts)
        )
    assert len(stories) == 1


def test_a_capture_of_the_day_a_wound_told_late_began_tells_it_where_he_was():
    # Killed on 10 March; a wound of 5 March (naming no place), learned late, tells its period; a
    # capture video of that day, learned last, tells the wound where he was, as it does of a wound
    # reported at its own time: a late report that tells a period begins it as a report does.
    wound = attrs.evolve(WOUNDED, effective_at=dated(3, 5))
    video = told("report_captured", FAMILY, "video", effective=dated(3, 5), recorded=dated(3, 16))
    case = in_turn(KILLED, wound, video)
    check_case(WORKFLOW, case)
    assert cs.replay(case.trail) == case
    late = case.trail[-1]
    assert (late.kind, late.to_status, late.carries_into) == (cs.EntryKind.EARLIER_PERIOD, "wounded", 2)
    then = case.as_of_effective(dated(3, 6))
    assert then is not None
    assert (then.status, then.fate, then.whereabouts) == ("wounded", Fate.ALIVE, Whereabouts.HELD)
    # Come first, the video tells a captivity from 5 March: held from that day, in either order.
    seen_first = told("report_captured", FAMILY, "video", effective=dated(3, 5), recorded=dated(3, 12))
    video_first = in_turn(KILLED, seen_first, wound)
    check_case(WORKFLOW, video_first)
    first_then = video_first.as_of_effective(dated(3, 6))
    assert first_then is not None
    assert (first_then.fate, first_then.whereabouts) == (Fate.ALIVE, Whereabouts.HELD)


def test_a_capture_video_of_the_day_the_icrc_confirmed_the_captivity_is_one_story_in_either_order():
    # Confirmed a prisoner on 10 March; a video of him in captivity that day; the captor's notice of
    # his death on 20 March. An authority's finding has no rival: the video agreed with it as with
    # any period, and says so learned late too.
    captured = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
    card = told("confirm", ICRC, "capture_card", effective=dated(3, 10), recorded=dated(3, 11))
    video = told("report_captured", COMRADE, "video", effective=dated(3, 10), recorded=dated(3, 12))
    notice = told(
        "notify_death", ICRC, "information_bureau_notice", effective=dated(3, 20), recorded=dated(3, 21)
    )
    for order in ((captured, card, video, notice), (captured, card, notice, video)):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert (case.status, case.open_conflicts) == ("dead", ())
    late = in_turn(captured, card, notice, video).trail[-1]
    assert (late.kind, late.to_status, late.fate) == (cs.EntryKind.EARLIER_PERIOD, "confirmed", Fate.ALIVE)


def test_a_capture_video_of_a_later_day_of_a_confirmed_captivity_is_one_story_in_either_order():
    # Confirmed a prisoner on 10 March; a video of him alive in the camp on 12 March at noon; the
    # captor's notice of his death that evening. The video agrees with the confirmed captivity, by
    # the fate it holds: come first, it corroborates it; learned after the notice, it is kept as a
    # report of that period, as "still missing" is of a missing one, not as a conflict.
    captured = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
    card = told("confirm", ICRC, "capture_card", effective=dated(3, 10), recorded=dated(3, 11))
    video = told("report_captured", COMRADE, "video", effective=dated(3, 12), recorded=dated(3, 13))
    notice = told(
        "notify_death",
        ICRC,
        "information_bureau_notice",
        effective=dated(3, 12) + timedelta(hours=6),
        recorded=dated(3, 14),
    )
    cases = [in_turn(captured, card, *order) for order in ((video, notice), (notice, video))]
    for case in cases:
        check_case(WORKFLOW, case)
        assert (case.status, case.open_conflicts) == ("dead", ())
    days = (dated(3, 12), dated(3, 12) + timedelta(hours=7))
    assert order_story(cases[0], days) == order_story(cases[1], days)
    late = cases[1].trail[-1]
    assert (late.kind, late.to_status, late.fate) == (cs.EntryKind.EARLIER_PERIOD, "confirmed", Fate.ALIVE)
    assert late.seq in [backer.seq for backer in cases[1].left_backers]


def test_a_report_of_another_fate_than_a_left_period_held_is_no_report_of_that_period():
    # The same video, of a man the ICRC confirmed dead: it says he was alive, and waits as a conflict.
    killed = told("report_dead", UNIT, "unit_notification", effective=dated(3, 1), recorded=dated(3, 2))
    certified = told("confirm", MINISTRY, "death_certificate", effective=dated(3, 10), recorded=dated(3, 11))
    handed = told("repatriate", ICRC, "handover_record", effective=dated(3, 20), recorded=dated(3, 21))
    video = told("report_captured", COMRADE, "video", effective=dated(3, 12), recorded=dated(3, 22))
    case = in_turn(killed, certified, handed, video)
    check_case(WORKFLOW, case)
    assert case.trail[-1].kind is cs.EntryKind.CONFLICT


def test_still_missing_after_the_day_he_was_killed_waits_as_a_conflict_in_either_order():
    # "Still missing" on 12 March contradicts a death on 10 March: it waits for a person.
    later = attrs.evolve(STILL_MISSING, effective_at=dated(3, 12))
    case = in_turn(KILLED, later)
    assert case.open_conflicts == (2,)
    assert cs.Code.ILLEGAL_TRANSITION in case.trail[-1].codes
    # Come first, it corroborated the missing period; the death contests it.
    first = in_turn(later, KILLED)
    check_case(WORKFLOW, first)
    assert (first.trail[-1].contests, first.open_conflicts) == ((1,), (1,))


FILTRATION = cs.Workflow(
    name="filtration",
    statuses=[
        cs.StatusDef("detained", Fate.ALIVE, whereabouts=Whereabouts.HELD, description="in a camp"),
        cs.StatusDef("transferred", None, final=True, description="taken from the camp"),
    ],
    rules=reports("detained", detained={}, transferred={"whereabouts": Whereabouts.UNKNOWN}),
    roles=["family", "ngo"],
    initial="detained",
    dismiss_roles=["ngo"],
)
"""A man held in a filtration camp, then taken from it to a place nobody knows: an app's own statuses."""


def test_a_late_report_that_he_was_as_the_period_before_stood_tells_the_current_one_no_place():
    # Held in a camp since 1 March. A monitor reports him taken away at noon on 2 March, to a place
    # nobody knows; his sister's "still in the camp" of that morning comes after it. It agrees with
    # the transfer (alive), but it speaks of the morning, when he was in the camp: it says what the
    # camp's period held, and tells the transfer no place, as when it came first.
    sister, monitor = cs.Actor("sister-2", "family"), cs.Actor("monitor-3", "ngo")
    morning = dated(3, 2) - timedelta(hours=4)
    still = told("report_detained", sister, "witness_statement", effective=morning, recorded=dated(3, 3))
    taken = told("report_transferred", monitor, "video", effective=dated(3, 2), recorded=dated(3, 3))

    def in_turn(*changes: cs.Change) -> cs.Case:
        case = FILTRATION.open("ua-civ-40", actor=sister, effective_at=dated(3, 1), recorded_at=dated(3, 1))
        for number, change in enumerate(changes):
            case = FILTRATION.apply(
                case, attrs.evolve(change, recorded_at=dated(3, 3) + timedelta(hours=number))
            )
        check_case(FILTRATION, case)
        return case

    for order in ((still, taken), (taken, still)):
        case = in_turn(*order)
        assert (case.status, case.fate, case.whereabouts, case.open_conflicts) == (
            "transferred",
            Fate.ALIVE,
            Whereabouts.UNKNOWN,
            (),
        )
        assert case.as_of_effective(morning).whereabouts is Whereabouts.HELD  # type: ignore[union-attr]
        assert case.as_of_effective(dated(3, 4)).whereabouts is Whereabouts.UNKNOWN  # type: ignore[union-attr]
    late = in_turn(taken, still).trail[-1]
    assert (late.kind, late.to_status, late.whereabouts) == (
        cs.EntryKind.EARLIER_PERIOD,
        "detained",
        Whereabouts.HELD,
    )


def test_replay_refuses_a_report_of_the_period_before_that_is_not_as_it_stood():
    entries = list(in_turn(KILLED, STILL_MISSING).trail)
    told_late = entries[-1]
    for wrong in (
        attrs.evolve(told_late, fate=Fate.DEAD),  # another fate than the period held
        attrs.evolve(told_late, whereabouts=Whereabouts.HELD),  # another place
        attrs.evolve(told_late, effective_at=dated(2, 20)),  # before the period began
        attrs.evolve(told_late, effective_at=dated(3, 10)),  # once the current one began
        attrs.evolve(told_late, carries_into=1),  # it carries nothing
    ):
        with pytest.raises(cs.BrokenTrail) as broken:
            cs.replay(resealed([*entries[:-1], wrong]))
        assert broken.value.integrity.problem is cs.Problem.INCONSISTENT, wrong
        assert broken.value.integrity.position == 2, wrong


def test_a_late_report_of_the_current_status_that_tells_another_story_moves_no_start():
    ministry = cs.Actor("ministry-1", cs.Role.MINISTRY)
    notice = told(
        "notify_death", ministry, "information_bureau_notice", effective=dated(3, 10), recorded=dated(3, 12)
    )
    # Remains handed home, says a report of 5 March; the captor's notice of 10 March holds them.
    home = WORKFLOW.replace_rule("report_remains_held", whereabouts="home")
    remains = told("report_remains_held", UNIT, "grave_list", effective=dated(3, 5), recorded=dated(3, 14))
    case = home.apply(home.apply(missing_since_february(), notice), remains)
    assert (case.trail[-1].kind, case.status_since) != (cs.EntryKind.EARLIER_PERIOD, dated(3, 5))
    assert case.status_since == dated(3, 10)
    # A death whose remains' place is unknown, after one held by the other side that named no
    # place of its own (it carried "held" from the captivity before it): the remains would not
    # have been held, had it come first. It corroborates, and the death stays dated 10 March.
    carried = WORKFLOW.replace_rule("report_remains_held", whereabouts=None)
    taken = told("report_captured", UNIT, "video", effective=dated(3, 1), recorded=dated(3, 2))
    held = told("report_remains_held", ministry, "grave_list", effective=dated(3, 10), recorded=dated(3, 12))
    case = carried.apply(carried.apply(carried.apply(missing_since_february(), taken), held), KILLED_EARLIER)
    assert (case.trail[-1].kind, case.status_since) == (cs.EntryKind.CORROBORATION, dated(3, 10))
    check_case(carried, case)


def test_a_late_report_of_a_status_an_authority_established_moves_no_start():
    # Declared dead by a court on 1 August; a report of remains, into the same status, of 1 June:
    # a court's declaration is no report that would have corroborated it.
    confirming = WORKFLOW.replace_rule("report_remains_held", target="confirmed", fate=Fate.DEAD)
    case = declared_dead_on_1_august(confirming)
    remains = told("report_remains_held", UNIT, "grave_list", effective=dated(6, 1), recorded=dated(8, 3))
    case = confirming.apply(case, remains)
    assert (case.trail[-1].kind, case.status_since) == (cs.EntryKind.CORROBORATION, dated(8, 1))


def test_a_report_about_the_day_he_went_missing_tells_a_period_from_that_day_in_either_order():
    # Missing since 24 February; a unit's notice says killed on 10 March, and a comrade saw him
    # wounded on 24 February, the day he went missing. The opening is no report the wound could
    # rival: had the comrade spoken first, the case would have been wounded from that day.
    wounded_that_day = attrs.evolve(WOUNDED, effective_at=dated(2, 24))
    for order in ((KILLED, wounded_that_day), (wounded_that_day, KILLED)):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert (case.status, case.status_since, case.has_conflict) == ("dead", dated(3, 10), False)
        assert [(period.status, period.since) for period in case.periods] == [
            ("missing", dated(2, 24)),
            ("wounded", dated(2, 24)),
            ("dead", dated(3, 10)),
        ]
        assert case.as_of_effective(dated(2, 24)).status == "wounded"  # type: ignore[union-attr]
    assert arriving(KILLED, wounded_that_day).trail[-1].kind is cs.EntryKind.EARLIER_PERIOD
    # A death of that day dates the death from it, as it would have had it come first.
    killed_that_day = attrs.evolve(KILLED_EARLIER, effective_at=dated(2, 24))
    for order in ((KILLED, killed_that_day), (killed_that_day, KILLED)):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert [(period.status, period.since) for period in case.periods] == [
            ("missing", dated(2, 24)),
            ("dead", dated(2, 24)),
        ]


def test_replay_refuses_a_late_report_about_the_instant_a_report_began_the_period_before():
    # Captured on 1 March, killed on 10 March; a wound of 1 March is about the capture's instant:
    # it rivals or backs the capture, and begins no period between the two.
    captured = told("report_captured", FAMILY, "video", effective=dated(3, 1), recorded=dated(3, 2))
    case = in_turn(captured, KILLED, attrs.evolve(WOUNDED, effective_at=dated(3, 3)))
    assert case.trail[-1].kind is cs.EntryKind.EARLIER_PERIOD
    entries = list(case.trail)
    forged = attrs.evolve(entries[-1], effective_at=dated(3, 1))
    with pytest.raises(cs.BrokenTrail) as broken:
        cs.replay(resealed([*entries[:-1], forged]))
    assert broken.value.integrity.problem is cs.Problem.INCONSISTENT
    assert broken.value.integrity.position == 3


def test_a_report_about_a_time_before_he_went_missing_waits_as_a_conflict_in_either_order():
    # Missing since 24 February; a video dated 20 February shows him dead, and a unit's notice says
    # killed on 10 March. Dead before he went missing contradicts the case, whatever came first.
    before_missing = attrs.evolve(KILLED_EARLIER, effective_at=dated(2, 20))
    for order in ((KILLED, before_missing), (before_missing, KILLED)):
        case = in_turn(*order)
        check_case(WORKFLOW, case)
        assert (case.status, case.status_since) == ("dead", dated(3, 10))
        assert [case.trail[seq].effective_at for seq in case.open_conflicts] == [dated(2, 20)]
        assert cs.Code.EARLIER_THAN_CURRENT in case.trail[case.open_conflicts[0]].codes


def test_late_reports_of_a_period_told_late_tell_it_in_either_order():
    # Killed on 20 March. Two witnesses of one wound, of 25 February and 14 March, learned after the
    # death: the wound from 25 February, whichever came first. A capture of 5 March and a wound of
    # 12 March, learned after it: both periods, whichever came first.
    killed = told("report_dead", UNIT, "unit_notification", effective=dated(3, 20), recorded=dated(3, 21))
    early = told("report_wounded", UNIT, "unit_notification", effective=dated(2, 25), recorded=dated(3, 22))
    later = told("report_wounded", FAMILY, "video", effective=dated(3, 14), recorded=dated(3, 22))
    taken = told("report_captured", FAMILY, "video", effective=dated(3, 5), recorded=dated(3, 22))
    hurt = told("report_wounded", UNIT, "unit_notification", effective=dated(3, 12), recorded=dated(3, 22))
    for first, second, periods in (
        (early, later, [("missing", dated(2, 24)), ("wounded", dated(2, 25)), ("dead", dated(3, 20))]),
        (
            taken,
            hurt,
            [
                ("missing", dated(2, 24)),
                ("captured", dated(3, 5)),
                ("wounded", dated(3, 12)),
                ("dead", dated(3, 20)),
            ],
        ),
    ):
        for order in ((first, second), (second, first)):
            case = in_turn(killed, *order)
            check_case(WORKFLOW, case)
            assert cs.replay(case.trail) == case
            assert [(period.status, period.since) for period in case.periods] == periods
            assert case.open_conflicts == ()
            # The late report that told a period began it: a batch, which keeps no entries, says so.
            kept = fed_to_a_batch(case)
            assert kept is not None
            assert [period.entered_by for period in kept.periods[1:]] == [
                case.trail[period.seq].trigger for period in case.periods[1:]
            ]
