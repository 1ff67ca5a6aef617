"""An app's use of the store, type-checked with mypy --strict: both engines are a CaseStore."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import casestate as cs
from casestate.store import CaseStore, CaseSummary, ConcurrentUpdate, PostgresStore, SQLiteStore


def record(store: CaseStore, case_id: str, decide: Callable[[cs.Case], Sequence[cs.Change]]) -> cs.Case:
    while True:
        case = store.load(case_id)
        try:
            return store.apply(case_id, decide(case), expected_version=case.version)
        except ConcurrentUpdate:
            continue


def long_missing(store: CaseStore, now: datetime) -> list[str]:
    found: list[CaseSummary] = store.find(
        status="missing", in_status_for_at_least=timedelta(days=180), now=now
    )
    return [summary.case_id for summary in found]


def follow(store: CaseStore, after: int) -> int:
    for item in store.entries(after=after):
        after = item.position
    return after


def engines(path: str, url: str) -> list[CaseStore]:
    return [SQLiteStore(path), PostgresStore(url, schema="casestate")]


def open_one(store: CaseStore) -> cs.Case:
    with store:
        return store.open_case(
            "c-1",
            actor=cs.Actor("ngo-1", cs.Role.NGO),
            effective_at=datetime(2024, 1, 1, tzinfo=UTC),
            recorded_at=datetime(2024, 1, 2, tzinfo=UTC),
        )


def open_all(store: CaseStore, case_ids: Sequence[str], family: cs.Actor, when: datetime) -> list[cs.Case]:
    with store.atomic():
        return [
            store.open_case(case_id, actor=family, effective_at=when, recorded_at=when)
            for case_id in case_ids
        ]
