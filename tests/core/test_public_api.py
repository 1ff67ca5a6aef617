"""The public surface: explicit, sorted, documented."""

import inspect

import casestate


def test_all_is_sorted_and_complete():
    assert casestate.__all__ == sorted(casestate.__all__, key=lambda name: (not name.isupper(), name))
    public = {name for name in vars(casestate) if not name.startswith("_")}
    exported = set(casestate.__all__)
    modules = {name for name in public if inspect.ismodule(getattr(casestate, name))}
    assert public - modules == exported


def test_every_public_name_has_a_docstring():
    undocumented = []
    for name in casestate.__all__:
        value = getattr(casestate, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            if not inspect.getdoc(value):
                undocumented.append(name)
            for member_name, member in vars(value).items():
                if member_name.startswith("_") or not (
                    inspect.isfunction(member) or isinstance(member, property)
                ):
                    continue
                if not inspect.getdoc(member):
                    undocumented.append(f"{name}.{member_name}")
    assert undocumented == []


def test_the_version_comes_from_the_installed_metadata():
    assert casestate.__version__
