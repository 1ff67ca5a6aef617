"""Entry: one link of a case's audit trail."""

from __future__ import annotations

import typing
from datetime import datetime
from enum import StrEnum
from typing import Any

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
    KIND = "kind"
    """An evidence kind's name: a built-in :class:`~casestate.EvidenceKind`, or one a workflow declares."""
    KINDS = "kinds"
    """A list of such names."""
    INTS = "ints"
    OPTIONAL_INTS = "optional ints"
    """A list of ints, or ``null``."""
    INSTANT = "instant"
    """A time, in the canonical instant form (UTC, microseconds)."""
    HEX = "hex"
    """Bytes, written as lowercase hexadecimal text."""
    RECORDS = "records"
    """A list of values of an attrs class, each written as an object of its fields (see :class:`Member`)."""


@attrs.frozen
class Member:
    """A field of the values a RECORDS field lists, and the form its value is written in."""

    name: str
    form: Form
    of: type[StrEnum] | None = None
    """For a NAME: the enumeration its values come from."""


def members(record: type) -> tuple[Member, ...]:
    """The fields of the attrs class *record*, in declaration order, each in the form its type says.

    A record's fields are read from its own declaration, so that its JSON,
    its canonical bytes and a store's text of it follow the class.

    >>> [(member.name, member.form.value) for member in members(Evidence)]
    [('kind', 'kind'), ('reference', 'text'), ('source', 'text'), ('obtained_at', 'instant')]
    """
    # Annotations are text (postponed); they name types this module imports,
    # and a published record's __module__ no longer leads to its own imports.
    types = typing.get_type_hints(record, localns=globals())
    found = []
    for field in attrs.fields(record):
        kind = types[field.name]
        if isinstance(kind, type) and issubclass(kind, StrEnum):
            found.append(Member(field.name, Form.NAME, kind))
        elif kind == EvidenceKind | str:
            found.append(Member(field.name, Form.KIND))
        elif kind is str:
            found.append(Member(field.name, Form.TEXT))
        elif kind is datetime:
            found.append(Member(field.name, Form.INSTANT))
        else:  # pragma: no cover - a record of another shape needs a form first
            msg = f"{record.__name__}.{field.name}: no form for {kind!r}"
            raise TypeError(msg)
    return tuple(found)


def _metadata(
    part: Part,
    form: Form,
    of: type | None = None,
    *,
    omit_none: bool = False,
    salts: bool = False,
) -> dict[str, object]:
    """A field's part and form; every field's metadata has the same keys.

    ``of`` is the enumeration of a NAME or NAMES field, the class of a
    RECORDS field (whose ``members`` are its fields); ``omit_none`` leaves a
    field added later out of the bytes and JSON when it has no value;
    ``salts`` marks the personal field that salts the commitment rather
    than being committed to.
    """
    return {
        "part": part,
        "form": form,
        "of": of,
        "members": members(of) if form is Form.RECORDS and of is not None else (),
        "omit_none": omit_none,
        "salts": salts,
    }


def _public(form: Form, of: type[StrEnum] | None = None, *, omit_none: bool = False) -> dict[str, object]:
    return _metadata(Part.PUBLIC, form, of, omit_none=omit_none)


def _personal(form: Form, of: type | None = None, *, salts: bool = False) -> dict[str, object]:
    return _metadata(Part.PERSONAL, form, of, salts=salts)


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
    EARLIER_PERIOD = "earlier_period"
    """A late report of a period before the current one; status unchanged.

    Its *to_status*, fate, assurance and whereabouts are those of the period
    it tells, which begins at its effective time and ends when the current
    period began. One in the status the case was in (*to_status* is
    *from_status*) tells that the current period began at its effective
    time; one in the status of the period before the current one says the
    case was as that period stood, and changes nothing.
    """
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
    evidence_kinds: tuple[EvidenceKind | str, ...] = attrs.field(metadata=_public(Form.KINDS))
    """The kind of each piece of evidence, built in or declared by the workflow; kept in a redacted export."""
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
    hash: str = attrs.field(metadata=_metadata(Part.SEAL, Form.TEXT))
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
    follows: str | None = attrs.field(default=None, metadata=_public(Form.OPTIONAL_TEXT, omit_none=True))
    """For the opening entry of a person's later disappearance: the id of the case of the one
    before (exchanged, sent back to the front, missing again). ``None`` for every other entry and
    for a first disappearance. Left out of the canonical bytes and JSON when ``None``."""
    source_id: str | None = attrs.field(default=None, metadata=_public(Form.OPTIONAL_TEXT, omit_none=True))
    """The id the change's source gave it (see :attr:`Change.source_id <casestate.Change.source_id>`):
    no two entries of a case hold the same one. ``None`` for a change sent without one, and left
    out of the canonical bytes and JSON then, so that trails written before keep their bytes and
    hashes."""
    displaces: int | None = attrs.field(default=None, metadata=_public(Form.OPTIONAL_INT, omit_none=True))
    """For a report that disagrees with the report that put the case in its status (about the very
    instant the status took effect, or about another day of the period before, when neither could
    have followed the other): the entry of that report, whose period is void since and which waits
    beside this one as an open conflict (see :doc:`/explanation/conflicts`). A transition that
    displaces outweighed it; a conflict that displaces is of comparable evidence, and begins a period
    at its instant in what the case held before both. ``None`` for every other entry, and left out of the
    canonical bytes and JSON then."""
    evidence_tiers: tuple[int, ...] | None = attrs.field(
        default=None, metadata=_public(Form.OPTIONAL_INTS, omit_none=True)
    )
    """For an entry whose evidence holds a kind its workflow declared (see
    :class:`~casestate.EvidenceKindDef`): the tier of each of :attr:`evidence_kinds`, in order, so
    that the trail is read without the workflow. ``None`` when every kind is built in (their tiers
    are fixed), and left out of the canonical bytes and JSON then, so that such entries keep their
    bytes."""
    carries_into: int | None = attrs.field(default=None, metadata=_public(Form.OPTIONAL_INT, omit_none=True))
    """For a late report of an earlier period (:attr:`EntryKind.EARLIER_PERIOD`) whose whereabouts the
    period after it carries over, its own report having named none: the entry that began that period
    (the current one, or one the case has left), which holds this period's whereabouts from then on
    (wounded in captivity on 10 March, the capture of 5 March learned late). For one that says the case
    was as a period it has left stood, about the very instant that period began: that period's entry,
    where the period held only the place carried over from the one before and this one names another
    (a capture video of the day he was wounded, learned after his death). ``None`` for every other
    entry, and left out of the canonical bytes and JSON then."""
    contests: tuple[int, ...] | None = attrs.field(
        default=None, metadata=_public(Form.OPTIONAL_INTS, omit_none=True)
    )
    """For a transition that ends a period: the corroborations of that period, about its own time or a
    later one, that say otherwise than the period it begins, in order. Each is an open conflict from
    this entry on, as it would have been had it come after the move ("still missing" on 12 March,
    then a death on 10 March learned: see :doc:`/explanation/conflicts`). For a late report of an
    earlier period that tells a period, or that one began earlier: the reports backing the left
    period it changes, about its own time or a later one before the next period began, that say
    otherwise than the period it tells (a "still missing" of 5 March, then a capture of 3 March
    learned after a death); and so, of the period before, for a rival report that holds, displacing
    the current period: it begins its period from that one. ``None`` when there is none, and left out
    of the canonical bytes and JSON then, so that trails written before keep their bytes and hashes."""
    reconciles: tuple[int, ...] | None = attrs.field(
        default=None, metadata=_public(Form.OPTIONAL_INTS, omit_none=True)
    )
    """For a move that begins a period: the open conflicts that agree with it, about its own time or a
    later one, in order. Each corroborates the period from this entry on, as it would have had it come
    after the move ("still missing" on 3 March, a conflict of a death on 1 March, once a capture video
    of 1 March ties with the death: see :doc:`/explanation/conflicts`). For a transition, the rivals
    of the period it ends or voids among them (a family's video of a death, left undecided with a
    capture, once a death certificate of that day holds), and, for one that resumes none, those
    about an earlier time that, come after it, would corroborate it (a family's video of a death at
    noon, kept as a conflict with a confirmed captivity, once the captor notifies the death that
    evening; a rival that holds, too, before the period it voids began); for a rival that holds
    about a later day than the period it voids began, those about the days between that agree
    with the period before, which they back ("still missing" on
    3 March, a conflict of a death of 2 March, once a capture card of 5 March outweighs the death).
    For a late report that begins the current period earlier, or tells a period of its
    own (up to the start of the period after it), as its move would have, had it come first (a
    prisoner's transfer of 7 March, kept as a conflict while he was listed missing, once a capture
    video of 5 March, learned after a death of 8 March, tells the captivity before it). For a late
    rival that leaves a left period undecided: those about a time before the current period began
    that would now corroborate it, and back it (a remains video of 25 February, a conflict of a
    wound confirmed on 1 March, once a notice of a death on 27 February ties with the wound).
    ``None`` when there is none, and left out of the canonical bytes and JSON then, so that trails
    written before keep their bytes and hashes."""
    # The personal data is held in the entry itself rather than in a Private of
    # its own: one object less per entry, to allocate, keep and collect.
    actor_id: str | None = attrs.field(default=None, repr=False, metadata=_personal(Form.TEXT))
    """Who made the change; ``None`` in a redacted entry."""
    reason: str | None = attrs.field(default=None, repr=False, metadata=_personal(Form.OPTIONAL_TEXT))
    """The written reason (``None`` when there is none, or redacted)."""
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), repr=False, metadata=_personal(Form.RECORDS, Evidence)
    )
    """The evidence in full (empty in a redacted entry; see ``evidence_kinds``)."""
    salt: bytes | None = attrs.field(default=None, repr=False, metadata=_personal(Form.HEX, salts=True))
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
        return attrs.evolve(self, **_WITHOUT_PERSONAL)


_WITHOUT_PERSONAL: dict[str, Any] = {  # each field its own type
    field.name: field.default for field in attrs.fields(Entry) if field.metadata["part"] is Part.PERSONAL
}
"""Each personal field at its default: what a redacted entry holds."""
