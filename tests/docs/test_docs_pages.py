"""The reference pages name everything the code has; the first tutorial prints exactly what it shows."""

from __future__ import annotations

import doctest
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import casestate
from casestate import DEFAULT_WORKFLOW, Code, EvidenceKind, to_dict
from casestate.text import describe
from support import actor, case_in, day

DOCS = Path(__file__).parents[2] / "docs"


def _load_extension() -> ModuleType:
    spec = importlib.util.spec_from_file_location("casestate_docs", DOCS / "_ext" / "casestate_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("casestate_docs", module)
    spec.loader.exec_module(module)
    return module


def _section(page: str, heading: str) -> str:
    """The text of the section under *heading* (a ``## `` heading), up to the next one."""
    text = (DOCS / page).read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _first_column(table_text: str) -> list[str]:
    """The code-quoted names in the first column of every Markdown table row."""
    return re.findall(r"^\| `([^`]+)` \|", table_text, flags=re.MULTILINE)


def test_the_meaning_of_each_code_is_the_words_the_library_says_it_in() -> None:
    # One description of each code, kept where its translations are: the table shows it, the
    # "what to do" column says the rest.
    table = _section("reference/codes.md", "Every code")
    rows = re.findall(r"^\| `(\w+)` \| (.*?) \| .*? \|$", table, flags=re.MULTILINE)
    assert rows
    for code, meaning in rows:
        assert meaning == describe(Code(code)), code


def test_every_rejection_code_is_in_the_table() -> None:
    documented = _first_column(_section("reference/codes.md", "Every code"))
    assert sorted(documented) == sorted(code.value for code in Code)
    assert len(documented) == len(set(documented))


def _opening_with_every_field() -> dict[str, object]:
    case = DEFAULT_WORKFLOW.open(
        "ua-1",
        actor=actor("ngo"),
        effective_at=day(0),
        recorded_at=day(1),
        follows="ua-0",
        source_id="hotline/1",
    )
    opening = casestate.entry_to_dict(case.trail[0])
    # And the fields an opening never holds: a report that displaces a rival names it, an entry
    # with evidence of a declared kind records the tiers of its kinds, a late report of an
    # earlier period names the current period that takes its place, and a move the
    # corroborations it contests and the conflicts it reconciles.
    private = opening.pop("private")
    return {
        **opening,
        "displaces": 1,
        "evidence_tiers": [3],
        "carries_into": 1,
        "contests": [1],
        "reconciles": [1],
        "private": private,
    }


@pytest.mark.parametrize(
    ("heading", "fields"),
    [
        ("The case document", lambda data: data),
        # A later disappearance's opening sent with a source id, and displaces: every field an entry may have.
        ("An entry", lambda _: _opening_with_every_field()),
        ("Personal data (`private`)", lambda data: data["entries"][1]["private"]),
        ("A piece of evidence", lambda data: data["entries"][1]["private"]["evidence"][0]),
    ],
)
def test_every_json_field_is_documented(heading, fields) -> None:
    data = to_dict(case_in("captured"))
    documented = _first_column(_section("reference/json-format.md", heading))
    assert documented == list(fields(data))


def test_the_documented_format_version_is_current() -> None:
    text = (DOCS / "reference" / "json-format.md").read_text(encoding="utf-8")
    assert f">>> cs.FORMAT_VERSION\n{casestate.FORMAT_VERSION}\n" in text


def test_every_public_name_is_in_the_api_reference() -> None:
    text = (DOCS / "reference" / "api.rst").read_text(encoding="utf-8")
    documented = re.findall(r"^\.\. auto(?:class|function|data|exception):: (\w+)$", text, flags=re.MULTILINE)
    assert sorted(documented) == sorted(casestate.__all__)


def test_generated_tables_cover_the_default_workflow() -> None:
    extension = _load_extension()
    statuses = extension.statuses_table()
    rules = extension.rules_table()
    kinds = "\n".join(extension.evidence_kinds_table())
    assert len(statuses) == 2 + len(DEFAULT_WORKFLOW.statuses)
    assert "| `captured` | `alive` | `held` |" in "\n".join(statuses)
    assert _first_column("\n".join(rules)) == list(DEFAULT_WORKFLOW.triggers)
    assert all(f"`{kind}`" in kinds for kind in EvidenceKind)
    drawn = casestate.to_mermaid(DEFAULT_WORKFLOW).splitlines()
    assert drawn[:3] == ["---", "default", "---"]  # the title block, which the page gives as its heading
    assert extension.diagram()[1:-1] == drawn[3:]


def test_your_first_case_prints_exactly_what_it_shows() -> None:
    """Without the suite's lenient doctest flags: a reader's REPL is not lenient."""
    text = (DOCS / "tutorials" / "first-case.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    source = "\n".join(blocks)
    test = doctest.DocTestParser().get_doctest(source, {}, "first-case", "first-case.md", 0)
    runner = doctest.DocTestRunner(optionflags=0)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_the_languages_page_lists_the_labels_of_every_vocabulary() -> None:
    text = (DOCS / "reference" / "languages.md").read_text(encoding="utf-8")
    listed = re.findall(r"^```\{casestate-labels\} (.+)$", text, flags=re.MULTILINE)
    assert sorted(listed) == sorted(casestate.text.VOCABULARIES)
    assert "```{casestate-code-descriptions}" in text


def test_a_labels_table_holds_each_label_in_each_language_from_the_catalogs() -> None:
    extension = _load_extension()
    table = extension.labels_table("whereabouts")
    assert table[:2] == ["| name | English | Russian | Ukrainian |", "|---|---|---|---|"]
    assert (
        table[3]
        == "| `held` | held by the other party | удерживается другой стороной | утримується іншою стороною |"
    )
    assert len(table) == 2 + len(casestate.Whereabouts)
    with pytest.raises(ValueError, match="no vocabulary 'place'; there are: status, fate"):
        extension.labels_table("place")


def test_the_code_descriptions_table_has_a_row_per_code_in_each_language() -> None:
    rows = _load_extension().descriptions_table()[2:]
    assert [row.split(" | ")[0] for row in rows] == [f"| `{code}`" for code in Code]
    assert rows[0] == (
        "| `unknown_trigger` | The workflow has no trigger of that name. | "
        "В порядке ведения дела нет действия с таким названием. | У порядку ведення справи немає дії з такою назвою. |"
    )
