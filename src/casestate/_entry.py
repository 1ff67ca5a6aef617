"""Entry: one link of a case's audit trail."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import attrs

from ._actors import Actor
from ._evidence import Evidence, EvidenceKind
from ._status import Assurance, Fate, Whereabouts
from ._verdict import Code


class Part(StrEnum):
    """Which part of an entry a field belongs to: what the hash covers, and what a redacted export keeps."""

    PUBLIC = "public"
    """In the canonical bytes the hash covers, and in a redacted export."""
    SEAL = "seal"
    """The hash itself, over the public part."""
    PERSONAL = "personal"
    """Behind the commitment: left out of a redacted export."""


class Form(StrEnum):
    """How a field's value is written, in the canonical bytes and in JSON."""

    INT = "int"
    OPTIONAL_INT = "optional int"
    TEXT = "text"
    OPTIONAL_TEXT = "optional text"
    """A text or ``null``."""
    NAME = "name"
    """A member of a string enumeration, written as its value."""
    OPTIONAL_NAME = "optional name"
    """Such a member, or ``null``."""
    NAMES = "names"
    """A list of such members."""
    INTS = "ints"
    INSTANT = "instant"
    """A time, in the canonical instant form (UTC, microseconds)."""


def _public(form: Form, of: type[StrEnum] | None = None, *, omit_none: bool = False) -> dict[str, object]:
    return {"part": Part.PUBLIC, "form": form, "of": of, "omit_none": omit_none}


_PERSONAL: dict[str, object] = {"part": Part.PERSONAL, "form": None, "of": None, "omit_none": False}


class EntryKind(StrEnum):
    """What an entry records."""

    OPENED = "opened"
    """The case was opened; always entry 0."""
    TRANSITION = "transition"
    """The status moved."""
    CORROBORATION = "corroboration"
    """A report of the status the case is already in; may raise the assurance."""
    CONFLICT = "conflict"
    """A contradicting report, kept for a person to resolve; status unchanged."""
    DISMISSAL = "dismissal"
    """Open conflicts were dismissed with a reason; status unchanged."""
    FACT = "fact"
    """A dated legal fact was recorded (a court recognised the person as missing); status unchanged."""


@attrs.frozen
class Private:
    """The personal data of an entry, hidden behind its commitment (see :attr:`Entry.private`).

    A privacy-preserving export drops it; the entry's hash covers only the
    commitment, so the export still verifies.
    """

    actor_id: str
    reason: str | None
    evidence: tuple[Evidence, ...]
    salt: bytes = attrs.field(repr=False)


@attrs.frozen(weakref_slot=False)
class Entry:
    """One audit entry: everything needed to prove how a status was reached.

    Entries are made by ``open`` and ``apply`` and read back by ``replay``;
    an app does not build them. The personal data (:attr:`actor_id`,
    :attr:`reason`, :attr:`evidence`, :attr:`salt`) is left out of a
    redacted export, and out of the entry's ``repr``, so that a log line
    does not leak it.
    """

    seq: int = attrs.field(metadata=_public(Form.INT))
    """The entry's position in the trail; the opening entry is 0."""
    case_id: str = attrs.field(metadata=_public(Form.TEXT))
    kind: EntryKind = attrs.field(metadata=_public(Form.NAME, EntryKind))
    trigger: str = attrs.field(metadata=_public(Form.TEXT))
    """The trigger of the change; ``open`` for the opening entry, ``dismiss`` for a dismissal."""
    from_status: str | None = attrs.field(metadata=_public(Form.OPTIONAL_TEXT))
    """The status before the change; ``None`` only for the opening entry."""
    to_status: str = attrs.field(metadata=_public(Form.TEXT))
    """The status after the change (unchanged unless *kind* is a transition or the opening)."""
    fate: Fate = attrs.field(metadata=_public(Form.NAME, Fate))
    """The fate after the change."""
    assurance: Assurance = attrs.field(metadata=_public(Form.NAME, Assurance))
    """The assurance after the change."""
    role: str = attrs.field(metadata=_public(Form.TEXT))
    """The role the actor acted in; kept in a redacted export."""
    evidence_kinds: tuple[EvidenceKind, ...] = attrs.field(metadata=_public(Form.NAMES, EvidenceKind))
    """The kind of each piece of evidence; kept in a redacted export."""
    effective_at: datetime = attrs.field(metadata=_public(Form.INSTANT))
    """When the fact happened (the effective clock)."""
    recorded_at: datetime = attrs.field(metadata=_public(Form.INSTANT))
    """When the case holder recorded it (the recorded clock)."""
    resolves: tuple[int, ...] = attrs.field(metadata=_public(Form.INTS))
    """Sequence numbers of the conflict entries this change settles."""
    codes: tuple[Code, ...] = attrs.field(metadata=_public(Form.NAMES, Code))
    """For a conflict entry: why the report contradicts the case."""
    reverts_to: int | None = attrs.field(metadata=_public(Form.OPTIONAL_INT))
    """For a retraction or reopening: the entry whose status period resumes, the ones since void."""
    chain: str = attrs.field(metadata=_public(Form.TEXT))
    """``sha256``, or ``hmac-sha256:<key id>`` for a chain sealed with a key."""
    prev_hash: str = attrs.field(metadata=_public(Form.TEXT))
    """The hash of the entry before (64 zeros for the opening entry)."""
    commitment: str = attrs.field(metadata=_public(Form.TEXT))
    """The salted commitment to the personal data, which the hash covers in its place."""
    hash: str = attrs.field(metadata={"part": Part.SEAL, "form": Form.TEXT, "of": None, "omit_none": False})
    """The hash (or HMAC) over the public fields, the commitment and *prev_hash*."""
    workflow: str | None = attrs.field(default=None, metadata=_public(Form.OPTIONAL_TEXT, omit_none=True))
    """For the opening entry: the identity of the workflow that opened the case (see
    :attr:`Workflow.identity <casestate.Workflow.identity>`); ``None`` for every other entry, and
    in trails written before casestate recorded it. Left out of the canonical bytes and JSON when
    ``None``, so that those trails keep their bytes and hashes."""
    whereabouts: Whereabouts | None = attrs.field(
        default=None, metadata=_public(Form.OPTIONAL_NAME, Whereabouts, omit_none=True)
    )
    """Where the person or the remains are after the change (see :class:`~casestate.Whereabouts`);
    ``None`` in trails written before casestate recorded it, which read it from the status (see
    the JSON format page). Left out of the canonical bytes and JSON when ``None``."""
    # The personal data is held in the entry itself rather than in a Private of
    # its own: one object less per entry, to allocate, keep and collect.
    actor_id: str | None = attrs.field(default=None, repr=False, metadata=_PERSONAL)
    """Who made the change; ``None`` in a redacted entry."""
    reason: str | None = attrs.field(default=None, repr=False, metadata=_PERSONAL)
    """The written reason (``None`` when there is none, or redacted)."""
    evidence: tuple[Evidence, ...] = attrs.field(default=(), repr=False, metadata=_PERSONAL)
    """The evidence in full (empty in a redacted entry; see ``evidence_kinds``)."""
    salt: bytes | None = attrs.field(default=None, repr=False, metadata=_PERSONAL)
    """The salt of the commitment; ``None`` exactly when the entry is redacted."""

    @property
    def redacted(self) -> bool:
        """True when the personal data has been left out."""
        return self.salt is None

    @property
    def private(self) -> Private | None:
        """The personal data as one value, or ``None`` in a redacted entry."""
        if self.salt is None or self.actor_id is None:
            return None
        return Private(self.actor_id, self.reason, self.evidence, self.salt)

    @property
    def actor(self) -> Actor | None:
        """Who made the change, or ``None`` in a redacted entry."""
        if self.actor_id is None:
            return None
        return Actor(self.actor_id, self.role)

    def without_private(self) -> Entry:
        """This entry with its personal data left out; its hash still verifies."""
        return attrs.evolve(self, actor_id=None, reason=None, evidence=(), salt=None)
