r"""casestate's text: the words it shows people, in their language, and the rules for text it holds.

**Words for people.** Every label (a status, a fate, an evidence kind, a
role...), every code's description and every reason's message can be had in
English, Russian or Ukrainian (:data:`LOCALES`). Each function takes the
language it answers in, as a locale (``"uk"``, ``"ru-RU"``,
``"uk_UA.UTF-8"``): nothing is set for a whole process, so one server may
answer a family in Ukrainian and a ministry in Russian at once. English is
the default, and a reason's English message is :attr:`casestate.Reason.message`
itself.

>>> import casestate as cs
>>> from casestate.text import describe, label, label_name, message
>>> label(cs.Status.MISSING, "ru"), label(cs.Whereabouts.HELD, "uk")
('пропавший без вести', 'утримується іншою стороною')
>>> label_name("role", "icrc", "uk"), label_name("status", "released", "ru")
('МКЧХ', 'released')
>>> describe(cs.Code.WAITING_PERIOD_NOT_ELAPSED, "ru")
'Установленный законом срок ожидания в текущем статусе ещё не истёк.'

A reason names the statuses, roles and evidence kinds it speaks of by their
labels, quoted; times and case ids stay as they are:

>>> from datetime import UTC, datetime
>>> court = cs.Actor("district-court-7", cs.Role.COURT)
>>> case = cs.DEFAULT_WORKFLOW.open("ua-0173", actor=court, effective_at=datetime(2024, 3, 1, tzinfo=UTC),
...                                 recorded_at=datetime(2024, 3, 2, tzinfo=UTC))
>>> verdict = cs.DEFAULT_WORKFLOW.check(case, cs.Change(
...     trigger="declare_dead", actor=court, effective_at=datetime(2024, 4, 1, tzinfo=UTC),
...     recorded_at=datetime(2024, 4, 2, tzinfo=UTC)))
>>> for reason in verdict.reasons:
...     print(reason.code, message(reason, "uk"), sep=": ")
evidence_required: для дії «оголошення померлим» потрібен доказ виду «рішення суду»
waiting_period_not_elapsed: дія «оголошення померлим» можлива не раніше ніж через 183 дні
  у статусі «зниклий безвісти за особливих обставин»; справа перебуває в цьому статусі 31 день
>>> verdict.reasons[1].message
"declare_dead needs 183 days in 'missing'; the case has been there 31 days"

**Text a case may hold.** casestate refuses, where it comes in and with the
field named, any text that a UTF-8 file, SQLite or PostgreSQL could not hold
(a lone surrogate, a NUL character). A store, a reader of another format or
a command line that takes text in applies the same rules through these
functions, and shows text it read through :func:`printable`:

>>> from casestate.text import is_storable, printable, storable_problem
>>> is_storable("Іван"), is_storable("a\x00b")
(True, False)
>>> storable_problem("ua-1\ud800")
"not valid Unicode: a lone surrogate ('\\ud800') at character 5"
>>> printable("note\x1b[31m")
'note\\x1b[31m'
"""

from ._errors import publish as _publish
from ._language import (
    LOCALES,
    VOCABULARIES,
    MissingCatalog,
    Term,
    UnknownLocale,
    Vocabulary,
    best_locale,
    describe,
    label,
    label_name,
    labels,
    language_of,
    message,
    translated,
    translated_count,
)
from ._text import check_storable, is_storable, is_text, is_valid_unicode, printable, storable_problem

__all__ = [
    "LOCALES",
    "VOCABULARIES",
    "MissingCatalog",
    "Term",
    "UnknownLocale",
    "Vocabulary",
    "best_locale",
    "check_storable",
    "describe",
    "is_storable",
    "is_text",
    "is_valid_unicode",
    "label",
    "label_name",
    "labels",
    "language_of",
    "message",
    "printable",
    "storable_problem",
    "translated",
    "translated_count",
]

_publish(__name__, globals(), __all__)
