"""Evidence kinds as a workflow knows them: the built-in ones, and those an app declares."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from ._evidence import EvidenceKind, Tier, as_evidence_kind
from ._status import Fate
from ._text import flag_field, storable_field


def _declarable(_instance: object, _attribute: attrs.Attribute[str], value: str) -> None:
    if value in BUILT_IN_KINDS:
        msg = f"{str(value)!r} is a built-in evidence kind: its tier and the fate it speaks for are fixed"
        raise ValueError(msg)


def _speaks_for(_instance: object, _attribute: attrs.Attribute[Fate | None], value: Fate | None) -> None:
    if value is Fate.UNKNOWN:
        msg = "indicates is the fate a kind of evidence speaks for, 'alive' or 'dead', or None for either"
        raise ValueError(msg)


def _tier(value: int) -> Tier:
    # True would read as tier 1, the strongest, and 2.0 as tier 2: a tier is a whole number.
    if type(value) is not int and not isinstance(value, Tier):
        msg = f"tier must be a Tier or an int from 1 to 4, not {value!r}"
        raise TypeError(msg)
    return Tier(value)


@attrs.frozen
class EvidenceKindDef:
    """A kind of evidence an app declares in its workflow, beside the built-in :class:`EvidenceKind`.

    A registry meets kinds the library does not know: a unit's notice of
    death on its own form, a regional hospital's record. Declared in a
    workflow (``Workflow(..., evidence_kinds=[...])`` or
    :meth:`Workflow.with_evidence_kinds <casestate.Workflow.with_evidence_kinds>`),
    such a kind counts as a built-in one does:

    - *tier* fixes the assurance a piece of it gives, and which rules it satisfies;
    - *indicates* is the fate it speaks for by its nature (``"dead"`` for a
      notice of death): it is refused on a change that claims the other;
      ``None`` lets it speak for either;
    - *attests_past*: it attests an event already past, so cannot have been
      obtained before it (a certificate, a record of a handover); a list
      drawn up ahead of an event does not.

    The built-in kinds keep their names, tiers and fates: a workflow cannot
    declare one again. A case's trail records, beside the name of each
    declared kind its evidence holds, the kind's tier, so that the trail is
    read without the workflow.

    >>> form_5 = EvidenceKindDef("unit_form_5", Tier.CIRCUMSTANTIAL, indicates=Fate.DEAD,
    ...                          description="the unit's notice of death, on its form 5")
    >>> form_5.tier, form_5.indicates
    (<Tier.CIRCUMSTANTIAL: 3>, <Fate.DEAD: 'dead'>)
    """

    name: str = attrs.field(converter=as_evidence_kind, validator=_declarable)
    tier: Tier = attrs.field(converter=_tier)
    indicates: Fate | None = attrs.field(
        default=None, converter=attrs.converters.optional(Fate), validator=_speaks_for, kw_only=True
    )
    attests_past: bool = attrs.field(default=False, validator=flag_field, kw_only=True)
    description: str = attrs.field(default="", validator=storable_field, kw_only=True)


def _built_in(kind: EvidenceKind) -> EvidenceKindDef:
    # Made past the converter and the validator, which would refuse a built-in name.
    made = object.__new__(EvidenceKindDef)
    indicates = None if kind.indicates is None else Fate(kind.indicates)
    for name, value in (
        ("name", kind),
        ("tier", kind.tier),
        ("indicates", indicates),
        ("attests_past", kind.attests_past),
        ("description", ""),
    ):
        object.__setattr__(made, name, value)
    return made


BUILT_IN_KINDS: Mapping[str, EvidenceKindDef] = MappingProxyType(
    {kind: _built_in(kind) for kind in EvidenceKind}
)
"""Each built-in kind by its name, as a definition: what every workflow knows."""


def known_kinds(declared: Iterable[EvidenceKindDef]) -> Mapping[str, EvidenceKindDef]:
    """The built-in kinds and *declared*, by name: every kind a workflow knows (the first of a name kept)."""
    known = dict(BUILT_IN_KINDS)
    for kind in declared:
        known.setdefault(kind.name, kind)
    return MappingProxyType(known)


def tiers_beside(
    kinds: tuple[EvidenceKind | str, ...], known: Mapping[str, EvidenceKindDef]
) -> tuple[int, ...] | None:
    """The tier of each of *kinds*, for an entry to record beside them; ``None`` when every one is built in.

    A built-in kind's tier is fixed, and trails written before kinds could be
    declared keep their bytes; a declared kind's is the workflow's, which a
    trail is read without.

    >>> form_5 = EvidenceKindDef("unit_form_5", Tier.CIRCUMSTANTIAL)
    >>> tiers_beside((EvidenceKind.VIDEO,), BUILT_IN_KINDS) is None
    True
    >>> tiers_beside((EvidenceKind.VIDEO, "unit_form_5"), known_kinds([form_5]))
    (4, 3)
    """
    for kind in kinds:
        if type(kind) is not EvidenceKind:
            return tuple([int(known[name].tier) for name in kinds])
    return None


def tiers_problem(kinds: tuple[EvidenceKind | str, ...], tiers: tuple[int, ...] | None) -> str | None:
    """Why the *tiers* an entry records beside its evidence *kinds* cannot be read; ``None`` if they can.

    A declared kind needs its tier beside it, one for each kind, each of 1 to
    4. The tiers recorded are those the kinds had when the entry was written:
    beside a kind casestate builds in later (one a workflow declared
    before), the recorded tier is read, not the built-in kind's.
    """
    if tiers is None:
        declared = [kind for kind in kinds if type(kind) is not EvidenceKind]
        if declared:
            return (
                f"holds evidence of kind {declared[0]!r}, declared by its workflow, without the kind's tier"
            )
        return None
    if len(tiers) != len(kinds):
        return f"records {len(tiers)} tiers for {len(kinds)} pieces of evidence"
    for kind, tier in zip(kinds, tiers, strict=True):
        if type(tier) is not int or tier not in _TIERS:
            return f"records tier {tier!r}, which is none of 1 to 4, for evidence of kind {kind!r}"
    return None


_TIERS = frozenset(int(tier) for tier in Tier)
