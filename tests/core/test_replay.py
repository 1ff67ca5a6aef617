"""Replay refuses a trail whose chain holds but whose entries do not follow from each other.

Such a trail can only come from someone who recomputed the hashes (anyone, for a
plain chain without a kept head): replay must still not build a wrong case from it.
"""

import attrs
import pytest

import casestate as cs
from support import WORKFLOW, case_in, change, opened, resealed


def forged(status, index, **changes):
    trail = list(case_in(status).trail)
    trail[index] = attrs.evolve(trail[index], **changes)
    return resealed(trail)


def with_conflict():
    case = WORKFLOW.apply(case_in("confirmed"), change("report_captured", "family", "video", on=50))
    return WORKFLOW.apply(case, change("dismiss", "ngo", on=51, reason="not him", resolves=(3,)))


@pytest.mark.parametrize(
    ("trail", "message"),
    [
        (forged("captured", 0, kind=cs.EntryKind.TRANSITION), "must begin with the opening entry"),
        (forged("captured", 0, from_status="dead"), "must begin with the opening entry"),
        (forged("captured", 1, kind=cs.EntryKind.OPENED), "only the first entry may open the case"),
        (forged("confirmed", 2, from_status="captured"), "leaves 'captured', but the case was 'dead'"),
        (forged("confirmed", 2, recorded_at=case_in("confirmed").trail[0].recorded_at), "recorded before"),
        (
            forged("confirmed", 2, effective_at=case_in("confirmed").trail[0].effective_at),
            "takes effect before",
        ),
        (forged("confirmed", 2, resolves=(1,)), "resolves an entry that is not an open conflict"),
    ],
)
def test_an_entry_that_does_not_follow_is_named(trail, message):
    assert cs.verify(trail).ok
    with pytest.raises(cs.BrokenTrail, match=message) as broken:
        cs.replay(trail)
    assert broken.value.integrity.problem is cs.Problem.INCONSISTENT


@pytest.mark.parametrize(
    ("index", "changes", "message"),
    [
        (3, {"to_status": "captured"}, "a conflict entry cannot change the status"),
        (3, {"resolves": (3,)}, "resolves an entry that is not an open conflict"),
        (4, {"fate": cs.Fate.ALIVE}, "a dismissal entry cannot change the status"),
    ],
)
def test_conflict_and_dismissal_entries_cannot_move_the_case(index, changes, message):
    trail = list(with_conflict().trail)
    trail[index] = attrs.evolve(trail[index], **changes)
    with pytest.raises(cs.BrokenTrail, match=message):
        cs.replay(resealed(trail))


def test_a_conflict_entry_cannot_resolve_others():
    case = WORKFLOW.apply(case_in("confirmed"), change("report_captured", "family", "video", on=50))
    case = WORKFLOW.apply(case, change("report_wounded", "family", "video", on=51))
    trail = list(case.trail)
    trail[4] = attrs.evolve(trail[4], resolves=(3,))
    with pytest.raises(cs.BrokenTrail, match="a conflict entry cannot resolve others"):
        cs.replay(resealed(trail))


def test_a_corroboration_can_only_raise_the_assurance():
    case = WORKFLOW.apply(case_in("captured"), change("report_captured", "icrc", "capture_card", on=15))
    case = WORKFLOW.apply(case, change("report_captured", "family", "photo", on=16))
    trail = list(case.trail)
    trail[3] = attrs.evolve(trail[3], assurance=cs.Assurance.REPORTED)
    with pytest.raises(cs.BrokenTrail, match="a corroboration can only raise the assurance"):
        cs.replay(resealed(trail))


def test_the_status_entry_and_key_flags_of_a_case():
    case = with_conflict()
    assert case.status_entry.seq == 2
    assert not case.keyed
    entry = case.trail[2]
    assert entry.actor == cs.Actor("forensic_lab-1", "forensic_lab")
    assert entry.reason is None
    assert entry.evidence[0].kind is cs.EvidenceKind.DNA_MATCH


def test_a_head_that_is_no_hash_is_a_type_error_not_a_cut_off_trail():
    case = opened()
    with pytest.raises(TypeError, match=r"head must be the hash of the last entry \(a str\), not bytes$"):
        cs.verify(case.trail, head=case.head.encode())  # read from a file opened in binary
    with pytest.raises(TypeError, match="head must be the hash of the last entry"):
        cs.from_json(cs.to_json(case), head=5)


def test_replay_refuses_an_entry_that_records_no_whereabouts_after_one_that_does():
    # Only a trail written before whereabouts were recorded has entries without them, from its
    # opening on; a forger who drops the place a capture card told must not go unnoticed.
    case = WORKFLOW.apply(case_in("captured"), change("report_captured", "icrc", "capture_card", on=12))
    assert case.trail[-1].whereabouts is cs.Whereabouts.HELD
    forged = resealed([*case.trail[:-1], attrs.evolve(case.trail[-1], whereabouts=None)])
    with pytest.raises(cs.BrokenTrail, match="records no whereabouts, after an entry that records them"):
        cs.replay(forged)


@pytest.mark.parametrize(
    ("trail", "kind"),
    [
        (
            resealed(
                [
                    *with_conflict().trail[:4],
                    attrs.evolve(with_conflict().trail[4], codes=(cs.Code.UNKNOWN_CONFLICT,)),
                ]
            ),
            "dismissal",
        ),
        (forged("confirmed", 2, codes=(cs.Code.ILLEGAL_TRANSITION,)), "transition"),
    ],
)
def test_only_a_conflict_entry_says_why_it_is_one(trail, kind):
    with pytest.raises(cs.BrokenTrail, match=f"a {kind} entry has no codes"):
        cs.replay(trail)


@pytest.mark.parametrize(
    "named",
    [
        {"codes": (cs.Code.RIVAL_REPORT,)},
        {"resolves": (1,)},
        {"reverts_to": 0},
        {"displaces": 1},
        {"contests": (1,)},
        {"reconciles": (1,)},
        {"carries_into": 1},
    ],
)
def test_the_opening_entry_names_no_entry_and_no_conflict(named):
    trail = forged("captured", 0, **named)
    with pytest.raises(
        cs.BrokenTrail, match=f"the opening entry has {next(iter(named))}, which only a later"
    ):
        cs.replay(trail)


def retracted():
    """Dead since day 10, the notice withdrawn by the ministry: missing again, as the opening left it."""
    case = WORKFLOW.apply(case_in("dead"), change("retract", "ministry", on=20, reason="another man"))
    assert case.trail[-1].reverts_to == 0
    return case


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reverts_to": 1}, "resumes entry 1, which began no live 'missing' period"),
        ({"whereabouts": cs.Whereabouts.HELD}, "resumes entry 0, but not where that period held the person"),
    ],
)
def test_a_retraction_resumes_a_live_period_as_it_stood(fields, message):
    with pytest.raises(cs.BrokenTrail, match=message):
        cs.replay(resealed([*retracted().trail[:-1], attrs.evolve(retracted().trail[-1], **fields)]))


def test_only_a_transition_resumes_an_earlier_status():
    case = WORKFLOW.apply(case_in("dead"), change("report_dead", "family", "witness_statement", on=12))
    assert case.trail[-1].kind is cs.EntryKind.CORROBORATION
    with pytest.raises(cs.BrokenTrail, match="a corroboration entry cannot resume an earlier status"):
        cs.replay(resealed([*case.trail[:-1], attrs.evolve(case.trail[-1], reverts_to=0)]))
