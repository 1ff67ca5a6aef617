"""The import contracts name every module: a new one cannot slip past the layers, nor a private one past the edges."""

import pkgutil
import tomllib
from pathlib import Path

import casestate

ROOT = Path(__file__).resolve().parents[2]


def _contract(kind):
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [
        contract for contract in config["tool"]["importlinter"]["contracts"] if contract["type"] == kind
    ]
    return contract


def _layered_modules():
    layers = _contract("layers")["layers"]
    return {name.strip() for layer in layers for name in layer.replace(":", "|").split("|")}


def test_every_module_of_the_package_is_in_a_layer():
    modules = {info.name for info in pkgutil.iter_modules(casestate.__path__)}
    assert modules - _layered_modules() == set()


def test_the_layers_name_no_module_that_is_gone():
    modules = {info.name for info in pkgutil.iter_modules(casestate.__path__)}
    assert _layered_modules() - modules == set()


def test_the_edges_are_forbidden_every_private_module_of_the_core():
    contract = _contract("forbidden")
    # __main__, the command's entry, is no part of the core: it only starts the command line.
    private = {
        info.name
        for info in pkgutil.iter_modules(casestate.__path__)
        if info.name.startswith("_") and info.name != "__main__"
    }
    edges = {info.name for info in pkgutil.iter_modules(casestate.__path__) if info.ispkg}
    assert set(contract["forbidden_modules"]) == {f"casestate.{name}" for name in private}
    assert set(contract["source_modules"]) == {f"casestate.{name}" for name in edges}


def test_the_public_modules_of_the_core_sit_below_the_edges():
    layers = _contract("layers")["layers"]
    public = {
        info.name
        for info in pkgutil.iter_modules(casestate.__path__)
        if not info.name.startswith("_") and not info.ispkg
    }
    assert public == {"chain", "instants", "text"}
    (beside,) = [layer for layer in layers if "text" in layer.split(" | ")]
    assert public <= set(beside.split(" | "))
    assert layers.index(beside) > layers.index("pfif | store | testing")
