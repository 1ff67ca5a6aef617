"""The store interface: what every engine offers, the values it returns, and its errors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, Self

import attrs

from casestate import Actor, Assurance, Case, CasestateError, Change, Entry, Evidence, Fate, Whereabouts
from casestate.proofs import Checkpoint, ConsistencyProof, Receipt, SigningKey, VerifierKey


class StoreError(CasestateError):
    """Something about the store itself is wrong; every store error is one of these."""


class NotAStore(StoreError):
    """The file or schema is not a casestate store (nothing in it was changed)."""


class SchemaVersionError(StoreError):
    """The store's schema version is one this casestate cannot read or upgrade."""


class StoreLocked(StoreError):
    """Another connection held the database locked for longer than the timeout."""


class ConcurrentUpdate(StoreError):
    """The case changed since it was read: its stored version is not the one expected.

    Nothing was written. Load the case again, decide again, and retry.
    """

    def __init__(self, case_id: str, expected: int, found: int | None) -> None:
        self.case_id = case_id
        self.expected = expected
        self.found = found
        now = "was changed by another writer" if found is None else f"is at version {found}"
        super().__init__(
            f"case {case_id!r} {now}, not at version {expected} as expected; "
            "nothing was written: load it again and retry"
        )

    def __reduce__(self) -> tuple[type[ConcurrentUpdate], tuple[str, int, int | None], dict[str, object]]:
        # Pickled by its fields, as its constructor takes them (and its notes): it crosses processes.
        return (ConcurrentUpdate, (self.case_id, self.expected, self.found), self.__dict__)


class UnknownCase(StoreError, KeyError):
    """No case of that id is stored."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(f"no case {case_id!r} in the store")

    def __reduce__(self) -> tuple[type[UnknownCase], tuple[str], dict[str, object]]:
        return (UnknownCase, (self.case_id,), self.__dict__)

    def __str__(self) -> str:
        # KeyError would quote the message; it is a sentence for a person.
        return str(self.args[0])


class CaseExists(StoreError):
    """A case of that id is stored already."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(f"case {case_id!r} is in the store already")

    def __reduce__(self) -> tuple[type[CaseExists], tuple[str], dict[str, object]]:
        return (CaseExists, (self.case_id,), self.__dict__)


class KeyRequired(StoreError):
    """The store's trails are sealed with a key, and none was given."""


class WrongKey(StoreError):
    """The key given is not the one the store's trails are sealed with (or it has none)."""


@attrs.frozen
class CaseSummary:
    """A case as :meth:`CaseStore.find` lists it: where it stands, without its trail.

    Read from the store's summary table; :meth:`CaseStore.load` verifies the
    trail the summary is made from.
    """

    case_id: str
    status: str
    fate: Fate
    assurance: Assurance
    status_since: datetime
    version: int
    has_conflict: bool
    whereabouts: Whereabouts = Whereabouts.UNKNOWN
    """Where the person or the remains are (see :class:`~casestate.Whereabouts`)."""
    follows: str | None = None
    """The case of the person's disappearance before, for a later one (see ``Workflow.open``)."""


@attrs.frozen
class Erasure:
    """The record of one entry's personal part erased: which entry, when, by whom and why (never what)."""

    case_id: str
    seq: int
    erased_at: datetime
    erased_by: str
    reason: str


@attrs.frozen
class StoredEntry:
    """An entry with its *position*: its place in the store's global append order.

    Positions start at 1, rise by one per entry, and appear in the order the
    entries were committed, so a follower can resume after the last position
    it has seen.
    """

    position: int
    entry: Entry


class CaseStore(Protocol):
    """What every casestate store offers, whatever the database behind it."""

    def open_case(
        self,
        case_id: str,
        *,
        actor: Actor,
        effective_at: datetime,
        recorded_at: datetime,
        evidence: Iterable[Evidence] = (),
        reason: str | None = None,
        now: datetime | None = None,
        follows: str | None = None,
        source_id: str | None = None,
    ) -> Case:
        """Open and store a new case; :class:`CaseExists` if the id is taken.

        A *recorded_at* later than *now* (the store's clock unless given),
        plus the store's clock tolerance, is ``Rejected`` (``recorded_in_future``).
        An opening stored already under its *source_id* returns the case as stored.
        """
        ...

    def load(self, case_id: str) -> Case:
        """The case, its trail replayed and verified; ``BrokenTrail`` names a tampered entry."""
        ...

    def apply(
        self,
        case_id: str,
        changes: Sequence[Change],
        *,
        expected_version: int,
        now: datetime | None = None,
    ) -> Case:
        """Apply *changes* all together or not at all; the case as stored afterwards.

        A change recorded later than *now* (the store's clock unless given),
        plus the store's clock tolerance, is ``Rejected`` (``recorded_in_future``).
        A change stored already under its source id writes nothing.
        """
        ...

    def atomic(self) -> AbstractContextManager[None]:
        """A block whose writes, on any number of cases, are stored together or not at all.

        Every ``open_case`` and ``apply`` inside ``with store.atomic():`` joins
        one transaction, committed when the block ends and undone whole when
        an exception leaves it or the process dies inside it. A change refused
        inside (``ConcurrentUpdate``, ``CaseExists``, ``Rejected``) writes
        nothing, so the block may catch it and go on; a fault of the database
        ends the block's work, and it then stores nothing. A block inside a
        block joins it. The block keeps other writers out until it ends (they
        wait, then ``StoreLocked``): keep it to one unit of work. Use one store
        object per thread and per task.
        """
        ...

    def find(
        self,
        *,
        status: str | None = None,
        fate: Fate | str | None = None,
        has_conflict: bool | None = None,
        in_status_for_at_least: timedelta | None = None,
        now: datetime | None = None,
        limit: int = 100,
        after: str | None = None,
        whereabouts: Whereabouts | str | None = None,
        follows: str | None = None,
    ) -> list[CaseSummary]:
        """Cases matching every filter given, by case id, at most *limit*, after the id *after*."""
        ...

    def entries(self, *, after: int = 0, limit: int | None = None) -> Iterator[StoredEntry]:
        """Every entry after position *after*, in global append order."""
        ...

    def case_ids(self) -> Iterator[str]:
        """Every case id, in order."""
        ...

    def head(self, case_id: str) -> str | None:
        """The hash of the case's last entry, or ``None`` for an unknown case."""
        ...

    def erase(
        self,
        case_id: str,
        seqs: Iterable[int] | None = None,
        *,
        by: str,
        reason: str,
        now: datetime | None = None,
    ) -> list[Erasure]:
        """Erase the personal part of entries *seqs* of the case (every entry unless given), and record it."""
        ...

    def erasures(self, case_id: str) -> list[Erasure]:
        """The erasures recorded for the case, by entry number."""
        ...

    def checkpoint(self, key: SigningKey, *, now: datetime | None = None) -> str:
        """Hash the entries since the last checkpoint and sign the log's head: a C2SP checkpoint note."""
        ...

    def tree_size(self) -> int:
        """How many entries the last checkpoint covered (0 before the first)."""
        ...

    def prove(self, case_id: str, seq: int, checkpoint: str) -> Receipt:
        """A receipt: proof that entry *seq* of case *case_id* is in the log at signed *checkpoint*."""
        ...

    def consistency(self, old: str, new: str) -> ConsistencyProof:
        """Proof that the log at signed checkpoint *new* extends the log at *old*."""
        ...

    def verify_log(self, checkpoint: str, key: VerifierKey) -> Checkpoint:
        """Check that the store holds the log *checkpoint* signed: none cut off, none rewritten."""
        ...

    def close(self) -> None:
        """Release the connection(s)."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...
