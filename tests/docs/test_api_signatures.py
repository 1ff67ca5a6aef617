"""The API reference shows signatures as the source writes them: a default is its name, not its repr."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.cmd.build import build_main

DOCS = Path(__file__).parents[2] / "docs"


def test_a_store_signature_names_its_default_workflow_rather_than_printing_it(tmp_path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    # The docs' own configuration, with only autodoc: the other extensions have nothing to do here.
    (source / "conf.py").write_text(
        "from pathlib import Path\n"
        f"exec(Path({str(DOCS / 'conf.py')!r}).read_text(encoding='utf-8'))\n"
        "extensions = ['sphinx.ext.autodoc']\n"
        "html_theme = 'alabaster'\n",
        encoding="utf-8",
    )
    (source / "index.rst").write_text(
        "Store\n=====\n\n.. autoclass:: casestate.store.SQLiteStore\n", encoding="utf-8"
    )
    assert build_main(["-q", "-b", "text", str(source), str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "index.txt").read_text(encoding="utf-8")
    signature = re.search(r"class casestate\.store\.SQLiteStore\((.*?)\)\n", text, flags=re.DOTALL)
    assert signature is not None
    assert "workflow=DEFAULT_WORKFLOW" in signature.group(1)
    assert len(signature.group(1)) < 300
