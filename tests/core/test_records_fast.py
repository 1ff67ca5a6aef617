"""The fast reading of well-formed records accepts and builds exactly what the full reading does."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import casestate as cs
from casestate import _records
from support import GOOD_RECORD


class Text(str):  # noqa: SLOT000 - a plain subclass, as a caller might pass
    """A str subclass: the full reading accepts it, the fast one leaves it to the full one."""


TEXTS = st.sampled_from(
    [
        "ua-0173",
        "open",
        "dismiss",
        "confirm",
        "unit",
        "x",
        "",
        "  ",
        "\t\n",
        Text("a"),
        "Іван",
        "a\ud800",
        "\udfff",
    ]
)
TIME_TEXTS = (
    "2024-03-02T12:00:00Z",
    "2024-03-02T12:00:00+00:00",
    "2024-03-02T14:00:00+02:00",
    "2024-03-02 14:00:00.5-05:30",
    "2024-03-02T14:00:00",  # naive
    "2024-02-30T12:00:00Z",  # impossible
    "20240302T120000Z",
    "2024-03-02",
    " 2024-03-02T12:00:00Z",
    "yesterday",
    "",
    Text("2024-03-02T12:00:00Z"),
    "0001-01-01T00:00:00+14:00",  # before the year 1 in UTC
    "9999-12-31T23:59:59-05:00",  # after the year 9999 in UTC
    "\uff12\uff10\uff12\uff14-03-02T12:00:00Z",  # full-width digits
)
TIMES = st.sampled_from(TIME_TEXTS)
ODD = st.sampled_from([None, 0, 1, True, 2.5, [], {}, ["a"], {"a": 1}])
KIND = st.sampled_from(["unit_notification", "dna_match", "DNA_MATCH", "rumour", "", Text("video")])


def _field(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(values, ODD)


ITEM_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "kind": _field(KIND),
    "reference": _field(TEXTS),
    "source": _field(TEXTS),
    "obtained_at": _field(TIMES),
    "note": st.just("extra"),
}
GONE = object()


def _nearly(good: dict[str, Any], fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """*good* with a few fields changed or left out: most records a reader meets are nearly right."""

    @st.composite
    def changed(draw: st.DrawFn) -> dict[str, Any]:
        value = dict(good)
        for name in draw(st.lists(st.sampled_from(sorted(fields)), max_size=2, unique=True)):
            drawn = draw(st.one_of(fields[name], st.just(GONE)))
            if drawn is GONE:
                value.pop(name, None)
            else:
                value[name] = drawn
        return value

    return changed()


EVIDENCE_ITEM = st.one_of(_nearly(GOOD_RECORD["evidence"][0], ITEM_FIELDS), ODD)
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "case_id": _field(TEXTS),
    "trigger": _field(TEXTS),
    "actor_id": _field(TEXTS),
    "role": _field(TEXTS),
    "effective_at": _field(TIMES),
    "recorded_at": _field(TIMES),
    "evidence": st.one_of(st.lists(EVIDENCE_ITEM, max_size=3), ODD),
    "reason": _field(TEXTS),
    "resolves": st.one_of(st.lists(st.one_of(st.integers(-2, 5), ODD), max_size=3), ODD),
    "efective_at": st.just("2024-03-02T12:00:00Z"),
}
RECORDS = _nearly(GOOD_RECORD, FIELDS)


def _outcome(read: Any, record: object) -> object:
    try:
        case_id, change = read(record)
    except cs.RecordError as error:
        return ("refused", error.field, str(error))
    return (case_id, attrs.evolve(change, salt=bytes(16)))


@settings(max_examples=2500, deadline=None)
@given(RECORDS)
def test_fast_and_full_readings_agree_on_every_record(record):
    assert _outcome(cs.change_from_record, record) == _outcome(_records._read_record, record)


def test_a_well_formed_record_takes_the_fast_reading():
    case_id, change = _records._well_formed(dict(GOOD_RECORD))
    assert (case_id, change.recorded_at.isoformat()) == ("ua-0173", "2024-03-10T09:15:00+00:00")
    assert change.effective_at.isoformat() == "2024-03-02T10:00:00+00:00"


def test_a_record_pins_no_salt_so_each_entry_draws_its_own():
    _, change = cs.change_from_record(GOOD_RECORD)
    assert change.salt is None
    assert change == _records._read_record(GOOD_RECORD)[1]


ITEM = GOOD_RECORD["evidence"][0]
EDGES = [
    *(
        {**GOOD_RECORD, name: value}
        for name in ("case_id", "trigger", "actor_id", "role")
        for value in (" ", 7)
    ),
    *({**GOOD_RECORD, name: value} for name in ("effective_at", "recorded_at") for value in TIME_TEXTS),
    *(
        {**GOOD_RECORD, "evidence": [{**ITEM, name: value}]}
        for name in ("kind", "reference", "source", "obtained_at")
        for value in (" ", None, "2024-03-02T14:00:00")
    ),
    {**GOOD_RECORD, "evidence": [ITEM, {**ITEM, "note": 1}]},
    {**GOOD_RECORD, "evidence": [ITEM, "photo"]},
    {**GOOD_RECORD, "evidence": ()},
    {**GOOD_RECORD, "reason": " "},
    {**GOOD_RECORD, "reason": 3},
    {**GOOD_RECORD, "resolves": [3, 1, 3]},
    {**GOOD_RECORD, "resolves": [0, -1]},
    {**GOOD_RECORD, "resolves": [True]},
    {**GOOD_RECORD, "resolves": 0},
    {**GOOD_RECORD, "resolves": ""},
    {**GOOD_RECORD, "trigger": "open", "resolves": [1]},
    {**GOOD_RECORD, "trigger": "open", "resolves": []},
]


def test_fast_and_full_readings_agree_on_the_edges():
    for record in EDGES:
        assert _outcome(cs.change_from_record, record) == _outcome(_records._read_record, record), record


def test_recent_timestamps_are_read_once_and_the_memory_of_them_stays_small(monkeypatch):
    monkeypatch.setattr(_records, "_RECENT_LIMIT", 3)
    monkeypatch.setattr(_records, "_RECENT_INSTANTS", {})
    kyiv = "2024-03-10T09:15:00+02:00"
    first = _records._utc_or_none(kyiv)
    assert first.isoformat() == "2024-03-10T07:15:00+00:00"
    assert _records._utc_or_none(kyiv) is first
    for hour in range(10, 20):
        assert _records._utc_or_none(f"2024-03-10T{hour}:00:00Z").hour == hour
        assert len(_records._RECENT_INSTANTS) <= 3
    assert _records._utc_or_none("2024-03-10T09:15:00") is None  # naive: never kept
    assert "2024-03-10T09:15:00" not in _records._RECENT_INSTANTS
