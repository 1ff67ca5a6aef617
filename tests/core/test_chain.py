"""The hash chain: canonical bytes pinned, every kind of tampering named, keys enforced."""

import hashlib
import json
import os
from pathlib import Path

import attrs
import pytest

import casestate as cs
from casestate._chain import canonical_private, entry_digest
from casestate._json import entry_to_dict
from casestate.testing import canonical_bytes
from support import PATH_TO, WORKFLOW, case_in, change, day, opened

KEY = b"k" * 32


def public_fields(entry: cs.Entry) -> dict:
    data = entry_to_dict(entry)
    del data["hash"]
    data.pop("private", None)
    return data


def test_canonical_bytes_are_sorted_compact_ascii_json():
    case = case_in("confirmed")
    for entry in case.trail:
        made = canonical_bytes(entry)
        assert made == json.dumps(
            public_fields(entry), sort_keys=True, separators=(",", ":"), ensure_ascii=True
        ).encode("ascii")


def test_canonical_private_bytes_are_sorted_compact_ascii_json():
    entry = case_in("confirmed").trail[-1]
    data = entry_to_dict(entry)["private"]
    del data["salt"]
    assert canonical_private(entry.private.actor_id, entry.private.reason, entry.private.evidence) == (
        json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    )


PINNED_PRIVATE = (
    b'{"actor_id":"family-1","evidence":[{"kind":"video","obtained_at":"2024-03-01T06:30:00.000000Z",'
    b'"reference":"ref/video/10","source":"source of video"}],"reason":null}'
)
PINNED_PUBLIC = (
    b'{"assurance":"reported","case_id":"case-1","chain":"sha256","codes":[],'
    b'"commitment":"a58f8a40aaee425f84089b478d3b6e7063b50914766703a738d22f65655e12ed",'
    b'"effective_at":"2024-03-01T06:30:00.000000Z","evidence_kinds":["video"],"fate":"alive",'
    b'"from_status":"missing","kind":"transition",'
    b'"prev_hash":"578cbea4f4d503b2ef358862202b4a137ec00e56d086e51c26edb59c51a162a1",'
    b'"recorded_at":"2024-03-01T06:30:00.000000Z","resolves":[],"reverts_to":null,"role":"family","seq":1,'
    b'"to_status":"captured","trigger":"report_captured"}'
)


TRAILS = Path(__file__).parents[1] / "data" / "trails"


def test_a_trail_written_before_workflow_identity_keeps_its_bytes_and_hashes():
    # A trail as casestate wrote it before opening entries recorded their
    # workflow. If this fails, stored trails stop verifying: change the
    # format only with a new format version.
    text = (TRAILS / "captured-before-workflow-identity.json").read_text(encoding="utf-8")
    case = cs.from_json(text)
    entry = case.trail[1]
    private = entry.private
    assert canonical_private(private.actor_id, private.reason, private.evidence) == PINNED_PRIVATE
    assert (
        entry.commitment == hashlib.sha256(b"casestate/private/1\n" + bytes(16) + PINNED_PRIVATE).hexdigest()
    )
    assert canonical_bytes(entry) == PINNED_PUBLIC
    assert entry.hash == "2364fc59708d5de60f372524112bb3247f374f9c765e89869796a2929032e379"
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + PINNED_PUBLIC).hexdigest()
    assert case.workflow is None
    assert cs.to_json(case, indent=2) + "\n" == text


def test_a_trail_written_before_whereabouts_keeps_its_bytes_and_hashes():
    # A trail as casestate wrote it before entries recorded whereabouts: it
    # passes through every status, a retraction and a reopening.
    text = (TRAILS / "every-status-before-whereabouts.json").read_text(encoding="utf-8")
    case = cs.from_json(text)
    assert [entry.whereabouts for entry in case.trail] == [None] * 11
    assert case.workflow == "default@sha256:de0e0f4b1955aa1e"
    assert case.head == "d566b7ad3db1cb299c04086b500534d17113257da352f16f2e1c304ffc3dd93c"
    assert cs.to_json(case) + "\n" == text


def test_a_keyed_trail_written_before_workflow_identity_keeps_verifying():
    text = (TRAILS / "captured-keyed-before-workflow-identity.json").read_text(encoding="utf-8")
    case = cs.from_json(text, key=KEY)
    entry = case.trail[1]
    assert entry.chain == "hmac-sha256:13aa81506e402320"
    assert entry.hash == "bfeb490efffb5d84a7e89fbb6a1f43faa60de860d79b19bfeb1a8c3dfae275e5"
    assert cs.to_json(case, indent=2) + "\n" == text


PINNED_OPENING = (
    b'{"assurance":"reported","case_id":"case-1","chain":"sha256","codes":[],'
    b'"commitment":"%s","effective_at":"2024-02-20T06:30:00.000000Z","evidence_kinds":[],'
    b'"fate":"unknown","from_status":null,"kind":"opened",'
    b'"prev_hash":"0000000000000000000000000000000000000000000000000000000000000000",'
    b'"recorded_at":"2024-02-21T06:30:00.000000Z","resolves":[],"reverts_to":null,"role":"family",'
    b'"seq":0,"to_status":"missing","trigger":"open","whereabouts":"unknown","workflow":"%s"}'
)


PINNED_OPENING_HASH = "847c301fdf15a46e07d346d4e81b96fe3d7b5c39531c5c05a282f25f4bc2898f"


def test_pinned_vector_of_an_opening_entry_that_records_its_workflow_and_whereabouts():
    # A change to the default workflow's rules changes its identity, and with
    # it this vector: say so in the CHANGELOG.
    entry = opened().trail[0]
    assert entry.workflow == WORKFLOW.identity == "default@sha256:a0e7a2b61df74613"
    pinned = PINNED_OPENING % (entry.commitment.encode(), WORKFLOW.identity.encode())
    assert canonical_bytes(entry) == pinned
    assert entry.hash == hashlib.sha256(b"casestate/entry/1\n" + pinned).hexdigest()
    assert entry.hash == PINNED_OPENING_HASH


def test_non_ascii_text_is_escaped_the_same_everywhere():
    case = WORKFLOW.open(
        "справа-7",
        actor=cs.Actor("мати", "family"),
        effective_at=change("x", "family", on=0).effective_at,
        recorded_at=change("x", "family", on=1).recorded_at,
        reason="Він зник під Бахмутом",
        salt=bytes(16),
    )
    entry = case.trail[0]
    expected = b"casestate/entry/1\n" + canonical_bytes(entry)
    assert entry.hash == hashlib.sha256(expected).hexdigest()
    assert b"\\u0441" in canonical_bytes(entry)


def test_an_intact_trail_verifies_and_replays_to_the_same_case():
    case = case_in("repatriated")
    assert cs.verify(case.trail)
    assert cs.verify(case.trail, head=case.head) == cs.Integrity(
        ok=True, case_id="case-1", entries=3, position=None, problem=None, message="the trail verifies"
    )
    assert cs.replay(case.trail, head=case.head) == case


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("to_status", "dead"),
        ("role", "icrc"),
        ("recorded_at", change("x", "family", on=99).recorded_at),
        ("effective_at", change("x", "family", on=99).effective_at),
        ("fate", cs.Fate.DEAD),
        ("trigger", "confirm"),
        ("evidence_kinds", (cs.EvidenceKind.DNA_MATCH,)),
    ],
)
def test_an_altered_public_field_is_named(field, value):
    trail = list(case_in("repatriated").trail)
    trail[1] = attrs.evolve(trail[1], **{field: value})
    result = cs.verify(trail)
    assert (result.ok, result.position) == (False, 1)
    assert result.problem in (cs.Problem.HASH, cs.Problem.COMMITMENT)


@pytest.mark.parametrize("field", ["actor_id", "reason"])
def test_altered_personal_data_is_named(field):
    trail = list(case_in("repatriated").trail)
    trail[2] = attrs.evolve(trail[2], **{field: "someone else"})
    result = cs.verify(trail)
    assert (result.position, result.problem) == (2, cs.Problem.COMMITMENT)


def test_a_removed_entry_is_named():
    trail = list(case_in("repatriated").trail)
    del trail[1]
    result = cs.verify(trail)
    assert (result.position, result.problem) == (1, cs.Problem.SEQUENCE)
    assert "removed, inserted or moved" in result.message


def test_reordered_entries_are_named():
    trail = list(case_in("repatriated").trail)
    trail[1], trail[2] = trail[2], trail[1]
    assert cs.verify(trail).position == 1


def test_an_inserted_entry_is_named_even_with_a_recomputed_hash():
    trail = list(case_in("repatriated").trail)
    forged = attrs.evolve(trail[1], to_status="dead")
    forged = attrs.evolve(forged, hash=entry_digest(forged, None))  # an attacker without a key can do this
    result = cs.verify([trail[0], forged, *trail[1:]])
    assert (result.position, result.problem) == (2, cs.Problem.SEQUENCE)


def test_a_rewritten_hash_is_caught_by_the_next_entry():
    trail = list(case_in("repatriated").trail)
    forged = attrs.evolve(trail[1], role="icrc")
    trail[1] = attrs.evolve(forged, hash=entry_digest(forged, None))
    result = cs.verify(trail)
    assert (result.position, result.problem) == (2, cs.Problem.PREVIOUS_HASH)
    assert result.message == (
        "case 'case-1': entry 2: does not follow the entry before it: "
        "that entry was altered, or this one inserted"
    )


def test_a_cut_off_tail_is_caught_with_the_expected_head():
    case = case_in("repatriated")
    assert cs.verify(case.trail[:-1]).ok  # without the head, a shorter trail looks whole
    result = cs.verify(case.trail[:-1], head=case.head)
    assert (result.problem, result.position) == (cs.Problem.TRUNCATED, 1)


def test_a_trail_that_goes_on_past_the_expected_head_is_caught_where_it_goes_on():
    case = case_in("repatriated")
    for kept in range(len(case.trail) - 1):
        head = case.trail[kept].hash
        result = cs.verify(case.trail, head=head)
        assert result == cs.Integrity(
            ok=False,
            case_id="case-1",
            entries=3,
            position=kept + 1,
            problem=cs.Problem.TRUNCATED,
            message=f"case 'case-1': entry {kept + 1}: goes on past the expected head, entry {kept}: "
            "entries were added after it, or the head kept is out of date",
        )
        with pytest.raises(cs.BrokenTrail, match="goes on past the expected head"):
            cs.from_json(cs.to_json(case), head=head)
        assert cs.verify(case.trail[: kept + 1], head=head).ok
    assert cs.verify(case_in("captured").trail, head=case.head) == cs.Integrity(
        ok=False,
        case_id="case-1",
        entries=2,
        position=1,
        problem=cs.Problem.TRUNCATED,
        message="case 'case-1': entry 1: is not the expected head: entries after it were cut off, "
        "or the trail was replaced",
    )


def test_an_entry_of_another_case_is_named():
    mine, theirs = case_in("captured"), opened("case-2")
    result = cs.verify([*mine.trail, *theirs.trail])
    assert (result.position, result.problem) == (2, cs.Problem.CASE_ID)


def test_a_trail_whose_first_entry_names_no_case_is_malformed_and_named_by_position_alone():
    trail = case_in("captured").trail
    result = cs.verify([attrs.evolve(trail[0], case_id=None), *trail[1:]])
    assert (result.case_id, result.entries, result.position) == (None, 2, 0)
    assert result.problem is cs.Problem.MALFORMED
    assert result.message.startswith("entry 0: holds a malformed value")


@pytest.mark.parametrize("field", ["kind", "fate", "assurance"])
def test_a_plain_string_where_a_name_of_casestate_belongs_is_malformed(field):
    # An app that builds entries by hand, or reads them with its own code, and forgets the enumeration.
    trail = case_in("captured").trail
    plain = attrs.evolve(trail[1], **{field: str(getattr(trail[1], field))})
    result = cs.verify([trail[0], plain])
    assert (result.problem, result.position) == (cs.Problem.MALFORMED, 1)
    assert (
        result.message
        == "case 'case-1': entry 1: holds a plain value where its kind, fate or assurance belongs"
    )


@pytest.mark.parametrize("left_out", ["actor_id", "salt", "both"])
def test_an_entry_redacted_in_part_is_malformed_even_where_redacted_entries_are_allowed(left_out):
    # Its reason and evidence would be shown, and without all of it the commitment checks none of it.
    trail = case_in("captured").trail
    gone = {"actor_id": None, "salt": None} if left_out == "both" else {left_out: None}
    partly = attrs.evolve(trail[1], **gone)
    for allow_redacted in (False, True):
        result = cs.verify([trail[0], partly], allow_redacted=allow_redacted)
        assert (result.problem, result.position) == (cs.Problem.MALFORMED, 1)
        assert (
            result.message
            == "case 'case-1': entry 1: holds part of its personal data: a redacted entry holds none"
        )
    redacted = cs.verify(cs.redact(trail))
    assert (redacted.problem, redacted.position) == (cs.Problem.REDACTED, 0)
    assert redacted.message == "case 'case-1': entry 0: its actor, reason and evidence are missing"
    assert cs.verify(cs.redact(trail), allow_redacted=True).ok


@pytest.mark.parametrize("kept", ["actor_id", "salt"])
def test_an_entry_redacted_but_for_its_actor_id_or_its_salt_is_malformed(kept):
    # Read as redacted, it would verify where redacted entries are allowed, its actor id shown unchecked.
    trail = case_in("captured").trail
    partly = attrs.evolve(trail[1].without_private(), **{kept: getattr(trail[1], kept)})
    for allow_redacted in (False, True):
        result = cs.verify([trail[0], partly], allow_redacted=allow_redacted)
        assert (result.problem, result.position, result.message) == (
            cs.Problem.MALFORMED,
            1,
            "case 'case-1': entry 1: holds part of its personal data: a redacted entry holds none",
        )


def test_an_empty_trail_does_not_verify():
    assert cs.verify([]) == cs.Integrity(
        ok=False,
        case_id=None,
        entries=0,
        position=0,
        problem=cs.Problem.EMPTY,
        message="the trail has no entries",
    )


def test_a_keyed_chain_needs_its_key():
    case = case_in("repatriated", key=KEY)
    assert case.keyed
    assert cs.verify(case.trail, key=KEY).ok
    assert cs.replay(case.trail, key=KEY) == case
    plain = case_in("repatriated")
    for trail, key, problem, words in (
        (case.trail, None, cs.Problem.KEY_REQUIRED, "the chain is sealed with a key; pass key="),
        (case.trail, b"x" * 32, cs.Problem.WRONG_KEY, "the chain is sealed with a different key"),
        (plain.trail, KEY, cs.Problem.NOT_SEALED, "a key was given but the chain is not sealed with one"),
    ):
        assert cs.verify(trail, key=key) == cs.Integrity(
            ok=False,
            case_id="case-1",
            entries=3,
            position=0,
            problem=problem,
            message=f"case 'case-1': entry 0: {words}",
        )


def test_without_the_key_a_keyed_chain_cannot_be_rewritten():
    trail = list(case_in("repatriated", key=KEY).trail)
    forged = attrs.evolve(trail[-1], role="court")
    trail[-1] = attrs.evolve(forged, hash=entry_digest(forged, None))
    assert cs.verify(trail, key=KEY).problem is cs.Problem.HASH


def test_a_plain_chain_is_refused_where_a_key_is_expected():
    assert cs.verify(case_in("captured").trail, key=KEY).problem is cs.Problem.NOT_SEALED


def test_apply_refuses_a_missing_wrong_or_unexpected_key():
    keyed, plain = case_in("captured", key=KEY), case_in("captured")
    step = change("report_wounded", "family", "photo", on=30)
    with pytest.raises(cs.ChainKeyError, match="pass key="):
        WORKFLOW.apply(keyed, step)
    with pytest.raises(cs.ChainKeyError, match="different key"):
        WORKFLOW.apply(keyed, step, key=b"y" * 32)
    with pytest.raises(cs.ChainKeyError, match="not sealed"):
        WORKFLOW.apply(plain, step, key=KEY)
    assert WORKFLOW.apply(keyed, step, key=KEY).status == "wounded"


@pytest.mark.parametrize(("key", "error"), [("text key", TypeError), (b"short", ValueError)])
def test_a_key_that_cannot_seal_is_refused(key, error):
    with pytest.raises(error, match="chain key"):
        opened(key=key)


def test_the_redacted_trail_verifies_and_reveals_nothing_left_out():
    case = WORKFLOW.open(
        "case-9", actor=cs.Actor("mother-77", "family"), effective_at=day(0), recorded_at=day(1), key=KEY
    )
    for step in PATH_TO["repatriated"]:
        case = WORKFLOW.apply(case, attrs.evolve(step, salt=os.urandom(16), reason="named witness"), key=KEY)
    redacted = cs.redact(case.trail)
    assert cs.verify(redacted, key=KEY, head=case.head, allow_redacted=True).ok
    assert cs.verify(redacted, key=KEY).problem is cs.Problem.REDACTED
    text = cs.to_json(cs.replay(redacted, key=KEY, allow_redacted=True))
    for entry in case.trail:
        for secret in (entry.private.actor_id, entry.private.salt.hex()):
            assert secret not in text
        for item in entry.private.evidence:
            assert item.reference not in text
            assert item.source not in text
    assert all(entry.redacted and entry.actor is None for entry in redacted)
    assert [entry.role for entry in redacted] == [entry.role for entry in case.trail]


def test_a_redacted_entry_altered_is_still_caught():
    redacted = list(cs.redact(case_in("repatriated").trail))
    redacted[1] = attrs.evolve(redacted[1], commitment="0" * 64)
    assert cs.verify(redacted, allow_redacted=True).position == 1
