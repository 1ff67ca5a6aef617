"""Entry: one link of a case's audit trail."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import attrs

from ._actors import Actor
from ._evidence import Evidence, EvidenceKind
from ._status import Assurance, Fate
from ._verdict import Code


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


@attrs.frozen
class Private:
    """The personal data of an entry, hidden behind its commitment.

    A privacy-preserving export drops this part; the entry's hash covers only
    the commitment, so the export still verifies.
    """

    actor_id: str
    reason: str | None
    evidence: tuple[Evidence, ...]
    salt: bytes = attrs.field(repr=False)


@attrs.frozen
class Entry:
    """One audit entry: everything needed to prove how a status was reached.

    Entries are made by ``open`` and ``apply`` and read back by ``replay``;
    an app does not build them. ``private`` is ``None`` in a redacted export.
    """

    seq: int
    """The entry's position in the trail; the opening entry is 0."""
    case_id: str
    kind: EntryKind
    trigger: str
    """The trigger of the change; ``open`` for the opening entry, ``dismiss`` for a dismissal."""
    from_status: str | None
    """The status before the change; ``None`` only for the opening entry."""
    to_status: str
    """The status after the change (unchanged unless *kind* is a transition or the opening)."""
    fate: Fate
    """The fate after the change."""
    assurance: Assurance
    """The assurance after the change."""
    role: str
    """The role the actor acted in; kept in a redacted export."""
    evidence_kinds: tuple[EvidenceKind, ...]
    """The kind of each piece of evidence; kept in a redacted export."""
    effective_at: datetime
    """When the fact happened (the effective clock)."""
    recorded_at: datetime
    """When the case holder recorded it (the recorded clock)."""
    resolves: tuple[int, ...]
    """Sequence numbers of the conflict entries this change settles."""
    codes: tuple[Code, ...]
    """For a conflict entry: why the report contradicts the case."""
    reverts_to: int | None
    """For a retraction or reopening: the entry whose status period resumes, the ones since void."""
    chain: str
    """``sha256``, or ``hmac-sha256:<key id>`` for a chain sealed with a key."""
    prev_hash: str
    """The hash of the entry before (64 zeros for the opening entry)."""
    commitment: str
    """The salted commitment to :attr:`private`, which the hash covers in its place."""
    hash: str
    """The hash (or HMAC) over the public fields, the commitment and *prev_hash*."""
    private: Private | None = attrs.field(default=None, repr=False)
    """The personal data; ``None`` in a redacted export."""

    @property
    def redacted(self) -> bool:
        """True when the personal data has been left out."""
        return self.private is None

    @property
    def actor(self) -> Actor | None:
        """Who made the change, or ``None`` in a redacted entry."""
        if self.private is None:
            return None
        return Actor(self.private.actor_id, self.role)

    @property
    def reason(self) -> str | None:
        """The written reason (``None`` when there is none, or redacted)."""
        return None if self.private is None else self.private.reason

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The evidence in full (empty in a redacted entry; see ``evidence_kinds``)."""
        return () if self.private is None else self.private.evidence
