"""Opening a store: its schema checked, created or upgraded, and the key given checked against its seal."""

from __future__ import annotations

from casestate import Problem
from casestate.chain import chain_for_key, check_key, key_problem

from . import _schema
from ._base import KeyRequired, NotAStore, WrongKey
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
        return meta

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
