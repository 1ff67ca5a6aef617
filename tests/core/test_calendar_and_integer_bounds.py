"""The ends of the calendar and of the databases' integers: clear errors, never an OverflowError."""

import json
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

import casestate as cs
from support import WORKFLOW, actor, day, opening, record, run, write_lines

EAST = timezone(timedelta(hours=14))
WEST = timezone(-timedelta(hours=5))
FIRST = datetime(1, 1, 1, tzinfo=EAST)  # the year 0 in UTC
LAST = datetime(9999, 12, 31, 23, 59, tzinfo=WEST)  # the year 10000 in UTC
OUTSIDE = "falls outside the years 1 to 9999 in UTC"


@pytest.mark.parametrize("when", [FIRST, LAST])
def test_values_refuse_an_instant_past_the_ends_of_the_calendar(when):
    with pytest.raises(ValueError, match=f"^effective_at .* {OUTSIDE}$"):
        cs.Change(trigger="report_dead", actor=actor("unit"), effective_at=when, recorded_at=day(1))
    with pytest.raises(ValueError, match=f"^obtained_at .* {OUTSIDE}$"):
        cs.Evidence("video", "ref/1", "a channel", when)
    case = WORKFLOW.open("ua-1", actor=actor("family"), effective_at=day(0), recorded_at=day(1))
    with pytest.raises(ValueError, match=OUTSIDE):
        case.as_of_effective(when)
    with pytest.raises(ValueError, match=OUTSIDE):
        case.known_at(when)


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-05:00"])
def test_a_record_with_such_a_timestamp_is_refused_naming_the_field(text):
    for field in ("effective_at", "recorded_at"):
        with pytest.raises(cs.RecordError, match=f"^{field}: timestamp {re.escape(repr(text))} {OUTSIDE}$"):
            cs.change_from_record({**record(), field: text})


def test_a_timer_that_would_run_out_after_the_year_9999_is_not_due():
    late = datetime(9999, 12, 1, tzinfo=UTC)
    case = WORKFLOW.open("ua-1", actor=actor("family"), effective_at=late, recorded_at=late)
    assert cs.due(case, cs.RUSSIA_120FZ, datetime(9999, 12, 31, tzinfo=UTC)) == ()


def test_validate_and_apply_report_such_a_line_and_store_the_others(tmp_path):
    path = write_lines(
        tmp_path / "changes.jsonl",
        json.dumps(opening("ua-1")),
        json.dumps({**opening("ua-2"), "effective_at": "0001-01-01T00:00:00+14:00"}),
        json.dumps(opening("ua-3")),
    )
    checked = run("validate", path, "--format", "json")
    assert checked.exit_code == 1
    [finding] = json.loads(checked.output)["findings"]
    assert (finding["line"], finding["codes"], finding["field"]) == (2, ["invalid_record"], "effective_at")
    store = tmp_path / "cases.db"
    applied = run("apply", path, "--store", store, "--per-line")
    assert applied.exit_code == 1
    with cs.store.SQLiteStore(store) as stored:
        assert list(stored.case_ids()) == ["ua-1", "ua-3"]


def test_a_store_refuses_limits_and_positions_past_its_integers_and_odd_filters(place):
    with place.open() as store:
        store.open_case("ua-1", actor=actor("family"), effective_at=day(0), recorded_at=day(1))
        with pytest.raises(ValueError, match=re.escape("limit must be a positive int (at most 2**63 - 1)")):
            store.find(limit=2**63)
        with pytest.raises(ValueError, match="after must be a position"):
            list(store.entries(after=2**63))
        with pytest.raises(ValueError, match=f"^now - in_status_for_at_least {OUTSIDE}$"):
            store.find(in_status_for_at_least=timedelta(days=1), now=datetime(1, 1, 1, tzinfo=UTC))
        with pytest.raises(TypeError, match="has_conflict must be True, False or None"):
            store.find(has_conflict="no")
        assert [found.case_id for found in store.find(limit=2**63 - 1)] == ["ua-1"]
        assert [entry.position for entry in store.entries(after=0)] == [1]


def test_the_canonical_instant_is_read_in_ascii_digits_only():
    data = cs.to_dict(WORKFLOW.open("ua-1", actor=actor("family"), effective_at=day(0), recorded_at=day(1)))
    wide = "".join(chr(ord(digit) + 0xFEE0) for digit in "2024")  # the same digits, full width
    data["entries"][0]["effective_at"] = wide + data["entries"][0]["effective_at"][4:]
    with pytest.raises(cs.FormatError, match="not a canonical UTC instant"):
        cs.from_dict(data)


def test_now_in_any_zone_is_read_as_the_instant_it_is_and_a_naive_one_refused():
    case = WORKFLOW.open("ua-1", actor=actor("family"), effective_at=day(0), recorded_at=day(1))
    late = cs.Change(trigger="report_dead", actor=actor("unit"), effective_at=day(5), recorded_at=day(5))
    kyiv = day(4).astimezone(timezone(timedelta(hours=2)))  # before the change was recorded
    assert cs.Code.RECORDED_IN_FUTURE in {
        reason.code for reason in WORKFLOW.check(case, late, now=kyiv).reasons
    }
    assert cs.Batch(WORKFLOW, now=kyiv).now == day(4)
    with pytest.raises(cs.Rejected):
        WORKFLOW.apply(case, late, now=kyiv)
    for odd, error in ((day(4).replace(tzinfo=None), ValueError), (5, TypeError)):
        with pytest.raises(error, match="now must be"):
            WORKFLOW.check(case, late, now=odd)
        with pytest.raises(error, match="now must be"):
            cs.Batch(WORKFLOW, now=odd)
