"""The docs draw their diagrams offline: mermaid is bundled, and no page loads a script from elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

from support import built_page

DOCS = Path(__file__).parents[2] / "docs"
BUNDLED = DOCS / "_static" / "mermaid"


def test_the_bundled_mermaid_is_the_version_the_docs_name() -> None:
    namespace: dict[str, object] = {"__file__": str(DOCS / "conf.py")}
    exec((DOCS / "conf.py").read_text(encoding="utf-8"), namespace)  # noqa: S102 - the docs' own configuration
    version = namespace["MERMAID_VERSION"]
    assert f'"{version}"' in (BUNDLED / "mermaid.min.js").read_text(encoding="utf-8")
    assert "MIT" in (BUNDLED / "LICENSE").read_text(encoding="utf-8")


def test_a_page_with_a_diagram_loads_every_script_from_the_docs_themselves(tmp_path) -> None:
    page, out = built_page(tmp_path, "index.md", "# The workflow\n\n```{casestate-diagram}\n```\n")
    assert 'class="mermaid"' in page
    sources = re.findall(r'<script[^>]* src="([^"]+)"', page) + re.findall(r'import \w+ from "([^"]+)"', page)
    assert "_static/mermaid/mermaid.min.js" in " ".join(sources)
    assert [url for url in sources if re.match(r"(https?:)?//", url)] == []
    assert (out / "_static" / "mermaid" / "mermaid.min.js").stat().st_size > 1_000_000
