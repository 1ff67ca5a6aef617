"""Records at the edges of PFIF: each is skipped with its reason, and the rest still comes in."""

from datetime import UTC, datetime

import pytest

from casestate import EvidenceRule, Role, Rule
from casestate.pfif import NoteOutcome, Person, from_pfif, to_pfif
from pfif_cases import KEY, story
from pfif_records import JULY, document, element, note, person, read, reasons
from support import WORKFLOW


def test_a_note_outside_a_person_must_name_it():
    report = read(person(), note(1))
    assert reasons(report) == {
        "note 1 (outside a person)": "a note outside a person must name its person_record_id"
    }


def test_a_person_given_twice_is_taken_once():
    report = read(person(inner=note(1)), person(inner=note(2)))
    assert len(report.cases) == 1
    assert reasons(report) == {
        "person site.example.org/p1": "a person of this id came earlier in the document",
        "note site.example.org/n2": "its person was skipped",
    }


def test_a_note_inside_a_person_must_not_name_another():
    inner = note(1, person_record_id="site.example.org/p9") + note(2, note_record_id="n2")
    report = read(person(inner=inner))
    assert reasons(report) == {
        "note site.example.org/n1": "it names another person, 'site.example.org/p9'",
        "note n2": "note_record_id 'n2' is not domain/local-id",
    }
    assert report.cases[0].status == "missing"


def test_a_person_needs_some_date_and_one_in_the_past():
    report = read(person(source_date=""), person("site.example.org/p2", source_date="2030-01-01T00:00:00Z"))
    assert reasons(report) == {
        "person site.example.org/p1": "it has no valid source_date, and no note gives a date",
        "person site.example.org/p2": (
            "cannot open a case: effective at 2030-01-01T00:00:00.000000Z, after it was recorded at "
            "2024-07-01T00:00:00.000000Z"
        ),
    }


def test_a_person_without_a_date_takes_its_earliest_note():
    report = read(person(source_date="", inner=note(4) + note(2, status="")))
    assert report.cases[0].trail[0].effective_at == datetime(2024, 3, 3, tzinfo=UTC)


def test_author_made_contact_is_true_or_false():
    report = read(person(inner=note(1, author_made_contact="yes")))
    assert reasons(report) == {"note site.example.org/n1": "author_made_contact 'yes' is not true or false"}


def test_is_note_author_needs_contact_only_from_pfif_1_4_on():
    older = document(person(inner=note(1, status="is_note_author"))).replace("pfif/1.4", "pfif/1.3")
    report = from_pfif(older, recorded_at=JULY)
    assert [result.outcome for result in report.notes] == [NoteOutcome.EVIDENCE_OF_LIFE]
    assert report.cases[0].status == "missing"


@pytest.mark.parametrize(
    ("attribute", "reason"),
    [
        ("[1, 2]", "the case attribute: not a JSON object"),
        ("{", "the case attribute: not JSON"),
        ('{"case_id": "case-1"}', "the case attribute is not casestate's"),
    ],
)
def test_a_casestate_attribute_that_is_not_casestates_skips_the_person_whole(attribute, reason):
    attributes = f" xmlns:c='urn:casestate:pfif:1' c:case='{attribute}'"
    record = element(
        "person", {"person_record_id": "site.example.org/p1", "full_name": "Ivan"}, note(1), attributes
    )
    report = read(record)
    assert report.cases == ()
    assert (
        reasons(report)["person site.example.org/p1"] == f"its casestate trail cannot be restored: {reason}"
    )


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (
            "&quot;case_id&quot;: &quot;case-1&quot;",
            "&quot;case_id&quot;: &quot;case-2&quot;",
            "are of 'case-1'",
        ),
        ("&quot;entry_count&quot;: 2", "&quot;entry_count&quot;: 3", "3 entries announced, 2 found"),
        ("&quot;seq&quot;:1,", "&quot;seq&quot;:1,&quot;seq&quot;:1,", "the key 'seq' appears twice"),
    ],
)
def test_the_case_attribute_and_the_entries_must_agree(old, new, reason):
    case = story("case-1", ("report_captured", Role.FAMILY, ("video",), 10))
    exported = to_pfif([case], {"case-1": Person("Ivan")}, domain="ngo.example.org").decode()
    assert old in exported
    report = from_pfif(exported.replace(old, new, 1), recorded_at=JULY)
    assert report.cases == ()
    assert reason in reasons(report)["person ngo.example.org/case-1"]


def test_evidence_the_app_gives_must_be_evidence():
    report = read(person(inner=note(1)), evidence=lambda _note: ["a video"])
    assert reasons(report) == {
        "note site.example.org/n1": "cannot make a report of it: evidence must hold Evidence values, not str"
    }


def test_an_existing_keyed_case_needs_its_key():
    case = story("case-1", ("report_captured", Role.FAMILY, ("video",), 10), key=KEY)
    notes = note(20, person_record_id="ngo.example.org/case-1")
    report = read(notes, cases={"ngo.example.org/case-1": case})
    assert report.cases == (case,)
    assert [result.outcome for result in report.notes] == [NoteOutcome.SKIPPED]
    assert "key" in report.skipped[0].reason


@pytest.mark.parametrize("attribute", ["not json", "[]", '{"hash": 3}'])
def test_a_note_with_a_broken_entry_on_an_existing_case_is_read_as_a_plain_note(attribute):
    case = story("case-1")
    record = element(
        "note",
        {
            "note_record_id": "site.example.org/n1",
            "person_record_id": "ngo.example.org/case-1",
            "author_name": "a",
            "source_date": "2024-03-10T00:00:00Z",
            "status": "believed_dead",
        },
        attributes=f" xmlns:c=\"urn:casestate:pfif:1\" c:entry='{attribute}'",
    )
    report = read(record, cases={"ngo.example.org/case-1": case})
    assert report.cases[0].status == "dead"


def test_the_notes_of_a_person_without_a_valid_id_are_skipped_with_it():
    report = read(person("no id", inner=note(1)))
    assert reasons(report) == {
        "person 1": "person_record_id 'no id' is not domain/local-id",
        "note site.example.org/n1": "its person was skipped",
    }
    assert [result.outcome for result in report.notes] == [NoteOutcome.SKIPPED]


def test_a_workflow_without_a_report_of_a_missing_person_keeps_believed_missing_as_information():
    workflow = WORKFLOW.without_rules("report_missing")
    withdrawal = note(2, status="believed_missing", author_name="not the reporter")
    report = read(person(inner=note(1) + withdrawal), workflow=workflow)
    assert [result.outcome for result in report.notes] == [NoteOutcome.TRANSITION, NoteOutcome.INFORMATION]
    assert "the workflow has no report of a missing person" in report.notes[-1].detail
    missing = read(person(inner=note(2, status="believed_missing")), workflow=workflow)
    assert missing.notes[0].detail == (
        "believed_missing agrees with the case (missing, fate unknown); kept as information"
    )


def test_a_labelled_description_on_one_line_comes_back_without_its_label():
    older = document(person(other="description: Brown eyes.")).replace("pfif/1.4", "pfif/1.3")
    (imported,) = from_pfif(older, recorded_at=JULY).imported
    assert imported.person is not None
    assert imported.person.description == "Brown eyes."


def test_believed_missing_is_the_workflow_s_first_report_of_a_missing_person_and_no_other():
    # The ministry's own report first, then anyone's: a volunteer's note is refused by the first.
    workflow = WORKFLOW.without_rules("report_missing").extend(
        name="with-two-reports-of-a-missing-person",
        rules=[
            Rule(
                trigger=trigger,
                sources={"missing"},
                target="missing",
                roles=roles,
                evidence=EvidenceRule(),
                report=True,
            )
            for trigger, roles in (("report_missing", {"ministry"}), ("report_unaccounted", set(Role)))
        ],
    )
    other = note(2, status="believed_missing", author_name="another volunteer")
    report = read(person(inner=note(1) + other), workflow=workflow)
    assert [result.outcome for result in report.notes] == [NoteOutcome.TRANSITION, NoteOutcome.SKIPPED]
    assert report.notes[-1].detail.startswith("report_missing refused: role 'ngo' may not report_missing")
