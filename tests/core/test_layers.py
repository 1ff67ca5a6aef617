"""The import contract names every module: a new one cannot slip past the layers."""

import pkgutil
import tomllib
from pathlib import Path

import casestate

ROOT = Path(__file__).resolve().parents[2]


def _layered_modules():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [
        contract["layers"]
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract["type"] == "layers"
    ]
    return {name.strip() for layer in layers for name in layer.replace(":", "|").split("|")}


def test_every_module_of_the_package_is_in_a_layer():
    modules = {info.name for info in pkgutil.iter_modules(casestate.__path__)}
    assert modules - _layered_modules() == set()


def test_the_layers_name_no_module_that_is_gone():
    modules = {info.name for info in pkgutil.iter_modules(casestate.__path__)}
    assert _layered_modules() - modules == set()
