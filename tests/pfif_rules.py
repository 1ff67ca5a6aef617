"""The checks of Person Finder's PFIF validator (pfif-tools), restated for PFIF 1.4.

Person Finder's ``pfif_validator.py`` checks: the root is ``pfif`` in a PFIF
namespace and has a person or note child; every person and note has its
mandatory fields; every field's text matches the format of its type; person
and note ids are unique; a top-level note names its person, and a note inside
a person names no other; no field is unknown or repeated (the namespace of a
child is ignored, so a foreign element counts as an unknown field); records
past their expiry date hold no personal data. It stops at PFIF 1.3; here the
1.4 renames and fields are added (``given_name``, ``family_name``,
``alternate_names``, ``description``, ``author_made_contact``,
``profile_urls``, ``photo_url`` on notes), with the 1.4 rule that
``is_note_author`` needs ``author_made_contact`` true, the required ``text``
of a note, and dates in whole UTC seconds. Attributes are not checked, as the
validator does not check them.

The validator's own PFIF 1.3 tables are kept too (``RULES["1.3"]``, the 1.4
ones under their 1.3 names, as pfif_validator.py's FORMATS[1.3] lists them),
for the 1.3 view of an export (``view_1_3``): the form Person Finder's own
1.3 writer (app/pfif.py, PFIF_1_3) would give the same records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse
from xml.etree.ElementTree import Element, tostring

from defusedxml.ElementTree import fromstring

from casestate.pfif import EXTENSION

NAMESPACE = "http://zesty.ca/pfif/1.4"

_LABEL = r"[a-zA-Z]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?"
RECORD_ID = rf"^({_LABEL}\.)*{_LABEL}\.?/.+$"
DATE = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"
TEXT = r"^.*$"
EMAIL = r"^.+@.+$"
PHONE = r"^([-\.+() ]*\d[-\.+() ]*)+([#x]\d+)?$"
URL = "URL"
BOOLEAN = r"^(true|false)$"
STATUS = r"^(information_sought|is_note_author|believed_alive|believed_missing|believed_dead)$"
SEX = r"^(male|female|other)$"
DATE_OF_BIRTH = r"^\d{4}(-\d{2}(-\d{2})?)?$"
AGE = r"^\d+(-\d+)?$"
STATE = r"^([A-Z][A-Z]-)?[A-Z0-9]{1,3}$"
COUNTRY = r"^[A-Z][A-Z]$"

PERSON_FORMATS = {
    "person_record_id": RECORD_ID,
    "entry_date": DATE,
    "expiry_date": DATE,
    "author_name": TEXT,
    "author_email": EMAIL,
    "author_phone": PHONE,
    "source_name": TEXT,
    "source_date": DATE,
    "source_url": URL,
    "full_name": TEXT,
    "given_name": TEXT,
    "family_name": TEXT,
    "alternate_names": TEXT,
    "description": TEXT,
    "sex": SEX,
    "date_of_birth": DATE_OF_BIRTH,
    "age": AGE,
    "home_street": TEXT,
    "home_neighborhood": TEXT,
    "home_city": TEXT,
    "home_state": STATE,
    "home_postal_code": TEXT,
    "home_country": COUNTRY,
    "photo_url": URL,
    "profile_urls": TEXT,
}
NOTE_FORMATS = {
    "note_record_id": RECORD_ID,
    "person_record_id": RECORD_ID,
    "linked_person_record_id": RECORD_ID,
    "entry_date": DATE,
    "author_name": TEXT,
    "author_email": EMAIL,
    "author_phone": PHONE,
    "source_date": DATE,
    "author_made_contact": BOOLEAN,
    "status": STATUS,
    "email_of_found_person": EMAIL,
    "phone_of_found_person": PHONE,
    "last_known_location": TEXT,
    "text": TEXT,
    "photo_url": URL,
}
MANDATORY = {
    "person": ("person_record_id", "source_date", "full_name"),
    "note": ("note_record_id", "author_name", "source_date", "text"),
    "top_note": ("person_record_id", "note_record_id", "author_name", "source_date", "text"),
}

OLDER_NAMES = {"given_name": "first_name", "family_name": "last_name", "description": "other"}
"""The 1.4 person fields under their 1.3 names."""
OLDER_NOTE_NAMES = {"author_made_contact": "found"}
"""The 1.4 note fields under their 1.3 names."""
NEW_IN_1_4 = {"person": {"alternate_names", "profile_urls"}, "note": {"photo_url"}}
"""The fields PFIF 1.3 does not have."""


@dataclass(frozen=True)
class Rules:
    namespace: str
    person: dict[str, str]
    note: dict[str, str]


def _older(formats: dict[str, str], names: dict[str, str], dropped: set[str]) -> dict[str, str]:
    return {names.get(field, field): rule for field, rule in formats.items() if field not in dropped}


RULES = {
    "1.4": Rules(NAMESPACE, PERSON_FORMATS, NOTE_FORMATS),
    "1.3": Rules(
        "http://zesty.ca/pfif/1.3",
        _older(PERSON_FORMATS, OLDER_NAMES, NEW_IN_1_4["person"]),
        _older(NOTE_FORMATS, OLDER_NOTE_NAMES, NEW_IN_1_4["note"]),
    ),
}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(record: Element, field: str, namespace: str = NAMESPACE) -> str | None:
    child = record.find(f"{{{namespace}}}{field}")
    return None if child is None else child.text


def _format_problems(record: Element, formats: dict[str, str], kind: str) -> list[str]:
    problems = []
    for child in record:
        field = _local(child.tag)
        if field not in formats:
            continue
        text = child.text or ""
        if not text:
            problems.append(f"{kind}: empty field {field}")
        elif formats[field] == URL:
            url = urlparse(text)
            if url.scheme not in ("http", "https") or not url.netloc:
                problems.append(f"{kind}: {field} is not an http(s) URL: {text!r}")
        elif not re.match(formats[field], text):
            problems.append(f"{kind}: {field} does not match the specification: {text!r}")
    return problems


def _children_problems(record: Element, allowed: set[str], kind: str) -> list[str]:
    problems = []
    used: set[str] = set()
    for child in record:
        tag = _local(child.tag)
        if tag in used and tag not in ("note", "person"):
            problems.append(f"{kind}: duplicate field {tag}")
        elif tag not in allowed:
            problems.append(f"{kind}: extraneous field {tag}")
        used.add(tag)
    return problems


def pfif_problems(document: bytes, version: str = "1.4") -> list[str]:
    """Every rule of the validator that *document* breaks; empty when it is valid PFIF *version*."""
    rules = RULES[version]
    namespace = rules.namespace
    root = fromstring(document, forbid_dtd=True)
    if root.tag != f"{{{namespace}}}pfif":
        return [f"the root is {root.tag}, not pfif in {namespace}"]

    def text(record: Element, field: str) -> str | None:
        return _text(record, field, namespace)

    problems = []
    persons = root.findall(f"{{{namespace}}}person")
    top_notes = root.findall(f"{{{namespace}}}note")
    if not persons and not top_notes:
        problems.append("the root has no person or note")
    problems += _children_problems(root, {"person", "note"}, "pfif")
    child_notes = [(person, note) for person in persons for note in person.findall(f"{{{namespace}}}note")]
    for person in persons:
        kind = f"person {text(person, 'person_record_id')}"
        problems += [
            f"{kind}: missing {field}" for field in MANDATORY["person"] if text(person, field) is None
        ]
        problems += _format_problems(person, rules.person, kind)
        problems += _children_problems(person, {*rules.person, "note"}, kind)
    notes = [(None, note) for note in top_notes] + child_notes
    for owner, note in notes:
        kind = f"note {text(note, 'note_record_id')}"
        mandatory = MANDATORY["note" if owner is not None else "top_note"]
        problems += [f"{kind}: missing {field}" for field in mandatory if text(note, field) is None]
        problems += _format_problems(note, rules.note, kind)
        problems += _children_problems(note, set(rules.note), kind)
        if owner is not None:
            named = text(note, "person_record_id")
            if named is not None and named != text(owner, "person_record_id"):
                problems.append(f"{kind}: names another person than the one it is in")
        if (
            version == "1.4"
            and text(note, "status") == "is_note_author"
            and text(note, "author_made_contact") != "true"
        ):
            problems.append(f"{kind}: is_note_author without author_made_contact true")
    for records, field in ((persons, "person_record_id"), ([note for _, note in notes], "note_record_id")):
        ids = [text(record, field) for record in records]
        problems += [f"duplicate {field} {value}" for value in {v for v in ids if ids.count(v) > 1}]
    return problems


def view_1_3(document: bytes, *, labelled: bool = False) -> bytes:
    """A casestate export as PFIF 1.3: the 1.4 names back to 1.3 ones, the fields 1.3 lacks dropped.

    With *labelled*, the description goes into ``other`` as Person Finder's own
    1.3 writer puts it (app/pfif.py, convert_description_to_other): under a
    ``description:`` label on a line of its own, the text indented below it.
    """
    old = RULES["1.3"].namespace
    root = fromstring(document, forbid_dtd=True)
    for element in list(root.iter()):
        for name in [name for name in element.attrib if name.startswith(f"{{{EXTENSION}}}")]:
            del element.attrib[name]
        kind = "note" if element.tag == f"{{{NAMESPACE}}}note" else "person"
        for child in list(element):
            field = child.tag.rsplit("}", 1)[-1]
            if field in NEW_IN_1_4.get(kind, set()) and child.tag.startswith(f"{{{NAMESPACE}}}"):
                element.remove(child)
        if element.tag.startswith(f"{{{NAMESPACE}}}"):
            field = element.tag.rsplit("}", 1)[-1]
            field = OLDER_NAMES.get(field, OLDER_NOTE_NAMES.get(field, field))
            if field == "other" and labelled and element.text:
                element.text = "description:\n    " + element.text.replace("\n", "\n    ")
            element.tag = f"{{{old}}}{field}"
    return tostring(root, encoding="utf-8", xml_declaration=True)
