"""Cases out as PFIF 1.4: one person record per case, one note per trail entry."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any
from xml.etree.ElementTree import Element, SubElement, indent, register_namespace, tostring

from casestate import Case, Entry, EntryKind, redact, to_dict

from ._model import (
    DOMAIN,
    EXTENSION,
    PERSON_FIELDS,
    PFIF_1_4,
    RECORD_ID,
    STATUS_OF_FATE,
    Person,
    PfifError,
    format_date,
    xml_text,
)
from ._xml import CASE_ATTRIBUTE, ENTRY_ATTRIBUTE

register_namespace("pfif", PFIF_1_4)
register_namespace("casestate", EXTENSION)


def record_id(domain: str, local_id: str) -> str:
    """A PFIF record id, ``domain/local-id``."""
    return f"{domain}/{local_id}"


def person_record_id(domain: str, case_id: str) -> str:
    """The record id of a case's person: a case opened from PFIF keeps its record's id.

    PFIF asks that a copied record keep the id its original repository gave
    it; any other case id becomes ``domain/case-id``.
    """
    origin = case_id.split("/", 1)[0]
    if "." in origin and RECORD_ID.match(case_id):
        return case_id
    return record_id(domain, case_id)


def to_pfif(
    cases: Iterable[Case],
    persons: Mapping[str, Person],
    *,
    domain: str,
    source_name: str | None = None,
    redacted: bool = False,
) -> bytes:
    """*cases* as a PFIF 1.4 document (UTF-8 bytes).

    Each case becomes a person record ``<domain>/<case id>``, with the
    personal details *persons* holds for the case id (its ``expiry_date``
    too), and one note per trail entry, ``<domain>/<case id>/<seq>``. A note's ``status`` follows the fate
    the entry left the case in (``believed_missing``, ``believed_alive``,
    ``believed_dead``); conflict and dismissal notes carry none, as they do
    not change what the case holder believes (but for a conflict of two rival
    reports, which takes the case back to what it held before both).

    Every entry also rides along whole, as an attribute in casestate's own
    namespace, so that :func:`from_pfif` rebuilds equal cases; PFIF readers
    ignore it. With *redacted*, actor ids, reasons and evidence details are
    left out (note authors are then the actors' roles) and the trail still
    verifies.
    """
    if not isinstance(domain, str) or not DOMAIN.match(domain):
        raise PfifError(f"domain must be a domain name such as ngo.example.org, got {domain!r}")
    root = Element(f"{{{PFIF_1_4}}}pfif")
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise PfifError(f"case {case.id!r} is given more than once")
        seen.add(case.id)
        person = persons.get(case.id)
        if person is None:
            raise PfifError(f"case {case.id!r}: no Person given; PFIF needs at least the full name")
        # Not mutated: the check below reads any domain name alike.
        record_id = person_record_id(domain, case.id)  # pragma: no mutate
        # XML reads a carriage return back as a line feed: such an id would not come back.
        # Not mutated: no case id holds a line break (open and from_dict refuse one): never true.
        if not RECORD_ID.match(record_id) or "\r" in record_id:  # pragma: no mutate
            raise PfifError(f"case {case.id!r}: a case id on more than one line cannot be a PFIF record id")
        root.append(_person(case, person, domain, source_name or domain, redacted=redacted))
    indent(root)
    document: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _add(parent: Element, name: str, value: str | None) -> None:
    if value is not None:
        SubElement(parent, f"{{{PFIF_1_4}}}{name}").text = xml_text(value)


def _author(entry: Entry) -> str:
    return entry.private.actor_id if entry.private is not None else entry.role


def _person(case: Case, person: Person, domain: str, source_name: str, *, redacted: bool) -> Element:
    # casestate's own JSON document of the case, split: its header on the
    # person, with the head of the chain and the number of entries; each
    # entry on its note.
    document = to_dict(case, redacted=redacted)
    entries = redact(case.trail) if redacted else case.trail
    header = {name: value for name, value in document.items() if name != "entries"}
    header.update(head=case.head, entry_count=len(entries))
    opened = entries[0]
    element = Element(f"{{{PFIF_1_4}}}person")
    # ASCII JSON: any character of a reason or a reference, even one XML
    # cannot carry, survives as an escape.
    element.set(CASE_ATTRIBUTE, json.dumps(header))
    record = {
        "person_record_id": person_record_id(domain, case.id),
        "entry_date": format_date(opened.recorded_at),
        "author_name": _author(opened),
        "source_name": source_name,
        "source_date": format_date(opened.recorded_at),
        **person.fields(),
    }
    # In the order PFIF lists the fields: the expiry date, say, comes right after entry_date.
    for name in PERSON_FIELDS:
        _add(element, name, record.get(name))
    # Not mutated: to_dict gives one entry per trail entry, so the lengths never differ.
    for entry, data in zip(entries, document["entries"], strict=True):  # pragma: no mutate
        element.append(_note(entry, data, domain))
    return element


def _note(entry: Entry, data: dict[str, Any], domain: str) -> Element:
    element = Element(f"{{{PFIF_1_4}}}note")
    element.set(ENTRY_ATTRIBUTE, json.dumps(data, separators=(",", ":")))
    _add(element, "note_record_id", record_id(domain, f"{entry.case_id}/{entry.seq}"))
    _add(element, "person_record_id", person_record_id(domain, entry.case_id))
    _add(element, "entry_date", format_date(entry.recorded_at))
    _add(element, "author_name", _author(entry))
    _add(element, "source_date", format_date(entry.recorded_at))
    if entry.kind not in (
        EntryKind.CONFLICT,
        EntryKind.DISMISSAL,
        EntryKind.FACT,
        EntryKind.EARLIER_PERIOD,
    ) or (entry.displaces is not None and entry.to_status != entry.from_status):
        # A conflict of two rival reports moves the case back: what the case holder believes changes.
        # Not a late rival that leaves a left period undecided: the case stays in its status.
        # A late report of an earlier period changes nothing the case holder believes now.
        _add(element, "status", STATUS_OF_FATE[entry.fate])
    _add(element, "text", note_text(entry))
    return element


def _conflict_text(entry: Entry, effective: str) -> str:
    """What a conflict entry says: a report kept for review, and where the case stands."""
    if entry.displaces is not None and entry.to_status == entry.from_status:
        # A late rival, as strong, of the report that began a period the case has left.
        return (
            f"Late conflicting report ({entry.trigger}), effective {effective}, kept for review with "
            f"report {entry.displaces}: they say otherwise on evidence as strong, and the period that "
            f"report began is undecided. The case stays {entry.to_status}."
        )
    if entry.displaces is not None:
        return (
            f"Conflicting report ({entry.trigger}), effective {effective}, kept for review with report "
            f"{entry.displaces}: they cannot both be true, on evidence as strong, and neither holds. "
            f"The case goes back to {entry.to_status}, fate {entry.fate}."
        )
    codes = ", ".join(code.value for code in entry.codes)
    return f"Conflicting report ({entry.trigger}) kept for review: {codes}. The case stays {entry.to_status}."


def _reviewed(entry: Entry) -> str:
    """Which reports *entry* puts up for review, and which it makes agree: a sentence each, if any."""
    said = ""
    if entry.contests and entry.kind is not EntryKind.CONFLICT:
        # Reports that backed what it changed (a conflict's note names those it waits with).
        said += f" Reports {list(entry.contests)} say otherwise, kept for review."
    if entry.reconciles:
        # A late rival that leaves a left period undecided makes them agree with the current status.
        agree_with = (
            f"the case being {entry.to_status}"
            if entry.displaces is not None and entry.to_status == entry.from_status
            else "it"
        )
        said += f" Reports {list(entry.reconciles)} agree with {agree_with}, no longer kept for review."
    return said


def note_text(entry: Entry) -> str:
    """What an entry says, in one line for a person reading the note in any PFIF repository."""
    effective = format_date(entry.effective_at)
    if entry.kind is EntryKind.OPENED:
        said = f"Case opened: {entry.to_status}, fate {entry.fate}; last seen {effective}."
    elif entry.kind is EntryKind.CONFLICT:
        said = _conflict_text(entry, effective)
    elif entry.kind is EntryKind.DISMISSAL:
        said = f"Conflicting reports {list(entry.resolves)} dismissed. The case stays {entry.to_status}."
    elif entry.kind is EntryKind.EARLIER_PERIOD:
        # One of the status the case holds tells that status began on its day.
        said = (
            f"Late report ({entry.trigger}) of an earlier period: {entry.to_status}, fate {entry.fate}, "
            f"from {effective}. The case stays {entry.from_status}"
            + (", since that day." if entry.to_status == entry.from_status else ".")
        )
    elif entry.kind is EntryKind.FACT:
        said = (
            f"Legal fact recorded ({entry.trigger}), effective {effective}. The case stays {entry.to_status}."
        )
    else:
        said = (
            f"{entry.trigger}: {entry.to_status}, fate {entry.fate}, assurance {entry.assurance}, "
            f"effective {effective}."
        )
        if entry.displaces is not None:
            # Not always about the same day: a capture card of 5 March outweighs a death of 2 March.
            said += (
                f" It outweighs report {entry.displaces}, which cannot be true with it: the period that "
                "report began is void, and the report kept for review."
            )
    said += _reviewed(entry)
    if entry.evidence_kinds:
        said += f" Evidence: {', '.join(map(str, entry.evidence_kinds))}."
    if entry.reason is not None:
        said += f" Reason: {entry.reason}"
    return " ".join(said.split())
