"""Reading a PFIF document safely: hardened parsing, then plain records of text fields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import attrs

try:
    from defusedxml import DefusedXmlException, DTDForbidden
    from defusedxml.ElementTree import DefusedXMLParser
except ImportError as missing:  # pragma: no cover - only without the extra
    msg = "casestate.pfif needs its extra: pip install 'casestate[pfif]'"
    raise ImportError(msg) from missing

from casestate.text import is_valid_unicode, storable_problem

from ._model import (
    ATOM,
    DESCRIPTION_LABEL,
    EXTENSION,
    NAMESPACES,
    NOTE_FIELDS,
    PERSON_FIELDS,
    RENAMED_FIELDS,
    UNSUPPORTED,
    PfifError,
)

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

    The document is a PFIF one (root ``pfif``), or an Atom feed of PFIF
    records, as Person Finder's ``/feeds/person`` and ``/feeds/note`` answer:
    each ``entry`` holds one person (with its notes) or one note, and the rest
    of the feed (titles, authors, links) is not read. The parser is
    defusedxml's, with document type declarations forbidden: no entity is
    expanded, no outside resource fetched, nothing is read from the network.
    """
    root, declared = _root(data, max_bytes)
    if root.tag == f"{{{ATOM}}}feed":
        records, version = _atom_records(root, declared)
        where = "PFIF record {index} of the feed"
    else:
        version = _version(root.tag)
        records, where = list(root), "element {index} of the root"
    namespace = NAMESPACES[version]
    persons: list[PersonRecord] = []
    notes: list[Record] = []
    for index, child in enumerate(records, 1):
        if child.tag == f"{{{namespace}}}person":
            persons.append(_person(child, namespace, f"person {len(persons) + 1}"))
        elif child.tag == f"{{{namespace}}}note":
            notes.append(_record(child, namespace, NOTE_FIELDS, f"note {len(notes) + 1} (outside a person)"))
        elif not isinstance(child.tag, str):  # pragma: no cover - comments are dropped by the parser
            continue
        else:
            raise PfifError(f"not PFIF {version}: {where.format(index=index)} is {child.tag}")
    return Document(version, tuple(persons), tuple(notes))


class _Builder(TreeBuilder):
    """A tree builder that also keeps the namespaces the document declares."""

    def __init__(self) -> None:
        super().__init__()
        self.declared: list[str] = []

    def start_ns(self, _prefix: str, uri: str) -> None:
        self.declared.append(uri)


def _root(data: bytes | str, max_bytes: int) -> tuple[Element, list[str]]:
    """The document's root element and the namespaces it declares, read by defusedxml."""
    if isinstance(data, str) and not is_valid_unicode(data):
        raise PfifError(f"not PFIF: the text is {storable_problem(data)}")
    # Text is parsed as text, its encoding declaration aside (it was decoded already).
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise PfifError(f"refused: the document has {size} bytes, more than the limit of {max_bytes}")
    if not data.strip():
        raise PfifError("not PFIF: the document is empty")
    builder = _Builder()
    try:
        parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        parser.feed(data)
        root: Element = parser.close()
    except DefusedXmlException as error:
        raise _refusal(error) from None
    except ParseError as error:
        raise PfifError(f"not well-formed XML (truncated or damaged?): {error}") from None
    except (LookupError, ValueError) as error:  # an encoding the parser does not know or take
        raise PfifError(f"not PFIF: its declared encoding cannot be read: {error}") from None
    return root, builder.declared


def _version(tag: str) -> str:
    """The PFIF version whose ``pfif`` element *tag* is; a :class:`PfifError` for any other."""
    for version, namespace in NAMESPACES.items():
        if tag == f"{{{namespace}}}pfif":
            return version
    _refuse_unsupported(_namespace(tag))
    expected = ", ".join(f"{namespace} (PFIF {version})" for version, namespace in NAMESPACES.items())
    raise PfifError(f"not PFIF: the root element is {tag}; expected pfif in the namespace {expected}")


def _refuse_unsupported(namespace: str) -> None:
    for version, known in UNSUPPORTED.items():
        if namespace == known:
            raise PfifError(
                f"PFIF {version} is not supported: its notes have no status, so they say nothing of "
                f"a case; casestate reads PFIF {', '.join(NAMESPACES)}"
            )


def _atom_records(feed: Element, declared: list[str]) -> tuple[list[Element], str]:
    """The PFIF records of an Atom feed, one an entry, and their PFIF version.

    An entry's other elements (Atom's own, or another namespace's extension)
    are not read. The version is the one the records are written in; a feed
    with no record (nothing new since the time asked for) takes the one it
    declares.
    """
    pfif = {*NAMESPACES.values(), *UNSUPPORTED.values()}
    records = [
        child
        for entry in feed.findall(f"{{{ATOM}}}entry")
        for child in entry
        if isinstance(child.tag, str) and _namespace(child.tag) in pfif
    ]
    used = {_namespace(child.tag) for child in records} or set(declared)
    for namespace in used:
        _refuse_unsupported(namespace)
    versions = sorted(version for version, namespace in NAMESPACES.items() if namespace in used)
    if len(versions) > 1:
        raise PfifError(f"not PFIF: the feed mixes PFIF {' and '.join(versions)}; one version a feed")
    if not versions:
        raise PfifError(
            "not PFIF: an Atom feed without PFIF records; expected person or note entries in the "
            f"namespace of PFIF {', '.join(NAMESPACES)}"
        )
    return records, versions[0]


def _namespace(tag: str) -> str:
    return tag.partition("}")[0][1:]


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
        if tag == f"{prefix}other":
            text = description_of(text)
        if name in known and name != "note" and text and name not in fields:
            fields[name] = text
    extension = CASE_ATTRIBUTE if known is PERSON_FIELDS else ENTRY_ATTRIBUTE
    return Record(fields, element.get(extension), position)


_LABELLED = re.compile(r"\S+:")


def description_of(other: str) -> str:
    """A PFIF 1.2 or 1.3 ``other`` field as the 1.4 description it holds.

    Person Finder writes a 1.4 description into ``other`` under the label
    ``description:``, on a line of its own, with the text indented below it.
    Such a field gives back the description alone; a field with any other
    label (``height: 180``), or with none, is kept whole, as Person Finder's
    own reader keeps it, so that nothing is lost.
    """
    lines = other.splitlines()
    if not any(line.startswith(DESCRIPTION_LABEL) for line in lines):
        return other
    kept = []
    for line in lines:
        if line.startswith(DESCRIPTION_LABEL):
            rest = line[len(DESCRIPTION_LABEL) :]
            if rest.strip():
                kept.append(rest.strip(" \t"))
        elif _LABELLED.match(line):
            return other
        else:
            kept.append(line.strip(" \t"))
    return "\n".join(kept)
