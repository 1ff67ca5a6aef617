"""The PFIF vocabulary: namespaces, fields, statuses, dates, and the Person and Note values."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import attrs

from casestate import CasestateError, Fate

PFIF_1_4 = "http://zesty.ca/pfif/1.4"
"""The XML namespace of PFIF 1.4, the version casestate writes."""

NAMESPACES: dict[str, str] = {
    "1.2": "http://zesty.ca/pfif/1.2",
    "1.3": "http://zesty.ca/pfif/1.3",
    "1.4": PFIF_1_4,
}
"""The PFIF versions casestate reads, by version; 1.1 has no note status and is refused."""

UNSUPPORTED: dict[str, str] = {"1.1": "http://zesty.ca/pfif/1.1"}
"""The PFIF versions casestate knows and refuses, by version, with their namespaces."""

SOURCE_DATE_OPTIONAL = frozenset({"1.2"})
"""The PFIF versions whose person records may leave out ``source_date``."""

ATOM = "http://www.w3.org/2005/Atom"
"""The namespace of an Atom feed, the form of Person Finder's ``/feeds/person`` and ``/feeds/note``."""

DESCRIPTION_LABEL = "description:"
"""The label Person Finder puts before a 1.4 description it writes into a PFIF 1.2 or 1.3 ``other``."""

EXTENSION = "urn:casestate:pfif:1"
"""The namespace of the attributes that carry casestate's own trail along a PFIF document."""

PERSON_FIELDS = (
    "person_record_id",
    "entry_date",
    "expiry_date",
    "author_name",
    "author_email",
    "author_phone",
    "source_name",
    "source_date",
    "source_url",
    "full_name",
    "given_name",
    "family_name",
    "alternate_names",
    "description",
    "sex",
    "date_of_birth",
    "age",
    "home_street",
    "home_neighborhood",
    "home_city",
    "home_state",
    "home_postal_code",
    "home_country",
    "photo_url",
    "profile_urls",
)
"""The fields of a PFIF 1.4 person record, in the order the specification lists them."""

NOTE_FIELDS = (
    "note_record_id",
    "person_record_id",
    "linked_person_record_id",
    "entry_date",
    "author_name",
    "author_email",
    "author_phone",
    "source_date",
    "author_made_contact",
    "status",
    "email_of_found_person",
    "phone_of_found_person",
    "last_known_location",
    "text",
    "photo_url",
)
"""The fields of a PFIF 1.4 note record, in the order the specification lists them."""

RENAMED_FIELDS: dict[str, str] = {
    "first_name": "given_name",
    "last_name": "family_name",
    "other": "description",
    "found": "author_made_contact",
    "home_zip": "home_postal_code",
}
"""Fields of PFIF 1.2 and 1.3 under their PFIF 1.4 names."""

STATUSES = frozenset(
    {"information_sought", "is_note_author", "believed_alive", "believed_missing", "believed_dead"}
)
"""The values a PFIF note's ``status`` may take."""

STATUS_OF_FATE: dict[Fate, str] = {
    Fate.UNKNOWN: "believed_missing",
    Fate.ALIVE: "believed_alive",
    Fate.DEAD: "believed_dead",
}
"""The PFIF status a case's fate is exported as.

In the default workflow this is: missing -> ``believed_missing``; captured,
wounded, confirmed alive, repatriated alive -> ``believed_alive``; dead,
confirmed dead, remains repatriated -> ``believed_dead``.
"""

FATE_OF_STATUS: dict[str, Fate] = {
    "believed_alive": Fate.ALIVE,
    "is_note_author": Fate.ALIVE,
    "believed_missing": Fate.UNKNOWN,
    "believed_dead": Fate.DEAD,
}
"""The fate a PFIF note's status reports (``information_sought`` reports none)."""

_DOMAIN_LABEL = r"[a-zA-Z]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?"
DOMAIN = re.compile(rf"({_DOMAIN_LABEL}\.)*{_DOMAIN_LABEL}\.?\Z")
RECORD_ID = re.compile(rf"({_DOMAIN_LABEL}\.)*{_DOMAIN_LABEL}\.?/[^\n]+\Z")
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?Z\Z", re.ASCII)
_FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    "sex": (re.compile(r"(female|male|other)\Z"), "female, male or other"),
    "date_of_birth": (re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z", re.ASCII), "YYYY, YYYY-MM or YYYY-MM-DD"),
    "age": (re.compile(r"\d+(-\d+)?\Z", re.ASCII), "a number of years or a range such as 30-35"),
    "home_state": (re.compile(r"([A-Z][A-Z]-)?[A-Z0-9]{1,3}\Z"), "an upper-case ISO 3166-2 code"),
    "home_country": (re.compile(r"[A-Z][A-Z]\Z"), "an upper-case ISO 3166-1 two-letter code"),
}
# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class PfifError(CasestateError, ValueError):
    """A PFIF document casestate will not read or cannot write; the message says why."""


def format_date(value: datetime) -> str:
    """*value* as a PFIF date: UTC, whole seconds, ``yyyy-mm-ddThh:mm:ssZ``."""
    value = value.astimezone(UTC)
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}Z"
    )


def parse_date(text: str) -> datetime:
    """A PFIF date (fractions of a second allowed) as a UTC datetime; ``ValueError`` otherwise."""
    match = _DATE.match(text)
    if match is None:
        msg = f"not a PFIF date (yyyy-mm-ddThh:mm:ssZ): {text!r}"
        raise ValueError(msg)
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction = match.group(7)
    micro = round(float(fraction) * 1_000_000) if fraction else 0
    try:
        return datetime(year, month, day, hour, minute, second, min(micro, 999_999), tzinfo=UTC)
    except ValueError as error:
        msg = f"impossible date {text!r}: {error}"
        raise ValueError(msg) from None


def xml_text(value: str) -> str:
    """*value* without the characters XML cannot carry."""
    return _NOT_XML.sub("", value)


def _optional_text(value: str | None) -> str | None:
    r"""Surrounding blanks dropped and a blank value taken as none, as PFIF readers do.

    Line ends become ``\n``, as every XML parser makes them.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        msg = f"expected a string or None, got {type(value).__name__}"
        raise TypeError(msg)
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() or None


def _check_field(_instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is None:
        return
    if _NOT_XML.search(value):
        msg = f"{attribute.name} holds a character XML cannot carry: {value!r}"
        raise ValueError(msg)
    rule = _FORMATS.get(attribute.name)
    if rule is not None and not rule[0].match(value):
        msg = f"{attribute.name} must be {rule[1]}, got {value!r}"
        raise ValueError(msg)


def _required_text(value: str) -> str:
    text = _optional_text(value)
    if text is None:
        msg = "full_name must be a non-empty string (PFIF requires it)"
        raise ValueError(msg)
    return text


def _expiry(value: datetime | str | None) -> datetime | None:
    """An expiry date as PFIF writes it: UTC, whole seconds; a PFIF date's text is read as one."""
    if value is None or isinstance(value, datetime):
        when = value
    elif isinstance(value, str):
        when = parse_date(value.strip())
    else:
        msg = f"expiry_date must be a datetime, a PFIF date or None, got {type(value).__name__}"
        raise TypeError(msg)
    if when is None:
        return None
    if when.utcoffset() is None:
        msg = f"expiry_date must be timezone-aware, got {when!r}"
        raise ValueError(msg)
    return when.astimezone(UTC).replace(microsecond=0)


def _field() -> str | None:
    field: str | None = attrs.field(
        default=None, converter=_optional_text, validator=_check_field, kw_only=True
    )
    return field


@attrs.frozen
class Person:
    """What an app knows about the person a case is about: the PFIF person fields.

    casestate keeps no personal details of the sought person on a case; the
    app supplies them when it exports, and gets them back when it imports.
    Values are checked against the formats PFIF 1.4 allows:

    >>> Person("Ivan Petrenko", given_name="Ivan", family_name="Petrenko",
    ...        date_of_birth="1998-04", home_country="UA").home_country
    'UA'

    Pictures and profile links are left out on purpose: pictures of
    prisoners must not be exposed to public curiosity (Geneva Convention III,
    art. 13). The record's ``expiry_date`` rides along: :func:`from_pfif`
    takes no personal data of a record past it, and :func:`to_pfif` writes it.
    """

    full_name: str = attrs.field(converter=_required_text, validator=_check_field)
    given_name: str | None = _field()
    family_name: str | None = _field()
    alternate_names: str | None = _field()
    description: str | None = _field()
    sex: str | None = _field()
    date_of_birth: str | None = _field()
    age: str | None = _field()
    home_street: str | None = _field()
    home_neighborhood: str | None = _field()
    home_city: str | None = _field()
    home_state: str | None = _field()
    home_postal_code: str | None = _field()
    home_country: str | None = _field()
    expiry_date: datetime | None = attrs.field(default=None, converter=_expiry, kw_only=True)
    """When the record expires: PFIF asks that its personal data be deleted then. A datetime or
    a PFIF date; kept to the whole second, as PFIF writes it."""

    def fields(self) -> dict[str, str]:
        """The PFIF fields this person fills, by PFIF field name (dates as PFIF writes them)."""
        return {
            name: format_date(value) if isinstance(value, datetime) else value
            for name, value in attrs.asdict(self).items()
            if value is not None
        }

    def expired(self, when: datetime) -> bool:
        """Whether the record has expired at *when*: PFIF then keeps no personal data of it."""
        return self.expiry_date is not None and self.expiry_date <= when


PERSON_DETAILS = tuple(field.name for field in attrs.fields(Person))
"""The PFIF person fields a :class:`Person` holds."""


@attrs.frozen(kw_only=True)
class Note:
    """A PFIF note as another repository wrote it, kept as it came.

    Notes that do not move a case (no status, ``information_sought``,
    ``believed_missing``, or a report no rule can take) are handed back as
    these values, so the app keeps the information next to the case.
    """

    note_record_id: str
    person_record_id: str
    author_name: str
    source_date: datetime
    text: str | None = None
    status: str | None = None
    author_made_contact: bool | None = None
    entry_date: datetime | None = None
    linked_person_record_id: str | None = None
    last_known_location: str | None = None
    author_email: str | None = None
    author_phone: str | None = None
    email_of_found_person: str | None = None
    phone_of_found_person: str | None = None
