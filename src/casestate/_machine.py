"""The workflow definition as a ``transitions`` state machine: the engine the table is read from."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from transitions import Machine

if TYPE_CHECKING:
    from ._soundness import Definition


class TransitionSpec(TypedDict):
    """One rule, as ``transitions`` takes it."""

    trigger: str
    source: list[str]
    dest: str


class MachineSpec(TypedDict):
    """A definition's statuses and rules, as a ``transitions`` machine (or its diagram) takes them."""

    states: list[str]
    transitions: list[TransitionSpec]
    initial: str


def machine_spec(definition: Definition) -> MachineSpec:
    """The states, transitions and initial state of *definition*, in its order."""
    return {
        "states": [status.name for status in definition.statuses],
        "transitions": [
            {"trigger": rule.trigger, "source": sorted(rule.sources), "dest": rule.target}
            for rule in definition.rules
        ],
        "initial": definition.initial,
    }


def build_machine(definition: Definition) -> Machine:
    """A model-less machine holding *definition*'s transition table; one serves every case.

    Cases are values, not models: the machine is asked where a trigger leads,
    never made to move.
    """
    return Machine(model=None, auto_transitions=False, **machine_spec(definition))


def destinations(machine: Machine) -> dict[tuple[str, str], str]:
    """Where each trigger leads from each status, read out of *machine*: (status, trigger) -> target."""
    table: dict[tuple[str, str], str] = {}
    for trigger, event in machine.events.items():
        for source, transitions in event.transitions.items():
            dest = transitions[0].dest
            if dest is None:  # pragma: no cover - every rule names its target
                msg = f"trigger {trigger!r} leads nowhere from {source!r}"
                raise AssertionError(msg)
            table[source, trigger] = dest
    return table
