"""The store's arguments, each refused with a clear error before any database sees it."""

from __future__ import annotations

from collections.abc import Sequence

from casestate import Change
from casestate.text import check_storable


def checked_batch(case_id: str, changes: Sequence[Change], expected_version: int) -> tuple[Change, ...]:
    """The arguments of ``apply``, each refused with a clear error when it is not what apply takes."""
    check_text(case_id, "case_id")
    if isinstance(changes, Change):
        msg = "changes must be a sequence of Change values; wrap a single change in a list"
        raise TypeError(msg)
    batch = tuple(changes)
    if not batch:
        msg = "apply needs at least one change"
        raise ValueError(msg)
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        msg = f"expected_version must be an int, not {type(expected_version).__name__}"
        raise TypeError(msg)
    return batch


def check_text(value: str, what: str) -> str:
    """*value*, refused with a clear error when it is no string, or one no database can hold."""
    if not isinstance(value, str):
        msg = f"{what} must be a string, not {type(value).__name__}"
        raise TypeError(msg)
    check_storable(value, what)
    return value


LARGEST = 2**63 - 1
"""The largest position or limit a database's 64-bit integer holds."""


def checked_limit(value: int) -> int:
    """*value* if it can limit a query: a positive int a database's 64-bit integer holds."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= LARGEST:
        msg = f"limit must be a positive int (at most 2**63 - 1), got {value!r}"
        raise ValueError(msg)
    return value
