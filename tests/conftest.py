import os
import secrets
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, Phase, settings

from store_places import POSTGRES_DSN, POSTGRES_URL, Place

# "default" keeps local runs and CI quick; "thorough" is for a deliberate, long run:
#   HYPOTHESIS_PROFILE=thorough pytest
# Stateful runs take 20 steps by default: long enough to reach every status and
# pile up conflicts, short enough that the four state machines finish in seconds.
settings.register_profile("default", max_examples=60, stateful_step_count=20, deadline=None)
settings.register_profile(
    "thorough",
    max_examples=2000,
    stateful_step_count=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", parent=settings.get_profile("default"), deadline=timedelta(seconds=5))
# Mutation testing (mutmut, CONTRIBUTING.md): the same examples on every run, so a
# mutant's verdict can be reproduced, and a failure found is not shrunk or saved.
settings.register_profile(
    "mutants",
    parent=settings.get_profile("default"),
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# -- stores: every store test runs on both engines ------------------------

_postgres_problem: list[str] = []


def _postgres_unavailable() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None when a server answers."""
    try:
        import psycopg  # noqa: PLC0415 - optional: the postgres extra
        import sqlalchemy  # noqa: F401, PLC0415 - PostgresStore needs it too
    except ImportError as error:
        return f"the postgres extra is not installed ({error}); pip install -e '.[test]'"
    try:
        psycopg.connect(POSTGRES_DSN, connect_timeout=3).close()
    except psycopg.Error as error:
        return f"no PostgreSQL server answers at 127.0.0.1:5432 (user postgres, db test): {error}"
    return None


def _fresh_postgres_schema():
    """A fresh, empty schema name, dropped afterwards; skips or fails without a server."""
    if not _postgres_problem:
        _postgres_problem.append(_postgres_unavailable() or "")
    problem = _postgres_problem[0]
    if problem:
        if os.environ.get("CASESTATE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{problem} (CASESTATE_REQUIRE_POSTGRES=1 requires the server)")
        pytest.skip(problem)
    import psycopg  # noqa: PLC0415

    name = f"casestate_test_{secrets.token_hex(6)}"
    yield name
    with psycopg.connect(POSTGRES_DSN, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@pytest.fixture
def postgres_schema():
    """A fresh, empty schema name for one test, dropped afterwards.

    Skips the test when no PostgreSQL server answers, unless
    CASESTATE_REQUIRE_POSTGRES=1 (as in CI): then the test fails instead.
    """
    yield from _fresh_postgres_schema()


@pytest.fixture(scope="module")
def module_postgres_schema():
    """A fresh, empty schema name for the tests of one module (a server they share), as postgres_schema."""
    yield from _fresh_postgres_schema()


@pytest.fixture(params=["sqlite", "postgres"])
def place(request, tmp_path) -> Place:
    """Where a store test keeps its store: a SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        return Place("sqlite", str(tmp_path / "cases.db"))
    return Place("postgres", POSTGRES_URL, request.getfixturevalue("postgres_schema"))


@pytest.fixture
def anyio_backend():
    """anyio's pytest plugin runs the async store tests on asyncio, which aiosqlite and SQLAlchemy need."""
    return "asyncio"


# -- language: the commands speak the environment's --------------------------


@pytest.fixture(autouse=True)
def english_environment(monkeypatch):
    """Run every test, and the commands it starts, as in an environment that asks for no language.

    The command line speaks what LANGUAGE, LC_ALL, LC_MESSAGES or LANG ask
    for: a developer's Ukrainian desktop must not turn the English the tests
    compare into Ukrainian. A test of the languages sets them itself.
    """
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
