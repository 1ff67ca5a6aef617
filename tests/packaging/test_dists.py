"""CI's check of the built sdist and wheel refuses what a user should not get: tools/dists.py."""

from __future__ import annotations

import io
import tarfile
import zipfile

import pytest

from support import tool

dists = tool("dists")

LICENCE = b"MIT License\n"
SCHEMA = "src/casestate/schemas/case.schema.json"
TRACKED = ["LICENSE", "README.md", "docs/index.md", "src/casestate/__init__.py", SCHEMA, "tests/test_x.py"]
RECORD = "casestate-1.0.dist-info/RECORD"


def wheel_of(**leave_out):
    """The members of a wheel built from TRACKED, less those named in *leave_out*."""
    members = {
        "casestate/__init__.py": b'"""casestate."""\n',
        "casestate/schemas/case.schema.json": b"{}\n",
        "casestate-1.0.dist-info/licenses/LICENSE": LICENCE,
        RECORD: b"casestate/__init__.py,sha256=x,18\ncasestate/schemas/case.schema.json,sha256=y,3\n",
    }
    return {name: data for name, data in members.items() if name not in leave_out.values()}


def test_a_wheel_that_holds_every_tracked_package_file_and_the_licence_passes() -> None:
    assert dists.check_wheel(wheel_of(), TRACKED, LICENCE) == []


def test_a_wheel_without_a_schema_is_refused_naming_the_file() -> None:
    faults = dists.check_wheel(wheel_of(schema="casestate/schemas/case.schema.json"), TRACKED, LICENCE)
    assert faults == [
        f"{SCHEMA} is tracked by git but not in the wheel (as casestate/schemas/case.schema.json)"
    ]


def test_a_wheel_without_the_licence_text_or_with_another_is_refused() -> None:
    unlicensed = wheel_of(licence="casestate-1.0.dist-info/licenses/LICENSE")
    assert dists.check_wheel(unlicensed, TRACKED, LICENCE) == [
        "the wheel holds no LICENSE in its .dist-info/licenses/"
    ]
    assert dists.check_wheel(wheel_of(), TRACKED, b"Apache\n") == [
        "the wheel's LICENSE is not the checkout's"
    ]


def test_an_sdist_without_the_tests_or_the_docs_is_refused(tmp_path) -> None:
    sdist = tmp_path / "casestate-1.0.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for name in ["PKG-INFO", *TRACKED]:
            if not name.startswith(("tests/", "docs/")):
                member = tarfile.TarInfo(f"casestate-1.0/{name}")
                archive.addfile(member, io.BytesIO(b""))
    assert dists.check_sdist(dists.sdist_names(sdist), TRACKED) == [
        "docs/index.md is tracked by git but not in the sdist",
        "tests/test_x.py is tracked by git but not in the sdist",
    ]


def test_a_wheel_from_the_sdist_must_hold_the_same_files_with_the_same_bytes() -> None:
    built = wheel_of()
    assert dists.compare_wheels(built, wheel_of()) == []
    other = {**wheel_of(schema="casestate/schemas/case.schema.json"), "casestate/extra.txt": b"", RECORD: b""}
    assert dists.compare_wheels(built, other) == [
        f"{RECORD} differs between the wheel from the checkout and the one from the sdist",
        "casestate/extra.txt is in the wheel from the sdist only",
        "casestate/schemas/case.schema.json is in the wheel from the checkout only",
    ]


def test_strip_writes_the_wheel_without_the_file_and_its_record_line(tmp_path) -> None:
    wheel, stripped = tmp_path / "casestate-1.0-py3-none-any.whl", tmp_path / "stripped.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in wheel_of().items():
            archive.writestr(name, data)
    dists.strip(wheel, "casestate/schemas/case.schema.json", stripped)
    assert dists.wheel_members(stripped) == {
        **wheel_of(schema="casestate/schemas/case.schema.json"),
        RECORD: b"casestate/__init__.py,sha256=x,18\n",
    }
    with pytest.raises(SystemExit, match=r"has no file casestate/nothing\.json"):
        dists.strip(wheel, "casestate/nothing.json", tmp_path / "none.whl")
