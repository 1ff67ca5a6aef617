"""Tampering with a trail is always detected; the redacted export verifies and hides what it leaves out."""

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import casestate as cs
from casestate._json import entry_to_dict
from casestate.chain import GENESIS, entry_digest
from casestate.testing import alterations, cases, rewritten, tamperings
from marked_cases import KEYS, WORKFLOWS, marked_cases


@st.composite
def tampered_cases(draw):
    key = draw(KEYS)
    case = draw(cases(draw(WORKFLOWS), key=key, max_changes=10))
    # A redacted export is shared, so it must resist tampering just the same.
    redacted = draw(st.booleans())
    trail = cs.redact(case.trail) if redacted else case.trail
    return key, case, redacted, draw(tamperings(trail))


# Building a case takes many draws; on a busy machine that is slow, not wrong.
quick_enough = settings(suppress_health_check=[HealthCheck.too_slow])


@given(tampered_cases())
@quick_enough
def test_any_single_tampering_is_detected(tampered):
    key, case, redacted, tampering = tampered
    integrity = cs.verify(tampering.entries, key=key, head=case.head, allow_redacted=redacted)
    assert not integrity.ok, tampering.what
    # The report says which case, how long a trail, and where it breaks.
    assert integrity.entries == len(tampering.entries), tampering.what
    if tampering.entries:
        assert integrity.case_id == tampering.entries[0].case_id, tampering.what
        assert integrity.message.startswith(f"case {integrity.case_id!r}: entry {integrity.position}: ")
    if not tampering.needs_head:
        assert not cs.verify(tampering.entries, key=key, allow_redacted=redacted).ok, tampering.what


@given(tampered_cases())
@quick_enough
def test_replay_and_reading_refuse_a_tampered_trail(tampered):
    key, case, redacted, tampering = tampered
    entries = tampering.entries
    if not entries:
        return
    document = {
        "format": "casestate.case",
        "version": cs.FORMAT_VERSION,
        "case_id": entries[0].case_id,
        "entries": [entry_to_dict(entry) for entry in entries],
    }
    try:
        read = cs.from_dict(document, key=key, head=case.head, allow_redacted=redacted)
    except (cs.BrokenTrail, cs.FormatError):
        return
    raise AssertionError(f"{tampering.what}: read back as {read}")


@st.composite
def sealed_cases(draw):
    key = draw(KEYS)
    return key, draw(cases(draw(WORKFLOWS), key=key, max_changes=6))


@given(sealed_cases(), st.data())
@quick_enough
def test_every_field_of_every_entry_is_sealed(sealed, data):
    # Exhaustive where the test above samples: each field of each entry, in
    # the full trail and in its redacted export (where only the hash guards
    # the commitment).
    key, case = sealed
    for redacted, trail in ((False, case.trail), (True, cs.redact(case.trail))):
        for position, entry in enumerate(trail):
            every_field = data.draw(st.fixed_dictionaries(alterations(entry)), label=f"entry {position}")
            for field, altered in sorted(every_field.items()):
                tampered = (*trail[:position], altered, *trail[position + 1 :])
                assert not cs.verify(tampered, key=key, allow_redacted=redacted).ok, (
                    f"entry {position}: {field}"
                )


@given(sealed_cases())
@quick_enough
def test_rewriting_any_entry_and_resealing_the_rest_needs_the_key_or_escapes_only_without_the_head(sealed):
    key, case = sealed
    for redacted, trail in ((False, case.trail), (True, cs.redact(case.trail))):
        for position in range(len(trail)):
            forged = rewritten(trail, position)
            assert not cs.verify(forged.entries, key=key, head=case.head, allow_redacted=redacted).ok, (
                forged.what
            )
            assert forged.needs_head == (key is None)
            if key is not None:
                assert not cs.verify(forged.entries, key=key, allow_redacted=redacted).ok, forged.what


def _forged_tiers(entry):
    """Tiers beside *entry*'s evidence kinds that cannot be read with them, each with what it forges.

    Tiers beside built-in kinds are read as recorded (a kind a later casestate builds in keeps its
    trails readable): that they are the workflow's own, check_case holds (see
    tests/core/test_declared_evidence_kinds.py).
    """
    tiers = entry.evidence_tiers
    if tiers is None:
        return {}
    return {
        "a declared kind without its tier": None,
        "a tier too few": tiers[:-1],
        "a tier too many": (*tiers, tiers[-1]),
        "a tier of none of 1 to 4": (*tiers[:-1], 5),
    }


def _resealed(trail, position, entry, key):
    """*trail* with entry *position* replaced by *entry*, it and every later entry re-sealed with *key*."""
    sealed = list(trail[:position])
    previous = sealed[-1].hash if sealed else GENESIS
    for item in (entry, *trail[position + 1 :]):
        relinked = attrs.evolve(item, prev_hash=previous)
        relinked = attrs.evolve(relinked, hash=entry_digest(relinked, key))
        sealed.append(relinked)
        previous = relinked.hash
    return sealed


@given(sealed_cases())
@quick_enough
def test_tiers_that_cannot_be_read_with_the_evidence_kinds_are_refused_even_resealed_with_the_key(sealed):
    # The tiers beside declared kinds are what the assurance is read from: one who
    # holds the key (or anyone, on a plain chain) may re-seal a trail, but never
    # so that its tiers cannot be read with its kinds.
    key, case = sealed
    for position, entry in enumerate(case.trail):
        for what, tiers in _forged_tiers(entry).items():
            forged = _resealed(case.trail, position, attrs.evolve(entry, evidence_tiers=tiers), key)
            integrity = cs.verify(forged, key=key)
            assert (integrity.ok, integrity.position, integrity.problem) == (
                False,
                position,
                cs.Problem.MALFORMED,
            ), f"entry {position}: {what}"


@given(marked_cases())
@quick_enough
def test_the_redacted_export_verifies_and_reveals_nothing_it_leaves_out(marked):
    key, case = marked
    full, shared = cs.to_json(case), cs.to_json(case, redacted=True)
    assert "«" in full
    assert "«" not in shared
    for entry in case.trail:
        assert entry.private.salt.hex() not in shared
    assert cs.verify(cs.redact(case.trail), key=key, head=case.head, allow_redacted=True).ok
    # Without personal data a trail is only taken when the reader says so.
    assert not cs.verify(cs.redact(case.trail), key=key, head=case.head).ok
    public = cs.from_json(shared, key=key, head=case.head, allow_redacted=True)
    assert public == attrs.evolve(case, trail=cs.redact(case.trail))
    assert cs.to_json(public) == shared
