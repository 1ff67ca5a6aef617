"""Three custom workflows the property tests run beside the default one."""

import attrs

import casestate as cs
from casestate import EvidenceKind, EvidenceRule, Fate, Role, StatusDef, Tier

DEFAULT = cs.DEFAULT_WORKFLOW

# One more status: released by the other side, alive, before the person is back home.
# Derived in one step, as each step of a derivation must be a valid workflow.
WITH_RELEASED = attrs.evolve(
    DEFAULT,
    name="with-released",
    statuses=[*DEFAULT.statuses, StatusDef("released", Fate.ALIVE, description="released, not yet home")],
    rules=[
        *(rule for rule in DEFAULT.rules if rule.trigger != "repatriate"),
        attrs.evolve(DEFAULT.rule("repatriate"), sources={"captured", "wounded", "confirmed", "released"}),
        cs.Rule(
            trigger="release",
            sources={"captured", "confirmed"},
            target="released",
            roles={Role.ICRC, Role.MINISTRY},
            evidence=EvidenceRule(max_tier=Tier.OFFICIAL, kinds={EvidenceKind.RELEASE_LIST}),
            fate=Fate.ALIVE,
        ),
        cs.Rule(
            trigger="report_released",
            sources={"captured"},
            target="released",
            roles=cs.EVERYONE,
            evidence=cs.ANY_EVIDENCE,
            report=True,
        ),
    ],
)

# Other roles, stricter evidence: only a hotline and a registrar take reports, and
# they need named, checkable evidence; only a lab or a court confirms, on identification.
_REPORTERS = {"hotline", "registrar"}
_CIRCUMSTANTIAL = EvidenceRule(max_tier=Tier.CIRCUMSTANTIAL)
STRICT = attrs.evolve(
    DEFAULT,
    name="strict",
    roles={"hotline", "registrar", Role.ICRC, Role.FORENSIC_LAB, Role.COURT},
    dismiss_roles={"registrar"},
    rules=[
        attrs.evolve(DEFAULT.rule("report_captured"), roles=_REPORTERS, evidence=_CIRCUMSTANTIAL),
        attrs.evolve(DEFAULT.rule("report_wounded"), roles=_REPORTERS, evidence=_CIRCUMSTANTIAL),
        attrs.evolve(
            DEFAULT.rule("report_dead"), roles=_REPORTERS, evidence=_CIRCUMSTANTIAL, reason_required=True
        ),
        attrs.evolve(
            DEFAULT.rule("confirm"),
            roles={Role.FORENSIC_LAB, Role.COURT},
            evidence=EvidenceRule(max_tier=Tier.IDENTIFICATION),
        ),
        attrs.evolve(DEFAULT.rule("declare_dead"), waiting_period=cs.DECLARATION_WAITING_PERIOD * 2),
        attrs.evolve(DEFAULT.rule("repatriate"), roles={Role.ICRC}),
        attrs.evolve(DEFAULT.rule("retract"), roles={"registrar"}, reporter_may_fire=False),
        attrs.evolve(DEFAULT.rule("reopen"), roles={Role.COURT}),
    ],
)

# Kinds of evidence of its own (story 9): a unit's notice of death on its form,
# a regional hospital's record, which attests the past, and an exchange protocol
# that speaks for the living. The court may declare a death on the hospital's record.
REGISTRY = (
    attrs.evolve(DEFAULT, name="registry")
    .with_evidence_kinds(
        cs.EvidenceKindDef("unit_form_5", Tier.CIRCUMSTANTIAL, indicates=Fate.DEAD),
        cs.EvidenceKindDef("regional_hospital_record", Tier.OFFICIAL, attests_past=True),
        cs.EvidenceKindDef("exchange_protocol", Tier.OFFICIAL, indicates=Fate.ALIVE, attests_past=True),
    )
    .replace_rule(
        "declare_dead",
        evidence=EvidenceRule(
            max_tier=Tier.OFFICIAL, kinds={EvidenceKind.COURT_DECISION, "regional_hospital_record"}
        ),
    )
)
