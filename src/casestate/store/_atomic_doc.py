"""What ``store.atomic()`` promises, said once for the synchronous and the asynchronous store.

The words of the unit of work, apart from its code (``_unit``): the two
stores take their ``atomic`` docstring from here.
"""

from __future__ import annotations

ATOMIC = """A block whose writes, on any number of cases, are stored together or not at all.

Every ``open_case`` and ``apply`` inside the block joins one
transaction, committed when the block ends. An exception that leaves
the block undoes every write made in it; so does a process killed
inside it{cancelled}. Reads inside the block see its writes; other connections
see none of them until it ends.

A change refused inside the block (:class:`ConcurrentUpdate`,
:class:`CaseExists`, ``Rejected``) writes nothing, so the block may
catch it and go on. A fault of the database (:class:`StoreLocked`, a
lost connection) may have left part of a write: the block then
refuses every further call, and stores nothing when it ends. A block
inside a block joins it: an exception that leaves the inner one means
the outer one stores nothing either.

The block holds the store's write lock until it ends: other writers
wait for it, and give up with :class:`StoreLocked` after their
timeout. Keep a block to one unit of work, such as one file imported.
Positions that :meth:`entries` reads inside a block count only once
it is stored. {users}

>>> {with_} store.atomic():  # doctest: +SKIP
...     {await_}store.open_case("ua-1", actor=family, effective_at=seen, recorded_at=told)
...     {await_}store.apply("ua-1", [report], expected_version=1)
"""
"""The docstring of ``atomic``, for either kind of store (see :func:`atomic_doc`)."""


def atomic_doc(*, asynchronous: bool) -> str:
    """The docstring of ``atomic`` on a synchronous or an asynchronous store."""
    if asynchronous:
        users = (
            "One store object serves many tasks: a block belongs to the task that opened it, and a task "
            "started inside it is not in it (its writes wait for the block, as another writer's do)."
        )
        return ATOMIC.format(
            cancelled=", or a task cancelled inside it", users=users, with_="async with", await_="await "
        )
    users = (
        "Use one store object per thread and per task: two blocks that take turns on one store "
        "object store neither."
    )
    return ATOMIC.format(cancelled="", users=users, with_="with", await_="")
