"""The store's logic as steps, and the two drivers that run them: one calls, the other awaits.

Every job of the store (the unit of work, opening, cases, queries, the log,
erasure) is written once, as a generator that yields each call of the
database it needs (a :class:`Call`) and is sent back its result, or has its
error thrown in. Between two calls it is plain Python, the same for both
kinds of store: a synchronous store calls each :class:`Call` and sends the
result back (:func:`run`); an asynchronous one awaits it (:func:`arun`).
Nothing but the I/O differs, so the decisions (what to read, what to write,
what a refusal leaves behind) are made by one piece of code.

A public method is written once as such a generator and declared with
:func:`operation` (or :func:`stream`, for one that hands out items as it
reads them): on a synchronous store it is a method that returns the result,
on an asynchronous one a coroutine function.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from abc import ABC
from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeAlias, TypeVar, overload

import attrs

if TYPE_CHECKING:
    from ._schema import Row

T = TypeVar("T")
P = ParamSpec("P")


@attrs.frozen
class Call:
    """One call of the engine's I/O: a synchronous driver calls *function*, an asynchronous one awaits it."""

    function: Callable[..., Any]
    args: tuple[Any, ...] = ()


@attrs.frozen
class Emit:
    """An item a stream hands its reader (``entries``, ``case_ids``), between two transactions."""

    item: object


Step: TypeAlias = Call | Emit
Steps: TypeAlias = Generator[Step, Any, T]
"""A piece of the store's logic that yields the steps it needs and returns a *T*."""


class Tx:
    """An open transaction, as the steps see it: each statement is a step.

    *io* is the engine's transaction: a synchronous store's methods return
    their results, an asynchronous store's return awaitables.
    """

    __slots__ = ("io",)

    def __init__(self, io: Any) -> None:  # noqa: ANN401 - the engine's transaction, sync or async
        self.io = io

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> Steps[list[Row]]:
        """The rows *sql* selects."""
        rows: list[Row] = yield Call(self.io.query, (sql, params))
        return rows

    def execute(self, sql: str, params: Mapping[str, object] | None = None) -> Steps[int]:
        """Run *sql*; the number of rows it changed."""
        changed: int = yield Call(self.io.execute, (sql, params))
        return changed

    def execute_many(self, sql: str, params: Sequence[Mapping[str, object]]) -> Steps[int]:
        """Run *sql* once for each set of *params*; the number of rows changed in all."""
        changed: int = yield Call(self.io.execute_many, (sql, params))
        return changed

    def insert_entries(self, rows: Sequence[Row]) -> Steps[None]:
        """Insert entry rows (position first, then the entry's columns)."""
        yield Call(self.io.insert_entries, (rows,))

    def end(self, *, commit: bool) -> Steps[None]:
        """Commit, or roll back; a commit that fails rolls back before it raises."""
        yield Call(self.io.end, (commit,))


# -- the drivers ------------------------------------------------------------------


class _Turns:
    """Steps taken one after the other: each result sent back in, or each error thrown in."""

    __slots__ = ("error", "result", "steps", "value")

    def __init__(self, steps: Steps[Any]) -> None:
        self.steps = steps
        self.result: object = None
        self.error: BaseException | None = None
        self.value: object = None

    def next(self) -> Step | None:
        """The next step, or ``None`` once the steps returned (their value in :attr:`value`)."""
        result, error = self.result, self.error
        self.result = self.error = None
        try:
            return self.steps.send(result) if error is None else self.steps.throw(error)
        except StopIteration as done:
            self.value = done.value
            return None

    def call(self, step: Call) -> None:
        try:
            self.result = step.function(*step.args)
        except BaseException as error:  # noqa: BLE001 - thrown into the steps, which decide
            self.error = error

    async def await_(self, step: Call) -> None:
        try:
            self.result = await step.function(*step.args)
        except BaseException as error:  # noqa: BLE001 - as above; a cancellation too
            self.error = error


def _driven(turns: _Turns) -> Iterator[object]:
    while (step := turns.next()) is not None:
        if isinstance(step, Emit):
            yield step.item
        else:
            turns.call(step)


async def _awaited(turns: _Turns) -> AsyncIterator[object]:
    while (step := turns.next()) is not None:
        if isinstance(step, Emit):
            yield step.item
        else:
            await turns.await_(step)


def run(steps: Steps[T]) -> T:
    """Run *steps*, calling each call: what a synchronous store does."""
    turns = _Turns(steps)
    for _ in _driven(turns):
        raise AssertionError("an operation handed out an item: only a stream may")
    return turns.value  # type: ignore[return-value] # the steps' own value


async def arun(steps: Steps[T]) -> T:
    """Run *steps*, awaiting each call: what an asynchronous store does."""
    turns = _Turns(steps)
    async for _ in _awaited(turns):
        raise AssertionError("an operation handed out an item: only a stream may")
    return turns.value  # type: ignore[return-value] # the steps' own value


# -- the two kinds of store ---------------------------------------------------------


def iterate(steps: Steps[None]) -> Iterator[object]:
    """The items *steps* emit, calling each call: a synchronous store's stream."""
    return _driven(_Turns(steps))


def aiterate(steps: Steps[None]) -> AsyncIterator[object]:
    """The items *steps* emit, awaiting each call: an asynchronous store's stream."""
    return _awaited(_Turns(steps))


class Synchronous(ABC):  # noqa: B024 - a kind of store, with nothing left to define
    """A store whose methods return their results: each call of the engine is made as it comes."""

    _run = staticmethod(run)
    _iterate = staticmethod(iterate)

    def _owner(self) -> object:
        """Who an atomic block belongs to: a synchronous store has one user (a thread) at a time."""
        return None


class Asynchronous(ABC):  # noqa: B024 - as above
    """A store whose methods are coroutines: each call of the engine is awaited.

    One store object may serve many tasks at once; an atomic block belongs
    to the task that opened it.
    """

    _run = staticmethod(arun)
    _iterate = staticmethod(aiterate)

    def _owner(self) -> object:
        """The task an atomic block opened now would belong to."""
        return asyncio.current_task()


_Kind: TypeAlias = type[Synchronous] | type[Asynchronous]


class _Declared(Generic[P, T]):
    """A public method written once as steps; each kind of store makes its own method of it."""

    def __init__(self, steps: Callable[Concatenate[Any, P], Steps[Any]], returns: str) -> None:
        self.steps = steps
        self.returns = returns
        self.made: dict[type, Callable[..., Any]] = {}
        functools.update_wrapper(self, steps)  # type: ignore[arg-type] # its name and docstring

    def made_for(self, owner: type) -> Callable[..., Any]:
        """The method of a store of class *owner*, made once for each kind of store."""
        kind: _Kind = Asynchronous if issubclass(owner, Asynchronous) else Synchronous
        method = self.made.get(kind)
        if method is None:
            method = self._make(kind)
            functools.update_wrapper(method, self.steps)
            del method.__wrapped__  # type: ignore[attr-defined] # it shows the signature below instead
            shown = self.returns.format(kind="Async" if kind is Asynchronous else "")
            method.__signature__ = inspect.signature(self.steps).replace(  # type: ignore[attr-defined]
                return_annotation=shown
            )
            method.__annotations__ = {**self.steps.__annotations__, "return": shown}
            self.made[kind] = method
        return method

    def _make(self, kind: _Kind) -> Callable[..., Any]:
        # An asynchronous store's method is a coroutine function, as the docs and inspect say.
        awaited = kind is Asynchronous
        return _method(self.steps, kind._run, awaited=awaited)  # noqa: SLF001 - the kinds drive their methods

    def bound(self, instance: object, owner: type | None) -> Callable[..., Any]:
        """The method of *instance* (of *owner*, when *instance* is ``None``)."""
        method = self.made_for(type(instance) if owner is None else owner)
        return method if instance is None else method.__get__(instance, owner)


def _method(
    steps: Callable[..., Steps[Any]], drive: Callable[[Steps[Any]], Any], *, awaited: bool
) -> Callable[..., Any]:
    """The method that runs *steps* with *drive*: their result, an iterator, or (*awaited*) a coroutine."""
    if awaited:

        async def coroutine(self: object, /, *args: object, **kwargs: object) -> Any:  # noqa: ANN401 - as *drive* says
            return await drive(steps(self, *args, **kwargs))

        return coroutine

    def method(self: object, /, *args: object, **kwargs: object) -> Any:  # noqa: ANN401 - as *drive* says
        return drive(steps(self, *args, **kwargs))

    return method


class Operation(_Declared[P, T]):
    """A method that returns a *T* (an awaitable one on an asynchronous store)."""

    @overload
    def __get__(
        self, instance: Asynchronous, owner: type | None = None
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    @overload
    def __get__(self, instance: Synchronous, owner: type | None = None) -> Callable[P, T]: ...
    @overload
    def __get__(self, instance: None, owner: type) -> Callable[..., Any]: ...
    def __get__(self, instance: object, owner: type | None = None) -> Callable[..., Any]:
        return self.bound(instance, owner)


class Stream(_Declared[P, T]):
    """A method that hands out *T* items as it reads them: an iterator, or an async one."""

    def _make(self, kind: _Kind) -> Callable[..., Any]:
        return _method(self.steps, kind._iterate, awaited=False)  # noqa: SLF001 - as above

    @overload
    def __get__(self, instance: Asynchronous, owner: type | None = None) -> Callable[P, AsyncIterator[T]]: ...
    @overload
    def __get__(self, instance: Synchronous, owner: type | None = None) -> Callable[P, Iterator[T]]: ...
    @overload
    def __get__(self, instance: None, owner: type) -> Callable[..., Any]: ...
    def __get__(self, instance: object, owner: type | None = None) -> Callable[..., Any]:
        return self.bound(instance, owner)


def operation(steps: Callable[Concatenate[Any, P], Steps[T]]) -> Operation[P, T]:
    """Declare *steps* a public method of every store: it returns what *steps* returns."""
    returns = str(inspect.signature(steps).return_annotation)
    inner = returns.removeprefix("Steps[").removesuffix("]")
    return Operation(steps, inner if inner != returns else returns)


def stream(item: type[T]) -> Callable[[Callable[Concatenate[Any, P], Steps[None]]], Stream[P, T]]:
    """Declare a public method that emits *item* values: an iterator of them, or an async one."""

    def declared(steps: Callable[Concatenate[Any, P], Steps[None]]) -> Stream[P, T]:
        return Stream(steps, f"{{kind}}Iterator[{item.__name__}]")

    return declared


def call(function: Callable[..., Any], *args: object) -> Steps[Any]:
    """One call of the engine's I/O, as a step: its result."""
    return (yield Call(function, args))
