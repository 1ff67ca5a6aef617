"""An asyncio app's use of the store, type-checked with mypy --strict: every method awaited."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import casestate as cs
from casestate.store import AsyncPostgresStore, AsyncSQLiteStore, ConcurrentUpdate, StoredEntry

AsyncStore = AsyncSQLiteStore | AsyncPostgresStore


async def record(
    store: AsyncStore, case_id: str, decide: Callable[[cs.Case], Sequence[cs.Change]]
) -> cs.Case:
    while True:
        case: cs.Case = await store.load(case_id)
        try:
            return await store.apply(case_id, decide(case), expected_version=case.version)
        except ConcurrentUpdate:
            continue


async def follow(store: AsyncStore, after: int) -> int:
    async for item in store.entries(after=after):
        stored: StoredEntry = item
        after = stored.position
    return after


async def open_all(path: str, case_ids: Sequence[str], family: cs.Actor, when: datetime) -> list[str]:
    async with AsyncSQLiteStore(path) as store, store.atomic():
        for case_id in case_ids:
            await store.open_case(case_id, actor=family, effective_at=when, recorded_at=when)
        return [case_id async for case_id in store.case_ids()]


async def shared(url: str) -> str | None:
    store = await AsyncPostgresStore(url, schema="casestate")
    try:
        return await store.head("c-1")
    finally:
        await store.close()


def when() -> datetime:
    return datetime(2024, 1, 1, tzinfo=UTC)
