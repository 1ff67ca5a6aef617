"""Evidence: what a change rests on, and how much that is worth."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from enum import IntEnum, StrEnum

import attrs

from ._text import check_storable
from ._time import to_utc


class Tier(IntEnum):
    """The strength of a kind of evidence; a lower number is stronger.

    >>> Tier.OFFICIAL < Tier.UNVERIFIED
    True
    """

    IDENTIFICATION = 1
    """Scientific identification by primary identifiers."""
    OFFICIAL = 2
    """A document issued by a competent body."""
    CIRCUMSTANTIAL = 3
    """Named and checkable, but not official."""
    UNVERIFIED = 4
    """Anything else."""


class EvidenceKind(StrEnum):
    """The kinds of evidence a case meets, each with its fixed :class:`Tier`.

    >>> EvidenceKind.DNA_MATCH.tier
    <Tier.IDENTIFICATION: 1>
    >>> EvidenceKind.VIDEO.tier
    <Tier.UNVERIFIED: 4>
    """

    # Tier 1: scientific identification.
    DNA_MATCH = "dna_match"
    FINGERPRINTS = "fingerprints"
    DENTAL_COMPARISON = "dental_comparison"
    # Tier 2: official documents.
    COURT_DECISION = "court_decision"
    DEATH_CERTIFICATE = "death_certificate"
    CAPTURE_CARD = "capture_card"
    INFORMATION_BUREAU_NOTICE = "information_bureau_notice"
    ICRC_CONFIRMATION = "icrc_confirmation"
    PRISONER_LIST = "prisoner_list"
    EXCHANGE_LIST = "exchange_list"
    RELEASE_LIST = "release_list"
    HANDOVER_RECORD = "handover_record"
    IDENTITY_DISC = "identity_disc"
    GRAVE_LIST = "grave_list"
    MISSING_REGISTER = "missing_register"
    """An entry in an official register of missing persons: a ministry's list, a national register."""
    # Tier 3: circumstantial, named and checkable.
    UNIT_NOTIFICATION = "unit_notification"
    WITNESS_STATEMENT = "witness_statement"
    MEDICAL_RECORD = "medical_record"
    PHYSICAL_DESCRIPTION = "physical_description"
    PERSONAL_EFFECTS = "personal_effects"
    # Tier 4: unverified.
    VIDEO = "video"
    PHOTO = "photo"
    SOCIAL_MEDIA_POST = "social_media_post"
    PICTURE_RECOGNITION = "picture_recognition"
    ANONYMOUS_CALL = "anonymous_call"
    OTHER = "other"

    @property
    def tier(self) -> Tier:
        """The tier every piece of evidence of this kind has."""
        return _TIER_OF_KIND[self]

    @property
    def indicates(self) -> str | None:
        """The fate this kind of evidence speaks for by its nature, if any.

        A death certificate cannot confirm a prisoner, nor a capture card a
        death: ``"dead"``, ``"alive"``, or ``None`` for kinds that can speak
        for either (a DNA match, an ICRC confirmation, a court decision).

        >>> EvidenceKind.HANDOVER_RECORD.indicates
        'dead'
        """
        return _FATE_OF_KIND.get(self)

    @property
    def attests_past(self) -> bool:
        """Whether evidence of this kind attests an event already past, so cannot predate it.

        A death certificate, a capture card, a handover record or a DNA match
        obtained before the event it attests is an error or a forgery. Lists
        drawn up ahead of an event (an exchange or a release list) and the
        circumstantial and unverified kinds, whose dates are often
        approximate, may predate it.

        >>> EvidenceKind.DEATH_CERTIFICATE.attests_past, EvidenceKind.EXCHANGE_LIST.attests_past
        (True, False)
        """
        return self.tier <= Tier.OFFICIAL and self not in _DRAWN_UP_AHEAD


_TIER_OF_KIND: dict[EvidenceKind, Tier] = dict.fromkeys(
    (EvidenceKind.DNA_MATCH, EvidenceKind.FINGERPRINTS, EvidenceKind.DENTAL_COMPARISON), Tier.IDENTIFICATION
)
_TIER_OF_KIND.update(
    dict.fromkeys(
        (
            EvidenceKind.COURT_DECISION,
            EvidenceKind.DEATH_CERTIFICATE,
            EvidenceKind.CAPTURE_CARD,
            EvidenceKind.INFORMATION_BUREAU_NOTICE,
            EvidenceKind.ICRC_CONFIRMATION,
            EvidenceKind.PRISONER_LIST,
            EvidenceKind.EXCHANGE_LIST,
            EvidenceKind.RELEASE_LIST,
            EvidenceKind.HANDOVER_RECORD,
            EvidenceKind.IDENTITY_DISC,
            EvidenceKind.GRAVE_LIST,
            EvidenceKind.MISSING_REGISTER,
        ),
        Tier.OFFICIAL,
    )
)
_TIER_OF_KIND.update(
    dict.fromkeys(
        (
            EvidenceKind.UNIT_NOTIFICATION,
            EvidenceKind.WITNESS_STATEMENT,
            EvidenceKind.MEDICAL_RECORD,
            EvidenceKind.PHYSICAL_DESCRIPTION,
            EvidenceKind.PERSONAL_EFFECTS,
        ),
        Tier.CIRCUMSTANTIAL,
    )
)
_TIER_OF_KIND.update(
    dict.fromkeys(
        (
            EvidenceKind.VIDEO,
            EvidenceKind.PHOTO,
            EvidenceKind.SOCIAL_MEDIA_POST,
            EvidenceKind.PICTURE_RECOGNITION,
            EvidenceKind.ANONYMOUS_CALL,
            EvidenceKind.OTHER,
        ),
        Tier.UNVERIFIED,
    )
)


_DRAWN_UP_AHEAD = frozenset({"exchange_list", "release_list"})
"""Official kinds drawn up before the event they list: an exchange list the day before the exchange."""

# Kept as plain strings: the Fate enum lives in _status, which imports this module.
_FATE_OF_KIND: dict[EvidenceKind, str] = {
    EvidenceKind.DEATH_CERTIFICATE: "dead",
    EvidenceKind.GRAVE_LIST: "dead",
    EvidenceKind.HANDOVER_RECORD: "dead",  # the handover of remains; the living are exchanged or released
    EvidenceKind.CAPTURE_CARD: "alive",
    EvidenceKind.PRISONER_LIST: "alive",
    EvidenceKind.EXCHANGE_LIST: "alive",
    EvidenceKind.RELEASE_LIST: "alive",
}


def _non_empty_text(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"{attribute.name} must be a non-empty string, got {value!r}"
        raise ValueError(msg)
    check_storable(value, attribute.name)


_BUILT_IN_BY_NAME: dict[str, EvidenceKind] = {kind.value: kind for kind in EvidenceKind}

_DECLARABLE = re.compile(r"[a-z][a-z0-9_]{0,63}")
"""The names a workflow may declare a kind of evidence by: machine names, as the built-in kinds'."""


def as_evidence_kind(value: object) -> EvidenceKind | str:
    """*value* as an evidence kind's name: a built-in :class:`EvidenceKind`, or a name a workflow may declare.

    Which declared kinds a workflow knows is the workflow's to say (a change
    with evidence of a kind it does not know is refused, code
    ``unknown_evidence_kind``); a name no workflow could declare is refused here.

    >>> as_evidence_kind("capture_card")
    <EvidenceKind.CAPTURE_CARD: 'capture_card'>
    >>> as_evidence_kind("unit_form_5")
    'unit_form_5'
    """
    if isinstance(value, str):
        built_in = _BUILT_IN_BY_NAME.get(value)
        if built_in is not None:
            return built_in
        if _DECLARABLE.fullmatch(value):
            return str(value)
    known = ", ".join(_BUILT_IN_BY_NAME)
    msg = (
        f"unknown evidence kind {value!r}: neither built in ({known}) nor a name a workflow "
        "may declare (up to 64 lower-case letters, digits and underscores, a letter first)"
    )
    raise ValueError(msg)


def _obtained_at(value: datetime) -> datetime:
    return to_utc(value, "obtained_at")


@attrs.frozen
class Evidence:
    """One piece of evidence: what kind, where to find it, who gave it, when.

    The *reference* (a file number, a link, a lab report id) and the *source*
    (who supplied it) can be personal data: a privacy-preserving export leaves
    both out.

    >>> from datetime import datetime, UTC
    >>> card = Evidence("capture_card", "ICRC-CC-1187", "ICRC Geneva",
    ...                 datetime(2024, 5, 2, tzinfo=UTC))
    >>> card.tier
    <Tier.OFFICIAL: 2>
    """

    kind: EvidenceKind | str = attrs.field(converter=as_evidence_kind)
    reference: str = attrs.field(validator=_non_empty_text)
    source: str = attrs.field(validator=_non_empty_text)
    obtained_at: datetime = attrs.field(converter=_obtained_at)

    @property
    def tier(self) -> Tier | None:
        """The tier of this evidence, fixed by its kind; ``None`` for a kind a workflow declares.

        The tier of a declared kind is the workflow's to say:
        ``workflow.evidence_kind(evidence.kind).tier``.
        """
        kind = _BUILT_IN_BY_NAME.get(self.kind)
        return None if kind is None else _TIER_OF_KIND[kind]


def evidence_kinds(value: Iterable[EvidenceKind | str]) -> frozenset[EvidenceKind | str]:
    """A set of evidence kinds' names; a lone string is refused, as it would split into letters."""
    if isinstance(value, str):
        msg = f"expected a collection of evidence kinds, got the single string {value!r}"
        raise TypeError(msg)
    return frozenset(as_evidence_kind(item) for item in value)
