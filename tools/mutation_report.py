"""The figures of a mutmut run, module by module, and its survivors, as Markdown.

Reads what ``mutmut run`` left in ``mutants/`` (one ``.meta`` file per
module mutated) and prints a table for ``mutation/REPORT.md``:

    .venv/bin/python tools/mutation_report.py            # the table and every survivor
    .venv/bin/python tools/mutation_report.py --table    # the table only

A mutant counts as killed when a test failed on it or it ran past its time
limit (a loop that no longer ends); the share killed is of the mutants
checked. Mutants marked ``# pragma: no mutate`` (equivalent ones, each with
its reason on the line) are never made, and so are not counted.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# mutmut's exit codes (mutmut.stats.status_by_exit_code), grouped as the report counts them.
_KILLED = {1, 3, 24, -24, 152, 255, 36}
_SURVIVED = {0}
_NO_TESTS = {5, 33}
_NOT_CHECKED = {None}
_COLUMNS = ("mutants", "checked", "killed", "survived", "no tests", "other", "killed of checked")


def _status(code: int | None) -> str:
    if code in _KILLED:
        return "killed"
    if code in _SURVIVED:
        return "survived"
    if code in _NO_TESTS:
        return "no tests"
    if code in _NOT_CHECKED:
        return "not checked"
    return "other"


def _module(meta: Path, mutants: Path) -> str:
    relative = meta.relative_to(mutants / "src").with_suffix("").with_suffix("")
    return ".".join(relative.parts)


def results(mutants: Path) -> dict[str, dict[str, str]]:
    """The status of every mutant, by module."""
    found = {}
    for meta in sorted((mutants / "src").rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        found[_module(meta, mutants)] = {name: _status(code) for name, code in sorted(codes.items())}
    return found


def _row(module: str, statuses: dict[str, str]) -> str:
    counts = Counter(statuses.values())
    checked = len(statuses) - counts["not checked"]
    share = f"{100 * counts['killed'] / checked:.1f}%" if checked else "-"
    cells = (
        len(statuses),
        checked,
        counts["killed"],
        counts["survived"],
        counts["no tests"],
        counts["other"],
    )
    return f"| `{module}` | " + " | ".join(str(cell) for cell in cells) + f" | {share} |"


def table(found: dict[str, dict[str, str]]) -> str:
    """A row for each module, and one for them all."""
    lines = ["| module | " + " | ".join(_COLUMNS) + " |", "|---" * (len(_COLUMNS) + 1) + "|"]
    lines += [_row(module, statuses) for module, statuses in found.items()]
    every = {
        f"{module}.{name}": status for module, statuses in found.items() for name, status in statuses.items()
    }
    lines.append(_row("all", every).replace("`all`", "**all**"))
    return "\n".join(lines)


def survivors(found: dict[str, dict[str, str]]) -> str:
    """Every mutant checked and not killed, one a line."""
    lines = []
    for statuses in found.values():
        for name, status in statuses.items():
            if status in {"survived", "no tests", "other"}:
                lines.append(f"- `{name}` ({status})")
    return "\n".join(lines) or "None."


def main() -> None:
    """Print the report of the run in ``--mutants``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=ROOT / "mutants", help="where mutmut ran")
    parser.add_argument("--table", action="store_true", help="the table only")
    arguments = parser.parse_args()
    found = results(arguments.mutants)
    print(table(found))
    if not arguments.table:
        print()
        print(survivors(found))


if __name__ == "__main__":
    main()
