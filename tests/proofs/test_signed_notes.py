"""Signed notes and keys, as Go's sumdb/note writes them, and checkpoints as C2SP tlog-checkpoint writes them."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casestate.proofs import (
    Checkpoint,
    NoteError,
    SigningKey,
    VerifierKey,
    open_checkpoint,
    open_note,
    sign_checkpoint,
    sign_note,
)

# The keys, text and signatures of golang.org/x/mod/sumdb/note's tests (note_test.go).
PETER_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_VERIFIER = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_SIGNATURE = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
ENOCH_SIGNATURE = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"


def test_keys_read_and_write_the_texts_of_go_note():
    verifier = VerifierKey.from_text(PETER_VERIFIER)
    signer = SigningKey.from_text(PETER_SIGNER)
    assert signer.verifier == verifier
    assert verifier.to_text() == PETER_VERIFIER
    assert signer.to_text() == PETER_SIGNER
    assert f"{verifier.key_hash:08x}" == "c74f20a3"
    assert "AYEK" not in repr(signer)


def test_a_signed_note_is_byte_for_byte_go_notes():
    assert sign_note(TEXT, SigningKey.from_text(PETER_SIGNER)) == TEXT + "\n" + PETER_SIGNATURE


def test_a_note_opens_with_its_key_and_ignores_signatures_of_others():
    note = TEXT + "\n" + PETER_SIGNATURE + ENOCH_SIGNATURE
    assert open_note(note, VerifierKey.from_text(PETER_VERIFIER)) == TEXT
    assert open_note(note, VerifierKey.from_text(ENOCH_VERIFIER)) == TEXT


@pytest.mark.parametrize(
    ("note", "message"),
    [
        (TEXT, "no blank line"),
        (TEXT + "\n", "1 to 100"),
        (TEXT + "\n" + ENOCH_SIGNATURE, "no signature by PeterNeumann"),
        (TEXT.replace("answer", "Answer") + "\n" + PETER_SIGNATURE, "does not verify"),
        (TEXT + "\n" + PETER_SIGNATURE[:60] + "ABCD" + PETER_SIGNATURE[60:], "does not verify"),
        ("\x01" + TEXT + "\n" + PETER_SIGNATURE, "control character"),
        (TEXT + "\n" + PETER_SIGNATURE + "Unexpected line.\n", "not a signature line"),
        (TEXT + "\n" + PETER_SIGNATURE * 101, "1 to 100"),
        (TEXT + "\n\u2014 PeterNeumann !!!!\n", "not base64"),
        (TEXT + "\n\u2014 PeterNeumann AAAA\n", "too short"),
    ],
)
def test_a_note_that_is_malformed_forged_or_altered_is_refused(note, message):
    with pytest.raises(NoteError, match=message):
        open_note(note, VerifierKey.from_text(PETER_VERIFIER))


@pytest.mark.parametrize(
    "text",
    [
        PETER_VERIFIER[:-1],
        PETER_VERIFIER.replace("c74f20a3", "c74f20a4"),
        PETER_VERIFIER.replace("Peter", "Petra"),
        "PeterNeumann+c74f20a3",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        PETER_SIGNER,
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_a_mangled_verifier_key_is_refused(text):
    with pytest.raises(NoteError):
        VerifierKey.from_text(text)


@pytest.mark.parametrize(
    "text",
    [
        PETER_SIGNER[:-2],
        PETER_SIGNER.replace("c74f20a3", "c74f20a4"),
        PETER_VERIFIER,
        "PRIVATE+KEY+PeterNeumann+c74f20a3",
        "PRIVATE+KEY+PeterNeumann+c74f20a3+ZYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
    ],
)
def test_a_mangled_signing_key_is_refused(text):
    with pytest.raises(NoteError):
        SigningKey.from_text(text)


def test_a_generated_key_signs_what_its_verifier_checks():
    key = SigningKey.generate("registry.example.org/cases")
    again = SigningKey.from_text(key.to_text())
    assert again == key
    assert key.verifier.verify(b"message", key.sign(b"message"))
    assert not key.verifier.verify(b"other message", key.sign(b"message"))
    with pytest.raises(NoteError, match="32-byte seed"):
        SigningKey("name", b"short")
    with pytest.raises(NoteError, match="32 bytes"):
        VerifierKey("name", b"short")
    with pytest.raises(NoteError, match="key name"):
        SigningKey("two words", bytes(32))


# -- checkpoints ------------------------------------------------------------------

# The example of c2sp.org/tlog-checkpoint (its signature is by a key the page does not give).
SPEC_EXAMPLE = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"


def test_the_checkpoint_of_the_specification_reads_and_writes_back():
    checkpoint = Checkpoint.from_text(SPEC_EXAMPLE)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.time is None
    assert checkpoint.text() == SPEC_EXAMPLE


def test_a_checkpoint_says_when_it_was_made_in_an_extension_line():
    kyiv = timezone(timedelta(hours=3))
    checkpoint = Checkpoint("log", 3, bytes(32), datetime(2024, 5, 21, 12, 30, 5, 999, tzinfo=kyiv))
    assert checkpoint.text().endswith("\ntime 2024-05-21T09:30:05Z\n")
    assert Checkpoint.from_text(checkpoint.text()) == checkpoint
    assert checkpoint.time == datetime(2024, 5, 21, 9, 30, 5, tzinfo=UTC)
    with_other = checkpoint.text() + "other-extension 1\n"
    assert Checkpoint.from_text(with_other) == checkpoint


def test_a_signed_checkpoint_opens_with_the_public_key_alone():
    key = SigningKey.generate("registry.example.org/cases")
    checkpoint = Checkpoint(key.name, 12, b"\x07" * 32, datetime(2024, 5, 21, tzinfo=UTC))
    note = sign_checkpoint(checkpoint, key)
    assert note.startswith(checkpoint.text() + "\n\u2014 registry.example.org/cases ")
    assert open_checkpoint(note, key.verifier) == checkpoint
    forged = note.replace("\n12\n", "\n13\n")
    with pytest.raises(NoteError, match="does not verify"):
        open_checkpoint(forged, key.verifier)
    other = SigningKey.generate("registry.example.org/cases")
    with pytest.raises(NoteError, match="no signature"):
        open_checkpoint(note, other.verifier)


def test_a_checkpoint_is_signed_and_opened_only_under_its_origins_name():
    key = SigningKey.generate("registry.example.org/cases")
    with pytest.raises(NoteError, match="its name must be the origin"):
        sign_checkpoint(Checkpoint("another.example.org", 1, bytes(32)), key)
    note = sign_note(Checkpoint("another.example.org", 1, bytes(32)).text(), key)
    with pytest.raises(NoteError, match=r"not of 'registry\.example\.org/cases'"):
        open_checkpoint(note, key.verifier)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("log\n3\n", "three non-empty lines"),
        ("log\n03\n" + "A" * 43 + "=\n", "size in decimal"),
        ("log\n-3\n" + "A" * 43 + "=\n", "size in decimal"),
        ("log\n3\nnot a hash\n", "root hash in base64"),
        ("log\n3\n" + "A" * 43 + "=\n\nextra\n", "non-empty lines"),
    ],
)
def test_a_malformed_checkpoint_is_refused(text, message):
    with pytest.raises(NoteError, match=message):
        Checkpoint.from_text(text)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (("", 1, bytes(32)), "origin"),
        (("log", -1, bytes(32)), "size"),
        (("log", True, bytes(32)), "size"),
        (("log", 1, b"short"), "32-byte"),
        (("log", 1, bytes(32), datetime(2024, 5, 21)), "aware"),  # noqa: DTZ001 - the naive time refused
    ],
)
def test_a_checkpoint_of_impossible_values_is_refused(fields, message):
    with pytest.raises(ValueError, match=message):
        Checkpoint(*fields)


def test_without_the_proofs_extra_a_key_says_what_to_install(monkeypatch):
    import sys  # noqa: PLC0415 - only this test hides a module

    from casestate.proofs import ProofsUnavailable  # noqa: PLC0415

    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.asymmetric", None)
    with pytest.raises(ProofsUnavailable, match=r"pip install 'casestate\[proofs\]'"):
        SigningKey.generate("registry.example.org/cases").sign(b"message")


@given(st.data())
def test_any_single_change_to_a_signed_checkpoint_is_refused(data):
    key = SigningKey.from_text(PETER_SIGNER)
    note = sign_checkpoint(Checkpoint(key.name, 77, bytes(range(32)), datetime(2024, 5, 21, tzinfo=UTC)), key)
    at = data.draw(st.integers(0, len(note) - 1), label="the character changed")
    other = data.draw(st.characters(codec="ascii").filter(lambda c: c != note[at]), label="into")
    changed = note[:at] + other + note[at + 1 :]
    with pytest.raises(NoteError):
        open_checkpoint(changed, key.verifier)


def test_base64_with_its_unused_bits_set_is_refused():
    # "M" and "N" differ only in bits the last byte does not use: both decode to the same signature.
    twin = PETER_SIGNATURE.replace("JnAM=", "JnAN=")
    assert twin != PETER_SIGNATURE
    with pytest.raises(NoteError, match="not base64"):
        open_note(TEXT + "\n" + twin, VerifierKey.from_text(PETER_VERIFIER))
