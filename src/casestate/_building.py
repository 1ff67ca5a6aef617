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
    Evidence.__dict__[name].__set__ for name in ("kind", "reference", "source", "obtained_at")
)
_trigger, _actor, _effective_at, _recorded_at, _evidence, _reason, _resolves, _salt = (
    Change.__dict__[name].__set__
    for name in ("trigger", "actor", "effective_at", "recorded_at", "evidence", "reason", "resolves", "salt")
)


def trusted_evidence(kind: EvidenceKind, reference: str, source: str, obtained_at: datetime) -> Evidence:
    """The :class:`Evidence` of fields already checked: non-empty texts, an aware UTC time."""
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
) -> Change:
    """The :class:`Change` of fields already checked (its salt drawn when it is sealed).

    The reason must already be ``None`` when blank, and *resolves* sorted
    without repeats, as the constructor would make them.
    """
    change = _new(Change)
    _trigger(change, trigger)
    _actor(change, actor)
    _effective_at(change, effective_at)
    _recorded_at(change, recorded_at)
    _evidence(change, evidence)
    _reason(change, reason)
    _resolves(change, resolves)
    _salt(change, None)
    return change
