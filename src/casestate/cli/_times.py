"""Times as a reader reads them: in the zone they ask for (``--tz``), always with the zone or offset shown."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import click

from casestate import parse_timestamp

_INSTANT = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z\b")
"""A canonical instant, as casestate's messages write times (``2024-01-31T22:00:00.000000Z``)."""
_OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})?")
_DAY = 24


@attrs.frozen
class Zone:
    """The zone times are shown in, and the name a reader gave it by."""

    name: str
    info: tzinfo | None
    """The zone; ``None`` for this machine's, its offset found for each time (summer time, and what was)."""

    def when(self, value: datetime) -> str:
        """*value* to the minute, in this zone, with the zone shown: ``2024-03-02 14:00 +02:00``."""
        return self.day(value) + " " + self.time(value)

    def day(self, value: datetime) -> str:
        """The date of *value* in this zone."""
        return value.astimezone(self.info).strftime("%Y-%m-%d")

    def time(self, value: datetime) -> str:
        """The time of day of *value* in this zone, with ``UTC`` or its offset there."""
        local = value.astimezone(self.info)
        clock = (
            local.strftime("%H:%M")
            if not local.second and not local.microsecond
            else local.strftime("%H:%M:%S")
        )
        return f"{clock} {self._offset(local)}"

    def stamp(self, value: datetime) -> str:
        """*value* in ISO 8601 in this zone, as a reader writes it back: ``2024-03-02T14:00:00+02:00``."""
        local = value.astimezone(self.info)
        return local.isoformat(timespec="seconds" if not local.microsecond else "microseconds")

    def in_words(self, message: str) -> str:
        """*message* with each canonical instant in it written in this zone, with its offset.

        >>> Zone("+02:00", timezone(timedelta(hours=2))).in_words("effective at 2024-01-31T22:00:00.000000Z")
        'effective at 2024-02-01T00:00:00+02:00'
        """
        if self is UTC_ZONE or "Z" not in message:
            return message
        return _INSTANT.sub(lambda found: self.stamp(parse_timestamp(found.group(), "message")), message)

    def _offset(self, local: datetime) -> str:
        if self.info is UTC:
            return "UTC"
        offset = local.utcoffset() or timedelta(0)
        sign = "-" if offset < timedelta(0) else "+"
        minutes = abs(int(offset.total_seconds())) // 60
        return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


UTC_ZONE = Zone("UTC", UTC)


class ZoneType(click.ParamType):  # type: ignore[type-arg] # click's ParamType is generic only in its stubs
    """``UTC``, an offset (``+02:00``), an IANA zone (``Europe/Kyiv``), or ``local``: this machine's zone."""

    name = "zone"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> Zone:
        """*value* as a :class:`Zone`; a usage error that says what a zone is otherwise."""
        if isinstance(value, Zone):
            return value
        text = str(value)
        if text.upper() in ("UTC", "Z"):
            return UTC_ZONE
        if text == "local":
            return Zone("local", None)
        offset = _OFFSET.fullmatch(text)
        if offset is not None:
            hours, minutes = int(offset["hours"]), int(offset["minutes"] or 0)
            if hours < _DAY and minutes < 60:  # noqa: PLR2004 - minutes in an hour
                delta = timedelta(hours=hours, minutes=minutes) * (-1 if offset["sign"] == "-" else 1)
                return Zone(text, timezone(delta))
        try:
            return Zone(text, ZoneInfo(text))
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(
                f"{text!r} is not a zone: give UTC, an offset such as +02:00, "
                "a zone such as Europe/Kyiv, or local",
                param,
                ctx,
            )


zone_option = click.option(
    "--tz",
    "zone",
    type=ZoneType(),
    default="UTC",
    show_default=True,
    help="Show times in this zone: UTC, an offset (+02:00), a zone (Europe/Kyiv), or local. "
    "Every time shown says its zone or offset.",
)
