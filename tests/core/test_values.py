"""Values refuse bad input at construction, with a message that names the field."""

import inspect
import os
from collections import deque
from datetime import UTC, datetime, timedelta, timezone

import pytest

import casestate as cs
from casestate import _change
from casestate._change import new_salt
from casestate._time import format_instant, parse_instant
from casestate.store import SQLiteStore
from support import actor, day, evidence, opened

KYIV_SUMMER = timezone(timedelta(hours=3))


def make_change(**changes):
    fields = {"trigger": "report_dead", "actor": actor("unit"), "effective_at": day(1), "recorded_at": day(2)}
    fields.update(changes)
    return cs.Change(**fields)


def test_times_are_kept_in_utc_whatever_zone_they_come_in():
    change = make_change(effective_at=datetime(2024, 3, 1, 3, 0, tzinfo=KYIV_SUMMER))
    assert change.effective_at == datetime(2024, 3, 1, 0, 0, tzinfo=UTC)
    assert change.effective_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"effective_at": datetime(2024, 3, 1)}, ValueError, "effective_at must be timezone-aware"),  # noqa: DTZ001
        ({"recorded_at": "2024-03-01"}, TypeError, "recorded_at must be a datetime, not str"),
        ({"trigger": ""}, ValueError, "trigger must be a non-empty string"),
        ({"actor": "unit-1"}, TypeError, "actor must be an Actor, not str"),
        ({"evidence": evidence("video")}, TypeError, "evidence must be a sequence of Evidence"),
        ({"evidence": ["video"]}, TypeError, "evidence must hold Evidence values, not str"),
        ({"evidence": [{"kind": "video"}]}, TypeError, "evidence must hold Evidence values, not dict"),
        ({"reason": 3}, TypeError, "reason must be a string or None"),
        ({"resolves": [-1]}, ValueError, "resolves must hold entry sequence numbers"),
        ({"resolves": [True]}, ValueError, "resolves must hold entry sequence numbers"),
        ({"salt": b"short"}, ValueError, "salt must be at least 16 bytes"),
    ],
)
def test_a_change_refuses_bad_input(changes, error, message):
    with pytest.raises(error, match=message):
        make_change(**changes)


def test_a_blank_reason_is_no_reason_and_resolves_is_sorted_and_unique():
    change = make_change(reason="   ", resolves=[5, 3, 5])
    assert change.reason is None
    assert change.resolves == (3, 5)


def test_each_entry_gets_fresh_salt_even_from_one_change():
    change = make_change(evidence=[evidence("unit_notification", 1)])
    assert change.salt is None
    first = cs.DEFAULT_WORKFLOW.apply(opened("case-1"), change).trail[-1]
    second = cs.DEFAULT_WORKFLOW.apply(opened("case-2"), change).trail[-1]
    assert first.salt is not None
    assert second.salt is not None
    assert first.salt != second.salt
    assert len(first.salt) == 16


def test_salts_are_never_handed_out_twice():
    salts = {new_salt() for _ in range(3 * 1024 + 5)}  # across three refills of the drawn salts
    assert len(salts) == 3 * 1024 + 5
    assert {len(salt) for salt in salts} == {16}


def test_checking_draws_no_salt(monkeypatch):
    case = opened("case-1")

    def refuse(size):
        raise AssertionError(f"{size} random bytes were drawn")

    monkeypatch.setattr(_change, "_salts", deque())  # none drawn ahead either
    monkeypatch.setattr(os, "urandom", refuse)
    step = make_change(evidence=[evidence("unit_notification", 1)])
    assert cs.DEFAULT_WORKFLOW.check(case, step).ok
    assert cs.Batch(cs.DEFAULT_WORKFLOW, load={"case-1": case}.get).check("case-1", step).ok
    assert cs.change_from_record(cs.change_to_record("case-1", step))[1].salt is None
    with pytest.raises(AssertionError, match="random bytes were drawn"):
        cs.DEFAULT_WORKFLOW.apply(case, step)  # sealing does draw one


def test_a_pinned_salt_is_sealed_as_given():
    salt = bytes(range(16))
    pinned = make_change(evidence=[evidence("unit_notification", 1)], salt=salt)
    assert cs.DEFAULT_WORKFLOW.apply(opened("case-1"), pinned).trail[-1].salt == salt


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (
            ("Rumour", "r", "s", day(0)),
            ValueError,
            "unknown evidence kind 'Rumour': neither built in \\(dna_match",
        ),
        (("form 5", "r", "s", day(0)), ValueError, "unknown evidence kind 'form 5'"),
        (("x" * 65, "r", "s", day(0)), ValueError, "unknown evidence kind"),
        ((7, "r", "s", day(0)), ValueError, "unknown evidence kind 7"),
        (("video", "", "s", day(0)), ValueError, "reference must be a non-empty string"),
        (("video", "r", None, day(0)), ValueError, "source must be a non-empty string"),
        (("video", "r", "s", datetime(2024, 1, 1)), ValueError, "obtained_at must be timezone-aware"),  # noqa: DTZ001
    ],
)
def test_evidence_refuses_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        cs.Evidence(*args)


def test_every_evidence_kind_has_a_tier():
    assert {kind.tier for kind in cs.EvidenceKind} == set(cs.Tier)
    assert cs.Evidence("dental_comparison", "r", "s", day(0)).tier is cs.Tier.IDENTIFICATION


@pytest.mark.parametrize(("args", "message"), [(("", "family"), "actor id"), (("x", " "), "actor role")])
def test_an_actor_needs_an_id_and_a_role(args, message):
    with pytest.raises(ValueError, match=message):
        cs.Actor(*args)


def test_opening_refuses_a_bad_case_id_an_unknown_role_and_time_travel():
    workflow = cs.DEFAULT_WORKFLOW
    with pytest.raises(ValueError, match="case_id must be a non-empty string"):
        workflow.open("", actor=actor("ngo"), effective_at=day(0), recorded_at=day(1))
    with pytest.raises(cs.Rejected) as refused:
        workflow.open("c", actor=actor("journalist"), effective_at=day(2), recorded_at=day(1))
    assert refused.value.codes == (cs.Code.UNKNOWN_ROLE, cs.Code.EFFECTIVE_AFTER_RECORDED)
    assert refused.value.case_id == "c"


def test_assurance_follows_the_strongest_evidence():
    assert cs.Assurance.for_tier(cs.Tier.CIRCUMSTANTIAL) is cs.Assurance.REPORTED
    assert cs.Assurance.for_tier(cs.Tier.OFFICIAL) is cs.Assurance.DOCUMENTED
    assert cs.Assurance.REPORTED.stronger(cs.Assurance.IDENTIFIED) is cs.Assurance.IDENTIFIED


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2024, 2, 29, 12, tzinfo=UTC),
    ],
)
def test_the_canonical_instant_form_is_fixed_and_reads_back(moment):
    text = format_instant(moment)
    assert len(text) == 27
    assert text.endswith("Z")
    assert parse_instant(text) == moment


@pytest.mark.parametrize(
    "text", ["2024-03-01", "2024-03-01T00:00:00+00:00", "2024-13-01T00:00:00.000000Z", 5]
)
def test_anything_but_the_canonical_instant_form_is_refused(text):
    with pytest.raises(ValueError, match="instant"):
        parse_instant(text)


def test_an_opening_change_gives_the_keywords_of_every_open():
    opening = make_change(trigger="open", evidence=[evidence("unit_notification", 1)])
    given = opening.opening()
    assert given == {
        "actor": opening.actor,
        "effective_at": opening.effective_at,
        "recorded_at": opening.recorded_at,
        "evidence": opening.evidence,
        "reason": opening.reason,
        "source_id": opening.source_id,
        "follows": None,
    }
    for opener in (cs.Workflow.open, SQLiteStore.open_case):
        assert set(given) <= set(inspect.signature(opener).parameters)
    with pytest.raises(ValueError, match="a change of trigger 'report_dead' opens no case"):
        make_change(trigger="report_dead").opening()
