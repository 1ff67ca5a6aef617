"""A workflow that works but settles a status on too little: warned of, listed, readable."""

import pickle
import warnings

import pytest

import casestate as cs

DEFAULT = cs.DEFAULT_WORKFLOW


def test_the_default_workflow_has_no_hazard():
    assert DEFAULT.warnings == ()


def test_a_family_that_may_confirm_a_death_on_no_evidence_is_warned_of_twice():
    with pytest.warns(cs.WorkflowWarning) as caught:
        lax = DEFAULT.replace_rule("confirm", roles=cs.EVERYONE, evidence=None)
    assert {warning.message.hazard for warning in caught} == {
        cs.Hazard.SETTLED_WITHOUT_OFFICIAL_EVIDENCE,
        cs.Hazard.SETTLED_BY_NON_AUTHORITY,
    }
    assert [(hazard.trigger, hazard.hazard) for hazard in lax.warnings] == [
        ("confirm", cs.Hazard.SETTLED_WITHOUT_OFFICIAL_EVIDENCE),
        ("confirm", cs.Hazard.SETTLED_BY_NON_AUTHORITY),
    ]
    assert "may be fired by family, ngo, unit" in str(lax.warnings[1])


def test_the_warning_points_at_the_line_that_built_the_workflow():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        DEFAULT.replace_rule("declare_dead", evidence=cs.EvidenceRule(max_tier=cs.Tier.CIRCUMSTANTIAL))
    assert [warning.filename for warning in caught] == [__file__]


@pytest.mark.parametrize(
    "evidence",
    [cs.EvidenceRule(kinds={"release_list"}), cs.EvidenceRule(max_tier=cs.Tier.OFFICIAL)],
    ids=["kinds-that-are-official", "official-or-stronger"],
)
def test_official_evidence_is_no_hazard(evidence):
    assert DEFAULT.replace_rule("repatriate", evidence=evidence).warnings == ()


def test_reports_and_retractions_settle_nothing():
    assert DEFAULT.replace_rule("report_dead", evidence=None).warnings == ()
    assert DEFAULT.rule("retract").evidence is None  # and the default workflow warns of nothing


def test_a_reporter_who_may_settle_is_warned_of():
    with pytest.warns(cs.WorkflowWarning, match="the reporter"):
        DEFAULT.replace_rule("confirm", reporter_may_fire=True)


def test_a_warning_turned_into_an_error_is_a_casestate_error_and_crosses_processes():
    with warnings.catch_warnings():
        warnings.simplefilter("error", cs.WorkflowWarning)
        with pytest.raises(cs.CasestateError) as caught:
            DEFAULT.replace_rule("repatriate", roles={"family"})
    again = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own bytes, made one line above
    assert (str(again), again.hazard) == (str(caught.value), caught.value.hazard)
