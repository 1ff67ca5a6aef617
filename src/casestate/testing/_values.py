"""Strategies for the small values of a case: instants, texts, actors and evidence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from functools import cache

import attrs
from hypothesis import strategies as st

from casestate import (
    BUILT_IN_KINDS,
    Actor,
    Evidence,
    EvidenceKind,
    EvidenceKindDef,
    EvidenceRule,
    Fate,
    Tier,
    as_evidence_kind,
)

TEST_KEY = b"casestate.testing: a chain key!!"
"""A fixed 32-byte key for HMAC chains in tests; never use it for real cases."""

_EARLIEST = datetime(2000, 1, 1)  # noqa: DTZ001 - hypothesis bounds are naive; zones come separately
_LATEST = datetime(2100, 1, 1)  # noqa: DTZ001 - same

_ZONES = st.sampled_from(
    [
        UTC,
        timezone(timedelta(hours=3)),
        timezone(timedelta(hours=-5)),
        timezone(timedelta(hours=5, minutes=45)),
    ]
)


def instants(min_value: datetime = _EARLIEST, max_value: datetime = _LATEST) -> st.SearchStrategy[datetime]:
    """Timezone-aware instants, in UTC or a fixed offset, down to the microsecond.

    *min_value* and *max_value* are naive UTC bounds. Drawn as a count of
    microseconds, which is many times faster than ``st.datetimes`` and
    shrinks towards *min_value* just the same.
    """
    start = min_value.replace(tzinfo=UTC)
    span = (max_value.replace(tzinfo=UTC) - start) // _TICK
    return _instants(start, span)


_TICK = timedelta(microseconds=1)


@cache
def _instants(start: datetime, span: int) -> st.SearchStrategy[datetime]:
    return st.tuples(st.integers(0, span), _ZONES).map(
        lambda pair: (start + pair[0] * _TICK).astimezone(pair[1])
    )


@cache
def gaps(*, least: timedelta = timedelta(0), long: bool = True) -> st.SearchStrategy[timedelta]:
    """Time between two events: often none or a little, sometimes (with *long*) a year.

    Long gaps let waiting periods (a court's six months) pass in a few steps.
    """
    short = st.timedeltas(min_value=max(least, timedelta(0)), max_value=max(least, timedelta(days=30)))
    options = [st.just(least), short]
    if long:
        options.append(
            st.timedeltas(min_value=max(least, timedelta(days=100)), max_value=timedelta(days=400))
        )
    return st.one_of(options)


@cache
def texts(*, max_size: int = 12) -> st.SearchStrategy[str]:
    """Text of any script that shows what it says, as ids, reasons, references and names must.

    No character that shows nothing (controls, format characters, spaces
    other than the plain one, fillers), and no space at either end: such
    text is refused as an identifier, since it would look like another.
    """
    letters = st.characters(
        exclude_categories=["Cs", "Cc", "Cf", "Zs", "Zl", "Zp"],
        include_characters=" ",
        exclude_characters="\u115f\u1160\u3164\uffa0\u2800",
    )
    return st.text(letters, min_size=1, max_size=max_size).filter(lambda text: text.strip() == text)


def actors(
    roles: Iterable[str] | st.SearchStrategy[str], *, ids: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Actor]:
    """Actors in one of *roles*, by default with ids from a small pool (``family-2``).

    A small pool means the same actor comes back, as the one who reported a
    status and may later retract it.
    """
    if isinstance(roles, st.SearchStrategy):
        role_strategy = roles
    else:
        if ids is None:
            return _pooled_actors(frozenset(roles))
        role_strategy = st.sampled_from(sorted(roles))
    if ids is None:
        return role_strategy.flatmap(lambda role: _pooled_actors(frozenset({role})))
    return st.builds(Actor, ids, role_strategy)


@cache
def _pooled_actors(roles: frozenset[str]) -> st.SearchStrategy[Actor]:
    return st.tuples(st.sampled_from(sorted(roles)), st.integers(1, 3)).map(
        lambda pair: Actor(f"{pair[0]}-{pair[1]}", pair[0])
    )


Known = Mapping[str, EvidenceKindDef]
"""The kinds of evidence a workflow knows, by name (``workflow.known_kinds``)."""


@cache
def _by_tier(known: frozenset[EvidenceKindDef]) -> tuple[EvidenceKindDef, ...]:
    return tuple(sorted(known, key=lambda kind: (kind.tier, str(kind.name))))


def _pool(known: Known) -> tuple[EvidenceKindDef, ...]:
    """Every kind of *known*, strongest tier first (a mapping is no cache key: its kinds are)."""
    return _by_tier(frozenset(known.values()))


def accepted_kinds(rule: EvidenceRule, known: Known = BUILT_IN_KINDS) -> tuple[EvidenceKind | str, ...]:
    """The kinds of evidence *rule* accepts, strongest tier first, of those *known* (default: built-in)."""
    return tuple(kind.name for kind in _pool(known) if rule.accepts_kind(kind))


def refused_kinds(rule: EvidenceRule, known: Known = BUILT_IN_KINDS) -> tuple[EvidenceKind | str, ...]:
    """The kinds of evidence *rule* refuses, of those *known*."""
    return tuple(kind.name for kind in _pool(known) if not rule.accepts_kind(kind))


def fits(kind: EvidenceKind | str, fate: Fate | str | None, known: Known = BUILT_IN_KINDS) -> bool:
    """Whether evidence of *kind* may back a change giving *fate* (any kind, for no or an unknown fate).

    >>> fits(EvidenceKind.DEATH_CERTIFICATE, "alive")
    False
    """
    return fate is None or fate == Fate.UNKNOWN or known[kind].indicates in (None, fate)


def _fitting(
    kinds: Iterable[EvidenceKind | str], fate: Fate | str | None, known: Known
) -> tuple[EvidenceKind | str, ...]:
    return tuple(kind for kind in kinds if fits(kind, fate, known))


def evidence(
    kinds: Iterable[EvidenceKind | str] | None = None,
    *,
    max_tier: Tier = Tier.UNVERIFIED,
    obtained_at: st.SearchStrategy[datetime] | None = None,
    texts: st.SearchStrategy[str] | None = None,
    fate: Fate | str | None = None,
    known: Known = BUILT_IN_KINDS,
) -> st.SearchStrategy[Evidence]:
    """Single pieces of evidence: of *kinds* (default: every kind *known*) no weaker than *max_tier*.

    With *fate*, only kinds that do not speak for the other fate. *known*
    are the kinds the workflow knows (``workflow.known_kinds``): by default
    the built-in ones.
    """
    pool = (
        [kind.name for kind in _pool(known)] if kinds is None else [as_evidence_kind(kind) for kind in kinds]
    )
    strangers = [kind for kind in pool if kind not in known]
    if strangers:
        msg = f"evidence kind {strangers[0]!r} is not among the kinds known: pass known=workflow.known_kinds"
        raise ValueError(msg)
    choices = tuple(kind for kind in _fitting(pool, fate, known) if known[kind].tier <= max_tier)
    if not choices:
        msg = "no kind of evidence fits the bounds given"
        raise ValueError(msg)
    if obtained_at is None and texts is None:
        return _evidence_of(choices)
    words = _texts_or_default(texts)
    return st.builds(
        Evidence,
        _kinds_of(choices),
        words,
        words,
        obtained_at if obtained_at is not None else instants(),
    )


@cache
def _evidence_of(kinds: tuple[EvidenceKind | str, ...]) -> st.SearchStrategy[Evidence]:
    words = _texts_or_default(None)
    return st.builds(Evidence, _kinds_of(kinds), words, words, instants())


def _kinds_of(kinds: tuple[EvidenceKind | str, ...]) -> st.SearchStrategy[EvidenceKind | str]:
    """One of *kinds*: a declared one as often as a built-in one, where there are both.

    Among the thirty built-in kinds, the one or two a workflow declares would
    be drawn next to never, and the rules that count them never tried.
    """
    declared = tuple(kind for kind in kinds if kind not in BUILT_IN_KINDS)
    if not declared or len(declared) == len(kinds):
        return st.sampled_from(kinds)
    built_in = tuple(kind for kind in kinds if kind in BUILT_IN_KINDS)
    return st.sampled_from(declared) | st.sampled_from(built_in)


def _texts_or_default(strategy: st.SearchStrategy[str] | None) -> st.SearchStrategy[str]:
    return texts() if strategy is None else strategy


def enough_evidence(
    rule: EvidenceRule | None,
    *,
    obtained_at: st.SearchStrategy[datetime] | None = None,
    texts: st.SearchStrategy[str] | None = None,
    fate: Fate | str | None = None,
    known: Known = BUILT_IN_KINDS,
) -> st.SearchStrategy[tuple[Evidence, ...]]:
    """Evidence that satisfies *rule*: one accepted piece, maybe with others beside it.

    With ``None`` (no evidence needed), zero to two pieces of any kind. With
    *fate*, no piece speaks for the other fate (see :func:`fits`). *known*
    are the kinds the workflow knows (``workflow.known_kinds``).
    """
    if obtained_at is None and texts is None:
        return _enough_evidence(rule, None if fate is None else Fate(fate), frozenset(known.values()))
    return _make_enough_evidence(rule, obtained_at, texts, fate, known)


@cache
def _enough_evidence(
    rule: EvidenceRule | None, fate: Fate | None, known: frozenset[EvidenceKindDef]
) -> st.SearchStrategy[tuple[Evidence, ...]]:
    return _make_enough_evidence(rule, None, None, fate, {kind.name: kind for kind in known})


def _make_enough_evidence(
    rule: EvidenceRule | None,
    obtained_at: st.SearchStrategy[datetime] | None,
    texts: st.SearchStrategy[str] | None,
    fate: Fate | str | None,
    known: Known,
) -> st.SearchStrategy[tuple[Evidence, ...]]:
    anything = evidence(obtained_at=obtained_at, texts=texts, fate=fate, known=known)
    if rule is None:
        return st.lists(anything, max_size=2).map(tuple)
    kinds = _fitting(accepted_kinds(rule, known), fate, known)
    if not kinds:
        msg = f"no kind of evidence satisfies {rule.describe()} and fits fate {fate}"
        raise ValueError(msg)
    accepted = evidence(kinds, obtained_at=obtained_at, texts=texts, known=known)
    # The accepted piece first, last or between the others: position must not matter.
    return st.tuples(st.lists(anything, max_size=1), accepted, st.lists(anything, max_size=1)).map(
        lambda parts: (*parts[0], parts[1], *parts[2])
    )


def weak_evidence(
    rule: EvidenceRule,
    *,
    obtained_at: st.SearchStrategy[datetime] | None = None,
    texts: st.SearchStrategy[str] | None = None,
    known: Known = BUILT_IN_KINDS,
) -> st.SearchStrategy[tuple[Evidence, ...]]:
    """One to three pieces of evidence, of kinds *known*, none of which satisfies *rule*."""
    if obtained_at is None and texts is None:
        return _weak_evidence(rule, frozenset(known.values()))
    return _make_weak_evidence(rule, obtained_at, texts, known)


@cache
def _weak_evidence(
    rule: EvidenceRule, known: frozenset[EvidenceKindDef]
) -> st.SearchStrategy[tuple[Evidence, ...]]:
    return _make_weak_evidence(rule, None, None, {kind.name: kind for kind in known})


def _make_weak_evidence(
    rule: EvidenceRule,
    obtained_at: st.SearchStrategy[datetime] | None,
    texts: st.SearchStrategy[str] | None,
    known: Known,
) -> st.SearchStrategy[tuple[Evidence, ...]]:
    kinds = refused_kinds(rule, known)
    if not kinds:
        msg = f"every kind of evidence satisfies {rule.describe()}"
        raise ValueError(msg)
    pieces = evidence(kinds, obtained_at=obtained_at, texts=texts, known=known)
    return st.lists(pieces, min_size=1, max_size=3).map(tuple)


_TEN_YEARS = timedelta(days=3653)
_ONE_TICK = timedelta(microseconds=1)


def obtained_by(
    proof: Iterable[Evidence],
    recorded: datetime,
    effective: datetime | None = None,
    known: Known = BUILT_IN_KINDS,
) -> tuple[Evidence, ...]:
    """*proof*, each piece obtained by *recorded* at the latest (later times folded back before it).

    Given the *effective* time of the change, a piece of a kind that attests
    a past event (see ``EvidenceKind.attests_past``; of the kinds *known*) is
    also obtained no earlier than it, as such a document must be.
    """
    folded = []
    for item in proof:
        obtained = item.obtained_at
        if obtained > recorded:
            obtained = recorded - (obtained - recorded) % _TEN_YEARS
        if effective is not None and obtained < effective and known[item.kind].attests_past:
            obtained = effective + (effective - obtained) % (recorded - effective + _ONE_TICK)
        folded.append(item if obtained == item.obtained_at else attrs.evolve(item, obtained_at=obtained))
    return tuple(folded)
