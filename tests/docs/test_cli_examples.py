"""The command line reference shows what the commands print: each example is run and its output compared."""

from __future__ import annotations

import doctest
import json
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from casestate.cli import main
from support import EXAMPLES

PAGE = Path(__file__).parents[2] / "docs" / "reference" / "cli.md"
_CHECKER = doctest.OutputChecker()


def _console_blocks(text: str) -> list[tuple[int, list[tuple[str, str]]]]:
    """Each console block of the page: the terminal's width, and its commands with the output shown."""
    blocks = []
    found = re.findall(
        r"^(?:<!-- columns: (\d+) -->\n)?```console\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE
    )
    for columns, body in found:
        steps: list[tuple[str, str]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], ""))
            else:
                command, shown = steps[-1]
                steps[-1] = (command, shown + line + "\n")
        blocks.append((int(columns or 120), steps))
    return blocks


def _run(command: str, columns: int = 120) -> str | None:
    """Run one command of the page in the current folder: its output, or ``None`` for one not run here."""
    command = command.split("  #", maxsplit=1)[0].strip()
    words = shlex.split(command)
    if words[0] == "cp":
        shutil.copy(words[1], words[2])
        return ""
    if words[0] == "sqlite3":
        with sqlite3.connect(words[1]) as connection:
            connection.execute(words[2])
        connection.close()
        return ""
    if words[0] == "python3" and words[-2] == ">":  # a key file made as the page makes it
        made = subprocess.run([sys.executable, *words[1:-2]], capture_output=True, text=True, check=True)  # noqa: S603
        Path(words[-1]).write_text(made.stdout, encoding="utf-8")
        return ""
    if words[0] != "casestate" or "|" in words or ">" in words:
        return None  # pip, and pipes into other programs
    result = CliRunner().invoke(main, words[1:], env={"COLUMNS": str(columns)})
    assert "Traceback" not in result.output
    return result.output


@pytest.fixture
def folder(tmp_path, monkeypatch):
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.usefixtures("folder")
def test_every_console_example_of_the_reference_prints_what_it_shows() -> None:
    compared = 0
    for columns, steps in _console_blocks(PAGE.read_text(encoding="utf-8")):
        for command, shown in steps:
            output = _run(command, columns)
            if output is None or not shown:
                continue
            expected = "\n".join(line.rstrip() for line in shown.splitlines()) + "\n"
            got = "\n".join(line.rstrip() for line in output.splitlines()) + "\n"
            assert _CHECKER.check_output(expected, got, doctest.ELLIPSIS), f"$ {command}\n{got}"
            compared += 1
    assert compared >= 5


def _within(shown: object, real: object) -> bool:
    """Whether *shown* is *real*, but that its lists may stop early (an example with fewer findings)."""
    if isinstance(shown, dict) and isinstance(real, dict):
        return shown.keys() == real.keys() and all(_within(shown[key], real[key]) for key in shown)
    if isinstance(shown, list) and isinstance(real, list):
        return len(shown) <= len(real) and all(map(_within, shown, real))
    return shown == real


@pytest.mark.usefixtures("folder")
def test_every_json_output_of_the_reference_is_what_the_command_writes() -> None:
    text = PAGE.read_text(encoding="utf-8")
    found = re.findall(
        r"^<!-- output of: (.*?) -->\n```json\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE
    )
    assert found
    for command, block in found:
        output = _run(command)
        assert output is not None
        real, shown = json.loads(output), json.loads(block)
        assert _within(shown, real), f"$ {command}\n{output}"
