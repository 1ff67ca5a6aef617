"""casestate -> PFIF -> casestate: what "equal" covers.

Every entry rides along whole in casestate's extension namespace, salts and
hashes included, so the cases rebuilt are equal as values (``==`` compares
every field and every entry: status, fate, assurance, status_since, open
conflicts, kinds, triggers, evidence in full, reasons, actor ids, salts,
commitments and hashes). The person details come back equal too. A redacted
export rebuilds the redacted trail (still verifying), equal to
``redact(case.trail)``. A chain sealed with a key needs the key again; a
plain one, which anyone can compute, is restored only with ``trust_plain``.
"""

import re

import attrs
import pytest

from casestate import Role, redact
from casestate.pfif import NoteOutcome, Origin, from_pfif, to_pfif
from pfif_cases import KEY, all_cases, person_for, story
from support import WORKFLOW, change, day

DOMAIN = "ngo.example.org"


def export(cases, **options) -> bytes:
    return to_pfif(cases, {case.id: person_for(case) for case in cases}, domain=DOMAIN, **options)


@pytest.mark.parametrize("sealed", [True, False], ids=["keyed", "plain-trusted"])
def test_cases_come_back_equal_with_their_people(sealed):
    cases = all_cases(key=KEY) if sealed else [case for case in all_cases() if not case.keyed]
    proof = {"key": KEY} if sealed else {"trust_plain": True}
    report = from_pfif(export(cases), recorded_at=day(400), **proof)
    assert {case.keyed for case in cases} == {sealed}
    assert report.skipped == ()
    assert report.cases == tuple(cases)
    assert [item.person for item in report.imported] == [person_for(case) for case in cases]
    assert {item.origin for item in report.imported} == {Origin.RESTORED}
    assert {result.outcome for result in report.notes} == {NoteOutcome.RESTORED}
    assert len(report.notes) == sum(case.version for case in cases)


def test_a_document_of_keyed_and_plain_chains_restores_the_keyed_ones_with_the_key():
    cases = all_cases()
    report = from_pfif(export(cases), recorded_at=day(400), key=KEY)
    restored = [item.case for item in report.imported if item.origin is Origin.RESTORED]
    assert restored == [case for case in cases if case.keyed]
    opened = [item for item in report.imported if item.origin is Origin.OPENED]
    assert [item.case.id for item in opened] == [f"{DOMAIN}/{case.id}" for case in cases if not case.keyed]
    assert all("its chain is plain" in item.reason for item in report.skipped)
    assert len(report.skipped) == len(opened)


def test_the_statuses_fates_assurances_and_conflicts_survive():
    cases = all_cases(key=KEY)
    rebuilt = {case.id: case for case in from_pfif(export(cases), recorded_at=day(400), key=KEY).cases}
    for case in cases:
        again = rebuilt[case.id]
        assert (again.status, again.fate, again.assurance, again.status_since, again.open_conflicts) == (
            case.status,
            case.fate,
            case.assurance,
            case.status_since,
            case.open_conflicts,
        )
        assert [entry.evidence for entry in again.trail] == [entry.evidence for entry in case.trail]
        assert again.head == case.head


def test_a_redacted_export_rebuilds_the_redacted_trail():
    cases = [case for case in all_cases() if not case.keyed]
    document = export(cases, redacted=True)
    report = from_pfif(document, recorded_at=day(400), allow_redacted=True, trust_plain=True)
    assert report.cases == tuple(attrs.evolve(case, trail=redact(case.trail)) for case in cases)
    refused = from_pfif(document, recorded_at=day(400), trust_plain=True)
    assert refused.cases == ()
    assert "redacted" in refused.skipped[0].reason


def test_a_keyed_chain_needs_its_key_again():
    case = next(case for case in all_cases() if case.keyed)
    report = from_pfif(export([case]), recorded_at=day(400))
    assert [item.origin for item in report.imported] == [Origin.OPENED]
    (skipped,) = report.skipped
    assert "its chain is sealed with a key, and no key= was given" in skipped.reason


def test_an_altered_entry_is_caught_and_the_case_skipped_whole():
    case = all_cases()[3]
    document = export([case]).replace(b"unit_notification&quot;", b"dna_match&quot;", 1)
    report = from_pfif(document, recorded_at=day(400), trust_plain=True)
    assert report.cases == ()
    assert report.skipped[0].record == f"person {DOMAIN}/case-dead"
    assert {result.outcome for result in report.notes} == {NoteOutcome.SKIPPED}


def test_a_note_cut_from_the_end_is_caught_by_the_head():
    case = all_cases()[3]
    document = export([case]).decode()
    last_note = re.search(
        r"\s*<pfif:note casestate:entry=\"\{&quot;seq&quot;:1.*?</pfif:note>", document, re.DOTALL
    )
    assert last_note is not None
    report = from_pfif(document.replace(last_note.group(0), ""), recorded_at=day(400), trust_plain=True)
    assert report.cases == ()
    assert "1 found" in report.skipped[0].reason


def test_importing_again_into_the_cases_adds_nothing():
    cases = all_cases()
    document = export(cases)
    known = {f"{DOMAIN}/{case.id}": case for case in cases}
    report = from_pfif(document, recorded_at=day(400), key=KEY, cases=known)
    assert report.cases == tuple(cases)
    assert {item.origin for item in report.imported} == {Origin.EXISTING}
    assert {result.outcome for result in report.notes} == {NoteOutcome.SKIPPED}
    assert all("already on the case" in item.reason for item in report.skipped)


def test_a_reason_survives_even_the_characters_xml_cannot_carry():
    reason = "bell \x07, U+FFFE \ufffe, and Кирилиця"
    case = WORKFLOW.apply(story("case-1"), change("report_dead", Role.UNIT, "video", on=10, reason=reason))
    report = from_pfif(export([case]), recorded_at=day(400), trust_plain=True)
    assert report.cases == (case,)
    assert report.cases[0].trail[-1].reason == reason


def test_a_copied_person_renamed_is_not_taken_for_a_second_case_of_the_same_id():
    case = story("case-1")
    document = export([case]).decode()
    person = document[
        document.index("<pfif:person ") : document.rindex("</pfif:person>") + len("</pfif:person>")
    ]
    renamed = person.replace(f"{DOMAIN}/case-1", f"{DOMAIN}/case-2")
    report = from_pfif(document.replace(person, person + renamed), recorded_at=day(400), trust_plain=True)
    assert [item.case.id for item in report.imported] == ["case-1"]
    assert any("its casestate trail belongs to case 'case-1'" in item.reason for item in report.skipped)


def test_a_case_id_ending_in_white_space_is_never_exported():
    # The PFIF reader strips a record id's text: such an id would not come back. No case
    # may have one any more, so none reaches an export.
    with pytest.raises(ValueError, match="whitespace at its start or end"):
        story("case-1 ")
