"""PFIF written by other repositories (hand-written from the specification) comes in as expected."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from casestate import Code, EntryKind, EvidenceKind, Role, Tier
from casestate.pfif import NoteOutcome, Origin, PfifError, from_pfif
from pfif_cases import KEY, story
from support import evidence

DATA = Path(__file__).parents[1] / "data" / "pfif"
JULY = datetime(2024, 7, 1, tzinfo=UTC)


def read(name: str, **options):
    return from_pfif((DATA / name).read_bytes(), recorded_at=JULY, **options)


def outcomes(report) -> dict[str, NoteOutcome]:
    return {result.note_record_id.rsplit("/", 1)[1]: result.outcome for result in report.notes}


def test_a_people_finder_site_with_notes_in_every_status():
    report = read("findthem-1.4.xml")
    assert report.version == "1.4"
    assert report.skipped == ()
    assert outcomes(report) == {
        "note.9001": NoteOutcome.INFORMATION,  # information_sought
        "note.9002": NoteOutcome.TRANSITION,  # believed_alive: missing -> captured
        "note.9003": NoteOutcome.CORROBORATION,  # believed_alive again
        "note.9004": NoteOutcome.TRANSITION,  # believed_dead: captured -> dead
        "note.9005": NoteOutcome.CONFLICT,  # believed_missing, by another than the reporter
        "note.9006": NoteOutcome.EVIDENCE_OF_LIFE,  # is_note_author: alive, nothing says where
        "note.9007": NoteOutcome.INFORMATION,  # no status
        "note.9100": NoteOutcome.TRANSITION,  # believed_dead, outside its person
        "note.9101": NoteOutcome.CORROBORATION,
    }
    oleksandr, dmytro = report.imported
    assert oleksandr.origin is Origin.OPENED
    case = oleksandr.case
    assert case.id == "findthem.example.org/person.4471"
    assert (case.status, case.fate, case.assurance, case.open_conflicts) == ("dead", "dead", "reported", (4,))
    assert [entry.trigger for entry in case.trail] == [
        "open",
        "report_captured",
        "report_captured",
        "report_dead",
        "report_missing",
    ]
    # Opened as of the earliest date in the record, and the notes in the order they were written.
    assert case.trail[0].effective_at == datetime(2024, 3, 2, 8, 10, tzinfo=UTC)
    assert case.status_since == case.trail[3].effective_at
    assert case.trail[4].effective_at == datetime(2024, 4, 3, 9, tzinfo=UTC)
    assert [note.status for note in oleksandr.information] == ["information_sought", None]
    # His own note says he is alive: the case shows it, as the default workflow has no move for it.
    assert [note.note_record_id for note in oleksandr.evidence_of_life] == ["findthem.example.org/note.9006"]
    (life,) = [result for result in report.notes if result.outcome is NoteOutcome.EVIDENCE_OF_LIFE]
    assert life.detail.endswith("against the case's fate dead (review it)")
    assert oleksandr.person is not None
    assert oleksandr.person.home_state == "UA-32"
    assert (dmytro.case.status, dmytro.case.fate) == ("dead", "dead")
    assert report.summary() == (
        "PFIF 1.4: 2 cases; notes: 3 transition, 2 corroboration, 1 conflict, 2 information, "
        "1 evidence_of_life; 0 records skipped"
    )


def test_a_report_from_another_repository_is_tier_4_evidence_by_its_author():
    case = read("findthem-1.4.xml").imported[0].case
    report = case.trail[1]
    assert report.actor is not None
    assert (report.actor.id, report.actor.role) == ("volunteer-odesa", Role.NGO)
    (item,) = report.evidence
    assert (item.kind, item.tier) == (EvidenceKind.OTHER, Tier.UNVERIFIED)
    assert item.reference == "PFIF note findthem.example.org/note.9002"
    assert report.reason == "Recognised him in a video of prisoners posted on a channel."
    assert report.recorded_at == JULY


def test_the_source_may_say_better_and_the_role_and_triggers_are_the_apps_to_choose():
    def better(note):
        if note.author_name.startswith("Unit 41"):
            return [evidence("unit_notification")]
        return []

    report = read("findthem-1.4.xml", evidence=better, role=Role.FAMILY, alive_trigger="report_wounded")
    oleksandr, dmytro = report.cases
    # Alive as wounded: missing -> wounded, then dead; his mother's "still missing" is a conflict.
    assert [entry.to_status for entry in oleksandr.trail] == ["missing", "wounded", "wounded", "dead", "dead"]
    assert oleksandr.conflicts[0].trigger == "report_missing"
    assert dmytro.trail[1].evidence_kinds == (EvidenceKind.UNIT_NOTIFICATION,)
    assert dmytro.trail[1].role == Role.FAMILY


def test_notes_on_the_case_holders_own_cases_become_reports_and_conflicts():
    confirmed = story(
        "case-7",
        ("report_dead", Role.UNIT, ("unit_notification",), 10),
        ("confirm", Role.FORENSIC_LAB, ("dna_match",), 20),
        key=KEY,
    )
    captured = story("case-9", ("report_captured", Role.FAMILY, ("video",), 10))
    known = {"ngo.example.org/case-7": confirmed, "ngo.example.org/case-9": captured}
    report = read("tracing-updates-1.4.xml", cases=known, key=KEY)
    assert outcomes(report) == {
        "n-31": NoteOutcome.CONFLICT,  # believed_alive against a death confirmed by DNA
        "n-32": NoteOutcome.INFORMATION,  # believed_dead agrees; nothing reports "confirmed"
        "n-40": NoteOutcome.CONFLICT,  # written in June about a death the day before the capture
        "n-41": NoteOutcome.SKIPPED,  # a person nobody here knows
    }
    seven, nine = report.imported
    assert {seven.origin, nine.origin} == {Origin.EXISTING}
    assert seven.case.trail[:3] == confirmed.trail
    assert (seven.case.status, seven.case.fate) == ("confirmed", "dead")
    assert seven.case.conflicts[0].codes == (Code.ILLEGAL_TRANSITION,)
    assert seven.case.keyed
    assert nine.person is None
    # The capture could not have followed the death, and a note is as strong as a video:
    # neither holds, and both wait.
    assert nine.case.status == "missing"
    assert [entry.trigger for entry in nine.case.conflicts] == ["report_captured", "report_dead"]
    assert nine.case.conflicts[1].codes == (Code.RIVAL_REPORT,)
    assert nine.case.conflicts[1].kind is EntryKind.CONFLICT
    assert "elsewhere.example.com/p-1" in report.skipped[0].reason
    # The same notes again: already on the cases, nothing is added.
    again = read(
        "tracing-updates-1.4.xml", cases={f"ngo.example.org/{c.id}": c for c in report.cases}, key=KEY
    )
    assert again.cases == report.cases


def test_without_the_case_holders_cases_a_clone_opens_a_new_case():
    report = read("tracing-updates-1.4.xml")
    (clone,) = report.imported
    assert clone.origin is Origin.OPENED
    assert clone.case.trail[0].effective_at == datetime(2024, 2, 21, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "status", "person"),
    [
        ("legacy-1.2.xml", "captured", ("Mykola Shevchuk", "Mykola", "Shevchuk", "61000")),
        ("legacy-1.3.xml", "dead", ("Vasyl Hnatiuk", "Vasyl", "Hnatiuk", None)),
    ],
)
def test_pfif_1_2_and_1_3_are_read_under_their_1_4_names(name, status, person):
    report = read(name)
    (imported,) = report.imported
    assert report.version == name[7:10]
    assert imported.case.status == status
    assert imported.person is not None
    details = imported.person
    assert (details.full_name, details.given_name, details.family_name, details.home_postal_code) == person


def test_the_description_of_pfif_1_2_was_called_other():
    person = read("legacy-1.2.xml").imported[0].person
    assert person is not None
    assert person.description == "Wears glasses; a scar above the right eyebrow."


def test_what_does_not_follow_pfif_is_skipped_and_said_why():
    report = read("rough-1.4.xml")
    reasons = {item.record: item.reason for item in report.skipped}
    assert reasons == {
        "person hasty.example.org/p1, field sex": "sex must be female, male or other, got 'M'; left out",
        "person hasty.example.org/p1, field home_country": (
            "home_country must be an upper-case ISO 3166-1 two-letter code, got 'Ukraine'; left out"
        ),
        "note hasty.example.org/n5": "a note of this id came earlier in the document",
        "note hasty.example.org/n1": "it has no author_name",
        "note hasty.example.org/n2": (
            "status 'presumed_alive' is not one of believed_alive, believed_dead, believed_missing, "
            "information_sought, is_note_author"
        ),
        "note hasty.example.org/n3": "status is_note_author needs author_made_contact true",
        "note hasty.example.org/n4": "source_date '2024-04-04 10:00' is not a PFIF date",
        "note hasty.example.org/n6": (
            "report_dead refused: effective at 2031-01-01T00:00:00.000000Z, after it was recorded at "
            "2024-07-01T00:00:00.000000Z"
        ),
        "person 2": "person_record_id 'not a record id' is not domain/local-id",
        "person hasty.example.org/p3": "it has no full_name (nor given and family names)",
    }
    codes = {item.record: item.codes for item in report.skipped}
    assert codes["note hasty.example.org/n6"] == (Code.EFFECTIVE_AFTER_RECORDED,)
    (roman,) = report.imported
    assert roman.person is not None
    assert (roman.person.full_name, roman.person.sex, roman.person.home_city) == (
        "Roman   Lysenko",
        None,
        "Poltava",
    )
    assert roman.case.status == "captured"


def test_strict_refuses_a_document_with_anything_skipped():
    with pytest.raises(PfifError, match=r"refused \(strict\): 10 records would be skipped: .*no author_name"):
        read("rough-1.4.xml", strict=True)
    assert len(read("findthem-1.4.xml", strict=True).cases) == 2


def test_unknown_triggers_are_refused_before_reading():
    with pytest.raises(ValueError, match="unknown trigger 'report_alive'"):
        read("findthem-1.4.xml", alive_trigger="report_alive")


def test_recorded_at_must_be_timezone_aware():
    with pytest.raises(ValueError, match="timezone-aware"):
        from_pfif((DATA / "findthem-1.4.xml").read_bytes(), recorded_at=datetime(2024, 7, 1))  # noqa: DTZ001
