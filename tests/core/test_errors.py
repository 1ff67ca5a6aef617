"""One error base, and public module names on every public name."""

import inspect
import pickle
import sys

import pytest

import casestate
import casestate.chain
import casestate.instants
import casestate.pfif
import casestate.store
import casestate.testing
import casestate.text

PUBLIC_MODULES = [
    casestate,
    casestate.chain,
    casestate.instants,
    casestate.pfif,
    casestate.store,
    casestate.testing,
    casestate.text,
]
BROKEN_INVARIANT = casestate.testing.BrokenInvariant
"""Not a refusal: a failed check in an app's own test suite."""


def _public_errors():
    for module in PUBLIC_MODULES:
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, Exception) and value is not BROKEN_INVARIANT:
                yield module, value


@pytest.mark.parametrize(
    ("module", "error"), list(_public_errors()), ids=lambda value: getattr(value, "__name__", "")
)
def test_every_public_error_is_a_casestate_error(module, error):
    assert issubclass(error, casestate.CasestateError)
    assert error.__name__ in module.__all__


def test_a_broken_invariant_fails_the_test_that_found_it():
    assert issubclass(BROKEN_INVARIANT, AssertionError)


def test_refusals_stay_the_builtin_errors_apps_caught_before():
    for error in (
        casestate.Rejected,
        casestate.BrokenTrail,
        casestate.ChainKeyError,
        casestate.FormatError,
        casestate.RecordError,
        casestate.WorkflowError,
        casestate.pfif.PfifError,
    ):
        assert issubclass(error, ValueError)
    assert issubclass(casestate.store.UnknownCase, KeyError)


@pytest.mark.parametrize("module", PUBLIC_MODULES, ids=lambda module: module.__name__)
def test_every_public_name_names_the_module_an_app_imports_it_from(module):
    misplaced = {}
    for name in module.__all__:
        value = getattr(module, name)
        if not (inspect.isclass(value) or inspect.isfunction(value)) or value.__module__ == module.__name__:
            continue
        # A name two public modules export names the one it was first published by.
        home = sys.modules[value.__module__]
        if value.__module__.startswith("casestate._") or getattr(home, name, None) is not value:
            misplaced[name] = value.__module__
    assert misplaced == {}


def test_a_store_error_shows_its_public_module_and_crosses_processes():
    error = casestate.store.ConcurrentUpdate("ua-1", 3, 4)
    assert type(error).__module__ == "casestate.store"
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, made one line above
    assert (type(again), str(again)) == (type(error), str(error))


def test_one_except_clause_catches_a_refusal_from_the_core():
    workflow = casestate.DEFAULT_WORKFLOW
    with pytest.raises(casestate.CasestateError):
        workflow.rule("no-such-trigger")
