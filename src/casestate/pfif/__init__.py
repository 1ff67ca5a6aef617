"""PFIF 1.4 (People Finder Interchange Format) import and export for casestate cases.

An edge of casestate: the core never imports it. It needs the ``pfif`` extra
(``pip install 'casestate[pfif]'``), which brings defusedxml, the hardened XML
parser every document is read with.

- :func:`to_pfif` writes cases as PFIF 1.4 person and note records;
  casestate's own trail rides along in the ``urn:casestate:pfif:1``
  namespace, so that :func:`from_pfif` rebuilds equal cases.
- :func:`from_pfif` reads PFIF 1.2, 1.3 and 1.4, and Person Finder's Atom
  feeds of them: persons become cases, notes become reports, and an
  :class:`ImportReport` says what became of each.
"""

from casestate import publish as _publish

from ._export import note_text, person_record_id, to_pfif
from ._import import ActorFor, EvidenceFor, from_pfif
from ._model import (
    EXTENSION,
    FATE_OF_STATUS,
    NAMESPACES,
    PFIF_1_4,
    STATUS_OF_FATE,
    Note,
    Person,
    PfifError,
    format_date,
    parse_date,
)
from ._report import Imported, ImportReport, NoteOutcome, NoteResult, Origin, Skipped
from ._xml import MAX_BYTES

__all__ = [
    "EXTENSION",
    "FATE_OF_STATUS",
    "MAX_BYTES",
    "NAMESPACES",
    "PFIF_1_4",
    "STATUS_OF_FATE",
    "ActorFor",
    "EvidenceFor",
    "ImportReport",
    "Imported",
    "Note",
    "NoteOutcome",
    "NoteResult",
    "Origin",
    "Person",
    "PfifError",
    "Skipped",
    "format_date",
    "from_pfif",
    "note_text",
    "parse_date",
    "person_record_id",
    "to_pfif",
]

_publish(__name__, globals(), __all__)
