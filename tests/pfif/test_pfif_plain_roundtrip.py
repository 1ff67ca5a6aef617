"""casestate -> plain PFIF -> casestate: what comes back when no casestate attribute rides along.

A PFIF repository that reads casestate's export and publishes it again (Person
Finder does) keeps the PFIF fields and drops casestate's attributes. What a
case comes back as is then what its notes say, read by the mapping table of
``docs/how-to/pfif.md`` ("Through plain PFIF and back"): each row of
``COMES_BACK`` below is one row of that table.
"""

import pytest

from casestate import Actor, Fate, Role
from casestate.pfif import NoteOutcome, Origin, from_pfif, to_pfif
from pfif_cases import all_cases, person_for, plain, withdrawn_cases
from support import day

DOMAIN = "ngo.example.org"

# case id: (status, fate, open conflicts) after the trip, read as the importer's role (ngo).
COMES_BACK = {
    "case-missing": ("missing", Fate.UNKNOWN, 0),
    "case-captured": ("captured", Fate.ALIVE, 0),
    "case-wounded": ("captured", Fate.ALIVE, 0),  # believed_alive is reported as captured
    "case-dead": ("dead", Fate.DEAD, 0),
    "case-confirmed-dead": ("dead", Fate.DEAD, 0),  # a tier 4 note confirms nothing; the conflict stays home
    "case-confirmed-alive": ("captured", Fate.ALIVE, 0),
    "case-repatriated": ("captured", Fate.ALIVE, 0),
    "case-remains": ("dead", Fate.DEAD, 0),
    "case-retracted": ("captured", Fate.ALIVE, 1),  # withdrawn by a ministry, whose role a note does not say
    "case-dismissed": ("dead", Fate.DEAD, 0),
    "case-keyed": ("dead", Fate.DEAD, 0),
    "case-withdrawn": ("missing", Fate.UNKNOWN, 0),  # withdrawn by its own reporter
    "case-reopened": ("dead", Fate.DEAD, 1),  # reopened by a court
}
# With actor= naming each author's role, a withdrawal by an authority is a withdrawal again.
WITH_ROLES = COMES_BACK | {
    "case-retracted": ("missing", Fate.UNKNOWN, 0),
    "case-reopened": ("missing", Fate.UNKNOWN, 0),
}


def published_again(cases) -> bytes:
    return plain(to_pfif(cases, {case.id: person_for(case) for case in cases}, domain=DOMAIN))


def by_role(note) -> Actor:
    """The authors of the test cases are ``<role>-1``: the app that knows its sources says the role."""
    return Actor(note.author_name, note.author_name.rsplit("-", 1)[0])


@pytest.mark.parametrize(
    ("actor", "expected"), [(None, COMES_BACK), (by_role, WITH_ROLES)], ids=["ngo", "roles"]
)
def test_every_case_comes_back_as_the_mapping_table_says(actor, expected):
    cases = all_cases() + withdrawn_cases()
    assert sorted(expected) == sorted(case.id for case in cases)
    document = published_again(cases)
    assert b"casestate" not in document
    report = from_pfif(document, recorded_at=day(400), actor=actor)
    assert report.skipped == ()
    came_back = {
        item.case.id.removeprefix(f"{DOMAIN}/"): (
            item.case.status,
            item.case.fate,
            len(item.case.open_conflicts),
        )
        for item in report.imported
    }
    assert came_back == expected
    assert {item.origin for item in report.imported} == {Origin.OPENED}


def test_a_withdrawal_by_its_reporter_withdraws_the_report_again():
    (case,) = withdrawn_cases()[:1]
    (imported,) = from_pfif(published_again([case]), recorded_at=day(400)).imported
    last = imported.case.trail[-1]
    assert (last.trigger, last.to_status, last.actor) == ("retract", "missing", Actor("unit-1", Role.NGO))
    assert last.reason is not None
    assert "withdrawn: the video shows another man" in last.reason


def test_a_withdrawal_by_anyone_else_is_a_conflict_for_a_person_to_resolve():
    case = next(case for case in all_cases() if case.id == "case-retracted")
    report = from_pfif(published_again([case]), recorded_at=day(400))
    (imported,) = report.imported
    (conflict,) = imported.case.conflicts
    assert (conflict.trigger, conflict.actor) == ("report_missing", Actor("ministry-1", Role.NGO))
    assert report.notes[-1].outcome is NoteOutcome.CONFLICT
    assert report.notes[-1].detail == "report_missing: illegal_transition"


def test_an_open_conflict_comes_back_as_information():
    # The note of a conflicting report carries no status: it does not change what the case holder believes.
    case = next(case for case in all_cases() if case.id == "case-confirmed-dead")
    assert case.open_conflicts
    (imported,) = from_pfif(published_again([case]), recorded_at=day(400)).imported
    assert imported.case.open_conflicts == ()
    (kept,) = imported.information
    assert kept.status is None
    assert kept.text is not None
    assert kept.text.startswith("Conflicting report (report_captured) kept for review")


def test_the_trip_twice_adds_nothing():
    cases = all_cases() + withdrawn_cases()
    document = published_again(cases)
    first = from_pfif(document, recorded_at=day(400))
    again = from_pfif(
        document, recorded_at=day(401), cases={item.case.id: item.case for item in first.imported}
    )
    assert again.cases == first.cases
    assert {result.outcome for result in again.notes} == {NoteOutcome.SKIPPED, NoteOutcome.INFORMATION}
