"""Check casestate's built sdist and wheel against the checkout they were built from.

    .venv/bin/python tools/dists.py check --sdist S.tar.gz --wheel W.whl --rebuilt R.whl
    .venv/bin/python tools/dists.py strip W.whl casestate/schemas/case.schema.json OUT.whl

``check`` exits 1, each fault on a line of its own, unless: the wheel built
from the sdist (``--rebuilt``) holds the same files with the same bytes as
the one built from the checkout; the sdist holds every file git tracks
(tests and docs with the rest, as downstream packagers expect); the wheel
holds every file git tracks under ``src/casestate`` (the package data with
the code) and the licence text.

``strip`` writes a copy of a wheel without one of its files (and that file's
RECORD line), so that CI can show the smoke test refusing a wheel that lacks a
file the library reads.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = PurePosixPath("src/casestate")
LICENCE = "LICENSE"


def wheel_members(wheel: Path) -> dict[str, bytes]:
    """Each file of *wheel*, by its name, with its bytes (timestamps and permissions are not compared)."""
    with zipfile.ZipFile(wheel) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}


def sdist_names(sdist: Path) -> set[str]:
    """The files of *sdist*, by their path below its top folder (``casestate-1.0/``)."""
    with tarfile.open(sdist) as archive:
        files = [PurePosixPath(member.name) for member in archive.getmembers() if member.isfile()]
    return {str(PurePosixPath(*path.parts[1:])) for path in files}


def tracked_files(root: Path) -> list[str]:
    """The files git tracks in the checkout at *root* that are there now, as POSIX paths."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"],  # noqa: S607 - git from PATH, as a developer runs it
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return sorted(name for name in listed.split("\0") if name and (root / name).is_file())


def compare_wheels(built: dict[str, bytes], rebuilt: dict[str, bytes]) -> list[str]:
    """How the wheel built from the sdist differs from the one built from the checkout."""
    faults = [f"{name} is in the wheel from the checkout only" for name in built.keys() - rebuilt.keys()]
    faults += [f"{name} is in the wheel from the sdist only" for name in rebuilt.keys() - built.keys()]
    faults += [
        f"{name} differs between the wheel from the checkout and the one from the sdist"
        for name in built.keys() & rebuilt.keys()
        if built[name] != rebuilt[name]
    ]
    return sorted(faults)


def check_sdist(names: set[str], tracked: list[str]) -> list[str]:
    """The tracked files the sdist lacks."""
    return [f"{name} is tracked by git but not in the sdist" for name in tracked if name not in names]


def check_wheel(members: dict[str, bytes], tracked: list[str], licence: bytes) -> list[str]:
    """The package files and the licence text the wheel lacks, or holds other bytes of."""
    faults = []
    for name in tracked:
        path = PurePosixPath(name)
        if PACKAGE in path.parents:
            member = str(path.relative_to(PACKAGE.parent))
            if member not in members:
                faults.append(f"{name} is tracked by git but not in the wheel (as {member})")
    licences = [name for name in members if PurePosixPath(name).match(f"*.dist-info/licenses/{LICENCE}")]
    if not licences:
        faults.append(f"the wheel holds no {LICENCE} in its .dist-info/licenses/")
    elif any(members[name] != licence for name in licences):
        faults.append(f"the wheel's {LICENCE} is not the checkout's")
    return faults


def check(sdist: Path, wheel: Path, rebuilt: Path) -> list[str]:
    """Every fault of the sdist and the wheels, against the checkout."""
    tracked = tracked_files(ROOT)
    built = wheel_members(wheel)
    faults = compare_wheels(built, wheel_members(rebuilt))
    faults += check_sdist(sdist_names(sdist), tracked)
    faults += check_wheel(built, tracked, (ROOT / LICENCE).read_bytes())
    return faults


def strip(wheel: Path, name: str, out: Path) -> None:
    """Write *wheel* to *out* without its file *name*, nor that file's line in the RECORD."""
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = [info.filename for info in source.infolist()]
        if name not in names:
            raise SystemExit(f"{wheel} has no file {name}")
        for info in source.infolist():
            if info.filename == name:
                continue
            data = source.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                lines = data.decode().splitlines(keepends=True)
                data = "".join(line for line in lines if not line.startswith(f"{name},")).encode()
            target.writestr(info, data)


def main(arguments: list[str] | None = None) -> int:
    """Run the command the arguments name."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    checking = commands.add_parser("check", help="check the sdist and the wheels against the checkout")
    checking.add_argument("--sdist", type=Path, required=True)
    checking.add_argument("--wheel", type=Path, required=True, help="the wheel built from the checkout")
    checking.add_argument("--rebuilt", type=Path, required=True, help="the wheel built from the sdist")
    stripping = commands.add_parser("strip", help="copy a wheel without one of its files")
    stripping.add_argument("wheel", type=Path)
    stripping.add_argument("name", help="the file to leave out, as the wheel names it")
    stripping.add_argument("out", type=Path)
    options = parser.parse_args(arguments)
    if options.command == "strip":
        strip(options.wheel, options.name, options.out)
        return 0
    faults = check(options.sdist, options.wheel, options.rebuilt)
    if faults:
        print(f"the sdist and the wheel FAILED their check ({len(faults)}):", file=sys.stderr)
        for fault in faults:
            print(f"  - {fault}", file=sys.stderr)
        return 1
    print(f"{options.sdist.name}, {options.wheel.name}: the checkout's files; the sdist builds that wheel")
    return 0


if __name__ == "__main__":
    sys.exit(main())
