"""A workflow definition of 10,000 statuses is read and checked in linear time, not quadratic.

The bound is wide (machines are shared and noisy): the checks take a fraction
of a second here, where reading such a definition used to take half a minute.
"""

import json
import time

import pytest

import casestate as cs

# These build workflows for their shape, lax ones among them: the hazards a lax workflow
# warns of are tested in tests/core/test_workflow_hazards.py.
pytestmark = pytest.mark.filterwarnings("ignore::casestate.WorkflowWarning")

STATUSES = 10_000
BOUND = 10.0  # seconds


def chain(count: int) -> dict:
    """A chain of *count* statuses that keep the fate they are entered with, its rules listed backwards.

    Backwards, so that fates spread against the order rules are read in; the
    last status is neither final nor left, the one fault of the definition.
    """
    statuses = [{"name": "s0", "fate": "alive"}] + [{"name": f"s{at}"} for at in range(1, count)]
    rules = [
        {"trigger": f"t{at}", "sources": [f"s{at}"], "target": f"s{at + 1}", "roles": ["icrc"]}
        for at in reversed(range(count - 1))
    ]
    return {"name": "long", "initial": "s0", "roles": ["icrc"], "statuses": statuses, "rules": rules}


def test_a_definition_of_ten_thousand_statuses_is_checked_in_linear_time():
    text = json.dumps(chain(STATUSES))
    started = time.perf_counter()
    with pytest.raises(cs.WorkflowError) as caught:
        cs.workflow_from_json(text)
    assert time.perf_counter() - started < BOUND
    last = f"s{STATUSES - 1}"
    assert caught.value.problems == (f"status {last!r} has no way out; mark it final if that is meant",)


def test_a_sound_definition_of_ten_thousand_statuses_builds_its_machine_and_table_in_linear_time():
    data = chain(STATUSES)
    data["statuses"][-1]["final"] = True
    started = time.perf_counter()
    workflow = cs.workflow_from_dict(data)
    assert time.perf_counter() - started < BOUND
    assert workflow.target_of("s9998", "t9998") == "s9999"
    assert workflow.target_of("s0", "t9998") is None


def test_repeated_names_in_a_large_definition_are_each_named_once():
    data = chain(STATUSES)
    data["statuses"].append({"name": "s7"})
    data["rules"].append(dict(data["rules"][0]))
    started = time.perf_counter()
    with pytest.raises(cs.WorkflowError) as caught:
        cs.workflow_from_dict(data)
    assert time.perf_counter() - started < BOUND
    assert caught.value.problems == (
        "status 's7' is defined more than once",
        f"trigger 't{STATUSES - 2}' has more than one rule",
    )


def test_an_unknown_fate_spreads_along_a_chain_listed_backwards():
    data = chain(50)
    data["statuses"][-1]["final"] = True
    assert cs.workflow_from_dict(data).status("s49").final  # every status is entered alive
    data["statuses"][0]["fate"] = "unknown"
    with pytest.raises(cs.WorkflowError) as caught:
        cs.workflow_from_dict(data)
    # Unknown in s0, so in every status after it: each rule keeps a fate that can be unknown.
    assert len(caught.value.problems) == 49
    assert all("where the fate can be unknown" in problem for problem in caught.value.problems)
