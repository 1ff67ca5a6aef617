import inspect
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import Element

import attrs
import pytest
from defusedxml.ElementTree import fromstring

from casestate import Case, EvidenceRule, Fate, Role, Rule, Tier, pfif
from casestate.pfif import PFIF_1_4, STATUS_OF_FATE, Person, PfifError, format_date, parse_date, to_pfif
from pfif_cases import all_cases, person_for, story
from pfif_rules import pfif_problems, view_1_3
from support import ICRC, UNIT, WORKFLOW, actor, change, dated, day, in_turn, told

NS = {"pfif": PFIF_1_4}
DOMAIN = "ngo.example.org"


def export(cases=None, **options) -> bytes:
    cases = all_cases() if cases is None else cases
    return to_pfif(cases, {case.id: person_for(case) for case in cases}, domain=DOMAIN, **options)


def persons_of(document: bytes) -> dict[str, Element]:
    root = fromstring(document)
    return {
        person.findtext("pfif:person_record_id", namespaces=NS): person
        for person in root.findall("pfif:person", NS)
    }


@pytest.mark.parametrize("redacted", [False, True])
def test_the_export_breaks_no_rule_of_the_pfif_validator(redacted):
    assert pfif_problems(export(redacted=redacted)) == []


@pytest.mark.parametrize("redacted", [False, True])
def test_the_1_3_view_of_the_export_breaks_no_rule_of_the_validators_1_3_tables(redacted):
    # Person Finder's validator refuses PFIF 1.4 outright: what it can check is the 1.3 view.
    view = view_1_3(export(redacted=redacted))
    assert b"zesty.ca/pfif/1.4" not in view
    assert b":first_name>" in view
    assert b":other>" in view
    assert b"alternate_names" not in view
    assert pfif_problems(view, version="1.3") == []


def test_a_description_over_several_lines_breaks_the_validators_rule_for_other():
    case = story("case-x")
    for person in (
        Person("Ivan", description="Tall.\nA scar on the left cheek."),
        Person("Ivan", description="Tall."),
    ):
        document = to_pfif([case], {"case-x": person}, domain=DOMAIN)
        # Person Finder's own 1.3 writer puts it under a label on a line of its own: several lines too.
        (problem,) = pfif_problems(view_1_3(document, labelled=True), version="1.3")
        assert "other does not match the specification" in problem
    one_line = to_pfif([case], {"case-x": Person("Ivan", description="Tall.")}, domain=DOMAIN)
    assert pfif_problems(view_1_3(one_line), version="1.3") == []


def test_the_rules_catch_what_they_should():
    bad = (
        f'<pfif:pfif xmlns:pfif="{PFIF_1_4}" xmlns:x="urn:x"><pfif:person>'
        "<pfif:person_record_id>nodomain</pfif:person_record_id>"
        "<pfif:source_date>2024-01-01T00:00:00.5Z</pfif:source_date><x:full_name>A</x:full_name>"
        "<pfif:sex>M</pfif:sex><x:extra>1</x:extra><pfif:note><pfif:note_record_id>a.org/1</pfif:note_record_id>"
        "<pfif:author_name>x</pfif:author_name><pfif:source_date>2024-01-01T00:00:00Z</pfif:source_date>"
        "<pfif:status>is_note_author</pfif:status><pfif:text>t</pfif:text></pfif:note>"
        "</pfif:person></pfif:pfif>"
    ).encode()
    problems = "\n".join(pfif_problems(bad))
    for expected in (
        "person_record_id does not match",
        "source_date does not match",
        "missing full_name",
        "sex does not match",
        "extraneous field extra",
        "is_note_author without author_made_contact",
    ):
        assert expected in problems


def test_one_person_per_case_with_the_details_the_app_supplies():
    cases = all_cases()
    persons = persons_of(export(cases))
    assert list(persons) == [f"{DOMAIN}/{case.id}" for case in cases]
    person = persons[f"{DOMAIN}/case-dead"]
    fields = {child.tag.split("}")[1]: child.text for child in person if not child.tag.endswith("note")}
    assert fields == {
        "person_record_id": "ngo.example.org/case-dead",
        "entry_date": "2024-02-21T06:30:00Z",
        "author_name": "family-1",
        "source_name": DOMAIN,
        "source_date": "2024-02-21T06:30:00Z",
        **person_for(cases[3]).fields(),
    }
    order = [child.tag.split("}")[1] for child in person]
    assert (
        order.index("full_name")
        < order.index("given_name")
        < order.index("home_country")
        < order.index("note")
    )


def test_one_note_per_entry_with_the_status_its_fate_maps_to():
    cases = {case.id: case for case in all_cases()}
    persons = persons_of(export(list(cases.values())))
    expected_last = {
        "case-missing": "believed_missing",
        "case-captured": "believed_alive",
        "case-wounded": "believed_alive",
        "case-dead": "believed_dead",
        "case-confirmed-alive": "believed_alive",
        "case-repatriated": "believed_alive",
        "case-remains": "believed_dead",
        "case-retracted": "believed_missing",
        "case-keyed": "believed_dead",
    }
    for case_id, case in cases.items():
        notes = persons[f"{DOMAIN}/{case_id}"].findall("pfif:note", NS)
        assert [note.findtext("pfif:note_record_id", namespaces=NS) for note in notes] == [
            f"{DOMAIN}/{case_id}/{entry.seq}" for entry in case.trail
        ]
        for note, entry in zip(notes, case.trail, strict=True):
            status = note.findtext("pfif:status", namespaces=NS)
            if entry.kind in ("conflict", "dismissal") and entry.displaces is None:
                assert status is None
            else:
                assert status == STATUS_OF_FATE[entry.fate]
            assert note.findtext("pfif:source_date", namespaces=NS) == format_date(entry.recorded_at)
        if case_id in expected_last:
            assert notes[-1].findtext("pfif:status", namespaces=NS) == expected_last[case_id]


def test_the_status_mapping_follows_the_domain_brief():
    assert STATUS_OF_FATE == {
        Fate.UNKNOWN: "believed_missing",
        Fate.ALIVE: "believed_alive",
        Fate.DEAD: "believed_dead",
    }


def test_a_conflict_note_says_what_was_kept_and_carries_no_status():
    case = next(case for case in all_cases() if case.id == "case-confirmed-dead")
    note = persons_of(export([case]))[f"{DOMAIN}/case-confirmed-dead"].findall("pfif:note", NS)[-1]
    assert note.findtext("pfif:status", namespaces=NS) is None
    text = note.findtext("pfif:text", namespaces=NS)
    assert "Conflicting report (report_captured)" in text
    assert "illegal_transition" in text


def test_two_rival_reports_leave_the_latest_note_saying_what_the_case_holder_believes():
    def notice(trigger, unit, kind):
        return attrs.evolve(
            change(trigger, unit, kind, on=10, recorded=11), actor=actor(unit, "u-" + trigger)
        )

    opened = WORKFLOW.open("case-rivals", actor=actor(Role.FAMILY), effective_at=day(1), recorded_at=day(1))
    for second, believed, says in (
        (
            notice("report_captured", Role.UNIT, "unit_notification"),
            "believed_missing",
            "goes back to missing",
        ),
        (notice("report_captured", Role.ICRC, "capture_card"), "believed_alive", "It outweighs report 1"),
    ):
        case = WORKFLOW.apply(
            WORKFLOW.apply(opened, notice("report_dead", Role.UNIT, "unit_notification")), second
        )
        last = persons_of(export([case]))[f"{DOMAIN}/case-rivals"].findall("pfif:note", NS)[-1]
        # A reader of Person Finder sees what the case holder now believes, not the displaced death.
        assert last.findtext("pfif:status", namespaces=NS) == believed == STATUS_OF_FATE[case.fate]
        assert says in last.findtext("pfif:text", namespaces=NS)


def test_a_rival_about_another_day_is_not_said_to_be_about_the_same_time():
    # A unit's notice: killed on 2 March; the ICRC's capture card of 5 March outweighs it.
    killed = told("report_dead", UNIT, "unit_notification", effective=dated(3, 2), recorded=dated(3, 5))
    card = told("report_captured", ICRC, "capture_card", effective=dated(3, 5), recorded=dated(3, 6))
    case = in_turn(killed, card)
    assert case.trail[-1].displaces == 1
    last = persons_of(export([case]))[f"{DOMAIN}/{case.id}"].findall("pfif:note", NS)[-1]
    text = last.findtext("pfif:text", namespaces=NS)
    assert "It outweighs report 1, which cannot be true with it: the period that report began is void" in text
    assert "same time" not in text


def test_a_redacted_export_names_roles_not_actors_and_gives_no_reasons():
    document = export(redacted=True)
    assert b"family-1" not in document
    assert b"son did not call" not in document
    assert b"<pfif:author_name>family</pfif:author_name>" in document


def test_dates_are_whole_utc_seconds():
    assert format_date(datetime(2024, 3, 1, 6, 30, 15, 999999, tzinfo=UTC)) == "2024-03-01T06:30:15Z"
    assert parse_date("2024-03-01T06:30:15.25Z") == datetime(2024, 3, 1, 6, 30, 15, 250000, tzinfo=UTC)
    with pytest.raises(ValueError, match="not a PFIF date"):
        parse_date("2024-03-01 06:30")
    with pytest.raises(ValueError, match="impossible date"):
        parse_date("2024-02-30T00:00:00Z")


def test_every_case_needs_its_person():
    case = story("case-x")
    with pytest.raises(PfifError, match="case 'case-x': no Person given"):
        to_pfif([case], {}, domain=DOMAIN)


@pytest.mark.parametrize("domain", ["", "not a domain", "ngo.example.org/x", "-bad.org"])
def test_the_domain_must_be_a_domain_name(domain):
    case = story("case-x")
    with pytest.raises(PfifError, match="domain must be a domain name"):
        to_pfif([case], {"case-x": Person("A")}, domain=domain)


def test_a_case_cannot_be_exported_twice_in_one_document():
    case = story("case-x")
    with pytest.raises(PfifError, match="given more than once"):
        to_pfif([case, case], {"case-x": Person("A")}, domain=DOMAIN)


@pytest.mark.parametrize("case_id", ["two\nlines", "two\rlines"])
def test_a_case_id_on_two_lines_never_reaches_a_record_id(case_id):
    # XML reads a carriage return back as a line feed: the id would not come back. No case
    # may have such an id any more, so none reaches an export (to_pfif keeps its own check).
    with pytest.raises(ValueError, match="shows nothing"):
        WORKFLOW.open(case_id, actor=actor(Role.FAMILY), effective_at=day(0), recorded_at=day(1))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sex", "M", "female, male or other"),
        ("date_of_birth", "17.04.1998", "YYYY"),
        ("age", "about 30", "number of years"),
        ("home_country", "Ukraine", "ISO 3166-1"),
        ("home_state", "kyiv", "ISO 3166-2"),
        ("description", "bell \x07", "XML cannot carry"),
    ],
)
def test_a_person_holds_only_values_pfif_allows(field, value, message):
    with pytest.raises(ValueError, match=message):
        Person("Ivan", **{field: value})


def test_a_person_needs_a_full_name_and_blank_details_count_as_none():
    with pytest.raises(ValueError, match="full_name"):
        Person("   ")
    assert Person(" Ivan ", given_name=" ") == Person("Ivan")


def test_a_case_opened_from_pfif_keeps_its_record_id_as_pfif_asks_of_copies():
    cases = [story("findthem.example.org/person.4471"), story("unit/7")]
    persons = persons_of(to_pfif(cases, {case.id: Person("A") for case in cases}, domain=DOMAIN))
    assert list(persons) == ["findthem.example.org/person.4471", f"{DOMAIN}/unit/7"]
    note_ids = [
        note.findtext("pfif:note_record_id", namespaces=NS)
        for note in persons["findthem.example.org/person.4471"].findall("pfif:note", NS)
    ]
    assert note_ids == [f"{DOMAIN}/findthem.example.org/person.4471/0"]


def test_the_pfif_api_is_explicit_sorted_and_documented():
    assert pfif.__all__ == sorted(pfif.__all__, key=lambda name: (not name.isupper(), name))
    public = {name for name in vars(pfif) if not name.startswith("_")}
    assert {name for name in public if not inspect.ismodule(getattr(pfif, name))} == set(pfif.__all__)
    undocumented = [
        name
        for name in pfif.__all__
        if (inspect.isclass(getattr(pfif, name)) or inspect.isfunction(getattr(pfif, name)))
        and not inspect.getdoc(getattr(pfif, name))
    ]
    assert undocumented == []


def test_every_pfif_name_is_in_its_api_reference():
    text = (Path(__file__).parents[2] / "docs" / "reference" / "pfif.rst").read_text(encoding="utf-8")
    documented = re.findall(
        r"^\.\. (?:auto)?(?:class|function|data|exception):: (\w+)$", text, flags=re.MULTILINE
    )
    assert sorted(documented) == sorted(pfif.__all__)


def test_every_note_names_its_person_and_when_it_was_entered():
    case = next(case for case in all_cases() if case.id == "case-dismissed")
    notes = persons_of(export([case]))[f"{DOMAIN}/case-dismissed"].findall("pfif:note", NS)
    assert [
        (
            note.findtext("pfif:person_record_id", namespaces=NS),
            note.findtext("pfif:entry_date", namespaces=NS),
        )
        for note in notes
    ] == [(f"{DOMAIN}/case-dismissed", format_date(entry.recorded_at)) for entry in case.trail]


def _searched() -> Case:
    """A case that goes through every kind of entry: reports, a fact, a conflict, an earlier period, a dismissal."""
    workflow = WORKFLOW.extend(
        name="with-a-search-registered",
        rules=[
            Rule(
                trigger="register_search",
                sources={"dead"},
                target="dead",
                roles={"ministry"},
                evidence=EvidenceRule(max_tier=Tier.OFFICIAL),
                fact=True,
            )
        ],
    )
    case = workflow.open("case-1", actor=actor(Role.FAMILY), effective_at=day(0), recorded_at=day(1))
    for step in [
        change("report_dead", Role.UNIT, "unit_notification", "photo", on=10),
        change("register_search", Role.MINISTRY, "missing_register", on=12),
        change("report_captured", Role.FAMILY, "video", on=-1, recorded=13),
        change("report_wounded", Role.FAMILY, "witness_statement", on=5, recorded=13),
        change("dismiss", Role.NGO, on=14, reason="another man", resolves=(3,)),
        change("report_dead", Role.FAMILY, "witness_statement", on=7, recorded=15),
    ]:
        case = workflow.apply(case, step)
    return case


def test_every_note_says_in_words_what_its_entry_did():
    case = _searched()
    notes = persons_of(export([case]))[f"{DOMAIN}/case-1"].findall("pfif:note", NS)
    assert [note.findtext("pfif:text", namespaces=NS) for note in notes] == [
        "Case opened: missing, fate unknown; last seen 2024-02-20T06:30:00Z.",
        (
            "report_dead: dead, fate dead, assurance reported, effective 2024-03-01T06:30:00Z. "
            "Evidence: unit_notification, photo."
        ),
        (
            "Legal fact recorded (register_search), effective 2024-03-03T06:30:00Z. The case stays dead. "
            "Evidence: missing_register."
        ),
        (
            "Conflicting report (report_captured) kept for review: illegal_transition, earlier_than_current. "
            "The case stays dead. Evidence: video."
        ),
        (
            "Late report (report_wounded) of an earlier period: wounded, fate alive, from "
            "2024-02-25T06:30:00Z. The case stays dead. Evidence: witness_statement."
        ),
        "Conflicting reports [3] dismissed. The case stays dead. Reason: another man",
        (
            "Late report (report_dead) of an earlier period: dead, fate dead, from "
            "2024-02-27T06:30:00Z. The case stays dead, since that day. Evidence: witness_statement."
        ),
    ]


def test_a_note_names_the_reports_its_entry_puts_up_for_review_and_those_it_makes_agree():
    # Still missing on day 12 says the ministry's register; a unit's notice of a death on day 10,
    # learned after it, contests the register. A death certificate of day 9 dates the death earlier.
    case = story("case-1")
    for step in [
        change("report_missing", Role.MINISTRY, "missing_register", on=12),
        change("report_dead", Role.UNIT, "unit_notification", on=10, recorded=13),
    ]:
        case = WORKFLOW.apply(case, step)
    assert case.trail[-1].contests == (case.version - 2,)
    notes = persons_of(export([case]))[f"{DOMAIN}/case-1"].findall("pfif:note", NS)
    assert (
        notes[-1]
        .findtext("pfif:text", namespaces=NS)
        .endswith(
            f"Reports [{case.version - 2}] say otherwise, kept for review. Evidence: unit_notification."
        )
    )
    # Another unit's notice, as strong, says he was taken prisoner on day 10: the two tie, the case is
    # missing again from day 10, and the register agrees with that.
    case = WORKFLOW.apply(
        case, change("report_captured", actor(Role.UNIT, 2), "unit_notification", on=10, recorded=14)
    )
    assert case.trail[-1].reconciles == (case.version - 3,)
    notes = persons_of(export([case]))[f"{DOMAIN}/case-1"].findall("pfif:note", NS)
    assert f"Reports [{case.version - 3}] agree with it, no longer kept for review." in notes[-1].findtext(
        "pfif:text", namespaces=NS
    )


def test_a_case_id_is_kept_as_a_record_id_only_when_it_starts_with_a_domain_name():
    cases = [story("localhost/a.b/c"), story("registry.example.org/a/b")]
    persons = persons_of(to_pfif(cases, {case.id: Person("A") for case in cases}, domain=DOMAIN))
    assert list(persons) == [f"{DOMAIN}/localhost/a.b/c", "registry.example.org/a/b"]


def test_the_document_declares_itself_utf_8_and_is_so():
    case = story("case-1")
    document = to_pfif([case], {"case-1": Person("Іван Петренко")}, domain=DOMAIN)
    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<pfif:pfif ")
    assert "<pfif:full_name>Іван Петренко</pfif:full_name>".encode() in document


@pytest.fixture
def kathmandu(monkeypatch):
    """The machine's own time zone set to one far from UTC (+05:45), for the test's length."""
    monkeypatch.setenv("TZ", "Asia/Kathmandu")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("kathmandu")
def test_dates_are_written_in_utc_whatever_zone_the_machine_is_in():
    assert format_date(datetime(2024, 3, 1, 6, 30, tzinfo=UTC)) == "2024-03-01T06:30:00Z"
    expiry = Person("Ivan", expiry_date=datetime(2025, 1, 1, 12, tzinfo=UTC)).expiry_date
    assert expiry is not None
    assert (expiry.tzinfo, expiry.hour) == (UTC, 12)


def test_pfif_dates_are_read_to_the_nearest_microsecond_and_no_further_than_the_second():
    assert parse_date("2024-03-01T06:30:15.5000004Z").microsecond == 500000
    assert parse_date("2024-03-01T06:30:15.9999996Z") == datetime(2024, 3, 1, 6, 30, 15, 999999, tzinfo=UTC)


@pytest.mark.parametrize(
    ("details", "error", "message"),
    [
        (
            {"expiry_date": 20250101},
            TypeError,
            "expiry_date must be a datetime, a PFIF date or None, got int",
        ),
        ({"given_name": 7}, TypeError, "expected a string or None, got int"),
        ({"full_name": "  "}, ValueError, "full_name must be a non-empty string (PFIF requires it)"),
    ],
)
def test_a_person_refuses_a_value_in_so_many_words(details, error, message):
    values = {"full_name": "Ivan"} | details
    with pytest.raises(error, match=rf"\A{re.escape(message)}\Z"):
        Person(**values)


def test_a_person_s_details_end_their_lines_as_xml_does():
    person = Person("Ivan", description="Brown eyes.\r\nA scar.\rTall.")
    assert person.description == "Brown eyes.\nA scar.\nTall."


def test_a_character_xml_cannot_carry_is_left_out_of_a_note():
    case = WORKFLOW.apply(
        story("case-1"), change("report_dead", Role.UNIT, "unit_notification", on=10, reason="a bell\x07")
    )
    notes = persons_of(export([case]))[f"{DOMAIN}/case-1"].findall("pfif:note", NS)
    assert notes[-1].findtext("pfif:text", namespaces=NS).endswith("Reason: a bell")


def test_a_person_s_details_other_than_the_full_name_are_given_by_name():
    with pytest.raises(TypeError, match="positional argument"):
        Person("Ivan Petrenko", "Ivan")
