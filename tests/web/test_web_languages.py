"""The example web app picks the language of its labels from Accept-Language."""

from __future__ import annotations

import doctest

import pytest

from casestate.text import LOCALES
from web_servers import example_module

app = example_module("app")


def test_the_examples_in_the_apps_docstrings_hold() -> None:
    failed, tried = doctest.testmod(app, optionflags=doctest.ELLIPSIS)
    assert (failed, tried > 0) == (0, True)


@pytest.mark.parametrize(
    ("header", "wanted"),
    [
        (None, []),
        ("", []),
        ("uk", ["uk"]),
        ("ru;q=0.5, uk-UA", ["uk-UA", "ru"]),
        ("en;q=0.1, ru;q=0.1, uk;q=0.9", ["uk", "en", "ru"]),  # equal weights keep their order
        ("uk;q=0, ru", ["ru"]),  # q=0: not wanted
        ("uk;q=2, ru; q=0.700, en;q=oops, *", ["*", "ru"]),  # ranges that cannot be read ask for nothing
        ("x" * 9 + ", uk", ["uk"]),
    ],
)
def test_preferences_are_read_most_wanted_first(header, wanted) -> None:
    assert app.preferences(header) == wanted


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("EN-GB", "en"),
        ("uk-UA", "uk"),
        ("ru-RU, uk;q=0.9", "ru"),
        ("en;q=0.2, ru;q=0.5, uk;q=0.4", "ru"),
        ("de-CH, fr;q=0.9, uk;q=0.1", "uk"),
        ("de, fr;q=0.5", "en"),
        ("uk;q=0, ru;q=0", "en"),
        ("*, uk;q=0.1", "uk"),
    ],
)
def test_the_language_is_the_most_wanted_casestate_speaks(header, language) -> None:
    assert app.reader_language(header) == language


def test_the_app_speaks_every_language_casestate_does() -> None:
    assert app.LANGUAGES == LOCALES
    assert app.LANGUAGES[0] == "en"
