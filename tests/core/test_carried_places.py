"""A place a period carried over from the one before is no report's word about the instant it began.

A status that names no place keeps the place the case held: wounded in
captivity stays held. Of the instant such a period began, that place is
nobody's report. A second report about that very instant that names where he
was does not contradict the first; it corroborates it and tells the place, as
the first would have corroborated the second had they arrived the other way
round. Later reports are judged against the carried place as before.
"""

import itertools
from datetime import timedelta

import attrs
import pytest

import casestate as cs
from casestate import Fate, Outcome, Whereabouts
from casestate.testing import BrokenInvariant, check_case
from support import WORKFLOW, dated, reports, resealed, told

NEIGHBOUR = cs.Actor("neighbour-7", "family")
MONITOR = cs.Actor("monitor-3", "ngo")
RELATIVE = cs.Actor("olena-k", cs.Role.FAMILY)
ICRC = cs.Actor("icrc-cta", cs.Role.ICRC)
LAB = cs.Actor("lab-dnipro", cs.Role.FORENSIC_LAB)

OCCUPIED_TOWN = cs.Workflow(
    name="occupied-town",
    statuses=[
        cs.StatusDef(
            "unaccounted",
            Fate.UNKNOWN,
            whereabouts=Whereabouts.HOME,
            description="last seen at home, in a town the other side holds",
        ),
        cs.StatusDef("detained", None, final=True, whereabouts=Whereabouts.HELD, description="taken away"),
        cs.StatusDef("seen_alive", None, final=True, description="seen alive since"),
    ],
    rules=reports("unaccounted", detained={"fate": Fate.ALIVE}, seen_alive={"fate": Fate.ALIVE}),
    roles=["family", "ngo"],
    initial="unaccounted",
    dismiss_roles=["ngo"],
)
"""A civilian last seen at home: a monitor reports him taken away, a neighbour saw him alive."""

MORNING = dated(5, 3)
"""The morning he was taken away, and seen alive."""

TAKEN = told("report_detained", MONITOR, "video", effective=MORNING, recorded=dated(5, 5), obtained=MORNING)
SEEN = told(
    "report_seen_alive",
    NEIGHBOUR,
    "witness_statement",
    effective=MORNING,
    recorded=dated(5, 6),
    obtained=MORNING,
)


def unaccounted() -> cs.Case:
    return OCCUPIED_TOWN.open(
        "ua-civ-12", actor=NEIGHBOUR, effective_at=dated(4, 20), recorded_at=dated(4, 21)
    )


def arriving(*changes: cs.Change) -> cs.Case:
    """The case once *changes* arrive in this order, each recorded after the one before."""
    case = unaccounted()
    for number, change in enumerate(changes):
        case = OCCUPIED_TOWN.apply(case, attrs.evolve(change, recorded_at=dated(5, 5 + number)))
    check_case(OCCUPIED_TOWN, case)
    return case


def test_seen_alive_and_taken_away_on_one_morning_tell_one_story_in_either_order():
    taken_first, seen_first = arriving(TAKEN, SEEN), arriving(SEEN, TAKEN)
    for case in (taken_first, seen_first):
        assert case.trail[-1].kind is cs.EntryKind.CORROBORATION
        assert (case.fate, case.whereabouts, case.open_conflicts) == (Fate.ALIVE, Whereabouts.HELD, ())
        then = case.as_of_effective(MORNING)
        assert (then.fate, then.whereabouts) == (Fate.ALIVE, Whereabouts.HELD)
        before = case.as_of_effective(MORNING - timedelta(microseconds=1))
        assert (before.fate, before.whereabouts) == (Fate.UNKNOWN, Whereabouts.HOME)


def test_the_place_a_sighting_carried_over_is_held_until_a_report_about_its_instant_tells_another():
    seen = arriving(SEEN)
    assert (seen.status, seen.whereabouts) == ("seen_alive", Whereabouts.HOME)
    verdict = OCCUPIED_TOWN.check(seen, TAKEN)
    assert (verdict.outcome, verdict.target, verdict.whereabouts) == (
        Outcome.CORROBORATION,
        "seen_alive",
        Whereabouts.HELD,
    )
    # As the case holder knew it: home until the monitor's report came, held since.
    taken = arriving(SEEN, TAKEN)
    assert taken.as_of_recorded(dated(5, 5)).whereabouts is Whereabouts.HOME
    assert taken.as_of_recorded(dated(5, 6)).whereabouts is Whereabouts.HELD


def test_a_report_about_a_later_instant_is_judged_against_the_carried_place():
    # Taken away that afternoon: not legal from "seen alive", it rivals the sighting, and
    # disagrees with the place the case holds; on evidence as strong, neither holds.
    later = attrs.evolve(TAKEN, effective_at=MORNING + timedelta(hours=5))
    verdict = OCCUPIED_TOWN.check(arriving(SEEN), later)
    assert (verdict.outcome, verdict.codes) == (Outcome.CONFLICT, (cs.Code.RIVAL_REPORT,))


def test_a_place_the_periods_own_report_named_is_not_told_otherwise():
    # Taken away, then a report that he was seen at home that morning: it names home.
    at_home = attrs.evolve(
        OCCUPIED_TOWN.rule("report_seen_alive"), trigger="report_seen_at_home", whereabouts=Whereabouts.HOME
    )
    workflow = OCCUPIED_TOWN.with_rules(at_home)
    case = workflow.apply(unaccounted(), TAKEN)
    verdict = workflow.check(case, attrs.evolve(SEEN, trigger="report_seen_at_home"))
    assert (verdict.outcome, verdict.codes) == (Outcome.CONFLICT, (cs.Code.RIVAL_REPORT,))


@pytest.mark.parametrize("hours", [0, 5])
def test_replay_refuses_a_corroboration_that_tells_a_place_the_period_did_not_carry(hours):
    # The period of the capture names its own place: no corroboration may move it, at any instant.
    case = arriving(TAKEN, attrs.evolve(SEEN, effective_at=MORNING + timedelta(hours=hours)))
    _replay_refuses_the_last_corroboration_told(case, Whereabouts.HOME)


def test_replay_refuses_a_corroboration_that_tells_a_carried_place_otherwise_later_than_its_instant():
    case = arriving(SEEN, attrs.evolve(SEEN, actor=MONITOR, effective_at=MORNING + timedelta(hours=5)))
    _replay_refuses_the_last_corroboration_told(case, Whereabouts.HELD)


def _replay_refuses_the_last_corroboration_told(case: cs.Case, place: Whereabouts) -> None:
    """Replay refuses *case*'s last entry, a corroboration, forged to tell *place*."""
    corroboration = case.trail[-1]
    assert corroboration.kind is cs.EntryKind.CORROBORATION
    forged = resealed([*case.trail[:-1], attrs.evolve(corroboration, whereabouts=place)])
    with pytest.raises(cs.BrokenTrail, match="a corroboration cannot change whereabouts the case holds"):
        cs.replay(forged)


def test_a_report_that_names_no_place_leaves_a_carried_place_as_it_is():
    # The captor's notice of death (remains held), confirmed by the lab that very instant:
    # the confirmation carries the place over. A relative's word of the death that instant
    # names no place, and leaves the remains held.
    notice = dated(6, 2)
    case = WORKFLOW.open("ua-0602", actor=RELATIVE, effective_at=dated(3, 1), recorded_at=dated(3, 1))
    for change in (
        told("notify_death", ICRC, "death_certificate", effective=notice, recorded=dated(6, 3)),
        told("confirm", LAB, "dna_match", effective=notice, recorded=dated(6, 20)),
        told("report_dead", RELATIVE, "witness_statement", effective=notice, recorded=dated(6, 21)),
    ):
        case = WORKFLOW.apply(case, change)
    assert (case.trail[-1].kind, case.status, case.whereabouts) == (
        cs.EntryKind.CORROBORATION,
        "confirmed",
        Whereabouts.HELD,
    )
    check_case(WORKFLOW, case)


def test_the_kit_catches_a_corroboration_that_tells_otherwise_a_place_the_periods_report_named():
    # Seen at home that morning (a report that names the place it held before), then a sighting that
    # names none; a forger makes the sighting say he was held. Replay cannot tell a named place from
    # a carried one (the workflow says which); the testing kit can.
    at_home = attrs.evolve(
        OCCUPIED_TOWN.rule("report_seen_alive"), trigger="report_seen_at_home", whereabouts=Whereabouts.HOME
    )
    workflow = OCCUPIED_TOWN.with_rules(at_home)
    case = workflow.apply(unaccounted(), attrs.evolve(SEEN, trigger="report_seen_at_home", actor=MONITOR))
    case = workflow.apply(case, SEEN)
    corroboration = case.trail[-1]
    assert (corroboration.kind, corroboration.whereabouts) == (cs.EntryKind.CORROBORATION, Whereabouts.HOME)
    forged = cs.replay(
        resealed([*case.trail[:-1], attrs.evolve(corroboration, whereabouts=Whereabouts.HELD)])
    )
    with pytest.raises(BrokenInvariant, match="a corroboration entry moved the case"):
        check_case(workflow, forged)


def test_a_place_a_report_named_since_is_the_periods_own_though_it_was_the_one_carried():
    # Seen alive (no place), then seen at home that morning (the place carried, named now), then
    # taken away that morning: the place is a report's word, and the capture rivals it. Every
    # order of the three ends the same: a pair neither of which holds, and what the case held.
    at_home = attrs.evolve(
        OCCUPIED_TOWN.rule("report_seen_alive"), trigger="report_seen_at_home", whereabouts=Whereabouts.HOME
    )
    workflow = OCCUPIED_TOWN.with_rules(at_home)
    home = attrs.evolve(SEEN, trigger="report_seen_at_home", actor=cs.Actor("aunt-1", "family"))
    outcomes = set()
    for order in itertools.permutations((TAKEN, SEEN, home)):
        case = unaccounted()
        for number, change in enumerate(order):
            case = workflow.apply(case, attrs.evolve(change, recorded_at=dated(5, 5 + number)))
        check_case(workflow, case)
        then = case.as_of_effective(MORNING)
        outcomes.add((case.status, case.whereabouts, len(case.open_conflicts), then.fate, then.whereabouts))
    assert outcomes == {("unaccounted", Whereabouts.HOME, 3, Fate.UNKNOWN, Whereabouts.HOME)}
