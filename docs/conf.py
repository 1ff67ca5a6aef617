"""Sphinx configuration for casestate's documentation."""

import sys
from importlib.metadata import version as _version
from pathlib import Path

# The local extension that writes the tables and the diagram from the code.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "casestate"
author = "The casestate developers"
copyright = "the casestate developers"  # noqa: A001 - the name Sphinx reads
release = _version("casestate")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
    "sphinxcontrib.mermaid",
    "casestate_docs",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "_ext"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
# Defaults as the source writes them: ``workflow=DEFAULT_WORKFLOW``, not the workflow's whole repr.
autodoc_preserve_defaults = True
autodoc_default_options = {"members": True, "show-inheritance": False}

html_theme = "furo"
html_static_path = ["_static"]

# Mermaid bundled (docs/_static/mermaid), so that the diagrams draw offline: the script sets
# globalThis.mermaid, and the module sphinxcontrib-mermaid imports hands it over.
MERMAID_VERSION = "11.12.1"
mermaid_version = MERMAID_VERSION
mermaid_use_local = "mermaid/mermaid-default.mjs"
html_js_files = [("mermaid/mermaid.min.js", {"priority": 400})]
html_title = f"casestate {release}"
