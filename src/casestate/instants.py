"""Instants as casestate keeps them: timezone-aware in, UTC inside, one fixed text form out.

Every time a case holds is a UTC instant, and every trail, store and JSON
document writes it in one canonical text form, which its hash covers. Code
that stores or reads those times uses these functions, so that the form is
written in one place:

>>> from datetime import datetime, timedelta, timezone
>>> from casestate.instants import format_instant, parse_instant, to_utc
>>> kyiv = timezone(timedelta(hours=2))
>>> text = format_instant(to_utc(datetime(2024, 3, 1, 8, 30, tzinfo=kyiv), "effective_at"))
>>> text
'2024-03-01T06:30:00.000000Z'
>>> parse_instant(text) == datetime(2024, 3, 1, 8, 30, tzinfo=kyiv)
True
"""

from ._errors import publish as _publish
from ._time import OUTSIDE_THE_CALENDAR, format_instant, parse_instant, to_utc

__all__ = ["OUTSIDE_THE_CALENDAR", "format_instant", "parse_instant", "to_utc"]

_publish(__name__, globals(), __all__)
