"""One form of key file, read the same way by the command line and by the API."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

import casestate as cs
from casestate.store import SQLiteStore, read_key_file
from support import opening, record, run, write_lines


@given(st.binary(min_size=16, max_size=64))
def test_a_key_written_to_a_key_file_reads_back_as_the_same_key(key) -> None:
    assert cs.chain_key_from_text(cs.chain_key_to_text(key)) == key


@pytest.mark.parametrize(
    "text",
    [
        "6B1C2E9F0A7D4B3C8E5F1A2B3C4D5E6F",
        "  6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f\r\n",
        b"6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f\n",
    ],
)
def test_case_and_whitespace_at_the_ends_are_not_part_of_the_key(text) -> None:
    assert cs.chain_key_from_text(text) == bytes.fromhex("6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the key file is empty"),
        ("\n", "the key file is empty"),
        ("6b1c 2e9f0a7d4b3c8e5f1a2b3c4d5e6f", "other characters than hexadecimal digits"),
        ("6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f\n00", "other characters than hexadecimal digits"),
        ("a secret key of 32 bytes, really", "python3 -c"),
        (b"\xff\x00\x13" * 8, "other characters than hexadecimal digits"),
        ("6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6", "an odd number of hexadecimal digits (31)"),
        ("00" * 15, "a chain key is at least 16 bytes (32 hexadecimal digits); this one is 15"),
    ],
)
def test_anything_else_is_refused_saying_what_is_wrong(text, problem) -> None:
    with pytest.raises(cs.KeyFileError, match=r"^chain\.key: ") as refused:
        cs.chain_key_from_text(text, where="chain.key")
    assert problem in str(refused.value)
    assert isinstance(refused.value, ValueError)


def test_a_key_too_short_to_seal_a_chain_is_not_written() -> None:
    with pytest.raises(cs.KeyFileError, match="at least 16 bytes"):
        cs.chain_key_to_text(b"short")
    with pytest.raises(TypeError):
        cs.chain_key_to_text("6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f")  # type: ignore[arg-type]


def test_read_key_file_reads_a_key_file_and_names_it_in_its_faults(tmp_path) -> None:
    path = tmp_path / "chain.key"
    path.write_text("6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f\n")
    assert read_key_file(path) == bytes.fromhex("6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f")
    assert read_key_file(str(path)) == read_key_file(path)
    with pytest.raises(FileNotFoundError):
        read_key_file(tmp_path / "nowhere.key")
    with pytest.raises(cs.KeyFileError, match=f"^{tmp_path}: not a regular file"):
        read_key_file(tmp_path)
    path.write_text("0" * (64 * 1024 + 2))
    with pytest.raises(cs.KeyFileError, match="larger than 65536 bytes"):
        read_key_file(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_read_key_file_does_not_wait_on_a_pipe(tmp_path) -> None:
    pipe = tmp_path / "chain.key"
    os.mkfifo(pipe)
    with pytest.raises(cs.KeyFileError, match="not a regular file"):
        read_key_file(pipe)


def test_a_store_sealed_from_the_command_line_opens_from_python_with_the_same_key_file(tmp_path) -> None:
    key_path = tmp_path / "chain.key"
    key_path.write_text("6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f\n")
    store = tmp_path / "sealed.db"
    feed = write_lines(tmp_path / "feed.jsonl", opening(), record())
    assert run("apply", feed, "--store", store, "--key-file", key_path).exit_code == 0
    with SQLiteStore(store, key=bytes.fromhex("6b1c2e9f0a7d4b3c8e5f1a2b3c4d5e6f")) as sealed:
        assert sealed.load("ua-0173").keyed
    with SQLiteStore(store, key=read_key_file(key_path)) as sealed:
        assert sealed.load("ua-0173").version == 2
