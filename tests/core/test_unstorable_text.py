"""Text no UTF-8 file or database can hold (a lone surrogate) is refused where it comes in."""

import json
import re
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import casestate as cs
from casestate._text import is_storable, unstorable
from support import WORKFLOW, actor, day, evidence, run

LONE = "ivan\ud800"
SAYS = "not valid Unicode: a lone surrogate ('\\ud800') at character 5"


@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_storable_means_utf8_can_encode_it_and_it_holds_no_nul(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        assert not is_storable(text)
        assert unstorable(text).startswith(
            ("not valid Unicode: a lone surrogate", "not storable text: a NUL")
        )
    else:
        assert is_storable(text) == ("\x00" not in text)


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


def test_a_batch_refuses_to_open_a_case_a_store_could_not_hold():
    batch = cs.Batch(WORKFLOW)
    opening = cs.Change(trigger=cs.OPEN, actor=actor("family"), effective_at=day(0), recorded_at=day(0))
    for case_id, says in ((LONE, f"case_id is {SAYS}"), ("  ", "case_id must be a non-empty string")):
        with pytest.raises(ValueError, match=f"^{re.escape(says)}"):
            batch.check(case_id, opening)
    assert not batch.knows(LONE)


TINY = {
    "name": "tiny",
    "initial": "missing",
    "roles": ["ngo"],
    "dismiss_roles": ["ngo"],
    "statuses": [
        {"name": "missing", "fate": "unknown"},
        {"name": "found", "fate": "alive", "final": True, "description": "found alive"},
    ],
    "rules": [{"trigger": "find", "sources": ["missing"], "target": "found", "roles": ["ngo"]}],
}


@pytest.mark.parametrize(
    ("place", "path"),
    [
        ("name", ("name",)),
        ("description", ("description",)),
        ("roles[0]", ("roles", 0)),
        ("statuses[1].name", ("statuses", 1, "name")),
        ("statuses[1].description", ("statuses", 1, "description")),
        ("rules[0].target", ("rules", 0, "target")),
        ("rules[0].sources[0]", ("rules", 0, "sources", 0)),
    ],
)
def test_a_workflow_definition_holding_it_is_refused_naming_the_place(place, path):
    definition = json.loads(json.dumps(TINY))
    *parents, last = path
    holder = definition
    for step in parents:
        holder = holder[step]
    holder[last] = LONE
    with pytest.raises(cs.WorkflowError) as raised:
        cs.workflow_from_dict(definition)
    assert f"{place}: {SAYS}" in raised.value.problems
    str(raised.value).encode("utf-8")  # the message itself can be printed


def test_descriptions_in_code_are_checked_too():
    with pytest.raises(ValueError, match=f"^description is {re.escape(SAYS)}$"):
        cs.StatusDef("found", fate=cs.Fate.ALIVE, description=LONE)
    with pytest.raises(ValueError, match=f"^description is {re.escape(SAYS)}$"):
        cs.Rule(trigger="find", sources=["missing"], target="found", roles=["ngo"], description=LONE)


def test_unknown_names_holding_it_are_shown_escaped():
    with pytest.raises(cs.RecordError) as record:
        cs.change_from_record({**GOOD, "efective_at\ud800": "x"})
    with pytest.raises(cs.RecordError) as column:
        cs.check_csv_header([*cs.csv_columns(1), "note\udcff"])
    with pytest.raises(cs.WorkflowError) as definition:
        cs.workflow_from_dict({**TINY, "colour\ud800": "red"})
    with pytest.raises(cs.FormatError) as document:
        cs.from_dict({**cs.to_dict(opened_case()), "extra\ud800": 1})
    assert record.value.field == "efective_at\\ud800"
    assert column.value.field == "note\\udcff"
    assert "definition: unknown fields colour\\ud800" in definition.value.problems
    assert str(document.value) == "document: unknown fields extra\\ud800"
    for error in (record.value, column.value, definition.value, document.value):
        str(error).encode("utf-8")
    with pytest.raises(cs.RecordError) as coloured:
        cs.change_from_record({**GOOD, "note\x1b[31m": "x"})
    assert coloured.value.field == "note\\x1b[31m"  # shown, not acted on by a terminal


def opened_case():
    return WORKFLOW.open("ua-0173", actor=actor("family"), effective_at=day(0), recorded_at=day(1))


@pytest.mark.parametrize(
    ("place", "where"),
    [
        ("case_id", lambda data: data),
        ("entries[0].role", lambda data: data["entries"][0]),
        ("entries[0].private.actor_id", lambda data: data["entries"][0]["private"]),
        ("entries[0].private.reason", lambda data: data["entries"][0]["private"]),
    ],
)
def test_an_exported_case_holding_it_is_refused_naming_the_place(place, where):
    data = cs.to_dict(opened_case())
    where(data)[place.rsplit(".", 1)[-1]] = LONE
    with pytest.raises(cs.FormatError, match=f"^{re.escape(place)}: {re.escape(SAYS)}$"):
        cs.from_dict(data)


NUL_SAYS = "not storable text: a NUL character at character 5 (PostgreSQL cannot hold it)"


def test_a_nul_character_is_refused_like_a_lone_surrogate():
    with pytest.raises(ValueError, match=f"^reason is {re.escape(NUL_SAYS)}$"):
        cs.Change(
            trigger="report_dead",
            actor=actor("unit"),
            effective_at=day(1),
            recorded_at=day(1),
            reason="ivan\x00",
        )
    with pytest.raises(ValueError, match=f"^case_id is {re.escape(NUL_SAYS)}$"):
        WORKFLOW.open("ivan\x00", actor=actor("family"), effective_at=day(0), recorded_at=day(0))
    for read in (cs.change_from_record, lambda record: cs.change_from_record(dict(record))):
        with pytest.raises(cs.RecordError) as raised:
            read({**GOOD, "case_id": "ivan\x00"})
        assert (raised.value.field, raised.value.problem) == ("case_id", NUL_SAYS)


def test_a_case_id_or_a_name_too_long_for_a_database_index_is_refused():
    longest = "c" * cs.MAX_CASE_ID
    assert (
        WORKFLOW.open(longest, actor=actor("family"), effective_at=day(0), recorded_at=day(0)).id == longest
    )
    with pytest.raises(
        ValueError, match=f"^case_id is 401 characters long; at most {cs.MAX_CASE_ID} are stored$"
    ):
        WORKFLOW.open(longest + "c", actor=actor("family"), effective_at=day(0), recorded_at=day(0))
    with pytest.raises(cs.RecordError, match=r"^case_id: 401 characters long"):
        cs.change_from_record({**GOOD, "case_id": longest + "c"})
    with pytest.raises(ValueError, match=r"^a name is 201 characters long; at most 200 are stored$"):
        cs.StatusDef("s" * 201, fate=cs.Fate.UNKNOWN)
    definition = json.loads(json.dumps(TINY))
    definition["statuses"][1]["name"] = definition["rules"][0]["target"] = "s" * 201
    with pytest.raises(cs.WorkflowError) as raised:
        cs.workflow_from_dict(definition)
    assert "statuses[1]: a name is 201 characters long; at most 200 are stored" in raised.value.problems


def test_validate_reports_a_nul_in_a_field_as_an_invalid_record_naming_it(tmp_path):
    path = tmp_path / "changes.jsonl"
    path.write_text(json.dumps({**GOOD, "case_id": "ivan\x00"}) + "\n")
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 1
    [finding] = json.loads(result.output)["findings"]
    assert (finding["codes"], finding["field"]) == (["invalid_record"], "case_id")
    assert finding["reasons"][0]["message"] == f"case_id: {NUL_SAYS}"
