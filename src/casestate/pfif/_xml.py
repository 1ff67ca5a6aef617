"""Reading a PFIF document safely: hardened parsing, then plain records of text fields."""

from __future__ import annotations

from collections.abc import Mapping
from xml.etree.ElementTree import Element, ParseError

import attrs

try:
    from defusedxml import DefusedXmlException, DTDForbidden
    from defusedxml.ElementTree import fromstring
except ImportError as missing:  # pragma: no cover - only without the extra
    msg = "casestate.pfif needs its extra: pip install 'casestate[pfif]'"
    raise ImportError(msg) from missing

from casestate.text import is_valid_unicode, storable_problem

from ._model import EXTENSION, NAMESPACES, NOTE_FIELDS, PERSON_FIELDS, RENAMED_FIELDS, PfifError

CASE_ATTRIBUTE = f"{{{EXTENSION}}}case"
"""The attribute of a person element that names the casestate case it is, and the trail's head."""
ENTRY_ATTRIBUTE = f"{{{EXTENSION}}}entry"
"""The attribute of a note element that holds the casestate trail entry it shows."""

MAX_BYTES = 64 * 1024 * 1024
"""The largest document read by default (64 MiB); pass ``max_bytes`` to change it."""


@attrs.frozen
class Record:
    """One person or note record: its PFIF 1.4 fields as text, and casestate's extension if any."""

    fields: Mapping[str, str]
    extension: str | None
    position: str
    """Where it is in the document (``person 2``, ``person 2, note 3``), for messages."""


@attrs.frozen
class PersonRecord:
    """A person record and the notes written inside it."""

    record: Record
    notes: tuple[Record, ...]


@attrs.frozen
class Document:
    """A parsed PFIF document: its version, persons, and the notes outside any person."""

    version: str
    persons: tuple[PersonRecord, ...]
    notes: tuple[Record, ...]


def _refusal(error: DefusedXmlException) -> PfifError:
    # Entities and external references can only be declared in a DTD, so with
    # DTDs forbidden the DTD is what is met first.
    if isinstance(error, DTDForbidden):
        return PfifError(
            "refused: the document has a document type declaration (DTD); PFIF needs none, and "
            "casestate reads none, as a DTD can expand entities or fetch outside resources"
        )
    return PfifError(f"refused: {error}")  # pragma: no cover - defusedxml's other refusals follow a DTD


def parse(data: bytes | str, *, max_bytes: int = MAX_BYTES) -> Document:
    """Parse *data* as a PFIF 1.2, 1.3 or 1.4 document; a :class:`PfifError` says why not.

    The parser is defusedxml's, with document type declarations forbidden: no
    entity is expanded, no outside resource fetched, nothing is read from the
    network.
    """
    root = _root(data, max_bytes)
    version = _version(root)
    namespace = NAMESPACES[version]
    persons: list[PersonRecord] = []
    notes: list[Record] = []
    for index, child in enumerate(root, 1):
        if child.tag == f"{{{namespace}}}person":
            persons.append(_person(child, namespace, f"person {len(persons) + 1}"))
        elif child.tag == f"{{{namespace}}}note":
            notes.append(_record(child, namespace, NOTE_FIELDS, f"note {len(notes) + 1} (outside a person)"))
        elif not isinstance(child.tag, str):  # pragma: no cover - comments are dropped by the parser
            continue
        else:
            raise PfifError(f"not PFIF {version}: element {index} of the root is {child.tag}")
    return Document(version, tuple(persons), tuple(notes))


def _root(data: bytes | str, max_bytes: int) -> Element:
    """The document's root element, read by defusedxml; a :class:`PfifError` if it is not XML."""
    if isinstance(data, str) and not is_valid_unicode(data):
        raise PfifError(f"not PFIF: the text is {storable_problem(data)}")
    # Text is parsed as text, its encoding declaration aside (it was decoded already).
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise PfifError(f"refused: the document has {size} bytes, more than the limit of {max_bytes}")
    if not data.strip():
        raise PfifError("not PFIF: the document is empty")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise _refusal(error) from None
    except ParseError as error:
        raise PfifError(f"not well-formed XML (truncated or damaged?): {error}") from None
    except (LookupError, ValueError) as error:  # an encoding the parser does not know or take
        raise PfifError(f"not PFIF: its declared encoding cannot be read: {error}") from None
    return root


def _version(root: Element) -> str:
    for version, namespace in NAMESPACES.items():
        if root.tag == f"{{{namespace}}}pfif":
            return version
    expected = ", ".join(f"{namespace} (PFIF {version})" for version, namespace in NAMESPACES.items())
    raise PfifError(f"not PFIF: the root element is {root.tag}; expected pfif in the namespace {expected}")


def _person(element: Element, namespace: str, position: str) -> PersonRecord:
    notes = tuple(
        _record(child, namespace, NOTE_FIELDS, f"{position}, note {index}")
        for index, child in enumerate(element.findall(f"{{{namespace}}}note"), 1)
    )
    return PersonRecord(_record(element, namespace, PERSON_FIELDS, position), notes)


def _record(element: Element, namespace: str, known: tuple[str, ...], position: str) -> Record:
    """The record's PFIF fields under their 1.4 names; unknown elements are ignored, as PFIF asks."""
    fields: dict[str, str] = {}
    prefix = f"{{{namespace}}}"
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or not tag.startswith(prefix):
            continue
        name = RENAMED_FIELDS.get(tag[len(prefix) :], tag[len(prefix) :])
        text = (child.text or "").strip()
        if name in known and name != "note" and text and name not in fields:
            fields[name] = text
    extension = CASE_ATTRIBUTE if known is PERSON_FIELDS else ENTRY_ATTRIBUTE
    return Record(fields, element.get(extension), position)
