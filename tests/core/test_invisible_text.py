"""Text that shows nothing is no reason, and identifiers that look alike are refused, not told apart."""

import attrs
import pytest

import casestate as cs
from casestate._chain import commitment, entry_digest
from support import WORKFLOW, actor, case_in, change, day

UNSEEN = [
    "\u200b",
    "\u2800",
    "\u3164",
    "\u00ad",
    "\ufeff",
    "\u115f",
    "\u1160",
    "\uffa0",
    "\u2060",
    " \u200b\t",
]


@pytest.mark.parametrize("reason", UNSEEN)
def test_a_reason_that_shows_nothing_does_not_satisfy_reason_required(reason):
    case = case_in("captured")
    attempt = change("retract", "icrc", on=40, reason=reason)
    assert attempt.reason is None
    assert cs.Code.REASON_REQUIRED in WORKFLOW.check(case, attempt).codes


@pytest.mark.parametrize("reason", UNSEEN)
def test_a_record_whose_reason_shows_nothing_has_none(reason):
    record = {**cs.change_to_record("ua-1", change("retract", "icrc", on=40)), "reason": reason}
    assert cs.change_from_record(record)[1].reason is None


LOOKALIKES = ["ua-1 ", " ua-1", "ua\u200b-1", "ua-1\ufeff", "\u2800", "\u3164\u200b", "ua\t1", "ua-1\u00ad"]


@pytest.mark.parametrize("case_id", LOOKALIKES)
def test_a_case_id_that_looks_like_another_is_refused(case_id):
    with pytest.raises(ValueError, match="case_id"):
        WORKFLOW.open(case_id, actor=actor("ngo"), effective_at=day(0), recorded_at=day(0))


@pytest.mark.parametrize("case_id", LOOKALIKES)
def test_a_record_with_such_a_case_id_names_the_field(case_id):
    record = {**cs.change_to_record("ua-1", change("retract", "icrc", on=40)), "case_id": case_id}
    with pytest.raises(cs.RecordError) as caught:
        cs.change_from_record(record)
    assert caught.value.field == "case_id"


@pytest.mark.parametrize("field", ["actor_id", "role", "trigger"])
@pytest.mark.parametrize("value", LOOKALIKES[:4])
def test_a_record_with_a_lookalike_actor_role_or_trigger_names_the_field(field, value):
    record = {**cs.change_to_record("ua-1", change("retract", "icrc", on=40)), field: value}
    with pytest.raises(cs.RecordError) as caught:
        cs.change_from_record(record)
    assert caught.value.field == field


@pytest.mark.parametrize("actor_id", LOOKALIKES)
def test_a_change_by_an_actor_whose_id_looks_like_another_is_refused(actor_id):
    with pytest.raises(ValueError, match="actor id"):
        change("report_captured", cs.Actor(actor_id, "family"), "video", on=1)


def test_a_reference_that_shows_nothing_is_refused_in_a_new_change():
    with pytest.raises(ValueError, match="must show something"):
        cs.Change(
            trigger="report_captured",
            actor=actor("family"),
            evidence=[cs.Evidence("video", "\u200b", "channel", day(1))],
            effective_at=day(1),
            recorded_at=day(1),
        )


@pytest.mark.parametrize("name", ["captured ", "capt\u200bured", "\u2800"])
def test_a_status_or_role_name_that_looks_like_another_is_refused(name):
    with pytest.raises(ValueError, match="a name"):
        cs.StatusDef(name, cs.Fate.ALIVE)
    with pytest.raises(ValueError, match="a name"):
        WORKFLOW.with_roles(name)


@pytest.mark.parametrize("name", ["ua 1", "Іван Петренко", "unit 41 HQ", "ua-1"])
def test_inner_spaces_and_any_script_are_identifiers(name):
    assert (
        WORKFLOW.open(name, actor=cs.Actor(name, "ngo"), effective_at=day(0), recorded_at=day(0)).id == name
    )


def test_a_trail_written_before_the_rule_still_loads():
    # History is never refused for a rule it predates: the rule is for what is new.
    entry = case_in("missing").trail[0]
    old = attrs.evolve(entry, case_id="ua-1 ", actor_id="ngo\u200b", reason="\u200b")
    old = attrs.evolve(old, commitment=commitment(old.actor_id, old.reason, old.evidence, old.salt))
    old = attrs.evolve(old, hash=entry_digest(old, None))
    case = cs.replay([old])
    again = cs.from_json(cs.to_json(case))
    assert (again.id, again.trail[0].actor_id) == ("ua-1 ", "ngo\u200b")
