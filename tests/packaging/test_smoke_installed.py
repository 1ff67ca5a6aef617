"""The smoke test of the installed wheel excuses a module only for want of an extra: tools/smoke_installed.py."""

from __future__ import annotations

import pytest

from support import tool

smoke = tool("smoke_installed")

OPTIONAL = {"click", "defusedxml", "hypothesis"}


def _raised_from(error, cause):
    try:
        raise error from cause
    except ImportError as raised:
        return raised


def test_a_missing_dependency_of_an_extra_is_found_through_the_error_it_caused() -> None:
    said = _raised_from(
        ImportError("casestate.testing needs hypothesis"), ModuleNotFoundError(name="hypothesis")
    )
    assert smoke._missing_optional(said, OPTIONAL) == "hypothesis"
    assert smoke._missing_optional(ModuleNotFoundError(name="click.testing"), OPTIONAL) == "click.testing"


@pytest.mark.parametrize(
    "error",
    [
        ModuleNotFoundError(name="attrs"),  # a dependency of the core, which every install has
        ModuleNotFoundError(name="casestate._schemas"),  # a module the wheel lacks
        ImportError("cannot import name 'json_schema'"),
    ],
)
def test_no_other_import_error_is_excused(error) -> None:
    assert smoke._missing_optional(error, OPTIONAL) is None


def test_a_requirement_is_known_by_its_distribution_name_as_pep_503_compares_them() -> None:
    assert smoke._required('psycopg[binary]>=3.1; extra == "postgres"') == "psycopg"
    assert smoke._required("SQLAlchemy>=2.0") == "sqlalchemy"
    assert smoke._required("types_defusedxml (>=0.7)") == "types-defusedxml"
