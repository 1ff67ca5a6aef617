"""Every example in the README, the docs and the docstrings runs as a test."""

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
from sybil.parsers.rest import DocTestParser

FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE

markdown = Sybil(
    name="docs",
    parsers=[PythonCodeBlockParser(doctest_optionflags=FLAGS), SkipParser()],
    patterns=["README.md", "docs/**/*.md", "docs/*.md"],
)
docstrings = Sybil(
    name="docstrings",
    parsers=[DocTestParser(optionflags=FLAGS)],
    patterns=[
        "src/casestate/*.py",
        "src/casestate/feeds/*.py",
        "src/casestate/pfif/*.py",
        "src/casestate/proofs/*.py",
        "src/casestate/store/*.py",
        "src/casestate/testing/*.py",
    ],
)

pytest_collect_file = (markdown + docstrings).pytest()
