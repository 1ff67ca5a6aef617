"""The mutation report counts what mutmut left, module by module: tools/mutation_report.py."""

import json

from support import tool

report = tool("mutation_report")


def _meta(mutants, module, codes):
    path = mutants / "src" / f"{module.replace('.', '/')}.py.meta"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"exit_code_by_key": codes}))


def test_killed_survived_and_unchecked_mutants_are_counted_by_module(tmp_path):
    _meta(
        tmp_path,
        "casestate._timers",
        {"casestate._timers.x_due__mutmut_1": 1, "casestate._timers.x_due__mutmut_2": 0},
    )
    _meta(
        tmp_path,
        "casestate.store._unit",
        {"casestate.store._unit.x_a__mutmut_1": 36, "casestate.store._unit.x_a__mutmut_2": None},
    )
    found = report.results(tmp_path)
    assert found == {
        "casestate._timers": {
            "casestate._timers.x_due__mutmut_1": "killed",
            "casestate._timers.x_due__mutmut_2": "survived",
        },
        "casestate.store._unit": {
            "casestate.store._unit.x_a__mutmut_1": "killed",  # ran past its time limit
            "casestate.store._unit.x_a__mutmut_2": "not checked",
        },
    }
    rows = report.table(found).splitlines()
    assert rows[2] == "| `casestate._timers` | 2 | 2 | 1 | 1 | 0 | 0 | 50.0% |"
    assert rows[3] == "| `casestate.store._unit` | 2 | 1 | 1 | 0 | 0 | 0 | 100.0% |"
    assert rows[4] == "| **all** | 4 | 3 | 2 | 1 | 0 | 0 | 66.7% |"
    assert report.survivors(found) == "- `casestate._timers.x_due__mutmut_2` (survived)"
