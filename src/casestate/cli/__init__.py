"""The casestate command line: ``casestate demo`` and the integrators' commands.

Every command reads and writes through casestate's public API; faults in the
input are reported, never raised as tracebacks.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

try:
    import click
except ImportError as missing:  # pragma: no cover - only without the extra
    msg = "the casestate command line needs its extra: pip install 'casestate[cli]'"
    raise ImportError(msg, name=missing.name) from missing

from casestate import verify as verify_trail

from ._apply import apply
from ._console import out
from ._graph import graph
from ._language import Speaker, lang_option
from ._pfif import pfif
from ._proofs import check_proof, checkpoint, consistency, erase, keygen, prove
from ._show import show, trail_view
from ._shown import Commands, bold, shown
from ._stores import StoreFault, opened_store
from ._stories import STORIES, WORKFLOW, tell_into
from ._times import Zone, zone_option
from ._trails import export, verify
from ._validate import validate


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="casestate")
def main() -> None:
    """casestate: the status workflow of missing persons' cases, with a tamper-evident trail."""


@main.command()
@click.option(
    "--path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The SQLite store to build (default: a new one in a temporary folder).",
)
@zone_option
@lang_option
def demo(path: Path | None, zone: Zone, say: Speaker) -> None:
    """Build a sample store from realistic stories and show what happened to each case."""
    console = out()
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="casestate-demo-")) / "cases.db"
    elif path.exists():
        raise StoreFault(f"{path} exists already; give the demo a new file to build")
    path.parent.mkdir(parents=True, exist_ok=True)
    with opened_store(str(path), WORKFLOW, None, create=True) as held:
        assert held is not None  # noqa: S101 - a path was given
        for story in STORIES:
            told = tell_into(held.store, story)
            case = told.case
            console.print(f"\n[bold]{shown(case.id)}[/bold]: {shown(story.summary)}")
            console.print(trail_view(console, case, zone, say))
            for refusal in told.refused:
                change = refusal.change
                refused = say(
                    "after entry {after}: {trigger} by {role}: {actor}, effective {when}",
                    after=refusal.after,
                    trigger=shown(say.name("trigger", change.trigger)),
                    role=shown(say.name("role", change.actor.role)),
                    actor=shown(change.actor.id),
                    when=zone.when(change.effective_at),
                )
                what = say("refused")
                console.print(f"  [red]{what}[/red] {refused}")
                for reason in refusal.rejection.reasons:
                    console.print(f"    [red]{reason.code}[/red]: {shown(say.reason(reason))}")
            conflicts = (
                say(", open conflicts: {conflicts}", conflicts=list(case.open_conflicts))
                if case.has_conflict
                else ""
            )
            now = say(
                "now: {status}, fate {fate}, assurance {assurance}{conflicts}; trail {intact}",
                status=bold(say.name("status", case.status)),
                fate=say.term(case.fate),
                assurance=say.term(case.assurance),
                conflicts=conflicts,
                intact=say("intact") if verify_trail(case.trail) else say("BROKEN"),
            )
            console.print(f"  {now}")
    console.print("\n" + say("The sample store is {path}. Try:", path=shown(str(path))))
    console.print(f"  casestate show ua-0201 --store {shown(str(path))}")
    console.print(f"  casestate verify --store {shown(str(path))}")
    console.print(f"  casestate export --store {shown(str(path))} --redacted")


main.add_command(validate)
main.add_command(apply)
main.add_command(show)
main.add_command(graph)
main.add_command(export)
main.add_command(verify)
main.add_command(pfif)
main.add_command(keygen)
main.add_command(checkpoint)
main.add_command(prove)
main.add_command(consistency)
main.add_command(check_proof)
main.add_command(erase)
