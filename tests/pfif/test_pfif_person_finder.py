"""PFIF as Google Person Finder writes it: its 1.2, 1.3 and 1.4 records, its Atom feeds, expiry.

The documents in tests/data/pfif/personfinder-*.xml follow google/personfinder's
own writers, each named in the file: app/pfif.py (PFIF_1_2, PFIF_1_3, PFIF_1_4
and the ``description:`` label of ``other``), app/atom.py (the Atom person and
note feeds of app/feeds.py), and the expired placeholder of app/pfif.py's
PLACEHOLDER_FIELDS.
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from casestate import Actor, Fate, Role
from casestate.pfif import NoteOutcome, Origin, Person, PfifError, from_pfif, to_pfif
from pfif_cases import story

DATA = Path(__file__).parents[1] / "data" / "pfif"
JULY = datetime(2024, 7, 1, tzinfo=UTC)
OWN = "ngo.example.org/case-7"


def read(name: str, **options):
    return from_pfif((DATA / name).read_bytes(), recorded_at=JULY, **options)


def outcomes(report) -> dict[str, NoteOutcome]:
    return {result.note_record_id.rsplit("/", 1)[1]: result.outcome for result in report.notes}


def reasons(report) -> dict[str, str]:
    return {item.record: item.reason for item in report.skipped}


# -- the Atom feeds -------------------------------------------------------------------------


def test_the_person_feed_is_read_as_the_pfif_it_carries():
    report = read("personfinder-person-feed-1.3.xml")
    assert report.version == "1.3"
    assert [item.case.id for item in report.imported] == [
        "war.personfinder.example.org/person.101",
        "war.personfinder.example.org/person.103",
    ]
    assert {item.origin for item in report.imported} == {Origin.OPENED}


def test_notes_from_several_sources_about_one_person():
    andrii = read("personfinder-person-feed-1.3.xml").imported[0]
    assert [entry.trigger for entry in andrii.case.trail] == ["open", "report_dead", "retract"]
    # Taras reported the death and withdrew it himself: the case is missing again.
    withdrawal = andrii.case.trail[-1]
    assert (withdrawal.to_status, withdrawal.actor) == ("missing", Actor("Taras M.", Role.NGO))
    assert andrii.case.open_conflicts == ()
    # His wife's plea is information; the volunteer who spoke with him is evidence of life.
    assert [note.status for note in andrii.information] == ["information_sought"]
    (life,) = andrii.evidence_of_life
    assert (life.author_name, life.author_made_contact, life.status) == ("volunteer-chernihiv", True, None)
    assert (andrii.case.status, andrii.case.fate) == ("missing", Fate.UNKNOWN)


def test_the_note_feed_goes_onto_the_case_holders_own_case():
    dead = story("case-7", ("report_dead", Role.UNIT, ("unit_notification",), 10))
    report = read("personfinder-note-feed-1.2.xml", cases={OWN: dead})
    assert report.version == "1.2"
    assert outcomes(report) == {
        # Alive in a camp in May, against the death the unit reported in March, as strong: neither holds.
        "n-51": NoteOutcome.CONFLICT,
        "7781": NoteOutcome.TRANSITION,  # dead in June, from the missing the pair left
        # The ministry is not the reporter, and a note does not say it is an authority.
        "notice-880": NoteOutcome.CONFLICT,
    }
    (imported,) = report.imported
    assert (imported.origin, imported.case.status, len(imported.case.open_conflicts)) == (
        Origin.EXISTING,
        "dead",
        3,
    )


def test_a_source_the_app_knows_as_an_authority_withdraws_the_report():
    def known(note):
        if note.note_record_id.startswith("ministry.example.gov/"):
            return Actor("mod-missing-persons", Role.MINISTRY)
        return Actor(note.author_name, Role.NGO)

    dead = story("case-7", ("report_dead", Role.UNIT, ("unit_notification",), 10))
    report = read("personfinder-note-feed-1.2.xml", cases={OWN: dead}, actor=known)
    (imported,) = report.imported
    withdrawal = imported.case.trail[-1]
    assert (withdrawal.trigger, withdrawal.to_status, withdrawal.role) == (
        "retract",
        "missing",
        Role.MINISTRY,
    )
    assert imported.case.status == "missing"
    assert outcomes(report)["notice-880"] is NoteOutcome.TRANSITION


def test_an_empty_feed_is_an_empty_import_of_the_version_it_declares():
    # Person Finder answers a feed with no entry when nothing is new since min_entry_date.
    feed = (DATA / "personfinder-note-feed-1.2.xml").read_text(encoding="utf-8")
    empty = feed[: feed.index("  <entry>")] + "</feed>\n"
    report = from_pfif(empty, recorded_at=JULY)
    assert (report.version, report.imported, report.notes) == ("1.2", (), ())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("http://zesty.ca/pfif/1.2", "http://zesty.ca/pfif/1.1"), "PFIF 1.1 is not supported"),
        (
            ('xmlns:pfif="http://zesty.ca/pfif/1.2"', 'xmlns:pfif="urn:other"'),
            "an Atom feed without PFIF records",
        ),
    ],
)
def test_a_feed_of_no_pfif_casestate_reads_is_refused(change, message):
    feed = (DATA / "personfinder-note-feed-1.2.xml").read_text(encoding="utf-8")
    with pytest.raises(PfifError, match=message):
        from_pfif(feed.replace(*change), recorded_at=JULY)


def test_a_feed_of_two_pfif_versions_is_refused():
    feed = (DATA / "personfinder-note-feed-1.2.xml").read_text(encoding="utf-8")
    mixed = feed.replace("<pfif:note>", '<pfif:note xmlns:pfif="http://zesty.ca/pfif/1.4">', 1)
    with pytest.raises(PfifError, match=r"the feed mixes PFIF 1\.2 and 1\.4"):
        from_pfif(mixed, recorded_at=JULY)


def test_an_entrys_extension_elements_are_not_read_but_a_stray_pfif_element_is_refused():
    feed = (DATA / "personfinder-note-feed-1.2.xml").read_text(encoding="utf-8")
    extended = feed.replace(
        "    <id>pfif:", '    <geo:point xmlns:geo="urn:geo">50.4 30.5</geo:point>\n    <id>pfif:'
    )
    assert len(from_pfif(extended, recorded_at=JULY).skipped) == 3  # the three notes: no case of theirs here
    stray = feed.replace("    <id>pfif:", "    <pfif:repo>war</pfif:repo>\n    <id>pfif:", 1)
    with pytest.raises(
        PfifError, match=r"not PFIF 1\.2: PFIF record 2 of the feed is \{http://zesty.ca/pfif/1\.2\}repo"
    ):
        from_pfif(stray, recorded_at=JULY)


def test_a_feed_is_read_with_the_same_hardening():
    feed = (DATA / "personfinder-note-feed-1.2.xml").read_bytes()
    laughs = feed.replace(b"<feed", b'<!DOCTYPE feed [<!ENTITY lol "lol">]>\n<feed', 1)
    with pytest.raises(PfifError, match=r"refused: the document has a document type declaration"):
        from_pfif(laughs, recorded_at=JULY)
    with pytest.raises(PfifError, match="more than the limit of 100"):
        from_pfif(feed, recorded_at=JULY, max_bytes=100)


# -- what a note means ------------------------------------------------------------------------


def test_a_note_by_the_person_is_evidence_of_life_not_a_capture():
    report = read("personfinder-1.4.xml")
    yurii = report.imported[0]
    assert (yurii.case.status, yurii.case.fate) == ("missing", Fate.UNKNOWN)
    assert [note.status for note in yurii.evidence_of_life] == ["is_note_author"]
    assert outcomes(report)["note.502"] is NoteOutcome.EVIDENCE_OF_LIFE
    (life,) = [result for result in report.notes if result.note_record_id.endswith("note.502")]
    assert "no move of the workflow says only that" in life.detail


def test_believed_alive_is_the_apps_choice_and_none_keeps_it_as_evidence_of_life():
    captured = read("personfinder-person-feed-1.3.xml").imported[1]
    assert captured.case.status == "captured"
    alive = read("personfinder-person-feed-1.3.xml", alive_trigger=None).imported[1]
    assert (alive.case.status, [note.status for note in alive.evidence_of_life]) == (
        "missing",
        ["believed_alive"],
    )


def test_a_workflow_with_a_move_for_alive_takes_evidence_of_life_through_it():
    report = read("personfinder-1.4.xml", life_trigger="report_wounded")
    yurii = report.imported[0]
    assert (yurii.case.status, yurii.evidence_of_life) == ("wounded", ())
    assert outcomes(report)["note.502"] is NoteOutcome.TRANSITION


def test_the_life_trigger_is_checked_before_reading():
    with pytest.raises(ValueError, match="unknown trigger 'report_alive'"):
        read("personfinder-1.4.xml", life_trigger="report_alive")


# -- expiry -----------------------------------------------------------------------------------


def test_an_expired_record_brings_no_personal_data():
    report = read("personfinder-1.4.xml")
    assert [item.case.id for item in report.imported] == ["war.personfinder.example.org/person.401"]
    assert reasons(report)["person war.personfinder.example.org/person.402"] == (
        "its record expired at 2024-06-15T12:00:00Z (expiry_date): PFIF asks that an expired record "
        "keep no personal data, so nothing of it is taken"
    )
    assert reasons(report)["note war.personfinder.example.org/note.601"] == "its person was skipped"


def test_the_placeholder_of_an_expired_record_is_reported_as_expired():
    report = read("personfinder-person-feed-1.3.xml")
    assert (
        "expired at 2024-05-01T00:00:00Z" in reasons(report)["person war.personfinder.example.org/person.102"]
    )


def test_a_record_before_its_expiry_comes_in_whole_and_keeps_its_expiry():
    report = from_pfif(
        (DATA / "personfinder-1.4.xml").read_bytes(), recorded_at=datetime(2024, 6, 1, tzinfo=UTC)
    )
    ostap = report.imported[1]
    assert ostap.person is not None
    assert ostap.person.expiry_date == datetime(2024, 6, 15, 12, tzinfo=UTC)
    assert ostap.person.home_city == "Lutsk"


def test_an_unreadable_expiry_keeps_the_record_out():
    document = (
        (DATA / "personfinder-1.4.xml")
        .read_text(encoding="utf-8")
        .replace("2024-06-15T12:00:00Z</pfif:expiry_date>", "15.06.2024</pfif:expiry_date>")
    )
    report = from_pfif(document, recorded_at=JULY)
    assert (
        "its expiry_date cannot be read" in reasons(report)["person war.personfinder.example.org/person.402"]
    )


def test_the_expiry_is_carried_on_export_and_back():
    case = story("case-1")
    person = Person("Ivan", expiry_date="2030-01-01T00:00:00.5Z")
    assert person.expiry_date == datetime(2030, 1, 1, tzinfo=UTC)
    document = to_pfif([case], {"case-1": person}, domain="ngo.example.org")
    assert b"<pfif:expiry_date>2030-01-01T00:00:00Z</pfif:expiry_date>" in document
    # In the order PFIF lists the fields: right after entry_date.
    assert document.index(b"entry_date>") < document.index(b"expiry_date>") < document.index(b"author_name>")
    report = from_pfif(document, recorded_at=JULY, trust_plain=True)
    assert report.imported[0].person == person


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (datetime(2030, 1, 1), ValueError, "timezone-aware"),  # noqa: DTZ001
        ("1 January 2030", ValueError, "not a PFIF date"),
        (20300101, TypeError, "a datetime, a PFIF date or None"),
    ],
)
def test_an_expiry_date_is_a_time(value, error, message):
    with pytest.raises(error, match=message):
        Person("Ivan", expiry_date=value)


def test_expired_tells_at_a_time():
    person = Person("Ivan", expiry_date=datetime(2030, 1, 1, tzinfo=UTC))
    assert (person.expired(JULY), person.expired(datetime(2030, 1, 1, tzinfo=UTC))) == (False, True)
    assert not Person("Ivan").expired(JULY)


# -- PFIF 1.2 ---------------------------------------------------------------------------------


def test_a_pfif_1_2_person_without_a_date_is_opened_as_of_its_import():
    report = read("personfinder-1.2.xml")
    assert report.skipped == ()
    roman, _ = report.imported
    assert roman.case.trail[0].effective_at == JULY
    assert roman.person is not None
    assert roman.person.full_name == "Roman Savchuk"


def test_the_description_label_of_other_is_taken_off_as_person_finder_does():
    roman, stepan = read("personfinder-1.2.xml").imported
    assert roman.person is not None
    assert roman.person.description == "Tall, fair hair.\nTattoo of a wolf on the shoulder."
    # Other labels beside it: kept whole, as Person Finder keeps it, so nothing is lost.
    assert stepan.person is not None
    assert stepan.person.description == "height: 180 cm\ndescription: brown eyes"


def test_a_pfif_1_3_person_still_needs_a_date():
    document = (DATA / "personfinder-1.2.xml").read_text(encoding="utf-8").replace("pfif/1.2", "pfif/1.3")
    report = from_pfif(document, recorded_at=JULY)
    assert report.imported == ()
    assert set(reasons(report).values()) == {"it has no valid source_date, and no note gives a date"}


# -- trusted domains --------------------------------------------------------------------------


def test_records_of_other_domains_than_the_trusted_ones_are_reported():
    dead = story("case-7", ("report_dead", Role.UNIT, ("unit_notification",), 10))
    trusted = ["tracing.example.net", "Ministry.Example.Gov."]
    report = read("personfinder-note-feed-1.2.xml", cases={OWN: dead}, trusted_domains=trusted)
    assert reasons(report) == {
        "note rumours.example.com/7781": "its domain 'rumours.example.com' is not one of the trusted domains"
    }
    assert outcomes(report)["7781"] is NoteOutcome.SKIPPED


def test_a_person_of_an_untrusted_domain_opens_no_case():
    report = read("personfinder-person-feed-1.3.xml", trusted_domains={"tracing.example.net"})
    assert report.imported == ()
    assert reasons(report)["person war.personfinder.example.org/person.101"] == (
        "its domain 'war.personfinder.example.org' is not one of the trusted domains"
    )
    assert reasons(report)["note war.personfinder.example.org/note.201"] == (
        "its person was skipped (not of a trusted domain)"
    )


def test_a_copy_of_the_holders_own_record_from_an_untrusted_domain_still_takes_trusted_notes():
    captured = story("case-7", ("report_captured", Role.FAMILY, ("video",), 10))
    report = read(
        "tracing-updates-1.4.xml",
        cases={OWN: captured},
        trusted_domains={"tracing.example.net"},
    )
    (imported,) = report.imported
    assert (imported.origin, imported.person) == (Origin.EXISTING, None)
    assert "person ngo.example.org/case-7" in reasons(report)
    assert outcomes(report)["n-32"] is NoteOutcome.TRANSITION


@pytest.mark.parametrize(
    ("given", "error", "message"),
    [
        ("tracing.example.net", TypeError, "not the string"),
        (["not a domain"], ValueError, "domain names such as"),
        ([7], ValueError, "domain names such as"),
    ],
)
def test_the_trusted_domains_are_domain_names(given, error, message):
    with pytest.raises(error, match=message):
        read("personfinder-1.4.xml", trusted_domains=given)


def test_an_actor_that_is_no_actor_skips_the_note():
    report = read("personfinder-1.4.xml", actor=lambda note: note.author_name)
    assert (
        "actor must give an Actor, not str" in reasons(report)["note war.personfinder.example.org/note.502"]
    )
