"""Change: what an app submits to move a case."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable
from datetime import datetime
from typing import TypedDict

import attrs

from ._actors import Actor
from ._evidence import Evidence
from ._text import MAX_CASE_ID, MAX_NAME, check_identifier, check_storable, is_blank
from ._time import to_utc

DISMISS = "dismiss"
"""The trigger, present in every workflow, that dismisses open conflicts."""

OPEN = "open"
"""The trigger of a case's first entry; in a batch (:class:`casestate.Batch`), a change that opens a case."""

SALT_BYTES = 16
_SALTS_AT_ONCE = 1024


def _trigger(_instance: object, _attribute: object, value: str) -> None:
    check_identifier(value, "trigger")


def _actor(_instance: object, _attribute: object, value: Actor) -> None:
    if not isinstance(value, Actor):
        msg = f"actor must be an Actor, not {type(value).__name__}"
        raise TypeError(msg)
    # Checked here, not in Actor: an entry of a trail written before this rule
    # still gives its Actor; what is new must name its actor unmistakably.
    check_identifier(value.id, "actor id")
    check_identifier(value.role, "actor role")


def _evidence(value: Iterable[Evidence]) -> tuple[Evidence, ...]:
    if isinstance(value, Evidence | str | bytes):
        msg = "evidence must be a sequence of Evidence, not a single value"
        raise TypeError(msg)
    items = tuple(value)
    for item in items:
        if not isinstance(item, Evidence):
            msg = f"evidence must hold Evidence values, not {type(item).__name__}"
            raise TypeError(msg)
        # As for actors: Evidence itself reads what older trails hold.
        if is_blank(item.reference) or is_blank(item.source):
            msg = f"evidence {item.kind}: its reference and source must show something"
            raise ValueError(msg)
    return items


def _source_id(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None:
        check_identifier(value, "source_id", MAX_NAME)


def _reason(value: str | None) -> str | None:
    """Blank reasons count as none: a reason is for a person to read (see ``is_blank``)."""
    if value is None:
        return None
    if not isinstance(value, str):
        msg = f"reason must be a string or None, not {type(value).__name__}"
        raise TypeError(msg)
    check_storable(value, "reason")
    return None if is_blank(value) else value


def _resolves(value: Iterable[int]) -> tuple[int, ...]:
    items = set()
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or item < 0:
            msg = f"resolves must hold entry sequence numbers (ints >= 0), got {item!r}"
            raise ValueError(msg)
        items.add(item)
    return tuple(sorted(items))


def salt_problem(salt: bytes) -> str | None:
    """Why *salt* is too weak to hide the personal data it salts; ``None`` if it is not.

    A short salt lets whoever holds a redacted export recover an actor id
    or a reason by hashing guesses against the commitment.

    >>> salt_problem(bytes(16)) is None, salt_problem(b"x")
    (True, 'a salt of 1 bytes; at least 16 keep the personal data from being guessed')
    """
    if len(salt) >= SALT_BYTES:
        return None
    return f"a salt of {len(salt)} bytes; at least {SALT_BYTES} keep the personal data from being guessed"


def _follows(instance: Change, _attribute: object, value: str | None) -> None:
    if value is not None:
        if instance.trigger != OPEN:
            msg = f"only an opening follows a case: a change of trigger {instance.trigger!r} opens none"
            raise ValueError(msg)
        check_identifier(value, "follows", MAX_CASE_ID)


def _salt(_instance: object, _attribute: object, value: bytes | None) -> None:
    if value is None:
        return
    if not isinstance(value, bytes) or salt_problem(value) is not None:
        msg = f"salt must be at least {SALT_BYTES} bytes"
        raise ValueError(msg)


# Salts drawn from the operating system's random source and not yet handed out.
_salts: deque[bytes] = deque()
# A forked process must not hand out the salts its parent will hand out too.
os.register_at_fork(after_in_child=_salts.clear)


def new_salt() -> bytes:
    """Fresh random salt for the commitment that hides an entry's personal data.

    Salts come from :func:`os.urandom` (as :func:`secrets.token_bytes` does),
    1,024 per call: applying a large file seals one entry per line, and one
    system call per salt was a tenth of the work. Each salt is handed out
    once (``deque.popleft`` is atomic, and a forked child starts with none).
    """
    try:
        return _salts.popleft()
    except IndexError:
        drawn = os.urandom(SALT_BYTES * _SALTS_AT_ONCE)
        _salts.extend([drawn[start : start + SALT_BYTES] for start in range(0, len(drawn), SALT_BYTES)])
        return _salts.popleft()


def _effective_at(value: datetime) -> datetime:
    return to_utc(value, "effective_at")


def _recorded_at(value: datetime) -> datetime:
    return to_utc(value, "recorded_at")


@attrs.frozen(kw_only=True)
class Change:
    """A change an app submits for a case: what, who, on what evidence, when.

    Two clocks: *effective_at* is when the fact happened, as the evidence says;
    *recorded_at* is when the case holder learned it. Both must be
    timezone-aware and are kept in UTC.

    *resolves* names open conflict entries (by sequence number) that this
    change settles. *salt* is the randomness that keeps the personal data of
    the entry hidden in a privacy-preserving export; leave it to its default,
    ``None``, and each entry the change is sealed into draws a fresh one (so
    one Change applied to two cases still gives two salts). A fixed salt lets
    a reader of the export link entries and test guesses of the hidden
    values: tests pin it to make hashes reproducible.

    *source_id* is the id the change's source gives it (a hotline's call
    number, a partner's record id), at most :data:`~casestate.MAX_NAME`
    characters, unique within the case: name the source in it
    (``hotline-kyiv/2024-0412``), as two sources may number alike. A change
    sent again under its id is recognised and stored once
    (:attr:`Outcome.ALREADY_STORED <casestate.Outcome.ALREADY_STORED>`); a
    different change under an id the case has taken is refused
    (:attr:`Code.SOURCE_ID_REUSED <casestate.Code.SOURCE_ID_REUSED>`). The
    entry records it, in public: an id must not hold personal data.

    >>> from datetime import datetime, UTC
    >>> from casestate import Actor, Role
    >>> change = Change(trigger="report_dead", actor=Actor("unit-41", Role.UNIT),
    ...                 reason="unit notice", effective_at=datetime(2024, 3, 1, tzinfo=UTC),
    ...                 recorded_at=datetime(2024, 3, 9, tzinfo=UTC))
    >>> change.trigger
    'report_dead'
    """

    trigger: str = attrs.field(validator=_trigger)
    actor: Actor = attrs.field(validator=_actor)
    effective_at: datetime = attrs.field(converter=_effective_at)
    recorded_at: datetime = attrs.field(converter=_recorded_at)
    evidence: tuple[Evidence, ...] = attrs.field(default=(), converter=_evidence)
    reason: str | None = attrs.field(default=None, converter=_reason)
    resolves: tuple[int, ...] = attrs.field(default=(), converter=_resolves)
    source_id: str | None = attrs.field(default=None, validator=_source_id)
    salt: bytes | None = attrs.field(default=None, validator=_salt, repr=False)
    follows: str | None = attrs.field(default=None, validator=_follows)
    """For an opening: the case of the person's disappearance before, which the new case follows.

    A person exchanged, sent back to the front and missing again gets a new
    case (see ``Workflow.open``); a feed line that opens it names the first
    case here."""

    def opening(self) -> Opening:
        """This opening change as the keywords of ``Workflow.open`` and a store's ``open_case``.

        A feed line or a web request that opens a case is a change whose
        trigger is ``open``; ``store.open_case(case_id, **change.opening())``
        opens the case as it says, its source id included. A change of any
        other trigger is refused with a ``ValueError``.

        >>> from datetime import datetime, UTC
        >>> from casestate import Actor, Role
        >>> when = datetime(2024, 3, 1, tzinfo=UTC)
        >>> opening = Change(trigger="open", actor=Actor("olena-k", Role.FAMILY), effective_at=when,
        ...                  recorded_at=when, source_id="hotline-kyiv/2024-0412").opening()
        >>> opening["source_id"]
        'hotline-kyiv/2024-0412'
        """
        if self.trigger != OPEN:
            msg = f"a change of trigger {self.trigger!r} opens no case; an opening's trigger is {OPEN!r}"
            raise ValueError(msg)
        return Opening(
            actor=self.actor,
            effective_at=self.effective_at,
            recorded_at=self.recorded_at,
            evidence=self.evidence,
            reason=self.reason,
            source_id=self.source_id,
            follows=self.follows,
        )


class Opening(TypedDict):
    """What an opening change says, by the keywords ``Workflow.open`` and ``open_case`` take.

    See :meth:`Change.opening`.
    """

    actor: Actor
    effective_at: datetime
    recorded_at: datetime
    evidence: tuple[Evidence, ...]
    reason: str | None
    source_id: str | None
    follows: str | None
