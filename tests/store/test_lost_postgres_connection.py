"""A PostgreSQL connection lost under the store: the caller gets a StoreError, and nothing logs an ERROR."""

import logging
import secrets

import pytest

from casestate.store import StoreError
from store_places import POSTGRES_DSN, POSTGRES_URL, Place, report
from support import actor, day


@pytest.fixture(params=["psycopg", "sqlalchemy"])
def store_and_killer(request, postgres_schema):
    """A PostgresStore (through psycopg directly, or SQLAlchemy alone), and what kills its connections."""
    import psycopg  # noqa: PLC0415 - only the PostgreSQL tests need it

    name = f"casestate-lost-{secrets.token_hex(4)}"
    options = {"connect_args": {"application_name": name}}
    store = Place("postgres", POSTGRES_URL, postgres_schema).open(engine_options=options)
    store._direct = request.param == "psycopg"

    def kill() -> None:
        """End every connection of the store's from the server's side, as a restart or a DBA would."""
        with psycopg.connect(POSTGRES_DSN, autocommit=True) as pg:
            killed = pg.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s", (name,)
            ).fetchall()
        assert killed  # the store had a connection in its pool to lose

    with store:
        yield store, kill


def opened(store, case_id="ua-1"):
    return store.open_case(case_id, actor=actor("family"), effective_at=day(0), recorded_at=day(1))


def errors_logged(caplog):
    return [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.levelno >= logging.ERROR
    ]


@pytest.mark.parametrize("call", ["load", "find", "open_case", "apply", "atomic"])
def test_a_connection_killed_by_the_server_is_a_store_error_and_logs_no_error(store_and_killer, caplog, call):
    store, kill = store_and_killer
    case = opened(store)
    store.load("ua-1")  # the connection is back in the pool, where it is killed
    caplog.set_level(logging.WARNING)
    kill()
    attempts = {
        "load": lambda: store.load("ua-1"),
        "find": store.find,
        "open_case": lambda: opened(store, "ua-2"),
        "apply": lambda: store.apply("ua-1", [report(case, "lost", 0)], expected_version=case.version),
        "atomic": lambda: _in_a_block(store),
    }
    with pytest.raises(StoreError, match="terminating connection due to administrator command"):
        attempts[call]()
    assert errors_logged(caplog) == []
    # The pool let the dead connection go: the next call gets a live one.
    assert store.load("ua-1") == case
    assert (
        store.apply("ua-1", [report(case, "after", 1)], expected_version=case.version).version
        == case.version + 1
    )
    assert errors_logged(caplog) == []


def _in_a_block(store):
    with store.atomic():
        opened(store, "ua-2")
