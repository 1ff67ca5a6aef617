"""The kit's value strategies take every option they document, and name the bounds nothing fits."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import casestate as cs
from casestate import EvidenceKind, EvidenceRule, Fate, Tier
from casestate.testing import actors, enough_evidence, evidence, weak_evidence

ON_THE_DAY = datetime(2024, 3, 10, 12, tzinfo=UTC)
CHECKABLE = EvidenceRule(max_tier=Tier.OFFICIAL)
"""Official records or stronger: some kinds satisfy it, others do not."""


@given(actors(st.sampled_from(["icrc", "ngo"])))
def test_actors_take_their_roles_from_a_strategy_and_their_ids_from_the_pool(actor):
    assert actor.role in {"icrc", "ngo"}
    assert actor.id.startswith(f"{actor.role}-")


@given(actors(["icrc", "ngo"], ids=st.just("hotline-7")), actors(st.just("court"), ids=st.just("judge-2")))
def test_actors_take_the_ids_given(listed, drawn):
    assert (listed.id, listed.role in {"icrc", "ngo"}) == ("hotline-7", True)
    assert (drawn.id, drawn.role) == ("judge-2", "court")


@given(evidence(obtained_at=st.just(ON_THE_DAY), texts=st.just("ref"), fate=Fate.DEAD))
def test_evidence_takes_its_time_and_texts_and_never_speaks_for_the_other_fate(piece):
    assert (piece.obtained_at, piece.reference, piece.source) == (ON_THE_DAY, "ref", "ref")
    assert cs.BUILT_IN_KINDS[piece.kind].indicates in (None, Fate.DEAD)


def test_evidence_of_a_kind_the_workflow_does_not_know_is_refused():
    with pytest.raises(ValueError, match="'dossier' is not among the kinds known"):
        evidence(["dossier"])


def test_evidence_that_no_kind_fits_is_refused():
    # A death certificate, the strongest tier and speaking for death, of a man said alive.
    with pytest.raises(ValueError, match="no kind of evidence fits the bounds given"):
        evidence([EvidenceKind.DEATH_CERTIFICATE], fate=Fate.ALIVE)


@given(
    enough_evidence(CHECKABLE, obtained_at=st.just(ON_THE_DAY), texts=st.just("ref")),
    enough_evidence(None, obtained_at=st.just(ON_THE_DAY)),
)
def test_enough_evidence_takes_its_time_and_satisfies_the_rule(pieces, any_pieces):
    assert any(CHECKABLE.accepts(piece) for piece in pieces)
    assert all(piece.obtained_at == ON_THE_DAY for piece in (*pieces, *any_pieces))
    assert len(any_pieces) <= 2  # no rule: up to two pieces of any kind


def test_enough_evidence_that_no_kind_can_give_is_refused():
    only_a_certificate = EvidenceRule(kinds={EvidenceKind.DEATH_CERTIFICATE})
    with pytest.raises(ValueError, match="no kind of evidence satisfies"):
        enough_evidence(only_a_certificate, fate=Fate.ALIVE)


@given(weak_evidence(CHECKABLE, obtained_at=st.just(ON_THE_DAY), texts=st.just("ref")))
def test_weak_evidence_takes_its_time_and_never_satisfies_the_rule(pieces):
    assert pieces
    assert not any(CHECKABLE.accepts(piece) for piece in pieces)
    assert all(piece.obtained_at == ON_THE_DAY for piece in pieces)


def test_weak_evidence_for_a_rule_every_kind_satisfies_is_refused():
    with pytest.raises(ValueError, match="every kind of evidence satisfies"):
        weak_evidence(cs.ANY_EVIDENCE)
