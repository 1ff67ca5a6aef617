"""The kit's oracles catch a library that breaks its promises, not only a forged trail.

Each test plants one fault where the kit reads the library (a ``check`` and an
``apply`` that disagree, a JSON writer or reader that loses something) and
asserts the kit names it. An oracle that passes whatever it is given would
let every property test built on it pass too.
"""

from collections.abc import Callable
from typing import NamedTuple

import attrs
import pytest

import casestate as cs
from casestate.testing import Attempt, BrokenInvariant, check_case, check_step
from casestate.testing import _serialised as serialised
from support import WORKFLOW, case_in, change

CONFIRM = change("confirm", "icrc", "dna_match", on=30)
"""Confirming a death reported on day 10: a transition to confirmed."""

UNSIGNED = change("confirm", "family", "video", on=30)
"""Confirming it with neither the role nor the evidence: refused."""


@attrs.frozen
class Disagreeing:
    """The default workflow, but with its ``check`` or ``apply`` replaced."""

    check: Callable[[cs.Case, cs.Change], cs.Verdict] = WORKFLOW.check
    apply: Callable[..., cs.Case] = WORKFLOW.apply


def refusal() -> cs.Rejected:
    with pytest.raises(cs.Rejected) as refused:
        WORKFLOW.apply(case_in("dead"), UNSIGNED)
    return refused.value


def applied_twice(case: cs.Case, step: cs.Change, **_: object) -> cs.Case:
    """An apply that records, after the change, a witness who saw the body as well."""
    once = WORKFLOW.apply(case, step)
    return WORKFLOW.apply(once, change("report_dead", "family", "witness_statement", on=31))


def said(**changes: object) -> Callable[[cs.Case, cs.Change], cs.Verdict]:
    """A check that says of every change what the default workflow says, changed as *changes* say."""
    return lambda case, change: attrs.evolve(WORKFLOW.check(case, change), **changes)


def refuses_as(verdict: cs.Verdict) -> Callable[..., cs.Case]:
    def apply(case: cs.Case, _change: cs.Change, **_: object) -> cs.Case:
        raise cs.Rejected(case.id, verdict)

    return apply


WOUND_AFTER_CONFIRMATION = change("report_wounded", "family", "video", on=35)
"""A wound reported after the death was confirmed: kept as a conflict."""


class Step(NamedTuple):
    workflow: Disagreeing
    status: str
    """The status of the case the step is checked on."""
    change: cs.Change
    message: str


STEPS = {
    "apply refuses what check accepts": Step(
        Disagreeing(apply=refuses_as(refusal().verdict)), "dead", CONFIRM, "apply refused it"
    ),
    "apply refuses otherwise than check": Step(
        Disagreeing(apply=refuses_as(cs.Verdict(cs.Outcome.REJECTED, refusal().verdict.reasons[:1]))),
        "dead",
        UNSIGNED,
        "apply refused with",
    ),
    "apply accepts what check refuses": Step(
        Disagreeing(check=lambda case, _: WORKFLOW.check(case, UNSIGNED)),
        "dead",
        CONFIRM,
        "apply accepted it",
    ),
    "apply appends two entries": Step(
        Disagreeing(apply=applied_twice), "dead", CONFIRM, "did not append exactly one entry"
    ),
    "check announces another outcome": Step(
        Disagreeing(check=said(outcome=cs.Outcome.CORROBORATION)),
        "dead",
        CONFIRM,
        "apply recorded a transition entry",
    ),
    "check announces another status": Step(
        Disagreeing(check=said(target="dead")), "dead", CONFIRM, "the case goes to 'dead'"
    ),
    "check announces another place": Step(
        Disagreeing(check=said(whereabouts=cs.Whereabouts.HOME)),
        "dead",
        CONFIRM,
        "check said the case is",
    ),
    "check announces codes the conflict lacks": Step(
        Disagreeing(check=said(reasons=refusal().verdict.reasons)),
        "confirmed",
        WOUND_AFTER_CONFIRMATION,
        "the entry records codes",
    ),
}


@pytest.mark.parametrize("what", sorted(STEPS))
def test_check_step_catches_a_check_and_an_apply_that_disagree(what):
    step = STEPS[what]
    with pytest.raises(BrokenInvariant, match=step.message):
        check_step(step.workflow, case_in(step.status), step.change)


def test_check_step_catches_a_verdict_other_than_the_attempt_was_built_for():
    attempt = Attempt(CONFIRM, "valid confirm", cs.Outcome.TRANSITION, (), "repatriated")
    with pytest.raises(BrokenInvariant, match="valid confirm: expected transition into 'repatriated'"):
        check_step(WORKFLOW, case_in("dead"), attempt)


def test_an_attempt_names_codes_it_did_not_expect():
    verdict = WORKFLOW.check(case_in("dead"), CONFIRM)
    expecting = Attempt(
        CONFIRM, "a conflict", cs.Outcome.TRANSITION, (cs.Code.ILLEGAL_TRANSITION,), "confirmed"
    )
    assert expecting.disagreement(verdict) == (
        "a conflict: expected transition with codes ['illegal_transition'], got []"
    )


def reading_back_as(case: cs.Case) -> Callable[..., cs.Case]:
    return lambda *_, **__: case


def written_otherwise() -> Callable[..., str]:
    """A ``to_json`` that writes a case read back otherwise than the case it was read from."""
    calls: list[int] = []

    def to_json(case: cs.Case, **options: object) -> str:
        calls.append(1)
        text = cs.to_json(case, **options)
        return text if len(calls) == 1 else text.replace("{", "{ ", 1)

    return to_json


FAULTS = {
    "a reader that gives back another case": (
        "from_json",
        lambda: reading_back_as(case_in("captured")),
        "the JSON round trip does not give an equal case",
    ),
    "a writer that writes a case otherwise the second time": (
        "to_json",
        written_otherwise,
        "does not give the same JSON",
    ),
    "an entry reader that loses the trigger": (
        "entry_from_dict",
        lambda: lambda data: attrs.evolve(cs.entry_from_dict(data), trigger="lost"),
        "entry 1: the JSON round trip does not give the same entry and bytes",
    ),
    "a redaction that keeps the reason": (
        "redact",
        lambda: list,
        "redacted",
    ),
}


@pytest.mark.parametrize("what", sorted(FAULTS))
def test_the_json_checks_catch_a_serialiser_that_loses_something(what, monkeypatch):
    name, fault, message = FAULTS[what]
    case = case_in("dead")
    monkeypatch.setattr(serialised, name, fault())
    with pytest.raises(BrokenInvariant, match=message):
        # After one checked entry, the newer entry alone makes the round trip.
        check_case(WORKFLOW, case, checked=1 if name == "entry_from_dict" else 0)
