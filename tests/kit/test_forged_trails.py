"""The kit's own walk catches a trail the checked workflow's rules did not make.

A forger without a key can reseal a plain chain, and a case made under a laxer
workflow verifies and replays as well as any: replay does not know the rules.
``check_case`` must name the rule each such trail breaks. Each forgery below is
one that replay accepts, so only the kit stands between it and the app.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

import attrs
import pytest

import casestate as cs
from casestate.testing import BrokenInvariant, check_case
from support import WORKFLOW, actor, case_in, change, day, resealed, told

pytestmark = pytest.mark.filterwarnings("ignore::casestate.WorkflowWarning")


def forged(case: cs.Case, seq: int, **changes: object) -> cs.Case:
    """*case* with entry *seq* changed as *changes* say, the chain resealed, replayed."""
    trail = list(case.trail)
    trail[seq] = attrs.evolve(trail[seq], **changes)
    return cs.replay(resealed(trail))


def made_under(
    workflow: cs.Workflow, *steps: cs.Change, status: str = "missing", case: cs.Case | None = None
) -> cs.Case:
    """*case*, or a case in *status*, that *workflow* then took through *steps*."""
    case = case_in(status) if case is None else case
    for step in steps:
        case = workflow.apply(case, step)
    return case


def kept_as_conflict() -> cs.Case:
    """Confirmed dead on day 20, then a wound of day 25: a report not legal from there, kept as a conflict."""
    case = made_under(WORKFLOW, change("report_wounded", "family", "video", on=25), status="confirmed")
    assert case.trail[-1].kind is cs.EntryKind.CONFLICT
    return case


def corroborated() -> cs.Case:
    """Dead on day 10 by the unit's notice, then a witness of day 12 who saw the body."""
    case = made_under(WORKFLOW, change("report_dead", "family", "witness_statement", on=12), status="dead")
    assert case.trail[-1].kind is cs.EntryKind.CORROBORATION
    return case


DOSSIER = cs.EvidenceKindDef("dossier", 2)
"""A registry's own kind of evidence, that speaks for no fate and attests nothing past."""


def dead_by_dossier(*, obtained: float = 10) -> cs.Case:
    """Reported dead on day 10 on a dossier obtained on day *obtained*."""
    return made_under(
        WORKFLOW.with_evidence_kinds(DOSSIER),
        told("report_dead", actor("unit"), "dossier", effective=day(10), obtained=day(obtained)),
    )


def still_missing_after_a_capture() -> cs.Case:
    """Captured on day 10, then "still missing" on day 12: kept as a conflict."""
    case = made_under(
        WORKFLOW, change("report_missing", "family", "witness_statement", on=12), status="captured"
    )
    assert case.trail[-1].kind is cs.EntryKind.CONFLICT
    return case


def recognised_missing() -> cs.Case:
    """A court's finding of day 20 that he is missing: a fact."""
    return made_under(WORKFLOW, change("recognise_missing", "court", "court_decision", on=20))


class Forgery(NamedTuple):
    make: Callable[[], cs.Case]
    """Builds the forged case."""
    message: str
    """What the kit must say of it."""
    checked_under: cs.Workflow = WORKFLOW
    """The workflow the case is checked against, where the forgery is the workflow's and not the trail's."""


FORGERIES: dict[str, Forgery] = {
    "a role the workflow does not have": Forgery(
        lambda: forged(case_in("dead"), 1, role="stranger"),
        "role 'stranger' is not one of the workflow's",
    ),
    "a change that takes effect after it was recorded": Forgery(
        lambda: forged(case_in("dead"), 1, effective_at=day(11)),
        "takes effect after it was recorded",
    ),
    "a trigger no rule has": Forgery(
        lambda: made_under(
            WORKFLOW.with_rules(
                cs.Rule(trigger="report_alive", sources={"missing"}, target="captured", roles=cs.EVERYONE)
            ),
            change("report_alive", "family", on=10),
        ),
        "no rule has this trigger",
    ),
    "a status the workflow cannot reach": Forgery(
        lambda: made_under(
            WORKFLOW.extend(
                statuses=[cs.StatusDef("exchanged", fate=cs.Fate.ALIVE, final=True)],
                rules=[cs.Rule(trigger="exchange", sources={"captured"}, target="exchanged", roles={"icrc"})],
            ),
            change("exchange", "icrc", on=20),
            status="captured",
        ),
        "status 'exchanged' cannot be reached",
    ),
    "a case opened in another status": Forgery(
        lambda: attrs.evolve(WORKFLOW, initial="wounded").open(
            "case-1", actor=actor("family"), effective_at=day(0), recorded_at=day(0)
        ),
        "entry 0 does not open the case in 'missing'",
    ),
    "evidence of a kind the workflow does not know": Forgery(
        lambda: made_under(
            WORKFLOW.with_evidence_kinds(DOSSIER), change("report_dead", "unit", "dossier", on=10)
        ),
        "holds evidence of kind 'dossier', which the workflow does not know",
    ),
    "a transition without the evidence its rule needs": Forgery(
        lambda: made_under(
            WORKFLOW.replace_rule("confirm", evidence=None), change("confirm", "icrc", on=20), status="dead"
        ),
        "entered without evidence of tier 2 or stronger",
    ),
    "a retraction without the reason its rule needs": Forgery(
        lambda: made_under(
            WORKFLOW.replace_rule("retract", reason_required=False),
            change("retract", "ministry", on=20),
            status="dead",
        ),
        "no written reason, which the rule requires",
    ),
    "a dismissal by a role that may not dismiss": Forgery(
        lambda: WORKFLOW.extend(dismiss_roles=[*WORKFLOW.dismiss_roles, "family"]).apply(
            kept_as_conflict(), change("dismiss", "family", on=30, reason="not him", resolves=(3,))
        ),
        "may not dismiss conflicts",
    ),
    "a move to another status than its rule's": Forgery(
        lambda: made_under(
            WORKFLOW.replace_rule("report_remains_held", target="captured"),
            change("report_remains_held", "family", "witness_statement", on=10),
        ),
        "'missing' -> 'captured' is not the rule's move",
    ),
    "a declaration of death before its waiting period": Forgery(
        lambda: made_under(
            WORKFLOW.replace_rule("declare_dead", waiting_period=None),
            change("declare_dead", "court", "court_decision", on=30),
        ),
        "fired before its waiting period was over",
    ),
    "a confirmation that gives another fate": Forgery(
        lambda: made_under(
            WORKFLOW.replace_rule("confirm", fate=cs.Fate.ALIVE),
            change("confirm", "icrc", "dna_match", on=20),
            status="dead",
        ),
        "fate alive, the rule gives dead",
    ),
    "a move that gives another place": Forgery(
        lambda: made_under(
            WORKFLOW.replace_rule("report_dead", whereabouts=cs.Whereabouts.HELD),
            change("report_dead", "unit", "unit_notification", on=10),
        ),
        "whereabouts held, the rule gives unknown",
    ),
    "a move that is no report kept without moving the case": Forgery(
        lambda: made_under(
            WORKFLOW.replace_rule("confirm", report=True), change("confirm", "icrc", "dna_match", on=20)
        ),
        "only a report can be kept without moving the case",
    ),
    "a conflict passed off as a corroboration": Forgery(
        lambda: forged(kept_as_conflict(), 3, kind=cs.EntryKind.CORROBORATION, codes=()),
        "corroborates 'wounded' while the case is 'confirmed'",
    ),
    "a corroboration that claims more assurance than its evidence gives": Forgery(
        lambda: forged(corroborated(), 2, assurance=cs.Assurance.IDENTIFIED),
        "assurance identified, the evidence gives",
    ),
    "a conflict kept with the wrong codes": Forgery(
        lambda: forged(kept_as_conflict(), 3, codes=(cs.Code.EARLIER_THAN_CURRENT,)),
        "kept as a conflict with",
    ),
    "a transition that claims more assurance than its rule gives": Forgery(
        lambda: forged(case_in("dead"), 1, assurance=cs.Assurance.IDENTIFIED),
        "assurance identified, expected",
    ),
    "a corroboration passed off as a move": Forgery(
        lambda: forged(corroborated(), 2, kind=cs.EntryKind.TRANSITION),
        "a report that agrees with the case moved it",
    ),
    "a settlement by a role that may not dismiss": Forgery(
        lambda: made_under(
            WORKFLOW.extend(dismiss_roles=[*WORKFLOW.dismiss_roles, "family"]),
            change("report_dead", "family", "witness_statement", on=15, resolves=(2,)),
            case=still_missing_after_a_capture(),
        ),
        "role 'family' settled conflicts it may not dismiss",
    ),
    "tiers recorded for built-in kinds": Forgery(
        lambda: forged(case_in("dead"), 1, evidence_tiers=(3,)),
        "records tiers [(]3,[)], the workflow's kinds have None",
    ),
    "a declared kind recorded with another tier": Forgery(
        dead_by_dossier,
        "records tiers [(]2,[)], the workflow's kinds have [(]3,[)]",
        WORKFLOW.with_evidence_kinds(attrs.evolve(DOSSIER, tier=3)),
    ),
    "evidence that speaks for the other fate": Forgery(
        dead_by_dossier,
        "evidence dossier speaks against fate dead",
        WORKFLOW.with_evidence_kinds(attrs.evolve(DOSSIER, indicates=cs.Fate.ALIVE)),
    ),
    "a document obtained before the event it attests": Forgery(
        lambda: dead_by_dossier(obtained=8),
        "holds a dossier obtained before the event it attests",
        WORKFLOW.with_evidence_kinds(attrs.evolve(DOSSIER, attests_past=True)),
    ),
    "a fact recorded before its waiting period": Forgery(
        recognised_missing,
        "recorded before its waiting period was over",
        WORKFLOW.replace_rule("recognise_missing", waiting_period=timedelta(days=183)),
    ),
    "a fact recorded by a rule that moves": Forgery(
        recognised_missing,
        "a fact entry by a move rule",
        WORKFLOW.replace_rule("recognise_missing", fact=False),
    ),
    "a chain sealed with another key": Forgery(
        lambda: case_in("dead", key=b"k" * 32),
        "the chain does not verify",
    ),
}


@pytest.mark.parametrize("what", sorted(FORGERIES))
def test_a_trail_the_workflow_did_not_make_is_caught(what):
    forgery = FORGERIES[what]
    case = forgery.make()
    with pytest.raises(BrokenInvariant, match=forgery.message):
        check_case(forgery.checked_under, case)


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"assurance": cs.Assurance.DOCUMENTED}, "entry 0 opens the case documented"),
        ({"whereabouts": cs.Whereabouts.HELD}, "held held; its evidence and status give reported, unknown"),
    ],
    ids=["assurance-its-evidence-does-not-give", "a-place-its-status-does-not-give"],
)
def test_an_opening_entry_that_open_would_not_write_is_caught(fields, why):
    case = forged(case_in("captured"), 0, **fields)  # replay takes it: it reads no workflow
    with pytest.raises(BrokenInvariant, match=why):
        check_case(WORKFLOW, case)
