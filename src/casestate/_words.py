"""Text for people, kept as what it says so that it can be said in another language.

A refusal's message is a :class:`Phrase`: a template (the English text, with
named placeholders, as the catalogs hold it) and its values. Names of
casestate's vocabulary (a status, a role, an evidence kind) are kept as
:class:`Name` values, so that a language can show them in its own words,
while English shows the names themselves, as casestate always has. Text
that comes from a case or a feed (a case id, a time) is a plain string and
is shown as it is in every language.

The templates and labels are marked with :func:`said`, :func:`labelled` and
:func:`counted`, which return their text unchanged: ``tools/catalogs.py``
finds them there when it extracts the catalogs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, Protocol


def said(text: str) -> str:
    """Mark *text* as a template to translate; it is returned unchanged."""
    return text


def labelled(context: str, text: str) -> str:
    """Mark *text*, a label in *context* (``"status"``, ``"role"``...), to translate; returned unchanged."""
    del context  # read by the extraction only
    return text


def counted(singular: str, plural: str) -> tuple[str, str]:
    """Mark a text with a number in it, in its singular and plural forms, to translate."""
    return singular, plural


class Name(NamedTuple):
    """A name of casestate's vocabulary in a message: English shows the name, other languages its label.

    *vocabulary* is the kind of name (``"status"``, ``"role"``, ``"trigger"``,
    ``"evidence kind"``, ``"fate"``); *quoted* names are shown as ``repr``
    shows them in English (``'missing'``). (Named tuples, here and below: a
    refused change makes a few of them for each of its reasons.)
    """

    vocabulary: str
    name: str
    quoted: bool = True


class Names(NamedTuple):
    """Names of one vocabulary, in the order given, joined by commas (or by *or*, when *either*)."""

    vocabulary: str
    names: tuple[str, ...]
    either: bool = False


class Days(NamedTuple):
    """A number of days; English writes it ``"N days"`` whatever N, as casestate always has."""

    number: int


class Phrase(NamedTuple):
    """A text for people: an English *template* with ``{placeholders}``, and their values.

    >>> retract = Name("trigger", "retract", quoted=False)
    >>> Phrase("{trigger} needs a written reason", (("trigger", retract),)).english
    'retract needs a written reason'
    """

    template: str
    args: tuple[tuple[str, Value], ...] = ()

    @property
    def english(self) -> str:
        """The phrase in English, as casestate's messages have always read."""
        return english(self.template, self.args)


class Listed(NamedTuple):
    """Phrases joined by commas (the evidence a change was given)."""

    phrases: tuple[Phrase, ...]


Value = str | int | Name | Names | Days | Phrase | Listed
"""What a placeholder of a :class:`Phrase` may hold."""


def english(template: str, args: Iterable[tuple[str, Value]]) -> str:
    """*template* with *args* in English: the names as they are, as casestate's messages always read.

    Every refused change builds its messages in English, so this is the
    short way, with no catalog to ask; :func:`render` says a phrase in
    another language.
    """
    return template.format_map(
        {key: value if type(value) is str else _in_english(value) for key, value in args}
    )


def _in_english(value: Value) -> str:
    if isinstance(value, Name):
        return repr(str(value.name)) if value.quoted else value.name
    if isinstance(value, Names):
        return (" or " if value.either else ", ").join(value.names)
    if isinstance(value, Days):
        return f"{value.number} days"
    if isinstance(value, Phrase):
        return english(value.template, value.args)
    if isinstance(value, Listed):
        return ", ".join(english(phrase.template, phrase.args) for phrase in value.phrases)
    return str(value)


class Voice(Protocol):
    """How one language says a :class:`Phrase`'s template and the names and numbers in it."""

    def template(self, english: str) -> str:
        """The template in this language."""

    def name(self, name: Name) -> str:
        """A name of the vocabulary, as shown inside a message."""

    def names(self, names: Names) -> str:
        """Names of one vocabulary, joined."""

    def days(self, count: int) -> str:
        """A number of days."""


def render(phrase: Phrase, voice: Voice) -> str:
    """*phrase* in the language *voice* speaks."""
    if not phrase.args:
        return voice.template(phrase.template)
    values = {key: _shown(value, voice) for key, value in phrase.args}
    return voice.template(phrase.template).format_map(values)


def _shown(value: Value, voice: Voice) -> str:  # noqa: PLR0911 - one answer for each kind of value
    if isinstance(value, str):
        return value
    if isinstance(value, Name):
        return voice.name(value)
    if isinstance(value, Names):
        return voice.names(value)
    if isinstance(value, Days):
        return voice.days(value.number)
    if isinstance(value, Phrase):
        return render(value, voice)
    if isinstance(value, Listed):
        return ", ".join(render(phrase, voice) for phrase in value.phrases)
    return str(value)
