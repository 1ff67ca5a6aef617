"""Source ids in a store, on both engines: a change sent again is stored once, even by racing writers."""

import time

import attrs
import pytest

import casestate as cs
from casestate.store import CaseExists, ConcurrentUpdate, _cases
from store_places import send_the_same, sent_again, snapshot
from support import actor, day, in_processes

OPENED = "hotline/open-1"


def opened(store, case_id="case-1", source_id=OPENED, reason=None):
    return store.open_case(
        case_id,
        actor=actor("ngo"),
        effective_at=day(0),
        recorded_at=day(1),
        source_id=source_id,
        reason=reason,
    )


def test_a_change_sent_again_writes_nothing_and_returns_the_case_as_stored(place):
    with place.open() as store:
        case = opened(store)
        first = store.apply("case-1", [sent_again(0, bytes(16))], expected_version=case.version)
        before = snapshot(place)
        again = store.apply("case-1", [sent_again(0, bytes(range(16)))], expected_version=first.version)
        assert again == first
        assert snapshot(place) == before
    with place.open() as store:
        assert dict(store.load("case-1").source_ids) == {OPENED: 0, "feed/0": 1}


def test_a_different_change_under_a_taken_id_is_refused_and_writes_nothing(place):
    with place.open() as store:
        case = store.apply("case-1", [sent_again(0, bytes(16))], expected_version=opened(store).version)
        before = snapshot(place)
        other = attrs.evolve(sent_again(1, bytes(16)), source_id="feed/0")
        with pytest.raises(cs.Rejected) as refused:
            store.apply("case-1", [other], expected_version=case.version)
        assert refused.value.codes[0] is cs.Code.SOURCE_ID_REUSED
        assert snapshot(place) == before


def test_changes_held_already_are_returned_at_any_version_and_new_ones_are_refused_there(place):
    with place.open() as store:
        version = opened(store).version
        stored = store.apply(
            "case-1", [sent_again(0, bytes(16)), sent_again(1, bytes(16))], expected_version=version
        )
        # Decided on the case as it was before both: they are there, so nothing is refused.
        assert store.apply("case-1", [sent_again(1, bytes(16))], expected_version=version) == stored
        with pytest.raises(ConcurrentUpdate):
            store.apply(
                "case-1", [sent_again(1, bytes(16)), sent_again(2, bytes(16))], expected_version=version
            )
        with pytest.raises(ConcurrentUpdate):
            store.apply(
                "case-1", [attrs.evolve(sent_again(1, bytes(16)), source_id=None)], expected_version=version
            )


def test_an_opening_sent_again_returns_the_stored_case_and_another_is_refused(place):
    with place.open() as store:
        case = store.apply("case-1", [sent_again(0, bytes(16))], expected_version=opened(store).version)
        before = snapshot(place)
        assert opened(store) == case
        with pytest.raises(CaseExists):
            opened(store, reason="a second call")
        with pytest.raises(CaseExists):
            opened(store, source_id=None)
        with pytest.raises(CaseExists):
            opened(store, source_id="hotline/open-2")
        assert snapshot(place) == before


def test_the_store_holds_no_source_id_twice_in_a_case_whatever_writes_to_it(place):
    with place.open() as store:
        store.apply("case-1", [sent_again(0, bytes(16))], expected_version=opened(store).version)
        opened(store, "case-2")
        store.apply("case-2", [sent_again(0, bytes(16))], expected_version=1)  # the same id, another case
    columns = "position, case_id, seq, kind, trigger, to_status, fate, assurance, role, evidence_kinds, "
    columns += (
        "effective_at, recorded_at, resolves, codes, chain, prev_hash, commitment, hash, source_id, private"
    )
    copied = place.sql(f"SELECT {columns} FROM entries WHERE case_id = 'case-1' AND seq = 1")[0]  # noqa: S608 - fixed names
    marks = ", ".join("?" * len(copied))
    forged = (1000, *copied[1:2], 7, *copied[3:])
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        place.sql(f"INSERT INTO entries ({columns}) VALUES ({marks})", forged)  # noqa: S608 - fixed names
    assert place.sql("SELECT count(*) FROM entries WHERE source_id = 'feed/0'") == [(2,)]


def test_writers_racing_to_send_the_same_changes_store_each_once_and_none_is_refused(place):
    workers, count = 3, 30
    raced = 0
    # On a loaded machine the writers may take turns for a whole round: go on, on fresh cases,
    # until they have raced (every round is checked all the same).
    for round_number in range(6):
        case_ids = [f"case-{round_number}-1", f"case-{round_number}-2"]
        with place.open() as store:
            for case_id in case_ids:
                opened(store, case_id, source_id=None)
        # Started in processes of their own, the writers begin together some seconds from now.
        start_at = time.time() + 3.0
        results = in_processes(
            send_the_same, [(place, case_ids, count, worker, start_at) for worker in range(workers)]
        )
        assert sum(refused for _, _, refused in results) == 0
        assert sum(stored for stored, _, _ in results) == count * len(case_ids)
        with place.open() as store:
            for case_id in case_ids:
                case = store.load(case_id)
                assert case.version == 1 + count
                assert sorted(case.source_ids) == sorted(f"feed/{number}" for number in range(count))
        raced += sum(raced for _, raced, _ in results)
        if raced:
            break
    assert raced > 0, "the writers never raced in six rounds: the test proves nothing"


def test_a_change_sent_again_after_its_personal_data_was_erased_brings_nothing_back(place):
    with place.open() as store:
        case = store.apply("case-1", [sent_again(0, bytes(16))], expected_version=opened(store).version)
        store.erase("case-1", [1], by="registry-dpo", reason="consent withdrawn")
        before = snapshot(place)
        # The erased actor cannot be told from another any more: the change is there, and stays erased.
        resent = attrs.evolve(sent_again(0, bytes(16)), actor=cs.Actor("someone-else", "family"))
        again = store.apply("case-1", [resent], expected_version=case.version)
        assert again.trail[1].redacted
        assert snapshot(place) == before
        with pytest.raises(cs.Rejected) as refused:
            store.apply(
                "case-1", [attrs.evolve(resent, trigger="report_dead")], expected_version=case.version
            )
        assert refused.value.codes[0] is cs.Code.SOURCE_ID_REUSED


def test_a_writer_that_loses_the_race_to_store_the_same_change_gets_the_case_as_stored(place, monkeypatch):
    with place.open() as first, place.open() as other:
        version = opened(first).version
        params_of = _cases.summary_params
        sends: list[cs.Change] = [sent_again(0, bytes(range(16)))]
        stored: list[cs.Case] = []

        def other_writes_first(case):
            # Between the first writer's read and its write, the other stores what it sends.
            if sends:
                change = sends.pop()
                stored.append(other.apply("case-1", [change], expected_version=other.load("case-1").version))
            return params_of(case)

        monkeypatch.setattr(_cases, "summary_params", other_writes_first)
        got = first.apply("case-1", [sent_again(0, bytes(16))], expected_version=version)
        assert got == stored[-1]
        assert got.trail[1].salt == bytes(range(16))
        # Another change stored meanwhile: the first writer's own is refused as ever.
        sends.append(sent_again(2, bytes(range(16))))
        with pytest.raises(ConcurrentUpdate):
            first.apply("case-1", [sent_again(1, bytes(16))], expected_version=got.version)
