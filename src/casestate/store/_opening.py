"""Opening a store: its schema checked, created or upgraded, and the key given checked against its seal."""

from __future__ import annotations

from casestate import BrokenTrail, Problem, replay
from casestate.chain import chain_for_key, check_key, key_problem

from . import _schema
from ._base import KeyRequired, NotAStore, WrongKey
from ._rows import row_entry
from ._statements import SELECT_ERASED, SELECT_TRAIL, UPDATE_SUMMARY, summary_params
from ._steps import Steps, Tx
from ._unit import UnitOfWork


class Opening(UnitOfWork):
    """The schema and the key, checked once, when the store is opened."""

    def _take_key(self, key: bytes | None) -> None:
        """Keep *key*, refused with a clear error if it cannot seal a chain, and the chain it seals."""
        self._key = None if key is None else check_key(key)
        self._chain = chain_for_key(self._key)

    def _setup(self, *, create: bool) -> Steps[None]:
        """Check (or create, or upgrade) the schema and the key, changing nothing on a fault."""
        meta = yield from self._transact(self._meta, write=False)
        if meta is None or int(meta["schema_version"]) != _schema.SCHEMA_VERSION:
            if meta is None and not create:
                raise NotAStore(f"{self.location} holds no casestate store (and create=False)")
            if meta is not None:
                _schema.check_version(meta, self.location)
                # The key first: a store opened with the wrong key is left as it is, not upgraded.
                self._check_key(meta["chain"])
            meta = yield from self._transact(self._made, write=True)
        self._check_key(meta["chain"])

    def _meta(self, tx: Tx) -> Steps[dict[str, str] | None]:
        """The store's ``meta`` rows; ``None`` for an empty place."""
        return (yield from _schema.read_meta(tx, (yield from self._tables(tx)), self.location))

    def _made(self, tx: Tx) -> Steps[dict[str, str]]:
        """Create the schema, or upgrade it (read again, inside the transaction that does it)."""
        yield from self._prepare_setup(tx)
        meta = yield from self._meta(tx)
        if meta is None:
            yield from _schema.create(tx, self._schema(), self._chain)
            return {"chain": self._chain}
        self._check_key(meta["chain"])
        yield from _schema.upgrade(tx, meta, self.location)
        if int(meta["schema_version"]) < _schema.SUMMARY_SINCE:
            yield from self._summarise_again(tx)
        return meta

    def _summarise_again(self, tx: Tx) -> Steps[None]:
        """Make every case's summary row again from its trail, in the upgrade's transaction.

        A trail that does not verify keeps its row as it was: the upgrade does
        not stop on one damaged case, and loading it names what is wrong.
        """
        for (case_id,) in (yield from tx.query("SELECT case_id FROM cases")):
            rows = yield from tx.query(SELECT_TRAIL, {"case_id": case_id})
            erased = frozenset(
                int(seq) for (seq,) in (yield from tx.query(SELECT_ERASED, {"case_id": case_id}))
            )
            try:
                entries = [row_entry(row, case_id, len(rows), erased=erased) for row in rows]
                case = replay(entries, key=self._key, allow_redacted=bool(erased))
            except (BrokenTrail, IndexError):
                continue
            yield from tx.execute(UPDATE_SUMMARY, summary_params(case))

    def _check_key(self, chain: str) -> None:
        problem = key_problem(chain, self._key)
        if problem is None:
            return
        if problem is Problem.KEY_REQUIRED:
            raise KeyRequired(
                f"{self.location}: the store's trails are sealed with a key ({chain}); pass key="
            )
        if problem is Problem.NOT_SEALED:
            raise WrongKey(f"{self.location}: the store's trails are not sealed with a key; do not pass one")
        raise WrongKey(f"{self.location}: the store's trails are sealed with another key ({chain})")
