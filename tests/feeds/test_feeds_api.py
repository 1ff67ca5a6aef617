"""casestate.feeds from Python: check and apply change files, read and write them, without click."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from datetime import timedelta

import attrs
import pytest

import casestate as cs
from casestate import feeds
from casestate.store import StoreError, StoreLocked
from support import actor, change, day

OPENED_ON = day(0)


def _opening() -> cs.Change:
    return cs.Change(trigger="open", actor=actor("ngo"), effective_at=OPENED_ON, recorded_at=OPENED_ON)


def _feed() -> list[tuple[str, cs.Change]]:
    """Two cases opened and moved on, a change no family may make, and a case that was never opened."""
    return [
        ("ua-1", _opening()),
        ("ua-2", _opening()),
        ("ua-1", change("report_dead", "unit", "unit_notification", on=3)),
        ("ua-2", change("confirm", "family", "video", on=4)),
        ("ua-3", change("report_captured", "ngo", "video", on=5)),
    ]


def _written(tmp_path, name: str, changes=None, *, kind="jsonl"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as stream:
        feeds.write_changes(_feed() if changes is None else changes, stream, format=kind)
    return path


def _found(report: feeds.FeedReport) -> list[tuple[int, str | None, list[str]]]:
    return [(finding.number, finding.case_id, finding.codes) for finding in report.findings]


@pytest.mark.parametrize(
    ("name", "kind", "first_line"), [("changes.jsonl", "jsonl", 1), ("changes.csv", "csv", 2)]
)
def test_a_feed_is_checked_line_by_line_in_either_format(tmp_path, name, kind, first_line):
    report = feeds.check_files([_written(tmp_path, name, kind=kind)])
    assert (report.lines, report.accepted, report.rejected) == (5, 3, 2)
    assert report.outcomes == {"opened": 2, "rejected": 2, "transition": 1}
    assert _found(report) == [
        (first_line + 3, "ua-2", ["role_not_permitted", "evidence_insufficient", "illegal_transition"]),
        (first_line + 4, "ua-3", ["unknown_case"]),
    ]
    assert not report.ok
    assert report.to_dict()["summary"]["rejected_by_code"] == {
        "evidence_insufficient": 1,
        "illegal_transition": 1,
        "role_not_permitted": 1,
        "unknown_case": 1,
    }
    assert json.loads(json.dumps(report.to_dict())) == report.to_dict()  # machine-readable as it is


def test_lines_that_cannot_be_read_are_findings_and_the_rest_is_checked(tmp_path):
    path = _written(tmp_path, "changes.jsonl", _feed()[:2])
    with path.open("ab") as stream:
        stream.write(b"{not json\n\xff\xfe not UTF-8\n" + b'{"case_id": "ua-9"' + b" " * 2048 + b"}\n")
        stream.write(b'{"case_id": "ua-1", "trigger": "open"}\n')
    lines = list(feeds.read_changes(path, max_line_bytes=1024))
    assert [line.code for line in lines] == [
        None,
        None,
        "unreadable_line",
        "unreadable_line",
        "unreadable_line",
        "invalid_record",
    ]
    report = feeds.check_files([path], max_line_bytes=1024)
    assert report.accepted == 2
    assert [(finding.number, finding.codes) for finding in report.findings] == [
        (3, ["unreadable_line"]),
        (4, ["unreadable_line"]),
        (5, ["unreadable_line"]),
        (6, ["invalid_record"]),
    ]
    assert report.findings[1].reasons[0][1] == "not UTF-8: byte 0xff at column 1"
    assert report.findings[3].case_id == "ua-1"


def test_a_file_that_cannot_be_read_is_reported_and_the_others_checked(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    report = feeds.check_files([tmp_path / "missing.jsonl", empty, _written(tmp_path, "changes.jsonl")])
    assert [(problem.path, problem.problem) for problem in report.unreadable_files] == [
        (str(tmp_path / "missing.jsonl"), "No such file or directory"),
        (str(empty), "the file is empty: it holds no changes"),
    ]
    assert report.lines == 5
    with pytest.raises(feeds.UnreadableFile, match="the file is empty"):
        list(feeds.read_changes(empty))


def test_findings_go_to_on_finding_as_they_come_instead_of_into_the_report(tmp_path):
    seen: list[feeds.Finding] = []
    told: list[int] = []
    report = feeds.check_files(
        [_written(tmp_path, "changes.jsonl")],
        on_finding=seen.append,
        progress=lambda done, _path: told.append(done),
    )
    assert report.findings == ()
    assert [finding.case_id for finding in seen] == ["ua-2", "ua-3"]
    assert told[-1] == feeds.total_bytes([tmp_path / "changes.jsonl"])


def test_the_csv_writer_and_reader_agree_on_every_field(tmp_path):
    guarded = change(
        "report_dead", "unit", "unit_notification", on=3, reason='=HYPERLINK("https://evil.example")'
    )
    feed = [("ua-1", _opening()), ("ua-1", guarded)]
    out = io.StringIO()
    assert feeds.write_changes(feed, out, format="csv") == 2
    assert "'=HYPERLINK" in out.getvalue()  # a spreadsheet shows it as text
    path = tmp_path / "changes.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    read = [(line.case_id, line.change) for line in feeds.read_changes(path)]
    assert [(case_id, item.trigger, item.reason) for case_id, item in read] == [
        ("ua-1", "open", None),
        ("ua-1", "report_dead", guarded.reason),
    ]
    assert read[1][1].evidence == guarded.evidence
    with pytest.raises(feeds.FeedError, match="more than the 0"):
        feeds.write_changes(feed, io.StringIO(), format="csv", evidence=0)


def test_applied_all_or_nothing_a_feed_with_a_rejected_line_stores_nothing(tmp_path, place):
    with place.open(create=True) as store:
        applied = feeds.apply_files([_written(tmp_path, "changes.jsonl")], store)
        assert (applied.stored, applied.opened, applied.ok) == (0, 0, False)
        assert len(applied.check.findings) == 2
        assert list(store.case_ids()) == []


def test_applied_line_by_line_the_accepted_lines_are_stored(tmp_path, place):
    with place.open(create=True) as store:
        applied = feeds.apply_files([_written(tmp_path, "changes.jsonl")], store, per_line=True)
        assert (applied.stored, applied.opened) == (3, 2)
        assert applied.to_dict()["stored"] == 3
        assert [store.load(case_id).status for case_id in store.case_ids()] == ["dead", "missing"]


def test_a_feed_sent_again_is_refused_against_what_the_store_holds(tmp_path, place):
    path = _written(tmp_path, "changes.jsonl", _feed()[:3])
    with place.open(create=True) as store:
        assert feeds.apply_files([path], store).stored == 3
        again = feeds.check_files([path], load=feeds.loader(store))
        assert _found(again) == [(1, "ua-1", ["case_exists"]), (2, "ua-2", ["case_exists"])]
        assert again.outcomes == {"corroboration": 1, "opened": 0, "rejected": 2}  # the same death, again
        resent = feeds.apply_files([path], store)
        assert (resent.stored, resent.check.rejected) == (0, 2)
        assert store.load("ua-1").version == 2


def test_a_store_fault_mid_apply_writes_nothing_all_or_nothing(tmp_path, place, monkeypatch):
    path = _written(tmp_path, "changes.jsonl", _feed()[:3])
    with place.open(create=True) as store:
        apply = type(store).apply
        faults = []

        def failing(self, case_id, changes, *, expected_version, now=None):
            if case_id == "ua-1" and not faults:
                faults.append(case_id)
                raise StoreLocked("the disk went away")
            return apply(self, case_id, changes, expected_version=expected_version, now=now)

        monkeypatch.setattr(type(store), "apply", failing)
        with pytest.raises(StoreError, match="the disk went away"):
            feeds.apply_files([path], store)
        assert faults == ["ua-1"]
        assert list(store.case_ids()) == []
        assert list(store.entries()) == []
        assert feeds.apply_files([path], store).stored == 3  # and it can run again


def test_a_file_changed_between_check_and_write_stops_the_apply(tmp_path, monkeypatch):
    path = _written(tmp_path, "changes.jsonl", _feed()[:2])
    checked = feeds._apply.run_check

    def and_then_rewritten(*args, **kwargs):
        tally = checked(*args, **kwargs)
        path.write_text(path.read_text() + path.read_text().splitlines()[0] + "\n")
        return tally

    monkeypatch.setattr(feeds._apply, "run_check", and_then_rewritten)
    with feeds.open_store(str(tmp_path / "cases.db"), create=True) as store:
        with pytest.raises(feeds.ApplyStopped, match="a file changed while it was checked"):
            feeds.apply_files([path], store)
        assert list(store.case_ids()) == []


@pytest.mark.skipif(os.name == "nt", reason="named pipes")
def test_all_or_nothing_refuses_a_pipe_it_cannot_read_twice(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with feeds.open_store(str(tmp_path / "cases.db"), create=True) as store:
        with pytest.raises(feeds.NotRereadable) as refused:
            feeds.apply_files([pipe], store)
        assert refused.value.path == str(pipe)


def _many_cases(tmp_path):
    changes = []
    for number in range(30):
        case_id = f"ua-{number:03d}"
        changes.append((case_id, _opening()))
        role = ("unit", "family", "ngo")[number % 3]
        changes.append((case_id, change("report_dead", role, "unit_notification", on=3 + number % 5)))
    changes.append(("ua-999", change("confirm", "icrc", "capture_card", on=9)))
    return _written(tmp_path, "many.jsonl", changes[::2] + changes[1::2])


def test_parallel_jobs_find_what_one_job_finds(tmp_path):
    path = _many_cases(tmp_path)
    store = str(tmp_path / "cases.db")
    with feeds.open_store(store, create=True) as held:
        held.open_case("ua-000", actor=actor("ngo"), effective_at=OPENED_ON, recorded_at=OPENED_ON)
    alone = feeds.check_files([path, tmp_path / "missing.jsonl"], store=store)
    shared = feeds.check_files([path, tmp_path / "missing.jsonl"], store=store, jobs=3)
    assert alone.rejected > 0
    assert shared.findings == alone.findings
    assert shared.summary() == alone.summary()


def test_findings_say_their_reasons_in_the_language_asked_with_the_same_codes(tmp_path):
    path = _many_cases(tmp_path)
    english = feeds.check_files([path])
    ukrainian = feeds.check_files([path], locale="uk")
    shared = feeds.check_files([path], locale="uk_UA.UTF-8", jobs=2)
    assert [finding.codes for finding in ukrainian.findings] == [
        finding.codes for finding in english.findings
    ]
    assert shared.findings == ukrainian.findings
    said = ukrainian.findings[0].reasons[0][1]
    assert said != english.findings[0].reasons[0][1]
    assert said.startswith("справу 'ua-")  # the case id as it is, the rest in Ukrainian
    assert ukrainian.summary() == english.summary()


def test_findings_of_an_apply_say_their_reasons_in_the_language_asked(tmp_path, place):
    with place.open(create=True) as store:
        applied = feeds.apply_files([_written(tmp_path, "changes.jsonl")], store, per_line=True, locale="ru")
    (_, said), *_ = applied.check.findings[0].reasons
    assert (
        said == "роль «семья» не может выполнять действие «подтверждение судьбы»; это могут: «суд», "
        "«судебно-медицинская лаборатория», «МККК», «министерство»"
    )


def test_a_language_casestate_does_not_speak_is_refused_before_a_line_is_read(tmp_path):
    with pytest.raises(cs.text.UnknownLocale, match="it speaks: en, ru, uk"):
        feeds.check_files([tmp_path / "missing.jsonl"], locale="de")


def test_check_options_that_cannot_go_together_are_refused(tmp_path):
    path = _written(tmp_path, "changes.jsonl")
    with pytest.raises(feeds.FeedError, match="not both"):
        feeds.check_files([path], load=lambda _case_id: None, store=str(tmp_path / "cases.db"))
    with pytest.raises(feeds.FeedError, match="cannot cross into other processes"):
        feeds.check_files([path], load=lambda _case_id: None, jobs=2)
    with pytest.raises(feeds.FeedError, match="between 1 and 64"):
        feeds.check_files([path], jobs=0)
    with pytest.raises(feeds.FeedError, match="'jsonl' or 'csv', not 'xml'"):
        feeds.check_files([path], format="xml")


def test_a_check_with_a_clock_refuses_what_is_recorded_after_it(tmp_path):
    path = _written(tmp_path, "changes.jsonl", _feed()[:3])
    report = feeds.check_files([path], now=day(3) - timedelta(days=1), jobs=2)
    assert "recorded_in_future" in report.rejected_by_code


def test_every_fault_of_a_feed_is_a_casestate_error():
    for name in feeds.__all__:
        value = getattr(feeds, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            assert issubclass(value, feeds.FeedError)
            assert issubclass(value, cs.CasestateError)
            assert value.__module__ == "casestate.feeds"


def test_feeds_import_and_check_without_click_or_rich(tmp_path):
    path = _written(tmp_path, "changes.jsonl")
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["click"] = None  # an import of click fails, as without the cli extra
        sys.modules["rich"] = None
        from casestate.feeds import check_files
        report = check_files([{str(path)!r}], jobs=2)
        assert "click" not in sys.modules or sys.modules["click"] is None
        print(report.accepted, report.rejected)
        """
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, a script written above
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "2"]


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_a_feed_opens_a_later_disappearance_that_follows_the_first(tmp_path, place, kind):
    # Exchanged, sent back to the front, missing again: the hotline opens a second case, naming the first.
    again = cs.Change(
        trigger="open",
        actor=actor("ngo"),
        effective_at=day(40),
        recorded_at=day(41),
        source_id="hotline-kyiv/2024-0907",
        follows="ua-1",
    )
    path = _written(tmp_path, f"changes.{kind}", [("ua-1", _opening()), ("ua-1b", again)], kind=kind)
    with place.open(create=True) as store:
        applied = feeds.apply_files([path], store)
        assert (applied.stored, applied.opened, applied.ok) == (2, 2, True)
        assert store.load("ua-1b").follows == "ua-1"
        assert [found.case_id for found in store.find(follows="ua-1")] == ["ua-1b"]
        # Sent again, the opening under its source id is the one stored: nothing is written twice.
        resent = feeds.apply_files(
            [_written(tmp_path, f"again.{kind}", [("ua-1b", again)], kind=kind)], store
        )
        assert (resent.stored, store.load("ua-1b").version) == (0, 1)


def test_an_opening_sent_again_under_its_id_but_following_another_case_is_refused(tmp_path, place):
    first = cs.Change(
        trigger="open",
        actor=actor("ngo"),
        effective_at=day(40),
        recorded_at=day(41),
        source_id="h/1",
        follows="ua-1",
    )
    with place.open(create=True) as store:
        assert feeds.apply_files([_written(tmp_path, "first.jsonl", [("ua-1b", first)])], store).opened == 1
        other = attrs.evolve(first, follows="ua-2")
        resent = feeds.apply_files([_written(tmp_path, "other.jsonl", [("ua-1b", other)])], store)
        assert (resent.stored, resent.ok) == (0, False)
        assert store.load("ua-1b").follows == "ua-1"
