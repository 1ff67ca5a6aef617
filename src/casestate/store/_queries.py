"""Queries and the feed: cases found by where they stand, case ids, heads, and every entry in order."""

from __future__ import annotations

from datetime import datetime, timedelta

from casestate import Assurance, Fate, Whereabouts
from casestate.instants import OUTSIDE_THE_CALENDAR, format_instant, parse_instant, to_utc

from ._arguments import LARGEST, check_text, checked_limit
from ._base import CaseSummary, StoredEntry, StoreError
from ._rows import ANY_ERASED, row_entry
from ._schema import Row
from ._statements import SELECT_FEED, inserted_past
from ._steps import Emit, Steps, operation, stream
from ._unit import UnitOfWork


class Queries(UnitOfWork):
    """Reads that replay no trail: the summary rows (``find``, ``case_ids``, ``head``) and the feed."""

    @operation
    def find(  # noqa: C901 - one clause per filter
        self,
        *,
        status: str | None = None,
        fate: Fate | str | None = None,
        has_conflict: bool | None = None,
        in_status_for_at_least: timedelta | None = None,
        now: datetime | None = None,
        limit: int = 100,
        after: str | None = None,
        whereabouts: Whereabouts | str | None = None,
        follows: str | None = None,
    ) -> Steps[list[CaseSummary]]:
        """Cases matching every filter given, ordered by case id.

        *whereabouts* finds cases by where the person or the remains are:
        ``find(status="dead", whereabouts="held")`` lists the remains the other
        party holds and has not returned. *follows* finds the later
        disappearances of a person: the cases that name the case given.

        *in_status_for_at_least* with *now* finds cases whose status took
        effect at least that long before *now* ("missing for more than 180
        days"); casestate reads no clock, so *now* is required with it. Page
        with *limit* and *after*, the last case id of the page before.
        """
        clauses: list[str] = []
        params: dict[str, object] = {}
        if status is not None:
            clauses.append("status = :status")
            params["status"] = check_text(str(status), "status")
        if fate is not None:
            clauses.append("fate = :fate")
            params["fate"] = Fate(fate).value
        if whereabouts is not None:
            clauses.append("whereabouts = :whereabouts")
            params["whereabouts"] = Whereabouts(whereabouts).value
        if follows is not None:
            clauses.append("follows = :follows")
            params["follows"] = check_text(str(follows), "follows")
        if has_conflict is not None:
            if not isinstance(has_conflict, bool):
                msg = f"has_conflict must be True, False or None, not {has_conflict!r}"
                raise TypeError(msg)
            clauses.append("open_conflicts > 0" if has_conflict else "open_conflicts = 0")
        if in_status_for_at_least is not None:
            if now is None:
                msg = "in_status_for_at_least needs now= (casestate reads no clock)"
                raise ValueError(msg)
            if not isinstance(in_status_for_at_least, timedelta):
                msg = "in_status_for_at_least must be a timedelta"
                raise TypeError(msg)
            clauses.append("status_since <= :cutoff")
            try:
                cutoff = to_utc(now, "now") - in_status_for_at_least
            except OverflowError:
                msg = f"now - in_status_for_at_least {OUTSIDE_THE_CALENDAR}"
                raise ValueError(msg) from None
            params["cutoff"] = format_instant(cutoff)
        if after is not None:
            clauses.append("case_id > :after")
            params["after"] = check_text(str(after), "after")
        params["limit"] = checked_limit(limit)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        sql = (
            "SELECT case_id, status, fate, assurance, status_since, version, open_conflicts, "  # noqa: S608 - clauses are fixed text; values are parameters
            "whereabouts, follows "
            f"FROM cases {where}ORDER BY case_id LIMIT :limit"
        )
        yield from self._settle()
        rows = yield from self._read(sql, params)
        return [self._summary(row) for row in rows]

    def _summary(self, row: Row) -> CaseSummary:
        try:
            return CaseSummary(
                case_id=row[0],
                status=row[1],
                fate=Fate(row[2]),
                assurance=Assurance(row[3]),
                status_since=parse_instant(row[4]),
                version=int(row[5]),
                has_conflict=int(row[6]) > 0,
                whereabouts=Whereabouts(row[7]),
                follows=row[8],
            )
        except (TypeError, ValueError) as error:  # a summary row altered in SQL; load names the entry
            msg = f"{self.location}: the summary row of case {row[0]!r} was altered: {error}"
            raise StoreError(msg) from None

    @stream(StoredEntry)
    def entries(self, *, after: int = 0, limit: int | None = None) -> Steps[None]:
        """Every entry after position *after* (at most *limit*), in global append order.

        A follower keeps the last position it has seen and asks again from
        there; positions are gapless and never reused. Rows are read a page at
        a time, not verified (load a case to verify it), but a row numbered at
        or past its case's version, inserted behind the store, is a ``BrokenTrail``.
        An erased entry is read as a redacted one.
        """
        if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= LARGEST:
            msg = f"after must be a position (an int >= 0), got {after!r}"
            raise ValueError(msg)
        remaining = None if limit is None else checked_limit(limit)
        while remaining is None or remaining > 0:
            size = self._page if remaining is None else min(self._page, remaining)
            yield from self._settle()
            rows = yield from self._read(SELECT_FEED, {"after": after, "limit": size})
            for row in rows:
                position, seq, version = int(row[0]), row[2], row[-1]
                if version is None or (type(seq) is int and type(version) is int and seq >= version):
                    raise inserted_past(str(row[1]), seq, version)
                yield Emit(StoredEntry(position, row_entry(row[1:-1], str(row[1]), 0, erased=ANY_ERASED)))
                after = position
            if remaining is not None:
                remaining -= len(rows)
            if len(rows) < size:
                return

    @stream(str)
    def case_ids(self) -> Steps[None]:
        """Every case id, in order, read a page at a time."""
        after = ""
        while True:
            rows = yield from self._read(
                "SELECT case_id FROM cases WHERE case_id > :after ORDER BY case_id LIMIT :limit",
                {"after": after, "limit": self._page},
            )
            for (case_id,) in rows:
                yield Emit(case_id)
            if len(rows) < self._page:
                return
            after = rows[-1][0]

    @operation
    def head(self, case_id: str) -> Steps[str | None]:
        """The hash of the case's last entry, as the store records it; ``None`` for an unknown case.

        Keep it outside the database to detect, later, a trail cut short there.
        """
        check_text(case_id, "case_id")
        yield from self._settle(case_id)
        rows = yield from self._read("SELECT head FROM cases WHERE case_id = :case_id", {"case_id": case_id})
        return None if not rows else str(rows[0][0])
