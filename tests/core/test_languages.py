"""casestate in English, Russian and Ukrainian: every label, description and message, in every language."""

from __future__ import annotations

import gettext
import string
import threading
from datetime import UTC, datetime, timedelta
from enum import Enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

import casestate as cs
from casestate import _language, _reasons
from casestate._words import Listed, Phrase
from casestate.testing import attempts, cases
from casestate.text import (
    LOCALES,
    VOCABULARIES,
    MissingCatalog,
    UnknownLocale,
    best_locale,
    describe,
    label,
    label_name,
    labels,
    language_of,
    message,
)
from support import tool

catalogs = tool("catalogs")

TRANSLATED = [locale for locale in LOCALES if locale != "en"]
ENUMS: list[type[Enum]] = [
    cs.Status,
    cs.Fate,
    cs.Whereabouts,
    cs.Assurance,
    cs.Tier,
    cs.EvidenceKind,
    cs.Role,
    cs.EntryKind,
    cs.Outcome,
]
TERMS = [term for enum in ENUMS for term in enum]
TIMERS = cs.GENEVA_CONVENTIONS + cs.RUSSIA_CIVIL_CODE + cs.RUSSIA_120FZ + cs.UKRAINE
T0 = datetime(2024, 3, 1, 6, 30, tzinfo=UTC)


def _is_said(text: str) -> bool:
    return bool(text.strip()) and text == text.strip()


# Labels and descriptions.


@pytest.mark.parametrize("locale", TRANSLATED)
@pytest.mark.parametrize("term", TERMS, ids=lambda term: f"{type(term).__name__}.{term.name}")
def test_every_term_has_its_own_label_in_each_language(term, locale) -> None:
    said = label(term, locale)
    assert _is_said(said)
    assert said != label(term)  # translated, not the English fallen through


@pytest.mark.parametrize("term", TERMS, ids=lambda term: f"{type(term).__name__}.{term.name}")
def test_every_term_has_an_english_label(term) -> None:
    assert _is_said(label(term, "en"))
    assert label(term) == label(term, "en")


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
def test_the_labels_of_a_vocabulary_are_its_members_no_more(enum) -> None:
    vocabulary = _language._VOCABULARY_OF[enum]
    assert set(labels(vocabulary)) == {str(term.value) for term in enum}


@pytest.mark.parametrize("locale", TRANSLATED)
@pytest.mark.parametrize("code", list(cs.Code), ids=lambda code: code.value)
def test_every_code_has_a_description_in_each_language(code, locale) -> None:
    said = describe(code, locale)
    assert _is_said(said)
    assert said != describe(code)
    assert said.endswith(".")


def test_every_code_has_an_english_description_and_no_other_has_one() -> None:
    assert set(_language._DESCRIPTIONS) == set(cs.Code)
    assert describe(cs.Code.UNKNOWN_TRIGGER) == "The workflow has no trigger of that name."
    assert describe("case_exists") == "An opening for a case that is already open (in a batch check)."  # type: ignore[arg-type]


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_trigger_of_the_default_workflow_has_a_label(locale) -> None:
    triggers = [*cs.DEFAULT_WORKFLOW.triggers, cs.OPEN, cs.DISMISS]
    assert set(labels("trigger")) == set(triggers)
    for trigger in triggers:
        said = label_name("trigger", trigger, locale)
        assert _is_said(said)
        assert said not in (trigger, label_name("trigger", trigger))


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_timer_casestate_ships_has_a_label(locale) -> None:
    assert set(labels("timer")) == {timer.name for timer in TIMERS}
    for timer in TIMERS:
        assert label_name("timer", timer.name, locale) not in (timer.name, label_name("timer", timer.name))


def test_the_legal_terms_are_the_laws_and_the_icrcs() -> None:
    # The words families and officials read on their papers, not renderings of the English.
    assert label(cs.Status.MISSING, "ru") == "пропавший без вести"
    assert label(cs.Status.MISSING, "uk") == "зниклий безвісти за особливих обставин"
    assert label(cs.Status.CAPTURED, "ru") == "в плену"
    assert label(cs.Status.DEAD, "uk") == "загиблий (померлий)"
    assert label_name("trigger", "declare_dead", "ru") == "объявление умершим"
    assert label_name("trigger", "recognise_missing", "uk") == "визнання безвісно відсутнім"
    assert label(cs.EvidenceKind.CAPTURE_CARD, "ru") == "карточка о взятии в плен"
    assert label(cs.EvidenceKind.HANDOVER_RECORD, "uk") == "акт передачі тіла (останків)"
    assert label(cs.Role.ICRC, "ru") == "МККК"
    assert label(cs.Role.ICRC, "uk") == "МКЧХ"


def test_a_status_fate_and_whereabouts_of_the_same_name_each_have_their_own_label() -> None:
    assert label(cs.Status.DEAD, "ru") == "погибший (умерший)"
    assert label(cs.Fate.DEAD, "ru") == "погиб (умер)"
    assert label(cs.Fate.UNKNOWN, "uk") != label(cs.Whereabouts.UNKNOWN, "uk")


def test_a_name_casestate_has_no_label_for_is_its_own_label() -> None:
    assert label_name("status", "released", "uk") == "released"
    assert label_name("role", "hotline", "ru") == "hotline"


def test_labels_of_a_vocabulary_come_in_the_language_asked() -> None:
    assert labels("fate", "uk") == {"unknown": "невідома", "alive": "живий", "dead": "загинув (помер)"}
    assert set(VOCABULARIES) == set(_language._LABELS)


def test_a_vocabulary_casestate_has_no_labels_of_is_refused_naming_those_it_has() -> None:
    with pytest.raises(ValueError, match=r"no labels of 'statuses'; it has labels of: status, fate"):
        labels("statuses", "ru")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no labels of 'colour'"):
        label_name("colour", "red")  # type: ignore[arg-type]


def test_a_value_that_is_no_term_is_refused() -> None:
    with pytest.raises(TypeError, match="no labels for str values such as 'missing'"):
        label("missing", "ru")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="no labels for Code values"):
        label(cs.Code.CASE_EXISTS, "ru")  # type: ignore[arg-type]


# Locales.


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("ru", "ru"),
        ("ru-RU", "ru"),
        ("ru_RU.UTF-8", "ru"),
        ("UK_ua", "uk"),
        ("uk@euro", "uk"),
        ("en-GB", "en"),
    ],
)
def test_a_locale_is_read_for_its_language(locale, language) -> None:
    assert language_of(locale) == language
    assert label(cs.Status.WOUNDED, locale) == label(cs.Status.WOUNDED, language)


@pytest.mark.parametrize("locale", ["de", "", "C", "_ru", "russian", 7])
def test_a_locale_casestate_does_not_speak_is_refused_naming_those_it_does(locale) -> None:
    with pytest.raises(UnknownLocale, match=r"it speaks: en, ru, uk") as refused:
        describe(cs.Code.CASE_EXISTS, locale)
    assert isinstance(refused.value, ValueError)
    assert isinstance(refused.value, cs.CasestateError)


def test_the_best_locale_is_the_first_casestate_speaks_and_english_otherwise() -> None:
    assert best_locale(["de-DE", "uk-UA", "ru"]) == "uk"
    assert best_locale(["fr", "C.UTF-8", ""]) == "en"
    assert best_locale([]) == "en"


def test_a_missing_catalog_is_a_broken_installation_said_so(monkeypatch) -> None:
    class Nowhere:
        def joinpath(self, *_parts):
            return self

        def read_bytes(self):
            raise FileNotFoundError(2, "No such file or directory")

    _language.catalog.cache_clear()
    _language._voice.cache_clear()
    monkeypatch.setattr(_language, "files", lambda _package: Nowhere())
    try:
        with pytest.raises(
            MissingCatalog, match=r"lacks its 'uk' catalog \(casestate/locale/uk/LC_MESSAGES/casestate.mo"
        ):
            label(cs.Status.MISSING, "uk")
        assert label(cs.Status.MISSING, "en") == "missing"  # English needs no catalog
    finally:
        _language.catalog.cache_clear()
        _language._voice.cache_clear()


def test_no_language_is_set_for_the_process_and_threads_each_get_their_own() -> None:
    domain = gettext.textdomain()
    said: dict[str, list[str]] = {locale: [] for locale in LOCALES}
    start = threading.Barrier(len(LOCALES))

    def speak(locale: str) -> None:
        start.wait()
        for _ in range(200):
            said[locale].append(label(cs.Status.CAPTURED, locale))

    threads = [threading.Thread(target=speak, args=(locale,)) for locale in LOCALES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {locale: set(words) for locale, words in said.items()} == {
        "en": {"captured"},
        "ru": {"в плену"},
        "uk": {"у полоні"},
    }
    assert gettext.textdomain() == domain


# Messages.


def _sample_reasons() -> list[cs.Reason]:
    """One reason of every message casestate says, each kind of value in it."""
    roles = frozenset({"court", "icrc", "ministry"})
    card = cs.Evidence("capture_card", "CC-1", "ICRC", T0)
    video = cs.Evidence("video", "https://t.me/1", "channel", T0)
    kinds = cs.EvidenceRule(max_tier=cs.Tier.OFFICIAL, kinds={"exchange_list", "handover_record"}).phrase()
    return [
        _reasons.illegal_transition("confirm", "missing", frozenset({"captured", "dead"})),
        _reasons.unknown_role("spy", frozenset({"family", "court"})),
        _reasons.role_not_permitted("family", "confirm", roles, False),
        _reasons.role_not_permitted("family", "retract", roles, True),
        _reasons.role_not_permitted("court", "withdraw", frozenset(), True),
        _reasons.reporter_overruled("retract", frozenset({"icrc"}), roles),
        _reasons.reporter_reaches_past("retract", "captured", roles),
        _reasons.may_not_dismiss("family", roles),
        _reasons.may_not_resolve("unit", roles),
        _reasons.unknown_trigger("confrim", cs.DEFAULT_WORKFLOW.triggers),
        _reasons.unknown_evidence_kind("unit_form_5", cs.BUILT_IN_KINDS),
        _reasons.evidence_refused("declare_dead", kinds, (), cs.BUILT_IN_KINDS),
        _reasons.evidence_refused("report_dead", cs.ANY_EVIDENCE.phrase(), (), cs.BUILT_IN_KINDS),
        _reasons.evidence_refused(
            "confirm", cs.EvidenceRule(max_tier=cs.Tier.OFFICIAL).phrase(), (video, card), cs.BUILT_IN_KINDS
        ),
        _reasons.evidence_refused(
            "confirm",
            cs.EvidenceRule(max_tier=cs.Tier.OFFICIAL).phrase(),
            (cs.Evidence("unit_form_5", "F5-1", "unit", T0),),
            cs.BUILT_IN_KINDS,
        ),
        _reasons.evidence_contradicts_fate(cs.BUILT_IN_KINDS["death_certificate"], "confirm", "alive"),
        _reasons.effective_after_recorded(T0 + timedelta(days=1), T0),
        _reasons.recorded_in_future(T0, T0 - timedelta(hours=1)),
        _reasons.evidence_after_recorded(cs.EvidenceKind.PHOTO, T0, T0 - timedelta(days=1)),
        _reasons.evidence_before_event(cs.EvidenceKind.DNA_MATCH, T0, T0 + timedelta(days=1)),
        _reasons.time_goes_backwards(T0, T0 + timedelta(days=2)),
        _reasons.earlier_than_current(T0, "dead", T0 + timedelta(days=2)),
        _reasons.rival_report(3, "dead", T0, T0),
        _reasons.rival_report(3, "dead", T0, T0 + timedelta(days=2)),
        _reasons.outweighed(3, "captured", T0, T0, cs.Assurance.DOCUMENTED),
        _reasons.outweighed(3, "captured", T0, T0 - timedelta(days=2), cs.Assurance.DOCUMENTED),
        *(
            _reasons.waiting_period_not_elapsed("declare_dead", 183, "missing", days)
            for days in (1, 2, 5, 11, 21, 22)
        ),
        _reasons.unknown_conflict([4, 9], (2,)),
        _reasons.reason_required("retract"),
        _reasons.unknown_case("ua-0173"),
        _reasons.case_exists("ua-0173"),
        _reasons.source_id_reused("hotline-kyiv/2024-0412", 3),
        _reasons.DISMISSAL_NEEDS_REASON,
        _reasons.DISMISSAL_NEEDS_RESOLVES,
        _reasons.CONFLICT_CANNOT_RESOLVE,
    ]


SAMPLES = _sample_reasons()


def _templates(phrase: Phrase) -> set[str]:
    found = {phrase.template}
    for _, value in phrase.args:
        if isinstance(value, Phrase):
            found |= _templates(value)
        elif isinstance(value, Listed):
            for item in value.phrases:
                found |= _templates(item)
    return found


def test_the_samples_say_every_message_of_the_catalogs() -> None:
    said = set().union(*(_templates(reason.phrase) for reason in SAMPLES if reason.phrase is not None))
    messages = {
        message.id
        for message in catalogs.extract()
        if message.context is None
        and isinstance(message.id, str)
        and not any(where.startswith("src/casestate/cli/") for where, _ in message.locations)
    }
    assert messages - {"", " or "} == said


@pytest.mark.parametrize("reason", SAMPLES, ids=lambda reason: reason.code.value)
def test_every_message_reads_in_english_as_it_always_has(reason) -> None:
    assert reason.phrase is not None
    assert message(reason) == message(reason, "en") == reason.message == reason.phrase.english


@pytest.mark.parametrize("locale", TRANSLATED)
@pytest.mark.parametrize("reason", SAMPLES, ids=lambda reason: reason.code.value)
def test_every_message_is_said_in_each_language_with_its_values(reason, locale) -> None:
    said = message(reason, locale)
    assert _is_said(said)
    assert "{" not in said
    assert said != reason.message
    assert not {word for word in said.split() if word.isascii() and word.isalpha()}, said  # no English left
    for instant in (part for part in reason.message.split() if part.startswith("2024-")):
        assert instant.strip("(),;") in said  # times are shown as they are, in every language


@pytest.mark.parametrize(
    ("days", "russian", "ukrainian"),
    [
        (1, "1 день", "1 день"),
        (2, "2 дня", "2 дні"),
        (5, "5 дней", "5 днів"),
        (11, "11 дней", "11 днів"),
        (21, "21 день", "21 день"),
        (22, "22 дня", "22 дні"),
    ],
)
def test_a_number_of_days_takes_the_plural_form_of_its_number(days, russian, ukrainian) -> None:
    reason = _reasons.waiting_period_not_elapsed("declare_dead", 183, "missing", days)
    assert message(reason, "ru").endswith(f"дело находится в этом статусе {russian}")
    assert message(reason, "uk").endswith(f"справа перебуває в цьому статусі {ukrainian}")
    assert reason.message.endswith(f"the case has been there {days} days")  # as English always wrote it


def test_a_message_names_the_vocabulary_by_its_labels_quoted_and_an_apps_own_names_as_they_are() -> None:
    reason = _reasons.illegal_transition("confirm", "released", frozenset({"captured", "dead"}))
    assert message(reason, "ru") == (
        "действие «подтверждение судьбы» невозможно из статуса «released»; "
        "оно возможно из статусов: «в плену», «погибший (умерший)»"
    )
    kinds = cs.DEFAULT_WORKFLOW.rule("repatriate").evidence.phrase()
    refused = _reasons.evidence_refused(
        "repatriate", kinds, (cs.Evidence("video", "v", "channel", T0),), cs.BUILT_IN_KINDS
    )
    assert message(refused, "uk") == (
        "для дії «повернення» потрібен доказ виду «список на обмін» або «акт передачі тіла (останків)» "
        "або «список на звільнення»; надано: «відео» (рівень 4)"
    )


def test_a_reason_an_app_makes_itself_reads_the_same_in_every_language() -> None:
    own = cs.Reason(cs.Code.UNKNOWN_CASE, "no such soldier in our register")
    assert {message(own, locale) for locale in LOCALES} == {"no such soldier in our register"}


def test_a_reasons_phrase_is_not_part_of_what_it_equals_or_shows() -> None:
    reason = _reasons.case_exists("ua-1")
    assert reason == cs.Reason(cs.Code.CASE_EXISTS, "case 'ua-1' is already open")
    assert hash(reason) == hash(cs.Reason(cs.Code.CASE_EXISTS, "case 'ua-1' is already open"))
    assert (
        repr(reason)
        == "Reason(code=<Code.CASE_EXISTS: 'case_exists'>, message=\"case 'ua-1' is already open\")"
    )


@given(st.data())
def test_every_reason_a_decision_gives_is_said_in_each_language(data) -> None:
    case = data.draw(cases(max_changes=4))
    attempt = data.draw(attempts(cs.DEFAULT_WORKFLOW, case))
    verdict = cs.DEFAULT_WORKFLOW.check(case, attempt.change)
    for reason in verdict.reasons:
        assert reason.phrase is not None
        assert message(reason, "en") == reason.message
        for locale in TRANSLATED:
            said = message(reason, locale)
            assert _is_said(said)
            assert "{" not in said
            assert said != reason.message


# The catalogs.


def test_the_catalogs_hold_every_message_the_code_says_each_translated_and_compiled() -> None:
    assert catalogs.check() == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_translation_formats_with_the_placeholders_of_its_english(locale) -> None:
    for entry in catalogs.translations(locale):
        if not entry.id:
            continue
        english = entry.id if isinstance(entry.id, str) else entry.id[1]
        fields = {name for _, name, _, _ in string.Formatter().parse(english) if name}
        values = dict.fromkeys(fields, "x")
        translations = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        for translation in translations:
            assert translation.format(**values)  # no placeholder its English lacks, no stray brace


def test_the_catalog_check_finds_a_message_without_translation(tmp_path, monkeypatch) -> None:
    for language in catalogs.LANGUAGES:
        copy = tmp_path / language / "LC_MESSAGES"
        copy.mkdir(parents=True)
        for path in (catalogs.po_path(language), catalogs.mo_path(language)):
            (copy / path.name).write_bytes(path.read_bytes())
    (tmp_path / "casestate.pot").write_bytes(catalogs.template_path().read_bytes())
    russian = tmp_path / "ru" / "LC_MESSAGES" / "casestate.po"
    text = russian.read_text(encoding="utf-8")
    russian.write_text(text.replace('msgstr "в плену"', 'msgstr ""'), encoding="utf-8")
    ukrainian = tmp_path / "uk" / "LC_MESSAGES" / "casestate.po"
    text = ukrainian.read_text(encoding="utf-8")
    ukrainian.write_text(
        text.replace("справу {case_id} вже відкрито", "справу {case} вже відкрито"), encoding="utf-8"
    )
    monkeypatch.setattr(catalogs, "LOCALE", tmp_path)
    faults = [fault.replace(str(tmp_path), "locale") for fault in catalogs.check()]
    assert faults == [
        "locale/ru/LC_MESSAGES/casestate.po: 'captured' (status) has no translation",
        "locale/ru/LC_MESSAGES/casestate.mo does not hold what its .po says: run tools/catalogs.py",
        (
            "locale/uk/LC_MESSAGES/casestate.po: 'case {case_id} is already open': "
            "the translation names placeholders its English has not: ['case']"
        ),
        "locale/uk/LC_MESSAGES/casestate.mo does not hold what its .po says: run tools/catalogs.py",
    ]
