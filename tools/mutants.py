"""Break casestate's rules on purpose and see whether the property tests notice.

Each mutant is a deliberate bug, applied to a copy of ``src/``; the property
tests then run against that copy. A mutant the tests fail on is *killed*; one
they pass is a *survivor*, printed with why it survives.

    .venv/bin/python tools/mutants.py            # every mutant
    .venv/bin/python tools/mutants.py -k hmac    # those whose name contains "hmac"

The tests run under the ``mutants`` hypothesis profile (no shrinking, no
example database) with a fixed seed, so a report can be reproduced.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ["tests/core/test_workflow_properties.py", "tests/kit/test_tamper_properties.py"]
SEED = "0"


@dataclass(frozen=True)
class Mutant:
    """One deliberate bug: text replaced in one module of the source."""

    name: str
    bug: str
    module: str
    edits: tuple[tuple[str, str], ...]
    survives_because: str = ""
    """For a mutant expected to survive: why no property can tell it apart."""


_RULE_FIELD = "\n" + " " * 12  # the indentation of a Rule's fields in _default.py

MUTANTS = [
    Mutant(
        "relative-confirms",
        "a relative may confirm (the default workflow's confirm rule lets family fire it)",
        "_default.py",
        (
            (
                f"roles=AUTHORITIES,{_RULE_FIELD}evidence=_OFFICIAL,{_RULE_FIELD}description=",
                f'roles=AUTHORITIES | {{"family"}},{_RULE_FIELD}evidence=_OFFICIAL,{_RULE_FIELD}description=',
            ),
        ),
    ),
    Mutant(
        "relative-confirms-in-engine",
        "the decision lets family fire any rule",
        "_decide.py",
        (
            (
                "if role not in rule.roles and not (",
                'if role != "family" and role not in rule.roles and not (',
            ),
        ),
    ),
    Mutant(
        "prev-hash-not-hashed",
        "the previous hash is left out of the hash input",
        "_chain.py",
        (("""f'"prev_hash":{_quote(prev_hash)},'""", """f'"prev_hash":{_quote(GENESIS)},'"""),),
    ),
    Mutant(
        "commitment-not-hashed",
        "the commitment to the personal data is left out of the hash input",
        "_chain.py",
        (("""f'"commitment":{_quote(commitment)},'""", """f'"commitment":{_quote(GENESIS)},'"""),),
    ),
    Mutant(
        "hmac-key-ignored",
        "a keyed chain is hashed with plain SHA-256 (the key only labels it)",
        "_chain.py",
        (
            (
                "    if key is None:\n        return hashlib.sha256(",
                "    if True:\n        return hashlib.sha256(",
            ),
        ),
    ),
    Mutant(
        "rejected-bumps-version",
        "a rejected change is recorded anyway (as a conflict entry), so the version moves",
        "_engine.py",
        (
            (
                (
                    "    if verdict.outcome is Outcome.REJECTED or decided.kind is None"
                    " or decided.since is None:\n"
                    "        raise Rejected(case.id, verdict)\n"
                    "    kind = decided.kind\n"
                ),
                "    kind = decided.kind or EntryKind.CONFLICT\n",
            ),
            ("        decided.since,\n", "        decided.since or case.status_since,\n"),
        ),
    ),
    Mutant(
        "no-evidence-check",
        "the evidence check is skipped",
        "_decide.py",
        (("    needs = rule.evidence\n", "    needs = None\n"),),
    ),
    Mutant(
        "evidence-strength-unchecked",
        "any evidence is enough, however weak",
        "_decide.py",
        (("elif not _any_accepted(needs, change.evidence):", "elif not change.evidence:"),),
    ),
    Mutant(
        "time-goes-backwards",
        "recorded times are not compared with the last entry: time may go backwards",
        "_decide.py",
        (("    if change.recorded_at < last:\n", "    if change.recorded_at < last and False:\n"),),
    ),
    Mutant(
        "anyone-retracts",
        "anyone may retract, not only the reporter (the actor id is not compared)",
        "_decide.py",
        (("case.reporter_id == change.actor.id", "case.reporter_id is not None"),),
    ),
    Mutant(
        "conflicts-rejected",
        "a contradicting report is rejected instead of kept as a conflict",
        "_decide.py",
        (
            (
                "        if rule.report:\n            verdict = Verdict(Outcome.CONFLICT",
                "        if False:\n            verdict = Verdict(Outcome.CONFLICT",
            ),
        ),
    ),
    Mutant(
        "fate-lost",
        "confirmed and repatriated forget the fate they carry",
        "_decide.py",
        (
            (
                "    fate = claimed if claimed is not None else case.fate\n",
                "    fate = claimed if claimed is not None else Fate.UNKNOWN\n",
            ),
        ),
    ),
    Mutant(
        "half-waiting-period",
        "half the waiting period is enough",
        "_decide.py",
        (("if waited < rule.waiting_period:", "if waited < rule.waiting_period / 2:"),),
    ),
    Mutant(
        "dismissal-without-reason",
        "a dismissal needs no reason",
        "_decide.py",
        (
            (
                '    if change.reason is None:\n        reasons.append(Reason(Code.REASON_REQUIRED, "a dis',
                '    if False:\n        reasons.append(Reason(Code.REASON_REQUIRED, "a dis',
            ),
        ),
    ),
    Mutant(
        "as-of-recorded-off-by-one",
        "as_of_recorded leaves out the entries recorded at exactly the time asked about",
        "_case.py",
        (
            (
                "            if entry.recorded_at > when:\n                break\n            count += 1",
                "            if entry.recorded_at >= when:\n                break\n            count += 1",
            ),
        ),
    ),
    Mutant(
        "codes-sorted-in-json",
        "JSON writes a conflict's codes sorted, not in their recorded order",
        "_json.py",
        (
            (
                '"codes": [code.value for code in entry.codes],',
                '"codes": sorted(code.value for code in entry.codes),',
            ),
        ),
    ),
    Mutant(
        "redacted-export-leaks",
        "the redacted export keeps the personal data",
        "_json.py",
        (("    entries = redact(case.trail) if redacted else case.trail\n", "    entries = case.trail\n"),),
    ),
    Mutant(
        "sequence-unchecked",
        "verify does not compare sequence numbers with positions",
        "_chain.py",
        (("    if entry.seq != position:\n", "    if False:\n"),),
        survives_because=(
            "a redundant defence: every removal, insertion or move also breaks the previous-hash link, "
            "and seq is inside the hash, so verify still fails (with another problem named)"
        ),
    ),
    Mutant(
        "fate-unchecked",
        "evidence may speak for the other fate than the change gives",
        "_decide.py",
        (("    if fate is None or fate is Fate.UNKNOWN:\n        return\n", "    return\n"),),
    ),
    Mutant(
        "late-evidence-accepted",
        "evidence obtained after the change was recorded is taken",
        "_decide.py",
        (
            (
                "late = [item for item in change.evidence if item.obtained_at > change.recorded_at]",
                "late = [item for item in change.evidence if False]",
            ),
        ),
    ),
    Mutant(
        "anyone-settles-conflicts",
        "any role may settle conflicts on the way, not only those that may dismiss them",
        "_decide.py",
        (
            (
                "if change.trigger != DISMISS and change.actor.role not in workflow.dismiss_roles:",
                "if False:",
            ),
        ),
    ),
    Mutant(
        "reverts-ignored",
        "a retraction or reopening starts a new period instead of resuming the old one",
        "_decide.py",
        (("    if rule.reverts:\n", "    if False:\n"),),
    ),
    Mutant(
        "corroboration-by-fate-missed",
        "a report of the fate a status keeps is kept as a conflict, not a corroboration",
        "_decide.py",
        (
            (
                "(rule.target == case.status or (current.fate is None and claimed is case.fate))",
                "rule.target == case.status",
            ),
        ),
    ),
]


def _copy_with(mutant: Mutant | None, into: Path) -> Path:
    source = into / "src"
    shutil.copytree(ROOT / "src", source, ignore=shutil.ignore_patterns("__pycache__"))
    if mutant is None:
        return source
    path = source / "casestate" / mutant.module
    text = path.read_text(encoding="utf-8")
    for old, new in mutant.edits:
        if text.count(old) != 1:
            msg = (
                f"mutant {mutant.name}: expected the text to mutate exactly once in {mutant.module}: {old!r}"
            )
            raise SystemExit(msg)
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return source


def _run(mutant: Mutant | None) -> tuple[bool, str, float]:
    """Run the property tests against a copy of the source; (passed, first failure, seconds)."""
    with tempfile.TemporaryDirectory(prefix="casestate-mutant-") as scratch:
        source = _copy_with(mutant, Path(scratch))
        env = {**os.environ, "PYTHONPATH": str(source), "HYPOTHESIS_PROFILE": "mutants"}
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
        command += [f"--hypothesis-seed={SEED}", "-o", "addopts=", *TESTS]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        check = subprocess.run(
            [sys.executable, "-c", "import casestate; print(casestate.__file__)"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        if not check.stdout.startswith(str(source)):
            msg = f"the copy was not imported: {check.stdout.strip()}"
            raise SystemExit(msg)
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
    return done.returncode == 0, failed[0].removeprefix("FAILED ") if failed else "", seconds


def main() -> int:
    """Run the property tests on the source as it is, then on each mutant; print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only the mutants whose name contains this")
    chosen = [mutant for mutant in MUTANTS if parser.parse_args().k in mutant.name]
    passed, failure, seconds = _run(None)
    if not passed:
        print(f"the property tests fail on the unmutated source: {failure}")
        return 2
    print(f"unmutated source: the property tests pass ({seconds:.0f} s)\n")
    killed = 0
    for mutant in chosen:
        passed, failure, seconds = _run(mutant)
        if passed:
            why = mutant.survives_because or "UNEXPECTED: no property notices this bug"
            print(f"SURVIVED {mutant.name} ({seconds:.0f} s): {mutant.bug}\n         why: {why}")
        else:
            killed += 1
            print(f"killed   {mutant.name} ({seconds:.0f} s): {mutant.bug}\n         by: {failure}")
    print(f"\n{killed} of {len(chosen)} mutants killed, {len(chosen) - killed} survived")
    unexpected = [m for m in chosen if not m.survives_because]
    return 0 if killed >= len(unexpected) else 1


if __name__ == "__main__":
    sys.exit(main())
