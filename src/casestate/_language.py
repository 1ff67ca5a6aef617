"""casestate's words in English, Russian and Ukrainian: labels, code descriptions, messages.

English is written here and in the messages' templates (``_reasons``); the
other languages are gettext catalogs shipped in the package
(``casestate/locale/<language>/LC_MESSAGES/casestate.mo``), compiled from
the ``.po`` files beside them, which ``tools/catalogs.py`` keeps in step
with the code. Every function takes the language it answers in: nothing
here is set for a whole process, so threads serving a Russian and a
Ukrainian reader at once each get their own.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Iterable
from enum import Enum
from functools import cache
from importlib.resources import files
from typing import Literal, get_args

from ._actors import Role
from ._change import DISMISS, OPEN
from ._entry import EntryKind
from ._errors import CasestateError
from ._evidence import EvidenceKind, Tier
from ._status import Assurance, Fate, Status, Whereabouts
from ._verdict import Code, Outcome, Reason
from ._words import Name, Names, counted, labelled, render, said

LOCALES: tuple[str, ...] = ("en", "ru", "uk")
"""The languages casestate speaks: English (its own), Russian and Ukrainian."""

DOMAIN = "casestate"
"""The gettext domain of casestate's catalogs."""

Term = Status | Fate | Whereabouts | Assurance | Tier | EvidenceKind | Role | EntryKind | Outcome
"""A word of casestate's vocabulary that has a label."""

Vocabulary = Literal[
    "status",
    "fate",
    "whereabouts",
    "assurance",
    "tier",
    "evidence kind",
    "role",
    "entry kind",
    "outcome",
    "trigger",
    "timer",
]
"""A kind of name that has labels: each is the context of its labels in the catalogs."""

VOCABULARIES: tuple[Vocabulary, ...] = get_args(Vocabulary)
"""Every kind of name that has labels, in the order the reference lists them."""


class UnknownLocale(CasestateError, ValueError):
    """A language casestate has no words in."""


class MissingCatalog(CasestateError, LookupError):
    """A catalog the installed package should hold and does not: a broken installation."""


# The labels, by vocabulary: what a person reads for each name. Each is a
# gettext message in the context of its vocabulary (``pgettext``), so that
# "dead", a status, and "dead", a fate, may be said apart.

_STATUSES: dict[str, str] = {
    Status.MISSING: labelled("status", "missing"),
    Status.CAPTURED: labelled("status", "captured"),
    Status.WOUNDED: labelled("status", "wounded or sick"),
    Status.DEAD: labelled("status", "dead"),
    Status.CONFIRMED: labelled("status", "fate established"),
    Status.REPATRIATED: labelled("status", "returned"),
}
_FATES: dict[str, str] = {
    Fate.UNKNOWN: labelled("fate", "unknown"),
    Fate.ALIVE: labelled("fate", "alive"),
    Fate.DEAD: labelled("fate", "dead"),
}
_WHEREABOUTS: dict[str, str] = {
    Whereabouts.UNKNOWN: labelled("whereabouts", "unknown"),
    Whereabouts.HELD: labelled("whereabouts", "held by the other party"),
    Whereabouts.HOME: labelled("whereabouts", "under the home side's control"),
}
_ASSURANCES: dict[str, str] = {
    Assurance.REPORTED: labelled("assurance", "reported"),
    Assurance.DOCUMENTED: labelled("assurance", "documented"),
    Assurance.IDENTIFIED: labelled("assurance", "identified"),
}
_TIERS: dict[str, str] = {
    str(Tier.IDENTIFICATION.value): labelled("tier", "scientific identification"),
    str(Tier.OFFICIAL.value): labelled("tier", "official document"),
    str(Tier.CIRCUMSTANTIAL.value): labelled("tier", "circumstantial"),
    str(Tier.UNVERIFIED.value): labelled("tier", "unverified"),
}
_EVIDENCE_KINDS: dict[str, str] = {
    EvidenceKind.DNA_MATCH: labelled("evidence kind", "DNA match"),
    EvidenceKind.FINGERPRINTS: labelled("evidence kind", "fingerprints"),
    EvidenceKind.DENTAL_COMPARISON: labelled("evidence kind", "dental comparison"),
    EvidenceKind.COURT_DECISION: labelled("evidence kind", "court decision"),
    EvidenceKind.DEATH_CERTIFICATE: labelled("evidence kind", "death certificate"),
    EvidenceKind.CAPTURE_CARD: labelled("evidence kind", "capture card"),
    EvidenceKind.INFORMATION_BUREAU_NOTICE: labelled("evidence kind", "information bureau notice"),
    EvidenceKind.ICRC_CONFIRMATION: labelled("evidence kind", "ICRC confirmation"),
    EvidenceKind.PRISONER_LIST: labelled("evidence kind", "list of prisoners"),
    EvidenceKind.EXCHANGE_LIST: labelled("evidence kind", "exchange list"),
    EvidenceKind.RELEASE_LIST: labelled("evidence kind", "release list"),
    EvidenceKind.HANDOVER_RECORD: labelled("evidence kind", "record of the handover of remains"),
    EvidenceKind.IDENTITY_DISC: labelled("evidence kind", "identity disc"),
    EvidenceKind.GRAVE_LIST: labelled("evidence kind", "list of graves"),
    EvidenceKind.MISSING_REGISTER: labelled("evidence kind", "register of missing persons"),
    EvidenceKind.UNIT_NOTIFICATION: labelled("evidence kind", "notification by the unit"),
    EvidenceKind.WITNESS_STATEMENT: labelled("evidence kind", "witness statement"),
    EvidenceKind.MEDICAL_RECORD: labelled("evidence kind", "medical record"),
    EvidenceKind.PHYSICAL_DESCRIPTION: labelled("evidence kind", "physical description"),
    EvidenceKind.PERSONAL_EFFECTS: labelled("evidence kind", "personal effects"),
    EvidenceKind.VIDEO: labelled("evidence kind", "video"),
    EvidenceKind.PHOTO: labelled("evidence kind", "photo"),
    EvidenceKind.SOCIAL_MEDIA_POST: labelled("evidence kind", "social media post"),
    EvidenceKind.PICTURE_RECOGNITION: labelled("evidence kind", "recognised in a picture"),
    EvidenceKind.ANONYMOUS_CALL: labelled("evidence kind", "anonymous call"),
    EvidenceKind.OTHER: labelled("evidence kind", "other"),
}
_ROLES: dict[str, str] = {
    Role.FAMILY: labelled("role", "family"),
    Role.NGO: labelled("role", "NGO"),
    Role.UNIT: labelled("role", "military unit"),
    Role.MINISTRY: labelled("role", "ministry"),
    Role.ICRC: labelled("role", "ICRC"),
    Role.FORENSIC_LAB: labelled("role", "forensic laboratory"),
    Role.COURT: labelled("role", "court"),
}
_ENTRY_KINDS: dict[str, str] = {
    EntryKind.OPENED: labelled("entry kind", "case opened"),
    EntryKind.TRANSITION: labelled("entry kind", "status changed"),
    EntryKind.CORROBORATION: labelled("entry kind", "corroborating report"),
    EntryKind.CONFLICT: labelled("entry kind", "conflicting report"),
    EntryKind.EARLIER_PERIOD: labelled("entry kind", "late report of an earlier period"),
    EntryKind.DISMISSAL: labelled("entry kind", "conflicts dismissed"),
    EntryKind.FACT: labelled("entry kind", "legal fact"),
}
_OUTCOMES: dict[str, str] = {
    Outcome.TRANSITION: labelled("outcome", "status changes"),
    Outcome.CORROBORATION: labelled("outcome", "corroborates the case"),
    Outcome.CONFLICT: labelled("outcome", "kept as a conflict"),
    Outcome.EARLIER_PERIOD: labelled("outcome", "tells an earlier period"),
    Outcome.DISMISSAL: labelled("outcome", "conflicts dismissed"),
    Outcome.FACT: labelled("outcome", "legal fact recorded"),
    Outcome.REJECTED: labelled("outcome", "rejected"),
    Outcome.ALREADY_STORED: labelled("outcome", "already stored"),
}
_TRIGGERS: dict[str, str] = {
    OPEN: labelled("trigger", "opening of the case"),
    "report_captured": labelled("trigger", "report of capture"),
    "report_wounded": labelled("trigger", "report of wounds or sickness"),
    "report_dead": labelled("trigger", "report of death"),
    "confirm": labelled("trigger", "confirmation of the fate"),
    "declare_dead": labelled("trigger", "declaration of death"),
    "repatriate": labelled("trigger", "return"),
    "retract": labelled("trigger", "withdrawal of a report"),
    "reopen": labelled("trigger", "reopening"),
    "notify_death": labelled("trigger", "notification of death"),
    "report_missing": labelled("trigger", "report that the person is still missing"),
    "recognise_missing": labelled("trigger", "recognition as missing"),
    "report_remains_held": labelled("trigger", "report of remains held, not returned"),
    DISMISS: labelled("trigger", "dismissal of conflicts"),
}
"""The default workflow's triggers (``recognise_missing`` records a legal fact), ``open``, ``dismiss``."""
_TIMERS: dict[str, str] = {
    "capture_card_overdue": labelled("timer", "capture card overdue"),
    "may_be_recognised_missing": labelled("timer", "may be recognised as missing"),
    "may_be_declared_dead": labelled("timer", "may be declared dead"),
    "court_may_shorten_to_declare_dead": labelled("timer", "a court may declare dead sooner"),
}
"""The timers casestate ships (``GENEVA_CONVENTIONS``, ``RUSSIA_CIVIL_CODE``, ``RUSSIA_120FZ``...)."""

_LABELS: dict[Vocabulary, dict[str, str]] = {
    "status": _STATUSES,
    "fate": _FATES,
    "whereabouts": _WHEREABOUTS,
    "assurance": _ASSURANCES,
    "tier": _TIERS,
    "evidence kind": _EVIDENCE_KINDS,
    "role": _ROLES,
    "entry kind": _ENTRY_KINDS,
    "outcome": _OUTCOMES,
    "trigger": _TRIGGERS,
    "timer": _TIMERS,
}
"""Every label, by the vocabulary it belongs to (the catalogs' context) and name."""

_VOCABULARY_OF: dict[type[Enum], Vocabulary] = {
    Status: "status",
    Fate: "fate",
    Whereabouts: "whereabouts",
    Assurance: "assurance",
    Tier: "tier",
    EvidenceKind: "evidence kind",
    Role: "role",
    EntryKind: "entry kind",
    Outcome: "outcome",
}

_DESCRIPTIONS: dict[Code, str] = {
    Code.UNKNOWN_TRIGGER: labelled("code", "The workflow has no trigger of that name."),
    Code.UNKNOWN_ROLE: labelled("code", "The actor's role is not one the workflow knows."),
    Code.ROLE_NOT_PERMITTED: labelled("code", "The actor's role may not fire this trigger."),
    Code.UNKNOWN_EVIDENCE_KIND: labelled(
        "code", "A piece of evidence is of a kind neither built in nor declared by the workflow."
    ),
    Code.EVIDENCE_REQUIRED: labelled("code", "The trigger needs evidence and the change carries none."),
    Code.EVIDENCE_INSUFFICIENT: labelled(
        "code", "No piece of the evidence is of a kind or tier the trigger accepts."
    ),
    Code.EVIDENCE_CONTRADICTS_FATE: labelled(
        "code",
        "A piece of the evidence speaks for the other fate (a death certificate to confirm a prisoner).",
    ),
    Code.EVIDENCE_AFTER_RECORDED: labelled(
        "code", "A piece of evidence was obtained after the change was recorded."
    ),
    Code.EVIDENCE_BEFORE_EVENT: labelled(
        "code",
        "A document or identification obtained before the event it attests: an error or a forgery.",
    ),
    Code.REASON_REQUIRED: labelled("code", "The trigger needs a written reason and the change has none."),
    Code.TIME_GOES_BACKWARDS: labelled(
        "code", "Recorded earlier than the case's last entry: the trail is append-only."
    ),
    Code.RECORDED_IN_FUTURE: labelled(
        "code", "Recorded after the now the app passed: most often a mistyped year."
    ),
    Code.EFFECTIVE_AFTER_RECORDED: labelled(
        "code", "The fact is said to happen after the case holder learned of it."
    ),
    Code.EARLIER_THAN_CURRENT: labelled(
        "code",
        "The fact happened before the current status took effect (a report is kept as a conflict).",
    ),
    Code.ILLEGAL_TRANSITION: labelled(
        "code",
        "The trigger does not lead anywhere from the current status (a report is kept as a conflict).",
    ),
    Code.RIVAL_REPORT: labelled(
        "code",
        "Another report, on evidence as strong, contradicts this one (about the same instant, or about "
        "another day when neither could have followed the other): neither holds until a person settles "
        "it (both are kept as conflicts).",
    ),
    Code.OUTWEIGHED: labelled(
        "code",
        "Another report, on stronger evidence, contradicts this one (about the same instant, or about "
        "another day when neither could have followed the other): it holds, and this one is kept as a "
        "conflict.",
    ),
    Code.WAITING_PERIOD_NOT_ELAPSED: labelled(
        "code", "The legal waiting period in the current status has not passed yet."
    ),
    Code.UNKNOWN_CONFLICT: labelled(
        "code", "The change resolves an entry that is not an open conflict of the case."
    ),
    Code.RESOLVES_REQUIRED: labelled("code", "A dismissal must name the conflict entries it dismisses."),
    Code.RESOLVES_NOT_ALLOWED: labelled(
        "code", "A report kept as a conflict cannot resolve other conflicts."
    ),
    Code.UNKNOWN_CASE: labelled("code", "A change to a case that was never opened (in a batch check)."),
    Code.CASE_EXISTS: labelled("code", "An opening for a case that is already open (in a batch check)."),
    Code.SOURCE_ID_REUSED: labelled(
        "code",
        "The change's source id is taken, in its case, by a different change: a source id names one change.",
    ),
}
"""What each code means, for a person: the descriptions ``Code``'s reference shows too."""

_QUOTED = labelled("quoted name", "'{name}'")
"""How a message quotes a label: each language with its own quotation marks."""
_OR = said(" or ")
"""Between the last two of names any one of which will do ("evidence of kind a or b")."""
_DAYS = counted("{count} day", "{count} days")
"""A number of days, in the plural form the number takes."""

_TAG = re.compile(r"[A-Za-z]+")


def language_of(locale: str) -> str:
    """The language casestate speaks for *locale*: ``"ru"`` for ``"ru"``, ``"ru-RU"`` or ``"ru_RU.UTF-8"``.

    An :class:`UnknownLocale` names the languages casestate speaks.

    >>> language_of("uk_UA.UTF-8"), language_of("EN-gb")
    ('uk', 'en')
    """
    found = _TAG.match(locale) if isinstance(locale, str) else None
    language = found.group().lower() if found else ""
    if language not in LOCALES:
        known = ", ".join(LOCALES)
        raise UnknownLocale(f"casestate has no words in {locale!r}; it speaks: {known}")
    return language


def best_locale(preferences: Iterable[str]) -> str:
    """The first language of *preferences* (tags such as ``"uk-UA"``) casestate speaks; English otherwise.

    >>> best_locale(["de-DE", "uk", "en"]), best_locale(["fr"])
    ('uk', 'en')
    """
    for tag in preferences:
        found = _TAG.match(tag)
        language = found.group().lower() if found else ""
        if language in LOCALES:
            return language
    return "en"


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of *language* (one of :data:`LOCALES`), read once; English needs none."""
    if language == "en":
        return gettext.NullTranslations()
    path = files("casestate").joinpath("locale", language, "LC_MESSAGES", f"{DOMAIN}.mo")
    try:
        data = path.read_bytes()
    except OSError as error:
        where = f"casestate/locale/{language}/LC_MESSAGES/{DOMAIN}.mo"
        msg = f"the installed casestate lacks its {language!r} catalog ({where}: {error}); reinstall it"
        raise MissingCatalog(msg) from None
    return gettext.GNUTranslations(io.BytesIO(data))


class _Translated:
    """A language other than English, as its catalog says it: names as their labels, quoted."""

    def __init__(self, language: str) -> None:
        self._catalog = catalog(language)

    def template(self, english: str) -> str:
        return self._catalog.gettext(english)

    def name(self, name: Name) -> str:
        english = _LABELS.get(name.vocabulary, {}).get(name.name)  # type: ignore[call-overload]
        said = name.name if english is None else self._catalog.pgettext(name.vocabulary, english)
        return self._catalog.pgettext("quoted name", _QUOTED).format(name=said)

    def names(self, names: Names) -> str:
        quoted = [self.name(Name(names.vocabulary, name)) for name in names.names]
        return (self._catalog.gettext(_OR) if names.either else ", ").join(quoted)

    def days(self, count: int) -> str:
        return self._catalog.ngettext(*_DAYS, count).format(count=count)


@cache
def _voice(language: str) -> _Translated:
    return _Translated(language)


def label(term: Term, locale: str = "en") -> str:
    """The label of *term*, a word of casestate's vocabulary, in the language of *locale*.

    >>> from casestate import Fate, Status
    >>> label(Status.MISSING, "uk"), label(Fate.ALIVE, "ru"), label(Status.CONFIRMED)
    ('зниклий безвісти за особливих обставин', 'жив', 'fate established')
    """
    vocabulary = _VOCABULARY_OF.get(type(term))
    if vocabulary is None:
        msg = f"casestate has no labels for {type(term).__name__} values such as {term!r}"
        raise TypeError(msg)
    return label_name(vocabulary, str(term.value), locale)


def label_name(vocabulary: Vocabulary, name: str, locale: str = "en") -> str:
    """The label of *name*, one of *vocabulary* (a status, a role, a trigger...), in the language of *locale*.

    Workflows and timers name statuses, roles, triggers and timers as plain
    strings, and an app may add its own: a name casestate has no label for
    is its own label.

    >>> label_name("trigger", "declare_dead", "ru"), label_name("status", "released", "uk")
    ('объявление умершим', 'released')
    """
    language = language_of(locale)
    english = _vocabulary(vocabulary).get(name)
    if english is None:
        return name
    return catalog(language).pgettext(vocabulary, english)


def labels(vocabulary: Vocabulary, locale: str = "en") -> dict[str, str]:
    """Every label of *vocabulary* casestate has, by name, in the language of *locale*.

    >>> labels("assurance", "ru")
    {'reported': 'по сообщениям', 'documented': 'подтверждено документами', 'identified': 'идентифицирован'}
    """
    language = language_of(locale)
    return {
        str(name): catalog(language).pgettext(vocabulary, english)
        for name, english in _vocabulary(vocabulary).items()
    }


def _vocabulary(vocabulary: Vocabulary) -> dict[str, str]:
    try:
        return _LABELS[vocabulary]
    except (KeyError, TypeError):
        known = ", ".join(VOCABULARIES)
        msg = f"casestate has no labels of {vocabulary!r}; it has labels of: {known}"
        raise ValueError(msg) from None


def describe(code: Code, locale: str = "en") -> str:
    """What *code* means, for a person, in the language of *locale*.

    >>> from casestate import Code
    >>> describe(Code.UNKNOWN_ROLE, "uk")
    'Роль учасника не передбачена порядком ведення справи.'
    """
    return catalog(language_of(locale)).pgettext("code", _DESCRIPTIONS[Code(code)])


def translated(text: str, locale: str = "en", *, context: str | None = None) -> str:
    """*text*, English, as casestate's catalogs say it in the language of *locale*.

    For a program that shows casestate's own words through its catalogs (the
    command line does, for its headings); a text the catalogs do not hold is
    itself. Labels, descriptions and messages have functions of their own.

    >>> translated("fate established", "uk", context="status"), translated("no such text", "ru")
    ('долю встановлено', 'no such text')
    """
    found = catalog(language_of(locale))
    return found.gettext(text) if context is None else found.pgettext(context, text)


def translated_count(singular: str, plural: str, count: int, locale: str = "en") -> str:
    """The form of *singular* or *plural* (English) the number *count* takes in the language of *locale*.

    >>> translated_count("{count} day", "{count} days", 3, "ru").format(count=3)
    '3 дня'
    """
    return catalog(language_of(locale)).ngettext(singular, plural, count)


def message(reason: Reason, locale: str = "en") -> str:
    """The message of *reason* in the language of *locale*: English is :attr:`Reason.message` itself.

    Names of casestate's vocabulary in it are shown as their labels, quoted;
    times, case ids and numbers as they are.
    """
    language = language_of(locale)
    if reason.phrase is None or language == "en":
        return reason.message
    return render(reason.phrase, _voice(language))
