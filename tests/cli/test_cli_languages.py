"""The commands speak to people in English, Russian or Ukrainian: --lang, else the environment's language."""

from __future__ import annotations

import json

import pytest

from casestate.cli._language import Speaker, environment_locale
from support import opening, record, run, write_lines


@pytest.fixture
def demo_store(tmp_path):
    path = tmp_path / "demo.db"
    assert run("demo", "--path", path).exit_code == 0
    return path


@pytest.fixture
def refused_feed(tmp_path):
    # A family may not confirm: one line rejected, with its reason; the opening is accepted.
    return write_lines(tmp_path / "changes.jsonl", opening(), record(trigger="confirm", role="family"))


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "en"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "uk_UA.UTF-8"}, "uk"),
        ({"LC_ALL": "ru_RU.UTF-8", "LC_MESSAGES": "uk_UA.UTF-8"}, "ru"),
        ({"LANGUAGE": "de:uk:ru", "LANG": "ru_RU.UTF-8"}, "uk"),
        ({"LANGUAGE": "uk", "LANG": "C.UTF-8"}, "en"),  # gettext reads no LANGUAGE in the C locale
        ({"LANGUAGE": "uk", "LC_ALL": "POSIX"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": ""}, "en"),
    ],
)
def test_the_language_is_the_environments_as_gettext_reads_it(environ, language) -> None:
    assert environment_locale(environ) == language


def test_show_speaks_ukrainian_with_lang(demo_store) -> None:
    result = run("show", "ua-0520", "--store", demo_store, "--lang", "uk", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:2] == [
        "ua-0520",
        (
            "  статус: долю встановлено, доля: загинув (помер), достовірність: ідентифікований, "
            "з 2024-06-01 12:00 UTC, 5 записів"
        ),
    ]
    assert (
        "1 повідомлення про загибель (статус змінено): зниклий безвісти за особливих обставин -> "
        "загиблий (померлий), доля: загинув (помер), за повідомленнями"
    ) in result.output
    assert "   внесено: судово-медична лабораторія: forensic-lab-3" in lines
    assert "   the man on the video is not him: another tattoo" in lines  # what people wrote stays as written


def test_show_follows_the_environment_and_lang_overrides_it(demo_store) -> None:
    russian = run("show", "ua-0520", "--store", demo_store, env={"COLUMNS": "200", "LANG": "ru_RU.UTF-8"})
    assert (
        "  статус: судьба установлена, судьба: погиб (умер), достоверность: идентифицирован" in russian.output
    )
    assert "было: пропавший без вести" in russian.output  # the table, on a wide terminal
    assert "кем внесено" in russian.output
    english = run("show", "ua-0520", "--store", demo_store, "--lang", "en", env={"LANG": "ru_RU.UTF-8"})
    assert "  status confirmed, fate dead, assurance identified, since 2024-06-01 12:00 UTC, 5 entries" in (
        english.output
    )


def test_show_answers_an_as_of_question_in_the_language_asked(demo_store) -> None:
    result = run(
        "show", "ua-0520", "--store", demo_store, "--lang", "ru",
        "--as-of-effective", "2024-02-01T00:00:00Z", "--as-of-recorded", "2024-07-02T00:00:00Z",
    )  # fmt: skip
    lines = result.output.splitlines()
    assert lines[:3] == [
        "ua-0520 по сведениям на 2024-07-02 00:00 UTC",
        "  на 2024-02-01 00:00 UTC (по дате события, по нынешним сведениям): человек ещё не пропал",
        (
            "  сейчас: статус: судьба установлена, судьба: погиб (умер), достоверность: идентифицирован, "
            "с 2024-06-01 12:00 UTC, 4 записи"
        ),
    ]
    assert (
        "  неразрешённое противоречие: запись 3, сообщение о пленении, внесено: семья (illegal_transition)"
        in lines
    )


def test_an_unknown_language_is_refused_naming_those_there_are(demo_store) -> None:
    result = run("show", "ua-0520", "--store", demo_store, "--lang", "de")
    assert result.exit_code == 2
    assert "'de' is not one of 'en', 'ru', 'uk'" in result.output


def test_the_demo_tells_its_stories_in_russian(tmp_path) -> None:
    result = run("demo", "--path", tmp_path / "demo.db", "--lang", "ru", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert (
        "  отклонено после записи 1: подтверждение судьбы, внесено: министерство: mod-records, "
        "дата события 2024-03-11 12:00 UTC"
    ) in result.output
    assert (
        "    evidence_insufficient: для действия «подтверждение судьбы» необходимо доказательство уровня 2 "
        "или надёжнее; представлено: «показания свидетеля» (уровень 3)"
    ) in result.output
    assert "  сейчас: погибший (умерший), судьба: погиб (умер), достоверность: по сообщениям; журнал цел" in (
        result.output
    )
    assert "Пример хранилища: " in result.output


def test_validate_reports_in_the_language_asked_and_codes_stay_codes(refused_feed) -> None:
    result = run("validate", refused_feed, "--lang", "uk")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (
            f"{refused_feed}:2: справа ua-0173: відхилено: role_not_permitted, evidence_insufficient, "
            "illegal_transition"
        ),
        (
            "    role_not_permitted: роль «родина» не може виконувати дію «підтвердження долі»; "
            "це можуть: «суд», «судово-медична лабораторія», «МКЧХ», «міністерство»"
        ),
        (
            "    evidence_insufficient: для дії «підтвердження долі» потрібен доказ рівня 2 або надійніший; "
            "надано: «сповіщення військової частини» (рівень 3)"
        ),
        (
            "    illegal_transition: дія «підтвердження долі» неможлива зі статусу «зниклий безвісти за особливих "
            "обставин»; вона можлива зі статусів: «у полоні», «загиблий (померлий)», «повернутий», "
            "«поранений або хворий»"
        ),
        "2 рядки: прийнято 1 (збережено як суперечності: 0), відхилено 1",
        "  відхилено: evidence_insufficient: 1",
        "  відхилено: illegal_transition: 1",
        "  відхилено: role_not_permitted: 1",
    ]


def test_validate_in_several_processes_says_the_same_in_the_language_asked(refused_feed) -> None:
    alone = run("validate", refused_feed, "--lang", "ru", "--format", "json")
    shared = run("validate", refused_feed, "--lang", "ru", "--format", "json", "--jobs", "2")
    assert json.loads(alone.output) == json.loads(shared.output)
    (finding,) = json.loads(alone.output)["findings"]
    assert finding["codes"] == ["role_not_permitted", "evidence_insufficient", "illegal_transition"]
    assert finding["reasons"][0]["message"].startswith("роль «семья» не может выполнять действие")


def test_apply_says_what_it_stored_in_the_language_asked(tmp_path, refused_feed) -> None:
    result = run("apply", refused_feed, "--store", tmp_path / "cases.db", "--per-line", "--lang", "ru")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "сохранено: 1 изменение (открыто: 1 дело)"
    refused = run("apply", refused_feed, "--store", tmp_path / "other.db", "--lang", "uk")
    assert "нічого не збережено: виправте відхилені рядки або вкажіть --per-line, щоб зберегти решту" in (
        refused.output
    )


def test_a_speaker_says_numbers_in_their_plural_forms() -> None:
    lines = ("{count} line", "{count} lines")
    assert [Speaker("en").count(lines, count) for count in (1, 2)] == ["1 line", "2 lines"]
    assert [Speaker("ru").count(lines, count) for count in (1, 3, 5, 21)] == [
        "1 строка",
        "3 строки",
        "5 строк",
        "21 строка",
    ]
    assert Speaker("uk").count(lines, 12) == "12 рядків"
