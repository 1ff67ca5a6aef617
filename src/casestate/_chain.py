"""The hash chain: canonical bytes, sealing, verification and redaction.

Each entry's hash covers its public fields, a commitment to its personal data
and the previous entry's hash. With a secret key the hash is an HMAC, so
whoever can write the database but lacks the key cannot forge a new chain.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from functools import lru_cache

import attrs

from ._change import salt_problem
from ._entry import Entry, EntryKind
from ._errors import CasestateError
from ._evidence import Evidence, EvidenceKind
from ._kinds import BUILT_IN_KINDS, EvidenceKindDef, tiers_beside, tiers_problem
from ._layout import canonical_bytes, canonical_private, canonical_public, new_entry
from ._status import Assurance, Fate, Whereabouts
from ._verdict import Code

GENESIS = "0" * 64
"""The previous hash (:attr:`~casestate.Entry.prev_hash`) of every case's first entry: 64 zeros."""

PLAIN_CHAIN = "sha256"
_ENTRY_DOMAIN = b"casestate/entry/1\n"
_PRIVATE_DOMAIN = b"casestate/private/1\n"
_KEY_ID_INPUT = b"casestate/key-id/1"
MIN_KEY_BYTES = 16
"""The shortest key that may seal a chain, in bytes."""


def commitment(actor_id: str, reason: str | None, evidence: tuple[Evidence, ...], salt: bytes) -> str:
    """The commitment to an entry's personal data: SHA-256 over a random salt and its bytes.

    The salt keeps guessable values (an actor id, a short reason) from being
    found by hashing candidates against a redacted export.
    """
    return hashlib.sha256(_PRIVATE_DOMAIN + salt + canonical_private(actor_id, reason, evidence)).hexdigest()


class ChainKeyError(CasestateError, ValueError):
    """The key given does not fit the case's chain: missing, unexpected or different."""


def check_key(key: object) -> bytes:
    """*key* if it can seal a chain (bytes, at least 16 of them); a ``TypeError`` or ``ValueError`` otherwise.

    >>> check_key(b"k" * 32) == b"k" * 32
    True
    >>> check_key("k" * 32)
    Traceback (most recent call last):
    ...
    TypeError: the chain key must be bytes, not str
    """
    if not isinstance(key, bytes):
        msg = f"the chain key must be bytes, not {type(key).__name__}"
        raise TypeError(msg)
    if len(key) < MIN_KEY_BYTES:
        msg = f"the chain key must be at least {MIN_KEY_BYTES} bytes long"
        raise ValueError(msg)
    return key


def same_digest(given: object, expected: str) -> bool:
    """Whether *given* is the digest *expected*, compared in constant time.

    ``!=`` stops at the first differing character, which tells whoever can
    time a refusal how much of a forged HMAC or key id was right.
    ``hmac.compare_digest`` compares ASCII text only: anything else is no
    digest of ours.
    """
    return isinstance(given, str) and given.isascii() and hmac.compare_digest(given, expected)


def _equal(given: object, expected: str) -> bool:
    return given == expected


_DIGEST_TEXT = re.compile(r"[0-9a-f]{64}")


def commitment_problem(value: object) -> str | None:
    """Why *value* cannot be a commitment (64 lowercase hexadecimal digits); ``None`` if it can.

    >>> commitment_problem("a" * 64) is None, commitment_problem("ivan petrenko")
    (True, 'not 64 lowercase hexadecimal digits')
    """
    if isinstance(value, str) and _DIGEST_TEXT.fullmatch(value) is not None:
        return None
    return "not 64 lowercase hexadecimal digits"


def chain_for_key(key: bytes | None) -> str:
    """The chain label for *key*: ``sha256``, or ``hmac-sha256:<key id>``.

    The key id is an HMAC of a fixed text: it tells keys apart without
    revealing them, so a wrong key is refused up front instead of breaking the
    chain.

    >>> chain_for_key(None)
    'sha256'
    >>> chain_for_key(b"k" * 32)
    'hmac-sha256:...'
    """
    if key is None:
        return PLAIN_CHAIN
    return _keyed_chain(check_key(key))


@lru_cache(maxsize=64)
def _keyed_chain(key: bytes) -> str:
    key_id = hmac.new(key, _KEY_ID_INPUT, hashlib.sha256).hexdigest()[:16]
    return f"hmac-sha256:{key_id}"


def digest(public: bytes, key: bytes | None) -> str:
    """The hash of an entry from its canonical public bytes."""
    if key is None:
        return hashlib.sha256(_ENTRY_DOMAIN + public).hexdigest()
    return hmac.new(key, _ENTRY_DOMAIN + public, hashlib.sha256).hexdigest()


_ONE_KIND = {kind: (kind,) for kind in EvidenceKind}
"""One shared ``(kind,)`` tuple per kind: most entries carry one piece of evidence,
and a tuple of their own would cost each of them memory and the garbage collector
another object to track."""


def _kinds_of(evidence: tuple[Evidence, ...]) -> tuple[EvidenceKind | str, ...]:
    """The kinds of *evidence*, in order: sealing stores them, verifying compares them."""
    if len(evidence) == 1:  # nearly every entry: no generator, and a shared tuple
        kind = evidence[0].kind
        return _ONE_KIND.get(kind) or (kind,)  # type: ignore[call-overload] # a declared kind's name: no key
    return tuple([item.kind for item in evidence])


def seal(  # noqa: PLR0917 - an entry's fields, by position: see below
    seq: int,
    case_id: str,
    kind: EntryKind,
    trigger: str,
    from_status: str | None,
    to_status: str,
    fate: Fate,
    assurance: Assurance,
    role: str,
    actor_id: str,
    reason: str | None,
    evidence: tuple[Evidence, ...],
    effective_at: datetime,
    recorded_at: datetime,
    resolves: tuple[int, ...],
    codes: tuple[Code, ...],
    reverts_to: int | None,
    prev_hash: str,
    salt: bytes,
    key: bytes | None,
    workflow: str | None = None,
    whereabouts: Whereabouts | None = None,
    follows: str | None = None,
    source_id: str | None = None,
    displaces: int | None = None,
    kinds: Mapping[str, EvidenceKindDef] = BUILT_IN_KINDS,
    carries_into: int | None = None,
    contests: tuple[int, ...] | None = None,
    reconciles: tuple[int, ...] | None = None,
) -> Entry:
    """Make the next entry of a chain, its commitment and hash computed.

    *workflow* is the identity of the workflow that opens a case (the
    opening entry alone records it); *whereabouts*, where the person or the
    remains are after the change; *follows*, for an opening entry, the case
    of the person's disappearance before; *source_id*, the id the change's
    source gave it; *displaces*, the report a rival report displaces;
    *kinds*, the kinds of evidence the workflow knows (an entry records the
    tier of a declared kind beside its name); *carries_into*, for a late
    report of an earlier period, the current period that takes its whereabouts;
    *contests*, for a move, the corroborations of the period it ends that it makes conflicts;
    *reconciles*, for a move, the open conflicts that agree with the period it begins.

    Every apply calls this once: the fields go by position, as passing twenty
    keywords costs an apply more than a digest does.
    """
    committed = commitment(actor_id, reason, evidence, salt)
    evidence_kinds = _kinds_of(evidence)
    evidence_tiers = tiers_beside(evidence_kinds, kinds)
    # Not mutated: chain_for_key(None) is PLAIN_CHAIN; the test only saves the call.
    chain = PLAIN_CHAIN if key is None else chain_for_key(key)  # pragma: no mutate
    # By position, in the order the entry's declaration gives its public
    # fields (layout.PUBLIC): an apply pays for every keyword passed.
    public_fields = (
        seq,
        case_id,
        kind,
        trigger,
        from_status,
        to_status,
        fate,
        assurance,
        role,
        evidence_kinds,
        effective_at,
        recorded_at,
        resolves,
        codes,
        reverts_to,
        chain,
        prev_hash,
        committed,
        workflow,
        whereabouts,
        follows,
        source_id,
        displaces,
        evidence_tiers,
        carries_into,
        contests,
        reconciles,
    )
    public = canonical_public(*public_fields)
    return new_entry(*public_fields, digest(public, key), actor_id, reason, evidence, salt)


def entry_digest(entry: Entry, key: bytes | None) -> str:
    """Recompute *entry*'s hash from its content: SHA-256, or an HMAC under *key*.

    An intact entry's digest is its :attr:`~casestate.Entry.hash`:

    >>> from datetime import datetime, UTC
    >>> import casestate as cs
    >>> when = datetime(2024, 3, 1, tzinfo=UTC)
    >>> case = cs.DEFAULT_WORKFLOW.open("ua-1", actor=cs.Actor("olena", "family"),
    ...     effective_at=when, recorded_at=when)
    >>> entry_digest(case.trail[0], None) == case.trail[0].hash
    True
    """
    return digest(canonical_bytes(entry), key)


class Problem(StrEnum):
    """What is wrong with a trail, as ``verify`` finds it."""

    EMPTY = "empty"
    """No entries at all: a case always has its opening entry."""
    SEQUENCE = "sequence"
    """An entry is missing, inserted or out of order."""
    CASE_ID = "case_id"
    """An entry belongs to another case."""
    PREVIOUS_HASH = "previous_hash"
    """An entry does not follow the one before it: that one was altered or replaced."""
    COMMITMENT = "commitment"
    """The personal data no longer matches its commitment: it was altered."""
    HASH = "hash"
    """The entry's content no longer matches its hash: it was altered."""
    CHAIN = "chain"
    """The entries disagree on how the chain is sealed."""
    KEY_REQUIRED = "key_required"
    """The chain is sealed with a key and none was given."""
    WRONG_KEY = "wrong_key"
    """The chain is sealed with a different key."""
    NOT_SEALED = "not_sealed"
    """A key was given, but the chain is a plain one anyone could have rewritten."""
    TRUNCATED = "truncated"
    """The last entry is not the expected head: entries were cut off, or added after it."""
    REDACTED = "redacted"
    """The personal data of an entry is missing where a full trail was expected."""
    MALFORMED = "malformed"
    """An entry holds values of the wrong type (a naive time, a plain string for an enum)."""
    INCONSISTENT = "inconsistent"
    """The chain holds, but an entry does not follow from the one before it."""


@attrs.frozen(kw_only=True)
class Integrity:
    """The result of verifying a trail: ``ok``, or the first broken entry.

    *position* is the index in the trail given, which is the entry's
    sequence number in an intact trail.
    """

    ok: bool
    case_id: str | None
    entries: int
    position: int | None = None
    problem: Problem | None = None
    message: str = "the trail verifies"

    def __bool__(self) -> bool:
        return self.ok


class BrokenTrail(CasestateError, ValueError):
    """A trail that fails verification; carries the :class:`Integrity` that says where."""

    def __init__(self, integrity: Integrity) -> None:
        self.integrity = integrity
        super().__init__(integrity.message)

    def __reduce__(self) -> tuple[type[BrokenTrail], tuple[Integrity], dict[str, object]]:
        # Pickled by its fields, as its constructor takes them (and its notes): it crosses processes.
        return (BrokenTrail, (self.integrity,), self.__dict__)


def _broken(case_id: str | None, entries: int, position: int, problem: Problem, text: str) -> Integrity:
    where = f"case {case_id!r}: entry {position}" if case_id is not None else f"entry {position}"
    return Integrity(
        ok=False,
        case_id=case_id,
        entries=entries,
        position=position,
        problem=problem,
        message=f"{where}: {text}",
    )


def verify(
    entries: Sequence[Entry],
    *,
    key: bytes | None = None,
    head: str | None = None,
    allow_redacted: bool = False,
    trusted: int = 0,
) -> Integrity:
    """Check that *entries* form one unbroken chain, and say where it breaks.

    Detects an entry altered, removed, inserted or moved; with *head* (the
    hash of the last entry, as kept elsewhere) also a cut-off tail. A chain
    sealed with a key needs that key. Redacted entries verify through their
    commitments, but only with *allow_redacted*: in a full trail, personal
    data that went missing is a break too. The first *trusted* entries are
    taken as verified before (a trail that has grown since): checking starts
    after them.

    Returns an :class:`Integrity` and never raises for a broken trail;
    :func:`casestate.replay` raises instead, and also checks that each entry
    follows from the one before.
    """
    if head is not None and not isinstance(head, str):
        # Compared with a hash, anything else would only ever report a cut-off trail.
        msg = f"head must be the hash of the last entry (a str), not {type(head).__name__}"
        raise TypeError(msg)
    count = len(entries)
    if count == 0:
        return Integrity(
            ok=False,
            case_id=None,
            entries=0,
            position=0,
            problem=Problem.EMPTY,
            message="the trail has no entries",
        )
    case_id = entries[0].case_id
    broken = _check_key(entries[0].chain, key)
    if broken is not None:
        problem, text = broken
        return _broken(case_id, count, 0, problem, text)
    if trusted > count:
        return _broken(
            case_id,
            count,
            count - 1,
            Problem.TRUNCATED,
            f"is the last of {count} entries, but {trusted} were verified before: entries were cut off",
        )
    previous = GENESIS if trusted <= 0 else entries[trusted - 1].hash
    for position in range(max(trusted, 0), count):
        entry = entries[position]
        try:
            found = _check_entry(
                entry,
                position=position,
                case_id=case_id,
                chain=entries[0].chain,
                previous=previous,
                key=key,
                allow_redacted=allow_redacted,
            )
        except (AttributeError, TypeError, ValueError) as error:
            found = (Problem.MALFORMED, f"holds a malformed value: {error}")
        if found is not None:
            problem, text = found
            return _broken(case_id, count, position, problem, text)
        previous = entry.hash
    if head is not None and not same_digest(head, previous):
        return _not_the_head(entries, head, case_id)
    return Integrity(ok=True, case_id=case_id, entries=count)


def _not_the_head(entries: Sequence[Entry], head: str, case_id: str) -> Integrity:
    """The verdict on a whole chain that does not end in *head*: cut off, gone on past it, or replaced."""
    count = len(entries)
    for position in range(count - 1):
        if same_digest(head, entries[position].hash):
            return _broken(
                case_id,
                count,
                position + 1,
                Problem.TRUNCATED,
                f"goes on past the expected head, entry {position}: "
                "entries were added after it, or the head kept is out of date",
            )
    return _broken(
        case_id,
        count,
        count - 1,
        Problem.TRUNCATED,
        "is not the expected head: entries after it were cut off, or the trail was replaced",
    )


def key_problem(chain: str, key: bytes | None) -> Problem | None:
    """Why *key* does not fit a chain labelled *chain* (a key required, not sealed, wrong), or ``None``.

    The one comparison of a key with a chain, in constant time: verify,
    apply and the stores each say it in their own words.

    >>> key = b"k" * 32
    >>> key_problem(chain_for_key(key), key) is None
    True
    >>> key_problem("sha256", key), key_problem(chain_for_key(key), None)
    (<Problem.NOT_SEALED: 'not_sealed'>, <Problem.KEY_REQUIRED: 'key_required'>)
    """
    if key is None:
        return None if chain == PLAIN_CHAIN else Problem.KEY_REQUIRED
    if chain == PLAIN_CHAIN:
        return Problem.NOT_SEALED
    return None if same_digest(chain, chain_for_key(key)) else Problem.WRONG_KEY


_KEY_PROBLEMS = {
    Problem.KEY_REQUIRED: "the chain is sealed with a key; pass key=",
    Problem.NOT_SEALED: "a key was given but the chain is not sealed with one",
    Problem.WRONG_KEY: "the chain is sealed with a different key",
}


def _check_key(chain: str, key: bytes | None) -> tuple[Problem, str] | None:
    problem = key_problem(chain, key)
    return None if problem is None else (problem, _KEY_PROBLEMS[problem])


def _check_entry(  # noqa: PLR0911 - one return per kind of break, in checking order
    entry: Entry,
    *,
    position: int,
    case_id: str,
    chain: str,
    previous: str,
    key: bytes | None,
    allow_redacted: bool,
) -> tuple[Problem, str] | None:
    if (
        type(entry.kind) is not EntryKind
        or type(entry.fate) is not Fate
        or type(entry.assurance) is not Assurance
    ):
        return Problem.MALFORMED, "holds a plain value where its kind, fate or assurance belongs"
    unpaired = tiers_problem(entry.evidence_kinds, entry.evidence_tiers)
    if unpaired is not None:
        return Problem.MALFORMED, unpaired
    if entry.case_id != case_id:
        return Problem.CASE_ID, f"belongs to case {entry.case_id!r}"
    if entry.seq != position:
        return Problem.SEQUENCE, f"has sequence number {entry.seq}: an entry was removed, inserted or moved"
    if entry.chain != chain:
        return Problem.CHAIN, f"is sealed as {entry.chain!r}, not {chain!r}"
    # Under a key, every digest is compared in constant time; a plain chain holds
    # no secret a timing could leak, and its digests compare as any text does.
    same = same_digest if key is not None else _equal  # pragma: no mutate - either compares the same
    if not same(entry.prev_hash, previous):
        return (
            Problem.PREVIOUS_HASH,
            "does not follow the entry before it: that entry was altered, or this one inserted",
        )
    found = _private_problem(entry, allow_redacted=allow_redacted, same=same)
    if found is not None:
        return found
    if not same(entry.hash, entry_digest(entry, key)):
        return Problem.HASH, "was altered: its content does not match its hash"
    return None


def _private_problem(
    entry: Entry, *, allow_redacted: bool, same: Callable[[object, str], bool]
) -> tuple[Problem, str] | None:
    """What is wrong with an entry's personal data and its commitment, if anything."""
    actor_id, salt, evidence = entry.actor_id, entry.salt, entry.evidence
    if actor_id is None or salt is None:
        return _redacted_problem(entry, allow_redacted=allow_redacted)
    weak = salt_problem(salt)
    if weak is not None:
        return Problem.MALFORMED, f"holds {weak}"
    committed = commitment(actor_id, entry.reason, evidence, salt)
    if not same(entry.commitment, committed) or entry.evidence_kinds != _kinds_of(evidence):
        return Problem.COMMITMENT, "its actor, reason or evidence was altered"
    return None


def _redacted_problem(entry: Entry, *, allow_redacted: bool) -> tuple[Problem, str] | None:
    """What is wrong with an entry without its actor or its salt, if anything."""
    if entry.actor_id is not None or entry.salt is not None or entry.reason is not None or entry.evidence:
        # What is left would be shown unchecked: the commitment needs all of it.
        return Problem.MALFORMED, "holds part of its personal data: a redacted entry holds none"
    if not allow_redacted:
        return Problem.REDACTED, "its actor, reason and evidence are missing"
    weak = commitment_problem(entry.commitment)
    if weak is not None:
        return Problem.MALFORMED, f"its commitment is {weak}"
    return None


def redact(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    """The trail without personal data (actor ids, reasons, evidence details).

    Statuses, fates, roles, evidence kinds and both clocks stay; the result
    still verifies, because each hash covers a commitment to what was left out.
    """
    return tuple(entry.without_private() for entry in entries)
