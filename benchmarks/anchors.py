"""The anchors casestate is measured against, each fed the same stream of changes.

- the Python floor: a bare ``dict[(status, trigger)] -> status`` table;
- the floor plus a frozen attrs audit record and a SHA-256 chain over a
  canonical serialisation of it;
- ``transitions`` used the obvious ways: one shared machine triggered per case
  (``machine.events[name].trigger(model)``), and one ``Machine`` per case;
- ``python-statemachine``, one instance per case;
- the same-content anchor: the floor plus exactly the audit work an apply
  must do, with a decision that costs nothing (see :func:`same_content`).

Each anchor returns how many changes it refused, and what it built (so that
freeing it is not part of the time). None of them checks roles, evidence or
time: they are what the hot path of a state machine costs, not a workflow.
The same-content anchor decides nothing at all: it is handed each decision.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from json.encoder import encode_basestring_ascii as quote
from typing import TYPE_CHECKING, NamedTuple

import attrs
from transitions import Machine, MachineError

from casestate import Case, Change, Evidence, Workflow

if TYPE_CHECKING:
    from statemachine import StateMachine

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
    # Imported here: only run.py's per-case anchor needs the bench extra.
    from statemachine import State, StateMachine  # noqa: PLC0415 - see above

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
    from statemachine.exceptions import TransitionNotAllowed  # noqa: PLC0415 - as in statemachine_class

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


# The same-content anchor. Written from the documented trail format
# (docs/reference/json-format.md, "How the hashes are made"), not from
# casestate's code: it must stay an independent measure of the same work.
ENTRY_PREFIX = b"casestate/entry/1\n"
PRIVATE_PREFIX = b"casestate/private/1\n"
PLAIN_CHAIN = "sha256"


class Decision(NamedTuple):
    """What the workflow decided about one change it accepted, handed to the anchor ready-made.

    The entry's kind and the case's values after the change, as casestate's
    own apply left them in a run before the timing (see :func:`decisions_of`).
    """

    kind: str
    to_status: str
    fate: str
    assurance: str
    codes: tuple[str, ...]
    reverts_to: int | None
    status_since: datetime
    open_conflicts: tuple[int, ...]
    periods: tuple[int, ...]


def decisions_of(
    changes: Changes, before: Sequence[tuple[Case, Change]], final: Sequence[Case]
) -> list[Decision | None]:
    """Each change's :class:`Decision`, or ``None`` where casestate refused it.

    *before* holds each change with the case as it stood when the change came,
    *final* the cases at the end: the case after a change is the one the next
    change of that case met, or the final one.
    """
    after: dict[int, Case] = dict(enumerate(final))
    decided: list[Decision | None] = [None] * len(changes)
    for position in range(len(changes) - 1, -1, -1):
        index = changes[position][0]
        was = before[position][0]
        now = after[index]
        if len(now.trail) > len(was.trail):
            entry = now.trail[-1]
            decided[position] = Decision(
                entry.kind,
                entry.to_status,
                entry.fate,
                entry.assurance,
                entry.codes,
                entry.reverts_to,
                now.status_since,
                now.open_conflicts,
                now.periods,
            )
        after[index] = was
    return decided


@attrs.frozen
class SameContentEntry:
    """An audit entry as wide as ``casestate.Entry``: 18 public fields, the hash, 4 personal ones."""

    seq: int
    case_id: str
    kind: str
    trigger: str
    from_status: str | None
    to_status: str
    fate: str
    assurance: str
    role: str
    evidence_kinds: tuple[str, ...]
    effective_at: datetime
    recorded_at: datetime
    resolves: tuple[int, ...]
    codes: tuple[str, ...]
    reverts_to: int | None
    chain: str
    prev_hash: str
    commitment: str
    hash: str
    actor_id: str | None = None
    reason: str | None = None
    evidence: tuple[Evidence, ...] = ()
    salt: bytes | None = None


@attrs.frozen
class SameContentCase:
    """A case value: where the case stands, and its whole trail.

    The nine values ``casestate.Case`` held at 803e136, the commit the
    targets were restated on; kept so whatever ``Case`` becomes, so that the
    anchor stays the same for every commit measured.
    """

    id: str
    status: str
    fate: str
    assurance: str
    status_since: datetime
    open_conflicts: tuple[int, ...]
    periods: tuple[int, ...]
    trail: tuple[object, ...]
    last_recorded_at: datetime


def same_content_cases(opened: Sequence[Case]) -> list[SameContentCase]:
    """The anchor's own values of freshly opened cases; each chain goes on from casestate's opening entry."""
    return [
        SameContentCase(
            case.id,
            case.status,
            case.fate,
            case.assurance,
            case.status_since,
            case.open_conflicts,
            case.periods,
            case.trail,
            case.last_recorded_at,
        )
        for case in opened
    ]


def _instant(value: datetime) -> str:
    # isoformat pads the year to four digits; a UTC instant ends in "+00:00".
    return value.isoformat(timespec="microseconds")[:-6] + "Z"


def _texts(values: tuple[str, ...]) -> str:
    return "[" + ",".join(map(quote, values)) + "]"


def _evidence_json(item: Evidence) -> str:
    return (
        f'{{"kind":{quote(item.kind)},"obtained_at":"{_instant(item.obtained_at)}",'
        f'"reference":{quote(item.reference)},"source":{quote(item.source)}}}'
    )


def _private_json(actor_id: str, reason: str | None, evidence: tuple[Evidence, ...]) -> bytes:
    return (
        f'{{"actor_id":{quote(actor_id)},"evidence":[{",".join(map(_evidence_json, evidence))}],'
        f'"reason":{"null" if reason is None else quote(reason)}}}'
    ).encode("ascii")


def _public_json(  # noqa: PLR0917 - the entry's public fields in order, as casestate passes them too
    seq: int,
    case_id: str,
    kind: str,
    trigger: str,
    from_status: str,
    to_status: str,
    fate: str,
    assurance: str,
    role: str,
    evidence_kinds: tuple[str, ...],
    effective_at: datetime,
    recorded_at: datetime,
    resolves: tuple[int, ...],
    codes: tuple[str, ...],
    reverts_to: int | None,
    chain: str,
    prev_hash: str,
    commitment: str,
) -> bytes:
    return (
        f'{{"assurance":{quote(assurance)},"case_id":{quote(case_id)},"chain":{quote(chain)},'
        f'"codes":{_texts(codes)},"commitment":{quote(commitment)},'
        f'"effective_at":"{_instant(effective_at)}","evidence_kinds":{_texts(evidence_kinds)},'
        f'"fate":{quote(fate)},"from_status":{quote(from_status)},"kind":{quote(kind)},'
        f'"prev_hash":{quote(prev_hash)},"recorded_at":"{_instant(recorded_at)}",'
        f'"resolves":[{",".join(map(str, resolves))}],'
        f'"reverts_to":{"null" if reverts_to is None else reverts_to},'
        f'"role":{quote(role)},"seq":{seq},"to_status":{quote(to_status)},"trigger":{quote(trigger)}}}'
    ).encode("ascii")


def same_content(
    opened: Sequence[SameContentCase], changes: Changes, decisions: Sequence[Decision | None]
) -> tuple[int, object]:
    """The floor plus exactly the audit work an apply must do, with a decision that costs nothing.

    How it matches an apply, per accepted change:

    - the decision is handed over (:func:`decisions_of`): reading it is the
      whole cost, as the floor pays one dict lookup; a refused change costs
      nothing more;
    - the personal part (actor id, reason, each piece of evidence with its
      four fields) canonicalised as the trail format says (compact JSON, keys
      sorted, ASCII only, instants to the microsecond with a ``Z``), then one
      SHA-256 over a prefix, the change's salt and those bytes: the salted
      commitment;
    - the 18 public fields (``casestate.Entry`` less the hash and the personal
      part: sequence, case, kind, trigger, both statuses, fate, assurance,
      role, evidence kinds, both clocks, resolves, codes, reverts_to, chain,
      previous hash, commitment) canonicalised the same way, then a second
      SHA-256 over a prefix and those bytes: the hash;
    - a frozen attrs record of 23 fields (:class:`SameContentEntry`), as
      wide as ``casestate.Entry``;
    - a new frozen case value of 9 fields (:class:`SameContentCase`, as
      ``casestate.Case`` held them at 803e136), holding the trail one entry
      longer.

    The bytes are those casestate hashes: ``targets.py`` checks, before any
    timing, that the anchor's hashes equal those of casestate's own trails.
    Every case and its whole trail is kept, as the apply measured beside it
    keeps them.
    """
    cases = list(opened)
    sha256 = hashlib.sha256
    refused = 0
    for (index, change), decided in zip(changes, decisions, strict=True):
        if decided is None:
            refused += 1
            continue
        kind, to_status, fate, assurance, codes, reverts_to, since, conflicts, periods = decided
        case = cases[index]
        trail = case.trail
        actor = change.actor
        evidence = change.evidence
        reason = change.reason
        salt: bytes = change.salt  # type: ignore[assignment]  # the stream salts every change
        kinds = (evidence[0].kind,) if len(evidence) == 1 else tuple([item.kind for item in evidence])
        committed = sha256(PRIVATE_PREFIX + salt + _private_json(actor.id, reason, evidence)).hexdigest()
        fields = (
            len(trail),
            case.id,
            kind,
            change.trigger,
            case.status,
            to_status,
            fate,
            assurance,
            actor.role,
            kinds,
            change.effective_at,
            change.recorded_at,
            change.resolves,
            codes,
            reverts_to,
            PLAIN_CHAIN,
            trail[-1].hash,  # type: ignore[attr-defined]  # an entry of either kind
            committed,
        )
        digest = sha256(ENTRY_PREFIX + _public_json(*fields)).hexdigest()
        entry = SameContentEntry(*fields, digest, actor.id, reason, evidence, salt)
        cases[index] = SameContentCase(
            case.id,
            to_status,
            fate,
            assurance,
            since,
            conflicts,
            periods,
            (*trail, entry),
            change.recorded_at,
        )
    return refused, cases
