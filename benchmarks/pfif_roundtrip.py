"""PFIF export and import against casestate's own JSON, measured in the same run.

Run: .venv/bin/python benchmarks/pfif_roundtrip.py
"""

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

import casestate
from casestate.pfif import from_pfif, to_pfif
from pfif_cases import all_cases, person_for
from support import day

ROUNDS = 200


def per_round(work: Callable[[], object]) -> float:
    """Seconds one call of *work* takes, on average over the rounds."""
    start = time.perf_counter()
    for _ in range(ROUNDS):
        work()
    return (time.perf_counter() - start) / ROUNDS


def main() -> None:
    """Time both formats on the same cases and print the ratios."""
    cases = [case for case in all_cases() if not case.keyed]
    persons = {case.id: person_for(case) for case in cases}
    entries = sum(case.version for case in cases)
    document = to_pfif(cases, persons, domain="ngo.example.org")
    texts = [casestate.to_json(case) for case in cases]
    json_out = per_round(lambda: [casestate.to_json(case) for case in cases])
    json_in = per_round(lambda: [casestate.from_json(text) for text in texts])
    pfif_out = per_round(lambda: to_pfif(cases, persons, domain="ngo.example.org"))
    pfif_in = per_round(lambda: from_pfif(document, recorded_at=day(400)))
    size = sum(map(len, texts))
    print(f"{len(cases)} cases, {entries} entries; PFIF document {len(document)} bytes, JSON {size}")
    print(f"{'':8} {'JSON ms':>9} {'PFIF ms':>9} {'PFIF/JSON':>10}")
    print(f"{'export':8} {json_out * 1000:9.2f} {pfif_out * 1000:9.2f} {pfif_out / json_out:10.1f}")
    print(f"{'import':8} {json_in * 1000:9.2f} {pfif_in * 1000:9.2f} {pfif_in / json_in:10.1f}")


if __name__ == "__main__":
    main()
