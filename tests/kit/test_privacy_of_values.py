"""No value casestate hands out shows personal data in its repr, its str or a log line.

Apps log what they get back: a case, a verdict, a refusal, a store's
summary. Every personal value of the cases here is marked with « »; each
public value made from them is printed as a log line would print it, and
casestate's own loggers (and those of the libraries under the stores) are
listened to at every level while the values are made.
"""

import logging
from datetime import timedelta

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import casestate as cs
from casestate.testing import alterations
from marked_cases import MARK, T0, marked_cases
from workflows import DEFAULT, REGISTRY, STRICT, WITH_RELEASED

# The values whose job is to hold personal data: an app builds them from what
# it was told, and prints them at its own risk.
PERSONAL_BY_DESIGN = {cs.Actor, cs.Change, cs.Evidence, cs.Private}
# Definitions, written by whoever writes the workflow: no case's data is in them.
DEFINITIONS = {
    cs.EvidenceKindDef,
    cs.EvidenceRule,
    cs.Rule,
    cs.StatusDef,
    cs.Timer,
    cs.Workflow,
    cs.WorkflowWarning,
}
# Errors that name a file, a key or a document, never a case's personal data.
OTHER_ERRORS = {
    cs.CasestateError,
    cs.ChainKeyError,
    cs.FormatError,
    cs.KeyFileError,
    cs.RecordError,
    cs.UnknownSchema,
    cs.WorkflowError,
}
# What the test below makes from a marked case and prints.
SHOWN = {
    cs.BrokenTrail,
    cs.Case,
    cs.Entry,
    cs.Flag,
    cs.Integrity,
    cs.Option,
    cs.Reason,
    cs.Rejected,
    cs.Snapshot,
    cs.Standing,
    cs.Verdict,
}

EVERY_TIMER = cs.GENEVA_CONVENTIONS + cs.RUSSIA_CIVIL_CODE + cs.RUSSIA_120FZ + cs.UKRAINE


def _public_values(module):
    return {
        value
        for name in module.__all__
        if isinstance(value := getattr(module, name), type)
        and (attrs.has(value) or issubclass(value, BaseException))
    }


def test_every_public_value_of_the_core_is_shown_or_named_as_holding_no_case_data():
    # A new public value gets its place here, and a check below if a case's data can reach it.
    assert _public_values(cs) == PERSONAL_BY_DESIGN | DEFINITIONS | OTHER_ERRORS | SHOWN


def _values_made_from(workflow, key, case, data):
    """Every kind of value in SHOWN, made from *case*, with what made it."""
    yield case
    yield case.standing
    yield from case.trail
    yield from case.periods
    yield cs.verify(case.trail, key=key, head=case.head)
    running = cs.Timer(name="always", status=case.status, after=timedelta(days=1))
    yield from cs.due(case, (*EVERY_TIMER, running), T0 + timedelta(days=10_000))
    for actor in {cs.Actor(entry.actor_id, entry.role) for entry in case.trail}:
        yield from workflow.available(case, actor)
        for rule in (*workflow.rules, attrs.evolve(workflow.rules[0], trigger="no_such_trigger")):
            change = cs.Change(
                trigger=rule.trigger, actor=actor, effective_at=T0, recorded_at=T0, reason="«a reason»"
            )
            verdict = workflow.check(case, change)
            yield verdict
            yield from verdict.reasons
            if not verdict.ok:
                with pytest.raises(cs.Rejected) as refused:
                    workflow.apply(case, change, key=key)
                yield refused.value
    # A trail tampered with, each field of its last entry in turn: what the refusal says.
    every_field = data.draw(st.fixed_dictionaries(alterations(case.trail[-1])), label="the last entry")
    for altered in every_field.values():
        tampered = (*case.trail[:-1], altered)
        yield cs.verify(tampered, key=key, head=case.head)
        with pytest.raises(cs.BrokenTrail) as refused:
            cs.replay(tampered, key=key, head=case.head)
        yield refused.value


def _shown(value):
    return f"{value!r}\n{value}\n" + logging.Formatter().format(
        logging.LogRecord("app", logging.INFO, __file__, 1, "%s %r", (value, value), None)
    )


@given(marked_cases(), st.data())
@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=20)
def test_no_value_made_from_a_case_shows_its_personal_data(marked, data):
    key, case = marked
    [workflow] = [
        workflow
        for workflow in (DEFAULT, STRICT, WITH_RELEASED, REGISTRY)
        if workflow.identity == case.workflow
    ]
    seen = set()
    for value in _values_made_from(workflow, key, case, data):
        seen.add(type(value))
        assert MARK not in _shown(value), type(value).__name__
    # Each kind was made (a case may offer its actors no option, in a status nothing leaves).
    assert SHOWN - {cs.Option} <= seen <= SHOWN


def test_a_store_shows_and_logs_no_personal_data_at_any_level(place, caplog):
    # An app that logs everything, the libraries under the stores included (SQLAlchemy's loggers
    # are set to warnings only unless the app turns them up).
    caplog.set_level(logging.DEBUG)
    for name in ("casestate", "sqlalchemy", "psycopg"):
        caplog.set_level(logging.DEBUG, logger=name)
    told = cs.Change(
        trigger="report_captured",
        actor=cs.Actor("«olena»", cs.Role.FAMILY),
        evidence=[cs.Evidence("video", "«https://t.me/c/1»", "«a channel»", T0)],
        effective_at=T0,
        recorded_at=T0,
        reason="«she saw him»",
    )
    with place.open() as store:
        opened = store.open_case(
            "case-7", actor=cs.Actor("«opener»", cs.Role.NGO), effective_at=T0, recorded_at=T0, reason="«why»"
        )
        shown = [opened, store.apply("case-7", [told], expected_version=1), store.load("case-7")]
        shown += [*store.find(), *store.entries(), store.head("case-7")]
    assert MARK in told.actor.id  # marked as the cases above are
    for value in shown:
        assert MARK not in _shown(value), type(value).__name__
    assert caplog.records or place.engine == "sqlite"  # SQLAlchemy was heard; sqlite3 logs nothing
    assert MARK not in caplog.text
