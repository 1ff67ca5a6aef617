"""Building changes and evidence from fields already checked, for readers of records and stored rows.

Validating a million-line file builds a million changes, and loading a store
builds each entry's evidence. The record readers (:mod:`casestate._records`)
and the store's row reader (``casestate.store._rows``) check every field
exactly as the classes' own converters and validators would (tests hold the
two ways equal, and send what the fast readers refuse to the strict ones), so
the values are built here directly, without running those checks a second
time: that takes a fraction of the time.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import attrs

from ._actors import Actor
from ._change import Change
from ._evidence import Evidence, EvidenceKind

KINDS = {kind.value: kind for kind in EvidenceKind}
"""Each evidence kind by the text that names it in a record."""


@lru_cache(maxsize=4096)
def shared_actor(actor_id: str, role: str) -> Actor:
    """Actors repeat from line to line: one value for each, as they are immutable."""
    return Actor(actor_id, role)


# The slots' own setters: a frozen class refuses ``setattr``, and calling a
# slot's setter directly costs a third of ``object.__setattr__`` by name.
_new = object.__new__
_kind, _reference, _source, _obtained_at = (
    Evidence.__dict__[field.name].__set__ for field in attrs.fields(Evidence)
)
_trigger, _actor, _effective_at, _recorded_at, _evidence, _reason, _resolves, _source_id, _salt, _follows = (
    Change.__dict__[field.name].__set__ for field in attrs.fields(Change)
)


def trusted_evidence(kind: EvidenceKind, reference: str, source: str, obtained_at: datetime) -> Evidence:
    """The :class:`Evidence` of fields a reader has already checked, built without checking them again.

    For readers of what casestate itself wrote and a reader checked field by
    field (a store's rows, a file of change records), where the constructor's
    checks would run a second time: this is four times faster. The fields
    must be what :class:`Evidence` would accept: *reference* and *source*
    text that shows something and every store can hold
    (:func:`casestate.text.is_text`), *obtained_at* a UTC datetime. Anything
    else is built with ``Evidence(...)``, which checks it.

    >>> from datetime import datetime, UTC
    >>> import casestate as cs
    >>> when = datetime(2024, 5, 2, tzinfo=UTC)
    >>> made = cs.trusted_evidence(cs.EvidenceKind.CAPTURE_CARD, "ICRC-CC-1187", "ICRC Geneva", when)
    >>> made == cs.Evidence("capture_card", "ICRC-CC-1187", "ICRC Geneva", when)
    True
    """
    evidence = _new(Evidence)
    _kind(evidence, kind)
    _reference(evidence, reference)
    _source(evidence, source)
    _obtained_at(evidence, obtained_at)
    return evidence


def trusted_change(  # noqa: PLR0917 - a builder of checked fields, for the record readers only
    trigger: str,
    actor: Actor,
    effective_at: datetime,
    recorded_at: datetime,
    evidence: tuple[Evidence, ...],
    reason: str | None,
    resolves: tuple[int, ...],
    source_id: str | None = None,
    follows: str | None = None,
) -> Change:
    """The :class:`Change` of fields already checked (its salt drawn when it is sealed).

    The reason must already be ``None`` when blank, *resolves* sorted
    without repeats, *source_id* ``None`` or an identifier of at most
    ``MAX_NAME`` characters, and *follows* ``None`` or, for an opening, an
    identifier of at most ``MAX_CASE_ID``, as the constructor would make them.
    """
    change = _new(Change)
    _trigger(change, trigger)
    _actor(change, actor)
    _effective_at(change, effective_at)
    _recorded_at(change, recorded_at)
    _evidence(change, evidence)
    _reason(change, reason)
    _resolves(change, resolves)
    _source_id(change, source_id)
    _salt(change, None)
    _follows(change, follows)
    return change
