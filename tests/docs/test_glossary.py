"""Every term of the glossary is defined there, and linked where the docs first use it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[2] / "docs"

LINKED = ("corroboration", "head", "commitment", "salt", "PFIF", "evidence")
"""The terms a reader met before they were explained: each one's first use links to the glossary."""


def _reading_order() -> list[Path]:
    """The pages in the order the index lists them (the glossary itself left out)."""
    first = [DOCS / "index.md", DOCS / "tutorials" / "first-case.md"]
    explained_first = [
        DOCS / "explanation" / f"{name}.md" for name in ("statuses", "evidence", "two-clocks", "conflicts")
    ]
    pages = [*first]
    for folder in ("tutorials", "how-to", "reference"):
        pages += sorted(page for page in (DOCS / folder).glob("*.md") if page not in pages)
    pages += explained_first
    pages += sorted(page for page in (DOCS / "explanation").glob("*.md") if page not in pages)
    return [page for page in pages if page.name != "glossary.md"]


def _prose(text: str) -> str:
    """*text* without code, headings or link targets; each term link as ``<<term>>``."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    text = re.sub(r"^#.*$", "", text, flags=re.MULTILINE)
    text = re.sub(r"\{term\}`(?:[^`<]*<)?([^`>]+)>?`", r"<<\1>>", text)
    text = re.sub(r"`[^`]*`", "", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


def _defined() -> list[str]:
    text = (DOCS / "reference" / "glossary.md").read_text(encoding="utf-8")
    body = text[text.index("```{glossary}") : text.rindex("```")]
    return re.findall(r"^(\S[^\n]*)\n  ", body, flags=re.MULTILINE)[1:]


def test_the_glossary_defines_each_term_once_in_order() -> None:
    terms = _defined()
    assert sorted(terms, key=str.lower) == terms
    assert len(set(terms)) == len(terms)
    assert set(LINKED) <= set(terms)


@pytest.mark.parametrize("term", LINKED)
def test_the_first_use_of_a_term_links_to_the_glossary(term) -> None:
    word = re.compile(rf"\b{re.escape(term)}s?\b", flags=re.IGNORECASE)
    for page in _reading_order():
        text = _prose(page.read_text(encoding="utf-8"))
        link = text.find(f"<<{term}>>")
        used = word.search(text)
        if link == -1 and used is None:
            continue
        assert link != -1, f"{page.relative_to(DOCS)} uses {term!r} first, without a link: {used.group()!r}"
        assert used is None or link < used.start(), f"{page.relative_to(DOCS)} uses {term!r} before its link"
        return
    pytest.fail(f"no page uses {term!r}")


def test_every_term_link_names_a_term_of_the_glossary() -> None:
    defined = set(_defined())
    for page in DOCS.rglob("*.md"):
        for target in re.findall(r"<<([^>]+)>>", _prose(page.read_text(encoding="utf-8"))):
            assert target in defined, f"{page.relative_to(DOCS)} links {target!r}"
