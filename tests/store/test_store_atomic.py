"""``store.atomic()``: writes on many cases stored together or not at all, on both engines."""

import asyncio
import multiprocessing
import re
import sqlite3

import pytest

import store_places
from casestate.store import CaseExists, ConcurrentUpdate, StoreError, StoreLocked
from casestate.store._statements import LAST_POSITION
from store_places import (
    killed,
    open_cases,
    report,
    snapshot,
    wait_for,
    write_in_one_async_block,
    write_in_one_block,
)
from support import actor, day

SPAWN = multiprocessing.get_context("spawn")
SHORT_LOCK = {"sqlite": {"timeout": 0.3}, "postgres": {"lock_timeout": 0.3}}


class Stop(Exception):
    """Raised inside a block to leave it."""


def opened(store, case_id):
    return store.open_case(case_id, actor=actor("family"), effective_at=day(0), recorded_at=day(1))


def reported(store, case_id, note="seen"):
    case = store.load(case_id)
    return store.apply(case_id, [report(case, note, 0)], expected_version=case.version)


def test_a_block_stores_its_writes_together_when_it_ends(place):
    [existing] = open_cases(place, 1)
    with place.open() as store, place.open() as other:
        with store.atomic():
            opened(store, "case-new")
            assert reported(store, existing).version == 2
            assert store.load("case-new").version == 1  # the block reads its own writes
            # Nobody else sees them before the block ends.
            assert [summary.case_id for summary in other.find()] == [existing]
            assert other.load(existing).version == 1
        assert {summary.case_id: summary.version for summary in other.find()} == {
            existing: 2,
            "case-new": 1,
        }
        assert [item.position for item in other.entries()] == [1, 2, 3]


def test_an_exception_leaving_the_block_undoes_every_write_in_it(place):
    [existing] = open_cases(place, 1)
    before = snapshot(place)
    with place.open() as store:

        def stopped_half_way():
            with store.atomic():
                opened(store, "case-new")
                reported(store, existing, "first")
                reported(store, existing, "second")
                raise Stop

        with pytest.raises(Stop):
            stopped_half_way()
        assert snapshot(place) == before
        # What the store remembered of the undone writes is gone too: the case
        # is at its stored version, and the next write builds on it.
        case = store.load(existing)
        assert case.version == 1
        assert store.apply(existing, [report(case, "after", 1)], expected_version=1).version == 2
        assert opened(store, "case-new").version == 1
        assert [item.position for item in store.entries()] == [1, 2, 3]


def test_an_interrupt_undoes_the_block_as_any_exception_does(place):
    [existing] = open_cases(place, 1)
    before = snapshot(place)
    with place.open() as store:

        def interrupted():
            with store.atomic():
                reported(store, existing)
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            interrupted()
    assert snapshot(place) == before


def test_a_call_refused_inside_the_block_undoes_only_its_own_part(place):
    [existing] = open_cases(place, 1)
    with place.open() as store:
        with store.atomic():
            opened(store, "case-new")
            case = store.load(existing)
            with pytest.raises(ConcurrentUpdate):
                store.apply(existing, [report(case, "stale", 0)], expected_version=7)
            with pytest.raises(CaseExists):
                opened(store, "case-new")
            assert reported(store, existing).version == 2
        assert store.load("case-new").version == 1
        assert store.load(existing).version == 2
        assert [item.position for item in store.entries()] == [1, 2, 3]


def test_a_block_inside_a_block_joins_it(place):
    [existing] = open_cases(place, 1)
    with place.open() as store:
        with store.atomic():
            reported(store, existing, "outer")
            with store.atomic():
                opened(store, "case-inner")
            assert store.load("case-inner").version == 1
        assert {summary.case_id: summary.version for summary in store.find()} == {
            existing: 2,
            "case-inner": 1,
        }


def test_blocks_nested_three_deep_store_everything_when_the_outermost_ends(place):
    # An app's import calls a helper that opens a block, which calls another that does too.
    [existing] = open_cases(place, 1)
    with place.open() as store:
        with store.atomic():
            with store.atomic():
                with store.atomic():
                    opened(store, "case-innermost")
                reported(store, existing, "middle")
            opened(store, "case-outer")
        assert {summary.case_id: summary.version for summary in store.find()} == {
            existing: 2,
            "case-innermost": 1,
            "case-outer": 1,
        }


def test_an_exception_leaving_an_inner_block_means_the_outer_one_stores_nothing(place):
    [existing] = open_cases(place, 1)
    before = snapshot(place)
    with place.open() as store:

        def inner_block_left_by_an_exception():
            with store.atomic():
                raise Stop

        def outer_block():
            with store.atomic():
                reported(store, existing, "outer")
                with pytest.raises(Stop):
                    inner_block_left_by_an_exception()
                with pytest.raises(StoreError, match="the atomic block cannot go on"):
                    opened(store, "case-after")

        with pytest.raises(
            StoreError, match="nothing of the atomic block was stored: an exception left an inner block: Stop"
        ):
            outer_block()
        assert snapshot(place) == before
        assert store.load(existing).version == 1


def test_a_fault_of_the_database_inside_a_block_stores_none_of_it(place, monkeypatch):
    [existing] = open_cases(place, 1)
    before = snapshot(place)
    with place.open() as store:
        failing = store_places.fault_on_insert(store, monkeypatch)

        def block_meeting_a_fault():
            with store.atomic():
                opened(store, "case-new")
                reported(store, existing)
                failing.now = True
                with pytest.raises(StoreError, match="the disk went away"):
                    store.find()  # the block writes what it holds before a read across cases
                failing.now = False
                with pytest.raises(StoreError, match=r"the atomic block cannot go on \(.*the disk went away"):
                    opened(store, "case-after")

        with pytest.raises(StoreError, match="nothing of the atomic block was stored"):
            block_meeting_a_fault()
        assert snapshot(place) == before
        assert reported(store, existing).version == 2  # the store goes on after the block


def test_other_writers_wait_for_the_block(place):
    first, second = open_cases(place, 2)
    with place.open() as store, place.open(**SHORT_LOCK[place.engine]) as other:
        with store.atomic():
            reported(store, first)
            case = other.load(second)
            with pytest.raises(StoreLocked):
                other.apply(second, [report(case, "meanwhile", 0)], expected_version=1)
        assert other.apply(second, [report(case, "after", 0)], expected_version=1).version == 2


@pytest.mark.parametrize("block", [write_in_one_block, write_in_one_async_block], ids=["sync", "async"])
def test_a_process_killed_inside_a_block_leaves_none_of_its_writes(place, tmp_path, block):
    case_ids = open_cases(place, 2)
    before = snapshot(place)
    marker = str(tmp_path / "inside-the-block")
    writer = SPAWN.Process(target=block, args=(place, case_ids, marker))
    writer.start()
    try:
        wait_for(marker, 60)  # every write of the block is made, none committed
    finally:
        killed(writer)
    assert snapshot(place) == before
    with place.open() as store:
        assert [store.load(case_id).version for case_id in case_ids] == [1, 1]


def test_blocks_that_take_turns_on_one_store_object_store_neither_half(place):
    """Two tasks on one store object: each block would otherwise commit the other's writes."""

    async def importer(store, case_ids, fails):
        with store.atomic():
            for case_id in case_ids:
                opened(store, case_id)
                await asyncio.sleep(0)
            if fails:
                raise Stop

    async def both(store):
        return await asyncio.gather(
            importer(store, ["a-1", "a-2"], fails=False),
            importer(store, ["b-1", "b-2", "b-3"], fails=True),
            return_exceptions=True,
        )

    open_cases(place, 1)
    before = snapshot(place)
    with place.open() as store:
        first, second = asyncio.run(both(store))
        assert isinstance(first, StoreError)
        assert str(first).endswith(
            ": nothing of the atomic block was stored: a block inside it is still open (use a store per task)"
        )
        assert isinstance(second, StoreError)  # its next write, refused: it would be committed alone
        assert "cannot go on" in str(second)
        assert snapshot(place) == before
        assert opened(store, "a-1").version == 1  # the store goes on once both blocks ended


def test_a_block_that_outlives_the_one_it_joined_stores_nothing(place):
    def paused_inside_a_block(store):
        with store.atomic():
            opened(store, "b-1")
            yield
            opened(store, "b-2")

    open_cases(place, 1)
    before = snapshot(place)
    with place.open() as store:
        second = paused_inside_a_block(store)

        def first_block_ended_by_an_error_while_the_second_waits():
            with store.atomic():
                opened(store, "a-1")
                next(second)
                raise Stop

        with pytest.raises(Stop):
            first_block_ended_by_an_error_while_the_second_waits()
        ended = r": the atomic block cannot go on \(it has ended\); leave it: nothing of it is stored\Z"
        with pytest.raises(StoreError, match=ended):
            next(second)  # b-2 is refused: it would be committed alone, outside any block
        assert snapshot(place) == before
        assert opened(store, "b-1").version == 1


def test_a_store_closed_inside_a_block_stores_none_of_it(place):
    open_cases(place, 1)
    before = snapshot(place)
    store = place.open()

    def closed_half_way():
        with store.atomic():
            opened(store, "case-1")
            store.close()

    with pytest.raises(
        StoreError, match=r"nothing of the atomic block was stored: the store was closed inside it$"
    ):
        closed_half_way()
    assert snapshot(place) == before


def test_a_sqlite_file_replaced_inside_a_block_is_not_written(tmp_path, monkeypatch):
    from casestate.store import SQLiteStore  # noqa: PLC0415 - a file, replaced

    place = store_places.Place("sqlite", str(tmp_path / "cases.db"))
    open_cases(place, 1)
    before = snapshot(place)
    with place.open() as store:

        def replaced_half_way():
            with store.atomic():
                opened(store, "case-new")
                monkeypatch.setattr(store, "_file", (0, 0))  # as if a backup were restored over the file
                with pytest.raises(StoreError, match="replaced while the store had it open"):
                    opened(store, "case-after")

        with pytest.raises(StoreError, match="nothing of the atomic block was stored"):
            replaced_half_way()
    assert isinstance(store, SQLiteStore)
    assert snapshot(place) == before


def test_a_sqlite_file_replaced_inside_a_block_is_refused_at_the_next_read_of_what_it_holds(
    tmp_path, monkeypatch
):
    place = store_places.Place("sqlite", str(tmp_path / "cases.db"))
    [existing] = open_cases(place, 1)
    before = snapshot(place)
    with place.open() as store:

        def replaced_half_way():
            with store.atomic():
                reported(store, existing)  # held by the block, written before a read of the case
                monkeypatch.setattr(store, "_file", (0, 0))  # as if a backup were restored over the file
                with pytest.raises(StoreError, match="replaced while the store had it open"):
                    store.load(existing)

        with pytest.raises(StoreError, match="nothing of the atomic block was stored"):
            replaced_half_way()
    assert snapshot(place) == before


def test_a_block_that_ends_after_the_one_it_joined_says_nothing_of_it_was_stored(place):
    def paused_inside_a_block(store):
        with store.atomic():
            opened(store, "b-1")
            yield

    open_cases(place, 1)
    before = snapshot(place)
    with place.open() as store:
        second = paused_inside_a_block(store)

        def first_block():
            with store.atomic():
                opened(store, "a-1")
                next(second)

        with pytest.raises(StoreError, match="a block inside it is still open"):
            first_block()
        with pytest.raises(StoreError, match="the block this one joined ended before it"):
            next(second)
        assert snapshot(place) == before
        assert opened(store, "b-1").version == 1  # both ended: the store writes again


def test_inside_a_block_a_case_it_wrote_is_written_again_without_reading_its_summary(place, monkeypatch):
    [existing] = open_cases(place, 1)
    with place.open() as store:
        case = store.load(existing)
        summaries = store_places.queries_starting(store, monkeypatch, "SELECT status, fate")
        case = store.apply(existing, [report(case, "outside", 0)], expected_version=1)
        assert len(summaries) == 1  # outside a block, apply reads the summary it trusts the memo by
        with store.atomic():
            for number in range(3):
                case = store.apply(
                    existing, [report(case, f"inside {number}", number)], expected_version=case.version
                )
        assert len(summaries) == 2  # the first apply in the block; the block keeps other writers out
        assert store.load(existing).version == 5


def _freeze_the_counter(place):
    """A trigger that refuses every update of the position counter, as a hand-made rule might."""
    if place.engine == "sqlite":
        place.sql(
            "CREATE TRIGGER frozen BEFORE UPDATE ON positions BEGIN SELECT RAISE(ABORT, 'counter frozen'); END"
        )
        return
    place.sql(
        "CREATE FUNCTION frozen() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'counter frozen' USING ERRCODE = 'check_violation'; END $$"
    )
    place.sql("CREATE TRIGGER frozen BEFORE UPDATE ON positions FOR EACH ROW EXECUTE FUNCTION frozen()")


def test_a_refusal_that_is_no_key_conflict_is_a_fault_not_a_taken_case_id(place):
    [existing] = open_cases(place, 1)
    _freeze_the_counter(place)
    before = snapshot(place)
    with place.open() as store:
        with pytest.raises(StoreError, match="counter frozen") as raised:
            opened(store, "case-new")
        assert not isinstance(raised.value, CaseExists)

        def block_meeting_the_trigger():
            with store.atomic():
                opened(store, "case-in-block")
                reported(store, existing)  # the counter is written at the block's end

        with pytest.raises(StoreError, match="counter frozen"):
            block_meeting_the_trigger()
    assert snapshot(place) == before


def test_a_fault_as_a_block_writes_what_it_holds_at_its_end_stores_none_of_it(place, monkeypatch):
    [existing] = open_cases(place, 1)
    before = snapshot(place)
    with place.open() as store:
        failing = store_places.fault_on_insert(store, monkeypatch)

        def block_that_fails_as_it_ends():
            with store.atomic():
                opened(store, "case-new")
                reported(store, existing)
                failing.now = True

        with pytest.raises(StoreError, match="the disk went away"):
            block_that_fails_as_it_ends()
        failing.now = False
        assert snapshot(place) == before
        assert (
            reported(store, existing).version == 2
        )  # nothing remembered of the block: it builds on what is stored


def test_a_block_holds_its_writes_and_writes_each_kind_in_one_statement(place, monkeypatch):
    case_ids = open_cases(place, 3)
    with place.open() as store:
        written = store_places.calls_of(store, monkeypatch, "insert_entries")
        cases = {case_id: store.load(case_id) for case_id in case_ids}
        with store.atomic():
            for round_number in range(2):
                for case_id, case in cases.items():
                    change = report(case, f"round {round_number}", round_number)
                    cases[case_id] = store.apply(case_id, [change], expected_version=case.version)
            assert written == []  # held: nothing has read them yet
            assert [summary.version for summary in store.find()] == [3, 3, 3]  # a read across cases sees them
            assert written == [6]
            reported(store, case_ids[0], "after the read")
        assert written == [6, 1]  # and what was held since, at the end
        assert [store.load(case_id).version for case_id in case_ids] == [4, 3, 3]
        assert [item.position for item in store.entries()] == list(range(1, 11))


def test_a_block_on_a_store_whose_counter_went_back_stores_nothing_and_says_it_is_damaged(place):
    first, _ = open_cases(place, 2)
    place.sql("UPDATE positions SET last = 1")  # behind the rows it handed out
    before = snapshot(place)
    with place.open() as store:
        case = store.load(first)

        def block_meeting_a_taken_position():
            with store.atomic():
                store.apply(
                    first, [report(case, "held", 0)], expected_version=1
                )  # held: nothing is wrong yet

        with pytest.raises(StoreError, match="taken: the store is damaged") as raised:
            block_meeting_a_taken_position()
        assert not isinstance(raised.value, ConcurrentUpdate)
    assert snapshot(place) == before


def test_a_block_writes_what_it_holds_once_it_holds_many_rows(place, monkeypatch):
    from casestate.store import _block  # noqa: PLC0415 - the bound, made small

    monkeypatch.setattr(_block, "HELD_ROWS", 2)
    [existing] = open_cases(place, 1)
    with place.open() as store:
        written = store_places.calls_of(store, monkeypatch, "insert_entries")
        case = store.load(existing)
        with store.atomic():
            for number in range(3):
                case = store.apply(
                    existing, [report(case, f"r{number}", number)], expected_version=case.version
                )
            assert written == [2]  # the bound reached: written, and the third held
        assert written == [2, 1]
        assert store.load(existing).version == 4


class Refused(Exception):
    """The engine's own refusal, raised by a hook on its transactions."""


def _hooked_end(store, monkeypatch, *, refuse_commit=False, refuse_rollback=False):
    """Make *store*'s engine fail to commit or to roll back, once each is switched on."""
    transaction = store_places.transaction_class(store)
    end = transaction.end

    def end_or_refuse(self, commit):
        if commit and refuse_commit:
            end(self, False)  # the engine undoes what it could not commit
            raise Refused("the commit was refused")
        end(self, commit)
        if not commit and refuse_rollback:
            raise Refused("the rollback failed")

    monkeypatch.setattr(transaction, "end", end_or_refuse)


def test_a_commit_the_engine_refuses_is_raised_and_stores_nothing(place, monkeypatch):
    [existing] = open_cases(place, 1)
    before = snapshot(place)
    with place.open() as store:
        case = store.load(existing)
        _hooked_end(store, monkeypatch, refuse_commit=True)
        with pytest.raises(Refused, match="the commit was refused"):
            store.apply(existing, [report(case, "seen", 0)], expected_version=1)
        monkeypatch.undo()
        assert store.load(existing).version == 1
    assert snapshot(place) == before


def test_a_rollback_that_fails_does_not_hide_the_exception_that_left_the_block(place, monkeypatch):
    [existing] = open_cases(place, 1)
    before = snapshot(place)
    with place.open() as store:

        def left_by_an_exception():
            with store.atomic():
                reported(store, existing)
                _hooked_end(store, monkeypatch, refuse_rollback=True)
                raise Stop

        # The caller learns why the block was left, not that the rollback failed on the way.
        with pytest.raises(Stop):
            left_by_an_exception()
        monkeypatch.undo()
    assert snapshot(place) == before


def test_a_block_on_a_store_that_lost_its_position_counter_is_refused_as_damaged(place):
    open_cases(place, 1)
    place.sql("DELETE FROM positions")
    with (
        place.open() as store,
        pytest.raises(StoreError, match="its position counter is gone"),
        store.atomic(),
    ):
        opened(store, "case-new")


@pytest.mark.parametrize(
    ("raised", "named"),
    [
        (None, "StoreError: "),  # the engine's own error: named as the store's, which says where
        (RuntimeError("the writer crashed"), "RuntimeError: the writer crashed"),
    ],
    ids=["fault-of-the-database", "any-other"],
)
def test_a_block_that_cannot_go_on_names_what_stopped_it(place, monkeypatch, raised, named):
    [existing] = open_cases(place, 1)
    with place.open() as store:
        failing = store_places.fault_on_insert(store, monkeypatch)
        if raised is not None:

            def crash(_transaction, _rows):
                raise raised

            monkeypatch.setattr(store_places.transaction_class(store), "insert_entries", crash)

        said = []

        def stopped():
            with store.atomic():
                failing.now = True
                reported(store, existing)  # held by the block, not written yet
                with pytest.raises((StoreError, RuntimeError)):
                    store.find()  # the block writes what it holds before a read across cases
                failing.now = False
                with pytest.raises(StoreError) as refused:
                    opened(store, "case-after")
                said.append(str(refused.value))

        with pytest.raises(StoreError, match="nothing of the atomic block was stored"):
            stopped()
        monkeypatch.undo()
    assert f"the atomic block cannot go on ({named}" in said[0]


def test_a_block_writing_over_positions_taken_says_the_store_is_damaged(place):
    open_cases(place, 1)
    place.sql("UPDATE positions SET last = 0")  # the counter behind the entries it numbered
    with place.open() as store:
        damaged = re.escape(
            f"{store.location}: a held entry's position or number is taken: the store is damaged"
        )
        with pytest.raises(StoreError, match=f"^{damaged}"), store.atomic():
            opened(store, "case-new")


def test_a_fault_of_the_database_opening_a_block_is_the_stores_error(place, monkeypatch):
    open_cases(place, 1)
    with place.open() as store:
        transaction = store_places.transaction_class(store)
        query = transaction.query
        if place.engine == "sqlite":
            error = sqlite3.OperationalError
        else:
            import psycopg  # noqa: PLC0415 - the PostgreSQL driver, there only with its extra

            error = psycopg.OperationalError

        def query_or_fail(self, sql, *args):
            if sql == LAST_POSITION:
                raise error("the disk went away")
            return query(self, sql, *args)

        monkeypatch.setattr(transaction, "query", query_or_fail)
        with pytest.raises(StoreError, match="the disk went away"), store.atomic():
            pass
        monkeypatch.undo()
        with store.atomic():  # nothing was left open
            opened(store, "case-new")
