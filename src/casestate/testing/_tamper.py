"""Tampering with a trail: every way to alter, remove, add, move or cut off entries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import attrs
from hypothesis import strategies as st

from casestate import BUILT_IN_KINDS, Assurance, Code, Entry, EntryKind, EvidenceKind, Fate, Private
from casestate.chain import GENESIS, entry_digest

from ._values import evidence


@attrs.frozen
class Tampering:
    """A trail altered on purpose, and what it takes to notice.

    *needs_head*: the alteration leaves a chain that holds together on its
    own (a cut-off tail; a plain chain rewritten from some entry on), so only
    the expected head, kept elsewhere, reveals it.
    """

    what: str
    entries: tuple[Entry, ...]
    needs_head: bool = False


def _flip_hex(text: str) -> str:
    return ("1" if text[0] == "0" else "0") + text[1:]


def _other(members: Sequence[Any], current: Any) -> st.SearchStrategy[Any]:  # noqa: ANN401 - any enum
    return st.sampled_from([member for member in members if member != current])


_SHIFTS = st.tuples(
    st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=500)), st.booleans()
)
_SAMPLE_EVIDENCE = evidence()


def _later_or_earlier(value: Any) -> st.SearchStrategy[Any]:  # noqa: ANN401 - a datetime
    return _SHIFTS.map(lambda pair: value + pair[0] if pair[1] else value - pair[0])


def _public_changes(entry: Entry) -> dict[str, st.SearchStrategy[Any]]:
    # Mostly fixed alterations: which field is altered matters, not by how much,
    # and an exhaustive test asks for every field of every entry.
    return {
        "seq": st.just(entry.seq + 1),
        "case_id": st.just(entry.case_id + "'"),
        "kind": _other(list(EntryKind), entry.kind),
        "trigger": st.just(entry.trigger + "'"),
        "from_status": st.just("missing" if entry.from_status is None else entry.from_status + "'"),
        "to_status": st.just(entry.to_status + "'"),
        "fate": _other(list(Fate), entry.fate),
        "assurance": _other(list(Assurance), entry.assurance),
        "role": st.just(entry.role + "'"),
        "evidence_kinds": st.just((*entry.evidence_kinds, EvidenceKind.DNA_MATCH)),
        "evidence_tiers": st.just(_other_tiers(entry)),
        "effective_at": _later_or_earlier(entry.effective_at),
        "recorded_at": _later_or_earlier(entry.recorded_at),
        "resolves": st.just((*entry.resolves, entry.seq)),
        "codes": st.just((*entry.codes, Code.ILLEGAL_TRANSITION)),
        "chain": st.just("hmac-sha256:0000000000000000" if entry.chain == "sha256" else "sha256"),
        "prev_hash": st.just(_flip_hex(entry.prev_hash)),
        "commitment": st.just(_flip_hex(entry.commitment)),
        "hash": st.just(_flip_hex(entry.hash)),
    }


def _other_tiers(entry: Entry) -> tuple[int, ...]:
    """Tiers beside the kinds of *entry* that are not those it records: another tier for the first, or any."""
    tiers = entry.evidence_tiers
    if tiers is None:
        return tuple(int(BUILT_IN_KINDS[kind].tier) for kind in entry.evidence_kinds)
    return (tiers[0] % 4 + 1, *tiers[1:]) if tiers else (1,)


def _private_changes(private: Private) -> dict[str, st.SearchStrategy[Any]]:
    longer = _SAMPLE_EVIDENCE.map(lambda item: (*private.evidence, item))
    return {
        "actor_id": st.just(private.actor_id + "'"),
        "reason": st.just("a reason" if private.reason is None else None),
        "evidence": st.just(private.evidence[:-1]) if private.evidence else longer,
        "salt": st.just(bytes([private.salt[0] ^ 1]) + private.salt[1:]),
    }


def alterations(entry: Entry) -> dict[str, st.SearchStrategy[Entry]]:
    """For each field of *entry* (``private.reason`` for the personal ones), copies with it altered.

    Every one must make ``verify`` fail, wherever in a trail the entry is.
    """
    found = {field: values.map(_setter(entry, field)) for field, values in _public_changes(entry).items()}
    if entry.private is not None:
        for field, values in _private_changes(entry.private).items():
            found[f"private.{field}"] = values.map(_setter(entry, field))
    return found


def _setter(entry: Entry, field: str) -> Callable[[Any], Entry]:
    def altered(value: Any) -> Entry:  # noqa: ANN401 - any field's value
        return attrs.evolve(entry, **{field: value})

    return altered


@st.composite
def _mutation(draw: st.DrawFn, trail: tuple[Entry, ...]) -> Tampering:
    position = draw(st.integers(0, len(trail) - 1))
    choices = alterations(trail[position])
    field = draw(st.sampled_from(sorted(choices)))
    altered = draw(choices[field])
    return Tampering(f"entry {position}: {field} altered", _replace(trail, position, altered))


def _replace(trail: tuple[Entry, ...], position: int, entry: Entry) -> tuple[Entry, ...]:
    return (*trail[:position], entry, *trail[position + 1 :])


@st.composite
def _deletion(draw: st.DrawFn, trail: tuple[Entry, ...]) -> Tampering:
    position = draw(st.integers(0, len(trail) - 1))
    last = position == len(trail) - 1
    return Tampering(
        f"entry {position} removed", (*trail[:position], *trail[position + 1 :]), needs_head=last
    )


@st.composite
def _insertion(draw: st.DrawFn, trail: tuple[Entry, ...]) -> Tampering:
    position = draw(st.integers(0, len(trail)))
    copied = trail[draw(st.integers(0, len(trail) - 1))]
    return Tampering(
        f"entry {copied.seq} copied to {position}", (*trail[:position], copied, *trail[position:])
    )


@st.composite
def _reordering(draw: st.DrawFn, trail: tuple[Entry, ...]) -> Tampering:
    first, second = sorted(
        draw(st.lists(st.integers(0, len(trail) - 1), min_size=2, max_size=2, unique=True))
    )
    moved = list(trail)
    moved[first], moved[second] = moved[second], moved[first]
    return Tampering(f"entries {first} and {second} swapped", tuple(moved))


@st.composite
def _truncation(draw: st.DrawFn, trail: tuple[Entry, ...]) -> Tampering:
    kept = draw(st.integers(0, len(trail) - 1))
    return Tampering(f"cut off after {kept} entries", trail[:kept], needs_head=kept > 0)


def rewritten(trail: Sequence[Entry], position: int) -> Tampering:
    """*trail* with entry *position* rewritten, and it and every later entry re-sealed.

    Anyone can do this to a plain chain: only the expected head, kept
    elsewhere, reveals it. Without the key, a keyed chain cannot be re-sealed.
    """
    entries = tuple(trail)
    entry = entries[position]
    rewritten = list(entries[:position])
    previous = rewritten[-1].hash if rewritten else GENESIS
    for item in (attrs.evolve(entry, role=entry.role + "'"), *entries[position + 1 :]):
        relinked = attrs.evolve(item, prev_hash=previous)
        relinked = attrs.evolve(relinked, hash=entry_digest(relinked, None))
        rewritten.append(relinked)
        previous = relinked.hash
    plain = entries[0].chain == "sha256"
    return Tampering(
        f"entry {position} rewritten and the chain re-sealed", tuple(rewritten), needs_head=plain
    )


def _rewrite(trail: tuple[Entry, ...]) -> st.SearchStrategy[Tampering]:
    return st.integers(0, len(trail) - 1).map(lambda position: rewritten(trail, position))


_KINDS: tuple[Callable[[tuple[Entry, ...]], st.SearchStrategy[Tampering]], ...] = (
    _mutation,
    _deletion,
    _insertion,
    _reordering,
    _truncation,
    _rewrite,
)


def tamperings(trail: Sequence[Entry]) -> st.SearchStrategy[Tampering]:
    """Every single alteration of *trail*, one per example.

    A field of one entry (public or personal) changed, an entry removed,
    copied in, or swapped with another, the tail cut off, or one entry
    rewritten with the chain re-sealed after it, as anyone without the key can.

    ``casestate.verify(t.entries, key=key, head=head)`` must fail for every one,
    and without *head* for every one that does not say ``needs_head``.
    """
    entries = tuple(trail)
    kinds = [kind for kind in _KINDS if kind is not _reordering or len(entries) > 1]
    return st.one_of([kind(entries) for kind in kinds])
