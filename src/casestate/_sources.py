"""Source ids: a change sent again is recognised, and a different change under a taken id refused.

A change may carry the id its source gave it (:attr:`Change.source_id
<casestate.Change.source_id>`); the entry it is sealed into records it, and
a case knows the ids its entries took (:attr:`Case.source_ids
<casestate.Case.source_ids>`). A change whose id the case has taken is

- *already stored* when it is the same change: the same trigger, the same
  actor (id and role), the same effective time, the same evidence (every
  piece, in order), the same reason and the same conflicts resolved. When
  it was recorded takes no part (a source that sends a record again may send
  it later), nor does the salt. An entry whose personal part was erased is
  compared on what it keeps: trigger, role, effective time, evidence kinds
  and conflicts resolved, so that sending it again does not bring the
  erased data back;
- refused with :attr:`Code.SOURCE_ID_REUSED
  <casestate.Code.SOURCE_ID_REUSED>` otherwise.

A change without a source id is never the same as another: casestate cannot
tell a resend from a second report of the same thing, and stores every
change it accepts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from ._case import Case
from ._change import Change
from ._entry import Entry
from ._evidence import Evidence, EvidenceKind
from ._layout import canonical_private
from ._standing import Standing
from ._time import format_instant
from ._verdict import Code, Outcome, Reason, Verdict


class Sent(NamedTuple):
    """What makes a change the one its source sent: digests of its public and its personal parts.

    A batch keeps one per source id taken, not the change.
    """

    public: bytes
    """Of the trigger, the role, the effective time, the evidence kinds and the conflicts resolved."""
    personal: bytes | None
    """Of the actor's id, the reason and the evidence in full; ``None`` for an entry whose personal
    part was erased, which is compared on its public part alone."""


def _public(
    trigger: str,
    role: str,
    effective_at: datetime,
    kinds: tuple[EvidenceKind, ...],
    resolves: tuple[int, ...],
) -> bytes:
    text = json.dumps([trigger, role, format_instant(effective_at), kinds, resolves])
    return hashlib.sha256(text.encode("ascii")).digest()


def _personal(actor_id: str, reason: str | None, evidence: tuple[Evidence, ...]) -> bytes:
    # The bytes the entry's commitment covers: one definition of the personal part.
    return hashlib.sha256(canonical_private(actor_id, reason, evidence)).digest()


def sent_change(change: Change) -> Sent:
    """What counts of *change* when it is compared with the change that took its source id."""
    evidence = change.evidence
    return Sent(
        _public(
            change.trigger,
            change.actor.role,
            change.effective_at,
            tuple(item.kind for item in evidence),
            change.resolves,
        ),
        _personal(change.actor.id, change.reason, evidence),
    )


def sent_entry(entry: Entry) -> Sent:
    """What counts of the change *entry* records (see :func:`sent_change`)."""
    public = _public(entry.trigger, entry.role, entry.effective_at, entry.evidence_kinds, entry.resolves)
    if entry.actor_id is None or entry.salt is None:
        return Sent(public, None)
    return Sent(public, _personal(entry.actor_id, entry.reason, entry.evidence))


def same(stored: Sent, sent: Sent) -> bool:
    """Whether *sent* is the change *stored* was made of (by its public part once its personal is gone)."""
    return stored.public == sent.public and (stored.personal is None or stored.personal == sent.personal)


def taken_in(case: Case, source_id: str) -> tuple[int, Sent] | None:
    """The entry of *case* that took *source_id*, and what it was sent as; ``None`` if it is free."""
    seq = case.source_ids.get(source_id)
    return None if seq is None else (seq, sent_entry(case.trail[seq]))


def resent(
    case: Standing, change: Change, taken: tuple[int, Sent], decide_anew: Callable[[], Verdict]
) -> Verdict:
    """The verdict on *change*, whose source id entry ``taken[0]`` of *case* took.

    The same change is already stored. A different one is refused, with
    every other reason *decide_anew* (the decision on it as a new change)
    finds to refuse it.
    """
    seq, stored = taken
    if same(stored, sent_change(change)):
        return Verdict(Outcome.ALREADY_STORED, (), case.status, case.fate, case.whereabouts)
    reused = Reason(
        Code.SOURCE_ID_REUSED,
        f"source id {change.source_id!r} is taken by entry {seq} of the case, a different change: "
        "a source id names one change",
    )
    anew = decide_anew()
    more = anew.reasons if anew.outcome is Outcome.REJECTED else ()
    return Verdict(Outcome.REJECTED, (reused, *more))
