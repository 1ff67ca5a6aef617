"""Smoke-test casestate as ``pip install casestate`` leaves it: the installed wheel, not the checkout.

    VENV/bin/python -I tools/smoke_installed.py          # the wheel with every extra
    VENV/bin/python -I tools/smoke_installed.py --bare   # the wheel alone

Run it with the interpreter of a virtual environment that has the wheel
installed (not editable), from outside the checkout; ``-I`` keeps the
checkout, ``PYTHONPATH`` and the user's site off ``sys.path``. It checks that
casestate is imported from that environment; imports every module the
installed package has (found in the distribution's RECORD, not listed here);
reads every piece of package data the library reads (each JSON Schema of
``casestate.SCHEMA_NAMES``, through ``casestate.json_schema``; the compiled
catalog of each language of ``casestate.text.LOCALES`` but English, through
the labels and descriptions ``casestate.text`` gives in it; the ``py.typed``
marker type checkers read) and every other data file the wheel installed; and,
with the ``cli`` extra, runs ``casestate demo`` and verifies the store it
builds, and ``casestate demo --lang`` in each language. With ``--bare`` a
module may fail to import only for want of a dependency that an extra of
casestate declares, with an error that names the extra to install, and the
``casestate`` command must name it too.

Every fault is listed, each on a line of its own, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.resources
import json
import os
import re
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path, PurePosixPath

DISTRIBUTION = "casestate"


def _normalised(name: str) -> str:
    """A distribution or module name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _required(requirement: str) -> str:
    """The (normalised) name of the distribution a requirement (``click>=8.1; extra == "cli"``) names."""
    return _normalised(re.split(r"[\s\[<>=!~;(]", requirement, maxsplit=1)[0])


def _extras_dependencies() -> set[str]:
    """The (normalised) names of the distributions that casestate's extras, and only they, require."""
    requirements = importlib.metadata.requires(DISTRIBUTION) or []
    base = {_required(requirement) for requirement in requirements if "extra ==" not in requirement}
    return {_required(requirement) for requirement in requirements} - base - {DISTRIBUTION}


def _missing_optional(error: BaseException | None, optional: set[str]) -> str | None:
    """The dependency of an extra whose absence *error* (or an error it was raised from) reports, if any."""
    while error is not None:
        if isinstance(error, ImportError) and _normalised((error.name or "").partition(".")[0]) in optional:
            return error.name
        error = error.__cause__ or error.__context__
    return None


def _installed_files() -> list[PurePosixPath]:
    """The files of the installed package, as its RECORD lists them."""
    files = importlib.metadata.files(DISTRIBUTION)
    if files is None:
        return []
    return [PurePosixPath(str(file)) for file in files if file.parts[0] == DISTRIBUTION]


def check_origin(faults: list[str]) -> None:
    """Imported casestate comes from this environment, installed from a wheel, not editable."""
    import casestate  # noqa: PLC0415 - imported here, after sys.path is what -I made it

    where = Path(casestate.__file__).resolve()
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    if site not in where.parents:
        faults.append(f"casestate is imported from {where}, not from this environment's {site}")
    direct = importlib.metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    if direct is not None and json.loads(direct).get("dir_info", {}).get("editable", False):
        faults.append("casestate is installed editable; install the wheel")
    if casestate.__version__ != importlib.metadata.version(DISTRIBUTION):
        faults.append(f"casestate.__version__ {casestate.__version__} is not the installed version")


def check_modules(faults: list[str], *, bare: bool) -> list[str]:
    """Import every module of the installed package; the packages left out for want of an extra."""
    optional = _extras_dependencies()
    left_out: list[str] = []
    needs: set[str] = set()
    modules = sorted(
        ".".join(path.with_suffix("").parts[:-1] if path.stem == "__init__" else path.with_suffix("").parts)
        for path in _installed_files()
        if path.suffix == ".py"
    )
    if not modules:
        faults.append("the installed distribution lists no module of casestate in its RECORD")
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as error:
            missing = _missing_optional(error, optional)
            if bare and module != DISTRIBUTION and missing is not None and "casestate[" in str(error):
                left_out.append(module)
                needs.add(f"{'.'.join(module.split('.')[:2])} (needs {missing})")
            else:
                faults.append(f"import {module} fails: {error!r}")
        except Exception as error:  # noqa: BLE001 - every failure of an import is a fault to report
            faults.append(f"import {module} fails: {error!r}")
    print(f"imported {len(modules) - len(left_out)} of {len(modules)} modules")
    return sorted(needs)


def check_data(faults: list[str]) -> None:
    """Read every piece of package data the library reads, and every data file the wheel installed."""
    import casestate  # noqa: PLC0415 - see check_origin

    for name in casestate.SCHEMA_NAMES:
        try:
            schema = casestate.json_schema(name)
        except (OSError, ValueError) as error:
            faults.append(f"casestate.json_schema({name!r}) fails: {type(error).__name__}: {error}")
            continue
        if schema.get("$id") != f"urn:casestate:schema:{name}":
            faults.append(f"casestate.json_schema({name!r}) is not the {name} schema")
    check_catalogs(faults)
    package = importlib.resources.files(DISTRIBUTION)
    if not package.joinpath("py.typed").is_file():
        faults.append("casestate/py.typed is missing: type checkers would ignore casestate's annotations")
    data = [path for path in _installed_files() if path.suffix not in {".py", ".pyc"}]
    for path in data:
        try:
            package.joinpath(*path.parts[1:]).read_bytes()
        except OSError as error:
            faults.append(f"{path} is in the RECORD but cannot be read: {type(error).__name__}: {error}")
    print(f"read {len(casestate.SCHEMA_NAMES)} schemas and {len(data)} data files")


def check_catalogs(faults: list[str]) -> None:
    """Read each language's compiled catalog through casestate.text: every code described in it."""
    import casestate  # noqa: PLC0415 - see check_origin
    from casestate import text  # noqa: PLC0415

    for locale in text.LOCALES:
        if locale == "en":
            continue
        try:
            said = {text.describe(code, locale) for code in casestate.Code}
            missing = text.label(casestate.Status.MISSING, locale)
        except (OSError, LookupError) as error:
            faults.append(f"the {locale!r} catalog cannot be read: {type(error).__name__}: {error}")
            continue
        english = {text.describe(code) for code in casestate.Code}
        if said & english or missing == text.label(casestate.Status.MISSING):
            faults.append(f"the {locale!r} catalog leaves text in English: it is not the compiled catalog")
    print(f"read the catalogs of {', '.join(text.LOCALES[1:])}")


def check_command(faults: list[str]) -> None:
    """``casestate demo`` runs, and the store it builds verifies."""
    command = Path(sysconfig.get_paths()["scripts"]) / "casestate"
    with tempfile.TemporaryDirectory() as scratch:
        environment = {**os.environ, "TMPDIR": scratch}
        demo = subprocess.run(
            [str(command), "demo"], capture_output=True, text=True, cwd=scratch, env=environment, check=False
        )
        if demo.returncode != 0:
            faults.append(f"casestate demo exits {demo.returncode}: {demo.stderr.strip()}")
            return
        stores = sorted(Path(scratch).glob("casestate-demo-*/cases.db"))
        if len(stores) != 1:
            faults.append(f"casestate demo left {len(stores)} stores under its TMPDIR, not one")
            return
        verify = subprocess.run(
            [str(command), "verify", "--store", str(stores[0])],
            capture_output=True,
            text=True,
            cwd=scratch,
            env=environment,
            check=False,
        )
        if verify.returncode != 0:
            said = verify.stderr.strip()
            faults.append(f"casestate verify of the demo store exits {verify.returncode}: {said}")
            return
        if not _demo_speaks(command, scratch, environment, faults):
            return
    print("casestate demo ran, its store verifies, and it speaks every language")


def _demo_speaks(command: Path, scratch: str, environment: dict[str, str], faults: list[str]) -> bool:
    """``casestate demo --lang`` tells its stories in each language: the catalogs reach the command."""
    from casestate import Status  # noqa: PLC0415 - see check_origin
    from casestate.text import LOCALES, label  # noqa: PLC0415

    for locale in LOCALES[1:]:
        demo = subprocess.run(
            [str(command), "demo", "--lang", locale, "--path", str(Path(scratch) / f"demo-{locale}.db")],
            capture_output=True,
            text=True,
            cwd=scratch,
            env=environment,
            check=False,
        )
        if demo.returncode != 0 or label(Status.MISSING, locale) not in demo.stdout:
            faults.append(f"casestate demo --lang {locale} does not speak it: {demo.stderr.strip()}")
            return False
    return True


def check_command_needs_extra(faults: list[str]) -> None:
    """Without the ``cli`` extra, ``casestate`` says which extra it needs, in a line and not a traceback."""
    command = Path(sysconfig.get_paths()["scripts"]) / "casestate"
    help_ = subprocess.run([str(command), "--help"], capture_output=True, text=True, check=False)
    if help_.returncode == 0 or "casestate[cli]" not in help_.stderr or "Traceback" in help_.stderr:
        said = help_.stderr.strip()
        faults.append(f"casestate without the cli extra does not name the extra it needs: {said}")
    else:
        print("casestate without the cli extra names the extra it needs")


def main(arguments: list[str] | None = None) -> int:
    """Run every check; 0 when all pass, 1 with each fault listed otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument(
        "--bare", action="store_true", help="the wheel without extras: modules that need one may be left out"
    )
    bare = parser.parse_args(arguments).bare
    faults: list[str] = []
    check_origin(faults)
    left_out = check_modules(faults, bare=bare)
    check_data(faults)
    if bare:
        print("left out for want of an extra:", ", ".join(left_out) or "nothing")
        check_command_needs_extra(faults)
    else:
        check_command(faults)
    if faults:
        print(f"smoke test of the installed wheel FAILED ({len(faults)}):", file=sys.stderr)
        for fault in faults:
            print(f"  - {fault}", file=sys.stderr)
        return 1
    print("smoke test of the installed wheel passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
