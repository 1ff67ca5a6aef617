"""What an import reports of each record: every note, case and record skipped, named whole.

An app shows this report to the person who takes a document in: each note
with the person it is about, what became of it and why, and each case with
the notes kept beside it.
"""

import re
from datetime import UTC, datetime, timedelta, timezone
from xml.etree.ElementTree import tostring

import pytest
from defusedxml.ElementTree import fromstring

from casestate import Actor, Code, EntryKind, Role, verify
from casestate.pfif import (
    PFIF_1_4,
    Imported,
    Note,
    NoteOutcome,
    NoteResult,
    Origin,
    Person,
    PfifError,
    Skipped,
    from_pfif,
    to_pfif,
)
from pfif_cases import KEY, story
from pfif_records import JULY, document, note, person, read

SKIPPED = NoteOutcome.SKIPPED
PERSON = "site.example.org/p1"
NOTE = "site.example.org/n1"
UNKNOWN_ROLE = "role 'stranger' is not one of this workflow's roles: court, family, forensic_lab, icrc, ministry, ngo, unit"


def whole(message: str) -> str:
    """A pattern that matches *message* and nothing more."""
    return rf"\A{re.escape(message)}\Z"


def exported(*notes: str) -> str:
    """A case casestate exported (a plain chain), with *notes* of another repository added to its person."""
    case = story("case-1", ("report_captured", Role.FAMILY, ("video",), 10))
    text = to_pfif([case], {"case-1": Person("Ivan")}, domain="ngo.example.org").decode()
    return text.replace("</pfif:person>", "".join(notes) + "</pfif:person>")


@pytest.mark.parametrize(
    ("records", "options", "owner", "why"),
    [
        ([person("bad", inner=note(1))], {}, "person 1", "person_record_id 'bad' is not domain/local-id"),
        (
            [person(expiry_date="2024-01-01T00:00:00Z", inner=note(1))],
            {},
            PERSON,
            (
                "its record expired at 2024-01-01T00:00:00Z (expiry_date): PFIF asks that an expired record "
                "keep no personal data, so nothing of it is taken"
            ),
        ),
        (
            [person(full_name="", inner=note(1))],
            {},
            PERSON,
            "it has no full_name (nor given and family names)",
        ),
        (
            [person(source_date="", inner=note(1, source_date="on the 2nd"))],
            {},
            PERSON,
            "it has no valid source_date, and no note gives a date",
        ),
        (
            [person("site.example.org/\u200b", inner=note(1))],
            {},
            "site.example.org/\u200b",
            (
                "cannot open a case: case_id holds a character that shows nothing ('\\u200b') at character 18: "
                "'site.example.org/\\\\u200b' would look like another"
            ),
        ),
    ],
)
def test_the_notes_of_a_person_skipped_are_skipped_with_it_under_its_name(records, options, owner, why):
    report = read(*records, **options)
    assert report.cases == ()
    assert report.notes == (NoteResult(NOTE, owner, SKIPPED, "its person was skipped"),)
    assert report.skipped == (
        Skipped(owner if owner.startswith("person") else f"person {owner}", why),
        Skipped(f"note {NOTE}", "its person was skipped"),
    )


def test_a_note_without_an_id_is_named_by_its_place_in_the_document():
    report = read(person("bad", inner=note(1, note_record_id="")))
    assert report.notes == (NoteResult("person 1, note 1", "person 1", SKIPPED, "its person was skipped"),)
    assert report.skipped[-1] == Skipped("note person 1, note 1", "its person was skipped")


def test_a_person_given_twice_skips_the_notes_of_the_second_under_its_id():
    report = read(person(inner=note(1)), person(inner=note(2)))
    assert report.notes[1:] == (NoteResult("site.example.org/n2", PERSON, SKIPPED, "its person was skipped"),)


def test_a_person_of_an_untrusted_domain_skips_its_notes_under_its_id():
    report = read(person("other.example.org/p1", inner=note(1)), trusted_domains=["site.example.org"])
    why = "its person was skipped (not of a trusted domain)"
    assert report.notes == (NoteResult(NOTE, "other.example.org/p1", SKIPPED, why),)


def test_a_case_the_workflow_will_not_open_is_skipped_with_every_reason_and_its_codes():
    future = "2030-01-01T00:00:00Z"
    report = read(person(source_date=future, inner=note(1, source_date=future)), role="stranger")
    assert report.notes == (NoteResult(NOTE, PERSON, SKIPPED, "its person was skipped"),)
    why = (
        f"cannot open a case: {UNKNOWN_ROLE}; effective at 2030-01-01T00:00:00.000000Z, after it was "
        "recorded at 2024-07-01T00:00:00.000000Z"
    )
    assert report.skipped[0] == Skipped(
        f"person {PERSON}", why, (Code.UNKNOWN_ROLE, Code.EFFECTIVE_AFTER_RECORDED)
    )


def test_a_note_about_a_person_nowhere_is_skipped_under_the_person_it_names():
    report = read(person(), note(1, person_record_id="site.example.org/p9"))
    why = "its person 'site.example.org/p9' is neither in this document nor a known case"
    assert report.notes == (NoteResult(NOTE, "site.example.org/p9", SKIPPED, why),)


def test_each_note_a_person_cannot_take_is_skipped_under_that_person():
    notes = [
        note(1, note_record_id="n1"),
        note(2, note_record_id="other.example.org/n2"),
        note(3),
        note(3),
        note(4, person_record_id="site.example.org/p9"),
        note(5, author_name=""),
    ]
    report = read(person(inner="".join(notes)), trusted_domains=["site.example.org"])
    assert [(result.note_record_id, result.person_record_id, result.detail) for result in report.notes] == [
        ("n1", PERSON, "note_record_id 'n1' is not domain/local-id"),
        ("other.example.org/n2", PERSON, "its domain 'other.example.org' is not one of the trusted domains"),
        ("site.example.org/n3", PERSON, "a note of this id came earlier in the document"),
        ("site.example.org/n4", PERSON, "it names another person, 'site.example.org/p9'"),
        ("site.example.org/n5", PERSON, "it has no author_name"),
        ("site.example.org/n3", PERSON, "report_dead: transition"),
    ]


def test_a_note_refused_by_the_workflow_is_skipped_with_every_reason_and_its_codes():
    case = story("case-1")
    owner = "ngo.example.org/case-1"
    late = note(1, person_record_id=owner, source_date="2030-01-01T00:00:00Z")
    report = read(late, cases={owner: case}, role="stranger")
    why = (
        f"report_dead refused: {UNKNOWN_ROLE}; effective at 2030-01-01T00:00:00.000000Z, after it was "
        "recorded at 2024-07-01T00:00:00.000000Z"
    )
    codes = (Code.UNKNOWN_ROLE, Code.EFFECTIVE_AFTER_RECORDED)
    assert report.notes == (NoteResult(NOTE, owner, SKIPPED, why, codes),)
    assert report.skipped == (Skipped(f"note {NOTE}", why, codes),)


def test_a_report_accepted_names_its_person_and_the_codes_of_the_conflict_it_keeps():
    owner = "ngo.example.org/case-1"
    case = story("case-1", ("report_dead", Role.UNIT, ("unit_notification",), 10))
    # "Still missing" after the reported death contradicts it: kept as a conflict.
    after = note(20, status="believed_missing", person_record_id=owner, source_date="2024-03-05T00:00:00Z")
    report = read(after, cases={owner: case})
    (result,) = report.notes
    assert result == NoteResult(
        "site.example.org/n20",
        owner,
        NoteOutcome.CONFLICT,
        "report_missing: illegal_transition",
        (Code.ILLEGAL_TRANSITION,),
    )
    assert result.codes == report.cases[0].trail[-1].codes


def test_a_note_that_cannot_be_made_a_report_is_skipped_under_its_person():
    report = read(person(inner=note(1)), evidence=lambda _note: ["a video"])
    why = "cannot make a report of it: evidence must hold Evidence values, not str"
    assert report.notes == (NoteResult(NOTE, PERSON, SKIPPED, why),)


def test_a_note_already_taken_is_skipped_under_its_person_with_the_entry_it_is_on():
    first = read(person(inner=note(1)))
    (case,) = first.cases
    again = read(note(1, person_record_id=PERSON), cases={PERSON: case})
    why = "already on the case (entry 1)"
    assert again.notes == (NoteResult(NOTE, PERSON, SKIPPED, why),)
    assert again.skipped == (Skipped(f"note {NOTE}", why),)


def test_a_note_on_a_keyed_case_without_its_key_is_skipped_under_its_person():
    owner = "ngo.example.org/case-1"
    case = story("case-1", key=KEY)
    report = read(note(20, person_record_id=owner), cases={owner: case})
    (result,) = report.notes
    assert (result.person_record_id, result.outcome) == (owner, SKIPPED)
    assert result.detail == report.skipped[0].reason


def test_the_entries_of_a_case_already_held_are_skipped_under_its_person():
    owner = "ngo.example.org/case-1"
    text = exported()
    (case,) = from_pfif(text, recorded_at=JULY, trust_plain=True).cases
    report = from_pfif(text, recorded_at=JULY, cases={owner: case})
    why = "already on the case (the same casestate entry)"
    assert report.notes == tuple(NoteResult(f"{owner}/{seq}", owner, SKIPPED, why) for seq in (0, 1))
    assert report.skipped == tuple(Skipped(f"note {owner}/{seq}", why) for seq in (0, 1))
    assert report.imported == (Imported(owner, case, Person("Ivan"), (), Origin.EXISTING),)


def _kept(number: int, **fields) -> Note:
    """The note :func:`note` writes, as the import keeps it."""
    values = {
        "note_record_id": f"site.example.org/n{number}",
        "person_record_id": PERSON,
        "author_name": "a volunteer",
        "source_date": datetime(2024, 3, number + 1, tzinfo=UTC),
        "text": "seen",
    }
    return Note(**(values | fields))


def test_a_note_kept_as_information_keeps_every_field_it_came_with():
    fields = {
        "entry_date": "2024-03-05T10:00:00Z",
        "linked_person_record_id": "other.example.org/p7",
        "last_known_location": "Bakhmut",
        "author_email": "volunteer@example.org",
        "author_phone": "+380 44 000 0000",
        "email_of_found_person": "ivan@example.org",
        "phone_of_found_person": "+380 44 111 1111",
        "author_made_contact": "false",
    }
    report = read(person(inner=note(1, status="", **fields) + note(2, status="")))
    (imported,) = report.imported
    assert imported.information == (
        _kept(
            1,
            author_made_contact=False,
            entry_date=datetime(2024, 3, 5, 10, tzinfo=UTC),
            **{
                name: value
                for name, value in fields.items()
                if name not in ("entry_date", "author_made_contact")
            },
        ),
        _kept(2),
    )
    assert report.notes == tuple(
        NoteResult(
            f"site.example.org/n{number}", PERSON, NoteOutcome.INFORMATION, "no status: kept as information"
        )
        for number in (1, 2)
    )


def test_a_person_opened_is_reported_whole_with_the_notes_kept_beside_it():
    life = note(2, status="information_sought", author_made_contact="true")
    report = read(person(inner=note(1, status="") + life))
    (imported,) = report.imported
    assert imported == Imported(
        PERSON,
        report.cases[0],
        Person("Ivan"),
        (_kept(1),),
        Origin.OPENED,
        (_kept(2, status="information_sought", author_made_contact=True),),
    )
    assert report.notes[1].detail == (
        "alive, and nothing says where: no move of the workflow says only that (pass life_trigger= for one "
        "that does); kept as evidence of life"
    )


def test_a_person_restored_is_reported_whole_with_its_entries_and_the_notes_kept_beside_it():
    owner = "ngo.example.org/case-1"
    life = note(2, status="is_note_author", author_made_contact="true")
    report = from_pfif(exported(note(1, status=""), life), recorded_at=JULY, trust_plain=True)
    (imported,) = report.imported
    kept = _kept(1, person_record_id=owner)
    alive = _kept(2, person_record_id=owner, status="is_note_author", author_made_contact=True)
    assert imported == Imported(owner, report.cases[0], Person("Ivan"), (kept,), Origin.RESTORED, (alive,))
    assert report.notes[:2] == tuple(
        NoteResult(f"{owner}/{seq}", owner, NoteOutcome.RESTORED, "casestate entry") for seq in (0, 1)
    )
    assert [result.person_record_id for result in report.notes[2:]] == [owner, owner]


def test_a_person_whose_trail_proves_nothing_is_opened_with_its_details():
    owner = "ngo.example.org/case-1"
    report = from_pfif(exported(note(1, status="")), recorded_at=JULY)
    (imported,) = report.imported
    assert imported.origin is Origin.OPENED
    assert imported.person == Person("Ivan")
    assert imported.information == (_kept(1, person_record_id=owner),)


@pytest.mark.parametrize("trusted", [None, ["site.example.org"]])
def test_a_case_already_held_is_reported_whole_with_the_notes_kept_beside_it(trusted):
    owner = "ngo.example.org/case-1" if trusted is None else "other.example.org/case-1"
    case = story("case-1")
    life = note(2, status="is_note_author", author_made_contact="true")
    with_person = read(
        person(owner, inner=note(1, status="") + life), cases={owner: case}, trusted_domains=trusted
    )
    alone = read(
        note(1, status="", person_record_id=owner),
        note(2, status="is_note_author", author_made_contact="true", person_record_id=owner),
        cases={owner: case},
        trusted_domains=trusted,
    )
    kept = _kept(1, person_record_id=owner)
    alive = _kept(2, person_record_id=owner, status="is_note_author", author_made_contact=True)
    details = Person("Ivan") if trusted is None else None
    assert with_person.imported == (Imported(owner, case, details, (kept,), Origin.EXISTING, (alive,)),)
    assert alone.imported == (Imported(owner, case, None, (kept,), Origin.EXISTING, (alive,)),)


@pytest.mark.parametrize(
    ("fields", "opener"),
    [
        ({"author_name": "a clerk", "source_name": "Find Them"}, "a clerk"),
        ({"source_name": "Find Them"}, "Find Them"),
        ({}, "site.example.org"),
    ],
)
def test_a_case_is_opened_by_the_record_s_author_or_else_its_source_or_else_its_domain(fields, opener):
    record_id = "site.example.org/p/1"
    opening = read(person(record_id, **fields)).cases[0].trail[0]
    assert opening.actor == Actor(opener, Role.NGO)
    assert opening.reason == f"opened from PFIF person record {record_id}"


def test_a_case_opened_with_the_case_holder_s_key_is_sealed_with_it():
    (case,) = read(person(inner=note(1)), key=KEY).cases
    assert case.keyed
    assert verify(case.trail, key=KEY)


def test_a_person_dated_by_its_entry_date_alone_is_opened_as_of_it():
    (case,) = read(person(source_date="", entry_date="2024-03-05T10:00:00Z")).cases
    assert case.trail[0].effective_at == datetime(2024, 3, 5, 10, tzinfo=UTC)


def test_evidence_of_life_against_a_dead_case_says_so_in_full():
    owner = "ngo.example.org/case-1"
    case = story("case-1", ("report_dead", Role.UNIT, ("unit_notification",), 10))
    alive = note(20, status="is_note_author", author_made_contact="true", person_record_id=owner)
    (result,) = read(alive, cases={owner: case}).notes
    assert result.detail == (
        "alive, and nothing says where: no move of the workflow says only that (pass life_trigger= for one "
        "that does); kept as evidence of life, against the case's fate dead (review it)"
    )


def test_a_trusted_domain_is_the_part_of_a_record_id_before_its_first_slash():
    records = person("site.example.org/p/1", inner=note(1) + note(2, note_record_id="other.example.org/n/2"))
    report = read(records, trusted_domains=["site.example.org"])
    assert [imported.person_record_id for imported in report.imported] == ["site.example.org/p/1"]
    assert report.skipped == (
        Skipped(
            "note other.example.org/n/2", "its domain 'other.example.org' is not one of the trusted domains"
        ),
    )


def _notes_reversed(text: str) -> str:
    """*text* with the notes of its person in the reverse order."""
    root = fromstring(text.encode(), forbid_dtd=True)
    (record,) = root
    notes = record.findall(f"{{{PFIF_1_4}}}note")
    for item in notes:
        record.remove(item)
    record.extend(reversed(notes))
    return tostring(root, encoding="unicode")


def test_a_trail_whose_notes_come_in_another_order_is_restored_in_the_order_of_its_entries():
    case = story(
        "case-1",
        ("report_captured", Role.FAMILY, ("video",), 10),
        ("report_dead", Role.UNIT, ("unit_notification",), 20),
    )
    text = to_pfif([case], {"case-1": Person("Ivan")}, domain="ngo.example.org").decode()
    report = from_pfif(_notes_reversed(text), recorded_at=JULY, trust_plain=True)
    assert report.cases == (case,)


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("&quot;seq&quot;:1,", "", "entries[0].seq: missing"),
        ("&quot;seq&quot;:1,", "&quot;seq&quot;:&quot;1&quot;,", "entries[0].seq: expected int, got str"),
    ],
)
def test_an_entry_without_a_place_in_the_trail_is_named_first(old, new, reason):
    text = exported()
    assert old in text
    report = from_pfif(text.replace(old, new), recorded_at=JULY, trust_plain=True)
    assert report.cases == ()
    assert report.skipped[0] == Skipped(
        "person ngo.example.org/case-1", f"its casestate trail cannot be restored: {reason}"
    )
    assert {(result.person_record_id, result.outcome) for result in report.notes} == {
        ("ngo.example.org/case-1", SKIPPED)
    }


@pytest.mark.parametrize("value", ['{"hash": "another", "hash": "%s"}', '{"hash": ["%s"]}'])
def test_a_note_whose_entry_hash_is_not_one_string_is_no_entry_already_held(value):
    owner = "ngo.example.org/case-1"
    case = story("case-1")
    fields = note(20, person_record_id=owner)
    attribute = value.replace('"', "&quot;") % case.head
    record = fields.replace(
        "<pfif:note>", f'<pfif:note xmlns:c="urn:casestate:pfif:1" c:entry="{attribute}">'
    )
    report = read(record, cases={owner: case})
    assert [result.outcome for result in report.notes] == [NoteOutcome.TRANSITION]
    assert report.cases[0].status == "dead"


def test_recorded_at_that_is_no_datetime_is_refused_by_name():
    with pytest.raises(
        ValueError, match=r"\Arecorded_at must be a timezone-aware datetime, got '2024-07-01'\Z"
    ):
        from_pfif(document(person()), recorded_at="2024-07-01")


def test_recorded_at_past_the_calendar_in_utc_is_refused_by_name():
    late = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-2)))
    message = "recorded_at 9999-12-31T23:00:00-02:00 falls outside the years 1 to 9999 in UTC"
    with pytest.raises(ValueError, match=whole(message)):
        from_pfif(document(person()), recorded_at=late)


def test_trust_plain_and_a_key_together_are_refused_in_so_many_words():
    message = "trust_plain restores plain chains, which key= refuses: pass one or the other"
    with pytest.raises(ValueError, match=whole(message)):
        from_pfif(document(person()), recorded_at=JULY, key=KEY, trust_plain=True)


def test_strict_names_every_record_it_would_skip():
    with pytest.raises(PfifError) as refused:
        read(person("bad"), person(full_name=""), strict=True)
    assert str(refused.value) == (
        "refused (strict): 2 records would be skipped: person 1: person_record_id 'bad' is not domain/local-id; "
        "person site.example.org/p1: it has no full_name (nor given and family names)"
    )


def test_a_record_expires_at_the_instant_of_its_expiry_date():
    at_the_instant = read(person(expiry_date="2024-07-01T00:00:00Z"))
    a_second_later = read(person(expiry_date="2024-07-01T00:00:01Z"))
    assert at_the_instant.cases == ()
    assert at_the_instant.skipped[0].reason.startswith("its record expired at 2024-07-01T00:00:00Z")
    assert len(a_second_later.cases) == 1


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("&quot;entry_count&quot;: 2", "&quot;entry_count&quot;: &quot;2&quot;"),
        ("&quot;head&quot;: &quot;", "&quot;head&quot;: 7, &quot;was&quot;: &quot;"),
    ],
)
def test_a_case_attribute_with_a_head_or_count_of_another_type_is_not_casestate_s(old, new):
    text = exported()
    assert old in text
    report = from_pfif(text.replace(old, new), recorded_at=JULY, trust_plain=True)
    assert report.skipped[0] == Skipped(
        "person ngo.example.org/case-1",
        "its casestate trail cannot be restored: the case attribute is not casestate's",
    )


def test_a_redacted_trail_is_refused_with_the_option_that_takes_it():
    case = story("case-1")
    text = to_pfif([case], {"case-1": Person("Ivan")}, domain="ngo.example.org", redacted=True)
    report = from_pfif(text, recorded_at=JULY, trust_plain=True)
    assert report.skipped[0].reason == (
        "its casestate trail cannot be restored: the trail is redacted (exported with redacted=True); "
        "pass allow_redacted=True to take it"
    )


def test_a_trail_cut_short_with_its_count_put_right_is_caught_by_its_head():
    text = exported()
    last = text.rindex("<pfif:note ")
    cut = text[:last] + text[text.index("</pfif:note>", last) + len("</pfif:note>") :]
    cut = cut.replace("&quot;entry_count&quot;: 2", "&quot;entry_count&quot;: 1")
    report = from_pfif(cut, recorded_at=JULY, trust_plain=True)
    assert report.cases == ()
    assert report.skipped[0].reason == (
        "its casestate trail cannot be restored: case 'case-1': entry 0: is not the expected head: entries "
        "after it were cut off, or the trail was replaced"
    )


def test_a_trail_under_another_person_s_record_id_is_skipped_with_its_notes():
    moved = exported(note(1)).replace(
        "ngo.example.org/case-1</pfif:person_record_id>", "ngo.example.org/case-2</pfif:person_record_id>"
    )
    report = from_pfif(moved, recorded_at=JULY, trust_plain=True)
    owner = "ngo.example.org/case-2"
    assert report.cases == ()
    assert report.skipped[0] == Skipped(
        f"person {owner}", f"its casestate trail belongs to case 'case-1', whose record id is not {owner!r}"
    )
    assert {result.person_record_id for result in report.notes} == {owner}
    assert {result.outcome for result in report.notes} == {SKIPPED}


def test_a_partner_note_of_a_time_before_the_current_status_that_could_come_first_tells_an_earlier_period():
    # Dead on day 10; a partner's note says he was alive (seen in captivity) on day 5.
    owner = "ngo.example.org/case-1"
    case = story("case-1", ("report_dead", Role.UNIT, ("unit_notification",), 10))
    alive = note(21, status="believed_alive", person_record_id=owner, source_date="2024-02-25T00:00:00Z")
    report = read(alive, cases={owner: case})
    (result,) = report.notes
    assert (result.outcome, result.codes) == (NoteOutcome.EARLIER_PERIOD, ())
    (imported,) = report.cases
    assert imported.status == "dead"
    assert imported.trail[-1].kind is EntryKind.EARLIER_PERIOD
