"""Instants: timezone-aware in, UTC inside, one fixed text form out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_ZERO = timedelta(0)
_INSTANT = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z\Z", re.ASCII)


def to_utc(value: object, what: str) -> datetime:
    """*value* as a UTC datetime; a naive or non-datetime value is refused.

    A naive datetime would be read in whatever zone the reading machine is
    in, and a court must not have to guess which. *what* names the value in
    the error.

    >>> from datetime import timezone
    >>> to_utc(datetime(2024, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=2))), "effective_at")
    datetime.datetime(2024, 3, 1, 6, 30, tzinfo=datetime.timezone.utc)
    >>> to_utc(datetime(2024, 3, 1, 8, 30), "effective_at")
    Traceback (most recent call last):
    ...
    ValueError: effective_at must be timezone-aware, got naive 2024-03-01T08:30:00
    """
    if not isinstance(value, datetime):
        msg = f"{what} must be a datetime, not {type(value).__name__}"
        raise TypeError(msg)
    offset = value.utcoffset()
    if offset is None:
        msg = f"{what} must be timezone-aware, got naive {value.isoformat()}"
        raise ValueError(msg)
    if value.tzinfo is UTC:
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{what} {value.isoformat()} {OUTSIDE_THE_CALENDAR}") from None


OUTSIDE_THE_CALENDAR = "falls outside the years 1 to 9999 in UTC"
"""Why an instant is refused whose offset moves it past the ends of Python's calendar
(the end of a message that first names the instant)."""


_TWO_DIGITS = tuple(f"{number:02d}" for number in range(60))
_MICROSECOND_OFFSET = 1_000_000


def format_instant(value: datetime) -> str:
    """The canonical text of a UTC instant: ``2024-03-01T06:30:00.000000Z``.

    Always microseconds and a ``Z``: ``isoformat`` drops zero microseconds and
    ``strftime("%Y")`` pads years below 1000 differently by platform, and the
    hash chain needs one form everywhere. A value not in UTC is refused, since
    its wall-clock fields would stand for another instant.

    >>> format_instant(datetime(812, 9, 7, 5, 4, 3, 21, tzinfo=UTC))
    '0812-09-07T05:04:03.000021Z'
    """
    if value.tzinfo is not UTC and value.utcoffset() != _ZERO:
        msg = f"not a UTC instant: {value!r}"
        raise ValueError(msg)
    # Joined from a table of two-digit texts rather than %-formatted: the
    # hash chain formats two or three instants per entry, on every apply and
    # every verification, and this is a third faster.
    two = _TWO_DIGITS
    year = value.year
    return "".join(
        (
            str(year) if year >= 1000 else f"{year:04d}",  # noqa: PLR2004 - four digits
            "-",
            two[value.month],
            "-",
            two[value.day],
            "T",
            two[value.hour],
            ":",
            two[value.minute],
            ":",
            two[value.second],
            ".",
            str(_MICROSECOND_OFFSET + value.microsecond)[1:],
            "Z",
        )
    )


def parse_instant(text: str) -> datetime:
    """Read the canonical form (see :func:`format_instant`) back; anything else is a ``ValueError``.

    >>> parse_instant("2024-03-01T06:30:00.000000Z")
    datetime.datetime(2024, 3, 1, 6, 30, tzinfo=datetime.timezone.utc)
    >>> parse_instant("2024-03-01T06:30:00Z")
    Traceback (most recent call last):
    ...
    ValueError: not a canonical UTC instant (YYYY-MM-DDTHH:MM:SS.ffffffZ): '2024-03-01T06:30:00Z'
    """
    match = _INSTANT.match(text) if isinstance(text, str) else None
    if match is None:
        msg = f"not a canonical UTC instant (YYYY-MM-DDTHH:MM:SS.ffffffZ): {text!r}"
        raise ValueError(msg)
    year, month, day, hour, minute, second, micro = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    except ValueError as error:
        msg = f"impossible instant {text!r}: {error}"
        raise ValueError(msg) from None
