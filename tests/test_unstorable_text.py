"""Text no UTF-8 file or database can hold (half a surrogate pair) is refused where it comes in."""

import json
import re
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import casestate as cs
from casestate._text import is_storable, unstorable
from support import WORKFLOW, actor, day, evidence

LONE = "ivan\ud800"
SAYS = "not valid Unicode: half of a UTF-16 surrogate pair ('\\ud800') at character 5"


@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_storable_means_utf8_can_encode_it(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        assert not is_storable(text)
        assert unstorable(text).startswith("not valid Unicode: half of a UTF-16 surrogate pair")
    else:
        assert is_storable(text)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: cs.Actor(LONE, "family"), "actor id"),
        (lambda: cs.Actor("ivan", LONE), "actor role"),
        (lambda: cs.Evidence("video", LONE, "a channel", day(0)), "reference"),
        (lambda: cs.Evidence("video", "ref/1", LONE, day(0)), "source"),
        (
            lambda: cs.Change(trigger=LONE, actor=actor("unit"), effective_at=day(1), recorded_at=day(1)),
            "trigger",
        ),
        (
            lambda: cs.Change(
                trigger="report_dead",
                actor=actor("unit"),
                effective_at=day(1),
                recorded_at=day(1),
                reason=LONE,
            ),
            "reason",
        ),
        (
            lambda: WORKFLOW.open(LONE, actor=actor("family"), effective_at=day(0), recorded_at=day(0)),
            "case_id",
        ),
        (lambda: cs.StatusDef(LONE, fate=cs.Fate.UNKNOWN), "a name"),
    ],
    ids=["actor id", "role", "reference", "source", "trigger", "reason", "case_id", "status name"],
)
def test_values_refuse_it_naming_the_field(make, field):
    with pytest.raises(ValueError, match=f"^{re.escape(field)} is {re.escape(SAYS)}$"):
        make()


def test_a_workflow_name_holding_it_is_a_problem_of_the_definition():
    with pytest.raises(cs.WorkflowError, match="the workflow's name is not valid Unicode"):
        WORKFLOW.extend(name=LONE)


GOOD = {
    "case_id": "ua-0173",
    "trigger": "report_dead",
    "actor_id": "unit-41",
    "role": "unit",
    "effective_at": "2024-03-02T12:00:00Z",
    "recorded_at": "2024-03-10T09:15:00Z",
    "reason": "seen by two comrades",
    "evidence": [
        {
            "kind": "unit_notification",
            "reference": "notice 41/118",
            "source": "unit 41 HQ",
            "obtained_at": "2024-03-10T09:00:00Z",
        }
    ],
}


@pytest.mark.parametrize(
    "field",
    ["case_id", "trigger", "actor_id", "role", "reason", "evidence[0].reference", "evidence[0].source"],
)
def test_a_change_record_holding_it_is_refused_naming_the_field(field):
    record = json.loads(json.dumps(GOOD))
    if field.startswith("evidence[0]."):
        record["evidence"][0][field.removeprefix("evidence[0].")] = LONE
    else:
        record[field] = LONE
    with pytest.raises(cs.RecordError) as raised:
        cs.change_from_record(record)
    assert (raised.value.field, raised.value.problem) == (field, SAYS)


def test_a_pair_escaped_in_json_is_one_character_and_welcome():
    record = json.loads(json.dumps(GOOD).replace("seen by two comrades", "\\ud83d\\udd4a\\ufe0f Іван"))
    _, change = cs.change_from_record(record)
    assert change.reason == "\U0001f54a\ufe0f Іван"


def test_a_store_refuses_it_as_a_case_id_or_filter_and_stays_as_it_was(place):
    with place.open() as store:
        store.open_case("case-1", actor=actor("family"), effective_at=day(0), recorded_at=day(1))
        report = cs.Change(
            trigger="report_dead",
            actor=actor("unit"),
            evidence=[evidence("unit_notification", 2)],
            effective_at=day(2),
            recorded_at=day(2),
        )
        for attempt in (
            lambda: store.load(LONE),
            lambda: store.head(LONE),
            lambda: store.apply(LONE, [report], expected_version=1),
        ):
            with pytest.raises(ValueError, match=f"^case_id is {re.escape(SAYS)}$"):
                attempt()
        with pytest.raises(ValueError, match=r"^status is not valid Unicode"):
            store.find(status=LONE)
        with pytest.raises(ValueError, match=r"^after is not valid Unicode"):
            store.find(after=LONE, in_status_for_at_least=timedelta(days=1), now=day(9))
        assert [summary.case_id for summary in store.find()] == ["case-1"]
        assert store.load("case-1").version == 1
