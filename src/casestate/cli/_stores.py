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
        from casestate.store import StoreError  # noqa: PLC0415 - imported only when a store is named
    except ImportError as missing:  # pragma: no cover - the store ships with casestate
        raise StoreFault(f"this casestate has no store: {missing}") from None
    try:
        store, unsealed_key = _open_with_key(spec, workflow, key, create=create, unsealed=unsealed)
    except (StoreError, OSError, ValueError, ImportError) as error:
        raise StoreFault(_told(spec, error)) from None
    try:
        with store:
            yield Held(store, unsealed_key)
    except StoreError as error:
        raise StoreFault(_told(spec, error)) from None


def _open_with_key(
    spec: str, workflow: Workflow, key: bytes | None, *, create: bool, unsealed: bool
) -> tuple[CaseStore, bytes | None]:
    """The store, and the key to verify its trails with when they are not sealed with any (*unsealed*).

    A key that does not fit is told in the command line's words: which
    option to give or leave out, the store named once.
    """
    from casestate.store import KeyRequired, StoreError, WrongKey  # noqa: PLC0415 - as in opened_store

    try:
        return _open(spec, workflow, key, create=create), None
    except KeyRequired:
        msg = f"{masked(spec)}: the store's trails are sealed with a key: pass its key file with --key-file"
        raise StoreFault(msg) from None
    except WrongKey as wrong:
        if key is None:
            raise
        try:
            store = _open(spec, workflow, None, create=create)
        except KeyRequired:  # sealed, with another key
            msg = f"{masked(spec)}: the store's trails are sealed with another key than --key-file's"
            raise StoreFault(msg) from None
        except StoreError:
            raise wrong from None
    if unsealed:
        return store, key
    store.close()
    msg = f"{masked(spec)}: the store's trails are not sealed with a key: leave out --key-file"
    raise StoreFault(msg)


def _told(spec: str, error: Exception) -> str:
    """A fault of the store named by *spec*, naming it once: most store messages name it already."""
    said = hiding_passwords(str(error), spec)
    name = masked(spec)
    return said if said.startswith(name) or f" of {name}" in said else f"{name}: {said}"
