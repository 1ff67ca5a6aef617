"""The store's clock: no change is stored as recorded later than now, and a little.

A recorded time in the future would lock its case for ever, as nothing may
be recorded before the last entry; the store refuses it with the core's
``recorded_in_future`` code. The clock is injectable, as the core's ``now=``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]
"""A function that tells the current time, as a timezone-aware ``datetime``."""

CLOCK_TOLERANCE = timedelta(minutes=5)
"""How far past the store's *now* a recorded time may be: app servers' clocks differ."""


def system_clock() -> datetime:
    """The machine's time, in UTC."""
    return datetime.now(UTC)


def checked_clock(clock: object, tolerance: object) -> tuple[Clock, timedelta]:
    """*clock* and *tolerance* as the store takes them; a clear error for anything else."""
    if not callable(clock):
        msg = f"clock must be a function that returns the current time, not {type(clock).__name__}"
        raise TypeError(msg)
    if not isinstance(tolerance, timedelta) or tolerance < timedelta(0):
        msg = f"clock_tolerance must be a timedelta of 0 or more, got {tolerance!r}"
        raise ValueError(msg)
    return clock, tolerance


def latest_recorded(now: datetime, tolerance: timedelta) -> datetime:
    """The latest recorded time the store takes at *now*: *now* plus *tolerance*, or the calendar's end."""
    if not isinstance(now, datetime) or now.utcoffset() is None:
        msg = f"now must be a timezone-aware datetime, got {now!r}"
        raise ValueError(msg)
    try:
        return now + tolerance
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)
