"""The asynchronous stores: the synchronous stores' guarantees, awaited, on both engines.

Their racing processes and killed blocks are tested beside the synchronous
stores' (test_store_processes, test_store_atomic).
"""

import asyncio
import contextlib
import inspect
import logging
import random
import secrets
import sys

import pytest

import casestate as cs
from casestate.proofs import SigningKey
from casestate.store import (
    AsyncPostgresStore,
    AsyncSQLiteStore,
    CaseExists,
    ConcurrentUpdate,
    NotAStore,
    SQLiteStore,
    StoredEntry,
    StoreError,
    StoreLocked,
    UnknownCase,
)
from store_places import (
    POSTGRES_DSN,
    POSTGRES_URL,
    Place,
    check_no_update_lost,
    contend_in_tasks,
    open_cases,
    report,
    snapshot,
    verified_store,
)
from support import actor, day

pytestmark = pytest.mark.anyio
SHORT_LOCK = {"sqlite": {"timeout": 0.3}, "postgres": {"lock_timeout": 0.3}}


class Stop(Exception):
    """Raised inside a block to leave it."""


async def opened(store, case_id):
    return await store.open_case(case_id, actor=actor("family"), effective_at=day(0), recorded_at=day(1))


async def reported(store, case_id, note="seen"):
    case = await store.load(case_id)
    return await store.apply(case_id, [report(case, note, 0)], expected_version=case.version)


async def test_an_async_store_keeps_cases_as_the_sync_store_reads_them(place):
    async with place.open_async() as store:
        await opened(store, "case-1")
        case = await reported(store, "case-1")
        assert case.version == 2
        assert (await store.load("case-1")) == case
        assert await store.head("case-1") == case.head
        assert await store.head("case-2") is None
        assert [summary.case_id for summary in await store.find(status=case.status)] == ["case-1"]
        assert [item async for item in store.case_ids()] == ["case-1"]
        feed = [item async for item in store.entries(after=1)]
        assert feed == [StoredEntry(2, case.trail[1])]
        with pytest.raises(UnknownCase):
            await store.load("case-2")
        with pytest.raises(CaseExists):
            await opened(store, "case-1")
        with pytest.raises(ConcurrentUpdate):
            await store.apply("case-1", [report(case, "stale", 0)], expected_version=1)
    with place.open() as sync:
        assert sync.load("case-1") == case
        assert [item.position for item in sync.entries()] == [1, 2]


async def test_an_async_store_is_opened_when_awaited(place):
    store = place.open_async()
    with pytest.raises(StoreError, match="not open yet: await the store"):
        await store.load("case-1")
    assert await store is store
    try:
        await opened(store, "case-1")
        assert (await store.load("case-1")).version == 1
    finally:
        await store.close()
    with pytest.raises(StoreError, match="is closed"):
        await store.load("case-1")


async def test_opening_an_async_store_checks_the_place_as_the_sync_store_does(tmp_path):
    with pytest.raises(NotAStore, match="does not exist"):
        AsyncSQLiteStore(tmp_path / "nowhere.db", create=False)
    (tmp_path / "other.db").write_bytes(b"not a database, and long enough to be read as one" * 100)
    with pytest.raises(NotAStore, match="not a casestate store"):
        await AsyncSQLiteStore(tmp_path / "other.db")
    with pytest.raises(StoreError, match="takes psycopg's async driver"):
        AsyncPostgresStore("postgresql+asyncpg://postgres@127.0.0.1:5432/test")


async def test_many_tasks_on_one_store_lose_no_update_and_fork_no_chain(place):
    case_ids = open_cases(place, 3)
    async with place.open_async() as store:
        results = await asyncio.gather(*(contend_in_tasks(store, case_ids, 40, task) for task in range(8)))
    check_no_update_lost(place, case_ids, results, 8 * 40)


async def test_a_block_stores_its_writes_together_when_it_ends(place):
    [existing] = open_cases(place, 1)
    async with place.open_async() as store:
        async with store.atomic():
            await opened(store, "case-new")
            assert (await reported(store, existing)).version == 2
            assert (await store.load("case-new")).version == 1  # the block reads its own writes
            with place.open() as other:  # nobody else sees them before the block ends
                assert [summary.case_id for summary in other.find()] == [existing]
        assert {summary.case_id: summary.version for summary in await store.find()} == {
            existing: 2,
            "case-new": 1,
        }
        assert [item.position async for item in store.entries()] == [1, 2, 3]


async def test_an_exception_leaving_the_block_undoes_every_write_in_it(place):
    [existing] = open_cases(place, 1)
    before = snapshot(place)
    async with place.open_async() as store:

        async def stopped_half_way():
            async with store.atomic():
                await opened(store, "case-new")
                await reported(store, existing, "first")
                async with store.atomic():  # a block inside joins it
                    await reported(store, existing, "second")
                raise Stop

        with pytest.raises(Stop):
            await stopped_half_way()
        assert snapshot(place) == before
        case = await store.load(existing)
        assert case.version == 1
        assert (await reported(store, existing, "after")).version == 2


async def test_a_call_refused_inside_the_block_undoes_only_its_own_part(place):
    [existing] = open_cases(place, 1)
    async with place.open_async() as store:
        async with store.atomic():
            await opened(store, "case-new")
            case = await store.load(existing)
            with pytest.raises(ConcurrentUpdate):
                await store.apply(existing, [report(case, "stale", 0)], expected_version=7)
            with pytest.raises(CaseExists):
                await opened(store, "case-new")
            assert (await reported(store, existing)).version == 2
        assert [item.position async for item in store.entries()] == [1, 2, 3]


async def test_a_task_cancelled_inside_a_block_leaves_nothing_of_it(place):
    [existing] = open_cases(place, 1)
    before = snapshot(place)
    inside = asyncio.Event()
    async with place.open_async() as store:

        async def importer():
            async with store.atomic():
                await opened(store, "case-new")
                await reported(store, existing)
                inside.set()
                await asyncio.sleep(60)

        task = asyncio.create_task(importer())
        await inside.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert snapshot(place) == before
        assert (await reported(store, existing, "after")).version == 2


async def test_a_task_cancelled_at_any_await_of_a_block_stores_all_of_it_or_none(place):
    """Cancelled from before its first statement to after its commit: inside a statement, a commit, between."""
    case_ids = open_cases(place, 2)
    loop = asyncio.get_running_loop()
    async with place.open_async() as store:

        async def importer(number):
            async with store.atomic():
                await opened(store, f"new-{number}")
                for case_id in case_ids:
                    await reported(store, case_id, f"in block {number}")

        started = loop.time()
        await importer(-1)
        whole_block = loop.time() - started
        outcomes = set()
        for number in range(24):
            task = asyncio.create_task(importer(number))
            await asyncio.sleep(whole_block * number / 16)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            whole = await store.head(f"new-{number}") is not None
            outcomes.add(whole)
            trails = [await store.load(case_id) for case_id in case_ids]
            notes = [entry.reason for case in trails for entry in case.trail]
            assert notes.count(f"in block {number}") == (2 if whole else 0), f"half of block {number} stored"
        assert outcomes == {True, False}, "every block was cancelled, or none: the test proves nothing"
        every_case = [case_id async for case_id in store.case_ids()]
    verified_store(place, every_case)


async def test_other_tasks_wait_for_the_block_then_give_up(place):
    first, second = open_cases(place, 2)
    async with place.open_async(**SHORT_LOCK[place.engine]) as store:
        case = await store.load(second)
        blocked = asyncio.Event()

        async def other_writer():
            await blocked.wait()
            return await store.apply(second, [report(case, "meanwhile", 0)], expected_version=1)

        async def block():
            async with store.atomic():
                await reported(store, first)
                blocked.set()
                with pytest.raises(StoreLocked):
                    await writer
            return "stored"

        writer = asyncio.create_task(other_writer())
        assert await block() == "stored"
        assert (await store.apply(second, [report(case, "after", 0)], expected_version=1)).version == 2


@pytest.mark.parametrize(
    ("statement", "params"),
    [
        ("UPDATE entries SET effective_at = ? WHERE seq = 1", ("2024-03-02T06:30:00.000000Z",)),
        ("DELETE FROM entries WHERE seq = 0", ()),
        ("UPDATE cases SET status = ?", ("repatriated",)),
    ],
)
async def test_tampering_in_sql_is_named_on_load(place, statement, params):
    async with place.open_async() as store:
        await opened(store, "case-1")
        await reported(store, "case-1")
        place.sql(statement, params)
        with pytest.raises(cs.BrokenTrail, match=r"case 'case-1': entry [01]: "):
            await store.load("case-1")


async def test_checkpoints_proofs_and_erasure_are_the_sync_stores(place):
    key = SigningKey.generate("casestate.example/log")
    case_ids = open_cases(place, 3)
    async with place.open_async() as store:
        await reported(store, case_ids[0])
        first = await store.checkpoint(key, now=day(3))
        assert await store.tree_size() == 4
        for number in range(20):
            await reported(store, case_ids[number % 3], f"note {number}")
        second = await store.checkpoint(key, now=day(4))
        receipt = await store.prove(case_ids[0], 1, second)
        receipt.verify(key.verifier)
        (await store.consistency(first, second)).verify(key.verifier)
        assert (await store.verify_log(second, key.verifier)).size == 24
        erased = await store.erase(case_ids[1], [0], by="dpo", reason="asked", now=day(5))
        assert [erasure.seq for erasure in erased] == [0]
        assert await store.erasures(case_ids[1]) == erased
        assert (await store.load(case_ids[1])).trail[0].actor_id is None
    with place.open() as sync:
        assert sync.prove(case_ids[0], 1, second) == receipt
        assert sync.tree_size() == 24


async def test_an_async_sqlite_store_of_many_tasks_takes_turns_on_its_connection(tmp_path):
    place = Place("sqlite", str(tmp_path / "cases.db"))
    case_ids = open_cases(place, 5)
    rng = random.Random(7)  # noqa: S311 - which case each read takes, not a secret
    async with place.open_async() as store:

        async def reader():
            for _ in range(30):
                case = await store.load(rng.choice(case_ids))
                assert case.version >= 1

        await asyncio.gather(reader(), reader(), contend_in_tasks(store, case_ids, 30, 1))
    verified_store(place, case_ids)


async def test_a_store_closed_inside_a_block_stores_none_of_it(place):
    open_cases(place, 1)
    before = snapshot(place)
    store = await place.open_async()

    async def closed_half_way():
        async with store.atomic():
            await opened(store, "case-new")
            await store.close()

    with pytest.raises(StoreError, match="the store was closed inside it"):
        await closed_half_way()
    assert snapshot(place) == before


async def test_a_store_locked_by_another_connection_is_store_locked_and_goes_on_after(place):
    [existing] = open_cases(place, 1)
    async with place.open_async(**SHORT_LOCK[place.engine]) as store:
        case = await store.load(existing)
        with place.locked(), pytest.raises(StoreLocked, match="locked by another connection"):
            await store.apply(existing, [report(case, "meanwhile", 0)], expected_version=1)
        assert (await store.apply(existing, [report(case, "after", 0)], expected_version=1)).version == 2


def test_each_method_of_an_async_store_is_a_coroutine_function_with_the_sync_stores_signature():
    for name in ("open_case", "apply", "load", "find", "head", "checkpoint", "prove", "erase", "verify_log"):
        method = getattr(AsyncSQLiteStore, name)
        assert inspect.iscoroutinefunction(method), name
        assert inspect.signature(method) == inspect.signature(getattr(SQLiteStore, name)), name
        assert method.__doc__ == getattr(SQLiteStore, name).__doc__
    assert not inspect.iscoroutinefunction(AsyncSQLiteStore.entries)
    assert str(inspect.signature(AsyncSQLiteStore.entries).return_annotation) == "AsyncIterator[StoredEntry]"
    assert str(inspect.signature(SQLiteStore.load).return_annotation) == "Case"


async def test_a_position_counter_set_back_is_a_damaged_store_and_writes_nothing(place):
    [existing] = open_cases(place, 1)
    async with place.open_async() as store:
        case = await store.load(existing)
        place.sql("UPDATE positions SET last = last - 1")
        before = snapshot(place)
        with pytest.raises(NotAStore, match="the position counter set back"):
            await store.apply(existing, [report(case, "next", 0)], expected_version=case.version)
        assert snapshot(place) == before
        assert await store.load(existing) == case


async def test_an_async_sqlite_store_without_aiosqlite_says_which_extra_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "aiosqlite", None)
    with pytest.raises(ImportError, match=r"pip install 'casestate\[asyncio\]'"):
        await AsyncSQLiteStore(tmp_path / "cases.db")


async def test_a_postgres_connection_killed_by_the_server_is_a_store_error_and_the_pool_goes_on(
    postgres_schema, caplog
):
    import psycopg  # noqa: PLC0415 - only the PostgreSQL tests need it

    name = f"casestate-lost-{secrets.token_hex(4)}"
    place = Place("postgres", POSTGRES_URL, postgres_schema)
    options = {"connect_args": {"application_name": name}}
    async with place.open_async(engine_options=options) as store:
        case = await opened(store, "ua-1")
        attempts = {
            "load": lambda: store.load("ua-1"),
            "apply": lambda: store.apply("ua-1", [report(case, "lost", 0)], expected_version=1),
        }
        for attempt in attempts.values():
            await store.load("ua-1")  # the connection is back in the pool, where it is killed
            with psycopg.connect(POSTGRES_DSN, autocommit=True) as pg:
                pg.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                    (name,),
                )
            caplog.set_level(logging.WARNING)
            with pytest.raises(StoreError, match="terminating connection due to administrator command"):
                await attempt()
            assert await store.load("ua-1") == case  # the pool let the dead connection go
        assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
