"""The default workflow of a missing person's case, as casestate ships it."""

from __future__ import annotations

from datetime import timedelta

from ._actors import AUTHORITIES, EVERYONE, Role
from ._evidence import EvidenceKind, Tier
from ._rules import ANY_EVIDENCE, EvidenceRule, Rule, StatusDef
from ._status import Fate, Status, Whereabouts
from ._workflow import Workflow

DECLARATION_WAITING_PERIOD = timedelta(days=183)
"""Six months: the shortest period after which any jurisdiction casestate knows
lets a court declare a missing soldier dead (Ukraine, shortened by a court;
Russia's 120-FZ of 2023 takes six months to "missing" plus three more). Set
your jurisdiction's own with ``replace_rule("declare_dead", waiting_period=...)``.
"""

_OFFICIAL = EvidenceRule(max_tier=Tier.OFFICIAL)

DEFAULT_WORKFLOW = Workflow(
    name="default",
    description="missing -> captured / wounded / dead -> confirmed / repatriated",
    initial=Status.MISSING,
    roles=EVERYONE,
    dismiss_roles=AUTHORITIES | {Role.NGO},
    statuses=[
        StatusDef(
            Status.MISSING,
            Fate.UNKNOWN,
            description="fate and whereabouts unknown",
            whereabouts=Whereabouts.UNKNOWN,
        ),
        StatusDef(
            Status.CAPTURED,
            Fate.ALIVE,
            description="reported held by the other party",
            whereabouts=Whereabouts.HELD,
        ),
        StatusDef(Status.WOUNDED, Fate.ALIVE, description="reported alive, wounded or sick"),
        StatusDef(Status.DEAD, Fate.DEAD, description="death reported, not yet established"),
        StatusDef(Status.CONFIRMED, None, description="fate established by a competent authority"),
        StatusDef(
            Status.REPATRIATED,
            None,
            description="back under the home side's control",
            whereabouts=Whereabouts.HOME,
        ),
    ],
    rules=[
        Rule(
            trigger="report_captured",
            sources={Status.MISSING, Status.WOUNDED},
            target=Status.CAPTURED,
            roles=EVERYONE,
            evidence=ANY_EVIDENCE,
            report=True,
            description="reported held by the other party (a video is enough to report); of a man "
            "reported dead, kept as a conflict: alive after his death contradicts it",
        ),
        Rule(
            trigger="report_wounded",
            sources={Status.MISSING, Status.CAPTURED},
            target=Status.WOUNDED,
            roles=EVERYONE,
            evidence=ANY_EVIDENCE,
            report=True,
            description="reported alive and wounded or sick",
        ),
        Rule(
            trigger="report_dead",
            sources={Status.MISSING, Status.CAPTURED, Status.WOUNDED},
            target=Status.DEAD,
            roles=EVERYONE,
            evidence=ANY_EVIDENCE,
            report=True,
            whereabouts=Whereabouts.UNKNOWN,
            description="death reported (where the remains are, unknown)",
        ),
        Rule(
            trigger="confirm",
            sources={Status.CAPTURED, Status.WOUNDED, Status.DEAD, Status.REPATRIATED},
            target=Status.CONFIRMED,
            roles=AUTHORITIES,
            evidence=_OFFICIAL,
            description="the reported fate established by official or scientific evidence "
            "(of remains already handed over too)",
        ),
        Rule(
            trigger="declare_dead",
            sources={Status.MISSING},
            target=Status.CONFIRMED,
            roles={Role.COURT},
            evidence=EvidenceRule(max_tier=Tier.OFFICIAL, kinds={EvidenceKind.COURT_DECISION}),
            fate=Fate.DEAD,
            waiting_period=DECLARATION_WAITING_PERIOD,
            description="a court declares the missing person dead after the waiting period",
        ),
        Rule(
            trigger="repatriate",
            sources={Status.CAPTURED, Status.WOUNDED, Status.DEAD, Status.CONFIRMED},
            target=Status.REPATRIATED,
            roles={Role.MINISTRY, Role.ICRC},
            evidence=EvidenceRule(
                max_tier=Tier.OFFICIAL,
                kinds={
                    EvidenceKind.EXCHANGE_LIST,
                    EvidenceKind.RELEASE_LIST,
                    EvidenceKind.HANDOVER_RECORD,
                },
            ),
            description="back under the home side's control: exchanged, released, or remains "
            "returned (before they are identified too)",
        ),
        Rule(
            trigger="retract",
            sources={Status.CAPTURED, Status.WOUNDED, Status.DEAD},
            target=Status.MISSING,
            roles=AUTHORITIES,
            reason_required=True,
            reporter_may_fire=True,
            reverts=True,
            withdraws=True,
            description="a report withdrawn by an authority or by whoever made it: the case stands "
            "where it stood before the report (a prisoner reported dead, the notice withdrawn, is a "
            "prisoner again)",
        ),
        Rule(
            trigger="reopen",
            sources={Status.CONFIRMED, Status.REPATRIATED},
            target=Status.MISSING,
            roles=AUTHORITIES,
            evidence=_OFFICIAL,
            reason_required=True,
            reverts=True,
            description="an established finding shown wrong (DNA exclusion, annulment, reappearance)",
        ),
        Rule(
            trigger="notify_death",
            sources={Status.MISSING, Status.CAPTURED, Status.WOUNDED, Status.CONFIRMED},
            target=Status.DEAD,
            roles={Role.MINISTRY, Role.ICRC},
            evidence=EvidenceRule(
                max_tier=Tier.OFFICIAL,
                kinds={
                    EvidenceKind.INFORMATION_BUREAU_NOTICE,
                    EvidenceKind.ICRC_CONFIRMATION,
                    EvidenceKind.DEATH_CERTIFICATE,
                },
            ),
            report=True,
            whereabouts=Whereabouts.HELD,
            description="a death in the other party's hands notified (Geneva Convention III art. 120), "
            "of a confirmed prisoner too: the captivity stays true for its period; of a man still "
            "listed missing, whose capture was never notified, too",
        ),
        Rule(
            trigger="report_missing",
            sources={Status.MISSING},
            target=Status.MISSING,
            roles=EVERYONE,
            evidence=ANY_EVIDENCE,
            report=True,
            description="reported still missing (a ministry's register, a unit's notice): "
            "on a case that holds another fate or place, kept as a conflict",
        ),
        Rule(
            trigger="recognise_missing",
            sources={Status.MISSING},
            target=Status.MISSING,
            roles={Role.COURT},
            evidence=EvidenceRule(max_tier=Tier.OFFICIAL, kinds={EvidenceKind.COURT_DECISION}),
            fact=True,
            description="a court recognises the person as missing: a dated legal fact, "
            "which timers count from (Russia's 120-FZ: death may be declared three months after)",
        ),
        Rule(
            trigger="report_remains_held",
            sources={Status.MISSING, Status.CAPTURED, Status.WOUNDED},
            target=Status.DEAD,
            roles=EVERYONE,
            evidence=ANY_EVIDENCE,
            report=True,
            whereabouts=Whereabouts.HELD,
            description="remains located, held by the other party and not returned; of a death "
            "already reported or established, it says where the remains are",
        ),
    ],
)
"""The default workflow, as the domain brief defines it; derive your own from it."""
