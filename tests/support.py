"""Builders that keep the tests short: times by day number, actors by role, evidence by kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import casestate
from casestate import Actor, Case, Change, Evidence, EvidenceKind, Role

T0 = datetime(2024, 2, 20, 6, 30, tzinfo=UTC)
"""The day the soldier was last seen."""

WORKFLOW = casestate.DEFAULT_WORKFLOW


def day(number: float) -> datetime:
    """T0 plus *number* days."""
    return T0 + timedelta(days=number)


def actor(role: str, number: int = 1) -> Actor:
    return Actor(f"{role}-{number}", role)


def evidence(kind: str, on: float = 0) -> Evidence:
    return Evidence(EvidenceKind(kind), f"ref/{kind}/{on}", f"source of {kind}", day(on))


def change(
    trigger: str,
    by: Actor | str,
    *kinds: str,
    on: float,
    recorded: float | None = None,
    reason: str | None = None,
    resolves: tuple[int, ...] = (),
) -> Change:
    """A change effective on day *on* and recorded the same day (or on *recorded*)."""
    who = by if isinstance(by, Actor) else actor(by)
    return Change(
        trigger=trigger,
        actor=who,
        evidence=[evidence(kind, on) for kind in kinds],
        reason=reason,
        resolves=resolves,
        effective_at=day(on),
        recorded_at=day(on if recorded is None else recorded),
        salt=bytes(16),
    )


def opened(case_id: str = "case-1", by: str = Role.FAMILY, key: bytes | None = None) -> Case:
    return WORKFLOW.open(
        case_id, actor=actor(by), effective_at=day(0), recorded_at=day(1), salt=bytes(16), key=key
    )


# The right way into each status of the default workflow, from a fresh case.
PATH_TO: dict[str, list[Change]] = {
    "missing": [],
    "captured": [change("report_captured", Role.FAMILY, "video", on=10)],
    "wounded": [change("report_wounded", Role.UNIT, "medical_record", on=10)],
    "dead": [change("report_dead", Role.UNIT, "unit_notification", on=10)],
    "confirmed": [
        change("report_dead", Role.UNIT, "unit_notification", on=10),
        change("confirm", Role.FORENSIC_LAB, "dna_match", on=20),
    ],
    "repatriated": [
        change("report_captured", Role.FAMILY, "video", on=10),
        change("repatriate", Role.ICRC, "exchange_list", on=20),
    ],
}


def case_in(status: str, key: bytes | None = None) -> Case:
    case = opened(key=key)
    for step in PATH_TO[status]:
        case = WORKFLOW.apply(case, step, key=key)
    assert case.status == status
    return case
