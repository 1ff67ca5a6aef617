"""The language the commands speak to people: ``--lang``, else the environment's, else English.

What a person reads (a case as ``show`` tells it, the reasons a line was
refused, the summary of a check) comes in English, Russian or Ukrainian;
what a program reads (``--format json``'s fields and codes, the names in
it) and the errors of the command line itself stay as they are. English
output is what it always was: the names of statuses, roles and evidence
kinds, as the store holds them. Other languages show their labels.

The headings are texts of casestate's catalogs: :func:`said` marks each
where it is written, for ``tools/catalogs.py`` to extract.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs
import click

from casestate import Reason
from casestate.text import (
    LOCALES,
    Term,
    Vocabulary,
    best_locale,
    label,
    label_name,
    message,
    translated,
    translated_count,
)

_SET_BY = ("LC_ALL", "LC_MESSAGES", "LANG")
"""The variables that set the language of messages, the first that is set winning (POSIX)."""


def said(text: str) -> str:
    """Mark *text* as a heading to translate; it is returned unchanged."""
    return text


def counted(singular: str, plural: str) -> tuple[str, str]:
    """Mark a text with a number in it, in its singular and plural forms, to translate."""
    return singular, plural


def environment_locale(environ: Mapping[str, str]) -> str:
    """The language the environment asks for, as gettext reads it; English if none casestate speaks.

    ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` (the first set) names the
    locale; ``LANGUAGE``, a list of languages by preference, comes first
    unless the locale is ``C`` or ``POSIX``.

    >>> environment_locale({"LANG": "uk_UA.UTF-8"}), environment_locale({"LANGUAGE": "de:ru", "LANG": "de"})
    ('uk', 'ru')
    >>> environment_locale({"LANGUAGE": "ru", "LC_ALL": "C.UTF-8", "LANG": "ru_RU"}), environment_locale({})
    ('en', 'en')
    """
    locale = next((environ[name] for name in _SET_BY if environ.get(name)), "C")
    if locale.partition(".")[0] in ("C", "POSIX"):
        return "en"
    return best_locale([*environ.get("LANGUAGE", "").split(":"), locale])


@attrs.frozen
class Speaker:
    """Says the command's words to people in one language."""

    locale: str = "en"

    @property
    def english(self) -> bool:
        """Whether this is English, which shows names as they are."""
        return self.locale == "en"

    def __call__(self, template: str, **values: object) -> str:
        """*template* (a heading marked with :func:`said`) in this language, with its *values*."""
        return translated(template, self.locale).format(**values)

    def count(self, forms: tuple[str, str], count: int) -> str:
        """*count* in the form of *forms* it takes in this language."""
        return translated_count(*forms, count, self.locale).format(count=count)

    def term(self, term: Term) -> str:
        """A word of casestate's vocabulary: its name in English, its label in another language."""
        return str(term.value) if self.english else label(term, self.locale)

    def name(self, vocabulary: Vocabulary, name: str) -> str:
        """A status, role or trigger a workflow names: the name in English, its label in another language."""
        return name if self.english else label_name(vocabulary, name, self.locale)

    def reason(self, reason: Reason) -> str:
        """The message of *reason* in this language."""
        return message(reason, self.locale)


ENGLISH = Speaker()
"""English, as the commands have always spoken it."""


def _speaker(_context: click.Context, _parameter: click.Parameter, value: str | None) -> Speaker:
    return Speaker(environment_locale(os.environ) if value is None else value.lower())


lang_option = click.option(
    "--lang",
    "say",
    type=click.Choice(LOCALES, case_sensitive=False),
    callback=_speaker,
    help="The language of what is shown for people: statuses, fates, roles and evidence as their labels, "
    "and the reasons and headings (default: as LANGUAGE, LC_ALL, LC_MESSAGES or LANG say, else English). "
    "Codes and the JSON's fields stay as they are.",
)
