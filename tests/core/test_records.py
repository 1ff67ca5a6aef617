"""Change records: the JSON and CSV forms of a change, and every fault named by its field."""

import attrs
import pytest

import casestate as cs
from support import GOOD_RECORD


def with_(**changes):
    record = dict(GOOD_RECORD)
    for name, value in changes.items():
        if value is ...:
            del record[name]
        else:
            record[name] = value
    return record


def test_a_record_reads_into_a_change_in_utc():
    case_id, change = cs.change_from_record(GOOD_RECORD)
    assert case_id == "ua-0173"
    assert change.actor == cs.Actor("unit-41-hq", "unit")
    assert change.effective_at.isoformat() == "2024-03-02T10:00:00+00:00"
    assert change.evidence[0].kind is cs.EvidenceKind.UNIT_NOTIFICATION
    assert change.reason == "the unit's notice to the family"


def test_a_change_written_as_a_record_reads_back_equal_but_for_its_salt():
    case_id, change = cs.change_from_record(with_(resolves=[3]))
    again_id, again = cs.change_from_record(cs.change_to_record(case_id, change))
    assert again_id == case_id
    assert (again.trigger, again.actor, again.effective_at, again.recorded_at) == (
        change.trigger,
        change.actor,
        change.effective_at,
        change.recorded_at,
    )
    assert (again.evidence, again.reason, again.resolves) == (change.evidence, change.reason, change.resolves)


@pytest.mark.parametrize(
    ("record", "field", "words"),
    [
        (with_(case_id=...), "case_id", "missing"),
        (with_(case_id=17), "case_id", "expected text, got int"),
        (with_(trigger="  "), "trigger", "must not be empty"),
        (with_(role=None), "role", "expected text, got null"),
        (with_(effective_at="2024-03-02T12:00:00"), "effective_at", "naive timestamp"),
        (with_(effective_at="2024-03-02"), "effective_at", "naive timestamp"),
        (with_(recorded_at="2024-02-30T12:00:00Z"), "recorded_at", "impossible timestamp"),
        (with_(recorded_at="2024-03-10T25:00:00Z"), "recorded_at", "impossible timestamp"),
        (with_(recorded_at="last Tuesday"), "recorded_at", "not an ISO 8601 timestamp"),
        (with_(recorded_at=1710062100), "recorded_at", "expected text, got int"),
        (with_(evidence="video"), "evidence", "expected a list"),
        (with_(evidence=["video"]), "evidence[0]", "expected an object"),
        (
            with_(evidence=[{**GOOD_RECORD["evidence"][0], "kind": "Rumour"}]),
            "evidence[0].kind",
            "unknown evidence kind",
        ),
        (with_(evidence=[{**GOOD_RECORD["evidence"][0], "kind": None}]), "evidence[0].kind", "expected text"),
        (with_(evidence=[{"kind": "video"}]), "evidence[0].reference", "missing"),
        (with_(evidence=[{**GOOD_RECORD["evidence"][0], "page": 2}]), "evidence[0]", "unknown fields page"),
        (
            with_(evidence=[{**GOOD_RECORD["evidence"][0], "obtained_at": "2024-03-10"}]),
            "evidence[0].obtained_at",
            "naive",
        ),
        (with_(reason=["a", "b"]), "reason", "expected text or null"),
        (with_(resolves="3"), "resolves", "expected a list"),
        (with_(resolves=[3, True]), "resolves[1]", "expected an entry number"),
        (with_(resolves=[-1]), "resolves[0]", "expected an entry number"),
        (with_(efective_at="2024-03-02T12:00:00Z"), "efective_at", "unknown field"),
        (with_(trigger="open", resolves=[1]), "resolves", "opens a case resolves nothing"),
        (with_(follows="ua-0101"), "follows", "only a record that opens a case follows another"),
        (with_(trigger="open", follows=7), "follows", "expected text, got int"),
        (with_(trigger="open", follows="ua-0173"), "follows", "a case cannot follow itself"),
        (with_(trigger="open", follows="x" * 401), "follows", "at most 400 are stored"),
    ],
)
def test_every_fault_names_its_field(record, field, words):
    with pytest.raises(cs.RecordError) as caught:
        cs.change_from_record(record)
    assert caught.value.field == field
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"{field}: ")


def test_a_record_that_is_not_an_object_is_refused_without_a_field():
    with pytest.raises(cs.RecordError) as caught:
        cs.change_from_record(["ua-0173", "report_dead"])
    assert caught.value.field is None
    assert "expected a JSON object, got list" in str(caught.value)


def test_blank_reason_and_null_optional_fields_mean_none():
    _, change = cs.change_from_record(with_(reason="  ", evidence=None, resolves=None))
    assert (change.reason, change.evidence, change.resolves) == (None, (), ())


def test_a_csv_row_reads_like_its_record_with_numbered_evidence_columns():
    record = with_(resolves=[3, 5])
    row = cs.record_to_csv_row(cs.change_to_record(*cs.change_from_record(record)))
    assert row["resolves"] == "3 5"
    assert row["evidence_1_kind"] == "unit_notification"
    cs.check_csv_header(cs.csv_columns(1))
    full = dict.fromkeys(cs.csv_columns(2), "") | row
    case_id, change = cs.change_from_csv_row(full)
    assert case_id == "ua-0173"
    assert change.resolves == (3, 5)
    assert len(change.evidence) == 1


def test_a_csv_fault_names_the_column():
    row = dict.fromkeys(cs.csv_columns(2), "") | cs.record_to_csv_row(GOOD_RECORD)
    row |= {
        "evidence_2_kind": "video",
        "evidence_2_reference": "t.me/1",
        "evidence_2_obtained_at": "2024-03-10Z",
    }
    with pytest.raises(cs.RecordError) as caught:
        cs.change_from_csv_row(row)
    assert caught.value.field == "evidence_2_source"
    row = dict.fromkeys(cs.csv_columns(1), "") | cs.record_to_csv_row(GOOD_RECORD) | {"resolves": "3, 5"}
    with pytest.raises(cs.RecordError, match="resolves: expected entry numbers separated by spaces"):
        cs.change_from_csv_row(row)


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ([*cs.csv_columns(1), "notes"], "notes"),
        ([*cs.csv_columns(1), "evidence_0_kind"], "evidence_0_kind"),
        ([*cs.csv_columns(1), "evidence"], "evidence"),
        ([*cs.csv_columns(1), "role"], "role"),
        ([name for name in cs.csv_columns(1) if name != "recorded_at"], "recorded_at"),
    ],
)
def test_a_csv_header_with_unknown_repeated_or_missing_columns_is_refused(header, named):
    with pytest.raises(cs.RecordError) as caught:
        cs.check_csv_header(header)
    assert caught.value.field == named


def test_parse_timestamp_keeps_the_instant_and_refuses_naive_ones():
    assert cs.parse_timestamp("2024-03-02T14:00:00+02:00", "when") == cs.parse_timestamp(
        "2024-03-02T12:00:00Z", "when"
    )
    with pytest.raises(cs.RecordError, match="when: naive"):
        cs.parse_timestamp("2024-03-02T14:00:00", "when")


@pytest.mark.parametrize(
    "record",
    [
        GOOD_RECORD,
        with_(evidence=[], reason="  ", resolves=[5, 3, 5]),
        with_(
            evidence=[GOOD_RECORD["evidence"][0], {**GOOD_RECORD["evidence"][0], "kind": "dna_match"}],
            reason=None,
        ),
        with_(trigger="open", evidence=None, resolves=None),
        with_(source_id="hotline-kyiv/2024-0412"),
        with_(source_id=None),
        with_(trigger="open", evidence=None, follows="ua-0101"),
        with_(evidence=[{**GOOD_RECORD["evidence"][0], "kind": "unit_form_5"}]),
    ],
)
def test_a_change_read_from_a_record_equals_one_built_by_its_constructor(record):
    # Records build their values without running the classes' converters again:
    # the result must be exactly what the constructors make.
    _, change = cs.change_from_record(record)
    built = cs.Change(
        trigger=change.trigger,
        actor=cs.Actor(record["actor_id"], record["role"]),
        effective_at=change.effective_at,
        recorded_at=change.recorded_at,
        evidence=[
            cs.Evidence(
                item["kind"], item["reference"], item["source"], cs.parse_timestamp(item["obtained_at"], "t")
            )
            for item in record.get("evidence") or ()
        ],
        reason=record.get("reason"),
        resolves=record.get("resolves") or (),
        source_id=record.get("source_id"),
        salt=change.salt,
        follows=record.get("follows"),
    )
    assert change == built
    assert [type(item.kind) for item in change.evidence] == [
        cs.EvidenceKind if item.kind in cs.BUILT_IN_KINDS else str for item in change.evidence
    ]
    assert cs.change_from_record(cs.change_to_record(*cs.change_from_record(record))) == (
        record["case_id"],
        change,
    )
    assert {field.name for field in attrs.fields(cs.Change)} == {
        "trigger",
        "actor",
        "effective_at",
        "recorded_at",
        "evidence",
        "reason",
        "resolves",
        "source_id",
        "salt",
        "follows",
    }
    assert {field.name for field in attrs.fields(cs.Evidence)} == {
        "kind",
        "reference",
        "source",
        "obtained_at",
    }
