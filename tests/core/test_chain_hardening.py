"""Weak salts and malformed commitments refused, digests compared in constant time, verify never raising."""

import hmac

import attrs
import pytest

import casestate as cs
from casestate import _chain
from casestate._chain import commitment, entry_digest
from support import case_in, opened

KEY = b"k" * 32


def resealed(entry: cs.Entry, salt: bytes) -> cs.Entry:
    """*entry* sealed again with *salt*: its commitment and hash fit, so only the salt is wrong."""
    salted = attrs.evolve(
        entry, salt=salt, commitment=commitment(entry.actor_id, entry.reason, entry.evidence, salt)
    )
    return attrs.evolve(salted, hash=entry_digest(salted, None))


WEAK_SALTS = ["", "00", "00" * 15]


@pytest.mark.parametrize("salt", WEAK_SALTS)
def test_the_json_reader_refuses_a_salt_shorter_than_16_bytes(salt):
    data = cs.to_dict(case_in("captured"))
    data["entries"][1]["private"]["salt"] = salt
    with pytest.raises(
        cs.FormatError, match=r"entries\[1\]\.private\.salt: a salt of \d+ bytes; at least 16"
    ):
        cs.from_dict(data)


@pytest.mark.parametrize("salt", WEAK_SALTS)
def test_a_trail_sealed_with_a_weak_salt_is_malformed_whatever_read_it(salt):
    # The check is verify's, so every reader that verifies (JSON, store, PFIF) refuses it too.
    entry = resealed(opened().trail[0], bytes.fromhex(salt))
    integrity = cs.verify([entry])
    assert (integrity.ok, integrity.problem) == (False, cs.Problem.MALFORMED)
    assert "salt of" in integrity.message
    with pytest.raises(cs.BrokenTrail, match="at least 16"):
        cs.replay([entry])


def test_a_sixteen_byte_salt_is_enough():
    entry = resealed(opened().trail[0], bytes(16))
    assert cs.verify([entry]).ok


@pytest.mark.parametrize(
    "commitment", ["", "ivan petrenko", "A" * 64, "a" * 63, "a" * 65, "g" * 64, "\u0661" * 64]
)
def test_the_json_reader_refuses_a_commitment_that_is_not_64_lowercase_hex_digits(commitment):
    for redacted in (False, True):
        data = cs.to_dict(case_in("captured"), redacted=redacted)
        data["entries"][0]["commitment"] = commitment
        with pytest.raises(cs.FormatError, match=r"entries\[0\]\.commitment: not 64 lowercase hexadecimal"):
            cs.from_dict(data, allow_redacted=redacted)


def test_verify_refuses_a_redacted_entry_whose_commitment_is_no_digest():
    # A redacted entry keeps only its commitment: any text there, sealed into the hash,
    # would pass for one (and could hold the very data redaction removed).
    entry = attrs.evolve(opened().trail[0].without_private(), commitment="ivan petrenko, born 1990")
    integrity = cs.verify([entry], allow_redacted=True)
    assert (integrity.ok, integrity.problem) == (False, cs.Problem.MALFORMED)
    assert "commitment is not 64 lowercase hexadecimal digits" in integrity.message


@pytest.mark.parametrize("extra", [1, 2, 1000])
def test_verify_with_more_trusted_entries_than_the_trail_holds_reports_it_cut_off(extra):
    trail = case_in("confirmed").trail
    trusted = len(trail) + extra
    assert cs.verify(trail, trusted=trusted) == cs.Integrity(
        ok=False,
        case_id="case-1",
        entries=len(trail),
        position=len(trail) - 1,
        problem=cs.Problem.TRUNCATED,
        message=f"case 'case-1': entry {len(trail) - 1}: is the last of {len(trail)} entries, "
        f"but {trusted} were verified before: entries were cut off",
    )


def test_verify_trusting_the_whole_trail_still_verifies():
    trail = case_in("confirmed").trail
    assert cs.verify(trail, trusted=len(trail)).ok


@pytest.fixture
def compared(monkeypatch):
    """Every pair ``hmac.compare_digest`` is given while verifying."""
    seen = []
    real = hmac.compare_digest

    def spy(given, expected):
        seen.append((given, expected))
        return real(given, expected)

    monkeypatch.setattr(_chain.hmac, "compare_digest", spy)
    return seen


def test_hashes_macs_commitments_and_the_head_are_compared_in_constant_time(compared):
    case = case_in("captured", key=KEY)
    assert cs.verify(case.trail, key=KEY, head=case.head).ok
    given = {pair[0] for pair in compared}
    for entry in case.trail:
        assert {entry.hash, entry.prev_hash, entry.commitment} <= given
    assert case.trail[0].chain in given  # the key id
    assert [pair for pair in compared if pair[0] == case.head and pair[1] == case.head]


@pytest.mark.parametrize("forged", ["é" * 64, "\ud800", 7, None])
def test_a_digest_that_is_not_ascii_text_is_a_broken_trail_not_an_error(forged):
    case = case_in("captured", key=KEY)
    trail = (*case.trail[:-1], attrs.evolve(case.trail[-1], hash=forged))
    integrity = cs.verify(trail, key=KEY)
    assert not integrity.ok
    assert integrity.position == len(trail) - 1
    assert not cs.verify(case.trail, key=KEY, head="é" * 64).ok
