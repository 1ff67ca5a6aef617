"""Evidence kinds of an app's own (story 9): declared in the workflow, counted as the built-in ones are.

A regional registry keeps the unit's notice of death on its own form ("form 5")
and records from regional hospitals. It declares both, each with its tier,
the fate it speaks for and whether it attests a past event; the built-in
kinds keep theirs. A trail records each declared kind's tier beside its name,
so that it is read, verified and answered without the workflow.
"""

import hashlib
import json
from datetime import timedelta

import attrs
import pytest

import casestate as cs
from casestate import Assurance, Fate, Outcome
from casestate.testing import BrokenInvariant, check_case
from support import dated, resealed, told

FORM_5 = cs.EvidenceKindDef(
    "unit_form_5",
    cs.Tier.CIRCUMSTANTIAL,
    indicates=Fate.DEAD,
    description="the unit's notice of death, on its form 5",
)
HOSPITAL = cs.EvidenceKindDef(
    "regional_hospital_record",
    cs.Tier.OFFICIAL,
    attests_past=True,
    description="a regional hospital's record of admission or death",
)
REGISTRY = cs.DEFAULT_WORKFLOW.with_evidence_kinds(FORM_5, HOSPITAL)
FAMILY = cs.Actor("olena-k", cs.Role.FAMILY)
UNIT = cs.Actor("unit-41", cs.Role.UNIT)
MINISTRY = cs.Actor("ministry-missing-dept", cs.Role.MINISTRY)


def missing_since_february(workflow: cs.Workflow = REGISTRY) -> cs.Case:
    return workflow.open(
        "ua-0305", actor=FAMILY, effective_at=dated(2, 24), recorded_at=dated(3, 1), salt=bytes(16)
    )


def held(case: cs.Case, when) -> tuple[str, Fate, Assurance]:
    then = case.as_of_effective(when)
    assert then is not None
    return (then.status, then.fate, then.assurance)


def test_a_units_form_5_reports_a_death_as_a_unit_notification_would():
    case = REGISTRY.apply(
        missing_since_february(),
        told("report_dead", UNIT, "unit_form_5", effective=dated(3, 10), recorded=dated(3, 12)),
    )
    assert (case.status, case.fate, case.assurance) == ("dead", Fate.DEAD, Assurance.REPORTED)
    entry = case.trail[-1]
    assert (entry.evidence_kinds, entry.evidence_tiers) == (("unit_form_5",), (3,))
    # Both clocks, before and after the report.
    assert held(case, dated(3, 1)) == ("missing", Fate.UNKNOWN, Assurance.REPORTED)
    assert held(case, dated(3, 11)) == ("dead", Fate.DEAD, Assurance.REPORTED)
    assert case.as_of_recorded(dated(3, 11)).status == "missing"
    assert case.as_of_recorded(dated(3, 12)).status == "dead"
    check_case(REGISTRY, case)


def test_a_declared_kind_speaks_for_its_fate_and_is_refused_for_the_other():
    case = REGISTRY.apply(
        missing_since_february(),
        told("report_captured", FAMILY, "video", effective=dated(3, 10), recorded=dated(3, 12)),
    )
    capture_on_form_5 = told("report_captured", UNIT, "unit_form_5", effective=dated(3, 20))
    verdict = REGISTRY.check(case, capture_on_form_5)
    assert verdict.outcome is Outcome.REJECTED
    assert verdict.codes == (cs.Code.EVIDENCE_CONTRADICTS_FATE,)
    assert "unit_form_5 speaks for fate 'dead', but report_captured would give fate 'alive'" in (
        verdict.reasons[0].message
    )


def test_a_hospital_record_of_tier_2_documents_and_may_not_predate_what_it_attests():
    # A later hospital record corroborates the death and documents it, from its own date on.
    case = REGISTRY.apply(
        missing_since_february(),
        told("report_dead", UNIT, "unit_form_5", effective=dated(3, 10), recorded=dated(3, 12)),
    )
    record = told(
        "report_dead", MINISTRY, "regional_hospital_record", effective=dated(3, 10), recorded=dated(4, 2)
    )
    case = REGISTRY.apply(case, record)
    assert (case.trail[-1].kind, case.assurance) == ("corroboration", Assurance.DOCUMENTED)
    assert held(case, dated(3, 20)) == ("dead", Fate.DEAD, Assurance.DOCUMENTED)
    assert case.as_of_recorded(dated(3, 20)).assurance is Assurance.REPORTED
    # It attests an event already past: one obtained before the death it records is refused.
    early = told(
        "report_dead",
        MINISTRY,
        "regional_hospital_record",
        effective=dated(3, 10),
        recorded=dated(4, 3),
        obtained=dated(3, 9),
    )
    assert REGISTRY.check(case, early).codes == (cs.Code.EVIDENCE_BEFORE_EVENT,)
    check_case(REGISTRY, case)


def test_a_rule_may_ask_for_a_declared_kind_by_name():
    strict = REGISTRY.replace_rule(
        "declare_dead",
        evidence=cs.EvidenceRule(max_tier=cs.Tier.OFFICIAL, kinds={"regional_hospital_record"}),
    )
    rule = strict.rule("declare_dead").evidence
    assert rule.accepts_kind(HOSPITAL)
    assert not rule.accepts_kind(cs.BUILT_IN_KINDS["court_decision"])
    assert rule.describe() == "evidence of kind regional_hospital_record"
    (option,) = [
        option
        for option in strict.available(missing_since_february(strict), cs.Actor("court-1", cs.Role.COURT))
        if option.trigger == "declare_dead"
    ]
    assert option.kinds == {"regional_hospital_record"}


def test_evidence_of_a_kind_the_workflow_does_not_know_is_refused_with_its_own_code():
    case = missing_since_february(cs.DEFAULT_WORKFLOW)
    verdict = cs.DEFAULT_WORKFLOW.check(
        case, told("report_dead", UNIT, "unit_form_5", effective=dated(3, 10))
    )
    assert verdict.outcome is Outcome.REJECTED
    # It is no evidence the rule counts either: report_dead needs a piece of any kind it knows.
    assert verdict.codes == (cs.Code.EVIDENCE_INSUFFICIENT, cs.Code.UNKNOWN_EVIDENCE_KIND)
    assert verdict.reasons[0].message.endswith("given: unit_form_5 (unknown)")
    assert verdict.reasons[1].message.startswith("unknown evidence kind 'unit_form_5'; known: ")
    assert cs.text.message(verdict.reasons[1], "uk").startswith("невідомий вид доказу «unit_form_5»")
    beside = told("report_dead", UNIT, "unit_notification", "unit_form_5", effective=dated(3, 10))
    assert cs.DEFAULT_WORKFLOW.check(case, beside).codes == (cs.Code.UNKNOWN_EVIDENCE_KIND,)
    with pytest.raises(cs.Rejected):
        cs.DEFAULT_WORKFLOW.apply(case, told("report_dead", UNIT, "unit_form_5", effective=dated(3, 10)))
    # Nor can a case be opened on it.
    with pytest.raises(cs.Rejected) as refused:
        cs.DEFAULT_WORKFLOW.open(
            "ua-9",
            actor=FAMILY,
            effective_at=dated(2, 24),
            recorded_at=dated(3, 1),
            evidence=[cs.Evidence("unit_form_5", "F5-77", "unit 41", dated(3, 1))],
        )
    assert refused.value.verdict.codes == (cs.Code.UNKNOWN_EVIDENCE_KIND,)


def test_a_declared_kinds_evidence_knows_no_tier_of_its_own_but_its_workflow_does():
    piece = cs.Evidence("unit_form_5", "F5-77", "unit 41", dated(3, 1))
    assert piece.kind == "unit_form_5"
    assert piece.tier is None
    assert REGISTRY.evidence_kind(piece.kind) == FORM_5
    assert REGISTRY.evidence_kind("death_certificate").tier is cs.Tier.OFFICIAL
    assert set(REGISTRY.known_kinds) == {*cs.EvidenceKind, "unit_form_5", "regional_hospital_record"}
    with pytest.raises(cs.WorkflowError, match="unknown evidence kind 'unit_form_5'; known: anonymous_call"):
        cs.DEFAULT_WORKFLOW.evidence_kind("unit_form_5")
    with pytest.raises(ValueError, match="its tier is its workflow's"):
        cs.ANY_EVIDENCE.accepts(piece)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: cs.EvidenceKindDef("death_certificate", 3), "is a built-in evidence kind"),
        (lambda: cs.EvidenceKindDef("Form 5", 3), "unknown evidence kind 'Form 5'"),
        (lambda: cs.EvidenceKindDef("form_5", 7), "7 is not a valid Tier"),
        (lambda: cs.EvidenceKindDef("form_5", True), "tier must be a Tier or an int from 1 to 4, not True"),
        (lambda: cs.EvidenceKindDef("form_5", 2.0), "tier must be a Tier or an int from 1 to 4, not 2.0"),
        (lambda: cs.EvidenceKindDef("form_5", 3, indicates="unknown"), "'alive' or 'dead', or None"),
        (lambda: cs.EvidenceKindDef("form_5", 3, indicates="perhaps"), "'perhaps' is not a valid Fate"),
        (lambda: cs.EvidenceKindDef("form_5", 3, attests_past="no"), "attests_past must be True or False"),
        (lambda: cs.EvidenceKindDef("form_5", 3, description="\ud800"), "description"),
    ],
)
def test_a_declared_kind_is_refused_when_it_cannot_be_one(make, message):
    with pytest.raises((TypeError, ValueError), match=message):
        make()


def test_a_workflow_refuses_a_built_in_kind_declared_again_even_copied_from_another_workflow():
    with pytest.raises(
        cs.WorkflowError, match="evidence kind 'video' is built in: its tier and fate are fixed"
    ):
        cs.DEFAULT_WORKFLOW.with_evidence_kinds(cs.BUILT_IN_KINDS["video"])
    with pytest.raises(cs.WorkflowError, match="evidence kind 'dna_match' is built in"):
        cs.DEFAULT_WORKFLOW.with_evidence_kinds(*REGISTRY.known_kinds.values())
    declared = [kind for name, kind in REGISTRY.known_kinds.items() if name not in cs.BUILT_IN_KINDS]
    assert cs.DEFAULT_WORKFLOW.with_evidence_kinds(*declared) == REGISTRY


@pytest.mark.parametrize(
    ("given", "error", "message"),
    [
        ([{"name": "unit_form_5", "tier": 3}], TypeError, "must hold EvidenceKindDef values, not dict"),
        (["unit_form_5"], TypeError, "must hold EvidenceKindDef values, not str"),
        (FORM_5, TypeError, "not a single value"),
    ],
)
def test_a_workflow_is_given_its_kinds_as_definitions(given, error, message):
    with pytest.raises(error, match=message):
        attrs.evolve(REGISTRY, evidence_kinds=given)


def test_a_timer_names_a_declared_kind_by_its_definition_and_refuses_a_mistyped_name():
    with pytest.raises(ValueError, match="unknown evidence kind 'capture_crd': name a built-in kind"):
        cs.Timer(name="card_due", fate="alive", after=timedelta(days=7), satisfied_by={"capture_crd"})
    with pytest.raises(ValueError, match="unknown evidence kind 'unit_form_5'"):
        cs.Timer(name="form_due", fate="dead", after=timedelta(days=7), satisfied_by={"unit_form_5"})
    timer = cs.Timer(name="form_due", status="dead", after=timedelta(days=7), satisfied_by={FORM_5})
    assert timer.satisfied_by == {"unit_form_5"}
    dead = REGISTRY.apply(
        missing_since_february(),
        told("report_dead", UNIT, "video", effective=dated(3, 10), recorded=dated(3, 10)),
    )
    assert [flag.timer.name for flag in cs.due(dead, [timer], dated(4, 1))] == ["form_due"]
    noticed = REGISTRY.apply(dead, told("report_dead", UNIT, "unit_form_5", effective=dated(3, 12)))
    assert cs.due(noticed, [timer], dated(4, 1)) == ()


def test_every_piece_of_an_unknown_kind_is_named_beside_the_first_out_of_time():
    case = missing_since_february()
    late = cs.Evidence("video", "v", "channel", dated(3, 20))
    stranger = cs.Evidence("unit_form_6", "F6", "unit", dated(3, 12))
    for pieces in ((late, stranger), (stranger, late)):
        report = attrs.evolve(
            told("report_dead", UNIT, "video", effective=dated(3, 10), recorded=dated(3, 12)), evidence=pieces
        )
        assert set(REGISTRY.check(case, report).codes) == {
            cs.Code.EVIDENCE_AFTER_RECORDED,
            cs.Code.UNKNOWN_EVIDENCE_KIND,
        }


def test_a_workflow_refuses_a_kind_declared_twice_and_a_rule_naming_an_undeclared_one():
    with pytest.raises(cs.WorkflowError, match="evidence kind 'unit_form_5' is declared more than once"):
        attrs.evolve(REGISTRY, evidence_kinds=(FORM_5, FORM_5))
    with pytest.raises(
        cs.WorkflowError,
        match="names evidence kinds neither built in nor declared by the workflow: unit_form_6",
    ):
        REGISTRY.replace_rule("report_dead", evidence=cs.EvidenceRule(kinds={"unit_form_6"}))
    # A declared kind weaker than a rule's bound can never satisfy it, as a built-in one.
    with pytest.raises(cs.WorkflowError, match="weaker than tier 2, never enough: unit_form_5"):
        REGISTRY.replace_rule(
            "confirm", evidence=cs.EvidenceRule(max_tier=cs.Tier.OFFICIAL, kinds={"unit_form_5", "dna_match"})
        )
    # Redeclaring replaces, as with_rules does.
    stronger = attrs.evolve(FORM_5, tier=cs.Tier.OFFICIAL)
    assert REGISTRY.with_evidence_kinds(stronger).evidence_kind("unit_form_5").tier is cs.Tier.OFFICIAL


def test_a_workflows_own_kinds_count_in_its_identity_and_survive_its_definition_file():
    assert REGISTRY.identity != cs.DEFAULT_WORKFLOW.identity
    described = REGISTRY.with_evidence_kinds(attrs.evolve(FORM_5, description="other words"))
    assert described.identity == REGISTRY.identity
    weaker = REGISTRY.with_evidence_kinds(attrs.evolve(FORM_5, tier=cs.Tier.UNVERIFIED))
    assert weaker.identity != REGISTRY.identity
    written = cs.workflow_to_dict(REGISTRY)
    # Written in the order of their names: the order they were declared in decides nothing.
    assert [kind["name"] for kind in written["evidence_kinds"]] == ["regional_hospital_record", "unit_form_5"]
    assert cs.DEFAULT_WORKFLOW.with_evidence_kinds(HOSPITAL, FORM_5) == REGISTRY
    assert written["evidence_kinds"][1] == {
        "name": "unit_form_5",
        "tier": 3,
        "indicates": "dead",
        "attests_past": False,
        "description": "the unit's notice of death, on its form 5",
    }
    assert "evidence_kinds" not in cs.workflow_to_dict(cs.DEFAULT_WORKFLOW)
    assert cs.workflow_from_json(cs.workflow_to_json(REGISTRY)) == REGISTRY


def test_a_definition_files_faulty_kinds_are_each_named_by_their_place():
    data = cs.workflow_to_dict(REGISTRY)
    data["evidence_kinds"] = [
        {"name": "unit_form_5", "tier": "3"},
        {"name": "death_certificate", "tier": 2},
        {"tier": 3, "colour": "red"},
        {"name": "x", "tier": 2, "indicates": "unknown"},
    ]
    with pytest.raises(cs.WorkflowError) as caught:
        cs.workflow_from_dict(data)
    assert caught.value.problems == (
        "evidence_kinds[0].tier: expected int, got str",
        (
            "evidence_kinds[1]: 'death_certificate' is a built-in evidence kind: its tier and the fate "
            "it speaks for are fixed"
        ),
        "evidence_kinds[2]: unknown fields colour",
        "evidence_kinds[2].name: missing",
        (
            "evidence_kinds[3]: indicates is the fate a kind of evidence speaks for, 'alive' or 'dead', "
            "or None for either"
        ),
    )


# -- the trail: read, verified and answered without the workflow --------------------


def _reported_on_two_kinds() -> cs.Case:
    return REGISTRY.apply(
        missing_since_february(),
        attrs.evolve(
            told("report_dead", UNIT, "video", effective=dated(3, 10), recorded=dated(3, 12)),
            evidence=(
                cs.Evidence("video", "https://t.me/c/77", "channel", dated(3, 12)),
                cs.Evidence("unit_form_5", "F5-77", "unit 41", dated(3, 12)),
            ),
            salt=bytes(range(16)),
        ),
    )


PINNED_REPORT = (
    b'{"assurance":"reported","case_id":"ua-0305","chain":"sha256","codes":[],'
    b'"commitment":"COMMITMENT","effective_at":"2024-03-10T12:00:00.000000Z",'
    b'"evidence_kinds":["video","unit_form_5"],"evidence_tiers":[4,3],"fate":"dead","from_status":"missing",'
    b'"kind":"transition","prev_hash":"PREV","recorded_at":"2024-03-12T12:00:00.000000Z","resolves":[],'
    b'"reverts_to":null,"role":"unit","seq":1,"to_status":"dead","trigger":"report_dead","whereabouts":"unknown"}'
)


def test_pinned_bytes_of_an_entry_with_a_declared_kind():
    # If this fails, stored trails stop verifying: change the format only with a new format version.
    case = _reported_on_two_kinds()
    entry = case.trail[1]
    expected = PINNED_REPORT.replace(b"COMMITMENT", entry.commitment.encode()).replace(
        b"PREV", case.trail[0].hash.encode()
    )
    assert cs.canonical_bytes(entry) == expected
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + expected).hexdigest()
    assert entry.hash == "03b30cc26c5857861ab32c670855745fbe9bfe5163d7062ead10716b4d444940"


def test_a_trail_with_declared_kinds_reads_back_and_answers_without_its_workflow():
    case = _reported_on_two_kinds()
    case = REGISTRY.apply(
        case,
        told(
            "report_dead", MINISTRY, "regional_hospital_record", effective=dated(3, 15), recorded=dated(4, 2)
        ),
    )
    again = cs.from_json(cs.to_json(case), head=case.head)
    assert again == case
    assert cs.replay(cs.redact(case.trail), allow_redacted=True).as_of_effective(dated(3, 20)).assurance is (
        Assurance.DOCUMENTED
    )
    assert held(again, dated(3, 12)) == ("dead", Fate.DEAD, Assurance.REPORTED)
    assert held(again, dated(3, 16)) == ("dead", Fate.DEAD, Assurance.DOCUMENTED)
    data = json.loads(cs.to_json(case))
    assert data["entries"][2]["evidence_tiers"] == [2]
    assert "evidence_tiers" not in data["entries"][0]


@pytest.mark.parametrize(
    ("tiers", "problem"),
    [
        (None, "holds evidence of kind 'unit_form_5', declared by its workflow, without the kind's tier"),
        ((4,), "records 1 tiers for 2 pieces of evidence"),
        ((4, 9), "records tier 9, which is none of 1 to 4, for evidence of kind 'unit_form_5'"),
        ((4, True), "records tier True, which is none of 1 to 4, for evidence of kind 'unit_form_5'"),
    ],
)
def test_a_forged_tier_beside_a_declared_kind_is_refused_even_resealed(tiers, problem):
    case = _reported_on_two_kinds()
    forged = resealed([case.trail[0], attrs.evolve(case.trail[1], evidence_tiers=tiers)])
    integrity = cs.verify(forged)
    assert (integrity.ok, integrity.position, integrity.problem) == (False, 1, cs.Problem.MALFORMED)
    assert problem in integrity.message
    with pytest.raises(cs.BrokenTrail, match="entry 1"):
        cs.replay(forged)


def test_the_tiers_an_entry_records_are_read_as_the_tiers_its_kinds_had_when_it_was_written():
    # A kind a registry declares today may be built into a later casestate: the entries written
    # meanwhile keep verifying, and are read by the tiers they record. The workflow's own check
    # still holds every tier to the kinds it knows.
    case = missing_since_february()
    case = REGISTRY.apply(case, told("report_dead", UNIT, "video", effective=dated(3, 10)))
    assert case.trail[1].evidence_tiers is None
    for tiers in ((4,), (3,)):
        written_then = resealed([case.trail[0], attrs.evolve(case.trail[1], evidence_tiers=tiers)])
        assert cs.verify(written_then).ok
        with pytest.raises(BrokenInvariant, match=r"records tiers \(\d,\), the workflow's kinds have None"):
            check_case(REGISTRY, cs.replay(written_then))
    mistyped = resealed(
        [case.trail[0], attrs.evolve(_reported_on_two_kinds().trail[1], evidence_tiers=(3, 3))]
    )
    assert cs.verify(mistyped).ok
    with pytest.raises(BrokenInvariant, match=r"records tiers \(3, 3\), the workflow's kinds have \(4, 3\)"):
        check_case(REGISTRY, cs.replay(mistyped))


def test_reordering_or_altering_the_tiers_is_tampering():
    case = _reported_on_two_kinds()
    for tiers in ((3, 4), (4, 2)):
        tampered = [case.trail[0], attrs.evolve(case.trail[1], evidence_tiers=tiers)]
        integrity = cs.verify(tampered, head=case.head)
        assert (integrity.ok, integrity.position) == (False, 1)
