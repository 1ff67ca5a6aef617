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

from collections.abc import Callable
from datetime import datetime
from hashlib import blake2b
from json.encoder import encode_basestring_ascii as _quote
from typing import NamedTuple

from ._case import Case
from ._change import Change
from ._entry import Entry
from ._evidence import EvidenceKind
from ._layout import canonical_private
from ._reasons import source_id_reused
from ._standing import Standing
from ._time import format_instant
from ._verdict import Outcome, Verdict


class Sent(NamedTuple):
    """What makes a change the one its source sent, as a digest: a batch keeps one per source id taken.

    Of the trigger, the role, the effective time, the evidence kinds and the
    conflicts resolved, and, when *whole*, of the actor's id, the reason and
    the evidence in full too. An entry whose personal part was erased gives
    the digest of its public part alone, and is compared on that.
    """

    digest: bytes
    whole: bool


def _public_text(  # noqa: PLR0917 - the public fields of a change, in their order
    trigger: str,
    role: str,
    effective_at: datetime,
    kinds: tuple[EvidenceKind | str, ...],
    resolves: tuple[int, ...],
    follows: str | None,
) -> bytes:
    # Texts quoted as JSON quotes them, then names and digits: read back one way only.
    when = format_instant(effective_at)
    after = "null" if follows is None else _quote(follows)
    return f"{_quote(trigger)},{_quote(role)},{when},{' '.join(kinds)};{resolves};{after}\n".encode("ascii")


def _digest(text: bytes) -> bytes:
    return blake2b(text, digest_size=16).digest()


def _public_of(change: Change) -> bytes:
    return _public_text(
        change.trigger,
        change.actor.role,
        change.effective_at,
        tuple(item.kind for item in change.evidence),
        change.resolves,
        change.follows,
    )


def sent_change(change: Change) -> Sent:
    """What counts of *change* when it is compared with the change that took its source id."""
    # The personal part as the entry's commitment covers it: one definition of it.
    personal = canonical_private(change.actor.id, change.reason, change.evidence)
    return Sent(_digest(_public_of(change) + personal), whole=True)


def sent_entry(entry: Entry) -> Sent:
    """What counts of the change *entry* records (see :func:`sent_change`)."""
    public = _public_text(
        entry.trigger, entry.role, entry.effective_at, entry.evidence_kinds, entry.resolves, entry.follows
    )
    if entry.actor_id is None or entry.salt is None:
        return Sent(_digest(public), whole=False)
    return Sent(_digest(public + canonical_private(entry.actor_id, entry.reason, entry.evidence)), whole=True)


def same(stored: Sent, change: Change) -> bool:
    """Whether *change* is the change *stored* was made of (by its public part, once its personal is gone)."""
    if stored.whole:
        return stored.digest == sent_change(change).digest
    return stored.digest == _digest(_public_of(change))


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
    if same(stored, change):
        return Verdict(Outcome.ALREADY_STORED, (), case.status, case.fate, case.whereabouts)
    reused = source_id_reused(str(change.source_id), seq)
    anew = decide_anew()
    more = anew.reasons if anew.outcome is Outcome.REJECTED else ()
    return Verdict(Outcome.REJECTED, (reused, *more))
