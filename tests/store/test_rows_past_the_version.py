"""Rows inserted in SQL past a case's version: named as tampering everywhere, never an endless conflict."""

import pytest

from casestate import BrokenTrail, Problem
from casestate.store import ConcurrentUpdate, NotAStore, _schema
from store_places import report
from support import PATH_TO, actor, day

KEY = b"a secret key of 32 bytes, really"
_COLUMNS = ", ".join(f'"{name}"' for name in _schema.ENTRY_FIELDS)


def copy_of_entry(seq: int, *, to_seq: int, position: int = 99, case_id: str | None = None) -> str:
    """SQL that inserts a copy of entry *seq* as entry *to_seq* (of *case_id*, if given) at *position*."""
    copied = _COLUMNS.replace('"seq"', str(to_seq))
    if case_id is not None:
        copied = copied.replace('"case_id"', f"'{case_id}'")
    return (
        f"INSERT INTO entries (position, {_COLUMNS}) "  # noqa: S608 - fixed names and numbers
        f"SELECT {position}, {copied} FROM entries WHERE seq = {seq}"
    )


def snapshot(place):
    return {
        table: place.sql(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - fixed table names
        for table in ("positions", "cases", "entries")
    }


def captured(store):
    case = store.open_case("case-1", actor=actor("family"), effective_at=day(0), recorded_at=day(1))
    return store.apply("case-1", PATH_TO["captured"], expected_version=case.version)


def retried(store, case_id, attempts=5):
    """The retry loop the store's guide documents, bounded here: it must end in an answer."""
    for _ in range(attempts):
        case = store.load(case_id)
        try:
            return store.apply(case_id, [report(case, "retry", 0)], expected_version=case.version)
        except ConcurrentUpdate:
            continue
    pytest.fail(f"{attempts} attempts, each a ConcurrentUpdate: the retry loop would never end")


@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "keyed"])
@pytest.mark.parametrize("past", [0, 3], ids=["at-the-version", "beyond-it"])
def test_a_row_at_or_past_the_version_is_tampering_on_load_feed_and_apply(place, key, past):
    with place.open(key=key) as store:
        case = captured(store)
        place.sql(copy_of_entry(1, to_seq=case.version + past))
        before = snapshot(place)
        for reader in (store, place.open(key=key)):  # one that verified the trail before, one that did not
            with pytest.raises(
                BrokenTrail, match="inserted in the store's tables behind casestate"
            ) as raised:
                reader.load("case-1")
            assert raised.value.integrity.problem is Problem.SEQUENCE
            assert raised.value.integrity.position == case.version + past
            with pytest.raises(BrokenTrail, match=f"entry {case.version + past}: inserted"):
                list(reader.entries())
            with pytest.raises(BrokenTrail):
                reader.apply("case-1", [report(case, "next", 0)], expected_version=case.version)
            with pytest.raises(BrokenTrail):
                retried(reader, "case-1")
            if reader is not store:
                reader.close()
        assert snapshot(place) == before


def test_apply_on_a_trail_verified_before_the_row_was_inserted_names_it(place):
    # The writer trusts the trail it verified while the summary row is unchanged, as it is here:
    # its rows then collide with the one inserted, which once read as another writer's.
    with place.open() as store:
        case = captured(store)
        place.sql(copy_of_entry(1, to_seq=case.version))
        before = snapshot(place)
        with pytest.raises(BrokenTrail, match=f"entry {case.version}: inserted"):
            store.apply("case-1", [report(case, "next", 0)], expected_version=case.version)
        assert snapshot(place) == before


def test_the_feed_names_a_row_whose_case_has_no_summary(place):
    with place.open() as store:
        captured(store)
        place.sql(copy_of_entry(0, to_seq=0, case_id="case-ghost"))
        assert [item.entry.seq for item in store.entries(limit=2)] == [0, 1]  # the rows before it: readable
        with pytest.raises(BrokenTrail, match=r"'case-ghost': entry 0: inserted .*no summary row"):
            list(store.entries())


def test_opening_a_case_whose_rows_were_inserted_before_it_is_a_damaged_store(place):
    with place.open() as store:
        captured(store)
        place.sql(copy_of_entry(0, to_seq=0, case_id="case-2", position=4))
        before = snapshot(place)
        with pytest.raises(NotAStore, match="damaged casestate store: a row in its tables takes"):
            store.open_case("case-2", actor=actor("family"), effective_at=day(0), recorded_at=day(1))
        assert snapshot(place) == before


def test_a_position_counter_set_back_is_a_damaged_store_not_a_conflict(place):
    with place.open() as store:
        case = captured(store)
        place.sql("UPDATE positions SET last = last - 1")
        before = snapshot(place)
        with pytest.raises(NotAStore, match="the position counter set back"):
            store.apply("case-1", [report(case, "next", 0)], expected_version=case.version)
        assert snapshot(place) == before
        assert store.load("case-1") == case
