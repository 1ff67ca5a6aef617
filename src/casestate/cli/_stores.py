"""Opening the store a command names, with every store fault turned into a clear message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import click

from casestate import BrokenTrail, Case, Workflow
from casestate.feeds import loader, names_a_database, open_store

from ._shown import hiding_passwords, masked

if TYPE_CHECKING:
    from casestate.store import CaseStore

CANNOT_READ = 2
"""The exit status when the input (here: the store) cannot be read."""

store_option = click.option(
    "--store",
    metavar="PATH|URL",
    help="A SQLite file, or a PostgreSQL URL (postgresql+psycopg://...).",
)


class StoreFault(click.ClickException):
    """A store that cannot be opened or read; exits with status 2."""

    exit_code = CANNOT_READ


@attrs.frozen
class Held:
    """An open store, for the length of one command."""

    store: CaseStore
    unsealed_key: bytes | None = None
    """The key given for a store whose trails are not sealed with any: each is to be verified with it."""

    def load_or_none(self, case_id: str) -> Case | None:
        """The stored case *case_id*, or ``None`` when the store holds none of that id."""
        try:
            return loader(self.store)(case_id)
        except BrokenTrail as broken:
            raise broken_case(broken) from None


def broken_case(broken: BrokenTrail) -> StoreFault:
    """The fault told for a stored case whose trail does not verify."""
    return StoreFault(f"the store's case is broken: {broken}")


def _open(spec: str, workflow: Workflow, key: bytes | None, *, create: bool) -> CaseStore:
    if not names_a_database(spec) and not create and not Path(spec).exists():
        raise StoreFault(f"{masked(spec)}: no such store")
    return open_store(spec, workflow=workflow, key=key, create=create)


@contextmanager
def opened_store(
    spec: str | None, workflow: Workflow, key: bytes | None, *, create: bool = False, unsealed: bool = False
) -> Iterator[Held | None]:
    """The store named by *spec* (``None``: no store), closed on exit; faults become :class:`StoreFault`.

    With *unsealed*, a store whose trails are sealed with no key at all is
    opened all the same when a *key* is given, to report each of its trails
    as not sealed (``verify``, ``export``): its ``meta`` and trails may have
    been rewritten as plain chains by someone without the key.
    """
    if spec is None:
        yield None
        return
    try:
        from casestate.store import KeyRequired, StoreError, WrongKey  # noqa: PLC0415 - imported only when a store is named
    except ImportError as missing:  # pragma: no cover - the store ships with casestate
        raise StoreFault(f"this casestate has no store: {missing}") from None
    unsealed_key = None
    try:
        try:
            store = _open(spec, workflow, key, create=create)
        except WrongKey as wrong:
            if not unsealed or key is None:
                raise
            try:
                store = _open(spec, workflow, None, create=create)
            except KeyRequired:  # sealed, with another key
                raise wrong from None
            unsealed_key = key
    except (StoreError, OSError, ValueError, ImportError) as error:
        raise StoreFault(f"{masked(spec)}: {hiding_passwords(str(error), spec)}") from None
    try:
        with store:
            yield Held(store, unsealed_key)
    except StoreError as error:
        raise StoreFault(f"{masked(spec)}: {hiding_passwords(str(error), spec)}") from None
