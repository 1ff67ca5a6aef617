"""keygen, checkpoint, prove, consistency, check-proof, erase, and verify held to a checkpoint, on the command line."""

import json
import sqlite3
import stat

import pytest

from casestate.proofs import Checkpoint, Receipt, SigningKey, VerifierKey, open_checkpoint, sign_checkpoint
from support import run


@pytest.fixture
def demo(tmp_path):
    """A demo store, a key pair for its log, and a first checkpoint."""
    store = tmp_path / "cases.db"
    assert run("demo", "--path", store).exit_code == 0
    made = run(
        "keygen",
        "registry.example.org/cases",
        "--signing-key",
        tmp_path / "log.key",
        "--public-key",
        tmp_path / "log.pub",
    )
    assert made.exit_code == 0, made.output
    first = run(
        "checkpoint", "--store", store, "--signing-key", tmp_path / "log.key", "-o", tmp_path / "first.txt"
    )
    assert first.exit_code == 0, first.output
    return tmp_path


def receipt_of_the_death_report(demo):
    """``casestate prove`` of case ua-0201's death report at the first checkpoint, into receipt.json."""
    store, checkpoint = demo / "cases.db", demo / "first.txt"
    return run(
        "prove", "ua-0201", "1", "--store", store, "--checkpoint", checkpoint, "-o", demo / "receipt.json"
    )


def test_keys_are_written_in_the_format_python_reads(demo):
    signing = SigningKey.from_text((demo / "log.key").read_text())
    public = VerifierKey.from_text((demo / "log.pub").read_text())
    assert signing.verifier == public
    assert stat.S_IMODE((demo / "log.key").stat().st_mode) == 0o600
    again = run("keygen", "other", "--signing-key", demo / "log.key", "--public-key", demo / "other.pub")
    assert again.exit_code == 2
    assert "never overwritten" in again.output
    assert SigningKey.from_text((demo / "log.key").read_text()) == signing


def test_a_checkpoint_a_receipt_and_its_offline_check(demo):
    checkpoint = open_checkpoint(
        (demo / "first.txt").read_text(), VerifierKey.from_text((demo / "log.pub").read_text())
    )
    assert checkpoint.size == 22
    proved = receipt_of_the_death_report(demo)
    assert proved.exit_code == 0, proved.output
    receipt = Receipt.from_json((demo / "receipt.json").read_text())
    assert receipt.fields["case_id"] == "ua-0201"
    checked = run("check-proof", demo / "receipt.json", "--public-key", demo / "log.pub")
    assert checked.exit_code == 0
    assert "holds: case ua-0201, entry 1 (report_dead -> dead" in checked.output
    data = json.loads((demo / "receipt.json").read_text())
    data["entry"]["to_status"] = "missing"
    (demo / "forged.json").write_text(json.dumps(data))
    forged = run("check-proof", demo / "forged.json", demo / "receipt.json", "--public-key", demo / "log.pub")
    assert forged.exit_code == 1
    assert "forged.json: does not hold: the inclusion proof" in forged.output


def test_a_consistency_proof_between_two_checkpoints(demo):
    store = demo / "cases.db"
    assert (
        run("erase", "ua-0201", "--store", store, "--by", "dpo", "--reason", "consent withdrawn").exit_code
        == 0
    )
    assert (
        run(
            "checkpoint", "--store", store, "--signing-key", demo / "log.key", "-o", demo / "second.txt"
        ).exit_code
        == 0
    )
    made = run(
        "consistency", demo / "first.txt", demo / "second.txt", "--store", store, "-o", demo / "proof.json"
    )
    assert made.exit_code == 0, made.output
    checked = run("check-proof", demo / "proof.json", "--public-key", demo / "log.pub")
    assert checked.exit_code == 0
    assert "at 22 entries" in checked.output
    assert "extends its checkpoint of 22 entries" in checked.output


def test_verify_holds_a_store_to_a_checkpoint_kept_elsewhere(demo):
    store = demo / "cases.db"
    held = run(
        "verify", "--store", store, "--checkpoint", demo / "first.txt", "--public-key", demo / "log.pub"
    )
    assert held.exit_code == 0, held.output
    assert "log: holds: the store holds the log registry.example.org/cases" in held.output
    with sqlite3.connect(store) as connection:
        connection.execute("DELETE FROM entries WHERE position = (SELECT max(position) FROM entries)")
        connection.execute("UPDATE positions SET last = last - 1")
    cut = run(
        "verify",
        "--store",
        store,
        "--checkpoint",
        demo / "first.txt",
        "--public-key",
        demo / "log.pub",
        "--format",
        "json",
    )
    assert cut.exit_code == 1
    report = json.loads(cut.output)
    assert report["checkpoint"]["holds"] is False
    assert "fewer than the 22 the checkpoint covers" in report["checkpoint"]["message"]


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (("--checkpoint", "first.txt"), "--checkpoint and --public-key go together"),
        (("--public-key", "log.key"), "not a verifier key"),
    ],
)
def test_verify_refuses_half_a_checkpoint_or_the_wrong_key_file(demo, arguments, says):
    resolved = [demo / item if item.endswith((".txt", ".key")) else item for item in arguments]
    if "--public-key" in arguments:
        resolved = ["--checkpoint", demo / "first.txt", *resolved]
    result = run("verify", "--store", demo / "cases.db", *resolved)
    assert result.exit_code == 2
    assert says in result.output


def test_erase_says_what_it_erased_and_refuses_an_entry_the_case_has_not(demo):
    store = demo / "cases.db"
    erased = run("erase", "ua-0201", "1", "--store", store, "--by", "dpo", "--reason", "consent withdrawn")
    assert erased.output.strip() == "case ua-0201: entries erased: 1"
    again = run("erase", "ua-0201", "1", "--store", store, "--by", "dpo", "--reason", "consent withdrawn")
    assert "none (erased before)" in again.output
    wrong = run("erase", "ua-0201", "9", "--store", store, "--by", "dpo", "--reason", "x")
    assert wrong.exit_code == 2
    assert "has entries 0 to" in wrong.output
    assert run("verify", "--store", store).exit_code == 0


def test_proof_commands_need_their_store(demo):
    for command in (
        ["checkpoint", "--signing-key", demo / "log.key"],
        ["prove", "ua-0201", "0", "--checkpoint", demo / "first.txt"],
    ):
        result = run(*command)
        assert result.exit_code == 2
        assert "--store" in result.output


def test_without_the_proofs_extra_the_commands_say_what_to_install(tmp_path, monkeypatch):
    import sys  # noqa: PLC0415 - only this test hides a module

    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.asymmetric", None)
    result = run("keygen", "log", "--signing-key", tmp_path / "log.key", "--public-key", tmp_path / "log.pub")
    assert result.exit_code == 1
    assert "pip install 'casestate[proofs]'" in result.output
    assert not (tmp_path / "log.key").exists()


def test_proof_commands_refuse_bad_input_with_a_clear_message(demo):
    store = demo / "cases.db"
    bad_name = run("keygen", "two words", "--signing-key", demo / "a.key", "--public-key", demo / "a.pub")
    assert bad_name.exit_code == 2
    assert "no spaces" in bad_name.output
    (demo / "garbage.txt").write_text("not a checkpoint\n")
    garbage = run("prove", "ua-0201", "0", "--store", store, "--checkpoint", demo / "garbage.txt")
    assert garbage.exit_code == 2
    assert "three non-empty lines" in garbage.output
    backwards_first = run(
        "checkpoint", "--store", store, "--signing-key", demo / "log.key", "-o", demo / "second.txt"
    )
    assert backwards_first.exit_code == 0
    run("erase", "ua-0201", "--store", store, "--by", "dpo", "--reason", "x")
    assert run("consistency", demo / "first.txt", demo / "second.txt", "--store", store).exit_code == 0
    no_key = run("check-proof", demo / "first.txt")
    assert no_key.exit_code == 2
    assert "--public-key" in no_key.output
    no_store = run(
        "verify", demo / "first.txt", "--checkpoint", demo / "first.txt", "--public-key", demo / "log.pub"
    )
    assert no_store.exit_code == 2
    assert "with a --store" in no_store.output
    assert run("consistency", demo / "first.txt", demo / "second.txt").exit_code == 2
    assert run("erase", "ua-0201", "--by", "dpo", "--reason", "x").exit_code == 2


def test_a_store_that_cannot_show_two_checkpoints_consistent_exits_1(demo):
    store = demo / "cases.db"
    other = run(
        "keygen", "elsewhere", "--signing-key", demo / "other.key", "--public-key", demo / "other.pub"
    )
    assert other.exit_code == 0
    forged = sign_checkpoint(
        Checkpoint("elsewhere", 3, bytes(32)), SigningKey.from_text((demo / "other.key").read_text())
    )
    (demo / "forged.txt").write_text(forged)
    result = run("consistency", demo / "forged.txt", demo / "first.txt", "--store", store)
    assert result.exit_code == 1
    assert "cannot show" in result.output
    with sqlite3.connect(store) as connection:
        connection.execute("UPDATE entries SET role = 'icrc' WHERE position = 4")
    rewritten = run("prove", "ua-0201", "1", "--store", store, "--checkpoint", demo / "first.txt")
    assert rewritten.exit_code == 1
    assert "no longer holds the log" in rewritten.output


def test_the_wrong_key_file_or_a_document_that_is_no_proof_is_named(demo):
    wrong = run("checkpoint", "--store", demo / "cases.db", "--signing-key", demo / "log.pub")
    assert wrong.exit_code == 2
    assert "not a signing key" in wrong.output
    text = run("check-proof", demo / "first.txt", "--public-key", demo / "log.pub")
    assert text.exit_code == 1
    assert "first.txt: does not hold: not a casestate.receipt document" in text.output


def test_checkpoint_and_check_proof_without_the_proofs_extra(demo, monkeypatch):
    import sys  # noqa: PLC0415 - only this test hides a module

    proved = receipt_of_the_death_report(demo)
    assert proved.exit_code == 0
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.asymmetric", None)
    for command in (
        ["checkpoint", "--store", demo / "cases.db", "--signing-key", demo / "log.key"],
        ["check-proof", demo / "receipt.json", "--public-key", demo / "log.pub"],
    ):
        result = run(*command)
        assert result.exit_code == 1
        assert "pip install 'casestate[proofs]'" in result.output


def test_an_export_marks_erased_entries_and_still_verifies(demo):
    store = demo / "cases.db"
    assert run("erase", "ua-0201", "1", "--store", store, "--by", "dpo", "--reason", "x").exit_code == 0
    assert run("export", "--store", store, "-o", demo / "all.jsonl").exit_code == 0
    (case,) = [
        json.loads(line) for line in (demo / "all.jsonl").read_text().splitlines() if '"ua-0201"' in line
    ]
    assert [entry.get("private", "absent") is None for entry in case["entries"]] == [
        False,
        True,
        *[False] * 5,
    ]
    assert run("verify", demo / "all.jsonl").exit_code == 0
    del case["entries"][2]["private"]  # stripped without a word: still a break
    (demo / "stripped.json").write_text(json.dumps(case))
    stripped = run("verify", demo / "stripped.json")
    assert stripped.exit_code == 1
    assert "its actor, reason and evidence are missing" in stripped.output
