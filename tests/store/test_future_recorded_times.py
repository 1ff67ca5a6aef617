"""A recorded time in the future is refused by the store: it would lock its case for ever."""

from datetime import UTC, datetime, timedelta

import pytest

from casestate import Actor, Change, Code, Evidence, Rejected, Role
from support import actor, day

FAR = datetime(9999, 12, 31, tzinfo=UTC)
NOW = day(30)


def at(when):
    """A clock stopped at *when*."""
    return lambda: when


def opening(store, recorded_at, **options):
    return store.open_case(
        "ua-1", actor=actor(Role.FAMILY), effective_at=day(0), recorded_at=recorded_at, **options
    )


def report(recorded_at, role=Role.FAMILY, kind="photo"):
    return Change(
        trigger="report_captured" if role == Role.FAMILY else "confirm",
        actor=Actor(f"{role}-1", role),
        evidence=[Evidence(kind, f"ref/{kind}", "a source", min(recorded_at, NOW))],
        effective_at=day(10),
        recorded_at=recorded_at,
    )


def refused_as_future(call):
    with pytest.raises(Rejected) as raised:
        call()
    assert raised.value.codes == (Code.RECORDED_IN_FUTURE,)
    return raised.value


def test_a_case_opened_in_the_future_is_refused_and_nothing_is_written(place):
    with place.open(clock=at(NOW)) as store:
        refused_as_future(lambda: opening(store, FAR))
        assert list(store.case_ids()) == []


def test_a_change_recorded_in_the_future_is_refused_and_the_case_goes_on(place):
    with place.open(clock=at(NOW)) as store:
        case = opening(store, day(1))
        error = refused_as_future(lambda: store.apply("ua-1", [report(FAR)], expected_version=case.version))
        assert error.index == 0
        assert store.load("ua-1") == case
        # Once this locked the case: every later change, the ICRC's too, was time_goes_backwards.
        captured = store.apply("ua-1", [report(day(20))], expected_version=case.version)
        confirmed = store.apply(
            "ua-1", [report(day(21), Role.ICRC, "capture_card")], expected_version=captured.version
        )
        assert confirmed.status == "confirmed"


def test_a_batch_with_one_change_in_the_future_writes_none_of_it(place):
    with place.open(clock=at(NOW)) as store:
        case = opening(store, day(1))
        batch = [report(day(20)), report(FAR, Role.ICRC, "capture_card")]
        assert refused_as_future(lambda: store.apply("ua-1", batch, expected_version=1)).index == 1
        assert store.load("ua-1") == case


def test_inside_an_atomic_block_too(place):
    with place.open(clock=at(NOW)) as store:
        with store.atomic():
            refused_as_future(lambda: opening(store, FAR))
            case = opening(store, day(1))
            refused_as_future(lambda: store.apply("ua-1", [report(FAR)], expected_version=case.version))
        assert store.load("ua-1") == case


@pytest.mark.parametrize(
    ("tolerance", "ahead", "taken"),
    [
        (None, timedelta(minutes=5), True),  # the default tolerance: five minutes
        (None, timedelta(minutes=5, microseconds=1), False),
        (timedelta(0), timedelta(0), True),
        (timedelta(0), timedelta(microseconds=1), False),
        (timedelta(hours=2), timedelta(hours=1), True),
    ],
)
def test_the_tolerance_past_now(tmp_path, tolerance, ahead, taken):
    from casestate.store import SQLiteStore  # noqa: PLC0415 - the engine does not matter here

    options = {} if tolerance is None else {"clock_tolerance": tolerance}
    with SQLiteStore(tmp_path / "cases.db", clock=at(NOW), **options) as store:
        if taken:
            assert opening(store, NOW + ahead).version == 1
        else:
            refused_as_future(lambda: opening(store, NOW + ahead))


def test_now_given_to_a_call_stands_for_the_clock(place):
    with place.open(clock=at(NOW)) as store:
        case = opening(store, day(40), now=day(40))
        refused_as_future(lambda: store.apply("ua-1", [report(day(50))], expected_version=1, now=day(45)))
        assert (
            store.apply("ua-1", [report(day(50))], expected_version=1, now=day(50)).version
            == case.version + 1
        )


def test_the_default_clock_is_the_machines(tmp_path):
    from casestate.store import SQLiteStore  # noqa: PLC0415

    with SQLiteStore(tmp_path / "cases.db") as store:
        refused_as_future(lambda: opening(store, datetime.now(UTC) + timedelta(days=1)))
        assert opening(store, datetime.now(UTC)).version == 1


def test_a_clock_or_a_tolerance_that_cannot_be_one_is_refused(tmp_path):
    from casestate.store import SQLiteStore  # noqa: PLC0415

    with pytest.raises(TypeError, match="clock must be a function that returns the current time"):
        SQLiteStore(tmp_path / "a.db", clock=NOW)
    with pytest.raises(ValueError, match="clock_tolerance must be a timedelta of 0 or more"):
        SQLiteStore(tmp_path / "b.db", clock_tolerance=timedelta(seconds=-1))
    with pytest.raises(ValueError, match="clock_tolerance must be a timedelta of 0 or more"):
        SQLiteStore(tmp_path / "c.db", clock_tolerance=300)
    with SQLiteStore(tmp_path / "d.db", clock=at(datetime(2024, 3, 1))) as store:  # noqa: DTZ001 - the fault tested
        with pytest.raises(ValueError, match="now must be a timezone-aware datetime"):
            opening(store, day(1))
        with pytest.raises(ValueError, match="now must be a timezone-aware datetime"):
            opening(store, day(1), now="2024-03-01")
    with SQLiteStore(tmp_path / "e.db", clock=at(datetime.max.replace(tzinfo=UTC))) as store:
        assert opening(store, FAR).version == 1  # the calendar's end, not an OverflowError
