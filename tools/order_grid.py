"""The pairs of reports in casestate's default workflow whose outcome still depends on their order of arrival.

    .venv/bin/python tools/order_grid.py                              # every starting case
    .venv/bin/python tools/order_grid.py --start missing --start 'captured(video)'
    .venv/bin/python tools/order_grid.py --out grid.json --summarise-only    # the classes of a run kept

The editable install puts casestate on the path: no ``PYTHONPATH`` is needed.

Each starting case (``STARTS``: a case opened missing on 1 February, and the
reports that took it to its status) meets every pair of reports an app may
send: each report rule of the default workflow, with evidence of each tier
(``EVIDENCE``) and a time some days from when the status took effect
(``OFFSETS``), both recorded after everything the case holds. A pair is
applied in both orders, the second an hour after the first; pairs that one
order refuses are counted apart. A pair is order-dependent when the two
cases differ in their open conflicts, their periods, or what they answer as
of the instants around either report's time. Every case made is also
checked with ``casestate.testing.check_case``, and any property broken is
listed: the run then exits with status 1.

It prints, for each start, the pairs tried and the order-dependent ones; then
each class of order-dependent pairs with its starts, triggers, times, what
differs and its simplest example; and writes every order-dependent pair and
every broken property to ``--out`` (JSON), which ``--summarise-only`` reads
back. All the starts take about 5 minutes on 2 cores (two worker
processes); one or two ``--start`` take about a minute, enough to check a
change to a rule. ``--summarise-only`` prints the classes again from
``--out`` (those of the ``--start`` cases, if given), as the run printed them.

S below is when the starting case's status took effect; a report's time lies
before the case was opened, in the period before the status, at S, or after
S. A pair takes the first class that fits, in the order 1, 2, 7, 11, 4, 5, 3,
6, 8, 10, 9. A rival is a report kept as a rival report or outweighed, or one
that displaces the report that began the status.

- 1 before-opening: one report is about a time before the case was opened.
- 2 opening-instant: the case is still missing, and one report (not both) is about the instant it was opened.
- 7 place-only: each report makes the same kind of entry in either order; only the as-of answers differ.
- 11 agreeing-same-instant: both are about one instant, and whichever comes first moves the case,
  the other corroborating it.
- 4 rival-overtaken-by-move: the earlier report (up to S) is a rival when it comes first,
  and the later one (after S) moves the case past it.
- 5 late-or-agreeing-vs-rival-after-S: the later report (after S) is a rival in one order,
  the earlier one (up to S) a late or agreeing report.
- 3 late-period-lost: the earlier report (up to S) coming first is kept as an earlier period, and the
  later one (after S) is a rival in neither order: the period it tells may be lost when it comes second.
- 6 corroboration-vs-conflict: a report corroborates in one order and is a conflict (an illegal
  transition, or earlier than the current status) in the other, and the other report is never a rival.
- 8 both-after-S: both reports are about times after S.
- 10 rivals-with-status-report: the earlier report is up to S, and a rival is involved.
- 9 two-late-reports: the earlier report is up to S, and no rival is involved.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from multiprocessing import Pool
from pathlib import Path
from typing import NamedTuple, TypeAlias, TypedDict

import attrs

import casestate as cs
from casestate import Actor, Case, Change, Evidence
from casestate.testing import check_case

WF = cs.DEFAULT_WORKFLOW
SALT = bytes(16)
TICK = timedelta(microseconds=1)
WORKERS = 2
"""Worker processes, one starting case each at a time."""
ERROR_CHARS = 200
"""How much of a broken property's message is kept."""
SHOWN_BROKEN = 10
"""How many broken properties are printed (all are written to the JSON)."""
SHOWN_TRIGGERS = 8
"""How many pairs of triggers a class lists."""
SHOWN_TIMES = 6
"""How many combinations of times a class lists."""
SHOWN_ANSWERS = 4
"""How many differing as-of answers an example shows."""

Key: TypeAlias = tuple[str, str, str, float]
"""A report of a pair, as written: its trigger, evidence kind, role and offset in days."""
Answer: TypeAlias = tuple[str, str] | None
"""An as-of answer: fate and whereabouts, or ``None`` before the case was opened."""


class Item(NamedTuple):
    """A report a pair may hold: its rule, its evidence, and its time."""

    trigger: str
    kind: str
    role: str
    offset: float
    """Days from when the starting case's status took effect."""
    when: datetime


class Observed(NamedTuple):
    """What a case holds after a pair, compared between the two orders."""

    conflicts: list[tuple[str, str | None]]
    periods: list[tuple[str, str]]
    answers: list[Answer]


class Order(TypedDict):
    """One order of an order-dependent pair: what each report became, and what the case then held."""

    kinds: list[str]
    conflicts: list[tuple[str, str | None]]
    periods: list[tuple[str, str]]
    answers: list[tuple[str, Answer]]
    """Only the answers that differ from the other order's, with their instants."""


class Pair(TypedDict):
    """An order-dependent pair of reports, *x* and *y*, and what each order gave."""

    start: str
    status_since: str
    x: Key
    y: Key
    differs: list[str]
    x_then_y: Order
    y_then_x: Order


class Broken(NamedTuple):
    """A property ``check_case`` found broken, in one order of a pair."""

    start: str
    x: Key
    y: Key
    order: str
    error: str


class StartResult(NamedTuple):
    """The figures and findings of one starting case."""

    label: str
    tried: int
    dependent: int
    skipped_rejected: int
    found: list[Pair]
    broken: list[Broken]


class Normalised(NamedTuple):
    """A pair with its earlier-effective report first, and how far apart the two are."""

    earlier: Key
    later: Key
    earlier_first: Order
    later_first: Order
    relation: str


class Kinds(NamedTuple):
    """What each report of a pair became, short: arriving first and arriving second."""

    earlier_first: str
    earlier_second: str
    later_first: str
    later_second: str


def dated(month: int, number: int, hour: int = 12) -> datetime:
    """An instant of 2024, in UTC."""
    return datetime(2024, month, number, hour, tzinfo=UTC)


OPENED_AT = dated(2, 1)


def change(
    trigger: str,
    role: str,
    kind: str,
    effective: datetime,
    *,
    ident: str | None = None,
    recorded: datetime | None = None,
    obtained: datetime | None = None,
) -> Change:
    """A change of a starting case, by *role* with one piece of evidence of *kind*."""
    recorded = recorded or effective + timedelta(hours=6)
    obtained = obtained or recorded
    who = Actor(ident or f"{role}-start", role)
    return Change(
        trigger=trigger,
        actor=who,
        evidence=[Evidence(kind, f"{kind}/{who.id}/{effective:%m%d%H}", f"source of {kind}", obtained)],
        effective_at=effective,
        recorded_at=recorded,
        salt=SALT,
    )


def opened() -> Case:
    """The case every start begins from: opened missing on 1 February."""
    return WF.open(
        "grid-1", actor=Actor("olena-k", "family"), effective_at=OPENED_AT, recorded_at=dated(2, 2), salt=SALT
    )


M1, M10 = dated(3, 1), dated(3, 10)
PRIOR_DAYS = (M10 - M1).days
"""How long the period before the status lasts, in a start of two changes."""
# Each starting case: the changes that lead to it from the case opened missing on 1 February.
STARTS: dict[str, list[Change]] = {
    "missing": [],
    "captured(video)": [change("report_captured", "family", "video", M1)],
    "captured(wounded->card)": [
        change("report_wounded", "unit", "unit_notification", M1),
        change("report_captured", "icrc", "capture_card", M10),
    ],
    "wounded(notice)": [change("report_wounded", "unit", "unit_notification", M1)],
    "wounded(captured->video)": [
        change("report_captured", "family", "video", M1),
        change("report_wounded", "family", "video", M10, ident="family-start2"),
    ],
    "dead(notice)": [change("report_dead", "unit", "unit_notification", M1)],
    "dead(captured->notice)": [
        change("report_captured", "family", "video", M1),
        change("report_dead", "unit", "unit_notification", M10),
    ],
    "dead(captured->notify_death)": [
        change("report_captured", "family", "video", M1),
        change("notify_death", "icrc", "information_bureau_notice", M10),
    ],
    "confirmed(dead->dna)": [
        change("report_dead", "unit", "unit_notification", M1),
        change("confirm", "forensic_lab", "dna_match", M10),
    ],
    "confirmed(captured->card)": [
        change("report_captured", "family", "video", M1),
        change("confirm", "icrc", "capture_card", M10),
    ],
    "repatriated(captured->exchange)": [
        change("report_captured", "family", "video", M1),
        change("repatriate", "icrc", "exchange_list", M10),
    ],
    "repatriated(dead->handover)": [
        change("report_dead", "unit", "unit_notification", M1),
        change("repatriate", "icrc", "handover_record", M10),
    ],
}

# Evidence per report rule: (kind, role), tier 4, 3, 2; none speaks for another fate than the rule's.
EVIDENCE: dict[str, list[tuple[str, str]]] = {
    "report_captured": [("video", "family"), ("witness_statement", "unit"), ("capture_card", "icrc")],
    "report_wounded": [("video", "family"), ("witness_statement", "unit"), ("icrc_confirmation", "icrc")],
    "report_dead": [("video", "family"), ("unit_notification", "unit"), ("death_certificate", "ministry")],
    "notify_death": [("information_bureau_notice", "icrc")],
    "report_missing": [("video", "family"), ("witness_statement", "unit"), ("missing_register", "ministry")],
    "report_remains_held": [("video", "family"), ("witness_statement", "unit"), ("grave_list", "icrc")],
}
# Days from when the starting case's status took effect (2.25: the same day as 2).
OFFSETS: tuple[float, ...] = (-12, -5, -2, 0, 2, 2.25, 5)


def start_case(label: str) -> Case:
    """The starting case *label*."""
    case = opened()
    for step in STARTS[label]:
        case = WF.apply(case, step)
    return case


def items(case: Case) -> list[Item]:
    """Every (rule, evidence, time) a report of the pair may be."""
    out: list[Item] = []
    for rule in WF.rules:
        if not rule.report:
            continue
        for kind, role in EVIDENCE[rule.trigger]:
            if role not in (rule.roles or WF.roles):
                raise ValueError(f"EVIDENCE has {rule.trigger} sent by {role}, whom its rule does not permit")
            out.extend(
                Item(rule.trigger, kind, role, offset, case.status_since + timedelta(days=offset))
                for offset in OFFSETS
            )
    return out


def made(item: Item, ident: str, recorded_base: datetime) -> Change:
    """The change that sends *item*, by actor *ident* of its role, recorded at *recorded_base*."""
    return change(
        item.trigger, item.role, item.kind, item.when, ident=f"{item.role}-{ident}", recorded=recorded_base
    )


def in_order(case: Case, first: Change, second: Change) -> tuple[Case, list[str]] | None:
    """*case* with *first* then *second*, the second recorded an hour after the first; None if refused.

    With the case, what each became: the entry kind, its codes, and whether it displaces.
    """
    kinds = []
    for number, change_sent in enumerate((first, second)):
        sent = attrs.evolve(change_sent, recorded_at=change_sent.recorded_at + timedelta(hours=number))
        try:
            case = WF.apply(case, sent)
        except cs.Rejected:
            return None
        last = case.trail[-1]
        codes = "/" + ",".join(map(str, last.codes)) if last.codes else ""
        displaces = "/displaces" if last.displaces is not None else ""
        kinds.append(f"{last.kind}{codes}{displaces}")
    return case, kinds


def outcome(case: Case, instants: list[datetime]) -> Observed:
    """The open conflicts, the periods, and the as-of answers at *instants* of *case*."""
    conflicts = sorted((e.trigger, e.actor_id) for e in case.conflicts)
    periods = [(str(p.status), p.since.isoformat()) for p in case.periods]
    answers: list[Answer] = []
    for when in instants:
        then = case.as_of_effective(when)
        answers.append(None if then is None else (str(then.fate), str(then.whereabouts)))
    return Observed(conflicts, periods, answers)


def run_start(label: str) -> StartResult:
    """Every pair of reports on the starting case *label*, in both orders."""
    case = start_case(label)
    latest = max(case.last_recorded_at, case.status_since + timedelta(days=max(OFFSETS)))
    recorded = latest + timedelta(days=1)  # after all the case holds and every report's time
    pool = items(case)
    tried = dependent = 0
    skipped_rejected = 0
    broken: list[Broken] = []
    found: list[Pair] = []
    for i, j in itertools.combinations_with_replacement(range(len(pool)), 2):
        x, y = made(pool[i], "x", recorded), made(pool[j], "y", recorded)
        ahead = in_order(case, x, y)
        behind = in_order(case, y, x) if ahead is not None else None
        if ahead is None or behind is None:
            skipped_rejected += 1
            continue
        tried += 1
        instants = sorted(
            {OPENED_AT, case.status_since}
            | {
                t + d
                for t in (x.effective_at, y.effective_at)
                for d in (-TICK, timedelta(0), TICK, timedelta(days=1))
            }
        )
        a, b = outcome(ahead[0], instants), outcome(behind[0], instants)
        for name, got in (("ahead", ahead[0]), ("behind", behind[0])):
            try:
                check_case(WF, got)
            except Exception as error:  # noqa: BLE001 - whatever a check raises is a finding to list
                broken.append(Broken(label, pool[i][:4], pool[j][:4], name, str(error)[:ERROR_CHARS]))
        if a != b:
            dependent += 1
            differs = [
                name for name, u, v in zip(("conflicts", "periods", "as_of"), a, b, strict=True) if u != v
            ]
            pairs = list(zip(instants, a.answers, b.answers, strict=True))
            found.append(
                {
                    "start": label,
                    "status_since": case.status_since.isoformat(),
                    "x": pool[i][:4],
                    "y": pool[j][:4],
                    "differs": differs,
                    "x_then_y": {
                        "kinds": ahead[1],
                        "conflicts": a.conflicts,
                        "periods": a.periods,
                        "answers": [(t.isoformat(), v) for t, v, w in pairs if v != w],
                    },
                    "y_then_x": {
                        "kinds": behind[1],
                        "conflicts": b.conflicts,
                        "periods": b.periods,
                        "answers": [(t.isoformat(), w) for t, v, w in pairs if v != w],
                    },
                }
            )
    return StartResult(label, tried, dependent, skipped_rejected, found, broken)


TIER = {
    "video": 4,
    "witness_statement": 3,
    "unit_notification": 3,
    "capture_card": 2,
    "icrc_confirmation": 2,
    "death_certificate": 2,
    "information_bureau_notice": 2,
    "missing_register": 2,
    "grave_list": 2,
}


def where(rec: Pair, offset: float) -> str:
    """Where a report's time lies: before the case opened, in the period before the status, at or after it."""
    if rec["start"] == "missing":
        return "at S" if offset == 0 else ("after S" if offset > 0 else "before opening")
    if offset == 0:
        return "at S"
    if offset > 0:
        return "after S"
    return "before prior" if len(STARTS[rec["start"]]) > 1 and offset < -PRIOR_DAYS else "in prior"


def normalised(rec: Pair) -> Normalised:
    """The pair with E, the earlier-effective report, first: E, L, each's outcome arriving first, relation."""
    x, y = rec["x"], rec["y"]
    if (x[3], x[0]) <= (y[3], y[0]):
        earlier, later, earlier_first, later_first = x, y, rec["x_then_y"], rec["y_then_x"]
    else:
        earlier, later, earlier_first, later_first = y, x, rec["y_then_x"], rec["x_then_y"]
    if earlier[3] == later[3]:
        relation = "same instant"
    elif int(earlier[3]) == int(later[3]):
        relation = "same day"
    else:
        relation = "different days"
    return Normalised(earlier, later, earlier_first, later_first, relation)


def short(kind: str) -> str:
    """What a report became, in short: ``C:RR`` a rival-report conflict, ``T+d`` a displacing transition."""
    for long_form, short_form in (
        ("conflict/", "C:"),
        ("illegal_transition", "IT"),
        ("earlier_than_current", "ETC"),
        ("rival_report", "RR"),
        ("earlier_period", "EP"),
        ("transition", "T"),
        ("corroboration", "corr"),
        ("/displaces", "+d"),
    ):
        kind = kind.replace(long_form, short_form)
    return kind


RIVAL = ("C:RR", "C:RR+d", "T+d", "C:outweighed")


def conflicting(kind: str) -> bool:
    """Whether *kind* (short) is a conflict as an illegal transition or as earlier than the current status."""
    return kind.startswith("C:") and ("IT" in kind or "ETC" in kind)


def _by_time(rec: Pair, norm: Normalised, places: tuple[str, str], kinds: Kinds) -> str | None:
    """Classes 1, 2, 7 and 11: where both reports lie, or that only the as-of answers differ."""
    if "before opening" in places:
        return "1 before-opening"
    if rec["start"] == "missing" and "at S" in places and places[0] != places[1]:
        return "2 opening-instant"
    same = kinds.earlier_first == kinds.earlier_second and kinds.later_first == kinds.later_second
    if same and rec["differs"] == ["as_of"]:
        return "7 place-only"
    if norm.earlier[3] == norm.later[3] and kinds == ("T", "corr", "T", "corr"):
        return "11 agreeing-same-instant"
    return None


def _by_move(places: tuple[str, str], kinds: Kinds) -> str | None:
    """Classes 4, 5 and 3: the earlier report up to S, the later one after it."""
    if places[0] == "after S" or places[1] != "after S":
        return None
    if kinds.earlier_first in RIVAL:
        return "4 rival-overtaken-by-move"
    if kinds.later_first in RIVAL or kinds.later_second in RIVAL:
        return "5 late-or-agreeing-vs-rival-after-S"
    if kinds.earlier_first == "EP":
        return "3 late-period-lost"
    return None


def _by_conflict(kinds: Kinds) -> str | None:
    """Class 6: a report corroborates in one order and conflicts in the other, with no rival."""
    e1, e2, l1, l2 = kinds
    for first, second in ((e1, e2), (l1, l2)):
        if (first == "corr" and conflicting(second)) or (conflicting(first) and second == "corr"):
            others = (l1, l2) if (first, second) == (e1, e2) else (e1, e2)
            if not any(k in RIVAL for k in others):
                return "6 corroboration-vs-conflict"
    return None


def mechanism(rec: Pair) -> str:
    """The class of an order-dependent pair, from where its reports lie and what each became in each order."""
    norm = normalised(rec)
    places = (where(rec, norm.earlier[3]), where(rec, norm.later[3]))
    kinds = Kinds(
        short(norm.earlier_first["kinds"][0]),  # E arriving first
        short(norm.later_first["kinds"][1]),  # E arriving second
        short(norm.later_first["kinds"][0]),  # L arriving first
        short(norm.earlier_first["kinds"][1]),  # L arriving second
    )
    found = _by_time(rec, norm, places, kinds) or _by_move(places, kinds) or _by_conflict(kinds)
    if found is not None:
        return found
    if places[0] == "after S":
        return "8 both-after-S"
    if any(k in RIVAL for k in kinds):
        return "10 rivals-with-status-report"
    return "9 two-late-reports"


def example_key(rec: Pair) -> tuple[int, int, float]:
    """Simplest first: a one-change start, unverified evidence, small offsets."""
    return (
        len(STARTS[rec["start"]]),
        -TIER[rec["x"][1]] - TIER[rec["y"][1]],
        abs(rec["x"][3]) + abs(rec["y"][3]),
    )


def summarise(found: list[Pair]) -> dict[str, list[Pair]]:
    """Print each class of the order-dependent pairs *found*: its figures and its simplest example."""
    by_class: defaultdict[str, list[Pair]] = defaultdict(list)
    for rec in found:
        by_class[mechanism(rec)].append(rec)
    for name in sorted(by_class, key=lambda n: int(n.split()[0])):
        recs = by_class[name]
        print(f"\n=== {name}: {len(recs)} pairs")
        print("  starts :", dict(Counter(r["start"].split("(")[0] for r in recs).most_common()))
        pairs = Counter(tuple(sorted((r["x"][0], r["y"][0]))) for r in recs)
        more = max(0, len(pairs) - SHOWN_TRIGGERS)
        print("  triggers:", dict(pairs.most_common(SHOWN_TRIGGERS)), f"(+{more} more)")
        times = Counter(
            (where(r, n.earlier[3]), where(r, n.later[3]), n.relation) for r in recs for n in (normalised(r),)
        )
        print("  times  :", dict(times.most_common(SHOWN_TIMES)))
        print("  differs:", dict(Counter("+".join(r["differs"]) for r in recs).most_common()))
        best = min(recs, key=example_key)
        e, late, e_first, l_first, _ = normalised(best)
        print(f"  example: start {best['start']} (status since {best['status_since']}); E={e}; L={late}")
        for label, got in (("E first", e_first), ("L first", l_first)):
            print(f"    {label}: {got['kinds']} conflicts={got['conflicts']}")
            print(f"             periods={got['periods']}")
            print(f"             differing answers={got['answers'][:SHOWN_ANSWERS]}")
    return by_class


def _order_read_back(order: Order) -> Order:
    """*order* as JSON gives it back, with its lists that were tuples made tuples again."""
    return {
        "kinds": order["kinds"],
        "conflicts": [(trigger, actor) for trigger, actor in order["conflicts"]],
        "periods": [(status, since) for status, since in order["periods"]],
        "answers": [
            (when, None if answer is None else (answer[0], answer[1])) for when, answer in order["answers"]
        ],
    }


def read_back(rec: Pair) -> Pair:
    """*rec* as JSON gives it back, with its lists that were tuples made tuples again (as a run prints)."""
    x, y = rec["x"], rec["y"]
    return {
        "start": rec["start"],
        "status_since": rec["status_since"],
        "x": (x[0], x[1], x[2], x[3]),
        "y": (y[0], y[1], y[2], y[3]),
        "differs": rec["differs"],
        "x_then_y": _order_read_back(rec["x_then_y"]),
        "y_then_x": _order_read_back(rec["y_then_x"]),
    }


def main(arguments: list[str] | None = None) -> int:
    """Run the grid on the starts asked for (all by default), print it, and write it to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE.json",
        default=Path(tempfile.gettempdir()) / "order_grid.json",
        help="the JSON written (read, with --summarise-only); default: order_grid.json in the temp folder",
    )
    parser.add_argument(
        "--start",
        action="append",
        choices=list(STARTS),
        metavar="LABEL",
        help=f"run only this starting case (may be given again): one of {', '.join(STARTS)}",
    )
    parser.add_argument(
        "--summarise-only",
        action="store_true",
        help="run nothing: print the classes of the pairs --out holds (of the --start cases, if given)",
    )
    options = parser.parse_args(arguments)
    labels: list[str] = options.start or list(STARTS)
    out: Path = options.out
    if options.summarise_only:
        try:
            data = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            parser.error(f"--summarise-only reads the JSON a run wrote to --out; {out}: {error}")
        summarise([read_back(rec) for rec in data["found"] if rec["start"] in labels])
        return 0
    with Pool(min(WORKERS, len(labels))) as workers:
        results = workers.map(run_start, labels, chunksize=1)
    total_tried = total_dep = 0
    everything: list[Pair] = []
    broken: list[Broken] = []
    for label, tried, dependent, skipped, found, bad in results:
        print(f"{label:34} tried {tried:5}  order-dependent {dependent:4}  (pairs with a refusal: {skipped})")
        total_tried += tried
        total_dep += dependent
        everything += found
        broken += bad
    # Written before the summary, so that a reader that stops reading early loses nothing.
    with out.open("w", encoding="utf-8") as handle:
        json.dump(
            {"tried": total_tried, "dependent": total_dep, "found": everything, "broken": broken},
            handle,
            indent=1,
            default=str,
        )
    print(f"TOTAL tried {total_tried}, order-dependent {total_dep}, invariant breaks {len(broken)}")
    for b in broken[:SHOWN_BROKEN]:
        print("  broken:", tuple(b))
    summarise(everything)
    return 1 if broken else 0  # a case the library built that its own checks refuse is a defect


if __name__ == "__main__":
    sys.exit(main())
