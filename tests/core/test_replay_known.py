"""Replaying a trail that grew since it was last replayed: only the new entries are checked."""

import attrs
import pytest

import casestate as cs
from support import PATH_TO, WORKFLOW, case_in, change, opened


def grown():
    before = case_in("dead")
    after = WORKFLOW.apply(before, change("confirm", "forensic_lab", "dna_match", on=20))
    return before, after


def test_replay_from_a_known_case_equals_a_full_replay():
    before, after = grown()
    assert cs.replay(after.trail, known=before) == cs.replay(after.trail) == after
    assert cs.replay(after.trail, known=after) == after


def test_the_new_entries_are_still_verified():
    before, after = grown()
    altered = (*after.trail[:-1], attrs.evolve(after.trail[-1], to_status="repatriated"))
    with pytest.raises(cs.BrokenTrail, match="case 'case-1': entry 2: was altered"):
        cs.replay(altered, known=before)


def test_the_new_entries_are_folded_onto_the_known_case():
    before, after = grown()
    misremembered = attrs.evolve(before, status="missing")
    with pytest.raises(cs.BrokenTrail, match="entry 2: leaves 'dead', but the case was 'missing'"):
        cs.replay(after.trail, known=misremembered)


def test_a_known_case_must_begin_the_trail():
    before, _ = grown()
    other = opened("case-2")
    with pytest.raises(ValueError, match="known must be a case whose trail begins"):
        cs.replay(other.trail, known=before)


def test_verify_can_start_after_trusted_entries():
    case = case_in("confirmed")
    assert len(PATH_TO["confirmed"]) == 2
    tampered = (attrs.evolve(case.trail[0], role="court"), *case.trail[1:])
    assert not cs.verify(tampered)
    assert cs.verify(tampered, trusted=1)
    assert not cs.verify((*case.trail[:2], attrs.evolve(case.trail[2], seq=7)), trusted=2)
