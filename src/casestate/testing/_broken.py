"""The one error the testing kit raises: a property of casestate that does not hold."""

from __future__ import annotations

from casestate import Case


class BrokenInvariant(AssertionError):
    """A property of casestate does not hold; the message says which, and where."""


def fail(case: Case, text: str) -> BrokenInvariant:
    """The error that says *text* of *case*, for the caller to raise."""
    return BrokenInvariant(f"case {case.id!r} (version {case.version}): {text}")
