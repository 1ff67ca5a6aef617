"""--help says what a reader needs: the fields of a record, the form of a timestamp, what a key file holds."""

from __future__ import annotations

import pytest

import casestate as cs
from support import run


def _help(*command):
    result = run(*command, "--help", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    return " ".join(result.output.split())


@pytest.mark.parametrize("command", ["validate", "apply"])
def test_the_help_of_a_command_that_reads_records_lists_their_fields(command) -> None:
    said = _help(command)
    for field in cs.json_schema("change-record")["properties"]:
        assert field in said
    assert "case_id, trigger, actor_id, role, effective_at, recorded_at (required)" in said
    assert "ISO 8601 with an offset: 2024-03-02T14:00:00+02:00 or 2024-03-02T12:00:00Z" in said


def test_the_help_of_show_gives_the_form_of_its_timestamps_and_zones() -> None:
    said = _help("show")
    assert "--as-of-recorded TIMESTAMP" in said
    assert "ISO 8601 with an offset: 2024-04-10T00:00:00Z" in said
    assert "--tz ZONE" in said


@pytest.mark.parametrize("command", [("validate",), ("apply",), ("show",), ("export",), ("verify",)])
def test_the_help_says_what_a_key_file_holds(command) -> None:
    assert "as hexadecimal digits on one line (at least 32" in _help(*command)
