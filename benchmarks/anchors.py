"""The anchors casestate is measured against, each fed the same stream of changes.

- the Python floor: a bare ``dict[(status, trigger)] -> status`` table;
- the floor plus a frozen attrs audit record and a SHA-256 chain over a
  canonical serialisation of it;
- ``transitions`` used the obvious ways: one shared machine triggered per case
  (``machine.events[name].trigger(model)``), and one ``Machine`` per case;
- ``python-statemachine``, one instance per case.

Each anchor returns how many changes it refused, and what it built (so that
freeing it is not part of the time). None of them checks roles, evidence or
time: they are what the hot path of a state machine costs, not a workflow.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from json.encoder import encode_basestring_ascii as quote

import attrs
from statemachine import State, StateMachine
from statemachine.exceptions import TransitionNotAllowed
from transitions import Machine, MachineError

from casestate import Change, Workflow

Changes = Sequence[tuple[int, Change]]


def table_of(workflow: Workflow) -> dict[tuple[str, str], str]:
    """The workflow's transition table as a bare dict."""
    return {(source, rule.trigger): rule.target for rule in workflow.rules for source in rule.sources}


def floor(
    table: dict[tuple[str, str], str], initial: str, cases: int, changes: Changes
) -> tuple[int, object]:
    """The Python floor: one dict lookup and one store per change."""
    status = [initial] * cases
    refused = 0
    for index, change in changes:
        target = table.get((status[index], change.trigger))
        if target is None:
            refused += 1
        else:
            status[index] = target
    return refused, status


@attrs.frozen
class AuditRecord:
    """The least an audit trail holds: who moved which case from where to where, when, chained."""

    case_id: str
    seq: int
    trigger: str
    from_status: str
    to_status: str
    role: str
    actor_id: str
    effective_at: datetime
    recorded_at: datetime
    prev_hash: str
    hash: str


def _canonical(  # noqa: PLR0917 - the record's fields in order; a dict per change would be measured too
    case_id: str,
    seq: int,
    trigger: str,
    from_status: str,
    to_status: str,
    role: str,
    actor_id: str,
    effective_at: datetime,
    recorded_at: datetime,
    prev_hash: str,
) -> bytes:
    return (
        f'{{"actor_id":{quote(actor_id)},"case_id":{quote(case_id)},'
        f'"effective_at":"{effective_at.isoformat()}","from_status":{quote(from_status)},'
        f'"prev_hash":"{prev_hash}","recorded_at":"{recorded_at.isoformat()}",'
        f'"role":{quote(role)},"seq":{seq},"to_status":{quote(to_status)},"trigger":{quote(trigger)}}}'
    ).encode("ascii")


def floor_with_audit(
    table: dict[tuple[str, str], str], initial: str, case_ids: Sequence[str], changes: Changes
) -> tuple[int, object]:
    """The floor, plus a frozen attrs record per accepted change and a SHA-256 chain over them."""
    status = [initial] * len(case_ids)
    trails: list[list[AuditRecord]] = [[] for _ in case_ids]
    heads = ["0" * 64] * len(case_ids)
    refused = 0
    for index, change in changes:
        source = status[index]
        target = table.get((source, change.trigger))
        if target is None:
            refused += 1
            continue
        trail = trails[index]
        actor = change.actor
        fields = (
            case_ids[index],
            len(trail),
            change.trigger,
            source,
            target,
            actor.role,
            actor.id,
            change.effective_at,
            change.recorded_at,
            heads[index],
        )
        digest = hashlib.sha256(_canonical(*fields)).hexdigest()
        trail.append(AuditRecord(*fields, digest))
        status[index] = target
        heads[index] = digest
    return refused, trails


class _Model:
    """A case as a ``transitions`` model: just its state."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


def transitions_machine(workflow: Workflow, model: object = "self") -> Machine:
    """A ``transitions`` machine with the workflow's states and transitions."""
    return Machine(
        model=model,
        states=[status.name for status in workflow.statuses],
        transitions=[
            {"trigger": rule.trigger, "source": sorted(rule.sources), "dest": rule.target}
            for rule in workflow.rules
        ],
        initial=workflow.initial,
        auto_transitions=False,
    )


def transitions_models(workflow: Workflow, cases: int) -> list[_Model]:
    """One plain model per case for the shared machine."""
    return [_Model(workflow.initial) for _ in range(cases)]


def transitions_shared(machine: Machine, models: list[_Model], changes: Changes) -> tuple[int, object]:
    """One shared machine: ``machine.events[name].trigger(model)`` per change."""
    events = machine.events
    refused = 0
    for index, change in changes:
        event = events.get(change.trigger)
        if event is None:
            refused += 1
            continue
        try:
            event.trigger(models[index])
        except MachineError:
            refused += 1
    return refused, models


def transitions_lookup(machine: Machine, initial: str, cases: int, changes: Changes) -> tuple[int, object]:
    """Looking moves up in the shared machine's own tables, without its trigger machinery."""
    events = machine.events
    status = [initial] * cases
    refused = 0
    for index, change in changes:
        event = events.get(change.trigger)
        moves = None if event is None else event.transitions.get(status[index])
        if not moves:
            refused += 1
        else:
            status[index] = moves[0].dest
    return refused, status


def transitions_per_case_machines(workflow: Workflow, cases: int) -> list[Machine]:
    """One ``transitions`` machine per case, each its own model."""
    return [transitions_machine(workflow) for _ in range(cases)]


def transitions_per_case(machines: list[Machine], changes: Changes) -> tuple[int, object]:
    """One machine per case: ``machine.trigger(name)`` per change."""
    refused = 0
    for index, change in changes:
        machine = machines[index]
        if change.trigger not in machine.events:
            refused += 1
            continue
        try:
            machine.trigger(change.trigger)
        except MachineError:
            refused += 1
    return refused, machines


def statemachine_class(workflow: Workflow) -> type[StateMachine]:
    """A ``python-statemachine`` class with the workflow's states and transitions."""
    namespace: dict[str, object] = {
        status.name: State(initial=status.name == workflow.initial) for status in workflow.statuses
    }
    for rule in workflow.rules:
        moves = None
        for source in sorted(rule.sources):
            move = namespace[source].to(namespace[rule.target])  # type: ignore[attr-defined]
            moves = move if moves is None else moves | move
        namespace[rule.trigger] = moves
    return type("CaseMachine", (StateMachine,), namespace)


def statemachine_per_case(
    machines: list[StateMachine], triggers: frozenset[str], changes: Changes
) -> tuple[int, object]:
    """One ``python-statemachine`` instance per case: ``machine.send(name)`` per change."""
    refused = 0
    for index, change in changes:
        if change.trigger not in triggers:
            refused += 1
            continue
        try:
            machines[index].send(change.trigger)
        except TransitionNotAllowed:
            refused += 1
    return refused, machines
