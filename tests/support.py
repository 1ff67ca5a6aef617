"""Builders that keep the tests short: times by day number, actors by role, evidence by kind."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import multiprocessing
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import casestate
from casestate import Actor, Case, Change, Entry, Evidence, Role
from casestate._chain import GENESIS, entry_digest
from casestate.cli import main

T0 = datetime(2024, 2, 20, 6, 30, tzinfo=UTC)
"""The day the soldier was last seen."""

WORKFLOW = casestate.DEFAULT_WORKFLOW

# The people of the stories of late and contested reports.
FAMILY = Actor("olena-k", Role.FAMILY)
MINISTRY = Actor("ministry-register", Role.MINISTRY)
UNIT = Actor("unit-41", Role.UNIT)
ICRC = Actor("icrc-cta", Role.ICRC)


def day(number: float) -> datetime:
    """T0 plus *number* days."""
    return T0 + timedelta(days=number)


def actor(role: str, number: int = 1) -> Actor:
    return Actor(f"{role}-{number}", role)


def evidence(kind: str, on: float = 0) -> Evidence:
    return Evidence(kind, f"ref/{kind}/{on}", f"source of {kind}", day(on))


def change(
    trigger: str,
    by: Actor | str,
    *kinds: str,
    on: float,
    recorded: float | None = None,
    reason: str | None = None,
    resolves: tuple[int, ...] = (),
) -> Change:
    """A change effective on day *on* and recorded the same day (or on *recorded*)."""
    who = by if isinstance(by, Actor) else actor(by)
    return Change(
        trigger=trigger,
        actor=who,
        evidence=[evidence(kind, on) for kind in kinds],
        reason=reason,
        resolves=resolves,
        effective_at=day(on),
        recorded_at=day(on if recorded is None else recorded),
        salt=bytes(16),
    )


def dated(month: int, number: int) -> datetime:
    """A day of 2024 at noon UTC: the dates the stories of the field are told in."""
    return datetime(2024, month, number, 12, tzinfo=UTC)


def reports(source: str, **by_target: dict[str, object]) -> list[casestate.Rule]:
    """Report rules of an app's own workflow, from *source* into each target, as families and NGOs send them.

    Each target's keyword arguments add to its rule (a fate, a place it names).
    """
    return [
        casestate.Rule(
            trigger=f"report_{target}",
            sources={source},
            target=target,
            roles={"family", "ngo"},
            evidence=casestate.ANY_EVIDENCE,
            report=True,
            **extra,
        )
        for target, extra in by_target.items()
    ]


def told(
    trigger: str,
    by: Actor,
    *kinds: str,
    effective: datetime,
    recorded: datetime | None = None,
    obtained: datetime | None = None,
    reason: str | None = None,
    resolves: tuple[int, ...] = (),
) -> Change:
    """A change as a story tells it: what happened when, learned when, on evidence obtained when.

    Recorded when it took effect unless *recorded* says otherwise; its
    evidence obtained when it was recorded unless *obtained* says otherwise.
    """
    recorded = effective if recorded is None else recorded
    got = recorded if obtained is None else obtained
    return Change(
        trigger=trigger,
        actor=by,
        evidence=[Evidence(kind, f"{kind} {got:%d.%m}", f"source of {kind}", got) for kind in kinds],
        reason=reason,
        resolves=resolves,
        effective_at=effective,
        recorded_at=recorded,
    )


def opened(case_id: str = "case-1", by: str = Role.FAMILY, key: bytes | None = None) -> Case:
    return WORKFLOW.open(
        case_id, actor=actor(by), effective_at=day(0), recorded_at=day(1), salt=bytes(16), key=key
    )


# The right way into each status of the default workflow, from a fresh case.
PATH_TO: dict[str, list[Change]] = {
    "missing": [],
    "captured": [change("report_captured", Role.FAMILY, "video", on=10)],
    "wounded": [change("report_wounded", Role.UNIT, "medical_record", on=10)],
    "dead": [change("report_dead", Role.UNIT, "unit_notification", on=10)],
    "confirmed": [
        change("report_dead", Role.UNIT, "unit_notification", on=10),
        change("confirm", Role.FORENSIC_LAB, "dna_match", on=20),
    ],
    "repatriated": [
        change("report_captured", Role.FAMILY, "video", on=10),
        change("repatriate", Role.ICRC, "exchange_list", on=20),
    ],
}


def batch_tells_as_apply(case: Case, sent: Change) -> casestate.Verdict:
    """The verdict a :class:`casestate.Batch` that loads *case* gives *sent*, held to apply's.

    A batch keeps no trail: its verdict and where it leaves the case are
    asserted equal to ``check`` and ``apply`` on *case*.
    """
    batch = casestate.Batch(WORKFLOW, load=lambda case_id: case if case_id == case.id else None)
    verdict = batch.check(case.id, sent)
    assert verdict == WORKFLOW.check(case, sent)
    assert batch.standing(case.id) == WORKFLOW.apply(case, sent).standing
    return verdict


def missing_since_february(case_id: str = "ua-0305") -> Case:
    """Missing since 24 February, as his mother reported on 1 March: where the stories of late reports begin."""
    return WORKFLOW.open(
        case_id,
        actor=Actor("olena-k", Role.FAMILY),
        effective_at=dated(2, 24),
        recorded_at=dated(3, 1),
        salt=bytes(16),
    )


def arriving(*changes: Change, case: Case | None = None) -> Case:
    """*case* (the case missing since February) with *changes* applied in this order, each with a fixed salt."""
    case = case or missing_since_february()
    for sent in changes:
        case = WORKFLOW.apply(case, attrs.evolve(sent, salt=bytes(16)))
    return case


def fed_to_a_batch(case: Case, workflow: casestate.Workflow = WORKFLOW) -> casestate.Standing | None:
    """Where a batch that keeps no trail leaves *case*, sent every change of its trail, each accepted as apply did."""
    batch = casestate.Batch(workflow)
    for entry in case.trail:
        sent = Change(
            trigger=entry.trigger,
            actor=Actor(entry.actor_id or "", entry.role),
            evidence=entry.evidence,
            effective_at=entry.effective_at,
            recorded_at=entry.recorded_at,
            resolves=entry.resolves,
            reason=entry.reason,
        )
        verdict = batch.check(case.id, sent)
        assert verdict.outcome is not casestate.Outcome.REJECTED, verdict
    return batch.standing(case.id)


def in_turn(*changes: Change, case: Case | None = None) -> Case:
    """As :func:`arriving`, each change recorded after the one before it, whatever it says."""
    case = case or missing_since_february()
    last = case.last_recorded_at
    turned = []
    for sent in changes:
        last = max(sent.recorded_at, last + timedelta(hours=1))
        turned.append(attrs.evolve(sent, recorded_at=last))
    return arriving(*turned, case=case)


def order_story(case: Case, days: Iterable[datetime]) -> tuple[object, ...]:
    """What the order of arrival must not change: open conflicts by report, periods, as-of answers on *days*."""
    conflicts = sorted((entry.trigger, entry.actor_id, entry.effective_at) for entry in case.conflicts)
    answers = []
    for when in days:
        then = case.as_of_effective(when)
        assert then is not None
        contesting = sorted(case.trail[seq].trigger for seq in then.contested_by)
        answers.append((then.status, then.fate, then.whereabouts, contesting))
    return conflicts, [(period.status, period.since) for period in case.periods], answers


def resealed(entries: Iterable[Entry]) -> list[Entry]:
    """Recompute every prev_hash and hash, as a forger without a key can for a plain chain."""
    previous, out = GENESIS, []
    for original in entries:
        linked = attrs.evolve(original, prev_hash=previous)
        linked = attrs.evolve(linked, hash=entry_digest(linked, None))
        out.append(linked)
        previous = linked.hash
    return out


def last_forged(case: Case, **fields: object) -> list[Entry]:
    """*case*'s trail with its last entry's *fields* changed and the chain resealed: a forger's work."""
    return resealed([*case.trail[:-1], attrs.evolve(case.trail[-1], **fields)])


def case_in(status: str, key: bytes | None = None) -> Case:
    case = opened(key=key)
    for step in PATH_TO[status]:
        case = WORKFLOW.apply(case, step, key=key)
    assert case.status == status
    return case


# -- the command line, run as a user runs it ----------------------------------------

EXAMPLES = Path(__file__).parent.parent / "examples"
"""The example feeds the docs and the tutorials use."""


TOOLS = Path(__file__).parent.parent / "tools"


def script(path: Path, module_name: str):
    """The script at *path* (in tools/ or examples/, which are no packages), loaded as module *module_name*."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tool(name):
    """The script tools/<name>.py, loaded as a module."""
    return script(TOOLS / f"{name}.py", f"{name}_tool")


JSONL = EXAMPLES / "changes.jsonl"


CSV = EXAMPLES / "changes.csv"


def run(*args, **kwargs):
    result = CliRunner().invoke(main, [str(arg) for arg in args], **kwargs)
    # A user never sees a traceback: every failure ends in an exit status.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def record(case_id="ua-0173", trigger="report_dead", **fields):
    data = {
        "case_id": case_id,
        "trigger": trigger,
        "actor_id": "unit-41-hq",
        "role": "unit",
        "effective_at": "2024-03-02T12:00:00Z",
        "recorded_at": "2024-03-10T09:00:00Z",
        "evidence": [
            {
                "kind": "unit_notification",
                "reference": "notice 41/118",
                "source": "unit 41 HQ",
                "obtained_at": "2024-03-10T09:00:00Z",
            }
        ],
    }
    data.update(fields)
    return data


def opening(case_id="ua-0173"):
    return {
        "case_id": case_id,
        "trigger": "open",
        "actor_id": "mothers-committee",
        "role": "ngo",
        "effective_at": "2024-02-20T06:30:00+02:00",
        "recorded_at": "2024-03-01T10:00:00+02:00",
    }


def write_lines(path, *lines):
    path.write_text("".join((json.dumps(line) if isinstance(line, dict) else line) + "\n" for line in lines))
    return path


def run_installed(*args, stdin=None, **env):
    """Run the installed ``casestate`` command, as a shell would."""
    command = Path(sys.executable).parent / "casestate"
    return subprocess.run(  # noqa: S603 - the installed command, with arguments from this file
        [str(command), *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
        timeout=120,
    )


def _everything_shown(leader):
    """What a pseudo-terminal showed until its command closed it; the terminal closed."""
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed once everything was read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return shown


def on_a_terminal(*args, **env):
    """Run casestate with its standard error on a pseudo-terminal; what the terminal showed."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    command = Path(sys.executable).parent / "casestate"
    result = subprocess.run(  # noqa: S603 - the installed command, with arguments from this file
        [str(command), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "TERM": "xterm", **env},
        check=False,
        timeout=120,
    )
    os.close(follower)
    shown = _everything_shown(leader)
    return result, shown.decode("utf-8", "replace")


def in_a_terminal(*args, columns, **env):
    """Run casestate with its output on a pseudo-terminal *columns* wide; what the terminal showed."""
    pty = pytest.importorskip("pty")
    import fcntl  # noqa: PLC0415 - with pty: only where there are terminals
    import struct  # noqa: PLC0415
    import termios  # noqa: PLC0415

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    command = Path(sys.executable).parent / "casestate"
    environment = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
    process = subprocess.Popen(  # noqa: S603 - the installed command, with arguments from this file
        [str(command), *map(str, args)],
        stdout=follower,
        stderr=follower,
        env={**environment, "TERM": "xterm", "NO_COLOR": "1", **env},
    )
    os.close(follower)
    shown = _everything_shown(leader)
    process.wait(timeout=120)
    return process.returncode, shown.decode("utf-8", "replace").replace("\r\n", "\n")


DOCS = Path(__file__).parent.parent / "docs"


def built_page(folder, page, text, *, builder="html", overrides=""):
    """*text* as the page *page* of a docs build with the docs' own configuration (and *overrides*).

    What the builder wrote for the page, and the folder it wrote to.
    """
    from sphinx.cmd.build import build_main  # noqa: PLC0415 - the docs extra, for the docs tests only

    source = folder / "source"
    source.mkdir()
    (source / "conf.py").write_text(
        "from pathlib import Path\n"
        f"__file__ = {str(DOCS / 'conf.py')!r}\n"
        "exec(Path(__file__).read_text(encoding='utf-8'))\n"
        f"html_static_path = [{str(DOCS / '_static')!r}]\n{overrides}",
        encoding="utf-8",
    )
    (source / page).write_text(text, encoding="utf-8")
    out = folder / "out"
    assert build_main(["-q", "-b", builder, str(source), str(out)]) == 0
    suffix = ".txt" if builder == "text" else ".html"
    return (out / Path(page).with_suffix(suffix).name).read_text(encoding="utf-8"), out


GOOD_RECORD = {
    "case_id": "ua-0173",
    "trigger": "report_dead",
    "actor_id": "unit-41-hq",
    "role": "unit",
    "effective_at": "2024-03-02T12:00:00+02:00",
    "recorded_at": "2024-03-10T09:15:00Z",
    "evidence": [
        {
            "kind": "unit_notification",
            "reference": "notice 41/118",
            "source": "unit 41 HQ",
            "obtained_at": "2024-03-10T09:00:00Z",
        }
    ],
    "reason": "the unit's notice to the family",
}


def rehashed(data):
    """*data* with every entry's hash and link recomputed, as whoever rewrites a plain trail can."""
    previous = "0" * 64
    for entry in data["entries"]:
        entry["prev_hash"] = previous
        public = {name: value for name, value in entry.items() if name not in ("hash", "private")}
        canonical = json.dumps(public, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        entry["hash"] = previous = hashlib.sha256(
            b"casestate/entry/1\n" + canonical.encode("ascii")
        ).hexdigest()
    return data


def in_processes(function: Callable[..., object], calls: Sequence[tuple[object, ...]]) -> list[object]:
    """What *function* returns for each of *calls*, each in a fresh process of its own, all at once.

    A worker that dies (killed, out of memory) fails the test with ``BrokenProcessPool``; a
    ``multiprocessing.Pool`` would wait for its result forever.
    """
    with ProcessPoolExecutor(len(calls), mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(function, *zip(*calls, strict=True)))
