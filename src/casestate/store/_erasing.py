"""Erasure that keeps the proof: the personal part of chosen entries removed, and the removal recorded.

Each entry's hash covers a salted commitment to its personal part (actor,
reason, evidence, salt), not the part itself: removing it leaves every
hash, every checkpoint and every receipt as it was. What is removed cannot
be restored, by casestate or anyone: it is not kept anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from casestate.instants import format_instant, parse_instant, to_utc

from ._arguments import check_text
from ._base import Erasure, StoreError
from ._cases import Cases
from ._rows import ERASED
from ._statements import SELECT_ERASURES
from ._steps import Steps, Tx, operation

_ERASE = "UPDATE entries SET private = :erased WHERE case_id = :case_id AND seq = :seq"
_RECORD = (
    "INSERT INTO erasures (case_id, seq, erased_at, erased_by, reason) "
    "VALUES (:case_id, :seq, :erased_at, :erased_by, :reason)"
)


class Erasing(Cases):
    """``erase`` and ``erasures``: over whole cases, which are verified before anything is erased."""

    @operation
    def erase(
        self,
        case_id: str,
        seqs: Iterable[int] | None = None,
        *,
        by: str,
        reason: str,
        now: datetime | None = None,
    ) -> Steps[list[Erasure]]:
        """Erase the personal part of entries *seqs* of case *case_id* (every entry unless given).

        The actor ids, reasons, evidence details and salts go; the public part
        (statuses, roles, evidence kinds, both clocks) and every hash stay, so
        the trail, the store's checkpoints and every receipt still verify.
        The erasure is recorded (which entry, when: *now*, the store's clock
        unless given; *by* whom; *reason*), never what was erased, and the
        case is verified first, so that an erasure cannot cover up an
        alteration. Entries erased before are left as they are. Returns the
        erasures made. On SQLite the freed bytes are overwritten and the
        write-ahead log emptied once no other connection reads from it.
        """
        check_text(case_id, "case_id")
        erased_by, why = _said(by, "who erases (by)"), _said(reason, "a reason")
        if self._block is not None:
            msg = f"{self.location}: erase outside an atomic block"
            raise StoreError(msg)
        when = to_utc(self._clock() if now is None else now, "now")
        case = (yield from self._transact(lambda tx: self._load(tx, case_id), write=False))[0]
        chosen = range(case.version) if seqs is None else sorted(set(seqs))
        for seq in chosen:
            if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq < case.version:
                msg = f"case {case_id!r} has entries 0 to {case.version - 1}, not {seq!r}"
                raise ValueError(msg)

        def erased(tx: Tx) -> Steps[list[Erasure]]:
            made: list[Erasure] = []
            already = yield from self._erased(tx, case_id)
            for seq in chosen:
                if seq in already:
                    continue
                if (yield from tx.execute(_ERASE, {"erased": ERASED, "case_id": case_id, "seq": seq})) != 1:
                    msg = f"{self.location}: case {case_id!r} lost entry {seq} while it was being erased"
                    raise StoreError(msg)
                made.append(Erasure(case_id, seq, when, erased_by, why))
            if made:
                yield from tx.execute_many(_RECORD, [_record(erasure) for erasure in made])
            return made

        made = yield from self._transact(erased, write=True)
        self._memo.forget(case_id)
        if made:
            yield from self._after_erasure()
        return made

    @operation
    def erasures(self, case_id: str) -> Steps[list[Erasure]]:
        """The erasures recorded for case *case_id*, by entry number."""
        check_text(case_id, "case_id")
        rows = yield from self._read(SELECT_ERASURES, {"case_id": case_id})
        try:
            return [
                Erasure(case_id, int(seq), parse_instant(at), str(by), str(why)) for seq, at, by, why in rows
            ]
        except (TypeError, ValueError) as error:
            msg = f"{self.location}: an erasure of case {case_id!r} was altered: {error}"
            raise StoreError(msg) from None


def _said(value: object, what: str) -> str:
    """*value*, a non-empty text the store can keep: an erasure names who made it, and why."""
    if not isinstance(value, str) or not value.strip():
        msg = f"an erasure needs {what}: a non-empty text"
        raise ValueError(msg)
    return check_text(value, what)


def _record(erasure: Erasure) -> dict[str, object]:
    return {
        "case_id": erasure.case_id,
        "seq": erasure.seq,
        "erased_at": format_instant(erasure.erased_at),
        "erased_by": erasure.erased_by,
        "reason": erasure.reason,
    }
