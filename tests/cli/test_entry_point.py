"""The ``casestate`` command's entry: the command line, or one line naming the extra it needs."""

import subprocess
import sys
import textwrap


def test_python_dash_m_casestate_runs_the_command_line():
    done = subprocess.run(
        [sys.executable, "-m", "casestate", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "demo" in done.stdout


def test_without_the_cli_extra_the_command_names_it_in_one_line_not_a_traceback():
    # The command as a bare install runs it: click cannot be imported.
    script = textwrap.dedent(
        """
        import sys
        sys.modules["click"] = None  # an import of click now fails, as without the extra
        from casestate.__main__ import main
        main()
        """
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, a script written here
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert (
        done.stderr == "casestate: the casestate command line needs its extra: pip install 'casestate[cli]'\n"
    )


def test_an_import_error_of_another_kind_is_not_hidden_behind_the_hint():
    script = "import sys\nsys.modules['casestate.cli'] = None\nfrom casestate.__main__ import main\nmain()\n"
    done = subprocess.run(  # noqa: S603 - this interpreter, a script written here
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "Traceback" in done.stderr
    assert "casestate[cli]" not in done.stderr
