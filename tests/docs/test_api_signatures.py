"""The API reference shows signatures as the source writes them: a default is its name, not its repr."""

from __future__ import annotations

import re

from support import built_page


def test_a_store_signature_names_its_default_workflow_rather_than_printing_it(tmp_path) -> None:
    # The docs' own configuration, with only autodoc: the other extensions have nothing to do here.
    only_autodoc = "extensions = ['sphinx.ext.autodoc']\nhtml_theme = 'alabaster'\n"
    page = "Store\n=====\n\n.. autoclass:: casestate.store.SQLiteStore\n"
    text, _ = built_page(tmp_path, "index.rst", page, builder="text", overrides=only_autodoc)
    signature = re.search(r"class casestate\.store\.SQLiteStore\((.*?)\)\n", text, flags=re.DOTALL)
    assert signature is not None
    assert "workflow=DEFAULT_WORKFLOW" in signature.group(1)
    assert len(signature.group(1)) < 300
