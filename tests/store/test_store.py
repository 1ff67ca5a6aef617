"""The case store, on both engines: schema, concurrency, batches, tampering, finding, following, keys."""

import re
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import attrs
import pytest

import casestate as cs
import store_places
from casestate._json import entry_to_dict
from casestate.store import (
    SCHEMA_VERSION,
    CaseExists,
    CaseSummary,
    ConcurrentUpdate,
    KeyRequired,
    NotAStore,
    SchemaVersionError,
    StoreLocked,
    UnknownCase,
    WrongKey,
    _schema,
    _sql,
    _sqlite,
)
from casestate.store._rows import entry_row, row_entry
from casestate.store._steps import run
from store_places import report, snapshot
from support import PATH_TO, actor, change, day

KEY = b"a secret key of 32 bytes, really"
OTHER_KEY = b"another secret key of 32 bytes.."


def opened(store, case_id="case-1"):
    return store.open_case(case_id, actor=actor("family"), effective_at=day(0), recorded_at=day(1))


def stored_in(store, status, case_id="case-1"):
    case = opened(store, case_id)
    return store.apply(case_id, PATH_TO[status], expected_version=case.version) if PATH_TO[status] else case


# -- schema -------------------------------------------------------------------


def test_a_new_store_records_its_format_schema_version_and_chain(place):
    with place.open():
        pass
    meta = dict(place.sql("SELECT name, value FROM meta"))
    assert meta == {"format": "casestate.store", "schema_version": str(SCHEMA_VERSION), "chain": "sha256"}
    with place.open() as store:
        assert list(store.case_ids()) == []


def test_sqlite_stores_use_wal(tmp_path):
    path = tmp_path / "cases.db"
    cs.store.SQLiteStore(path).close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_older_schema_is_upgraded_by_its_migrations_in_one_step(place, monkeypatch):
    with place.open() as store:
        stored_in(store, "captured")
    now = _schema.SCHEMA_VERSION
    monkeypatch.setattr(_schema, "SCHEMA_VERSION", now + 1)
    monkeypatch.setitem(_schema.MIGRATIONS, now, ("CREATE TABLE notes (case_id TEXT, text TEXT)",))
    with place.open() as store:
        assert store.load("case-1").status == "captured"
    assert place.sql("SELECT value FROM meta WHERE name = 'schema_version'") == [(str(now + 1),)]
    assert place.sql("SELECT count(*) FROM notes") == [(0,)]


def test_a_failing_migration_leaves_the_store_as_it_was(place, monkeypatch):
    with place.open() as store:
        stored_in(store, "captured")
    before = snapshot(place)
    now = _schema.SCHEMA_VERSION
    monkeypatch.setattr(_schema, "SCHEMA_VERSION", now + 1)
    monkeypatch.setitem(_schema.MIGRATIONS, now, ("CREATE TABLE notes (text TEXT)", "THIS IS NOT SQL"))
    with pytest.raises(cs.store.StoreError):
        place.open()
    assert snapshot(place) == before
    assert "notes" not in place.tables()


@pytest.mark.parametrize(
    ("version", "says"),
    [
        ("0", f"cannot upgrade it to {SCHEMA_VERSION} (no upgrade from version 0)"),
        (str(SCHEMA_VERSION + 1), f"newer than {SCHEMA_VERSION}"),
    ],
)
def test_an_older_or_newer_schema_version_is_refused_and_left_alone(place, version, says):
    with place.open() as store:
        stored_in(store, "captured")
    place.sql("UPDATE meta SET value = ? WHERE name = 'schema_version'", (version,))
    before = snapshot(place)
    with pytest.raises(SchemaVersionError, match=f"schema version {version}") as raised:
        place.open()
    assert says in str(raised.value)
    assert snapshot(place) == before


# -- bad input ----------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_refused_unchanged(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(NotAStore, match=r"notes\.txt is not a casestate store"):
        cs.store.SQLiteStore(path)
    assert path.read_bytes() == b"these are my notes, not a database\n" * 200


def test_another_programs_sqlite_database_is_refused_unchanged(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE people (name TEXT)")
    content = path.read_bytes()
    with pytest.raises(NotAStore, match="holds other tables"):
        cs.store.SQLiteStore(path)
    assert path.read_bytes() == content


def test_another_programs_tables_are_refused_unchanged(place):
    place.open().close()
    place.sql("DROP TABLE entries")
    place.sql("DROP TABLE cases")
    place.sql("DROP TABLE positions")
    place.sql("DROP TABLE meta")
    place.sql("CREATE TABLE meta (name TEXT, value TEXT)")
    place.sql("INSERT INTO meta VALUES ('format', 'someone.else')")
    with pytest.raises(NotAStore, match="its meta table is another's"):
        place.open()
    assert place.sql("SELECT * FROM meta") == [("format", "someone.else")]


def test_create_false_refuses_an_empty_place(place):
    with pytest.raises(NotAStore, match="create=False"):
        place.open(create=False)
    if place.engine == "sqlite":
        assert not Path(place.target).exists() or Path(place.target).stat().st_size == 0


def test_a_locked_database_is_a_clear_error_and_nothing_is_written(place):
    with place.open(**_short_lock(place)) as store:
        case = stored_in(store, "captured")
        before = snapshot(place)
        with place.locked():
            with pytest.raises(StoreLocked, match="locked by another connection"):
                store.apply("case-1", [report(case, "late", 1)], expected_version=case.version)
            with pytest.raises(StoreLocked):
                opened(store, "case-2")
        assert snapshot(place) == before
        # Once the lock is gone, the same store goes on.
        assert store.apply("case-1", [report(case, "now", 1)], expected_version=case.version).version == 3


def test_creating_a_store_in_a_locked_place_is_a_clear_error(tmp_path):
    path = tmp_path / "cases.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLocked, match="locked"):
            cs.store.SQLiteStore(path, timeout=0.1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall() == []


def _short_lock(place):
    return {"timeout": 0.2} if place.engine == "sqlite" else {"lock_timeout": 0.2}


# -- cases: open, load, apply ----------------------------------------------------


def test_open_apply_and_load_give_the_same_case(place):
    with place.open() as store:
        case = opened(store)
        assert store.load("case-1") == case
        changed = store.apply("case-1", PATH_TO["confirmed"], expected_version=1)
        assert changed.status == "confirmed"
        assert changed.version == 3
        assert store.head("case-1") == changed.head
    with place.open() as fresh:
        assert fresh.load("case-1") == changed


def test_a_case_id_is_opened_once(place):
    with place.open() as store:
        opened(store)
        with pytest.raises(CaseExists, match="'case-1' is in the store already"):
            opened(store)
        assert store.load("case-1").version == 1


def test_unknown_cases(place):
    with place.open() as store:
        with pytest.raises(UnknownCase, match="no case 'nobody' in the store"):
            store.load("nobody")
        with pytest.raises(UnknownCase):
            store.apply("nobody", PATH_TO["captured"], expected_version=1)
        assert store.head("nobody") is None


def test_a_stale_version_is_a_concurrent_update_and_nothing_is_written(place):
    with place.open() as first, place.open() as second:
        case = opened(first)
        seen_by_second = second.load("case-1")
        first.apply("case-1", PATH_TO["captured"], expected_version=case.version)
        before = snapshot(place)
        with pytest.raises(ConcurrentUpdate, match="is at version 2, not at version 1") as raised:
            second.apply("case-1", PATH_TO["dead"], expected_version=seen_by_second.version)
        assert (raised.value.expected, raised.value.found) == (1, 2)
        assert snapshot(place) == before
        assert second.load("case-1").status == "captured"


def test_the_summary_guard_refuses_a_writer_that_read_before_another_committed(place):
    # Two writers read version 1; the first commits; the second's write must fail at the
    # database, not only at the version check made when it read.
    with place.open() as first, place.open() as second:
        case = opened(first)
        second.load("case-1")
        real_load = second._load

        def stale_load(tx, case_id, **options):  # steps: the read is made, then the other writer commits
            found = yield from real_load(tx, case_id, **options)
            first.apply("case-1", PATH_TO["captured"], expected_version=case.version)
            return found

        second._load = stale_load
        with pytest.raises(ConcurrentUpdate, match="was changed by another writer"):
            second.apply("case-1", PATH_TO["dead"], expected_version=1)
        assert [row[0] for row in place.sql("SELECT seq FROM entries ORDER BY seq")] == [0, 1]


def test_a_batch_is_all_or_nothing(place):
    with place.open() as store:
        case = stored_in(store, "missing")
        before = snapshot(place)
        batch = [
            change("report_captured", "family", "video", on=10),
            change("report_dead", "unit", "unit_notification", on=12),
            change("confirm", "family", "video", on=13),
        ]
        with pytest.raises(cs.Rejected, match="change 2 of the batch to case 'case-1' rejected") as raised:
            store.apply("case-1", batch, expected_version=case.version)
        assert raised.value.index == 2
        assert cs.Code.ROLE_NOT_PERMITTED in raised.value.codes
        assert snapshot(place) == before
        assert store.apply("case-1", batch[:2], expected_version=1).status == "dead"


def test_apply_refuses_what_is_not_a_batch(place):
    with place.open() as store:
        opened(store)
        with pytest.raises(TypeError, match="wrap a single change in a list"):
            store.apply("case-1", PATH_TO["captured"][0], expected_version=1)
        with pytest.raises(ValueError, match="at least one change"):
            store.apply("case-1", [], expected_version=1)
        with pytest.raises(TypeError, match=r"changes\[0\] must be a Change"):
            store.apply("case-1", ["report_captured"], expected_version=1)
        with pytest.raises(TypeError, match="expected_version must be an int"):
            store.apply("case-1", PATH_TO["captured"], expected_version="1")


# -- tampering ------------------------------------------------------------------

TAMPERING = {
    "status": ("UPDATE entries SET to_status = 'dead' WHERE seq = 2", "entry 2: was altered"),
    "effective time": (
        "UPDATE entries SET effective_at = '2024-03-02T06:30:00.000000Z' WHERE seq = 1",
        "entry 1: was altered",
    ),
    "recorded time": (
        "UPDATE entries SET recorded_at = '2025-01-01T00:00:00.000000Z' WHERE seq = 2",
        "entry 2: was altered",
    ),
    "actor": (
        "UPDATE entries SET private = replace(private, 'unit-1', 'ministry-1') WHERE seq = 1",
        "entry 1: its actor, reason or evidence was altered",
    ),
    "personal data stripped": (
        "UPDATE entries SET private = 'null' WHERE seq = 1",
        "entry 1: was altered: its actor, reason and evidence were removed",
    ),
    "unreadable value": ("UPDATE entries SET kind = 'rumour' WHERE seq = 2", "entry 2: was altered: "),
    "a middle row deleted": ("DELETE FROM entries WHERE seq = 1", "entry 1: has sequence number 2"),
    "the last row deleted": ("DELETE FROM entries WHERE seq = 2", "entry 1: is not the expected head"),
    "every row deleted": ("DELETE FROM entries", "entry 0: missing"),
    "the summary's status": (
        "UPDATE cases SET status = 'repatriated'",
        "entry 2: the case's summary row was altered: status 'repatriated'",
    ),
}


@pytest.mark.parametrize("how", TAMPERING)
def test_tampering_in_sql_is_named_on_load(place, how):
    statement, message = TAMPERING[how]
    with place.open() as store:
        stored_in(store, "confirmed")
        store.load("case-1")  # verified once, and remembered
        place.sql(statement)
        with pytest.raises(cs.BrokenTrail, match=f"case 'case-1': {message}"):
            store.load("case-1")
        with pytest.raises(cs.BrokenTrail):
            store.apply("case-1", PATH_TO["captured"], expected_version=3)
    with place.open() as fresh, pytest.raises(cs.BrokenTrail, match=f"case 'case-1': {message}"):
        fresh.load("case-1")


def test_a_row_moved_to_another_case_is_named(place):
    with place.open() as store:
        stored_in(store, "captured", "case-1")
        opened(store, "case-2")
        place.sql("UPDATE entries SET case_id = 'case-2', seq = 1 WHERE case_id = 'case-1' AND seq = 1")
        place.sql("UPDATE cases SET version = 2 WHERE case_id = 'case-2'")
        with pytest.raises(cs.BrokenTrail, match="case 'case-2': entry 1"):
            store.load("case-2")
        with pytest.raises(cs.BrokenTrail, match="case 'case-1': entry 0: is not the expected head"):
            store.load("case-1")


# -- finding and following -----------------------------------------------------


def test_find_remains_held_and_not_returned_and_a_persons_later_disappearances(place):
    with place.open() as store:
        for number, status in enumerate(["dead", "dead", "captured", "confirmed"]):
            stored_in(store, status, f"case-{number}")
        located = change("report_remains_held", "icrc", "photo", on=40)
        store.apply("case-0", [located], expected_version=store.load("case-0").version)
        store.apply("case-3", [located], expected_version=store.load("case-3").version)
        store.open_case(
            "case-2-again", actor=actor("family"), effective_at=day(50), recorded_at=day(51), follows="case-2"
        )

        def ids(**filters):
            return [summary.case_id for summary in store.find(**filters)]

        # A dead man whose remains the other party holds, and a confirmed death likewise.
        assert ids(whereabouts=cs.Whereabouts.HELD, fate="dead") == ["case-0", "case-3"]
        assert ids(whereabouts="held", status="dead") == ["case-0"]
        assert ids(whereabouts="held", fate="alive") == ["case-2"]
        assert ids(follows="case-2") == ["case-2-again"]
        assert ids(follows="case-9") == []
        (again,) = store.find(follows="case-2")
        assert (again.follows, again.whereabouts) == ("case-2", cs.Whereabouts.UNKNOWN)
        with pytest.raises(ValueError, match="'nowhere' is not a valid Whereabouts"):
            store.find(whereabouts="nowhere")
    with place.open() as store:
        assert store.load("case-2-again").follows == "case-2"


def test_two_rival_reports_are_stored_with_the_report_displaced_and_both_waiting(place):
    with place.open() as store:
        store.open_case("ua-0310", actor=actor("family"), effective_at=day(1), recorded_at=day(1))
        killed = attrs.evolve(
            change("report_dead", "unit", "unit_notification", on=10), actor=cs.Actor("u-41", "unit")
        )
        taken = attrs.evolve(
            change("report_captured", "unit", "unit_notification", on=10, recorded=11),
            actor=cs.Actor("u-57", "unit"),
        )
        store.apply("ua-0310", [killed], expected_version=1)
        case = store.apply("ua-0310", [taken], expected_version=2)
        assert (case.status, case.open_conflicts, case.trail[-1].displaces) == ("missing", (1, 2), 1)
        (summary,) = store.find(has_conflict=True)
        assert (summary.status, summary.fate, summary.has_conflict) == ("missing", cs.Fate.UNKNOWN, True)
    with place.open() as store:
        assert store.load("ua-0310") == case
        assert [stored.entry.displaces for stored in store.entries()] == [None, None, 1]


def test_find_by_status_fate_conflict_and_time_in_status_with_paging(place):
    with place.open() as store:
        for number, status in enumerate(["missing", "captured", "dead", "confirmed", "missing", "captured"]):
            stored_in(store, status, f"case-{number}")
        dead = store.load("case-3")
        store.apply("case-3", [change("report_captured", "family", "video", on=30)], expected_version=3)

        def ids(**filters):
            return [summary.case_id for summary in store.find(**filters)]

        assert ids() == [f"case-{number}" for number in range(6)]
        assert ids(status="captured") == ["case-1", "case-5"]
        assert ids(fate="dead") == ["case-2", "case-3"]
        assert ids(fate=cs.Fate.ALIVE) == ["case-1", "case-5"]
        assert ids(has_conflict=True) == ["case-3"]
        assert ids(has_conflict=False, status="confirmed") == []
        assert ids(status="missing", in_status_for_at_least=timedelta(days=180), now=day(200)) == [
            "case-0",
            "case-4",
        ]
        assert ids(in_status_for_at_least=timedelta(days=180), now=day(179)) == []
        assert ids(in_status_for_at_least=timedelta(days=185), now=day(200)) == [
            "case-0",
            "case-1",
            "case-2",
            "case-4",
            "case-5",
        ]
        assert ids(limit=2) == ["case-0", "case-1"]
        assert ids(limit=2, after="case-1") == ["case-2", "case-3"]
        assert ids(limit=2, after="case-5") == []
        [summary] = store.find(status="confirmed")
        assert summary == CaseSummary(
            case_id="case-3",
            status="confirmed",
            fate=cs.Fate.DEAD,
            assurance=cs.Assurance.IDENTIFIED,
            status_since=dead.status_since,
            version=4,
            has_conflict=True,
        )
        with pytest.raises(ValueError, match="needs now="):
            store.find(in_status_for_at_least=timedelta(days=1))
        with pytest.raises(ValueError, match="limit must be a positive int"):
            store.find(limit=0)
        with pytest.raises(ValueError, match="'buried' is not a valid Fate"):
            store.find(fate="buried")


def test_entries_follow_the_global_append_order_from_a_position(place):
    with place.open() as store:
        one = opened(store, "case-1")
        two = opened(store, "case-2")
        one = store.apply("case-1", PATH_TO["confirmed"], expected_version=1)
        two = store.apply("case-2", PATH_TO["captured"], expected_version=1)
        feed = list(store.entries())
        assert [item.position for item in feed] == [1, 2, 3, 4, 5]
        assert [item.entry for item in feed] == [one.trail[0], two.trail[0], *one.trail[1:], two.trail[1]]
        assert [item.position for item in store.entries(after=3)] == [4, 5]
        assert [item.position for item in store.entries(after=1, limit=2)] == [2, 3]
        assert list(store.entries(after=5)) == []
        assert list(store.case_ids()) == ["case-1", "case-2"]
        with pytest.raises(ValueError, match="after must be a position"):
            list(store.entries(after=-1))


def test_entries_and_case_ids_page_through_large_stores(place, monkeypatch):
    monkeypatch.setattr(_sql, "_PAGE", 3)
    with place.open() as store:
        for number in range(7):
            opened(store, f"case-{number}")
        assert [item.position for item in store.entries()] == list(range(1, 8))
        assert [item.position for item in store.entries(after=2, limit=4)] == [3, 4, 5, 6]
        assert list(store.case_ids()) == [f"case-{number}" for number in range(7)]


# -- keys -----------------------------------------------------------------------


def test_a_keyed_store_keeps_the_key_out_of_the_database(place):
    with place.open(key=KEY) as store:
        case = stored_in(store, "confirmed")
        assert case.keyed
    chain = cs._chain.chain_for_key(KEY)
    assert dict(place.sql("SELECT name, value FROM meta"))["chain"] == chain
    everything = repr(snapshot(place))
    assert KEY.decode() not in everything
    assert KEY.hex() not in everything
    if place.engine == "sqlite":
        for path in Path(place.target).parent.iterdir():
            assert KEY not in path.read_bytes()
    with place.open(key=KEY) as store:
        assert store.load("case-1") == case


def test_a_keyed_store_refuses_no_key_and_another_key(place):
    with place.open(key=KEY) as store:
        stored_in(store, "captured")
    before = snapshot(place)
    with pytest.raises(KeyRequired, match="sealed with a key"):
        place.open()
    with pytest.raises(WrongKey, match="sealed with another key"):
        place.open(key=OTHER_KEY)
    assert snapshot(place) == before


def test_a_plain_store_refuses_a_key(place):
    with place.open() as store:
        opened(store)
    with pytest.raises(WrongKey, match="not sealed with a key"):
        place.open(key=KEY)


def test_a_key_too_short_is_refused_before_anything_is_opened(tmp_path):
    with pytest.raises(ValueError, match="at least 16 bytes"):
        cs.store.SQLiteStore(tmp_path / "cases.db", key=b"short")
    assert not (tmp_path / "cases.db").exists()


# -- the optional engine ---------------------------------------------------------


def test_the_store_imports_without_the_postgres_extra():
    script = (
        "import sys; sys.modules['sqlalchemy'] = None\n"
        "from casestate.store import PostgresStore, SQLiteStore\n"
        "try:\n"
        "    PostgresStore('postgresql+psycopg://postgres@127.0.0.1/test')\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, running the script above
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert (
        done.stdout.strip() == "PostgresStore needs SQLAlchemy and psycopg: pip install 'casestate[postgres]'"
    )


@pytest.mark.parametrize("schema", ["Cases", "drop table x", "", "1st"])
def test_a_postgres_schema_name_must_be_a_plain_name(schema):
    with pytest.raises(ValueError, match="schema must be a lower-case SQL name"):
        cs.store.PostgresStore("postgresql+psycopg://postgres@127.0.0.1/test", schema=schema)


def test_a_bad_postgres_url_is_a_store_error():
    with pytest.raises(cs.store.StoreError, match="not a database URL"):
        cs.store.PostgresStore("not a url")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("sqlite:///cases.db", "sqlite:///cases.db is not a PostgreSQL URL"),
        ("mysql://me@db/cases", "mysql://me@db/cases is not a PostgreSQL URL"),
        ("postgresql+pg8000://me@db/cases", "the pg8000 driver is not installed"),
        (5, "not a database URL"),
    ],
)
def test_a_url_for_another_database_or_a_missing_driver_is_a_store_error(url, says):
    with pytest.raises(cs.store.StoreError, match=re.escape(says)):
        cs.store.PostgresStore(url)


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), -1, True, "5", 86_400])
def test_a_lock_timeout_must_be_a_sensible_number_of_seconds(seconds):
    with pytest.raises(ValueError, match="lock_timeout must be a number of seconds"):
        cs.store.PostgresStore("postgresql+psycopg://postgres@127.0.0.1/test", lock_timeout=seconds)


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_a_url_without_a_driver_means_psycopg(postgres_schema, scheme):
    url = store_places.POSTGRES_URL.replace("postgresql+psycopg", scheme, 1)
    with cs.store.PostgresStore(url, schema=postgres_schema) as store:
        assert store.location.startswith(f"schema {postgres_schema!r} of postgresql+psycopg://")
        opened(store)
        assert store.load("case-1").version == 1


def test_an_unreachable_postgres_server_is_a_store_error():
    with pytest.raises(cs.store.StoreError, match="schema 'casestate' of postgresql"):
        cs.store.PostgresStore(
            "postgresql+psycopg://postgres@127.0.0.1:1/test", engine_options={"connect_args": {}}
        )


def test_store_errors_read_as_sentences():
    assert str(UnknownCase("ua-1")) == "no case 'ua-1' in the store"
    assert isinstance(UnknownCase("ua-1"), KeyError)


def test_a_small_memory_of_verified_trails_still_loads_every_case(place):
    with place.open(cache_entries=4) as store:
        made = {f"case-{number}": stored_in(store, "confirmed", f"case-{number}") for number in range(3)}
        for _ in range(2):
            assert {case_id: store.load(case_id) for case_id in made} == made
        assert store._memo.held <= 4


def test_a_forged_next_entry_stops_the_writer_as_tampering_without_forking_the_chain(place):
    with place.open() as store:
        case = stored_in(store, "captured")
        columns = ", ".join(f'"{name}"' for name in _schema.ENTRY_FIELDS)
        copied = columns.replace('"seq"', "2")
        place.sql(
            f"INSERT INTO entries (position, {columns}) "  # noqa: S608 - fixed names
            f"SELECT 99, {copied} FROM entries WHERE seq = 1"
        )
        with pytest.raises(cs.BrokenTrail, match="entry 2: inserted in the store's tables behind casestate"):
            store.apply("case-1", [report(case, "x", 2)], expected_version=2)
        with pytest.raises(cs.BrokenTrail, match="entry 2: inserted"):
            store.load("case-1")
        assert [row[0] for row in place.sql("SELECT seq FROM entries ORDER BY seq")] == [0, 1, 2]


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        ("DELETE FROM meta WHERE name = 'chain'", "tables or meta rows are missing"),
        ("DROP TABLE positions", "tables or meta rows are missing"),
    ],
)
def test_a_damaged_store_is_named_as_such(place, damage, says):
    place.open().close()
    place.sql(damage)
    with pytest.raises(NotAStore, match=f"is a damaged casestate store: {says}"):
        place.open()


def test_a_lost_position_counter_is_named_and_nothing_is_written(place):
    with place.open() as store:
        place.sql("DELETE FROM positions")
        with pytest.raises(NotAStore, match="its position counter is gone"):
            opened(store)
        assert list(store.case_ids()) == []


def test_an_entry_row_has_a_column_for_every_field_of_an_entry():
    opened_case = cs.DEFAULT_WORKFLOW.open(
        "case-1", actor=actor("family"), effective_at=day(0), recorded_at=day(1), source_id="hotline/1"
    )
    entry = cs.DEFAULT_WORKFLOW.apply(opened_case, PATH_TO["captured"][0]).trail[-1]
    declared = {field.name for field in attrs.fields(cs.Entry) if field.metadata["part"] != "personal"}
    assert set(_schema.ENTRY_FIELDS) == declared | {"private"}
    # Every field but follows, which only the opening entry of a later disappearance holds,
    # displaces, which only a report that displaced a rival holds, evidence_tiers, which only an
    # entry with evidence of a declared kind holds, carries_into, which only a late report of
    # an earlier period whose place the current period takes holds, contests, which only a move
    # that makes corroborations of the period it ends conflicts holds, and reconciles, which only a
    # move that makes open conflicts agree holds.
    rare = {"follows", "displaces", "evidence_tiers", "carries_into", "contests", "reconciles"}
    assert set(entry_to_dict(opened_case.trail[0])) == declared - rare | {"private"}
    again = cs.DEFAULT_WORKFLOW.open(
        "case-2",
        actor=actor("family"),
        effective_at=day(0),
        recorded_at=day(1),
        follows="case-1",
        source_id="hotline/2",
    )
    assert set(entry_to_dict(again.trail[0])) == declared - {
        "displaces",
        "evidence_tiers",
        "carries_into",
        "contests",
        "reconciles",
    } | {"private"}
    assert row_entry(entry_row(again.trail[0]), "case-2", 2) == again.trail[0]
    killed = attrs.evolve(
        change("report_dead", "unit", "unit_notification", on=10), actor=cs.Actor("u-41", "unit")
    )
    taken = attrs.evolve(
        change("report_captured", "unit", "unit_notification", on=10), actor=cs.Actor("u-57", "unit")
    )
    rivals = cs.DEFAULT_WORKFLOW.apply(cs.DEFAULT_WORKFLOW.apply(opened_case, killed), taken)
    displacing = rivals.trail[-1]
    assert set(entry_to_dict(displacing)) == declared - {
        "follows",
        "workflow",
        "source_id",
        "evidence_tiers",
        "carries_into",
        "contests",
        "reconciles",
    } | {"private"}
    assert row_entry(entry_row(displacing), "case-1", 3) == displacing
    form_5 = cs.EvidenceKindDef("unit_form_5", cs.Tier.CIRCUMSTANTIAL, indicates=cs.Fate.DEAD)
    declaring = cs.DEFAULT_WORKFLOW.with_evidence_kinds(form_5)
    own = declaring.apply(
        declaring.open("case-3", actor=actor("family"), effective_at=day(0), recorded_at=day(1)),
        attrs.evolve(
            change("report_dead", "unit", "video", on=10),
            evidence=(
                cs.Evidence("video", "v", "s", day(10)),
                cs.Evidence("unit_form_5", "F5", "unit", day(10)),
            ),
        ),
    ).trail[-1]
    assert own.evidence_tiers == (4, 3)
    assert set(entry_to_dict(own)) == declared - {
        "follows",
        "workflow",
        "source_id",
        "displaces",
        "carries_into",
        "contests",
        "reconciles",
    } | {"private"}
    assert row_entry(entry_row(own), "case-3", 2) == own
    hurt = cs.DEFAULT_WORKFLOW.apply(
        opened_case, change("report_wounded", "unit", "unit_notification", on=10)
    )
    told_late = cs.DEFAULT_WORKFLOW.apply(
        hurt, change("report_captured", "family", "video", on=5, recorded=11)
    ).trail[-1]
    assert (told_late.kind, told_late.carries_into) == (cs.EntryKind.EARLIER_PERIOD, 1)
    assert set(entry_to_dict(told_late)) == declared - {
        "follows",
        "workflow",
        "source_id",
        "displaces",
        "evidence_tiers",
        "contests",
        "reconciles",
    } | {"private"}
    assert row_entry(entry_row(told_late), "case-1", 3) == told_late
    still = cs.DEFAULT_WORKFLOW.apply(
        opened_case, change("report_missing", "ministry", "missing_register", on=12, recorded=13)
    )
    contesting = cs.DEFAULT_WORKFLOW.apply(
        still, change("report_dead", "unit", "unit_notification", on=10, recorded=14)
    ).trail[-1]
    assert contesting.contests == (1,)
    assert set(entry_to_dict(contesting)) == declared - {
        "follows",
        "workflow",
        "source_id",
        "displaces",
        "evidence_tiers",
        "carries_into",
        "reconciles",
    } | {"private"}
    assert row_entry(entry_row(contesting), "case-1", 3) == contesting
    contested = cs.DEFAULT_WORKFLOW.apply(
        still, change("report_dead", "unit", "unit_notification", on=10, recorded=14)
    )
    tying = cs.DEFAULT_WORKFLOW.apply(
        contested,
        attrs.evolve(
            change("report_captured", "unit", "unit_notification", on=10, recorded=15),
            actor=cs.Actor("u-57", "unit"),
        ),
    ).trail[-1]
    assert (tying.kind, tying.displaces, tying.reconciles) == (cs.EntryKind.CONFLICT, 2, (1,))
    assert set(entry_to_dict(tying)) == declared - {
        "follows",
        "workflow",
        "source_id",
        "evidence_tiers",
        "carries_into",
        "contests",
    } | {"private"}
    assert row_entry(entry_row(tying), "case-1", 4) == tying
    assert row_entry(entry_row(entry), "case-1", 2) == entry
    assert row_entry(entry_row(opened_case.trail[0]), "case-1", 2) == opened_case.trail[0]


def test_a_retraction_that_resumes_an_earlier_status_is_stored_whole(place):
    with place.open() as store:
        case = stored_in(store, "captured")
        retracted = store.apply(
            "case-1",
            [change("retract", "family", on=12, reason="the video was of someone else")],
            expected_version=case.version,
        )
        assert retracted.trail[-1].reverts_to == 0
    with place.open() as fresh:
        assert fresh.load("case-1") == retracted


def test_every_store_name_is_in_its_api_reference():
    text = (Path(__file__).parents[2] / "docs" / "reference" / "store.rst").read_text(encoding="utf-8")
    documented = re.findall(
        r"^\.\. (?:auto)?(?:class|function|data|exception):: (\w+)$", text, flags=re.MULTILINE
    )
    assert sorted(documented) == sorted(cs.store.__all__)


# -- PostgreSQL: through psycopg directly, or through SQLAlchemy alone ------------


_COLUMNS = ", ".join(f'"{name}"' for name in _schema.ENTRY_FIELDS)
_AS_ENTRY_3 = _COLUMNS.replace('"seq"', "3")
FORGED_ENTRY_3 = (
    f"INSERT INTO entries (position, {_COLUMNS}) "  # noqa: S608 - fixed names
    f"SELECT 99, {_AS_ENTRY_3} FROM entries WHERE seq = 1"
)
"""A copy of entry 1 as entry 3: where the second entry of a two-change batch goes."""


@pytest.fixture(params=["psycopg", "sqlalchemy"])
def postgres_place(request, postgres_schema):
    """A PostgreSQL store as it runs on psycopg 3, and as under another driver (SQLAlchemy alone)."""
    place = store_places.Place("postgres", store_places.POSTGRES_URL, postgres_schema)

    def opened_store(**options):
        store = place.open(**options)
        store._direct = request.param == "psycopg"
        return store

    return place, opened_store


def test_a_postgres_store_reads_and_writes_the_same_either_way(postgres_place):
    place, open_store = postgres_place
    with open_store() as store:
        case = stored_in(store, "captured")
        batch = []
        grown = case
        for number in range(3):
            batch.append(report(grown, f"r{number}", number))
            grown = store.workflow.apply(grown, batch[-1])
        stored = store.apply("case-1", batch, expected_version=case.version)
        with pytest.raises(CaseExists):
            opened(store)
    with open_store() as fresh:
        assert fresh.load("case-1") == stored
        assert [item.position for item in fresh.entries()] == [1, 2, 3, 4, 5]
    assert [row[0] for row in place.sql("SELECT seq FROM entries ORDER BY position")] == [0, 1, 2, 3, 4]


def test_a_postgres_block_writes_what_it_holds_the_same_either_way(postgres_place):
    _, open_store = postgres_place
    with open_store() as store:
        cases = [opened(store, case_id) for case_id in ("case-1", "case-2")]
        with store.atomic():
            for round_number in range(2):
                cases = [
                    store.apply(
                        case.id,
                        [report(case, f"r{round_number}", round_number)],
                        expected_version=case.version,
                    )
                    for case in cases
                ]
            assert [summary.version for summary in store.find()] == [3, 3]  # written before the read
            cases = [
                store.apply(case.id, [report(case, "last", 2)], expected_version=case.version)
                for case in cases
            ]
    with open_store() as fresh:
        assert [fresh.load(case.id) for case in cases] == cases
        assert [item.position for item in fresh.entries()] == list(range(1, 9))


def test_a_batch_that_meets_a_forged_entry_writes_nothing_either_way(postgres_place):
    place, open_store = postgres_place
    with open_store() as store:
        case = stored_in(store, "captured")
        place.sql(FORGED_ENTRY_3)
        batch = [report(case, "a", 0)]
        batch.append(report(store.workflow.apply(case, batch[0]), "b", 1))
        with pytest.raises(cs.BrokenTrail, match="entry 3: inserted in the store's tables behind casestate"):
            store.apply("case-1", batch, expected_version=2)
        assert [row[0] for row in place.sql("SELECT seq FROM entries ORDER BY seq")] == [0, 1, 3]
        assert store.head("case-1") == case.head


def test_a_batch_kept_waiting_by_another_writer_is_store_locked_either_way(postgres_place):
    import psycopg  # noqa: PLC0415 - only the PostgreSQL tests need it

    place, open_store = postgres_place
    with open_store(lock_timeout=0.2) as store:
        case = stored_in(store, "captured")
        batch = [report(case, "a", 0)]
        batch.append(report(store.workflow.apply(case, batch[0]), "b", 1))
        with psycopg.connect(store_places.POSTGRES_DSN, options=f"-c search_path={place.schema}") as other:
            # Not committed: the store's insert of entry 3 waits on it, then gives up.
            other.execute(FORGED_ENTRY_3)
            with pytest.raises(StoreLocked, match="locked by another connection"):
                store.apply("case-1", batch, expected_version=2)
            other.rollback()
        assert store.load("case-1") == case


def test_statements_reach_postgres_as_written_either_way(postgres_place):
    _, open_store = postgres_place
    with open_store() as store:
        tx = store._transaction(write=False)
        assert tx.query("SELECT '50%', CAST(:number AS text), 'a::b'", {"number": 7}) == [
            ("50%", "7", "a::b")
        ]
        assert tx.query("SELECT '5%'") == [("5%",)]
        assert tx.execute("SELECT 1 WHERE 'x' LIKE :pattern", {"pattern": "%"}) == 1
        tx.end(commit=True)


def test_text_that_is_not_utf8_is_a_store_error_naming_the_store(tmp_path):
    place = store_places.Place("sqlite", str(tmp_path / "cases.db"))
    with place.open() as store:
        opened(store)
    place.sql("UPDATE entries SET trigger = CAST(X'ff' AS TEXT) WHERE seq = 0")
    with place.open() as store, pytest.raises(cs.store.StoreError, match="Could not decode to UTF-8"):
        store.load("case-1")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE x (a)")
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute("UPDATE sqlite_master SET name = CAST(X'78ff' AS TEXT) WHERE name = 'x'")
    before = other.read_bytes()
    with pytest.raises(cs.store.NotAStore, match="is not a casestate store: its schema is not UTF-8"):
        cs.store.SQLiteStore(other)
    assert other.read_bytes() == before


def test_a_closed_store_says_so(place):
    store = place.open()
    opened(store)
    store.close()
    for use in (
        lambda: store.load("case-1"),
        store.find,
        lambda: list(store.entries()),
        lambda: opened(store, "case-2"),
    ):
        with pytest.raises(cs.store.StoreError, match="is closed; open the store again"):
            use()


def test_a_case_id_that_is_no_string_is_a_type_error_on_either_engine(place):
    with place.open() as store:
        opened(store, "5")
        for use in (
            lambda: store.load(5),
            lambda: store.head(5),
            lambda: store.apply(5, [report(store.load("5"), "x", 1)], expected_version=1),
        ):
            with pytest.raises(TypeError, match="case_id must be a string, not int"):
                use()
        assert store.load("5").version == 1


@pytest.mark.parametrize("entries", ["1000", -1, 2.5, True])
def test_the_memory_of_verified_trails_is_a_number_of_entries(tmp_path, entries):
    with pytest.raises(ValueError, match="cache_entries must be a number of entries"):
        cs.store.SQLiteStore(tmp_path / "cases.db", cache_entries=entries)
    assert not (tmp_path / "cases.db").exists()


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_sqlite_file_taken_away_under_an_open_store_stops_it(tmp_path, how):
    path = tmp_path / "cases.db"
    other = tmp_path / "backup.db"
    with cs.store.SQLiteStore(other) as backup:
        opened(backup, "from-the-backup")
    store = cs.store.SQLiteStore(path)
    opened(store)
    if how == "deleted":
        path.unlink()
    else:
        other.replace(path)
    with pytest.raises(
        cs.store.StoreError, match="was deleted, moved or replaced while the store had it open"
    ):
        opened(store, "case-2")
    store.close()


def test_a_store_on_a_relative_path_outlives_a_change_of_working_folder(tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    with cs.store.SQLiteStore("cases.db") as store:
        opened(store)
        monkeypatch.chdir(tmp_path / "elsewhere")
        opened(store, "case-2")
        assert store.load("case-1").version == 1
    assert not (tmp_path / "elsewhere" / "cases.db").exists()


def test_a_stored_row_with_a_key_twice_is_a_broken_trail(place):
    with place.open() as store:
        opened(store)
    (private,) = place.sql("SELECT private FROM entries")[0]
    forged = private.replace('{"actor_id":"family-1"', '{"actor_id":"forged","actor_id":"family-1"', 1)
    assert forged != private
    place.sql("UPDATE entries SET private = ?", (forged,))
    with place.open() as store, pytest.raises(cs.BrokenTrail, match="the key 'actor_id' appears twice"):
        store.load("case-1")


def test_a_summary_row_altered_in_sql_is_a_store_error_when_found(place):
    with place.open() as store:
        opened(store)
    place.sql("UPDATE cases SET fate = 'zzz'")
    with (
        place.open() as store,
        pytest.raises(cs.store.StoreError, match="the summary row of case 'case-1' was altered"),
    ):
        store.find()


def test_creating_a_store_waits_for_another_process_creating_it(tmp_path):
    path = tmp_path / "cases.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    threading.Timer(0.3, lambda: holder.execute("COMMIT")).start()
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    _wal(connection, timeout=5)
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()
    holder.close()
    holder = sqlite3.connect(tmp_path / "other.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    connection = sqlite3.connect(tmp_path / "other.db", isolation_level=None, timeout=0.05)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _wal(connection, timeout=0.1)
    holder.close()


def _wal(connection, timeout):
    """The store's step that puts a new file in WAL mode, run on *connection*."""
    store = object.__new__(_sqlite.SQLiteStore)
    store._connection = connection
    run(store._wal(timeout))


def test_a_workflows_own_evidence_kinds_are_stored_with_their_tiers_and_found_again(place):
    form_5 = cs.EvidenceKindDef("unit_form_5", cs.Tier.CIRCUMSTANTIAL, indicates=cs.Fate.DEAD)
    registry = cs.DEFAULT_WORKFLOW.with_evidence_kinds(form_5)
    report = attrs.evolve(
        change("report_dead", "unit", "video", on=10),
        evidence=(
            cs.Evidence("video", "v", "channel", day(10)),
            cs.Evidence("unit_form_5", "F5-7", "unit", day(10)),
        ),
    )
    with place.open(workflow=registry) as store:
        case = store.open_case("case-1", actor=actor("family"), effective_at=day(0), recorded_at=day(1))
        case = store.apply("case-1", [report], expected_version=case.version)
        assert case.trail[-1].evidence_tiers == (4, 3)
    with place.open(workflow=registry) as fresh:
        assert fresh.load("case-1") == case
        assert [stored.entry.evidence_kinds for stored in fresh.entries(after=0)][-1] == (
            "video",
            "unit_form_5",
        )
    # A store of the default workflow reads the trail too (it records the tiers), and refuses new
    # evidence of a kind its workflow does not know.
    with place.open() as other:
        assert other.load("case-1") == case
        with pytest.raises(cs.Rejected, match="unknown evidence kind 'unit_form_5'"):
            other.apply("case-1", [attrs.evolve(report, recorded_at=day(11))], expected_version=case.version)
