"""Workflow definitions: derived the documented ways, and every fault named when built."""

import json
from datetime import timedelta

import attrs
import pytest

import casestate as cs
from casestate import Fate, Role, Rule, StatusDef, Tier, WorkflowError
from support import WORKFLOW, case_in, change

# These build workflows for their shape, lax ones among them: the hazards a lax workflow
# warns of are tested in tests/core/test_workflow_hazards.py.
pytestmark = pytest.mark.filterwarnings("ignore::casestate.WorkflowWarning")


def test_an_app_adds_a_status_of_its_own():
    released = StatusDef("released", Fate.ALIVE, description="released by the detaining power")
    release = Rule(
        trigger="release",
        sources={"captured"},
        target="released",
        roles={Role.ICRC},
        evidence=cs.EvidenceRule(kinds={cs.EvidenceKind.RELEASE_LIST}),
    )
    reopen = attrs.evolve(WORKFLOW.rule("reopen"), sources={"confirmed", "repatriated", "released"})
    mine = WORKFLOW.extend(name="with-release", statuses=[released], rules=[release, reopen])
    case = mine.apply(case_in("captured"), change("release", Role.ICRC, "release_list", on=40))
    assert (case.status, case.fate) == ("released", Fate.ALIVE)
    assert "release" in mine.triggers
    assert WORKFLOW.status("missing") == mine.status("missing")


def test_a_status_added_alone_is_refused_as_unreachable_and_a_dead_end():
    with pytest.raises(WorkflowError) as refused:
        WORKFLOW.with_statuses(StatusDef("released", Fate.ALIVE))
    assert refused.value.problems == (
        "status 'released' cannot be reached from 'missing'",
        "status 'released' has no way out; mark it final if that is meant",
    )


def test_an_app_changes_who_may_confirm_and_requires_stronger_evidence():
    strict = WORKFLOW.replace_rule(
        "confirm",
        roles={Role.ICRC, Role.FORENSIC_LAB},
        evidence=cs.EvidenceRule(max_tier=Tier.IDENTIFICATION),
    )
    by_ministry = change("confirm", Role.MINISTRY, "death_certificate", on=40)
    assert WORKFLOW.check(case_in("dead"), by_ministry).ok
    assert strict.check(case_in("dead"), by_ministry).codes == (
        cs.Code.ROLE_NOT_PERMITTED,
        cs.Code.EVIDENCE_INSUFFICIENT,
    )
    assert strict.check(case_in("dead"), change("confirm", Role.FORENSIC_LAB, "dna_match", on=40)).ok
    assert strict != WORKFLOW
    assert WORKFLOW.rule("confirm").roles == cs.AUTHORITIES  # the default is untouched


def test_a_jurisdiction_sets_its_own_waiting_period():
    two_years = WORKFLOW.replace_rule("declare_dead", waiting_period=timedelta(days=730))
    decision = change("declare_dead", Role.COURT, "court_decision", on=400)
    assert WORKFLOW.check(case_in("missing"), decision).ok
    assert two_years.check(case_in("missing"), decision).codes == (cs.Code.WAITING_PERIOD_NOT_ELAPSED,)


def test_removing_a_rule_and_adding_a_role():
    without = WORKFLOW.without_rules("declare_dead")
    assert "declare_dead" not in without.triggers
    assert without.check(
        case_in("missing"), change("declare_dead", Role.COURT, "court_decision", on=400)
    ).codes == (cs.Code.UNKNOWN_TRIGGER,)
    with_registry = WORKFLOW.with_roles("registry").replace_rule(
        "confirm", roles={*cs.AUTHORITIES, "registry"}
    )
    assert with_registry.check(case_in("dead"), change("confirm", "registry", "death_certificate", on=40)).ok


def test_the_machine_holds_the_transition_table():
    machine = WORKFLOW.machine
    assert machine.events["confirm"].transitions["dead"][0].dest == "confirmed"
    assert WORKFLOW.target_of("dead", "confirm") == "confirmed"
    assert WORKFLOW.target_of("missing", "confirm") is None
    assert WORKFLOW.target_of("missing", "no_such_trigger") is None


def build(**changes):
    fields = {
        "name": "test",
        "initial": "missing",
        "roles": {"ngo", "court"},
        "dismiss_roles": {"ngo"},
        "statuses": [StatusDef("missing", Fate.UNKNOWN), StatusDef("dead", Fate.DEAD, final=True)],
        "rules": [Rule(trigger="report_dead", sources={"missing"}, target="dead", roles={"ngo"})],
    }
    fields.update(changes)
    return cs.Workflow(**fields)


def test_the_smallest_workflow_builds():
    assert build().triggers == ("report_dead", "dismiss")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"initial": "limbo"}, "initial status 'limbo' is not defined"),
        (
            {"rules": [Rule(trigger="report_dead", sources={"limbo"}, target="dead", roles={"ngo"})]},
            "rule 'report_dead' names unknown source status 'limbo'",
        ),
        (
            {"rules": [Rule(trigger="report_dead", sources={"missing"}, target="gone", roles={"ngo"})]},
            "rule 'report_dead' names unknown target status 'gone'",
        ),
        (
            {"rules": [Rule(trigger="report_dead", sources={"missing"}, target="dead", roles={"mayor"})]},
            "rule 'report_dead' names unknown role 'mayor'",
        ),
        (
            {
                "statuses": [
                    StatusDef("missing", Fate.UNKNOWN),
                    StatusDef("dead", Fate.DEAD, final=True),
                    StatusDef("lost", Fate.UNKNOWN, final=True),
                ]
            },
            "status 'lost' cannot be reached from 'missing'",
        ),
        (
            {"statuses": [StatusDef("missing", Fate.UNKNOWN), StatusDef("dead", Fate.DEAD)]},
            "status 'dead' has no way out; mark it final if that is meant",
        ),
        (
            {
                "rules": [
                    Rule(trigger="report_dead", sources={"missing"}, target="dead", roles={"ngo"}),
                    Rule(trigger="revive", sources={"dead"}, target="missing", roles={"ngo"}),
                ]
            },
            "final status 'dead' has a way out: revive",
        ),
        (
            {
                "rules": [
                    Rule(trigger="report_dead", sources={"missing"}, target="dead", roles={"ngo"}),
                    Rule(trigger="report_dead", sources={"missing"}, target="dead", roles={"court"}),
                ]
            },
            "trigger 'report_dead' has more than one rule",
        ),
        (
            {
                "statuses": [
                    StatusDef("missing", Fate.UNKNOWN),
                    StatusDef("dead", Fate.DEAD, final=True),
                    StatusDef("dead", Fate.DEAD),
                ]
            },
            "status 'dead' is defined more than once",
        ),
        ({"dismiss_roles": {"mayor"}}, "dismiss_roles names unknown role 'mayor'"),
        ({"roles": set(), "dismiss_roles": set()}, "the workflow names no roles"),
        (
            {"rules": [Rule(trigger="dismiss", sources={"missing"}, target="dead", roles={"ngo"})]},
            "rule 'dismiss': 'dismiss' is reserved",
        ),
        (
            {"rules": [Rule(trigger="report_dead", sources=set(), target="dead", roles={"ngo"})]},
            "rule 'report_dead' has no source status",
        ),
        (
            {"rules": [Rule(trigger="report_dead", sources={"missing"}, target="dead", roles=set())]},
            "rule 'report_dead' lets no role fire it",
        ),
        (
            {
                "rules": [
                    Rule(
                        trigger="report_dead",
                        sources={"missing"},
                        target="dead",
                        roles={"ngo"},
                        waiting_period=timedelta(0),
                    )
                ]
            },
            "rule 'report_dead' has a waiting period that is not positive",
        ),
        (
            {
                "rules": [
                    Rule(
                        trigger="report_dead",
                        sources={"missing"},
                        target="dead",
                        roles={"ngo"},
                        evidence=cs.EvidenceRule(kinds=[]),
                    )
                ]
            },
            "rule 'report_dead' accepts no kind of evidence",
        ),
        (
            {"statuses": [StatusDef("missing", None), StatusDef("dead", Fate.DEAD, final=True)]},
            "initial status 'missing' must have a fate of its own",
        ),
        (
            {"statuses": [StatusDef("missing", Fate.UNKNOWN), StatusDef("dead", None, final=True)]},
            "rule 'report_dead' enters 'dead', which keeps the fate it is entered with, from 'missing'",
        ),
    ],
)
def test_a_faulty_definition_is_refused_naming_the_culprit(changes, message):
    with pytest.raises(WorkflowError) as refused:
        build(**changes)
    assert any(problem.startswith(message) for problem in refused.value.problems), refused.value.problems
    assert message in str(refused.value)


def test_every_fault_is_reported_at_once():
    with pytest.raises(WorkflowError) as refused:
        build(initial="limbo", dismiss_roles={"mayor"})
    assert len(refused.value.problems) == 2


def test_a_rule_giving_a_fate_may_enter_a_fate_keeping_status_from_an_unknown_fate():
    workflow = build(
        statuses=[StatusDef("missing", Fate.UNKNOWN), StatusDef("dead", None, final=True)],
        rules=[
            Rule(trigger="report_dead", sources={"missing"}, target="dead", roles={"ngo"}, fate=Fate.DEAD)
        ],
    )
    assert workflow.status("dead").fate is None


def test_looking_up_an_unknown_trigger_or_status_names_it():
    with pytest.raises(WorkflowError, match="unknown trigger 'confrim'; known: confirm"):
        WORKFLOW.rule("confrim")
    with pytest.raises(WorkflowError, match="unknown trigger 'confrim'"):
        WORKFLOW.replace_rule("confrim", roles={"court"})
    with pytest.raises(WorkflowError, match="unknown trigger 'nope'"):
        WORKFLOW.without_rules("nope")
    with pytest.raises(WorkflowError, match="unknown status 'limbo'"):
        WORKFLOW.status("limbo")


@pytest.mark.parametrize("value", ["missing", "", 3])
def test_names_must_be_collections_of_non_empty_strings(value):
    with pytest.raises((TypeError, ValueError)):
        Rule(trigger="x", sources=value, target="dead", roles={"ngo"})


def test_enum_members_are_stored_as_plain_strings():
    rule = Rule(trigger="x", sources={cs.Status.MISSING}, target=cs.Status.DEAD, roles={Role.NGO})
    assert type(rule.target) is str
    assert all(type(source) is str for source in rule.sources)


def test_evidence_rules_describe_themselves():
    assert cs.ANY_EVIDENCE.describe() == "evidence of any tier"
    assert cs.EvidenceRule(kinds={"dna_match", "fingerprints"}).describe() == (
        "evidence of kind dna_match or fingerprints"
    )


@pytest.mark.parametrize("days", ["NaN", "Infinity", "-Infinity", "1e18", "-1"])
def test_a_waiting_period_must_be_a_number_of_days_a_timedelta_holds(days):
    text = json.dumps(cs.workflow_to_dict(cs.DEFAULT_WORKFLOW)).replace(
        '"waiting_period_days": null', f'"waiting_period_days": {days}', 1
    )
    with pytest.raises(WorkflowError) as raised:
        cs.workflow_from_json(text)
    [problem] = raised.value.problems
    assert problem.startswith("rules[0].waiting_period_days: expected a number of days from 0 to 999999999")


def test_json_nested_past_the_parsers_depth_is_not_json():
    with pytest.raises(WorkflowError, match="not JSON: maximum recursion depth"):
        cs.workflow_from_json("[" * 100_000)
    with pytest.raises(cs.FormatError, match=r"^not JSON: maximum recursion depth"):
        cs.from_json("[" * 100_000)


def test_values_of_the_wrong_type_are_refused_not_coerced():
    with pytest.raises(TypeError, match="expected a collection of names, got the single string 'archivist'"):
        cs.DEFAULT_WORKFLOW.extend(roles="archivist")
    with pytest.raises(TypeError, match=r"^final must be True or False, not 'no'$"):
        StatusDef("released", Fate.ALIVE, final="no")
    with pytest.raises(TypeError, match=r"^report must be True or False, not 'no'$"):
        cs.DEFAULT_WORKFLOW.replace_rule("confirm", report="no")
    with pytest.raises(ValueError, match="actor role must be a non-empty string, got None"):
        cs.Actor("ivan", None)
    with pytest.raises(ValueError, match="names no status, fate or whereabouts it runs in"):
        cs.Timer(name="overdue", status=None, after=timedelta(days=7))
    with pytest.raises(ValueError, match="a name must be a non-empty string, got ''"):
        cs.Timer(name="overdue", status="", after=timedelta(days=7))
    assert type(cs.Actor("ivan", Role.FAMILY).role) is str


@pytest.mark.parametrize(
    ("place", "blank"),
    [
        ("name", ""),
        ("name", "   "),
        ("initial", ""),
        ("statuses[0].name", ""),
        ("rules[0].trigger", " "),
        ("rules[0].target", ""),
    ],
)
def test_a_definition_file_with_a_blank_name_is_refused_naming_where(place, blank):
    data = cs.workflow_to_dict(cs.DEFAULT_WORKFLOW)
    if "." in place:
        listed, field = place.split(".")
        items, index = listed.rstrip("]").split("[")
        data[items][int(index)][field] = blank
    else:
        data[place] = blank
    # Never dropped or renamed without a word: a rule that vanished would change who may do what.
    with pytest.raises(
        WorkflowError, match=rf"{place.replace('[', '.').replace(']', '.')}: expected a non-empty name"
    ):
        cs.workflow_from_dict(data)


def test_a_rule_that_withdraws_must_revert_and_round_trips_through_a_definition_file():
    with pytest.raises(WorkflowError, match="rule 'retract' withdraws a report, so it must revert too"):
        WORKFLOW.replace_rule("retract", reverts=False)
    data = cs.workflow_to_dict(WORKFLOW)
    (retract,) = [rule for rule in data["rules"] if rule["trigger"] == "retract"]
    assert retract["withdraws"] is True
    assert all("withdraws" not in rule for rule in data["rules"] if rule["trigger"] != "retract")
    assert cs.workflow_from_dict(data) == WORKFLOW
    # A definition that does not name it keeps the identity it had: the flag is written only when set.
    plain = WORKFLOW.replace_rule("retract", withdraws=False)
    assert "withdraws" not in json.dumps(cs.workflow_to_dict(plain))
