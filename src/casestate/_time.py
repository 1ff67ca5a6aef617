"""Instants: timezone-aware in, UTC inside, one fixed text form out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_ZERO = timedelta(0)
_INSTANT = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z\Z")


def to_utc(value: object, what: str) -> datetime:
    """*value* as a UTC datetime; a naive or non-datetime value is refused.

    A naive datetime would be read in whatever zone the reading machine is
    in, and a court must not have to guess which.
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
    return value.astimezone(UTC)


def format_instant(value: datetime) -> str:
    """The canonical text of a UTC instant: ``2024-03-01T06:30:00.000000Z``.

    Always microseconds and a ``Z``: ``isoformat`` drops zero microseconds and
    ``strftime("%Y")`` pads years below 1000 differently by platform, and the
    hash chain needs one form everywhere. A value not in UTC is refused, since
    its wall-clock fields would stand for another instant.
    """
    if value.utcoffset() != _ZERO:
        msg = f"not a UTC instant: {value!r}"
        raise ValueError(msg)
    # %-formatting is the fastest way to these fields (an aware isoformat
    # pays for the offset, f-strings for parsing each format spec), and the
    # hash chain formats two or three instants per entry.
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % (  # noqa: UP031 - see above
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
    )


def parse_instant(text: str) -> datetime:
    """Read the canonical form back; anything else is a ``ValueError``."""
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
